"""`arctic sql QUESTION`: a validated (repaired, optionally executed) query for a schema or database.

Inputs are checked before any model loads, so bad input (exit 2) costs nothing. The work is
`arctic_cli.sql.task.generate_sql`; this module parses flags and renders: the SQL on stdout
(highlighted on a terminal only, so `arctic sql ... | psql` gets plain text), notes and errors
on stderr, a rich table / CSV / JSON rows when `--execute` runs it.
"""

from __future__ import annotations

import logging
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arctic_cli import output
from arctic_cli.commands.logs import NoLogOpt, log_flag
from arctic_cli.commands.options import (
    ApiKeyOpt,
    DeviceOpt,
    EndpointOpt,
    MaxTokensOpt,
    ModelOpt,
    QuantOpt,
    RemoteModelOpt,
    SeedOpt,
    TemperatureOpt,
    resolve_settings,
)
from arctic_cli.errors import InvalidResult, UsageError
from arctic_cli.sql import BEAMS, MAX_REPAIRS

if TYPE_CHECKING:
    from arctic_cli.sql.execute import ExecResult
    from arctic_cli.sql.schema import Schema
    from arctic_cli.sql.task import Attempt
    from arctic_cli.sql.validate import SqlError


class SqlFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


SchemaOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--schema",
        "-s",
        help="DDL file with CREATE TABLE statements (repeatable).",
        show_default=False,
    ),
]
DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite or DuckDB database file (its catalog is the schema)."),
]
DialectOpt = Annotated[
    str | None,
    typer.Option(
        "--dialect", "-d", help="Dialect of the DDL and SQL [env: ARCTIC_DIALECT; default sqlite]."
    ),
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Transpile the valid query to this dialect.")
]


def quiet_sqlglot() -> None:
    """sqlglot logs a warning when it falls back to a Command; our own errors say it better."""
    logging.getLogger("sqlglot").setLevel(logging.ERROR)


def check_dialect(name: str, flag: str) -> str:
    from sqlglot.dialects.dialect import Dialect

    value = name.strip().lower()
    known = sorted(k for k in Dialect.classes if k)
    if value not in known:
        raise UsageError(
            f"unknown SQL dialect {name!r} for {flag}", hint=f"known: {', '.join(known)}"
        )
    return value


def load_schema(schema_files: list[Path] | None, db: Path | None, dialect: str | None) -> Schema:
    """The schema from the flags; the database's own dialect wins over --dialect."""
    from arctic_cli.sql import schema as schema_mod

    quiet_sqlglot()
    settings = resolve_settings(dialect=dialect)
    loaded = schema_mod.load(schema_files, db, settings.dialect)
    if (
        db is not None
        and dialect is not None
        and check_dialect(dialect, "--dialect") != loaded.dialect
    ):
        output.note(
            f"note: {db} is a {loaded.db_kind} database: using the {loaded.dialect} dialect"
        )
    return loaded


def show_sql(sql: str, dialect: str) -> None:
    """The SQL on stdout: highlighted on a terminal, plain bytes in a pipe."""
    if output.stdout_is_terminal():
        from rich.syntax import Syntax

        output.out().print(Syntax(sql, "sql", background_color="default", word_wrap=True))
    else:
        output.print_text(sql)


def show_errors(errors: list[SqlError]) -> None:
    for e in errors:
        sys.stderr.write(f"{e.kind}: {e}\n")
    sys.stderr.flush()


def show_rows(result: ExecResult, fmt: SqlFormat, limit: int) -> None:
    if fmt is SqlFormat.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        sys.stdout.flush()
    else:
        from rich.table import Table

        table = Table(show_header=True, header_style="bold")
        for col in result.columns:
            table.add_column(col, overflow="fold")
        for row in result.rows:
            table.add_row(*("NULL" if v is None else str(v) for v in row))
        output.out().print(table)
    n = len(result.rows)
    if result.truncated:
        output.note(
            f"showing the first {limit} rows: the query returned more (raise --limit to see them)"
        )
    else:
        output.note(f"{n} row{'s' if n != 1 else ''}")


def _verbose(attempt: Attempt, n: list[int]) -> None:
    n[0] += 1
    status = "valid" if attempt.validation.valid else f"{len(attempt.errors)} error(s)"
    output.note(f"--- attempt {n[0]} ({status})")
    output.note(attempt.sql or attempt.answer)
    for e in attempt.errors:
        output.note(f"  {e.kind}: {e}")


