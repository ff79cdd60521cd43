"""The copy engine: copies amoCRM leads by a rule (manual 6.1-6.4, 6.7), one or many at a time.

Pure parts (rules, plan, fields, naming, rights, anonymise) take plain data; only
`engine` talks to amoCRM, through an `AmoClient`-like object it is given.
"""

from dealcopy.copying.creating import CreatedCopy
from dealcopy.copying.engine import CopyEngine, CopyJob
from dealcopy.copying.errors import (
    CopyError,
    CopyForbidden,
    CopyIncomplete,
    CopyRejected,
    RejectionIssue,
    ResponsibleUnavailable,
    RuleInvalid,
    RuleProblem,
    SourceNotFound,
)
from dealcopy.copying.metadata import AccountMetadata, MetadataCache, default_cache, load_metadata
from dealcopy.copying.plan import CatalogLink, CopyPlan, PlanContext, build_plan
from dealcopy.copying.result import CopiedField, CopiedSummary, CopyResult, Skip
from dealcopy.copying.rules import CopyRule, Responsible, parse_rule, validate_rule
from dealcopy.copying.source import SourceLead

__all__ = [
    "AccountMetadata",
    "CatalogLink",
    "CopiedField",
    "CopiedSummary",
    "CopyEngine",
    "CopyError",
    "CopyForbidden",
    "CopyIncomplete",
    "CopyJob",
    "CopyPlan",
    "CopyRejected",
    "CopyResult",
    "CopyRule",
    "CreatedCopy",
    "MetadataCache",
    "PlanContext",
    "RejectionIssue",
    "Responsible",
    "ResponsibleUnavailable",
    "RuleInvalid",
    "RuleProblem",
    "Skip",
    "SourceLead",
    "SourceNotFound",
    "build_plan",
    "default_cache",
    "load_metadata",
    "parse_rule",
    "validate_rule",
]
