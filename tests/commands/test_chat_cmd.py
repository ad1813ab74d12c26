"""`arctic chat`: the session logic alone, the loop with scripted input, and the real REPL in a pty."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from scripted_answers import ScriptedAnswers
from typer.testing import CliRunner

from arctic_cli import history
from arctic_cli.backends import GenParams
from arctic_cli.chat import COMMANDS, ChatSession, Collector
from arctic_cli.cli import app
from arctic_cli.commands.chat import repl

HERE = Path(__file__).resolve().parent


def session_with(backend: ScriptedAnswers, home: Path, **kwargs: object) -> ChatSession:
    settings = SimpleNamespace(log=True, dialect="sqlite", endpoint=None)
    loads: list[object] = []

    def load(s: object) -> ScriptedAnswers:
        loads.append(s)
        return backend

    session = ChatSession(settings=settings, load=load, params=GenParams(max_tokens=8), **kwargs)  # type: ignore[arg-type]
    session.loads = loads  # type: ignore[attr-defined]
    return session


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


def test_collector_blocks() -> None:
    c = Collector()
    assert c.feed("plain line") == "plain line"
    assert c.feed('"""') is None and c.open
    assert c.feed("def f():") is None
    assert c.feed("    pass") is None
    assert c.feed('"""') == "def f():\n    pass"
    assert not c.open
    assert c.feed('"""first') is None
    assert c.feed('last"""') == "first\nlast"
    assert c.feed('"""one line"""') == "one line"


def test_a_turn_is_remembered_logged_and_transcribed(home: Path) -> None:
    backend = ScriptedAnswers(["Hi there."])
    session = session_with(backend, home, system="Be nice.")
    assert "".join(session.reply("hello")) == "Hi there."
    assert session.memory == [
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "Hi there."},
    ]
    "".join(session.reply("again"))
    assert backend.calls[1][0] == [
        {"role": "system", "content": "Be nice."},
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "Hi there."},
        {"role": "user", "content": "again"},
    ]
    assert [(e["command"], e["prompt"]) for e in history.recent(home=home)] == [
        ("chat", "again"),
        ("chat", "hello"),
    ]
    assert len(session.loads) == 1  # type: ignore[attr-defined]


def test_an_interrupted_turn_is_forgotten(home: Path) -> None:
    session = session_with(ScriptedAnswers(["one two three four"]), home)
    stream = session.reply("count")
    assert next(stream) == "one"
    stream.close()  # what the REPL does on Ctrl-C
    assert session.memory == [] and session.transcript == []
    assert history.recent(home=home) == []


def test_oldest_turns_are_dropped_to_fit(home: Path) -> None:
    backend = ScriptedAnswers(["a b c d e"], context_window=40)
    session = session_with(backend, home)
    for q in ("first question here", "second question here", "third question here"):
        assert session.fit(q) == 0
        "".join(session.reply(q))
    # a turn takes (3 + 2) + (5 + 2) = 12 tokens, a question 5, and 8 are kept for the answer:
    # 3 * 12 + 5 + 8 = 49 > 40, so the oldest turn goes
    assert session.fit("fourth question here") == 1
    assert [m["content"] for m in session.memory][::2] == [
        "second question here",
        "third question here",
    ]
    # reserve min(30, 40 // 2) = 20: only one turn fits (12 + 5 + 20 = 37)
    session.params.max_tokens = 30
    assert session.fit("fourth question here") == 1
    assert [m["content"] for m in session.memory] == ["third question here", "a b c d e"]


def test_help_lists_every_command(home: Path) -> None:
    text = session_with(ScriptedAnswers(["x"]), home).command("/help").text
    for _, usage, _ in COMMANDS.values():
        assert usage in text
    for name in (
        "sql",
        "schema",
        "db",
        "code",
        "system",
        "model",
        "set",
        "reset",
        "save",
        "help",
        "exit",
    ):
        assert f"/{name}" in text


