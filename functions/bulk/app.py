"""Bulk copy from the lead list: queue up to 250 copies at once (202), then report their progress."""

import json

from aws_lambda_powertools.event_handler import Response

from dealcopy import wiring
from dealcopy.jobs import bulk
from dealcopy.web.entry import http_entry
from dealcopy.web.resolver import api_resolver
from dealcopy.web.session import parse_body

app = api_resolver(widget_cors=True)


@app.post("/copies/bulk")
def start_bulk():
    session = wiring.widget_session(app.current_event.headers, require_licence=True)
    request = parse_body(bulk.BulkRequest, app.current_event.body)
    account_id = session.account.account_id
    preset = wiring.presets().get(account_id, request.preset_id) if request.preset_id else None
    rule = request.resolve(preset)
    wiring.copy_engine(session.account).check_rule(rule)
    answer = bulk.start(
        request,
        account_id=account_id,
        user_id=session.caller.user_id,
        rule=rule,
        store=wiring.job_store(),
        queue=wiring.job_queue(),
    )
    return Response(status_code=202, content_type="application/json", body=json.dumps(answer))


@app.get("/copies/bulk/<batch_id>")
def bulk_progress(batch_id: str):
    session = wiring.widget_session(app.current_event.headers)
    return bulk.progress(wiring.job_store(), session.account.account_id, batch_id, session.account.domain)


lambda_handler = http_entry(app)
