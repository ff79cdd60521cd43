"""Manual copy of a lead from the widget."""

from dealcopy.web.entry import http_entry
from dealcopy.web.problems import not_built_yet
from dealcopy.web.resolver import api_resolver

app = api_resolver(widget_cors=True)


@app.post("/copies")
def create_copy():
    raise not_built_yet("manual copy")


lambda_handler = http_entry(app)
