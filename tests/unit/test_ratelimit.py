"""The in-process throttle and the budget every instance shares (docs/limits.md)."""

import itertools
import threading
import time

import pytest

from dealcopy.amo.budget import BudgetUnavailable, SharedBudget, SlotStoreUnavailable
from dealcopy.amo.ratelimit import LimiterRegistry, SlidingWindowLimiter
from dealcopy.storage.budget import DynamoSlotStore


class FakeClock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

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
    registry = LimiterRegistry(lambda _key: SlidingWindowLimiter(rate=5, window=0.5, margin=0.0))
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


# --- the budget shared by every instance (DynamoDB, moto in-process) ------------------------------


EPOCH = 1_700_000_000.0  # the budget stores epoch seconds: a fake clock starts at a real time


@pytest.fixture
def lone(aws):
    """The only instance of an account, booking up to 4 slots per call: `(clock, budget)`."""
    clock = FakeClock(EPOCH)
    (budget,) = _instances(aws, clock, count=1, batch=4)
    return clock, budget


def _instances(aws, clock, count=3, **options):
    """`count` processes' budgets for one account: separate stores and pools, one DynamoDB table."""
    table = aws.table("AmoBudgetTable")
    return [
        SharedBudget("30000001", DynamoSlotStore(table), clock=clock, sleep=clock.sleep, **options)
        for _ in range(count)
    ]


def test_instances_sharing_the_table_never_get_slots_closer_than_the_interval(aws):
    clock = FakeClock(EPOCH)
    budgets = _instances(aws, clock)
    sent = []
    for i in range(60):  # interleaved like concurrent Lambda instances
        budgets[i % 3].acquire()
        sent.append(clock.now)
    sent.sort()
    interval = budgets[0].interval
    assert interval == pytest.approx(1.1 / 7)
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert min(gaps) >= interval - 1e-6
    for i, t in enumerate(sent):
        assert len([s for s in sent[i:] if s - t < 1.0]) <= 7  # amoCRM's window


def test_a_busy_instance_books_several_slots_per_dynamodb_call(lone):
    _, budget = lone
    for _ in range(40):
        budget.acquire()
    # 1 slot per call for the first 4 requests, then 2, 3 and 4 while it keeps asking faster than the interval
    assert budget.store_calls <= 15
    assert budget.wasted == 0


def test_an_idle_instance_books_one_slot_at_a_time_and_waits_nothing(lone):
    clock, budget = lone
    waits = []
    for _ in range(5):
        waits.append(budget.acquire())
        clock.now += 5  # one request every few seconds
    assert budget.store_calls == 5
    assert max(waits) <= 0.05


def test_a_caller_slower_than_the_interval_never_waits_on_the_schedule(lone):
    clock, budget = lone
    waits = []
    for _ in range(30):
        waits.append(budget.acquire())
        clock.now += budget.interval * 1.2  # the request and the work after it take a little longer
    assert max(waits) <= 0.021  # at most the expected store round trip, never a slot booked ahead
    assert budget.store_calls == 30  # one slot per call, one DynamoDB call per request
    assert budget.wasted == 0


def test_a_slot_woken_up_to_too_late_is_given_up_never_used(aws):
    clock = FakeClock(EPOCH)
    overslept = [0.3]  # the first sleep ends 0.3 s late, as in a starved process

    def sleep(seconds: float) -> None:
        clock.now += seconds + (overslept.pop() if overslept else 0.0)

    budget = SharedBudget("30000001", DynamoSlotStore(aws.table("AmoBudgetTable")), clock=clock, sleep=sleep)
    budget.acquire()
    assert budget.wasted == 1  # the first slot passed while asleep: booked again, not used late
    assert budget.store_calls == 2


class ThrottledStore:
    """DynamoDB answering ProvisionedThroughputExceeded to every call (moto cannot throttle)."""

    def __init__(self) -> None:
        self.calls = 0

    def reserve(self, *_args):
        self.calls += 1
        raise SlotStoreUnavailable("ProvisionedThroughputExceededException")


def test_a_throttled_store_means_waiting_then_a_temporary_error_never_an_unbooked_send():
    clock = FakeClock()
    store = ThrottledStore()
    budget = SharedBudget("1", store, max_wait=2.0, clock=clock, sleep=clock.sleep)
    with pytest.raises(BudgetUnavailable):
        budget.acquire()
    assert store.calls > 3
    assert clock.now <= 2.0


def test_a_schedule_booked_beyond_the_horizon_makes_newcomers_wait(aws):
    clock = FakeClock(EPOCH)
    hog, newcomer = _instances(aws, clock, count=2, horizon=1.0, max_wait=0.5)
    store = DynamoSlotStore(aws.table("AmoBudgetTable"))
    assert store.reserve("30000001", 20, hog.interval, clock.now, 5.0) is not None  # ~3 s booked ahead
    with pytest.raises(BudgetUnavailable):
        newcomer.acquire()
