"""`arctic eval sql` through the real Typer app and the real `arctic sql` pipeline, scripted model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tiny_suite import ITEMS, make_suite
from typer.testing import CliRunner

from arctic_cli import backends
from arctic_cli.backends import GenParams, Message, Usage
from arctic_cli.cli import app

ANSWERS = {
    "How many customers?": "```sql\nSELECT COUNT(*) FROM customers\n```",
    "Names by id": "```sql\nSELECT name FROM customers ORDER BY id\n```",
    "Cities": "```sql\nSELECT name FROM customers\n```",  # valid but wrong
    "Who has no city?": "```sql\nSELECT nme FROM customers\n```",  # invalid every time
}


class ByQuestion:
    """A test double for a model: answers each question with its scripted text."""

    name = "scripted"
    context_window = 4096

    def __init__(self) -> None:
        self.calls = 0

    def count_tokens(self, messages: list[Message]) -> int:
        return sum(len(m["content"].split()) + 2 for m in messages)

    def stream(self, messages: list[Message], params: GenParams, usage: Usage) -> Iterator[str]:
        self.calls += 1
        question = messages[0]["content"].split("Question: ")[1].split("\n")[0]
        yield ANSWERS[question]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    for var in ("ARCTIC_MODEL", "ARCTIC_ENDPOINT", "ARCTIC_DIALECT"):
        monkeypatch.delenv(var, raising=False)


def scripted_model(monkeypatch: pytest.MonkeyPatch) -> ByQuestion:
    backend = ByQuestion()
    monkeypatch.setattr(backends, "open_backend", lambda settings, progress=True: backend, raising=False)
    return backend


def test_json_summary_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = scripted_model(monkeypatch)
    suite, report = make_suite(tmp_path, ITEMS), tmp_path / "out.json"
    result = CliRunner().invoke(app, ["eval", "sql", str(suite), "--format", "json", "--report", str(report), "--max-repairs", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"] == "scripted" and list(data) == ["suite", "model", "summary"]
    assert (data["summary"]["all"]["correct"], data["summary"]["all"]["valid"]) == (2, 3)
    assert data["summary"]["hard"]["execution_accuracy"] == 0.0
    assert backend.calls == 5  # one each, plus one repair for the invalid answer
    written = json.loads(report.read_text(encoding="utf-8"))
    assert [i["correct"] for i in written["items"]] == [True, True, False, False]
    assert written["items"][3]["attempts"] == 2 and not written["items"][3]["valid"]


def test_text_table_and_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripted_model(monkeypatch)
    result = CliRunner().invoke(app, ["eval", "sql", str(make_suite(tmp_path, ITEMS)), "--limit", "2"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "%" in line]
    assert len(lines) == 3  # easy, medium, all
    assert "easy" in lines[0] and "100.0%" in lines[0]
    assert "all" in lines[2] and lines[2].count("100.0%") == 2


def test_bad_suite_exits_2_before_any_model_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(settings, progress=True):  # type: ignore[no-untyped-def]
        raise AssertionError("bad input must be rejected before a model loads")

    monkeypatch.setattr(backends, "open_backend", fail, raising=False)
    result = CliRunner().invoke(app, ["eval", "sql", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: suite {tmp_path / 'missing.jsonl'} does not exist")
