"""Repeats («Повторять»), pending delayed DP copies and the copy preview, for the widget.

One function for the schedule routes and the preview: they share the copy engine's metadata
cache (a warm preview costs one amoCRM request) and the scheduler rights stay on one role.
Imports of the use cases are inside the routes: a cold start pays only for the route it serves.
"""

from datetime import UTC, datetime

from dealcopy import wiring
from dealcopy.web.body import body_text, parse_body
from dealcopy.web.entry import http_entry
from dealcopy.web.failures import RequestInvalid, field_problem
from dealcopy.web.problems import language
from dealcopy.web.resolver import Response, api_resolver

app = api_resolver(widget_cors=True)


def _lang() -> str:
    return language(app.current_event.headers.get("accept-language"))


def _lead_id() -> int | None:
    """`?lead_id=` (absent: the whole account), a positive integer or a 400 naming the parameter."""
    raw = (app.current_event.query_string_parameters or {}).get("lead_id")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1 or int(raw) > 2**53:
        raise RequestInvalid([field_problem("lead_id", "bad-lead-id")])
    return int(raw)


@app.post("/repeats")
def create_repeat():
    from dealcopy.usecases.repeats import create_repeat as create

    session = wiring.widget_session(app.current_event.headers, require_licence=True)
    view, created = create(
        body_text(app.current_event),
        session.account.account_id,
        session.caller.user_id,
        repeats=wiring.repeats(),
        rules=wiring.rule_book(session.account),
        now=datetime.now(UTC),
        lang=_lang(),
    )
    return Response(status_code=201 if created else 200, content_type="application/json", body=_json(view))


@app.get("/repeats")
def list_repeats():
    from dealcopy.usecases.repeats import list_repeats as listing

    session = wiring.widget_session(app.current_event.headers)
    return listing(session.account.account_id, _lead_id(), repeats=wiring.repeats(), lang=_lang())


@app.patch("/repeats/<repeat_id>")
def change_repeat(repeat_id: str):
    from dealcopy.usecases.repeats import change_repeat as change

    session = wiring.widget_session(app.current_event.headers)
    body = body_text(app.current_event)
    now = datetime.now(UTC)
    return change(body, session.account.account_id, repeat_id, repeats=wiring.repeats(), now=now, lang=_lang())


@app.delete("/repeats/<repeat_id>")
def delete_repeat(repeat_id: str):
    from dealcopy.usecases.repeats import delete_repeat as delete

    session = wiring.widget_session(app.current_event.headers)
    delete(session.account.account_id, repeat_id, repeats=wiring.repeats())
    return Response(status_code=204)


@app.get("/scheduled")
def list_scheduled():
    from dealcopy.usecases.repeats import list_scheduled as listing

    session = wiring.widget_session(app.current_event.headers)
    return listing(session.account.account_id, _lead_id(), delayed=wiring.delayed_copies())


@app.delete("/scheduled/<pending_id>")
def cancel_scheduled(pending_id: str):
    from dealcopy.usecases.repeats import cancel_scheduled as cancel

    session = wiring.widget_session(app.current_event.headers)
    cancel(session.account.account_id, pending_id, delayed=wiring.delayed_copies())
    return Response(status_code=204)


@app.post("/copies/preview")
def preview_copy():
    from dealcopy.usecases.preview import PreviewRequest, preview_copy

    session = wiring.widget_session(app.current_event.headers, require_licence=True)
    body = parse_body(PreviewRequest, app.current_event)
    return preview_copy(body, session.caller.user_id, rules=wiring.rule_book(session.account))


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


lambda_handler = http_entry(app)
