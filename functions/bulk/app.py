"""Bulk copy from the lead list: queue up to 250 copies at once (202), then report their progress."""

import json

from dealcopy import wiring
from dealcopy.usecases import bulk
from dealcopy.usecases.bulk import BulkRequest
from dealcopy.usecases.family import FamilyRequest, copy_family
from dealcopy.web.body import parse_body
from dealcopy.web.entry import http_entry
from dealcopy.web.failures import RequestInvalid, field_problem
from dealcopy.web.resolver import Response, api_resolver

app = api_resolver(widget_cors=True)


@app.post("/copies/bulk")
def start_bulk():
    session = wiring.widget_session(app.current_event.headers, require_licence=True)
    request = parse_body(BulkRequest, app.current_event)
    answer = bulk.start_bulk(
        request,
        session.account,
        session.caller,
        rules=wiring.rule_book(session.account),
        batches=wiring.batches(),
        queue=wiring.job_queue(),
        jobs=wiring.job_records(),
    )
    return Response(status_code=202, content_type="application/json", body=json.dumps(answer))


@app.get("/copies/bulk/<batch_id>")
def bulk_progress(batch_id: str):
    session = wiring.widget_session(app.current_event.headers)
    return bulk.bulk_progress(session.account, batch_id, batches=wiring.batches(), jobs=wiring.job_records())


@app.get("/copies/family")
def family():
    """A deal's origin and its copies three generations down (the card's «Копии сделки»)."""
    session = wiring.widget_session(app.current_event.headers)
    raw = (app.current_event.query_string_parameters or {}).get("lead_id") or ""
    if not raw.isdigit() or not 1 <= int(raw) <= 2**53:
        raise RequestInvalid([field_problem("lead_id", "bad-lead-id")])
    request = FamilyRequest(lead_id=int(raw))
    engine = wiring.rule_book(session.account).engine
    return copy_family(request, session.account.account_id, lineage=wiring.lineage(), engine=engine)


lambda_handler = http_entry(app)
