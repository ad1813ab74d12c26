"""A generated dev suite for quick checks of `arctic eval sql` (NOT the held-out suite).

`write_dev_suite(folder, schemas=8, seed=...)` writes `dev_NN.sqlite` files and `suite.jsonl` in
the eval-suite format, from the same generator as the training data (so it measures fit to the
training distribution, not generalization: use evals/heldout/ for that). Difficulty comes from
the question family.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from pathlib import Path

from arctic_cli.train.data import sql_examples
from arctic_cli.train.holdout import HoldoutGuard

DIFFICULTY = {
    "count": "easy", "list": "easy", "filter": "easy", "null": "easy", "distinct": "easy",
    "compare": "medium", "date": "medium", "aggregate": "medium", "group_by": "medium",
    "having": "medium", "order_limit": "medium", "join1": "medium",
    "join2": "hard", "join3": "hard", "not_in": "hard", "subquery": "hard",
    "flag": "easy", "month": "medium", "two_filters": "medium", "join_agg": "hard",
}  # fmt: skip


def write_dev_suite(folder: Path, schemas: int = 8, seed: int = 20_240_601) -> dict[str, int]:
    """Write the dev suite into `folder`; returns the number of questions per difficulty."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    guard = HoldoutGuard.load()
    lines, counts = [], Counter[str]()
    made = 0
    while made < schemas:
        examples = sql_examples(rng, guard)
        if not examples:
            continue
        db = folder / f"dev_{made:02d}.sqlite"
        db.unlink(missing_ok=True)
        conn = sqlite3.connect(db)
        conn.executescript(examples[0]["db_sql"])
        conn.commit()
        conn.close()
        for ex in examples:
            level = DIFFICULTY[ex["family"]]
            counts[level] += 1
            lines.append({"db": db.name, "question": ex["question"], "gold": ex["gold"],
                          "difficulty": level, "family": ex["family"]})
        made += 1
    (folder / "suite.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return dict(counts)
