"""Digital Pipeline webhook: validate, enqueue one copy job, answer at once."""

from dealcopy.web.entry import http_entry
from dealcopy.web.problems import not_built_yet
from dealcopy.web.resolver import api_resolver

app = api_resolver()


@app.post("/dp/hook")
def dp_hook():
    raise not_built_yet("Digital Pipeline copy")


lambda_handler = http_entry(app)
