"""`CopyEngine`: the amoCRM side of copy jobs of one account, a single copy being a batch of one.

The steps the job runner (`jobs.steps`) checkpoints between, for queued and manual copies alike
(each is one request for any batch size up to amoCRM's limits): `read_sources` -> `plan` (no I/O)
-> `create` -> `link` -> `write_notes`.
Cost with warm metadata: read + create + link + notes = 4 requests (3 without catalog
elements), for one copy or for fifty; cold metadata adds exactly 4.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from dealcopy.amo.errors import AmoNotFound, ValidationIssue
from dealcopy.copying import reconcile
from dealcopy.copying.batching import chunked, send_isolated
from dealcopy.copying.creating import CREATE_CHUNK, CreatedCopy, create_copies
from dealcopy.copying.describe import stage_name
from dealcopy.copying.errors import CopyRejected, SourceNotFound
from dealcopy.copying.metadata import AccountMetadata, AmoApi, MetadataCache, default_cache, load_metadata
from dealcopy.copying.naming import DEFAULT_TIMEZONE
from dealcopy.copying.notes import copy_notes, language_of, lead_url
from dealcopy.copying.plan import CopyPlan, PlanContext, build_plan
from dealcopy.copying.refusals import RefusedFields, default_refusals, refused_during
from dealcopy.copying.result import CopyResult, worded
from dealcopy.copying.rights import check_copy_rights
from dealcopy.copying.rules import CopyRule, validate_rule
from dealcopy.copying.source import SOURCE_WITH, SourceLead

K = TypeVar("K", bound=Hashable)
NOTES_PATH = "/api/v4/leads/notes"
READ_CHUNK = 250  # amoCRM's page limit for GET /api/v4/leads
# Paths of validation issues that mean our cached metadata is out of date.
_STALE_METADATA_PATHS = ("pipeline_id", "status_id", "responsible_user_id")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class CopyEngine:
    """Copies leads of one account through an `AmoClient`-like `api`."""

    def __init__(
        self,
        api: AmoApi,
        *,
        account_domain: str,
        account_key: str | None = None,
        cache: MetadataCache | None = None,
        refusals: RefusedFields | None = None,
        clock: Callable[[], datetime] = _utcnow,
        lang: str | None = None,
        create_chunk: int = CREATE_CHUNK,
        country: str | None = None,
        timezone: str | None = None,
    ) -> None:
        self.api = api
        self._domain = account_domain
        self.account_key = account_key or account_domain
        self.cache = cache if cache is not None else default_cache
        self.refusals = refusals if refusals is not None else default_refusals
        self.clock = clock
        self.lang = lang or language_of(account_domain)
        self.create_chunk = create_chunk
        self.country = country or "RU"  # amoCRM's `country` of the account: phone numbers without a code
        self.timezone = timezone or DEFAULT_TIMEZONE  # the account's zone, the default of `{date}` and delays

    @property
    def domain(self) -> str:
        """The account's host for links: where the client found it if it followed a rename meanwhile."""
        return getattr(self.api, "relocated_to", None) or self._domain

    def lang_of(self, user_id: int | None) -> str:
        """The language of notes and default names: the acting user's as amoCRM reports it, else the account's."""
        known = self.known_metadata()
        user = known.users.get(user_id) if known and user_id is not None else None
        lang = (user.lang or "").lower()[:2] if user else ""
        return lang if lang in ("ru", "en") else self.lang

    # --- reads --------------------------------------------------------------------------------

    def metadata(self) -> AccountMetadata:
        return self.cache.get(self.account_key, lambda: load_metadata(self.api))

    def known_metadata(self) -> AccountMetadata | None:
        """The cached metadata if fresh, never loaded: words after a failure cost no request (and never
        reload metadata a failure just dropped)."""
        return self.cache.peek(self.account_key)

    def read_source(self, lead_id: int) -> SourceLead:
        """One `GET /api/v4/leads/{id}`; a 204 (or 404) is `SourceNotFound`."""
        try:
            body = self.api.get(f"/api/v4/leads/{lead_id}", {"with": SOURCE_WITH})
        except AmoNotFound:
            body = None
        if not body:
            raise SourceNotFound(lead_id)
        return SourceLead.from_api(body)

    def read_sources(self, lead_ids: Sequence[int]) -> dict[int, SourceLead]:
        """All sources in one request per 250 ids; missing or deleted leads are absent from the answer."""
        ids = list(dict.fromkeys(lead_ids))
        if len(ids) == 1:
            try:
                return {ids[0]: self.read_source(ids[0])}
            except SourceNotFound:
                return {}
        found: dict[int, SourceLead] = {}
        for part in chunked(ids, READ_CHUNK):
            params = {"filter[id][]": part, "with": SOURCE_WITH, "limit": READ_CHUNK}
            body = self.api.get("/api/v4/leads", params) or {}
            for raw in (body.get("_embedded") or {}).get("leads") or []:
                found[int(raw["id"])] = SourceLead.from_api(raw)
        return found

    # --- planning (no requests once metadata is warm) --------------------------------------------

    def check_rule(self, rule: CopyRule) -> None:
        """`RuleInvalid` unless the rule fits the account; deleted fields/catalogs are only skipped."""
        validate_rule(rule, self.metadata(), allow_stale=True)

    def plan(self, source: SourceLead, rule: CopyRule, actor_user_id: int, request_id: str | None = None) -> CopyPlan:
        """Check rule and rights, then plan. Raises `RuleInvalid`, `CopyForbidden`, `ResponsibleUnavailable`."""
        # a field on the source the cache does not know was added since: reload rather than skip it
        fields = [item.get("field_id") for item in source.custom_fields_values or []]
        metadata = self.cache.covering(self.account_key, lambda: load_metadata(self.api), fields)
        validate_rule(rule, metadata, allow_stale=True)
        check_copy_rights(metadata, actor_user_id, source.ref, rule.pipeline_id, rule.status_id)
        refused = self.refusals.get(self.account_key)
        lang = self.lang_of(actor_user_id)
        context = PlanContext(
            domain=self.domain,
            now=self.clock(),
            lang=lang,
            refused=refused,
            region=self.country,
            timezone=self.timezone,
        )
        return build_plan(source, rule, metadata, actor_user_id, context, request_id)

    # --- writes -------------------------------------------------------------------------------

    def create(self, plans: Sequence[CopyPlan]) -> list[CreatedCopy | CopyRejected]:
        """One `POST /api/v4/leads` per 50 plans (plus one retry when fields are refused)."""
        outcomes = create_copies(self.api, plans, self.create_chunk)
        self.refusals.remember(self.account_key, refused_during(plans, outcomes))
        if any(isinstance(o, CopyRejected) and _metadata_suspect(o) for o in outcomes):
            self.cache.invalidate(self.account_key)
        return outcomes

    def link(self, created: Sequence[CreatedCopy]) -> list[CreatedCopy]:
        """One `POST /api/v4/leads/link` for every copy's catalog elements; none when nothing to link."""
        return self._step(
            created, "links", "/api/v4/leads/link", lambda c: [ln.link_item(c.lead_id) for ln in c.plan.catalog_links]
        )

    def write_notes(self, created: Sequence[CreatedCopy]) -> list[CreatedCopy]:
        """One `POST /api/v4/leads/notes` with both notes of every copy."""
        return self._step(
            created,
            "notes",
            NOTES_PATH,
            lambda c: copy_notes(
                c.plan.source_id,
                c.lead_id,
                self.domain,
                self.lang_of(c.plan.actor_user_id),
                names=(c.plan.source_name, c.plan.payload.get("name")),
            ),
        )

    def write_failure_notes(self, notes: Sequence[tuple[K, list[dict[str, Any]]]]) -> set[K]:
        """One `POST /api/v4/leads/notes` for the notes of jobs that ended without a copy; the refused keys."""
        return set(send_isolated(notes, lambda body: self.api.post(NOTES_PATH, body, idempotent=True)))

    def find_made(
        self, plans: Sequence[CopyPlan], since: float, claimed: Callable[[list[int]], set[int]]
    ) -> dict[str, int]:
        """request_id -> the lead an uncertain create did make (see `reconcile`); absent when it made none."""
        return reconcile.find_made(self.api, plans, since, claimed)

    def _step(
        self,
        created: Sequence[CreatedCopy],
        step: str,
        path: str,
        items: Callable[[CreatedCopy], list[dict[str, Any]]],
    ) -> list[CreatedCopy]:
        """Run a follow-up write for the copies that have not had it; refusals are isolated per copy.

        Sent as idempotent: re-linking only re-sets quantities, and a retried timeout that
        duplicates a service note is better than a copy without its link to the source.
        """
        flag = f"{step}_written"
        todo = [(i, items(c)) for i, c in enumerate(created) if getattr(c, flag) is None]
        failures = send_isolated([g for g in todo if g[1]], lambda body: self.api.post(path, body, idempotent=True))
        pending = {i for i, _ in todo}
        return [_step_done(c, step, failures.get(i)) if i in pending else c for i, c in enumerate(created)]

    def result(self, created: CreatedCopy) -> CopyResult:
        plan = created.plan
        copied = plan.copied
        if created.links_written is False:
            copied = copied.model_copy(update={"catalog_elements": 0})
        return CopyResult(
            source_id=plan.source_id,
            lead_id=created.lead_id,
            url=lead_url(self.domain, created.lead_id),
            copied=copied,
            skipped=[*plan.skipped, *created.problems],
            links_written=created.links_written is not False,
            notes_written=created.notes_written is not False,
            warnings=plan.warnings,
            name=plan.payload.get("name"),
            stage=self._stage_of(plan),
            anonymised=plan.anonymised,
        )

    def _stage_of(self, plan: CopyPlan) -> str | None:
        """«Pipeline → Stage» of a made copy, from cached metadata only (None when it was just dropped)."""
        known = self.known_metadata()
        return stage_name(known, plan.payload.get("pipeline_id"), plan.payload.get("status_id")) if known else None


def _metadata_suspect(rejected: CopyRejected) -> bool:
    return any(issue.path.split(".")[0] in _STALE_METADATA_PATHS for issue in rejected.issues)


def _step_done(created: CreatedCopy, step: str, issues: list[ValidationIssue] | None) -> CreatedCopy:
    flag = f"{step}_written"
    if issues is None:
        return created.model_copy(update={flag: True})
    detail = "; ".join(f"{i.path}: {i.detail or i.code}".strip(": ") for i in issues) or "-"
    problem = worded(step, f"{step}_failed", f"skip-{step}-failed", detail=detail)
    return created.model_copy(update={flag: False, "problems": [*created.problems, problem]})


__all__ = ["CopyEngine"]
