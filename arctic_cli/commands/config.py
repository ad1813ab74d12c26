"""`arctic config show|set|unset|path`: inspect and change the persistent settings."""

from __future__ import annotations

from typing import Annotated

import typer

from arctic_cli import output, settings
from arctic_cli.commands.base import ArcticTyper
from arctic_cli.commands.options import Format, FormatOpt

app = ArcticTyper(help="Show and change settings (flag > environment > config file > default).", no_args_is_help=True)


@app.command("show")
def show(fmt: FormatOpt = Format.text) -> None:
    """Show every setting, its value and where it came from."""
    resolved = settings.resolve()
    if fmt is Format.json:
        output.print_json(
            {
                "config_path": str(settings.config_path()),
                "settings": {
                    k: {"value": settings.shown(k, v.value), "source": v.source, "env": settings.SETTINGS[k].env}
                    for k, v in resolved.items()
                },
            }
        )
        return
    from rich.table import Table

    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    for col in ("key", "value", "source", "env"):
        table.add_column(col)
    for key, v in resolved.items():
        shown = "" if v.value is None else str(settings.shown(key, v.value))
        table.add_row(key, shown, v.source, settings.SETTINGS[key].env)
    output.out().print(table)


@app.command("set")
def set_(
    key: Annotated[str, typer.Argument(help="Setting name (see `arctic config show`).")],
    value: Annotated[str, typer.Argument(help="New value.")],
) -> None:
    """Store a setting in the config file (validated first)."""
    parsed = settings.set_value(key, value)
    key = key.replace("-", "_")
    output.note(f"{key} = {settings.shown(key, parsed)!r} saved to {settings.config_path()}")


@app.command("unset")
def unset(key: Annotated[str, typer.Argument(help="Setting name.")]) -> None:
    """Remove a setting from the config file (back to its default)."""
    removed = settings.unset_value(key)
    output.note(f"{key} removed from {settings.config_path()}" if removed else f"{key} was not set")


@app.command("path")
def path() -> None:
    """Print the config file's path."""
    output.print_text(str(settings.config_path()))
