"""Widget settings lookup (pipelines, users, fields, catalogs, presets, licence), presets CRUD,
DP rule signing and the recent activity.


Imports of the copy engine, rules and models are inside the routes that use them: a cold
start pays only for the route it serves (amoCRM waits on it).
"""

from dealcopy import wiring
from dealcopy.web.body import parse_body
from dealcopy.web.entry import http_entry
from dealcopy.web.failures import AdminOnly
from dealcopy.web.resolver import Response, api_resolver

app = api_resolver(widget_cors=True)


@app.get("/widget/settings")
def widget_settings():
    from dataclasses import replace

    from dealcopy.settings_view import disconnected_payload, settings_payload
    from dealcopy.usecases.settings import settings_lookup
    from dealcopy.web.problems import language

    lang = language(app.current_event.headers.get("accept-language"))
    session = wiring.widget_session(app.current_event.headers, allow_disconnected=True)
    if not session.account.is_active:
        return disconnected_payload(session, lang)
    found = settings_lookup(
        session.account,
        rules=wiring.rule_book(session.account),
        viewer=session.caller.user_id,
        keep_zone=wiring.keep_zone,
    )
    session = replace(session, account=found.account or session.account)
    return settings_payload(session, found.metadata, found.presets, found.licence, refused=found.refused, lang=lang)


@app.get("/widget/leads")
def widget_leads():
    """Deals by name (`?ids=1,2&with=elements`) for results, list rows, the journal and the card's tree."""
    from dealcopy.usecases.lead_view import lead_views, parse_ids

    session = wiring.widget_session(app.current_event.headers)
    query = app.current_event.query_string_parameters or {}
    return lead_views(
        parse_ids(query.get("ids")),
        session.caller.user_id,
        rules=wiring.rule_book(session.account),
        with_elements=query.get("with") == "elements",
    )


@app.get("/widget/presets/<preset_id>")
def get_preset(preset_id: str):
    from dealcopy.presets_api import preset_id_or_404
    from dealcopy.usecases.presets import get_preset as find_preset

    session = wiring.widget_session(app.current_event.headers)
    found = find_preset(session.account.account_id, preset_id, presets=wiring.presets())
    return preset_id_or_404(found, preset_id).model_dump()


@app.put("/widget/presets/<preset_id>")
def put_preset(preset_id: str):
    from dealcopy.presets_api import PresetBody
    from dealcopy.usecases.presets import save_preset

    session = wiring.widget_session(app.current_event.headers)
    body = parse_body(PresetBody, app.current_event)
    return save_preset(preset_id, body, session.caller, rules=wiring.rule_book(session.account)).model_dump()


@app.delete("/widget/presets/<preset_id>")
def delete_preset(preset_id: str):
    from dealcopy.presets_api import preset_id_or_404
    from dealcopy.usecases.presets import delete_preset as remove_preset

    session = wiring.widget_session(app.current_event.headers)
    removed = remove_preset(session.account.account_id, preset_id, session.caller, presets=wiring.presets())
    preset_id_or_404(removed or None, preset_id)
    return Response(status_code=204)


@app.post("/widget/dp/sign")
def sign_dp_rule():
    """Validate a DP rule and sign it for this account; the widget stores both strings in the DP settings."""
    from dealcopy.usecases.signing import SignRequest
    from dealcopy.usecases.signing import sign_dp_rule as sign_rule

    session = wiring.widget_session(app.current_event.headers)
    if not session.caller.is_admin:
        raise AdminOnly()
    body = parse_body(SignRequest, app.current_event)
    return sign_rule(
        session.account,
        session.caller,
        body,
        rules=wiring.rule_book(session.account),
        signatures=wiring.signatures(),
        client_secrets=wiring.client_secrets,
    )


@app.get("/widget/activity")
def widget_activity():
    """The last 20 copies and failures of the caller's account (manual, DP and bulk)."""
    from dealcopy.usecases.activity import activity

    session = wiring.widget_session(app.current_event.headers)
    return activity(session.account.account_id, log=wiring.activity_log())


lambda_handler = http_entry(app)
