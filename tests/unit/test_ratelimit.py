import threading
import time

from dealcopy.amo.ratelimit import LimiterRegistry, SlidingWindowLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_eighth_request_waits_for_the_window_to_slide():
    clock = FakeClock()
    limiter = SlidingWindowLimiter(rate=7, window=1.0, margin=0.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(8)]
    assert waits[:7] == [0.0] * 7
    assert waits[7] == 1.0
    assert clock.now == 1.0


def test_sends_spread_never_exceed_rate_in_any_window():
    clock = FakeClock()
    limiter = SlidingWindowLimiter(rate=3, window=1.0, margin=0.1, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(20):
        limiter.acquire()
        sent.append(clock.now)
        clock.now += 0.05
    for i, t in enumerate(sent):
        in_window = [s for s in sent[i:] if s - t < 1.0]  # the server's window
        assert len(in_window) <= 3


def test_threads_share_one_limiter_per_account():
    registry = LimiterRegistry(lambda: SlidingWindowLimiter(rate=5, window=0.5, margin=0.0))
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        limiter = registry.for_account("42")
        for _ in range(5):
            limiter.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps.sort()
    assert len(stamps) == 20
    for i, t in enumerate(stamps):
        assert len([s for s in stamps[i:] if s - t < 0.5 - 0.01]) <= 5
    assert registry.for_account("42") is registry.for_account("42")
    assert registry.for_account("42") is not registry.for_account("43")
