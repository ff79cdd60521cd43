"""Every amoCRM request is counted: in-process for tests/benchmarks, and as a CloudWatch metric."""

from dealcopy.amo.counting import RequestCounter
from dealcopy.observability import metrics


def test_counter_and_metric_record_each_request():
    metrics.clear_metrics()
    counter = RequestCounter()
    counter.record("1", 200)
    counter.record("1", 429)
    counter.record("2", 0)  # a timeout: sent, no answer
    assert counter.total() == 3 and counter.total("1") == 2
    assert counter.by_status() == {200: 1, 429: 1, 0: 1}
    assert metrics.metric_set["AmoRequests"]["Value"] == [1.0, 1.0, 1.0]
    assert metrics.metric_set["AmoRateLimited"]["Value"] == [1.0]
    metrics.clear_metrics()


def test_waits_for_a_send_slot_and_give_ups_are_metrics():
    metrics.clear_metrics()
    counter = RequestCounter()
    counter.waited(0.0)  # no wait: no data point
    counter.waited(0.25)
    counter.exhausted()
    assert metrics.metric_set["AmoRateLimitWait"]["Value"] == [0.25]
    assert metrics.metric_set["AmoRateLimitWait"]["Unit"] == "Seconds"
    assert metrics.metric_set["AmoBudgetExhausted"]["Value"] == [1.0]
    metrics.clear_metrics()
