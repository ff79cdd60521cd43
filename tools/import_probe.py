"""How the benches import one handler in a fresh interpreter: the probe, its environment, the handlers measured."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ["oauth", "widget_settings", "copies", "dp_hook", "worker", "bulk", "catchup"]
IMPORT_PROBE = """
import importlib.util, sys, time
wall, cpu = time.perf_counter(), time.process_time()
target = sys.argv[1]
if target == "boto3":
    import boto3  # noqa: F401
else:
    spec = importlib.util.spec_from_file_location("handler", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def probe_env(root: Path = ROOT) -> dict[str, str]:
    """The environment of an import probe: `root`'s layer on the path, bytecode cached."""
    return {
        **os.environ,
        "PYTHONPATH": str(root / "layers" / "dealcopy"),
        "PYTHONDONTWRITEBYTECODE": "0",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
