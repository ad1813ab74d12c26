"""`arctic eval sql SUITE.jsonl` as a function: run a predictor on every question, score by execution.

A suite is JSON lines `{"db": path relative to the suite file, "question", "gold", "difficulty"}`.
Every gold query is run first (a suite whose gold fails is bad input, exit 2). Then for each item
`predict(question, db_path) -> (sql, valid, attempts)` is timed, the predicted query is run
read-only (SQLite `mode=ro` + `query_only`, a time limit) and compared with the gold result by
`compare.results_match`. Scores: execution accuracy, valid-SQL rate and latency per difficulty.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from arctic_cli.errors import ArcticError, UsageError
from arctic_cli.evaluation.compare import has_top_level_order_by, results_match

Predict = Callable[[str, Path], tuple[str, bool, int]]
DIFFICULTIES = ("easy", "medium", "hard")
MAX_ROWS = 100_000


@dataclass
class SuiteItem:
    db: Path
    question: str
    gold: str
    difficulty: str


@dataclass
class ItemResult:
    question: str
    db: str
    difficulty: str
    gold: str
    predicted: str
    valid: bool
    correct: bool
    attempts: int
    seconds: float
    error: str | None = None


@dataclass
class EvalReport:
    suite: str
    items: list[ItemResult] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, Any]]:
        """{difficulty or "all": n, execution_accuracy, valid_rate, latency_mean_s, latency_p50_s}."""
        groups = {d: [r for r in self.items if r.difficulty == d] for d in DIFFICULTIES}
        groups.update({d: [r for r in self.items if r.difficulty == d] for d in {r.difficulty for r in self.items} - set(groups)})
        groups["all"] = list(self.items)
        out = {}
        for name, rs in groups.items():
            if not rs:
                continue
            times = [r.seconds for r in rs]
            out[name] = {
                "n": len(rs), "correct": sum(r.correct for r in rs), "valid": sum(r.valid for r in rs),
                "execution_accuracy": sum(r.correct for r in rs) / len(rs),
                "valid_rate": sum(r.valid for r in rs) / len(rs),
                "latency_mean_s": statistics.fmean(times), "latency_p50_s": statistics.median(times),
            }  # fmt: skip
        return out

    def to_json(self) -> dict[str, Any]:
        return {"suite": self.suite, "summary": self.summary(), "items": [asdict(r) for r in self.items]}


def load_suite(path: Path) -> list[SuiteItem]:
    from arctic_cli import textfiles

    lines = textfiles.read_text(path, "suite", hint="pass a JSONL file").splitlines()
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            db = (path.parent / obj["db"]).resolve()
            item = SuiteItem(db, str(obj["question"]), str(obj["gold"]), str(obj.get("difficulty", "unknown")))
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise UsageError(f"{path}:{n}: not a suite line ({type(e).__name__}: {e})",
                             hint='each line is {"db", "question", "gold", "difficulty"}') from None
        if not db.is_file():
            raise UsageError(f"{path}:{n}: database not found: {db}", hint="db paths are relative to the suite file")
        items.append(item)
    if not items:
        raise UsageError(f"the suite {path} has no questions", hint="add JSON lines")
    return items


def run_readonly(db: Path, sql: str, timeout: float = 10.0) -> list[tuple[Any, ...]]:
    """All rows of `sql` on the SQLite file `db`, opened read-only; raises sqlite3.Error."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA query_only = ON")
        deadline = time.monotonic() + timeout
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        rows = conn.execute(sql).fetchmany(MAX_ROWS)
        return rows
    finally:
        conn.close()


def evaluate_sql(
    suite_path: Path | str,
    predict: Predict,
    *,
    limit: int | None = None,
    timeout: float = 10.0,
    on_item: Callable[[ItemResult], None] | None = None,
) -> EvalReport:
    """Score `predict` on the suite (the first `limit` questions); see the module docstring."""
    path = Path(suite_path)
    items = load_suite(path)[:limit]
    golds = []
    for item in items:
        try:
            golds.append(run_readonly(item.db, item.gold, timeout))
        except sqlite3.Error as e:
            raise UsageError(f"gold query failed on {item.db.name}: {e}: {item.gold}", hint="fix the suite") from None
    report = EvalReport(str(path))
    for item, gold_rows in zip(items, golds, strict=True):
        result = _score(item, gold_rows, predict, timeout)
        report.items.append(result)
        if on_item:
            on_item(result)
    return report


def _score(item: SuiteItem, gold_rows: list[tuple[Any, ...]], predict: Predict, timeout: float) -> ItemResult:
    start = time.perf_counter()
    error = None
    try:
        sql, valid, attempts = predict(item.question, item.db)
    except ArcticError as e:  # the model could not answer this one: counted as wrong, not fatal
        sql, valid, attempts, error = "", False, 0, e.message
    seconds = time.perf_counter() - start
    correct = False
    if sql.strip():
        try:
            pred_rows = run_readonly(item.db, sql, timeout)
            correct = results_match(gold_rows, pred_rows, ordered=has_top_level_order_by(item.gold))
        except (sqlite3.Error, sqlite3.Warning) as e:
            error = f"execution: {e}"
    rel = item.db.name
    return ItemResult(item.question, rel, item.difficulty, item.gold, sql, valid, correct, attempts, seconds, error)
