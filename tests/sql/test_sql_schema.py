"""Schema loading: DDL in several dialects, live SQLite catalogs, and every bad input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from arctic_cli.errors import UsageError
from arctic_cli.sql import schema as schema_mod
from arctic_cli.sql.prompt import render_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_ddl_keeps_types_keys_and_foreign_keys(shop: schema_mod.Schema) -> None:
    assert [t.name for t in shop.tables] == ["customers", "products", "orders", "order_items"]
    items = shop.tables[3]
    assert [(c.name, c.type, c.primary_key) for c in items.columns] == [
        ("order_id", "INTEGER", True), ("product_id", "INTEGER", True),
        ("quantity", "INTEGER", False), ("unit_price", "REAL", False),
    ]  # fmt: skip
    assert [(f.columns, f.ref_table, f.ref_columns) for f in items.foreign_keys] == [
        (["order_id"], "orders", ["id"]), (["product_id"], "products", ["id"]),
    ]  # fmt: skip
    orders = shop.tables[2]
    assert [(f.columns, f.ref_table) for f in orders.foreign_keys] == [
        (["customer_id"], "customers")
    ]


def test_typeless_sqlite_columns_and_quoted_names() -> None:
    library = schema_mod.load([EXAMPLES / "library.sql"])
    members = next(t for t in library.tables if t.name == "members")
    assert [(c.name, c.type) for c in members.columns] == [
        ("member_id", "INTEGER"),
        ('"Member Name"', ""),
        ("joined", ""),
    ]
    assert 'members(member_id INTEGER PK, "Member Name", joined)' in render_schema(library)


def test_schema_qualified_postgres_ddl() -> None:
    hr = schema_mod.load([EXAMPLES / "hr_postgres.sql"], dialect="postgres")
    assert [t.qualified for t in hr.tables] == [
        "hr.departments",
        "hr.employees",
        "hr.salary_history",
    ]
    assert set(hr.mapping()) == {"hr"}
    employees = hr.tables[1]
    assert ("manager_id", "hr.employees") in [
        (f.columns[0], f.ref_table) for f in employees.foreign_keys
    ]


def test_repeatable_schema_files(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("CREATE TABLE a (x INT);")
    (tmp_path / "b.sql").write_text(
        "CREATE TABLE b (y INT); CREATE VIEW v AS SELECT y AS z FROM b;"
    )
    schema = schema_mod.load([tmp_path / "a.sql", tmp_path / "b.sql"])
    assert [(t.name, t.column_names()) for t in schema.tables] == [
        ("a", ["x"]),
        ("b", ["y"]),
        ("v", ["z"]),
    ]


def test_sqlite_catalog_matches_the_ddl(shop: schema_mod.Schema) -> None:
    live = schema_mod.load(db=EXAMPLES / "shop.sqlite")
    assert live.dialect == "sqlite" and live.db_kind == "sqlite"
    by_name = {t.name: t for t in live.tables}
    def declared(columns: list[schema_mod.Column]) -> list[tuple[str, str, bool]]:
        return [(c.name, c.type, c.primary_key) for c in columns]  # a catalog also has values

    for table in shop.tables:
        assert declared(by_name[table.name].columns) == declared(table.columns)
        assert by_name[table.name].foreign_keys == table.foreign_keys


def test_catalog_lists_frequent_values_of_short_text_and_flag_columns(tmp_path: Path) -> None:
    path = tmp_path / "v.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, tier TEXT)")
    conn.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id), status TEXT, "
        "is_open BOOLEAN, qty INTEGER, note TEXT, due DATE, phone TEXT, owner TEXT)"
    )
    conn.executemany("INSERT INTO p VALUES (?, ?, ?)", [(i, f"name {i}", None) for i in range(1, 9)])
    rows = [
        (i, 1, ["open", "paid", "paid", "it's void"][i % 4], i % 2, i, "a long free-text note " * 2,
         "2024-01-0" + str(1 + i % 9), f"+1-555-100-{1000 + i}", None)
        for i in range(1, 13)
    ]  # fmt: skip
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("CREATE VIEW v AS SELECT status FROM t")  # a view may be costly to read: not sampled
    conn.commit()
    conn.close()
    schema = schema_mod.load(db=path)
    assert all(not c.values for t in schema.tables for c in t.columns)  # read only when used
    schema_mod.read_values(schema)
    tables = {t.name: t for t in schema.tables}
    listed = {c.name: (c.values, c.more_values) for c in tables["t"].columns}
    assert listed["status"] == (("'paid'", "'it''s void'", "'open'"), False)  # by count, quoted
    assert listed["is_open"] == (("0", "1"), False)
    for name in ("id", "p_id", "qty", "note", "due", "phone", "owner"):  # keys, numbers, long text,
        assert listed[name] == ((), False), name  # dates, phone numbers, only NULLs
    assert tables["v"].columns[0].values == ()
    names = tables["p"].columns[1]
    assert names.values == ("'name 1'", "'name 2'") and names.more_values  # 8 distinct: the first 2


def test_stored_texts_are_read_once_from_text_columns_only(shop_db: Path) -> None:
    before = shop_db.read_bytes()
    schema = schema_mod.load(db=shop_db)
    texts = schema_mod.read_texts(schema)
    assert "Ada Lovelace" in texts[("customers", "name")] and "London" in texts[("customers", "city")]
    assert set(texts[("orders", "status")]) <= {"pending", "shipped", "delivered", "cancelled"}
    assert ("customers", "id") not in texts and ("order_items", "quantity") not in texts  # numbers
    assert "2024-03-01" in texts[("orders", "order_date")]  # SQLite stores dates as strings
    assert schema_mod.read_texts(schema) is texts and schema.subset(schema.tables[:1]).texts is texts
    assert shop_db.read_bytes() == before  # read-only
    assert schema_mod.read_texts(schema_mod.load([EXAMPLES / "shop.sql"])) == {}  # DDL: nothing stored


def test_reading_the_catalog_leaves_the_file_untouched(shop_db: Path) -> None:
    before = shop_db.read_bytes()
    schema_mod.load(db=shop_db)
    assert shop_db.read_bytes() == before
    assert not Path(str(shop_db) + "-journal").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"\x00\x01\x02binary", "is a binary file"),
        (b"\xff\xfe\xfa not utf8", "is not UTF-8"),
        (b"CREATE TABLE t (a INT,\n  b INT\n  c INT)", "cannot parse the DDL in"),
        (b"-- nothing here\nSELECT 1;", "no CREATE TABLE statements"),
        (b"", "no CREATE TABLE statements"),
    ],
)
def test_bad_schema_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "schema.sql"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError, match=message) as info:
        schema_mod.load([path])
    assert info.value.exit_code == 2


def test_unparseable_ddl_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.sql"
    path.write_text("CREATE TABLE ok (a INT);\nCREATE TABLE t (a INT\n  b INT c INT);\n")
    with pytest.raises(UsageError, match=r"at line 3, col 3: Expecting \)"):
        schema_mod.load([path])


def test_table_options_sqlglot_cannot_parse_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "opts.sql"
    path.write_text(
        "CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID;\nCREATE INDEX i ON kv (v);\n"
    )
    (table,) = schema_mod.load([path]).tables
    assert (table.name, table.column_names()) == ("kv", ["k", "v"])
    path.write_text("CREATE TABLE ok (a INT);\nCREATE TABLE t LIKE ok EXTRA junk;\n")
    with pytest.raises(UsageError, match="at line 2: unsupported CREATE statement"):
        schema_mod.load([path])


PG_DUMP = """--
-- PostgreSQL database dump
--
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TABLE public.customers (
    id integer NOT NULL,
    name character varying(120) NOT NULL
);
ALTER TABLE public.customers OWNER TO app;
CREATE TABLE public.orders (
    id integer NOT NULL,
    customer_id integer,
    status text
);
COPY public.customers (id, name) FROM stdin;
1\tAda; the first; programmer
2\tAlan
\\.
ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);
CREATE INDEX orders_status_idx ON public.orders USING btree (status);
"""


def test_a_pg_dump_keeps_its_keys_and_skips_its_data(tmp_path: Path) -> None:
    """pg_dump declares every key with ALTER TABLE ... ADD CONSTRAINT, and a full dump carries
    COPY ... FROM stdin rows: the keys are read, the rows skipped (they failed to parse)."""
    path = tmp_path / "dump.sql"
    path.write_text(PG_DUMP)
    customers, orders = schema_mod.load([path], dialect="postgres").tables
    assert [c.name for c in customers.columns if c.primary_key] == ["id"]
    assert [c.name for c in orders.columns if c.primary_key] == ["id"]
    assert [(f.columns, f.ref_table, f.ref_columns) for f in orders.foreign_keys] == [
        (["customer_id"], "public.customers", ["id"])
    ]
    path.write_text(PG_DUMP + "CREATE TABLE broken (a INT\n  b INT c INT);\n")
    with pytest.raises(UsageError, match=r"at line 26, col 3"):  # lines of the data still count
        schema_mod.load([path], dialect="postgres")


def test_keys_added_by_alter_table_in_mysql(tmp_path: Path) -> None:
    path = tmp_path / "my.sql"
    path.write_text(
        "CREATE TABLE `user` (`id` int NOT NULL);\n"
        "CREATE TABLE `order` (`id` int NOT NULL, `user_id` int);\n"
        "ALTER TABLE `user` ADD PRIMARY KEY (`id`);\n"
        "ALTER TABLE `order` ADD CONSTRAINT `fk_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`);\n"
    )
    user, order = schema_mod.load([path], dialect="mysql").tables
    assert [c.name for c in user.columns if c.primary_key] == ["`id`"]  # names as SQL spells them
    assert [(f.columns, f.ref_table) for f in order.foreign_keys] == [(["`user_id`"], "`user`")]


def test_a_sql_server_script_with_go_batches(tmp_path: Path) -> None:
    """SSMS "Script Table as": `GO` ends each batch, keys are CLUSTERED constraints and an ALTER
    TABLE ... WITH CHECK ADD CONSTRAINT (before: "no CREATE TABLE statements found")."""
    path = tmp_path / "ms.sql"
    path.write_text(
        "SET ANSI_NULLS ON\nGO\n"
        "CREATE TABLE [dbo].[Customers](\n\t[CustomerId] [int] IDENTITY(1,1) NOT NULL,\n"
        "\t[Name] [nvarchar](100) NOT NULL,\n CONSTRAINT [PK_Customers] PRIMARY KEY CLUSTERED\n"
        "(\n\t[CustomerId] ASC\n)WITH (PAD_INDEX = OFF) ON [PRIMARY]\n) ON [PRIMARY]\nGO\n"
        "CREATE TABLE [dbo].[Orders](\n\t[OrderId] [int] NOT NULL,\n\t[CustomerId] [int] NOT NULL,\n"
        " CONSTRAINT [PK_Orders] PRIMARY KEY NONCLUSTERED ([OrderId] ASC)\n) ON [PRIMARY]\ngo\n"
        "ALTER TABLE [dbo].[Orders]  WITH CHECK ADD  CONSTRAINT [FK_Orders_Customers] FOREIGN KEY([CustomerId])\n"
        "REFERENCES [dbo].[Customers] ([CustomerId])\nGO\n"
    )
    customers, orders = schema_mod.load([path], dialect="tsql").tables
    assert (customers.qualified, customers.column_names()) == ("[dbo].[Customers]", ["[CustomerId]", "[Name]"])
    assert [c.name for c in customers.columns if c.primary_key] == ["[CustomerId]"]
    assert [c.name for c in orders.columns if c.primary_key] == ["[OrderId]"]
    assert [(f.columns, f.ref_table) for f in orders.foreign_keys] == [(["[CustomerId]"], "[dbo].[Customers]")]


def test_database_passed_as_schema(shop_db: Path) -> None:
    with pytest.raises(UsageError, match="is a database, not a DDL file"):
        schema_mod.load([shop_db])


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "fake.sqlite"
    path.write_text("CREATE TABLE t (a INT);")
    with pytest.raises(UsageError, match="is not a SQLite or DuckDB database"):
        schema_mod.load(db=path)
    with pytest.raises(UsageError, match="database not found"):
        schema_mod.load(db=tmp_path / "missing.sqlite")


def test_database_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (a INT)")
    conn.execute("DROP TABLE t")  # a valid SQLite file with an empty catalog
    conn.commit()
    conn.close()
    with pytest.raises(UsageError, match="has no tables"):
        schema_mod.load(db=path)


def test_both_or_neither_source(shop_db: Path) -> None:
    with pytest.raises(UsageError, match="either --schema FILE or --db PATH"):
        schema_mod.load()
    with pytest.raises(UsageError, match="not both"):
        schema_mod.load([EXAMPLES / "shop.sql"], db=shop_db)


def test_duckdb_missing_package_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.duckdb"
    path.write_bytes(b"\x00" * 8 + b"DUCK" + b"\x00" * 100)
    import builtins

    real_import = builtins.__import__

    def no_duckdb(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "duckdb":
            raise ImportError("no duckdb")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_duckdb)
    with pytest.raises(UsageError) as info:
        schema_mod.load(db=path)
    assert "duckdb" in info.value.message and info.value.hint == "pip install arctic-cli[duckdb]"


def _sources() -> list[Path]:
    heldout = EXAMPLES.parent / "evals" / "heldout"
    ddl = [EXAMPLES / "shop.sql", EXAMPLES / "library.sql", *sorted(heldout.glob("*.sql"))]
    return [p for p in ddl if p.with_suffix(".sqlite").exists()]


@pytest.mark.parametrize("ddl", _sources(), ids=lambda p: p.stem)
def test_ddl_and_catalog_render_the_same_prompt(ddl: Path) -> None:
    """Types as declared (VARCHAR(40), not sqlglot's TEXT(40)): --schema and --db prompts agree."""
    from_ddl = render_schema(schema_mod.load([ddl]), values=False)
    from_db = render_schema(schema_mod.load(db=ddl.with_suffix(".sqlite")), values=False)
    assert sorted(from_ddl.splitlines()) == sorted(from_db.splitlines())


def test_values_of_a_sampled_table_may_be_incomplete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, status TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, "new" if i < 8 else "old") for i in range(1, 10)])
    conn.commit()
    conn.close()
    monkeypatch.setattr(schema_mod, "VALUE_ROWS", 5)  # only the first 5 rows are read
    schema = schema_mod.load(db=path)
    schema_mod.read_values(schema)
    (table,) = schema.tables
    assert table.columns[1].values == ("'new'",) and table.columns[1].more_values  # 'old' unseen
    monkeypatch.setattr(schema_mod, "VALUE_ROWS", 100)
    schema = schema_mod.load(db=path)
    schema_mod.read_values(schema)
    (table,) = schema.tables
    assert table.columns[1].values == ("'new'", "'old'") and not table.columns[1].more_values


def test_ddl_check_in_lists_are_the_column_values() -> None:
    (table,) = schema_mod.parse_ddl(
        "CREATE TABLE o (id INT CHECK (id IN (5, 7)), status TEXT CHECK (status IN ('new', 'it''s')), "
        "k TEXT, f INT, g TEXT, CONSTRAINT c1 CHECK (k IN ('a', 'b')), CHECK (f IN (0, 1)), CHECK (g <> ''))",
        "sqlite",
    )
    assert [(c.name, c.values) for c in table.columns] == [
        ("id", ()),  # only text and 0/1 flags are listed
        ("status", ("'new'", "'it''s'")),
        ("k", ("'a'", "'b'")),
        ("f", ("0", "1")),
        ("g", ()),
    ]


def test_declared_types_are_kept_verbatim() -> None:
    tables = schema_mod.parse_ddl(
        "CREATE TABLE t (a VARCHAR(40) NOT NULL, b NUMERIC(8,2) DEFAULT 0, c TIMESTAMP WITH TIME ZONE, d)",
        "postgres",
    )
    assert [c.type for c in tables[0].columns] == [
        "VARCHAR(40)",
        "NUMERIC(8,2)",
        "TIMESTAMP WITH TIME ZONE",
        "",
    ]
