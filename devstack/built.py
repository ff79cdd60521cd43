"""Runs the functions from `sam build`'s output, each in a process of the runtime-only virtualenv.

What Lambda would run is what runs: the built code of each function (`<build>/<CodeUri>/`) and the
built layers' `python/` folders, imported by a python that has only what the Lambda runtime has
(boto3). A dependency missing from `layers/dealcopy/requirements.txt`, or a file the build left out,
fails here at start instead of on AWS. Each function gets only its own environment from the
template (plus the local stack's endpoints), as on AWS. Same face as `FunctionRegistry`: `invoke`.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from devstack.template import Template, load_template

SERVER = Path(__file__).with_name("runtime_server.py")
# What a Lambda sandbox's environment has before the function's own variables.
_BASE_ENV = ("PATH", "LANG", "TZ", "HOME", "TMPDIR")


class FunctionError(RuntimeError):
    """The handler raised (Lambda's `Unhandled` error): a 500 at the gateway, a retry for the poller."""


class BuiltFunctions:
    def __init__(
        self,
        template: Template,
        build_dir: Path,
        python: str,
        environment: Callable[[str], dict[str, str]],
        start_timeout: float = 90,
    ) -> None:
        self._template = template
        self._build_dir = Path(build_dir).resolve()
        self._built = Template(load_template(self._build_dir / "template.yaml"))
        self._python = python
        self._environment = environment
        self._start_timeout = start_timeout
        self._procs: dict[str, subprocess.Popen[str]] = {}
        self._urls: dict[str, str] = {}
        self._http = httpx.Client(timeout=10)

    def code_of(self, logical_id: str) -> tuple[Path, list[Path], str]:
        """(built code folder, built layers' python/ folders, handler) of a function."""
        code = self._build_dir / self._built.function_property(logical_id, "CodeUri")
        layers = []
        for layer in self._built.function_property(logical_id, "Layers", []):
            content = self._built.resources[layer["Ref"]]["Properties"]["ContentUri"]
            layers.append(self._build_dir / content / "python")
        return code, layers, self._built.function_property(logical_id, "Handler")

    def start(self) -> BuiltFunctions:
        """Every function's process at once (they import in parallel); returns when all are ready."""
        for name in self._template.of_type("AWS::Serverless::Function"):
            code, layers, handler = self.code_of(name)
            command = [self._python, "-I", str(SERVER), "--name", name, "--code", str(code), "--handler", handler]
            for layer in layers:
                command += ["--layer", str(layer)]
            env = {k: os.environ[k] for k in _BASE_ENV if k in os.environ} | self._environment(name)
            self._procs[name] = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
        give_up = time.monotonic() + self._start_timeout
        for name, proc in self._procs.items():
            self._urls[name] = f"http://127.0.0.1:{self._ready(name, proc, give_up)}"
        return self

    def _ready(self, name: str, proc: subprocess.Popen[str], give_up: float) -> int:
        while time.monotonic() < give_up:
            line = proc.stdout.readline()
            if line.startswith("READY "):
                return int(line.split()[1])
            if not line and proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"the built {name} did not start (exit code {proc.poll()}; its error is above)")

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        timeout = self._template.function_timeout(logical_id)
        answer = self._http.post(
            self._urls[logical_id], content=json.dumps({"event": event, "timeout": timeout}), timeout=timeout + 10
        )
        answer.raise_for_status()
        result = answer.json()
        if "error" in result:
            raise FunctionError(f"{logical_id}: {result['error']}: {result['message']}")
        return result["result"]

    def stop(self) -> None:
        for proc in self._procs.values():
            proc.terminate()
        for proc in self._procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._http.close()
