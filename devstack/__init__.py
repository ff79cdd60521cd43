"""Local stack: the real handlers on moto + the amoCRM emulator, with no AWS account and no Docker."""

import sys
from pathlib import Path

# The shared layer and the emulator live in their own folders (as SAM and the tests expect);
# make them importable for `python -m devstack` without an install step.
_ROOT = Path(__file__).resolve().parent.parent
for _path in (_ROOT / "layers" / "dealcopy", _ROOT / "emulator"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
