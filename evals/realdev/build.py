"""Build the realdev (tuning) suite's SQLite files from their hand-written .sql sources and check the suite.

    python evals/realdev/build.py          # rebuild every <name>.sqlite from <name>.sql, then check
    python evals/realdev/build.py --check  # only check: every gold query runs and returns rows

This suite is for TUNING decisions (decoding settings, grammar rules, model choice). Its four
domains do not appear in evals/heldout/ (library lending, manufacturing shop floor, insurance
claims, university registration), so evals/heldout/ stays untouched for the numbers we report.
Building and checking are evals/heldout/build.py's, run on this folder.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _heldout_build():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("heldout_build", HERE.parent / "heldout" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(_heldout_build().main(sys.argv[1:], HERE))
