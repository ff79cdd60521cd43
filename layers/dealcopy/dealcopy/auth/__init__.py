"""Authentication of widget calls (amoCRM one-time tokens)."""
