"""`arctic models`: the models arctic can run, and which one commands use by default."""

from __future__ import annotations

from arctic_cli import output
from arctic_cli.commands.options import Format, FormatOpt, ModelOpt, resolve_settings


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _count(n: int) -> str:
    for div, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= div:
            return f"{n / div:.1f}{unit}"
    return str(n)


def models(model: ModelOpt = None, fmt: FormatOpt = Format.text) -> None:
    """List the built-in model and the checkpoints in ARCTIC_HOME/models."""
    from arctic_cli import settings as settings_mod
    from arctic_cli.models.catalog import list_models

    settings = resolve_settings(model=model)
    found = list_models(settings_mod.arctic_home(), settings.model)
    if fmt is Format.json:
        output.print_json({"models": [m.to_json() for m in found]})
        return
    if not found:
        output.note(f"no models found: put checkpoint directories in {settings_mod.arctic_home() / 'models'}")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for col in ("", "name", "architecture", "parameters", "size", "quant", "path"):
        table.add_column(col)
    for m in found:
        table.add_row("*" if m.default else "", m.name, m.architecture, _count(m.parameters),
                      _size(m.size_bytes), m.quant, m.path)  # fmt: skip
    output.out().print(table)
