"""Build the realdev (tuning) suite's SQLite files from their hand-written .sql sources and check the suite.

    python evals/realdev/build.py          # rebuild every <name>.sqlite from <name>.sql, then check
    python evals/realdev/build.py --check  # only check: every gold query runs and returns rows

This suite is for TUNING decisions (decoding settings, model choice). It uses four domains that do
not appear in evals/heldout/ (library lending, manufacturing shop floor, insurance claims,
university registration), so that evals/heldout/ stays untouched for the numbers we report.
The build and check logic is reused from evals/heldout/build.py rather than duplicated.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITE = HERE / "suite.jsonl"


def _heldout_build():
    spec = importlib.util.spec_from_file_location("heldout_build", HERE.parent / "heldout" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_hb = _heldout_build()
build = _hb.build


def check(suite: Path = SUITE) -> list[str]:
    """Problems with the suite: gold queries that fail or return no rows, unknown databases."""
    return _hb.check(suite)


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        for sql_path in sorted(HERE.glob("*.sql")):
            print(f"built {build(sql_path).name}")
    problems = check()
    for p in problems:
        print(p, file=sys.stderr)
    items = [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines()]
    print(f"{len(items)} questions on {len({i['db'] for i in items})} databases:",
          dict(sorted(Counter(i["difficulty"] for i in items).items())))
    for db, n in sorted(Counter(i["db"] for i in items).items()):
        print(f"  {db}: {n}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
