"""`arctic ask` through CliRunner with a scripted backend: exact output, exit codes, history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scripted_answers import ScriptedAnswers
from typer.testing import CliRunner

from arctic_cli import history
from arctic_cli.cli import app

runner = CliRunner()


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ScriptedAnswers:
    scripted = ScriptedAnswers(["Use **git** add -p."])
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    for var in (
        "ARCTIC_MODEL",
        "ARCTIC_ENDPOINT",
        "ARCTIC_LOG",
        "ARCTIC_MAX_TOKENS",
        "ARCTIC_TEMPERATURE",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(
        "arctic_cli.backends.open_backend", lambda settings, progress=True: scripted, raising=False
    )
    return scripted


def test_piped_output_is_the_raw_answer(backend: ScriptedAnswers) -> None:
    result = runner.invoke(app, ["ask", "how do I stage hunks?"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Use **git** add -p.\n"
    messages, params = backend.calls[0]
    assert messages == [{"role": "user", "content": "how do I stage hunks?"}]
    assert (params.temperature, params.max_tokens) == (0.0, 512)


def test_stdin_is_added_as_context_and_system_prompt_leads(backend: ScriptedAnswers) -> None:
    result = runner.invoke(
        app,
        ["ask", "write a commit message", "--system", "Be brief.", "--no-stream"],
        input="diff --git a/x b/x\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Use **git** add -p.\n"
    assert backend.calls[0][0] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "diff --git a/x b/x\n\nwrite a commit message"},
    ]


def test_stdin_alone_is_the_prompt(backend: ScriptedAnswers) -> None:
    result = runner.invoke(app, ["ask"], input="what is 2+2?\n")
    assert result.exit_code == 0
    assert backend.calls[0][0] == [{"role": "user", "content": "what is 2+2?"}]


def test_system_file(backend: ScriptedAnswers, tmp_path: Path) -> None:
    system = tmp_path / "system.txt"
    system.write_text("You answer in French.\n")
    assert runner.invoke(app, ["ask", "hi", "--system-file", str(system)]).exit_code == 0
    assert backend.calls[0][0][0] == {"role": "system", "content": "You answer in French."}


def test_json_contract(backend: ScriptedAnswers) -> None:
    result = runner.invoke(app, ["ask", "how?", "--format", "json", "--max-tokens", "7"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "prompt",
        "response",
        "model",
        "prompt_tokens",
        "completion_tokens",
        "seconds",
    }
    assert data["prompt"] == "how?"
    assert data["response"] == "Use **git** add -p."
    assert data["model"] == "scripted"
    assert (data["prompt_tokens"], data["completion_tokens"]) == (3, 4)
    assert data["seconds"] >= 0
    assert backend.calls[0][1].max_tokens == 7


def test_is_logged_unless_no_log(backend: ScriptedAnswers, tmp_path: Path) -> None:
    runner.invoke(app, ["ask", "first"])
    runner.invoke(app, ["ask", "second", "--no-log"])
    entries = history.recent(home=tmp_path / "home")
    assert [(e["command"], e["prompt"], e["response"], e["model"]) for e in entries] == [
        ("ask", "first", "Use **git** add -p.", "scripted")
    ]
    assert entries[0]["completion_tokens"] == 4


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["ask"], "", "error: empty prompt\n"),
        (["ask", "  "], "", "error: empty prompt\n"),
        (
            ["ask", "x", "--system", "a", "--system-file", "b"],
            "",
            "error: --system and --system-file both given\n",
        ),
        (
            ["ask", "x", "--system-file", "missing.txt"],
            "",
            "error: system file missing.txt does not exist\n",
        ),
    ],
)
def test_bad_input_exits_2(
    backend: ScriptedAnswers, args: list[str], stdin: str, message: str
) -> None:
    result = runner.invoke(app, args, input=stdin)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert "hint: " in result.stderr
    assert result.stdout == ""
    assert backend.calls == []


def test_prompt_longer_than_the_context_window_exits_2(backend: ScriptedAnswers) -> None:
    backend.context_window = 8
    result = runner.invoke(app, ["ask", "one two three four five six seven"])
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[0]
        == "error: the prompt takes 9 tokens but the model's context window is 8"
    )
    assert backend.calls == []


def test_binary_stdin_exits_2(backend: ScriptedAnswers) -> None:
    result = runner.invoke(app, ["ask", "what is this"], input=b"\xff\xfe\x00binary")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: stdin is a binary file")


def test_with_a_real_tiny_random_model(
    tiny_checkpoint: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    monkeypatch.delenv("ARCTIC_ENDPOINT", raising=False)
    args = [
        "ask",
        "hello",
        "--model",
        str(tiny_checkpoint),
        "--device",
        "cpu",
        "--max-tokens",
        "5",
        "--format",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # the text is gibberish: check the shape only
    assert data["model"] == tiny_checkpoint.name and data["prompt"] == "hello"
    assert data["prompt_tokens"] > 0 and 0 <= data["completion_tokens"] <= 5
    assert isinstance(data["response"], str)
    assert history.recent(home=tmp_path)[0]["completion_tokens"] == data["completion_tokens"]
    too_long = runner.invoke(
        app, ["ask", "word " * 400, "--model", str(tiny_checkpoint), "--device", "cpu"]
    )
    assert too_long.exit_code == 2
    assert "context window is 256" in too_long.stderr


ASK_DRIVER = """
import os, sys
sys.path.insert(0, {here!r})
from scripted_answers import ScriptedAnswers
import arctic_cli.backends as backends
answer = "Some **bold** text.\\n\\n- item one\\n- item two"
if os.environ.get("LONG_ANSWER"):
    answer = "Some " + " ".join(["w"] * 500)
backend = ScriptedAnswers([answer], delay=0.02)
backends.open_backend = lambda settings, progress=True: backend
from arctic_cli.cli import main
main(sys.argv[1:])
"""


def test_markdown_on_a_terminal_and_ctrl_c(tmp_path: Path) -> None:
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    driver = tmp_path / "driver.py"
    driver.write_text(ASK_DRIVER.format(here=str(Path(__file__).resolve().parent)))
    env = {**os.environ, "ARCTIC_HOME": str(tmp_path / "home"), "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable, [str(driver), "ask", "hi"], env=env, encoding="utf-8", timeout=20
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "\x1b[1mbold\x1b[0m" in child.before and "**" not in child.before  # rendered, not raw
    assert "•" in child.before
    # a long answer: Ctrl-C stops it with the usual 130
    env["LONG_ANSWER"] = "1"
    child = pexpect.spawn(
        sys.executable, [str(driver), "ask", "hi"], env=env, encoding="utf-8", timeout=20
    )
    child.expect("Some")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
