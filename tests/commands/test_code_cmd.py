"""`arctic code` through CliRunner with a scripted backend: exit 0/2/3, output, --output, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scripted_answers import ScriptedAnswers
from typer.testing import CliRunner

from arctic_cli import history
from arctic_cli.cli import app

runner = CliRunner()
GOOD = "Here you go:\n```python\ndef add(a, b):\n    return a + b\n```"
BAD = "```python\ndef add(a, b)\n    return a + b\n```"


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    for var in (
        "ARCTIC_MODEL",
        "ARCTIC_ENDPOINT",
        "ARCTIC_LOG",
        "ARCTIC_MAX_TOKENS",
        "ARCTIC_TEMPERATURE",
    ):
        monkeypatch.delenv(var, raising=False)

    def install(*answers: str) -> ScriptedAnswers:
        scripted = ScriptedAnswers(list(answers))
        monkeypatch.setattr(
            "arctic_cli.backends.open_backend", lambda s, progress=True: scripted, raising=False
        )
        return scripted

    return install


def test_valid_code_goes_to_stdout(use) -> None:  # type: ignore[no-untyped-def]
    backend = use(GOOD)
    result = runner.invoke(app, ["code", "add two numbers"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "def add(a, b):\n    return a + b\n"
    assert "valid python (1 attempt)" in result.stderr
    assert len(backend.calls) == 1
    entry = history.recent(home=Path("home"))[0]
    assert (entry["command"], entry["prompt"], entry["valid"]) == ("code", "add two numbers", True)
    assert entry["response"] == "def add(a, b):\n    return a + b\n"  # the code, not the chatter


def test_repaired_code(use) -> None:  # type: ignore[no-untyped-def]
    backend = use(BAD, GOOD)
    result = runner.invoke(app, ["code", "add two numbers", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "task": "add two numbers", "language": "python", "code": "def add(a, b):\n    return a + b\n",
        "valid": True, "errors": [], "attempts": 2, "model": "scripted",
    }  # fmt: skip
    assert "expected ':'" in backend.calls[1][0][-1]["content"]


def test_still_invalid_exits_3_and_prints_the_best_attempt(use) -> None:  # type: ignore[no-untyped-def]
    backend = use(BAD)
    result = runner.invoke(
        app, ["code", "add two numbers", "--max-repairs", "1", "--format", "json"]
    )
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert (data["valid"], data["attempts"], data["code"]) == (
        False,
        2,
        "def add(a, b)\n    return a + b\n",
    )
    assert [(e["kind"], e["message"], e["line"]) for e in data["errors"]] == [
        ("syntax", "expected ':'", 1)
    ]
    assert "still invalid after 2 attempts" in result.stderr
    assert len(backend.calls) == 2


def test_output_infers_the_language_and_never_overwrites(use, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = use('```json\n{"name": "arctic"}\n```')
    result = runner.invoke(app, ["code", "a package manifest", "--output", "pkg.json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (tmp_path / "pkg.json").read_text() == '{"name": "arctic"}\n'
    assert "Write json code" in backend.calls[0][0][0]["content"]

    again = runner.invoke(app, ["code", "another", "--output", "pkg.json"])
    assert again.exit_code == 2
    assert again.stderr.startswith("error: pkg.json already exists\nhint: pass --force")
    assert len(backend.calls) == 1  # refused before generating
    assert runner.invoke(app, ["code", "another", "--output", "pkg.json", "--force"]).exit_code == 0
    no_dir = runner.invoke(app, ["code", "another", "--output", "nowhere/x.py"])
    assert no_dir.exit_code == 2 and no_dir.stderr.startswith(
        "error: no folder nowhere for nowhere/x.py"
    )


def test_invalid_code_is_not_written(use, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    use(BAD)
    result = runner.invoke(app, ["code", "add", "--output", "add.py", "--max-repairs", "0"])
    assert result.exit_code == 3
    assert not (tmp_path / "add.py").exists()
    assert result.stdout == "def add(a, b)\n    return a + b\n"


def test_context_files(use, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = use(GOOD)
    (tmp_path / "lib.py").write_text("PI = 3.14\n")
    assert runner.invoke(app, ["code", "use PI", "--file", "lib.py"]).exit_code == 0
    assert "Context file lib.py:\n```\nPI = 3.14\n```" in backend.calls[0][0][0]["content"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "error: context file missing.py does not exist"),
        ("binary", "error: context file blob.bin is a binary file"),
    ],
)
def test_bad_context_files_exit_2(use, tmp_path: Path, setup: str, message: str) -> None:  # type: ignore[no-untyped-def]
    backend = use(GOOD)
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02")
    name = "missing.py" if setup == "missing" else "blob.bin"
    result = runner.invoke(app, ["code", "x", "--file", name])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message
    assert backend.calls == []


def test_unchecked_language(use) -> None:  # type: ignore[no-untyped-def]
    use("```rust\nfn main() {}\n```")
    result = runner.invoke(app, ["code", "hello world", "--lang", "rs"])
    assert result.exit_code == 0
    assert result.stdout == "fn main() {}\n"
    assert "rust: syntax not checked (1 attempt)" in result.stderr


def test_sql_code_is_parsed(use) -> None:  # type: ignore[no-untyped-def]
    use("```sql\nSELECT FROM WHERE\n```")
    result = runner.invoke(app, ["code", "a query", "--lang", "sql", "--max-repairs", "0"])
    assert result.exit_code == 3


def test_with_a_real_tiny_random_model(
    tiny_checkpoint: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    monkeypatch.delenv("ARCTIC_ENDPOINT", raising=False)
    args = [
        "code",
        "add two numbers",
        "--model",
        str(tiny_checkpoint),
        "--device",
        "cpu",
        "--max-tokens",
        "4",
        "--format",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 3), result.output  # gibberish is (almost surely) invalid Python
    data = json.loads(result.stdout)
    assert set(data) == {"task", "language", "code", "valid", "errors", "attempts", "model"}
    assert (data["language"], data["model"]) == ("python", tiny_checkpoint.name)
    assert (result.exit_code == 0) == data["valid"]
    assert 1 <= data["attempts"] <= 3
