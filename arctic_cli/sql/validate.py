"""Validate one SQL statement against a schema: syntax, tables, columns, read-only rules, transpiling.

`validate()` is shared by `arctic sql` (it decides whether a generated query is repaired) and
`arctic validate` (hand-written SQL in CI), and is the entry point for anyone else checking SQL
(the code command validates SQL code with `schema=None`: syntax and read-only rules only).
Every problem becomes a `SqlError` with the contract's kinds; positions are 1-based and point at
the start of the offending text. sqlglot facts this relies on are in docs/sqlglot-notes.md.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from arctic_cli.sql.schema import Schema

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.schema import MappingSchema

KINDS = (
    "syntax",
    "unknown_table",
    "unknown_column",
    "ambiguous_column",
    "read_only",
    "multiple_statements",
    "unsupported",
    "execution",
)


@dataclass
class SqlError:
    kind: str
    message: str
    line: int | None = None
    col: int | None = None
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        for key in ("line", "col", "suggestion"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def __str__(self) -> str:
        where = f"line {self.line}, col {self.col}: " if self.line is not None else ""
        hint = f" (did you mean {self.suggestion}?)" if self.suggestion else ""
        return f"{where}{self.message}{hint}"


@dataclass
class Validation:
    sql: str  # pretty-printed (and transpiled with `to`) when valid; the input otherwise
    dialect: str  # the dialect `sql` is written in
    valid: bool
    errors: list[SqlError] = field(default_factory=list)
    tree: Any = None  # the parsed statement (sqlglot Expression), for callers that need it

    def to_dict(self) -> dict[str, Any]:
        return {
            "sql": self.sql,
            "dialect": self.dialect,
            "valid": self.valid,
            "errors": [e.to_dict() for e in self.errors],
        }


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _position(sql: str, node: exp.Expr | None) -> tuple[int | None, int | None]:
    """1-based line and column of the start of `node` (an Identifier or something holding one)."""
    from sqlglot import exp

    if node is None:
        return None, None
    starts = [i.meta["start"] for i in node.find_all(exp.Identifier) if "start" in i.meta]
    if not starts:
        return None, None
    start = min(starts)
    line = sql.count("\n", 0, start) + 1
    col = start - (sql.rfind("\n", 0, start) + 1) + 1
    return line, col


def _closest(name: str, candidates: list[str]) -> str | None:
    """The schema name closest to `name` (case-insensitive), if any is close enough."""
    lowered = {c.strip('"`[]').lower(): c for c in candidates}
    match = difflib.get_close_matches(name.strip('"`[]').lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


_WORD_OR_STRING = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|`[^`]*`|\w+")
MAX_BARE_JOINS = 8


def _bare_join_run(sql: str) -> int:
    """The longest run of JOINs with no ON/USING between them (strings and quoted names skipped)."""
    run = longest = 0
    for token in _WORD_OR_STRING.findall(sql):
        word = token.lower()
        if word == "join":
            run += 1
            longest = max(longest, run)
        elif word in ("on", "using"):
            run = 0
    return longest


def _parse(sql: str, dialect: str) -> tuple[exp.Expr | None, list[SqlError]]:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    if _bare_join_run(sql) > MAX_BARE_JOINS:  # sqlglot's parse time doubles with each one
        message = f"more than {MAX_BARE_JOINS} JOINs in a row without ON or USING"
        return None, [SqlError("syntax", message)]
    try:
        parsed = sqlglot.parse(sql, read=dialect)
    except ParseError as e:
        errors = []
        for info in e.errors[:3] or [{"description": _ANSI.sub("", str(e))}]:
            near = info.get("highlight") or ""
            line, col = info.get("line"), info.get("col")
            if col is not None and near and "\n" not in near:
                col = max(1, col - len(near) + 1)  # sqlglot points at the token's last character
            text = info.get("description", "syntax error") + (f" near {near!r}" if near else "")
            errors.append(SqlError("syntax", text, line, col))
        return None, errors
    except TokenError as e:
        near = " ".join(str(e).split())[-60:]
        message = f"cannot tokenize the SQL (unterminated string or quoted name?): {near}"
        return None, [SqlError("syntax", message)]
    except RecursionError:
        raise  # validate() reports it
    except Exception as e:  # noqa: BLE001 - sqlglot's function builders can fail on odd input
        # (`VAR_MAP(1)` raises IndexError): untrusted SQL must never crash the validator
        message = f"cannot parse the SQL ({type(e).__name__} in sqlglot: {e})"
        return None, [SqlError("syntax", message)]
    statements = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    if not statements:
        return None, [SqlError("syntax", "no SQL statement found")]
    if len(statements) > 1:
        return None, [
            SqlError(
                "multiple_statements", f"expected exactly one statement, found {len(statements)}"
            )
        ]
    return statements[0], []


def _statement_name(node: exp.Expr) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Into):
        return "SELECT ... INTO"
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    return node.key.upper()


def _ddl() -> tuple[type, ...]:
    from sqlglot import exp

    return (exp.Create, exp.Drop, exp.Alter, exp.TruncateTable, exp.Into)


def check_read_only(tree: exp.Expr, allow_write: bool = False) -> list[SqlError]:
    """Only queries (plus INSERT/UPDATE/DELETE/MERGE with `allow_write`); DDL never, anywhere."""
    from sqlglot import exp

    dml = (exp.Insert, exp.Update, exp.Delete, exp.Merge)
    never = (*_ddl(), exp.Command, exp.Pragma, exp.Attach, exp.Detach)
    errors: list[SqlError] = []
    allowed_top = (exp.Query, *dml) if allow_write else (exp.Query,)
    if not isinstance(tree, (*allowed_top, *dml, *never)):
        what = "queries and INSERT/UPDATE/DELETE/MERGE" if allow_write else "queries"
        errors.append(
            SqlError("read_only", f"{_statement_name(tree)} is not allowed: only {what} may run")
        )
    for node in tree.walk():
        if isinstance(node, never):
            errors.append(
                SqlError(
                    "read_only",
                    f"{_statement_name(node)} is never allowed (it changes the database)",
                )
            )
        elif isinstance(node, dml) and not allow_write:
            where = "" if node is tree else " (inside the query)"
            errors.append(
                SqlError(
                    "read_only",
                    f"{_statement_name(node)}{where} is not allowed without --allow-write",
                )
            )
    errors += _table_functions(tree)
    if not allow_write and tree.args.get("locks"):
        errors.append(
            SqlError(
                "read_only",
                "SELECT ... FOR UPDATE/SHARE takes locks: not allowed without --allow-write",
            )
        )
    return errors


# table functions that only make rows from their arguments; any other reads outside the schema's
# tables: files (DuckDB's read_csv, read_text, glob), other databases, extensions
_GENERATORS = frozenset({"range", "generate_series", "exploding_generate_series", "unnest", "explode",
                         "json_each", "json_tree", "generate_subscripts", "flatten", "generator",
                         "split_to_table"})  # fmt: skip


def _table_functions(tree: exp.Expr) -> list[SqlError]:
    """A table function in FROM other than a row generator is refused: `arctic sql --execute` must
    not let a query read `/etc/passwd` through DuckDB's `read_csv`."""
    from sqlglot import exp

    errors = []
    for table in tree.find_all(exp.Table):
        func = table.this
        if not isinstance(func, exp.Func):
            continue
        name = (func.name if isinstance(func, exp.Anonymous) else func.sql_name()).lower()
        if name not in _GENERATORS:
            errors.append(SqlError("read_only", f"table function {name}() is not allowed: "
                                   "queries read the schema's tables (and range, unnest, json_each)"))  # fmt: skip
    return errors


