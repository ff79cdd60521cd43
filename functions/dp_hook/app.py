"""Digital Pipeline webhook: validate, enqueue one copy job, answer at once.

amoCRM's wire format is unconfirmed (JSON documented, form-encoded observed): both are
parsed by `dealcopy.dp.hook`. The answer comes before any amoCRM call: the copy itself is
made by the worker. Refusals (`dealcopy.dp.errors`) become problem+json at the edge.

Keep this import path light: amoCRM waits on this answer, and importing this module must stay
<= 1.5x a bare `import boto3` (`python -m tools.bench imports`). Nothing here or in
`usecases.hook` / `dp.intake` / `dp.hook` may import the copy engine, the rule model
(`copying.rules`), job records (`records.job`: use `records.job_message`), sessions or httpx at module
level; the worker parses and checks the signed rule. Import anything heavier inside a function.
"""

from dealcopy import wiring
from dealcopy.dp.intake import AccountCache
from dealcopy.observability import logger
from dealcopy.usecases.hook import accept_hook
from dealcopy.web.body import body_text
from dealcopy.web.entry import http_entry
from dealcopy.web.resolver import api_resolver

app = api_resolver()
accounts = AccountCache(wiring.account_of)


@app.post("/dp/hook")
def dp_hook():
    event = app.current_event
    message = accept_hook(
        body_text(event),
        event.headers.get("content-type"),
        accounts=accounts,
        client_secret=wiring.client_secret,
        queue=wiring.job_queue(),
        dp_rules=wiring.dp_rules(),
        follow=wiring.follow_hook,
    )
    logger.info("dp hook queued", extra={"account_id": message.account_id, "job_id": message.jobs[0].job_id})
    return {"accepted": True, "job_id": message.jobs[0].job_id}


lambda_handler = http_entry(app)
