"""One built Lambda function behind a loopback HTTP port, run by the runtime-only virtualenv's python.

Started by `devstack.built` as `python -I runtime_server.py --code DIR --layer DIR ... --handler app.fn`:
`-I` keeps PYTHONPATH, the user's site-packages and this file's folder off sys.path, so the
handler sees what Lambda gives it and nothing more: its own code (/var/task), the layers'
`python/` folders (/opt/python) and the runtime's site-packages (boto3). Standard library only.

The handler is imported at start (a missing dependency ends the process before READY). Each
POST carries `{"event", "timeout"}` and is answered `{"result"}` or `{"error", "message", "trace"}`,
as Lambda answers an invocation; requests run in threads, as the source-mode stack does.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def _load(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_handler(code: Path, layers: list[Path], spec: str) -> Any:
    """sys.path as Lambda orders it (task root, then layers, then the runtime), then the handler."""
    sys.path[:0] = [str(code), *(str(layer) for layer in layers)]
    module_name, attr = spec.rsplit(".", 1)
    return getattr(_load(code / f"{module_name.replace('.', '/')}.py", module_name), attr)


def serve(handler: Any, function_name: str) -> None:
    # The context stand-in is shared with the source mode; it is standard library only.
    context_type = _load(Path(__file__).with_name("lambda_context.py"), "devstack_lambda_context").LocalContext

    class Invoke(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            context = context_type(function_name=function_name, timeout_seconds=float(request["timeout"]))
            try:  # an answer JSON cannot carry fails here too, as Lambda's Runtime.MarshalError does
                body = json.dumps({"result": handler(request["event"], context)})
            except Exception as err:
                trace = traceback.format_exc()
                print(trace, file=sys.stderr, flush=True)
                body = json.dumps({"error": type(err).__name__, "message": str(err), "trace": trace})
            body = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:  # the stack logs what matters; no access log
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Invoke)
    server.daemon_threads = True
    print(f"READY {server.server_address[1]}", flush=True)
    # The parent reads stdout only up to READY: what the handler prints from now on (powertools logs
    # to stdout) goes to stderr, which the parent shares, so no unread pipe can fill up and block it.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--code", required=True, type=Path)
    parser.add_argument("--layer", action="append", default=[], type=Path)
    parser.add_argument("--handler", required=True)
    args = parser.parse_args()
    try:
        handler = load_handler(args.code, args.layer, args.handler)
    except Exception:
        print(f"{args.name}: the built handler does not import:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
        return 3
    serve(handler, args.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
