"""Database schemas as plain data: loaded from DDL files or read from a live SQLite/DuckDB catalog.

A `Schema` keeps what guides a model and a validator: tables (optionally schema-qualified),
columns with their declared types (SQLite allows none), primary keys and foreign keys, and the
values of short text or flag columns (`Column.values`: a DDL `CHECK (c IN (...))` list, or the
frequent ones of a live database's tables, read by `read_values` only where they are used), which tell a model that "open invoices" means
`Status = 'open'`. Names are
stored as SQL text in the schema's dialect (`"Order Items"` keeps its quotes), so they can be
pasted into prompts and handed to sqlglot's `MappingSchema` unchanged.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arctic_cli.errors import UsageError

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.schema import MappingSchema

SQLITE_MAGIC = b"SQLite format 3\x00"
DUCKDB_MAGIC = b"DUCK"  # at byte offset 8 of a DuckDB file


@dataclass
class Column:
    name: str  # SQL text of the identifier, quoted where the dialect needs it
    type: str = ""  # "" for a typeless SQLite column
    primary_key: bool = False
    values: tuple[str, ...] = ()  # SQL literals of frequent values, most frequent first
    more_values: bool = False  # the column holds (or, past the rows read, may hold) other values


@dataclass
class ForeignKey:
    columns: list[str]
    ref_table: str  # SQL text, possibly schema-qualified
    ref_columns: list[str] = field(default_factory=list)


@dataclass
class Table:
    name: str
    columns: list[Column]
    db: str | None = None  # the schema part of `sales.orders`
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    view: bool = False  # a database view: its values are not read (that may run a costly query)

    @property
    def qualified(self) -> str:
        return f"{self.db}.{self.name}" if self.db else self.name

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class Schema:
    tables: list[Table]
    dialect: str
    source: str = ""  # where it came from, for messages
    db_path: Path | None = None  # set when read from a live database
    db_kind: str | None = None  # "sqlite" | "duckdb"
    values_read: bool = False  # `read_values` has filled Column.values from the database
    texts: Texts | None = None  # `read_texts`: the strings stored in each text column

    def mapping(self) -> dict[str, Any]:
        """Nested dict for sqlglot: {table: {col: type}} or {db: {table: {col: type}}}.

        sqlglot wants every table at the same depth; unqualified tables in a mixed schema go under
        `main` (SQLite's and DuckDB's default schema name).
        """
        nested = any(t.db for t in self.tables)
        out: dict[str, Any] = {}
        for t in self.tables:
            cols = {c.name: (c.type or "UNKNOWN") for c in t.columns}
            if nested:
                out.setdefault(t.db or "main", {})[t.name] = cols
            else:
                out[t.name] = cols
        return out

    def mapping_schema(self) -> MappingSchema:
        from sqlglot.schema import MappingSchema

        return MappingSchema(self.mapping(), dialect=self.dialect)

    def subset(self, tables: Iterable[Table]) -> Schema:
        keep = list(tables)
        return Schema(
            keep, self.dialect, self.source, self.db_path, self.db_kind, self.values_read, self.texts
        )


def _ident(node: exp.Expression, dialect: str) -> str:
    return node.sql(dialect=dialect)


def _table_name(table: exp.Table, dialect: str) -> tuple[str | None, str]:
    db = table.args.get("db")
    return (_ident(db, dialect) if db else None), _ident(table.this, dialect)


def _ref(reference: exp.Expression, dialect: str) -> tuple[str, list[str]]:
    from sqlglot import exp

    target = reference.this
    cols: list[str] = []
    if isinstance(target, exp.Schema):
        cols = [_ident(e, dialect) for e in target.expressions]
        target = target.this
    db, name = _table_name(target, dialect)
    return (f"{db}.{name}" if db else name), cols


_TYPE_STOP = frozenset(
    [
        "PRIMARY",
        "NOT",
        "NULL",
        "DEFAULT",
        "REFERENCES",
        "UNIQUE",
        "CHECK",
        "CONSTRAINT",
        "COLLATE",
        "GENERATED",
        "AS",
        "ON",
        "AUTO_INCREMENT",
        "AUTOINCREMENT",
        "IDENTITY",
        "COMMENT",
        "FOREIGN",
        "KEY",
        "ENCODE",
    ]
)


class DeclaredTypes:
    """Column types exactly as the DDL spells them (`VARCHAR(40)`, `NUMERIC(8,2)`).

    sqlglot normalises types when it regenerates them (SQLite's VARCHAR(40) becomes TEXT(40));
    a live database's catalog reports the declared text. Reading the declared text from the
    tokens keeps prompts the same whether the schema comes from `--schema` or `--db`.
    """

    def __init__(self, text: str, dialect: str):
        from sqlglot.dialects.dialect import Dialect

        self.text = text
        self.tokens = Dialect.get_or_raise(dialect).tokenizer_class().tokenize(text)
        self.starts = [t.start for t in self.tokens]

    def after(self, name: exp.Expr) -> str | None:
        """The type text following the column name `name` (an Identifier with position meta)."""
        import bisect

        from sqlglot.tokens import TokenType

        end = name.meta.get("end")
        if end is None:
            return None
        depth, first, last = 0, None, None
        # by index, not a slice: a copy of the rest of the file's tokens per column was quadratic
        for i in range(bisect.bisect_right(self.starts, end), len(self.tokens)):
            tok = self.tokens[i]
            if depth == 0 and (
                tok.token_type in (TokenType.COMMA, TokenType.R_PAREN)
                or tok.text.upper().split()[0] in _TYPE_STOP
            ):
                break
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tok.token_type, 0)
            first, last = first or tok, tok
        return self.text[first.start : last.end + 1] if first and last else None


def _table_from_create(
    create: exp.Create, dialect: str, types: DeclaredTypes | None = None
) -> Table | None:
    from sqlglot import exp

    target = create.this
    if isinstance(target, exp.Schema):
        db, name = _table_name(target.this, dialect)
        table = Table(name=name, columns=[], db=db)
        pk: list[str] = []
        for item in target.expressions:
            if isinstance(item, exp.Identifier):  # typeless SQLite column
                table.columns.append(Column(_ident(item, dialect)))
            elif isinstance(item, exp.ColumnDef):
                declared = types.after(item.this) if types and item.kind else None
                kind = declared or (item.kind.sql(dialect) if item.kind else "")
                col = Column(_ident(item.this, dialect), " ".join(kind.split()))
                for constraint in item.args.get("constraints") or []:
                    kind = constraint.args.get("kind")
                    if isinstance(kind, exp.PrimaryKeyColumnConstraint):
                        col.primary_key = True
                    elif isinstance(kind, exp.Reference):
                        ref_table, ref_cols = _ref(kind, dialect)
                        table.foreign_keys.append(ForeignKey([col.name], ref_table, ref_cols))
                table.columns.append(col)
            else:
                pk += _table_keys(item, table, dialect)
        _mark_primary(table, pk)  # after every column: a key may be declared before its column
        _checked_values(target, table, dialect)
        return table if table.columns else None
    if isinstance(target, exp.Table) and isinstance(create.expression, exp.Query):
        # CREATE TABLE/VIEW ... AS SELECT: the columns are the query's output names (when knowable)
        names = create.expression.named_selects
        if not names or "*" in names:
            return None
        db, name = _table_name(target, dialect)
        return Table(name=name, columns=[Column(n) for n in names], db=db)
    return None


def _table_keys(item: exp.Expr, table: Table, dialect: str) -> list[str]:
    """A table constraint's keys: foreign keys are added to `table`, primary key columns returned."""
    from sqlglot import exp

    pk = []
    for key in item.find_all(exp.PrimaryKey):
        pk += [_ident(e.this if isinstance(e, exp.Ordered) else e, dialect) for e in key.expressions]
    for con in item.find_all(exp.Constraint):  # T-SQL: PRIMARY KEY [NON]CLUSTERED (cols)
        if any(isinstance(e, exp.PrimaryKeyColumnConstraint) for e in con.expressions):
            for e in con.expressions:
                if isinstance(e, (exp.ClusteredColumnConstraint, exp.NonClusteredColumnConstraint)):
                    pk += [_ident(o.this if isinstance(o, exp.Ordered) else o, dialect) for o in e.this]
    for fk in item.find_all(exp.ForeignKey):
        ref = fk.args.get("reference")
        if ref is not None:
            ref_table, ref_cols = _ref(ref, dialect)
            own = [_ident(e, dialect) for e in fk.expressions]
            table.foreign_keys.append(ForeignKey(own, ref_table, ref_cols))
    return pk


def _altered_keys(alter: exp.Alter, tables: list[Table], dialect: str) -> None:
    """`ALTER TABLE [ONLY] t ADD [CONSTRAINT c] PRIMARY KEY / FOREIGN KEY ...`, as pg_dump and
    many migration tools declare every key: applied to the table defined earlier."""
    from sqlglot import exp

    if not isinstance(alter.this, exp.Table):
        return
    db, name = _table_name(alter.this, dialect)
    table = next((t for t in tables if t.name == name and (db is None or t.db in (None, db))), None)
    if table is None:
        return
    for action in alter.args.get("actions") or []:
        if isinstance(action, exp.AddConstraint):
            _mark_primary(table, _table_keys(action, table, dialect))


def _mark_primary(table: Table, pk: list[str]) -> None:
    for col in table.columns:
        col.primary_key = col.primary_key or col.name in pk


def _scripted(text: str) -> str:
    """A dump script as plain DDL, lines kept: pg_dump's `COPY t (...) FROM stdin;` rows up to
    `\\.` are data (blanked), and SQL Server's `GO` lines end a batch (a `;`)."""
    text = _COPY_DATA.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _GO.sub(";", text)


def _checked_values(target: exp.Schema, table: Table, dialect: str) -> None:
    """`CHECK (status IN ('open', 'paid'))` (column or table constraint): the column's values."""
    from sqlglot import exp

    by_name = {c.name: c for c in table.columns}
    for check in target.find_all(exp.CheckColumnConstraint):
        for cond in check.find_all(exp.In):
            col = (
                by_name.get(_ident(cond.this.this, dialect))
                if isinstance(cond.this, exp.Column)
                else None
            )
            items = cond.expressions
            if col is None or not items or not all(isinstance(i, exp.Literal) for i in items):
                continue
            raw = [i.name if i.is_string else int(i.name) for i in items if i.is_string or i.is_int]
            listed = [lit for lit in map(_literal, raw) if lit is not None]
            if len(listed) == len(items):  # every item is a listable string or flag
                col.values, col.more_values = tuple(listed), False


_CREATE_TABLE = re.compile(
    r"^\s*(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP\s+|TEMPORARY\s+|UNLOGGED\s+)?TABLE\b",
    re.I,
)

_COPY_DATA = re.compile(r"^COPY [^;\n]* FROM stdin;\n.*?^\\\.$", re.M | re.S | re.I)
_GO = re.compile(r"^[ \t]*GO(?:[ \t]+\d+)?[ \t]*;?[ \t]*$", re.M | re.I)


def _salvage(stmt: exp.Expr | None, text: str, dialect: str, source: str) -> exp.Expr | None:
    """sqlglot turns a CREATE TABLE it cannot fully parse into an opaque Command.

    Table options after the column list (SQLite's `WITHOUT ROWID`, MySQL's `ENGINE=...`) are a
    common cause: retry without them; if the statement still does not parse, it is bad DDL.
    """
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError

    if not isinstance(stmt, exp.Command) or str(stmt.this).upper() != "CREATE":
        return stmt
    tail = stmt.expression  # a plain string or a string Literal, depending on the parser path
    rest = tail.name if isinstance(tail, exp.Expression) else str(tail or "")
    if not _CREATE_TABLE.match(rest):
        return None  # CREATE TRIGGER, CREATE INDEX ...: nothing to read
    if ")" in rest:
        try:
            retry = sqlglot.parse_one("CREATE " + rest[: rest.rindex(")") + 1], read=dialect)
            if isinstance(retry, exp.Create):
                return retry
        except ParseError:
            pass
    head = rest.strip().split("\n")[0][:60]
    at = text.find(rest.strip()[:200])
    where = f" at line {text.count(chr(10), 0, at) + 1}" if at >= 0 else ""
    raise UsageError(
        f"cannot parse the DDL in {source}{where}: unsupported CREATE statement near {head!r}",
        hint=f"check the file is {dialect} DDL (or pass --dialect)",
    )


def parse_ddl(text: str, dialect: str, source: str = "<ddl>") -> list[Table]:
    """Every table (and view with known columns) that `text`'s CREATE statements define."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    text = _scripted(text)
    try:
        statements = sqlglot.parse(text, read=dialect)
    except ParseError as e:
        first = e.errors[0] if e.errors else {}
        where = f" at line {first.get('line')}, col {first.get('col')}" if first else ""
        what = first.get("description", "syntax error")
        near = first.get("highlight")
        raise UsageError(
            f"cannot parse the DDL in {source}{where}: {what}"
            + (f" near {near!r}" if near else ""),
            hint=f"check the file is {dialect} DDL (or pass --dialect)",
        ) from None
    except TokenError as e:
        raise UsageError(
            f"cannot parse the DDL in {source}: {e}",
            hint="look for an unterminated string or quote",
        ) from None
    types = DeclaredTypes(text, dialect)
    tables = []
    for parsed in statements:
        stmt = _salvage(parsed, text, dialect, source)
        kind = str(stmt.args.get("kind", "")).upper() if stmt is not None else ""
        if isinstance(stmt, exp.Create) and kind in ("TABLE", "VIEW"):
            # a salvaged statement was re-parsed from a substring: its positions are not the file's
            table = _table_from_create(stmt, dialect, types if stmt is parsed else None)
            if table is not None:
                tables.append(table)
        elif isinstance(stmt, exp.Alter) and kind == "TABLE":
            _altered_keys(stmt, tables, dialect)
    return tables


def is_database(head: bytes) -> bool:
    """Whether a file starting with `head` (16 bytes suffice) is a SQLite or DuckDB database."""
    return head.startswith(SQLITE_MAGIC) or _is_duckdb(head[:16])


def read_text_file(path: Path, what: str = "schema file") -> str:
    """A DDL/SQL file's text; a database file passed by mistake points at --db."""
    from arctic_cli import textfiles

    data = textfiles.read_bytes(path, what)
    if is_database(data):
        raise UsageError(f"{path} is a database, not a DDL file", hint=f"use --db {path}")
    return textfiles.decode(data, path, what, hint="pass a .sql file with CREATE TABLE statements")


def from_files(paths: Sequence[Path], dialect: str) -> Schema:
    tables: list[Table] = []
    for path in paths:
        found = parse_ddl(read_text_file(path), dialect, str(path))
        tables += found
    names = ", ".join(str(p) for p in paths)
    if not tables:
        raise UsageError(
            f"no CREATE TABLE statements found in {names}",
            hint="the schema needs at least one table",
        )
    return Schema(tables, dialect, names)


def _is_duckdb(head: bytes) -> bool:
    return head[8:12] == DUCKDB_MAGIC


def _db_kind(path: Path) -> str:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        raise UsageError(f"database not found: {path}", hint="check the path") from None
    except IsADirectoryError:
        raise UsageError(
            f"{path} is a directory, not a database", hint="pass a SQLite or DuckDB file"
        ) from None
    except OSError as e:
        raise UsageError(
            f"cannot read database {path}: {e.strerror}", hint="check its permissions"
        ) from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if _is_duckdb(head):
        return "duckdb"
    raise UsageError(
        f"{path} is not a SQLite or DuckDB database", hint="for a DDL file use --schema"
    )


def connect_sqlite(path: Path) -> sqlite3.Connection:
    """Open a SQLite file strictly read-only: `mode=ro` URI plus `PRAGMA query_only`."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


VALUE_ROWS = 1000  # rows read per table to find a column's frequent values
ALL_VALUES = 6  # a column with at most this many distinct values lists them all ...
SOME_VALUES = 2  # ... else its most frequent ones
VALUE_CHARS = 24  # longer strings (free text, e-mails) are not listed
_DATE_LIKE = re.compile(r"\d{4}-\d\d-\d\d")


def _literal(value: object) -> str | None:
    """The SQL literal of a value worth listing, or None (numbers, dates, long text)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value) if value in (0, 1) else None  # flags only
    if isinstance(value, str):
        if not value or len(value) > VALUE_CHARS or "\n" in value or _DATE_LIKE.match(value):
            return None
        if sum(ch.isdigit() for ch in value) >= 7:  # phone numbers, long numeric codes
            return None
        return "'" + value.replace("'", "''") + "'"
    return None


