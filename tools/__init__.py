"""Operator and developer tools (benchmarks, admin commands)."""