def _is_named_table(table: exp.Table) -> bool:
    from sqlglot import exp

    return isinstance(table.this, exp.Identifier)


def check_tables(tree: exp.Expr, schema: Schema, ms: MappingSchema, sql: str) -> list[SqlError]:
    """Every real table in every scope (CTEs and subqueries included) must be in the schema."""
    from sqlglot import exp

    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    names = [t.qualified for t in schema.tables]
    errors: list[SqlError] = []
    seen: set[str] = set()
    for table in tree.find_all(exp.Table):
        if table.find_ancestor(*_ddl()) or not _is_named_table(table):
            continue  # a target the read-only rules already reject, or a table function
        if not table.args.get("db") and table.name.lower() in cte_names:
            continue
        if ms.column_names(table):
            continue
        shown = ".".join(p.sql() for p in table.parts)
        if shown.lower() in seen:
            continue
        seen.add(shown.lower())
        line, col = _position(sql, table)
        errors.append(
            SqlError(
                "unknown_table", f"unknown table {shown}", line, col, _closest(table.name, names)
            )
        )
    return errors


_UNRESOLVED = re.compile(
    r"Column '(?P<col>[^']+)' could not be resolved(?: for table: '(?P<table>[^']+)')?"
)
_UNKNOWN = re.compile(r"Unknown column: (?P<col>\S+)")


def _source_columns(source: Any, ms: MappingSchema) -> list[str]:
    from sqlglot import exp

    if isinstance(source, exp.Table):
        return list(ms.column_names(source))
    expression = getattr(source, "expression", None)
    return list(getattr(expression, "named_selects", []) or [])


