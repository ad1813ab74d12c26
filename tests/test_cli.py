"""The CLI skin: help, version, usage errors, the one error path and the start-up import rule."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from arctic_cli import __version__
from arctic_cli.cli import app, main
from arctic_cli.errors import ArcticError, InvalidResult, RuntimeFailure, UsageError

runner = CliRunner()


def run_arctic(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    """Run the real entry point in a subprocess (what a user types)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "arctic_cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=120,
    )


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "config" in result.output
    assert "Usage" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"arctic {__version__}"


def test_unknown_option_is_a_usage_error_without_traceback() -> None:
    proc = run_arctic("--no-such-flag")
    assert proc.returncode == 2
    assert "No such option" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_unknown_command_exits_2() -> None:
    proc = run_arctic("frobnicate")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UsageError("bad file x.sql", hint="pass a DDL file"), 2),
        (RuntimeFailure("model could not load", hint="check the directory"), 1),
        (InvalidResult("still invalid after 2 repairs"), 3),
        (ArcticError("custom", exit_code=2), 2),
    ],
)
def test_project_errors_print_message_hint_and_exit_code(
    error: ArcticError, code: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.delenv("ARCTIC_DEBUG", raising=False)
    monkeypatch.setattr("arctic_cli.cli.app", boom)
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == code
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == f"error: {error.message}"
    if error.hint:
        assert lines[1] == f"hint: {error.hint}"
    assert "Traceback" not in captured.err


def test_internal_error_is_one_line_unless_debugging(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("arctic_cli.cli.app", boom)
    monkeypatch.delenv("ARCTIC_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: internal error: ZeroDivisionError: division by zero\n")
    assert "ARCTIC_DEBUG=1" in err

    monkeypatch.setenv("ARCTIC_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main([])


def test_ctrl_c_exits_130_quietly(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("arctic_cli.cli.app", interrupted)
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 130
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_importing_the_cli_pulls_in_no_heavy_library() -> None:
    code = (
        "import sys, arctic_cli.cli\n"
        "heavy = [m for m in ('torch', 'transformers', 'sqlglot', 'tokenizers', 'safetensors', 'httpx') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_every_command_help_runs_without_heavy_imports() -> None:
    """`arctic CMD --help` for every registered command stays light too."""
    import typer.main

    names = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert "config" in names
    code = (
        "import sys\n"
        "from arctic_cli.cli import app\n"
        "from typer.testing import CliRunner\n"
        f"names = {names!r}\n"
        "for n in names:\n"
        "    r = CliRunner().invoke(app, [n, '--help'])\n"
        "    assert r.exit_code == 0, (n, r.output)\n"
        "print(','.join(m for m in ('torch', 'transformers', 'sqlglot') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_arguments_that_are_not_utf8_are_bad_input(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Bytes that are not UTF-8 arrive as lone surrogates; the tokenizer and sqlglot then failed
    with an internal error. A Latin-1 *file name* is still a file name."""
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "ARCTIC_HOME": str(tmp_path)}
    shop = os.path.join(os.path.dirname(__file__), "..", "examples", "shop.sql")
    run = [sys.executable, "-m", "arctic_cli", "validate"]
    bad = subprocess.run([*run, b"SELECT 'caf\xe9'", "--schema", shop], capture_output=True, env=env, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("error: argument \"SELECT 'caf\ufffd'\" is not UTF-8 text")
    latin1 = os.path.join(os.fsencode(str(tmp_path)), b"caf\xe9.sql")
    with open(latin1, "w") as f:
        f.write("SELECT id FROM orders")
    good = subprocess.run([*run, latin1, "--schema", shop], capture_output=True, env=env, timeout=60)
    assert good.returncode == 0, good.stderr
