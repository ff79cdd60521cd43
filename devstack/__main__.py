"""`python -m devstack up` (make dev) keeps the local stack running; `demo` runs the demo.

Either runs the source by default; `--built DIR --runtime-python PY` runs `sam build`'s output instead.

Time on the stack: with `--schedule-interval 0` nothing runs by itself, and
`POST /_devstack/scheduler/run-due {"now": ISO}` is the clock: it moves the emulator's clock to
`now`, runs every periodic function of template.yaml due by then (keep-alive, catch-up; several
occurrences coalesced into one run at the latest) and fires every EventBridge schedule due by then
(repeats, delayed copies). `POST /_devstack/schedule/{LogicalId}` runs one periodic function now.
See docs/operations.md, "Simulated time: run-due".
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from devstack.stack import LocalStack, StackConfig


def up(args: argparse.Namespace) -> int:
    config = StackConfig(
        host=args.host,
        gateway_port=args.gateway_port,
        moto_port=args.moto_port,
        emulator_port=args.emulator_port,
        amo_rate=args.amo_rate,
    )
    config.extra_origins = args.allow_origin
    config.schedule_interval = args.schedule_interval
    config.extra_env = dict(pair.split("=", 1) for pair in args.env)
    config.built_dir, config.runtime_python = args.built, args.runtime_python
    if args.client_id:
        config.client_id = args.client_id
    if args.client_secret:
        config.client_secret = args.client_secret
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if args.stop_with_stdin:
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), name="stdin", daemon=True).start()
    with LocalStack(config) as stack:
        info = stack.describe()
        if args.demo_account:
            from amo_emulator.control import EmulatorControl

            info["demo_account"] = EmulatorControl(info["emulator_url"]).create_account("demo", demo=True)["id"]
        print("READY " + json.dumps(info), flush=True)
        if not args.quiet:
            print(
                f"Gateway  {info['gateway_url']}   (try {info['gateway_url']}/_devstack/health)",
                file=sys.stderr,
            )
            print(f"Emulator {info['emulator_url']}   moto {info['moto_url']}   Ctrl+C stops", file=sys.stderr)
        stop.wait()
    return 0


def _built_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--amo-rate",
        type=int,
        default=7,
        metavar="N",
        help="amoCRM requests/s per account for the emulator and the functions (tests emulate a faster limit)",
    )
    parser.add_argument(
        "--built",
        default="",
        metavar="BUILD_DIR",
        help="run the functions from this `sam build` output (built for this machine: make build-local)",
    )
    parser.add_argument(
        "--runtime-python",
        default="",
        metavar="PYTHON",
        help="with --built: the runtime-only virtualenv's python (boto3 only, as Lambda's runtime; make runtime-venv)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("up", help="start the local stack and keep it running")
    _built_options(run)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--gateway-port", type=int, default=8800)
    run.add_argument("--emulator-port", type=int, default=8801)
    run.add_argument("--moto-port", type=int, default=8802)
    run.add_argument("--client-id", default="")
    run.add_argument("--client-secret", default="")
    run.add_argument(
        "--allow-origin", action="append", default=[], help="extra CORS origin (pattern) for widget routes"
    )
    run.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="extra function environment")
    run.add_argument("--demo-account", action="store_true", help="create the emulator's demo account")
    run.add_argument(
        "--schedule-interval",
        type=float,
        default=None,
        metavar="SECONDS",
        help="period of scheduled functions (default: the template's rate; 0: only on demand, "
        "POST /_devstack/schedule/{id} or /_devstack/scheduler/run-due)",
    )
    run.add_argument("--quiet", action="store_true")
    run.add_argument(
        "--stop-with-stdin",
        action="store_true",
        help="stop when standard input closes (a test process that starts the stack ended, however it ended)",
    )
    _built_options(sub.add_parser("demo", help="run the end-to-end demo and stop"))
    args = parser.parse_args(argv)
    if args.built and not args.runtime_python:
        parser.error("--built needs --runtime-python (the runtime-only virtualenv is the point of the check)")
    if args.command == "demo":
        from devstack.demo import run_demo

        config = StackConfig(built_dir=args.built, runtime_python=args.runtime_python, amo_rate=args.amo_rate)
        return run_demo(config=config)
    return up(args)


if __name__ == "__main__":
    sys.exit(main())
