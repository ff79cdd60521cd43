"""The copy engine: copies amoCRM leads by a rule (manual 6.1-6.4, 6.7), one or many at a time.

Pure parts (rules, plan, fields, naming, rights, anonymise) take plain data; only
`engine` talks to amoCRM, through an `AmoClient`-like object it is given.

The names below load on first use (PEP 562): importing `dealcopy.copying.errors` or
`.rules` must not pull in the engine and its dependencies (the DP hook's cold start).
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "AccountMetadata": "dealcopy.copying.metadata",
    "CatalogLink": "dealcopy.copying.plan",
    "CopiedField": "dealcopy.copying.result",
    "CopiedSummary": "dealcopy.copying.result",
    "CopyEngine": "dealcopy.copying.engine",
    "CopyError": "dealcopy.copying.errors",
    "CopyForbidden": "dealcopy.copying.errors",
    "CopyPlan": "dealcopy.copying.plan",
    "CopyRejected": "dealcopy.copying.errors",
    "CopyResult": "dealcopy.copying.result",
    "CopyRule": "dealcopy.copying.rules",
    "CreatedCopy": "dealcopy.copying.creating",
    "MetadataCache": "dealcopy.copying.metadata",
    "PlanContext": "dealcopy.copying.plan",
    "RejectionIssue": "dealcopy.copying.errors",
    "Responsible": "dealcopy.copying.rules",
    "ResponsibleUnavailable": "dealcopy.copying.errors",
    "RuleInvalid": "dealcopy.copying.errors",
    "RuleProblem": "dealcopy.copying.errors",
    "Skip": "dealcopy.copying.result",
    "SourceLead": "dealcopy.copying.source",
    "SourceNotFound": "dealcopy.copying.errors",
    "build_plan": "dealcopy.copying.plan",
    "default_cache": "dealcopy.copying.metadata",
    "load_metadata": "dealcopy.copying.metadata",
    "parse_rule": "dealcopy.copying.rules",
    "validate_rule": "dealcopy.copying.rules",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
