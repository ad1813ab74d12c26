"""Build the held-out suite's SQLite files from their hand-written .sql sources and check the suite.

    python evals/heldout/build.py          # rebuild every <name>.sqlite from <name>.sql, then check
    python evals/heldout/build.py --check  # only check: every gold query runs and returns rows

Both the .sql sources and the built .sqlite files are committed; tests/evaluation checks that
they agree and that every gold query returns rows.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(sql_path: Path) -> Path:
    db = sql_path.with_suffix(".sqlite")
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    try:
        conn.executescript(sql_path.read_text(encoding="utf-8"))
        conn.commit()
    finally:
        conn.close()
    return db


def check(suite: Path = HERE / "suite.jsonl") -> list[str]:
    """Problems with the suite: gold queries that fail or return no rows, unknown databases."""
    problems = []
    for n, line in enumerate(suite.read_text(encoding="utf-8").splitlines(), 1):
        item = json.loads(line)
        db = suite.parent / item["db"]
        if not db.is_file():
            problems.append(f"line {n}: no database {db.name}")
            continue
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(item["gold"]).fetchall()
            if not rows or rows == [(None,)] or rows == [(0,)]:
                problems.append(f"line {n}: gold returns no rows (or only 0/NULL): {item['gold']}")
        except sqlite3.Error as e:
            problems.append(f"line {n}: {e}: {item['gold']}")
        finally:
            conn.close()
    return problems


def main(argv: list[str], folder: Path = HERE) -> int:
    """Build (unless --check) and check the suite in `folder` (evals/realdev/build.py reuses it)."""
    if "--check" not in argv:
        for sql_path in sorted(folder.glob("*.sql")):
            print(f"built {build(sql_path).name}")
    problems = check(folder / "suite.jsonl")
    for p in problems:
        print(p, file=sys.stderr)
    items = [json.loads(line) for line in (folder / "suite.jsonl").read_text(encoding="utf-8").splitlines()]
    print(f"{len(items)} questions on {len({i['db'] for i in items})} databases:",
          dict(sorted(Counter(i["difficulty"] for i in items).items())))
    for db, n in sorted(Counter(i["db"] for i in items).items()):
        print(f"  {db}: {n}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