def test_settings_system_reset_and_unknown(home: Path) -> None:
    session = session_with(ScriptedAnswers(["x"]), home)
    assert session.command("/set temperature 0.7").text == "temperature = 0.7"
    assert session.command("/set max-tokens 99").text == "max_tokens = 99"
    assert (session.params.temperature, session.params.max_tokens) == (0.7, 99)
    bad = session.command("/set temperature hot")
    assert bad.kind == "error" and "invalid value 'hot' for temperature" in bad.text
    assert session.command("/set colour red").kind == "error"
    assert session.command("/system Answer in haiku.").text == "system prompt set"
    assert session.system == "Answer in haiku."
    "".join(session.reply("q"))
    assert session.command("/reset").text == "conversation cleared (1 turns forgotten)"
    assert session.memory == []
    assert session.command("/frobnicate").kind == "error"
    assert session.command("/exit").exit


def test_save_writes_markdown_and_never_overwrites(home: Path, tmp_path: Path) -> None:
    session = session_with(ScriptedAnswers(["**bold** answer"]), home, system="S.")
    "".join(session.reply("question?"))
    assert session.command("/save chat.md").text == "saved 2 messages to chat.md"
    assert (tmp_path / "chat.md").read_text() == (
        "# arctic chat\n\n**System:** S.\n\n## You\n\nquestion?\n\n## scripted\n\n**bold** answer\n"
    )
    assert session.command("/save chat.md").kind == "error"
    assert session.command("/save chat.md --force").kind == "info"


