"""HTTP edge helpers shared by the API handlers (CORS, problem+json, HTML pages)."""
