"""amoCRM API v4 adapter: HTTP client, OAuth, rate limiting and typed errors."""
