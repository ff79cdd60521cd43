"""Test-wide environment: fake AWS credentials and a fixed region before anything imports boto3."""

import os

from hypothesis import HealthCheck, settings

os.environ.update(
    {
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_REGION": "eu-central-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)

# Property tests are reproducible (fixed seed) and judged by what they find, never by how fast they run:
# `make test` runs the 3.11 checks at the lowest CPU priority beside the main run, where one draw can
# wait tens of seconds for a core. Tests state only how many examples they need.
settings.register_profile("suite", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_collection_modifyitems(config, items) -> None:
    """Files holding `slow` tests first, in their order: under `make test`'s xdist options
    (`--dist loadfile --no-loadscope-reorder`) the longest files start at once instead of ending the run alone."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: the order within a file stays
