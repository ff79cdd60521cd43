"""`make bench`'s scale runs: several Lambda instances on one account, many accounts at once.

`python -m tools.bench_scale` runs both and writes their section of BENCHMARKS.md; see `__main__`.
"""

from tools import bench as _bench  # noqa: F401 - puts the layer and the emulator on sys.path, as for `make bench`
