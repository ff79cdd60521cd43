"""Fixtures of the hostile-input tests: the DP tests' local stack and in-process moto."""

from tests.dp.conftest import aws, dp_stack  # noqa: F401 - the same fixtures, for this directory
