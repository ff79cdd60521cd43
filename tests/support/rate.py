"""The amoCRM request rates the tests emulate: one setting for the emulator's accounts and our client.

amoCRM allows 7 requests per second per account. A test that proves the limit holds (no 429, at
most N requests in any window) proves it at any N, so those tests run the emulator and our client
at a faster emulated limit, `AMO_RATE` (20/s: about a third of the waiting). The margin that keeps
a burst within the limit is absolute (seconds of jitter), so it is not scaled with the rate.

Local stacks (`STACK_ARGS`: the browser, DP and HTTP suites) test what a copy does, not how fast it may
go, so they run at `STACK_RATE` (100/s): the same pacing code and the same budget, with less waiting.
`make bench` and `make demo` keep amoCRM's 7/s; `DEALCOPY_TEST_AMO_RATE=7 make test` runs every suite
at the real limit. See docs/testing.md.
"""

from __future__ import annotations

import os

AMOCRM_RATE = 7  # amoCRM's documented limit, what production, the demo and the benchmark use
_ASKED = os.environ.get("DEALCOPY_TEST_AMO_RATE")
AMO_RATE = int(_ASKED or "20")  # tests of the limit itself: the client, the shared budget
STACK_RATE = int(_ASKED or "100")  # local stacks, whose tests are about something other than the rate
# `python -m devstack up|demo` options that give a local stack its emulated limit.
STACK_ARGS = ("--amo-rate", str(STACK_RATE))