def column_values(cells: Sequence[object], partial: bool = False) -> tuple[tuple[str, ...], bool]:
    """(listed literals, more may exist) for one column's sampled cells (`partial`: a sample,
    not the whole table); ((), False) if not listable.

    A column is listed only if every non-NULL sampled value has a literal (a text column of
    short strings, a 0/1 flag): a number column with one 0 or 1 in it is not a flag.
    """
    counts: dict[str, int] = {}
    for cell in cells:
        if cell is None:
            continue
        lit = _literal(cell)
        if lit is None:
            return (), False
        counts[lit] = counts.get(lit, 0) + 1
    ranked = sorted(counts, key=lambda v: (-counts[v], v))
    if len(ranked) <= ALL_VALUES:
        return tuple(ranked), partial and bool(ranked)
    return tuple(ranked[:SOME_VALUES]), True


def attach_values(table: Table, names: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Set `values` on the table's plain columns from sampled rows (`names`: the rows' columns)."""
    keys = {c for fk in table.foreign_keys for c in fk.columns}
    index = {n: i for i, n in enumerate(names)}
    for col in table.columns:
        i = index.get(col.name)
        if i is None or col.primary_key or col.name in keys:
            continue
        col.values, col.more_values = column_values([r[i] for r in rows], len(rows) >= VALUE_ROWS)


def sample_values(
    tables: Iterable[Table],
    conn: Any,
    dialect: str,
    errors: type[Exception] | tuple[type[Exception], ...],
) -> None:
    """`attach_values` on each table from its first VALUE_ROWS rows, read through a DB-API `conn`
    (sqlite3 or duckdb); a table the database refuses to read (`errors`) lists no values."""
    for table in tables:
        try:
            cur = conn.execute(f"SELECT * FROM {table.qualified} LIMIT {VALUE_ROWS}")
            rows = cur.fetchall()
        except errors:
            continue
        attach_values(table, [_sql_name(d[0], dialect) for d in cur.description], rows)


STORED_ROWS = 20000  # rows read per column to find the strings a question quotes
Texts = dict[tuple[str, str], list[str]]  # (table's qualified name, column) -> strings stored


def stored_texts(tables: Iterable[Table], conn: Any, errors: Any) -> Texts:
    """The distinct strings among the first STORED_ROWS rows of each column of the tables (not
    views), read through a DB-API `conn` (sqlite3 or duckdb): what `linking.hints` matches a
    question's words against. A column it cannot read (`errors`) or with no strings is left out."""
    out: Texts = {}
    for table in tables:
        if table.view:
            continue
        for col in table.columns:
            sql = f"SELECT DISTINCT {col.name} FROM (SELECT {col.name} FROM {table.qualified} LIMIT {STORED_ROWS})"
            try:
                rows = conn.execute(sql).fetchall()
            except errors:
                continue
            strings = [v for (v,) in rows if isinstance(v, str)]
            if strings:
                out[(table.qualified, col.name)] = strings
    return out


