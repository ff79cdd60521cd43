"""Use cases: one function per route of the layer (HTTP, queue and schedule).

Handlers in `functions/*/app.py` parse the request, call one use case with the
collaborators `wiring` builds, and shape the answer. Use cases speak in domain objects and
`DomainError`s; they never see HTTP (statuses are the edge's, `web/errors.py`).
Modules import lazily what only some routes need, so each function loads only its own.
"""
