"""The amoCRM request rate the tests emulate: one setting for the emulator's accounts and our client.

amoCRM allows 7 requests per second per account. A test that proves the limit holds (no 429, at
most N requests in any window) proves it at any N, so the suites run the emulator and our client
at a faster emulated limit (20/s: about a third of the waiting). The margin that keeps
a burst within the limit is absolute (seconds of jitter), so it is not scaled with the rate.
`make bench` and `make demo` keep amoCRM's 7/s; `DEALCOPY_TEST_AMO_RATE=7 make test` runs the
suites at the real limit. See docs/testing.md.
"""

from __future__ import annotations

import os

AMOCRM_RATE = 7  # amoCRM's documented limit, what production, the demo and the benchmark use
AMO_RATE = int(os.environ.get("DEALCOPY_TEST_AMO_RATE", "20"))
# `python -m devstack up|demo` options that give a local stack the same emulated limit.
STACK_ARGS = ("--amo-rate", str(AMO_RATE))
