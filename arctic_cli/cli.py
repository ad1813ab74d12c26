"""The `arctic` command: builds the Typer app from commands/ and runs it through one error path.

Nothing heavy is imported here or in the command modules at import time (torch, transformers and
sqlglot load inside the functions that need them), so `arctic --help` starts fast.
"""

from __future__ import annotations

import os
import sys

import typer

from arctic_cli import __version__
from arctic_cli.commands import ask as ask_cmd
from arctic_cli.commands import bench as bench_cmd
from arctic_cli.commands import chat as chat_cmd
from arctic_cli.commands import code as code_cmd
from arctic_cli.commands import config as config_cmd
from arctic_cli.commands import eval as eval_cmd
from arctic_cli.commands import logs as logs_cmd
from arctic_cli.commands import models as models_cmd
from arctic_cli.commands import quantize as quantize_cmd
from arctic_cli.commands import serve as serve_cmd
from arctic_cli.commands import sql as sql_cmd
from arctic_cli.commands import train as train_cmd
from arctic_cli.commands import validate as validate_cmd
from arctic_cli.commands.base import ArcticTyper, report
from arctic_cli.errors import EXIT_INTERRUPTED, ArcticError, UsageError
from arctic_cli.textfiles import lone_surrogate

app = ArcticTyper(
    name="arctic",
    help="Snowflake Arctic on your machine: validated text-to-SQL, code and chat.",
    no_args_is_help=False,  # _root decides: chat on a terminal, help (exit 2) otherwise
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"arctic {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Snowflake Arctic on your machine: validated text-to-SQL, code and chat."""
    if ctx.invoked_subcommand is None:  # bare `arctic`: chat on a terminal, else help and exit 2
        if sys.stdin.isatty() and sys.stdout.isatty():
            chat_cmd.chat()
            return
        help_text = ctx.get_help()  # rich help prints itself and returns ""
        if help_text:
            typer.echo(help_text)
        raise typer.Exit(2)


app.add_typer(config_cmd.app, name="config")
app.add_typer(eval_cmd.app, name="eval")
app.command("sql")(sql_cmd.sql)
app.command("validate")(validate_cmd.validate)
app.command("serve")(serve_cmd.serve)
app.command("ask")(ask_cmd.ask)
app.command("code")(code_cmd.code)
app.command("chat")(chat_cmd.chat)
app.command("logs")(logs_cmd.logs)
app.command("models")(models_cmd.models)
app.command("quantize")(quantize_cmd.quantize)
app.command("bench")(bench_cmd.bench)
app.command("train")(train_cmd.train)


def _check_text_args(argv: list[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which every tokenizer and parser
    chokes on: an argument holding them is bad input unless it names a file (a Latin-1 file name)."""
    for arg in argv:
        if lone_surrogate(arg) and not os.path.exists(arg):
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise UsageError(f"argument {shown!r} is not UTF-8 text", hint="check the terminal's encoding (LANG)")


def main(argv: list[str] | None = None) -> None:
    """The console script. Errors raised outside a command (or before one runs) end here."""
    debug = os.environ.get("ARCTIC_DEBUG") == "1"
    try:
        _check_text_args(sys.argv[1:] if argv is None else argv)
        app(args=argv, prog_name="arctic")
    except ArcticError as e:
        if debug:
            raise
        report(e)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # `arctic ... | head`: the reader went away; exit quietly like other Unix tools
        sys.stderr.close()
        sys.exit(1)
    except Exception as e:  # an internal error: one line unless debugging
        if debug:
            raise
        report(ArcticError(f"internal error: {type(e).__name__}: {e}", hint="rerun with ARCTIC_DEBUG=1 for the traceback and report it"))
        sys.exit(1)
