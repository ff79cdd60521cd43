"""The routes amoCRM waits on import only what their first request needs.

Timing is measured by `python -m tools.bench imports`; this checks, deterministically, that the
heavy parts those timings depend on stay out of the handler's import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("handler", sys.argv[1])
spec.loader.exec_module(importlib.util.module_from_spec(spec))
print(json.dumps(sorted(sys.modules)))
"""
# The copy engine, the rule model and job records (pydantic models with copy plans), HTTP to amoCRM, JWT.
HEAVY = ("dealcopy.copying.engine", "dealcopy.copying.rules", "dealcopy.copying.plan", "dealcopy.records.job", "httpx")


def _loaded(handler: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "layers" / "dealcopy"), "AWS_DEFAULT_REGION": "eu-central-1"}
    target = str(ROOT / "functions" / handler / "app.py")
    out = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", PROBE, target], env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("handler", ["dp_hook", "widget_settings"])
def test_the_routes_amocrm_waits_on_import_no_engine_rule_model_or_http_client(handler):
    assert sorted(m for m in _loaded(handler) if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY))) == []


def test_the_dp_hook_imports_no_session_or_jwt():
    assert (
        sorted(m for m in _loaded("dp_hook") if m.startswith(("jwt", "dealcopy.web.session", "dealcopy.hosts"))) == []
    )


@pytest.mark.parametrize("handler", ["dp_hook", "widget_settings", "oauth", "catchup"])
def test_pydantic_loads_with_the_first_model_a_route_validates_not_with_the_import(handler):
    """Settings, accounts, token pairs and queue messages are dataclasses; request bodies load pydantic on use."""
    assert sorted(m for m in _loaded(handler) if m.split(".")[0] in ("pydantic", "pydantic_core")) == []


@pytest.mark.parametrize("handler", ["copies", "bulk"])
def test_a_manual_or_bulk_copy_builds_only_the_models_its_routes_read(handler):
    """Write-back actions come only through DP, and each route's request model lives beside its use case."""
    loaded = _loaded(handler)
    assert "dealcopy.copying.write_back" not in loaded
    assert ("dealcopy.usecases.bulk" in loaded) == (handler == "bulk")
    assert "dealcopy.usecases.signing" not in loaded


@pytest.mark.parametrize("handler", ["oauth", "widget_settings", "copies", "dp_hook", "bulk", "repeats"])
def test_an_http_handler_loads_only_the_http_resolver_of_powertools_event_handler(handler):
    """The package's `__init__` would load every resolver powertools ships (`dealcopy.web.deferred_package`)."""
    loaded = _loaded(handler)
    assert "aws_lambda_powertools.event_handler.api_gateway" in loaded
    others = ("appsync", "events_appsync", "graphql_appsync", "bedrock_agent", "vpc_lattice", "lambda_function_url")
    resolvers = [m.split(".")[2] for m in loaded if m.startswith("aws_lambda_powertools.event_handler.")]
    assert sorted(set(resolvers) & set(others)) == []
    assert "asyncio" not in loaded