def _column_error(message: str, tree: exp.Expr, ms: MappingSchema, sql: str) -> SqlError:
    """Turn qualify's message into a contract error: unknown vs ambiguous, position, suggestion."""
    from sqlglot.optimizer.scope import traverse_scope

    message = _ANSI.sub("", message).split("\n")[0]
    match = _UNRESOLVED.search(message) or _UNKNOWN.search(message)
    if not match:
        return SqlError("unknown_column", re.sub(r"\. Line: .*", "", message))
    name = match.group("col")
    table = match.groupdict().get("table")
    for scope in traverse_scope(tree):
        for column in scope.columns:
            if column.name.lower() != name.lower() or (
                table and column.table.lower() != table.lower()
            ):
                continue
            line, col = _position(sql, column)
            if table or column.table:
                alias = table or column.table
                source = scope.sources.get(alias) or scope.sources.get(alias.lower())
                if source is None:
                    hint = _closest(alias, list(scope.sources))
                    return SqlError(
                        "unknown_table",
                        f"unknown table or alias {alias} (for column {alias}.{name})",
                        line,
                        col,
                        hint,
                    )
                cols = _source_columns(source, ms)
                return SqlError(
                    "unknown_column",
                    f"unknown column {name} in {alias}",
                    line,
                    col,
                    _closest(name, cols),
                )
            having = [
                a
                for a, s in scope.sources.items()
                if name.lower() in (c.lower() for c in _source_columns(s, ms))
            ]
            if len(having) > 1:
                options = " or ".join(f"{a}.{name}" for a in having)
                return SqlError(
                    "ambiguous_column",
                    f"column {name} is ambiguous: it is in {', '.join(having)}",
                    line,
                    col,
                    options,
                )
            cols = [c for s in scope.sources.values() for c in _source_columns(s, ms)]
            where = ", ".join(scope.sources) or "the query"
            return SqlError(
                "unknown_column",
                f"unknown column {name} (not in {where})",
                line,
                col,
                _closest(name, cols),
            )
    return SqlError("unknown_column", f"unknown column {name}")


def check_columns(tree: exp.Expr, ms: MappingSchema, dialect: str, sql: str) -> list[SqlError]:
    """Resolve every column with sqlglot's qualify (on a copy: it rewrites the tree in place)."""
    from sqlglot.errors import OptimizeError
    from sqlglot.optimizer.qualify import qualify

    try:
        qualify(tree.copy(), schema=ms, dialect=dialect, sql=sql, validate_qualify_columns=True)
    except OptimizeError as e:
        return [_column_error(str(e), tree, ms, sql)]
    except RecursionError:
        raise  # validate() reports it
    except Exception as e:  # noqa: BLE001 - an unchecked statement must not pass as valid
        message = f"cannot check the columns ({type(e).__name__} in sqlglot: {e})"
        return [SqlError("unsupported", message)]
    return []


def transpile(tree: exp.Expr, to: str) -> tuple[str | None, SqlError | None]:
    """Pretty SQL in dialect `to`, or an `unsupported` error (never a silent rewrite)."""
    from sqlglot import ErrorLevel
    from sqlglot.errors import UnsupportedError

    try:
        return tree.sql(dialect=to, pretty=True, unsupported_level=ErrorLevel.RAISE), None
    except UnsupportedError as e:
        detail = _ANSI.sub("", str(e)).strip().replace("\n", "; ")
        return None, SqlError("unsupported", f"cannot express this query in {to}: {detail}")


def validate(
    sql: str,
    schema: Schema | None,
    dialect: str,
    *,
    allow_write: bool = False,
    to: str | None = None,
) -> Validation:
    """Check one statement; `schema=None` checks syntax and the read-only rules only."""
    try:
        return _validate(sql, schema, dialect, allow_write, to)
    except RecursionError:  # sqlglot parses and walks recursively: `f(f(f(...)))` 300 deep
        message = "the statement nests too deeply to check (parentheses or function calls)"
        return Validation(sql.strip(), dialect, False, [SqlError("syntax", message)])


def _validate(
    sql: str, schema: Schema | None, dialect: str, allow_write: bool, to: str | None
) -> Validation:
    from sqlglot import exp

    target = to or dialect
    tree, errors = _parse(sql, dialect)
    if tree is None:
        return Validation(sql.strip(), dialect, False, errors)
    errors = check_read_only(tree, allow_write)
    if schema is not None:
        ms = schema.mapping_schema()
        table_errors = check_tables(tree, schema, ms, sql)
        errors += table_errors
        # unknown tables make every column look unknown: report the tables alone
        if not table_errors and isinstance(tree, exp.Query):
            errors += check_columns(tree, ms, dialect, sql)
        if not errors and dialect == schema.dialect == "sqlite":
            errors += check_with_sqlite(tree, schema)
    if errors:
        return Validation(sql.strip(), dialect, False, errors, tree)
    pretty, problem = transpile(tree, target)
    if problem is not None or pretty is None:
        return Validation(sql.strip(), dialect, False, [problem] if problem else [], tree)
    return Validation(pretty, target, True, [], tree)


