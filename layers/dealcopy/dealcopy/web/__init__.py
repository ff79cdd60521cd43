"""HTTP edge helpers shared by the API handlers (CORS, problem+json, HTML pages).

Handlers take powertools' HTTP pieces from here (`dealcopy.web.resolver`), never from
`aws_lambda_powertools.event_handler` directly: this package defers that package's `__init__`,
which would load every other resolver powertools ships (`dealcopy.web.deferred_package`).
"""

from dealcopy.web.deferred_package import defer_package_init

defer_package_init("aws_lambda_powertools.event_handler")
