"""One "Lambda instance" of the scale benchmark: a local stack process sharing moto and the emulator.

`python -m tools.bench_scale.instance --emulator-url URL --moto-url URL [--poll]`
(the integration's id and secret come in BENCH_CLIENT_ID / BENCH_CLIENT_SECRET).

On AWS every function of an account runs in many instances at once, each with its own
memory (metadata cache, in-process throttle) and only DynamoDB and amoCRM in common. Here
each instance is an OS process running the real handlers behind a gateway of its own; the
tables and the queue are the ones the first instance made in the shared moto. Only with `--poll`
does the process take batches from the copy queue (a worker instance): one poller, one batch at a
time, as Lambda gives an instance one event at a time; N worker instances are a concurrency of N.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from devstack.stack import LocalStack, StackConfig


class InstanceStack(LocalStack):
    """The local stack, polling the copy queue only when it plays a worker instance."""

    def __init__(self, config: StackConfig, poll: bool) -> None:
        super().__init__(config)
        self._poll = poll

    def _start_pollers(self) -> None:
        if self._poll:
            super()._start_pollers()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_scale.instance")
    parser.add_argument("--emulator-url", required=True)
    parser.add_argument("--moto-url", required=True)
    parser.add_argument("--poll", action="store_true", help="take batches from the copy queue (a worker)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="a function setting")
    args = parser.parse_args(argv)
    config = StackConfig(
        emulator_url=args.emulator_url,
        moto_url=args.moto_url,
        client_id=os.environ["BENCH_CLIENT_ID"],
        client_secret=os.environ["BENCH_CLIENT_SECRET"],
        schedule_interval=0,  # the catch-up runs when the benchmark asks, like a tick of its schedule
        extra_env={"TEST_SEAMS": "false", **dict(pair.split("=", 1) for pair in args.env)},  # production: no seams
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with InstanceStack(config, args.poll) as stack:
        print("READY " + json.dumps(stack.describe()), flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