_SQLITE_KINDS = (("no such column", "unknown_column"), ("no such table", "unknown_table"),
                 ("ambiguous column", "ambiguous_column"))  # fmt: skip


def check_with_sqlite(tree: exp.Expr, schema: Schema) -> list[SqlError]:
    """Have SQLite compile the statement (EXPLAIN: nothing runs) in an empty in-memory copy of the
    schema: it rejects what sqlglot lets through, such as an aggregate in WHERE, a window function
    without OVER, or a function SQLite lacks (`VARIANCE`). A schema SQLite cannot rebuild (two
    tables that differ only in case, ...) skips the check rather than blame the statement."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    try:
        try:
            for db in sorted({t.db for t in schema.tables if t.db} - {"main", "temp"}):
                conn.execute(f"ATTACH DATABASE ':memory:' AS {db}")
            for t in schema.tables:  # typeless columns: types do not decide what compiles
                conn.execute(f"CREATE TABLE {t.qualified} ({', '.join(c.name for c in t.columns)})")
        except sqlite3.Error:
            return []
        reason = _sqlite_rejects(conn, tree)
    finally:
        conn.close()
    if reason is None:
        return []
    kind = next((k for start, k in _SQLITE_KINDS if reason.startswith(start)), "execution")
    return [SqlError(kind, f"SQLite rejects the query: {reason}")]


def _sqlite_rejects(conn: Any, tree: exp.Expr) -> str | None:
    """SQLite's reason for not compiling the statement (as sqlglot writes it for SQLite), or None
    when it compiles (unbound `?` parameters are no reason)."""
    import sqlite3

    try:
        conn.execute("EXPLAIN " + tree.sql(dialect="sqlite"))
    except sqlite3.OperationalError as e:
        return str(e)
    except sqlite3.Error:  # it compiled; only its parameters are unbound
        return None
    return None


# SQL words and a short query that needs each: `sqlite_lacks` has SQLite compile them
_WORD_PROBES = {
    "interval": "SELECT a - INTERVAL '3 days' FROM t",
    "within": "SELECT MAX(a) WITHIN GROUP (ORDER BY a) FROM t",
    "extract": "SELECT EXTRACT(YEAR FROM a) FROM t",
    "any": "SELECT a FROM t WHERE a = ANY (SELECT a FROM t)",
    "some": "SELECT a FROM t WHERE a = SOME (SELECT a FROM t)",
    "qualify": "SELECT a FROM t QUALIFY ROW_NUMBER() OVER (ORDER BY a) = 1",
    "fetch": "SELECT a FROM t FETCH FIRST 3 ROWS ONLY",
    "filter": "SELECT COUNT(*) FILTER (WHERE a > 1) FROM t",
    "window": "SELECT a FROM t WINDOW w AS (ORDER BY a)",
    "nulls": "SELECT a FROM t ORDER BY a NULLS LAST",
    "ilike": "SELECT a FROM t WHERE a ILIKE 'x%'",
}


def _probe(conn: Any, sql: str) -> str | None:
    """`_sqlite_rejects` for SQL text read as SQLite; ValueError when sqlglot cannot read it."""
    import sqlglot

    try:
        tree = sqlglot.parse_one(sql, read="sqlite")
    except Exception as e:  # noqa: BLE001 - sqlglot's parse errors, and its builders' failures
        raise ValueError(sql) from e
    return _sqlite_rejects(conn, tree)


@lru_cache(maxsize=4)
def sqlite_lacks(functions: frozenset[str]) -> frozenset[str]:
    """Which of the function names `functions` and of the SQL words in `_WORD_PROBES` SQLite (the
    one here) cannot compile, after sqlglot's rewrites for SQLite (`IF` becomes `IIF`, `FETCH
    FIRST` `LIMIT`): `VARIANCE`, `DATE_TRUNC`, `INTERVAL`, `ANY (subquery)`, `CONCAT` before
    SQLite 3.44 ... `check_with_sqlite` would reject them; the SQL constraint does not offer them."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    lacking = set()
    try:
        conn.execute("CREATE TABLE t (a, b, c)")
        for name in sorted(functions):
            for args in ("a", "a, b", "a, b, c"):  # the first arity both sqlglot and SQLite take
                try:
                    reason = _probe(conn, f"SELECT {name}({args}) FROM t")
                except ValueError:
                    continue
                if reason is not None and reason.startswith("no such function"):
                    lacking.add(name)
                    break
                if reason is None:
                    break  # (else: another arity, or a window function without OVER)
        for word, probe in _WORD_PROBES.items():
            try:
                if _probe(conn, probe) is not None:
                    lacking.add(word)
            except ValueError:  # sqlglot cannot read it as SQLite: validation calls it a syntax error
                lacking.add(word)
    finally:
        conn.close()
    return frozenset(lacking)
