"""`arctic validate SQL_OR_FILE`: the `arctic sql` validator for hand-written SQL (useful in CI).

Exit 0 when valid (the pretty, optionally transpiled statement on stdout), 3 when not (every
error on stderr, or in the JSON object), 2 for bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from arctic_cli import output
from arctic_cli.commands.options import Format, FormatOpt
from arctic_cli.commands.sql import (
    DbOpt,
    DialectOpt,
    SchemaOpt,
    ToOpt,
    check_dialect,
    load_schema,
    show_errors,
    show_sql,
)
from arctic_cli.errors import InvalidResult, UsageError


def read_sql(arg: str) -> str:
    """`arg` itself, the text of the file it names, or stdin for `-`."""
    if arg == "-":
        from arctic_cli import textfiles

        return textfiles.read_stdin()
    path = Path(arg)
    may_be_path = bool(arg.strip()) and "\n" not in arg and len(arg) < 4096
    if may_be_path and path.is_dir():
        raise UsageError(f"{arg} is a directory", hint="pass a SQL statement, a .sql file, or - for stdin")
    if not (may_be_path and (path.suffix.lower() == ".sql" or path.is_file())):
        return arg
    from arctic_cli.sql.schema import read_text_file

    return read_text_file(path, "SQL file")


def validate(
    sql_or_file: Annotated[
        str,
        typer.Argument(
            metavar="SQL_OR_FILE",
            help="A SQL statement, a .sql file, or - for stdin.",
            show_default=False,
        ),
    ],
    schema: SchemaOpt = None,
    db: DbOpt = None,
    dialect: DialectOpt = None,
    to: ToOpt = None,
    allow_write: Annotated[
        bool, typer.Option("--allow-write", help="Accept INSERT/UPDATE/DELETE/MERGE (DDL never).")
    ] = False,
    fmt: FormatOpt = Format.text,
) -> None:
    """Check one SQL statement against a schema: syntax, tables, columns, read-only rules, --to dialect."""
    text = read_sql(sql_or_file)
    if not text.strip():
        raise UsageError("empty SQL", hint='arctic validate "SELECT ..." --schema db.sql')
    target = check_dialect(to, "--to") if to else None
    loaded = load_schema(schema, db, dialect)

    from arctic_cli.sql.validate import validate as check

    result = check(text, loaded, loaded.dialect, allow_write=allow_write, to=target)
    if fmt is Format.json:
        output.print_json(result.to_dict())
    elif result.valid:
        show_sql(result.sql, result.dialect)
    else:
        show_errors(result.errors)
    if not result.valid:
        n = len(result.errors)
        raise InvalidResult(f"the SQL is invalid ({n} error{'s' if n != 1 else ''})", hint=None)
