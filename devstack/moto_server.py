"""moto in server mode, bound to loopback, with requests serialised.

Real DynamoDB evaluates a condition and writes atomically; moto does not lock,
so two threaded requests could both pass one condition. Serialising DynamoDB
requests restores the guarantee our refresh lease and claims rely on.

SQS requests are serialised too (with a lock of their own): moto's queues are
not thread-safe, and concurrent receives from several pollers can leave a FIFO
message in flight with nobody holding it, which stalls its group for the
queue's visibility timeout. A long poll is answered here as short polls
taken under the lock, waiting between them (lock released) for another SQS
call, so it never holds anyone else up and an idle poller costs little
(`_SqsLongPoll`). moto's per-request lookups are cached (`moto_speedups`).

moto 5 also checks each message's retention, on every receive, by computing
every attribute of the queue, its approximate counts over all messages
included: a receive from a FIFO queue holding 200 messages takes 100-150 ms
(SQS answers in 10-20 ms), so a DP burst measured the emulation, not the
worker. The server reads the retention period directly: the same answer,
without the scan (`_retention_without_counting`); a send likewise
(`_sends_without_counting`).
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import logging
import signal
import threading
import time
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from devstack import moto_speedups


def _retention_without_counting() -> None:
    """Patch moto's retention check to read the queue's setting instead of computing every attribute."""
    from moto.core.utils import unix_time
    from moto.sqs.models import Message, SQSBackend

    def is_valid(self: SQSBackend, queue_name: str, message: Message) -> bool:
        retention = int(self.get_queue(queue_name).message_retention_period)
        return retention + message.sent_timestamp / 1000 > unix_time()  # type: ignore[operator]

    SQSBackend.is_message_valid_based_on_retention_period = is_valid  # type: ignore[method-assign]


def _sends_without_counting() -> None:
    """Patch moto's send to compute the queue's attributes without its message counts.

    A send reads one attribute (`ContentBasedDeduplication`), but moto computes them all, the
    approximate counts over every message included, so each send scanned the queue: a burst of
    1,000 DP hooks cost the local queue O(n^2) and measured moto, not the hook. SQS requests are
    serialised (`MotoServer`), so the class-wide list is swapped only while one send runs.
    """
    from moto.sqs.models import Queue, SQSBackend

    counts = {
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesDelayed",
        "ApproximateNumberOfMessagesNotVisible",
    }
    light = [name for name in Queue.BASE_ATTRIBUTES if name not in counts]

    def without_counting(send: Any) -> Any:
        @functools.wraps(send)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            before, Queue.BASE_ATTRIBUTES = Queue.BASE_ATTRIBUTES, light  # a batch's sends nest inside it
            try:
                return send(*args, **kwargs)
            finally:
                Queue.BASE_ATTRIBUTES = before

        return wrapper

    SQSBackend.send_message = without_counting(SQSBackend.send_message)  # type: ignore[method-assign]
    SQSBackend.send_message_batch = without_counting(SQSBackend.send_message_batch)  # type: ignore[method-assign]


class _SqsLongPoll:
    """A JSON-protocol `ReceiveMessage` with `WaitTimeSeconds`, as short polls under `lock` until one finds
    messages or the wait is over. Between two polls it waits, lock released, until another SQS call changes
    a queue (`changed`) or `RECHECK` passes (a visibility timeout or a delay ends with no call at all), so an
    idle poller costs a few polls a second, not fifty (moto's own long poll spins through the queue)."""

    RECHECK = 0.2

    def __init__(self, app: Any, lock: threading.Lock) -> None:
        self._app = app
        self._changes = threading.Condition(lock)

    def changed(self) -> None:
        """Wake the waiting polls: called, holding the lock, after any SQS call but a receive."""
        self._changes.notify_all()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        request = json.loads(body or b"{}")
        deadline = time.monotonic() + float(request.get("WaitTimeSeconds") or 0)
        short = json.dumps({**request, "WaitTimeSeconds": 0}).encode()
        with self._changes:
            while True:
                status, headers, chunks = self._poll({**environ, **_body(short)})
                left = deadline - time.monotonic()
                if b'"Messages"' in b"".join(chunks) or not status.startswith("200") or left <= 0:
                    start_response(status, headers)
                    return chunks
                self._changes.wait(min(self.RECHECK, left))

    def _poll(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], list[bytes]]:
        answer: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            answer.update(status=status, headers=headers)

        chunks = list(self._app(environ, keep))
        return answer["status"], answer["headers"], chunks


def _body(raw: bytes) -> dict[str, Any]:
    return {"wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))}


class MotoServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # DynamoDB
        self._sqs_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _app(self) -> Any:
        _retention_without_counting()
        _sends_without_counting()
        moto_speedups.apply()
        app = DomainDispatcherApplication(create_backend_app)

        long_poll = _SqsLongPoll(app, self._sqs_lock)

        def serialised(environ: dict[str, Any], start_response: Any) -> Any:
            target = environ.get("HTTP_X_AMZ_TARGET", "")
            if target == "AmazonSQS.ReceiveMessage":
                return long_poll(environ, start_response)
            if target.startswith("AmazonSQS"):
                with self._sqs_lock:
                    chunks = list(app(environ, start_response))
                    long_poll.changed()
                    return chunks
            if target.startswith("DynamoDB"):
                with self._lock:
                    return list(app(environ, start_response))
            return app(environ, start_response)

        return serialised

    def start(self) -> MotoServer:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
        self._server = make_server(self._host, self._port, self._app(), True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """`python -m devstack.moto_server --port N`: the same server in a process of its own.

    The benchmark runs moto and the emulator out of the stack's process, as AWS and amoCRM
    are in reality, so their CPU does not compete with the handlers for one interpreter lock.
    """
    parser = argparse.ArgumentParser(prog="python -m devstack.moto_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with MotoServer(args.host, args.port) as server:
        print(f"READY {server.url}", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