def sql(
    question: Annotated[
        str, typer.Argument(help="The question, in plain words.", show_default=False)
    ],
    schema: SchemaOpt = None,
    db: DbOpt = None,
    dialect: DialectOpt = None,
    to: ToOpt = None,
    execute: Annotated[
        bool, typer.Option("--execute", "-x", help="Run the query on --db (read-only).")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Most rows to fetch with --execute.")
    ] = 100,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Seconds before --execute gives up.")
    ] = 30.0,
    max_repairs: Annotated[
        int, typer.Option("--max-repairs", min=0, help="Repair attempts after the first.")
    ] = MAX_REPAIRS,
    samples: Annotated[
        int, typer.Option("--samples", min=1, help="Sample K queries; keep the most common answer.")
    ] = 1,
    beams: Annotated[
        int,
        typer.Option("--beams", min=1, help="Local model: grow this many candidate queries at once and keep the likeliest (1 = greedy; --samples and a temperature sample instead)."),
    ] = BEAMS,
    prompt_file: Annotated[
        Path | None,
        typer.Option("--prompt", help="Prompt template file ({question} {schema} {dialect})."),
    ] = None,
    constrain: Annotated[
        bool | None,
        typer.Option(
            "--constrain/--no-constrain",
            help="Local model: only let it write the schema's tables and columns, SQL words and its own aliases [default: on].",
            show_default=False,
        ),
    ] = None,
    values: Annotated[
        bool,
        typer.Option(
            "--values",
            help="List a few frequent values of each text column (from --db, or CHECK ... IN) in the prompt; they go to the model, an endpoint included.",
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print every attempt and its errors on stderr.")
    ] = False,
    fmt: Annotated[
        SqlFormat, typer.Option("--format", "-f", help="text, json, or csv (rows of --execute).")
    ] = SqlFormat.text,
    model: ModelOpt = None,
    endpoint: EndpointOpt = None,
    device: DeviceOpt = None,
    quant: QuantOpt = None,
    temperature: TemperatureOpt = None,
    max_tokens: MaxTokensOpt = None,
    seed: SeedOpt = None,
    api_key: ApiKeyOpt = None,
    remote_model: RemoteModelOpt = None,
    no_log: NoLogOpt = False,
) -> None:
    """Write a SQL query that answers QUESTION, checked against the schema (and run it with --execute)."""
    if not question.strip():
        raise UsageError(
            "empty question",
            hint='arctic sql "How many orders did each customer place?" --schema db.sql',
        )
    if execute and db is None:
        raise UsageError(
            "--execute needs a database", hint="pass --db PATH (a SQLite or DuckDB file)"
        )
    if fmt is SqlFormat.csv and not execute:
        raise UsageError(
            "--format csv writes the rows of --execute", hint="add --execute --db PATH"
        )
    target = check_dialect(to, "--to") if to else None
    loaded = load_schema(schema, db, dialect)
    settings = resolve_settings(
        model=model, endpoint=endpoint, device=device, quant=quant, temperature=temperature,
        max_tokens=max_tokens, api_key=api_key, remote_model=remote_model, log=log_flag(no_log),
    )  # fmt: skip

    from arctic_cli.sql.prompt import load_template
    from arctic_cli.sql.task import Request, executor_for, generate_sql

    template = load_template("sql.txt", prompt_file)
    req = Request(
        question.strip(), loaded, loaded.dialect, to=target, max_repairs=max_repairs,
        samples=samples, beams=beams, constrain=constrain is not False, values=values,
        template=template,
    )  # fmt: skip
    executor = executor_for(loaded, timeout, limit) if (execute or samples > 1) else None

    from arctic_cli import backends

    backend = backends.open_backend(settings, progress=True)
    if constrain and not getattr(backend, "supports_constraints", False):  # asked for explicitly
        output.note(
            "note: schema-constrained decoding needs the local engine; the endpoint's SQL is "
            "validated and repaired instead"
        )
    params = backends.gen_params(settings, backend, seed)
    counter = [0]
    result = generate_sql(
        req,
        backend,
        params,
        executor=executor,
        on_attempt=(lambda a: _verbose(a, counter)) if verbose else None,
    )
    hook = result.constraint
    if verbose and hook is not None:
        output.note(
            f"schema constraint: steered {hook.masked} of {hook.calls} tokens away from names outside the schema"
        )
    if result.dropped_tables:
        kept = len(loaded.tables) - len(result.dropped_tables)
        output.note(
            f"note: the schema is too large for the context window: the prompt holds the {kept} most relevant "
            f"tables; left out: {', '.join(result.dropped_tables)}"
        )
    if not execute:
        result.result = None
    _log(settings, question.strip(), loaded, result)
    render(result, fmt, limit)
    if not result.valid:
        raise InvalidResult(
            f"no valid SQL after {result.attempts} attempt{'s' if result.attempts != 1 else ''}",
            hint="the best attempt and its errors are shown above; rephrase the question or raise --max-repairs",
        )


def _log(settings: Any, question: str, schema: Schema, result: Any) -> None:
    """One history entry per `arctic sql` (a no-op with --no-log; never fails the command)."""
    from arctic_cli import history
    from arctic_cli.sql.prompt import schema_hash

    usage = result.usage
    history.record(
        settings, command="sql", prompt=question, response=result.sql, model=result.model,
        prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
        seconds=usage.seconds, schema_hash=schema_hash(schema), sql=result.sql, valid=result.valid,
    )  # fmt: skip


def render(result: Any, fmt: SqlFormat, limit: int) -> None:
    if fmt is SqlFormat.json:
        output.print_json(result.to_json())
        if result.result is not None and result.result.truncated:
            output.note(
                f'the query returned more than {limit} rows: only the first {limit} are in "rows"'
            )
        return
    if not result.valid:
        show_sql(result.sql, result.dialect)
        show_errors(result.errors)
        return
    if fmt is SqlFormat.csv:
        output.note(result.sql)
    else:
        show_sql(result.sql, result.dialect)
    if result.result is not None:
        show_rows(result.result, fmt, limit)
