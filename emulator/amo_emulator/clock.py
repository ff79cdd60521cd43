"""Emulator clock: real time plus an adjustable offset.

Codes, tokens, rate windows and blocks all read this clock, so tests can jump
forward (``POST /_emulator/clock``) instead of sleeping.
"""

from __future__ import annotations

import time


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def now_int(self) -> int:
        return int(self.now())

    def advance(self, seconds: float) -> None:
        self.offset += float(seconds)

    def reset(self) -> None:
        self.offset = 0.0