def read_values(schema: Schema) -> None:
    """Fill `Column.values` from the schema's database, once (views are not read). Called only
    where values are used (the local constraint, `--values`); a DDL schema keeps its CHECK lists.
    A database that can no longer be read leaves the values empty: they are an aid, not a need."""
    if schema.db_path is None or schema.values_read:
        return
    schema.values_read = True
    opened = _open_read_only(schema)
    if opened is None:
        return
    conn, errors = opened
    try:
        sample_values([t for t in schema.tables if not t.view], conn, schema.dialect, errors)
    finally:
        conn.close()


def read_texts(schema: Schema) -> Texts:
    """`schema.texts`, read once from the schema's database (`stored_texts`); empty for a DDL
    schema or a database that can no longer be read (like `read_values`: an aid, not a need)."""
    if schema.texts is None:
        schema.texts = {}
        opened = _open_read_only(schema) if schema.db_path is not None else None
        if opened is not None:
            conn, errors = opened
            try:
                schema.texts = stored_texts(schema.tables, conn, errors)
            finally:
                conn.close()
    return schema.texts


def _open_read_only(schema: Schema) -> tuple[Any, Any] | None:
    """(connection, its error class) to the schema's database, read-only; None if it will not open."""
    if schema.db_kind == "duckdb":
        duckdb = import_duckdb()
        try:
            return connect_duckdb(schema.db_path), duckdb.Error  # type: ignore[arg-type]
        except duckdb.Error:
            return None
    try:
        return connect_sqlite(schema.db_path), sqlite3.Error  # type: ignore[arg-type]
    except sqlite3.Error:
        return None


