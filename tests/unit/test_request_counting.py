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
