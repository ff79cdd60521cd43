"""moto in server mode, bound to loopback, with requests serialised.

Real DynamoDB evaluates a condition and writes atomically; moto does not lock,
so two threaded requests could both pass one condition. Serialising DynamoDB
requests restores the guarantee our refresh lease and claims rely on.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server


class MotoServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _app(self) -> Any:
        app = DomainDispatcherApplication(create_backend_app)

        def serialised(environ: dict[str, Any], start_response: Any) -> Any:
            # Only DynamoDB needs it; an SQS long poll must not hold everyone else up.
            if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
                return app(environ, start_response)
            with self._lock:
                return list(app(environ, start_response))

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