def test_model_switch_loads_the_new_model(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCTIC_ENDPOINT", raising=False)
    session = session_with(ScriptedAnswers(["x"]), home)
    session.backend  # noqa: B018 - first load
    shown = session.command("/model /some/checkpoint")
    assert shown.text == "model: scripted (context window 4096 tokens)"
    assert session.loads[-1].model == "/some/checkpoint"  # type: ignore[attr-defined]


def test_max_tokens_follows_each_models_default_until_set(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCTIC_ENDPOINT", raising=False)
    monkeypatch.delenv("ARCTIC_MAX_TOKENS", raising=False)
    short, plain, other = ScriptedAnswers(["x"]), ScriptedAnswers(["y"]), ScriptedAnswers(["z"])
    short.max_new_tokens, other.max_new_tokens = 3, 40  # type: ignore[attr-defined]
    models = {"short": short, "plain": plain, "other": other}
    from arctic_cli import settings as settings_mod

    session = ChatSession(settings=settings_mod.resolve({"model": "short"}, env={}),
                          load=lambda s: models[s.model], params=GenParams(max_tokens=512))  # fmt: skip
    session.backend  # noqa: B018 - first load
    assert session.params.max_tokens == 3  # the model's generation_config.json
    session.command("/model plain")
    assert session.params.max_tokens == 512  # no default of its own: the settings' value again
    session.command("/model other")
    assert session.params.max_tokens == 40
    session.command("/set max_tokens 64")
    session.command("/model short")
    assert session.params.max_tokens == 64  # what the user set stays


def test_code_command(home: Path) -> None:
    session = session_with(ScriptedAnswers(["```python\nprint('hi')\n```"]), home)
    shown = session.command("/code print hi")
    assert (shown.kind, shown.text, shown.language) == ("code", "print('hi')\n", "python")
    assert history.recent(home=home)[0]["command"] == "code"


def test_sql_needs_a_schema_then_answers(home: Path, tmp_path: Path) -> None:
    session = session_with(ScriptedAnswers(["```sql\nSELECT name FROM users\n```"]), home)
    assert (
        session.command("/sql list names").text
        == "no schema loaded: /schema FILE or /db PATH first"
    )
    (tmp_path / "s.sql").write_text("CREATE TABLE users (id INT, name TEXT);\n")
    assert session.command("/schema s.sql").text == "schema from s.sql (sqlite): 1 tables: users"
    shown = session.command("/sql list names")
    assert shown.kind == "code" and "SELECT" in shown.text and "name" in shown.text
    entry = history.recent(home=home)[0]
    assert (entry["command"], entry["valid"]) == ("sql", True) and entry["schema_hash"]
    assert session.command("/schema missing.sql").kind == "error"


def test_schema_given_a_database_reads_its_catalog(home: Path, tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "shop.db") as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    conn.close()
    session = session_with(ScriptedAnswers([]), home)
    shown = session.command("/schema shop.db")
    assert shown.kind != "error" and shown.text.endswith("1 tables: orders")


def test_repl_loop_with_scripted_input(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backend = ScriptedAnswers(["Answer."])
    session = session_with(backend, home)
    lines = iter(
        [
            "",
            '"""',
            "line one",
            "line two",
            '"""',
            "/system short",
            '"""/etc/hosts"""',
            "/exit",
            "never read",
        ]
    )
    repl(session, lambda prompt: next(lines))
    assert backend.calls[0][0] == [{"role": "user", "content": "line one\nline two"}]
    assert backend.calls[1][0][-1] == {
        "role": "user",
        "content": "/etc/hosts",
    }  # a block is not a command
    assert capsys.readouterr().out == "Answer.\nsystem prompt set\nAnswer.\n"
    assert next(lines) == "never read"


def test_chat_needs_a_terminal(home: Path) -> None:
    result = CliRunner().invoke(app, ["chat"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: arctic chat needs a terminal")


# --- the real REPL in a pseudo-terminal ---------------------------------------------------------

DRIVER = """
import os, sys
sys.path.insert(0, {here!r})
from scripted_answers import ScriptedAnswers
import arctic_cli.backends as backends
story = " ".join(f"w{{i}}" for i in range(400))
backend = ScriptedAnswers(["Hello from scripted.", story, "Second answer."], delay=0.02)
backends.open_backend = lambda settings, progress=True: backend
from arctic_cli.cli import main
main(sys.argv[1:])
"""


def spawn(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    pexpect = pytest.importorskip("pexpect")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(here=str(HERE)))
    env = {
        **os.environ,
        "ARCTIC_HOME": str(tmp_path / "home"),
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("ARCTIC_LOG", None)
    child = pexpect.spawn(sys.executable, [str(driver), *args], env=env, encoding="utf-8", timeout=20,
                          dimensions=(24, 100), cwd=str(tmp_path))  # fmt: skip
    return pexpect, child


def test_repl_in_a_terminal(tmp_path: Path) -> None:
    pexpect, child = spawn(tmp_path, "chat")
    child.expect("/help for commands")
    child.expect("arctic>")
    child.sendline("/help")
    child.expect("/sql QUESTION")
    child.expect("/exit")
    child.expect("arctic>")
    child.send("hi\x1b\rthere\r")  # Esc then Enter: a newline inside the input
    child.expect("Hello from scripted.")
    child.expect("arctic>")
    child.sendline("tell me a long story")
    child.expect("w3 ")
    child.sendintr()  # Ctrl-C during the answer
    child.expect(r"\(cancelled\)")
    child.expect("arctic>")
    child.sendline("/save t.md")
    child.expect("saved 2 messages to t.md")
    child.expect("arctic>")
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    # the cancelled turn is in neither the transcript nor the history
    assert "w1" not in (tmp_path / "t.md").read_text()
    entries = history.recent(home=tmp_path / "home")
    assert [(e["command"], e["prompt"], e["response"]) for e in entries] == [
        ("chat", "hi\nthere", "Hello from scripted.")
    ]
    assert "\n+hi\n+there\n" in (tmp_path / "home" / "chat_history").read_text()


def test_bare_arctic_on_a_terminal_chats_and_ctrl_d_quits(tmp_path: Path) -> None:
    pexpect, child = spawn(tmp_path)
    child.expect("arctic>")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_bare_arctic_without_a_terminal_prints_help() -> None:
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "arctic_cli"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Usage" in proc.stdout and "chat" in proc.stdout


def test_repl_with_a_real_tiny_random_model(tmp_path: Path, tiny_checkpoint: Path) -> None:
    import re

    pexpect = pytest.importorskip("pexpect")
    model = tiny_checkpoint
    env = {
        **os.environ,
        "ARCTIC_HOME": str(tmp_path / "home"),
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    for var in ("ARCTIC_LOG", "ARCTIC_ENDPOINT"):
        env.pop(var, None)
    args = [
        "-m",
        "arctic_cli",
        "chat",
        "--model",
        str(model),
        "--device",
        "cpu",
        "--max-tokens",
        "4",
    ]
    child = pexpect.spawn(
        sys.executable, args, env=env, encoding="utf-8", timeout=60, dimensions=(24, 100)
    )
    child.expect(re.escape(f"{model.name} (context window 256 tokens)"))
    child.expect("arctic>")
    child.sendline("/help")
    child.expect("/exit")
    child.expect("arctic>")
    child.sendline("hello")
    child.expect("arctic>")
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    entries = history.recent(home=tmp_path / "home")
    assert [(e["command"], e["prompt"], e["model"]) for e in entries] == [
        ("chat", "hello", model.name)
    ]
