"""Widget settings lookup (pipelines, users, fields, catalogs, presets, licence), presets CRUD,
DP rule signing and the recent activity."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ConfigDict

from dealcopy import wiring
from dealcopy.copying.rules import parse_rule, validate_rule
from dealcopy.licence import licence_of
from dealcopy.presets_api import PresetBody, preset_id_or_404
from dealcopy.settings_view import settings_payload
from dealcopy.web.entry import http_entry
from dealcopy.web.problems import Problem
from dealcopy.web.resolver import api_resolver
from dealcopy.web.session import parse_body

app = api_resolver(widget_cors=True)


@app.get("/widget/settings")
def widget_settings():
    session = wiring.widget_session(app.current_event.headers)
    metadata = wiring.copy_engine(session.account).metadata()
    presets = wiring.presets().list(session.account.account_id)
    return settings_payload(session, metadata, presets, licence_of(session.account))


@app.get("/widget/presets/<preset_id>")
def get_preset(preset_id: str):
    session = wiring.widget_session(app.current_event.headers)
    return preset_id_or_404(wiring.presets().get(session.account.account_id, preset_id), preset_id).model_dump()


@app.put("/widget/presets/<preset_id>")
def put_preset(preset_id: str):
    session = wiring.widget_session(app.current_event.headers)
    body = parse_body(PresetBody, app.current_event.body)
    rule = parse_rule(body.rule)
    validate_rule(rule, wiring.copy_engine(session.account).metadata())
    preset = body.to_preset(preset_id, rule, session.caller.user_id)
    return wiring.presets().put(session.account.account_id, preset).model_dump()


@app.delete("/widget/presets/<preset_id>")
def delete_preset(preset_id: str):
    session = wiring.widget_session(app.current_event.headers)
    preset_id_or_404(wiring.presets().delete(session.account.account_id, preset_id) or None, preset_id)
    return Response(status_code=204)


class SignBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: dict[str, Any] | str


@app.post("/widget/dp/sign")
def sign_dp_rule():
    """Validate a DP rule and sign it for this account; the widget stores both strings in the DP settings."""
    from dealcopy.dp.signing import canonical_rule, rule_hash, sign

    session = wiring.widget_session(app.current_event.headers)
    if not session.caller.is_admin:
        raise Problem(
            403,
            "admin-only",
            "Настраивать цифровую воронку может только администратор аккаунта.",
            "Only an account administrator can configure the Digital Pipeline.",
        )
    body = parse_body(SignBody, app.current_event.body)
    rule = parse_rule(body.rule)
    validate_rule(rule, wiring.copy_engine(session.account).metadata())
    canonical = canonical_rule(rule)
    account_id = session.account.account_id
    wiring.job_store().record_signature(account_id, rule_hash(canonical), session.caller.user_id)
    return {"rule": canonical, "signature": sign(wiring.client_secret(), account_id, canonical)}


@app.get("/widget/activity")
def widget_activity():
    """The last 20 copies and failures of the caller's account (manual, DP and bulk)."""
    from dealcopy.jobs.activity import recent

    session = wiring.widget_session(app.current_event.headers)
    return recent(wiring.job_store(), session.account.account_id)


lambda_handler = http_entry(app)
