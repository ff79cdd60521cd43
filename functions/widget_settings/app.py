"""Widget settings lookup: pipelines, users, fields, catalogs, presets, licence."""

from dealcopy.web.entry import http_entry
from dealcopy.web.problems import not_built_yet
from dealcopy.web.resolver import api_resolver

app = api_resolver(widget_cors=True)


@app.get("/widget/settings")
def widget_settings():
    raise not_built_yet("widget settings")


lambda_handler = http_entry(app)
