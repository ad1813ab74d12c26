"""The SQLite history log: round trip, search, off switch, and never failing the command."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from arctic_cli import history

ON = SimpleNamespace(log=True)
OFF = SimpleNamespace(log=False)


def test_round_trip_newest_first(tmp_path: Path) -> None:
    first = history.record(ON, command="ask", model="m", prompt="p1", response="r1",
                           prompt_tokens=3, completion_tokens=4, seconds=0.12345, home=tmp_path)  # fmt: skip
    second = history.record(ON, command="sql", model="m", prompt="q", response="SELECT 1", sql="SELECT 1",
                            valid=True, schema_hash="0123456789abcdef", home=tmp_path)  # fmt: skip
    assert (first, second) == (1, 2)
    entries = history.recent(home=tmp_path)
    assert [e["id"] for e in entries] == [2, 1]
    newest, oldest = entries
    assert (
        newest["valid"] is True and newest["sql"] == "SELECT 1" and len(newest["schema_hash"]) == 16
    )
    assert oldest == {
        "id": 1, "time": oldest["time"], "command": "ask", "model": "m", "prompt": "p1", "response": "r1",
        "prompt_tokens": 3, "completion_tokens": 4, "seconds": 0.123, "schema_hash": None, "sql": None,
        "valid": None,
    }  # fmt: skip
    assert oldest["time"].endswith("Z") and oldest["time"][4] == "-"


def test_limit_and_search(tmp_path: Path) -> None:
    for i in range(5):
        history.record(
            ON,
            command="ask",
            prompt=f"question {i}",
            response="50% sure" if i == 3 else "no",
            home=tmp_path,
        )
    assert [e["prompt"] for e in history.recent(2, home=tmp_path)] == ["question 4", "question 3"]
    assert len(history.recent(0, home=tmp_path)) == 5
    assert [e["prompt"] for e in history.recent(search="0%", home=tmp_path)] == ["question 3"]
    assert history.recent(search="_", home=tmp_path) == []  # LIKE wildcards are literal


def test_logging_off_writes_nothing(tmp_path: Path) -> None:
    assert history.record(OFF, command="ask", prompt="p", response="r", home=tmp_path) is None
    assert not (tmp_path / "history.db").exists()
    assert history.recent(home=tmp_path) == []


def test_default_home_is_arctic_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    history.record(ON, command="chat", prompt="hi", response="hello")
    conn = sqlite3.connect(tmp_path / "home" / "history.db")
    assert conn.execute("SELECT command, prompt, response FROM exchanges").fetchall() == [
        ("chat", "hi", "hello")
    ]
    conn.close()


def test_a_broken_database_warns_once_and_never_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(history, "_warned", False)
    (tmp_path / "history.db").write_bytes(b"this is not a database" * 100)
    assert history.record(ON, command="ask", prompt="p", response="r", home=tmp_path) is None
    assert history.record(ON, command="ask", prompt="p", response="r", home=tmp_path) is None
    err = capsys.readouterr().err
    assert err.count("warning: cannot write the history log") == 1
    with pytest.raises(sqlite3.DatabaseError):
        history.recent(home=tmp_path)


def test_an_unusable_home_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "_warned", False)
    home = tmp_path / "a-file"
    home.write_text("x")
    assert history.record(ON, command="ask", prompt="p", response="r", home=home) is None
