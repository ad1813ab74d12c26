"""`arctic logs`: newest first, -n, --search, the JSON list contract, exact text output."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from arctic_cli import history
from arctic_cli.cli import app

runner = CliRunner()
ON = SimpleNamespace(log=True)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    return tmp_path


def _fill(home: Path) -> None:
    history.record(ON, command="ask", model="tiny", prompt="what is SQL?", response="A query language.",
                   prompt_tokens=5, completion_tokens=4, seconds=0.5, home=home)  # fmt: skip
    history.record(ON, command="sql", model="tiny", prompt="count users", response="SELECT COUNT(*) FROM users",
                   sql="SELECT COUNT(*) FROM users", valid=True, home=home)  # fmt: skip


def test_empty_history(home: Path) -> None:
    result = runner.invoke(app, ["logs"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no history yet" in result.stderr
    assert json.loads(runner.invoke(app, ["logs", "--format", "json"]).stdout) == []


def test_json_newest_first(home: Path) -> None:
    _fill(home)
    data = json.loads(runner.invoke(app, ["logs", "--format", "json"]).stdout)
    assert [e["id"] for e in data] == [2, 1]
    assert {"id", "time", "command", "prompt", "response", "model"} <= set(data[0])
    assert (data[0]["command"], data[0]["sql"], data[0]["valid"]) == (
        "sql",
        "SELECT COUNT(*) FROM users",
        True,
    )
    assert (
        json.loads(runner.invoke(app, ["logs", "-n", "1", "--format", "json"]).stdout)[0]["id"] == 2
    )


def test_search(home: Path) -> None:
    _fill(home)
    data = json.loads(
        runner.invoke(app, ["logs", "--search", "query lang", "--format", "json"]).stdout
    )
    assert [e["prompt"] for e in data] == ["what is SQL?"]
    nothing = runner.invoke(app, ["logs", "--search", "nope"])
    assert nothing.exit_code == 0 and "nothing in the history matches 'nope'" in nothing.stderr


def test_text_output(home: Path) -> None:
    _fill(home)
    result = runner.invoke(app, ["logs"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("#2  ") and lines[0].endswith("  sql  tiny  (valid)")
    assert lines[1:3] == ["> count users", "SELECT COUNT(*) FROM users"]
    assert lines[4].endswith("  ask  tiny  (5+4 tokens, 0.50s)")
    assert lines[5:7] == ["> what is SQL?", "A query language."]


def test_unreadable_database_exits_1(home: Path) -> None:
    (home / "history.db").write_bytes(b"garbage" * 100)
    result = runner.invoke(app, ["logs"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot read the history log")


def test_negative_count_is_a_usage_error(home: Path) -> None:
    assert runner.invoke(app, ["logs", "-n", "-1"]).exit_code == 2


def test_round_trip_through_a_real_tiny_model(home: Path, tiny_checkpoint: Path) -> None:
    args = ["ask", "hi", "--model", str(tiny_checkpoint), "--device", "cpu", "--max-tokens", "3"]
    answer = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert runner.invoke(app, [*args, "--no-log"]).exit_code == 0
    logged = json.loads(runner.invoke(app, ["logs", "--format", "json"]).stdout)
    assert [(e["command"], e["prompt"], e["response"], e["model"]) for e in logged] == [
        ("ask", "hi", answer["response"], tiny_checkpoint.name)
    ]