def _sql_name(name: str, dialect: str) -> str:
    from sqlglot import exp

    return exp.to_identifier(name).sql(dialect=dialect)


def from_sqlite(path: Path) -> Schema:
    try:
        conn = connect_sqlite(path)
        try:
            rows = conn.execute(
                "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).fetchall()
            tables = []
            for name, kind in rows:
                cols = conn.execute(f"PRAGMA table_info({_q(name)})").fetchall()
                fks = conn.execute(f"PRAGMA foreign_key_list({_q(name)})").fetchall()
                table = Table(
                    _sql_name(name, "sqlite"),
                    [Column(_sql_name(c[1], "sqlite"), c[2] or "", bool(c[5])) for c in cols],
                    view=kind == "view",
                )
                by_id: dict[int, ForeignKey] = {}
                for fk in fks:  # (id, seq, table, from, to, on_update, on_delete, match)
                    entry = by_id.setdefault(fk[0], ForeignKey([], _sql_name(fk[2], "sqlite"), []))
                    entry.columns.append(_sql_name(fk[3], "sqlite"))
                    if fk[4]:
                        entry.ref_columns.append(_sql_name(fk[4], "sqlite"))
                # SQLite numbers foreign keys from the last declared one: restore declaration order
                table.foreign_keys = [by_id[k] for k in sorted(by_id, reverse=True)]
                if table.columns:
                    tables.append(table)
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise UsageError(
            f"{path} is not a readable SQLite database: {e}", hint="check the file"
        ) from None
    return Schema(tables, "sqlite", str(path), path, "sqlite")


def import_duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise UsageError(
            "DuckDB databases need the duckdb package", hint="pip install arctic-cli[duckdb]"
        ) from None
    return duckdb


def connect_duckdb(path: Path, files: bool = False) -> Any:
    """Open a DuckDB file read-only, by default with no access outside it: no files (`read_csv`,
    `COPY ... TO`), no extensions, no ATTACH; the setting is locked so a statement cannot turn it
    back on. `files`: as DuckDB opens it by default, for the database's own views over files."""
    config = {} if files else {"enable_external_access": False, "lock_configuration": True}
    return import_duckdb().connect(str(path), read_only=True, config=config)


def from_duckdb(path: Path) -> Schema:
    import_duckdb()  # a missing package is its own error, not "not a readable database"
    try:
        conn = connect_duckdb(path)
    except Exception as e:  # duckdb raises its own IOException/InvalidInputException family
        raise UsageError(
            f"{path} is not a readable DuckDB database: {e}", hint="check the file"
        ) from None
    try:
        cols = conn.execute(
            "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = current_database() ORDER BY table_schema, table_name, ordinal_position"
        ).fetchall()
        keys = conn.execute(
            "SELECT schema_name, table_name, constraint_type, constraint_column_names, "
            "referenced_table, referenced_column_names FROM duckdb_constraints() "
            "WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
        ).fetchall()
        base = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_type = 'BASE TABLE'"
        ).fetchall()
    finally:
        conn.close()
    tables = _duckdb_tables(cols, keys)
    plain = {(None if db == "main" else _sql_name(db, "duckdb"), _sql_name(n, "duckdb")) for db, n in base}
    for table in tables:
        table.view = (table.db, table.name) not in plain
    return Schema(tables, "duckdb", str(path), path, "duckdb")


