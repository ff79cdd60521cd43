"""Digital Pipeline webhook: validate, enqueue one copy job, answer at once.

amoCRM's wire format is unconfirmed (JSON documented, form-encoded observed): both are
parsed by `dealcopy.dp.hook`. The answer comes before any amoCRM call: the copy itself is
made by the worker.
"""

from dealcopy import wiring
from dealcopy.dp.hook import HookRejected, parse_hook
from dealcopy.dp.intake import AccountCache, accept
from dealcopy.observability import logger
from dealcopy.web.entry import http_entry
from dealcopy.web.problems import Problem
from dealcopy.web.resolver import api_resolver

app = api_resolver()
accounts = AccountCache(lambda account_id: wiring.accounts().get(account_id))


@app.post("/dp/hook")
def dp_hook():
    event = app.current_event
    try:
        hook = parse_hook(event.decoded_body, event.headers.get("content-type"))
        account = accounts.get(hook.account_id)
        message = accept(hook, account, wiring.client_secret(), wiring.job_queue(), wiring.job_store())
    except HookRejected as err:
        raise Problem(err.status, err.code, err.message_ru, err.message_en, **err.extra) from err
    logger.info("dp hook queued", extra={"account_id": message.account_id, "job_id": message.jobs[0].job_id})
    return {"accepted": True, "job_id": message.jobs[0].job_id}


lambda_handler = http_entry(app)
