"""Widget settings lookup (pipelines, users, fields, catalogs, presets, licence) and presets CRUD."""

from aws_lambda_powertools.event_handler import Response

from dealcopy import wiring
from dealcopy.copying.rules import parse_rule, validate_rule
from dealcopy.licence import licence_of
from dealcopy.presets_api import PresetBody, preset_id_or_404
from dealcopy.settings_view import settings_payload
from dealcopy.web.entry import http_entry
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


lambda_handler = http_entry(app)