def _duckdb_tables(cols: list[Any], keys: list[Any]) -> list[Table]:
    tables: dict[tuple[str, str], Table] = {}
    for db, name, col, typ in cols:
        key = (db, name)
        if key not in tables:
            qual = None if db == "main" else _sql_name(db, "duckdb")
            tables[key] = Table(_sql_name(name, "duckdb"), [], qual)
        tables[key].columns.append(Column(_sql_name(col, "duckdb"), typ))
    for db, name, kind, own, ref_table, ref_cols in keys:
        table = tables.get((db, name))
        if table is None:
            continue
        own = [_sql_name(c, "duckdb") for c in own]
        if kind == "PRIMARY KEY":
            for c in table.columns:
                c.primary_key = c.primary_key or c.name in own
        elif ref_table:
            refs = [_sql_name(c, "duckdb") for c in ref_cols or []]
            table.foreign_keys.append(ForeignKey(own, _sql_name(ref_table, "duckdb"), refs))
    return list(tables.values())


def load(
    schema_files: Sequence[Path] | None = None, db: Path | None = None, dialect: str = "sqlite"
) -> Schema:
    """The schema from DDL files (in `dialect`) or from a database (whose dialect wins)."""
    if bool(schema_files) == bool(db):
        raise UsageError(
            "give either --schema FILE or --db PATH"
            if not schema_files
            else "give --schema or --db, not both",
            hint="--schema reads DDL files; --db reads a SQLite or DuckDB database's catalog",
        )
    if schema_files:
        return from_files(schema_files, dialect)
    assert db is not None
    kind = _db_kind(db)
    schema = from_sqlite(db) if kind == "sqlite" else from_duckdb(db)
    if not schema.tables:
        raise UsageError(
            f"the database {db} has no tables", hint="point --db at a database with tables"
        )
    return schema
