"""`evaluate_sql` on a tiny suite with a scripted predictor, and the shipped held-out suite itself."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tiny_suite import ITEMS, make_suite

from arctic_cli.errors import RuntimeFailure, UsageError
from arctic_cli.evaluation.sql_eval import evaluate_sql, load_suite

HELDOUT = Path(__file__).resolve().parents[2] / "evals" / "heldout"
REALDEV = HELDOUT.parent / "realdev"  # the hand-written tuning suite


ANSWERS = {
    "How many customers?": ("SELECT COUNT(id) AS n FROM customers", True, 1),  # right
    "Names by id": ("SELECT name FROM customers ORDER BY id DESC", True, 1),  # wrong order
    "Cities": ("SELECT city, name FROM customers WHERE NOT city IS NULL", True, 2),  # right, columns swapped
    "Who has no city?": ("SELECT nme FROM customers", False, 3),  # invalid
}


def scripted(question: str, db: Path) -> tuple[str, bool, int]:
    assert db.name == "shop.sqlite" and db.is_absolute()
    return ANSWERS[question]


def test_scores_per_difficulty(tmp_path: Path) -> None:
    report = evaluate_sql(make_suite(tmp_path, ITEMS), scripted)
    s = report.summary()
    assert [r.correct for r in report.items] == [True, False, True, False]
    assert (s["easy"]["n"], s["easy"]["execution_accuracy"], s["easy"]["valid_rate"]) == (1, 1.0, 1.0)
    assert s["medium"]["execution_accuracy"] == 0.0
    assert (s["hard"]["n"], s["hard"]["correct"], s["hard"]["valid"]) == (2, 1, 1)
    assert (s["all"]["execution_accuracy"], s["all"]["valid_rate"]) == (0.5, 0.75)
    assert list(s) == ["easy", "medium", "hard", "all"]
    assert report.items[3].error is not None and "nme" in report.items[3].error
    data = report.to_json()
    assert json.loads(json.dumps(data))["items"][2]["attempts"] == 2


def test_limit_and_model_failures(tmp_path: Path) -> None:
    def failing(question: str, db: Path) -> tuple[str, bool, int]:
        raise RuntimeFailure("out of memory")

    report = evaluate_sql(make_suite(tmp_path, ITEMS), failing, limit=2)
    assert len(report.items) == 2
    assert all(not r.correct and not r.valid and r.error == "out of memory" for r in report.items)


def test_predicted_writes_are_refused_and_change_nothing(tmp_path: Path) -> None:
    suite = make_suite(tmp_path, ITEMS[:1])
    report = evaluate_sql(suite, lambda q, db: ("DELETE FROM customers", True, 1))
    assert not report.items[0].correct and "execution" in (report.items[0].error or "")
    conn = sqlite3.connect(tmp_path / "shop.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (3,)
    conn.close()


def test_bad_suites_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="gold query failed"):
        evaluate_sql(make_suite(tmp_path, [{"question": "q", "gold": "SELECT nope FROM customers"}]), scripted)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q"}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="not a suite line"):
        load_suite(bad)
    bad.write_text('{"db": "missing.sqlite", "question": "q", "gold": "SELECT 1"}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="database not found"):
        load_suite(bad)
    with pytest.raises(UsageError, match="suite .* does not exist"):
        load_suite(tmp_path / "nope.jsonl")


@pytest.mark.parametrize(("suite", "databases"), [(HELDOUT, 5), (REALDEV, 4)], ids=["heldout", "realdev"])
def test_hand_written_suite_is_complete_and_every_gold_answers(suite: Path, databases: int) -> None:
    items = load_suite(suite / "suite.jsonl")
    assert 60 <= len(items) <= 100
    assert len({i.db for i in items}) == databases
    assert {i.difficulty for i in items} == {"easy", "medium", "hard"}
    report = evaluate_sql(suite / "suite.jsonl", lambda q, db: (next(i.gold for i in items if i.question == q), True, 1))
    assert all(r.correct for r in report.items)  # gold against itself: the harness agrees with itself
    for item in items:
        conn = sqlite3.connect(f"{item.db.as_uri()}?mode=ro", uri=True)
        rows = conn.execute(item.gold).fetchall()
        conn.close()
        assert rows and rows != [(None,)] and rows != [(0,)], item.question


@pytest.mark.parametrize(
    "sql_file", sorted([*HELDOUT.glob("*.sql"), *REALDEV.glob("*.sql")]), ids=lambda p: p.stem
)
def test_committed_databases_match_their_sources(sql_file: Path) -> None:
    fresh = sqlite3.connect(":memory:")
    fresh.executescript(sql_file.read_text(encoding="utf-8"))
    built = sqlite3.connect(f"{sql_file.with_suffix('.sqlite').as_uri()}?mode=ro", uri=True)
    assert list(fresh.iterdump()) == list(built.iterdump())
