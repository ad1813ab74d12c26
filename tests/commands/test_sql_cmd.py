"""`arctic sql` through the real Typer app: output, JSON shape, CSV, exit codes and every bad input."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from scripted import Scripted  # type: ignore[import-not-found]
from typer.testing import CliRunner

from arctic_cli import backends
from arctic_cli.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHOP = str(EXAMPLES / "shop.sql")
QUESTION = "How many orders did each customer place?"
RIGHT = "SELECT c.name, COUNT(o.id) AS orders FROM customers AS c LEFT JOIN orders AS o ON o.customer_id = c.id GROUP BY c.name ORDER BY c.name"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    for var in (
        "ARCTIC_MODEL",
        "ARCTIC_ENDPOINT",
        "ARCTIC_DIALECT",
        "ARCTIC_TEMPERATURE",
        "ARCTIC_MAX_TOKENS",
    ):
        monkeypatch.delenv(var, raising=False)


def model(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> Scripted:
    backend = Scripted(answers)
    monkeypatch.setattr(
        backends, "open_backend", lambda settings, progress=True: backend, raising=False
    )
    return backend


def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(settings, progress=True):  # type: ignore[no-untyped-def]
        raise AssertionError("bad input must be rejected before a model loads")

    monkeypatch.setattr(backends, "open_backend", fail, raising=False)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["sql", *args])


def test_text_output_is_plain_pretty_sql(monkeypatch: pytest.MonkeyPatch) -> None:
    model(monkeypatch, [f"Here it is:\n```sql\n{RIGHT};\n```"])
    result = run(QUESTION, "--schema", SHOP)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "SELECT\n  c.name,\n  COUNT(o.id) AS orders\nFROM customers AS c\nLEFT JOIN orders AS o"
    )
    assert "\x1b[" not in result.stdout  # no colour codes when piped
    assert result.stderr == ""


def test_repair_loop_with_verbose(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = model(monkeypatch, ["SELECT nme FROM customers", RIGHT])
    result = run(QUESTION, "--schema", SHOP, "--verbose", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["attempts"] == 2 and data["valid"] is True
    assert data["sql"].startswith("SELECT\n  c.name")
    assert (
        "--- attempt 1 (1 error(s))" in result.stderr and "--- attempt 2 (valid)" in result.stderr
    )
    assert "did you mean name?" in backend.calls[1][0][-1]["content"]


def test_json_shape_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    model(monkeypatch, [RIGHT])
    result = run(QUESTION, "--schema", SHOP, "--format", "json", "--to", "postgres")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["question", "sql", "dialect", "valid", "errors", "attempts", "model"]
    assert (
        data["question"] == QUESTION
        and data["dialect"] == "postgres"
        and data["model"] == "scripted"
    )
    assert data["errors"] == [] and data["attempts"] == 1


def test_invalid_after_repairs_exits_3_with_best_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    model(monkeypatch, ["SELECT nme FROM customers", "SELECT nme FROM customers"])
    result = run(QUESTION, "--schema", SHOP, "--max-repairs", "1")
    assert result.exit_code == 3
    assert result.stdout == "SELECT nme FROM customers\n"
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == "unknown_column: line 1, col 8: unknown column nme (not in customers) (did you mean name?)"
    )
    assert lines[1] == "error: no valid SQL after 2 attempts"

    model(monkeypatch, ["DELETE FROM orders"])
    result = run(QUESTION, "--schema", SHOP, "--max-repairs", "0", "--format", "json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["attempts"] == 1
    assert data["errors"] == [
        {"kind": "read_only", "message": "DELETE is not allowed without --allow-write"}
    ]


def test_execute_json_rows_and_db_untouched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "shop.sqlite"
    db.write_bytes((EXAMPLES / "shop.sqlite").read_bytes())
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    model(monkeypatch, [RIGHT])
    result = run(QUESTION, "--db", str(db), "--execute", "--format", "json", "--limit", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["columns"] == ["name", "orders"]
    assert data["rows"] == [["Ada Lovelace", 3], ["Alan Turing", 1]]
    assert "only the first 2" in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_execute_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    model(monkeypatch, [RIGHT])
    result = run(QUESTION, "--db", str(EXAMPLES / "shop.sqlite"), "-x", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["name", "orders"] and rows[1] == ["Ada Lovelace", "3"] and len(rows) == 9
    assert "8 rows" in result.stderr


def test_execute_text_table(monkeypatch: pytest.MonkeyPatch) -> None:
    model(monkeypatch, [RIGHT])
    result = run(QUESTION, "--db", str(EXAMPLES / "shop.sqlite"), "--execute")
    assert result.exit_code == 0
    assert "Grace Hopper" in result.stdout and "Niklaus Wirth" in result.stdout


def test_samples_vote(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [
        "SELECT COUNT(*) FROM customers",
        "SELECT COUNT(id) FROM orders",
        "SELECT COUNT(*) FROM orders",
    ]
    backend = model(monkeypatch, answers)
    result = run(
        "How many orders?",
        "--db",
        str(EXAMPLES / "shop.sqlite"),
        "--samples",
        "3",
        "--format",
        "json",
        "--seed",
        "1",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["sql"] == "SELECT\n  COUNT(id)\nFROM orders" and data["attempts"] == 3
    assert "rows" not in data  # voting executed the candidates, but only --execute prints rows
    assert [p.seed for _, p in backend.calls] == [1, 2, 3]


def test_beams_reach_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    from arctic_cli.sql import BEAMS

    for flags, width in (([], BEAMS), (["--beams", "2"], 2), (["--beams", "1"], 1)):
        backend = model(monkeypatch, [RIGHT])
        assert run(QUESTION, "--schema", SHOP, *flags).exit_code == 0
        assert [p.beams for _, p in backend.calls] == [width]
    result = run(QUESTION, "--schema", SHOP, "--beams", "0")
    assert result.exit_code == 2 and "--beams" in result.output


def test_prompt_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    template = tmp_path / "p.txt"
    template.write_text("MY PROMPT {dialect}: {question}\n{schema}")
    backend = model(monkeypatch, [RIGHT])
    assert run(QUESTION, "--schema", SHOP, "--prompt", str(template)).exit_code == 0
    assert backend.calls[0][0][0]["content"].startswith(f"MY PROMPT sqlite: {QUESTION}\ncustomers(")


def test_settings_reach_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = model(monkeypatch, [RIGHT])
    assert (
        run(QUESTION, "--schema", SHOP, "--temperature", "0.3", "--max-tokens", "77").exit_code == 0
    )
    params = backend.calls[0][1]
    assert (params.temperature, params.max_tokens) == (0.3, 77)


def test_dialect_flag_reads_postgres_ddl(monkeypatch: pytest.MonkeyPatch) -> None:
    model(
        monkeypatch,
        [
            "SELECT e.first_name, d.name FROM hr.employees e JOIN hr.departments d USING (department_id)"
        ],
    )
    result = run(
        "Who works where?",
        "--schema",
        str(EXAMPLES / "hr_postgres.sql"),
        "--dialect",
        "postgres",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["dialect"] == "postgres"


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--schema", SHOP], "error: empty question"),
        (["   ", "--schema", SHOP], "error: empty question"),
        (["q", "--schema", "missing.sql"], "error: schema file missing.sql does not exist"),
        (["q", "--schema", str(EXAMPLES)], f"error: schema file {EXAMPLES} is a directory"),
        (["q"], "error: give either --schema FILE or --db PATH"),
        (
            ["q", "--schema", SHOP, "--db", str(EXAMPLES / "shop.sqlite")],
            "error: give --schema or --db, not both",
        ),
        (["q", "--db", SHOP], "is not a SQLite or DuckDB database"),
        (["q", "--schema", str(EXAMPLES / "shop.sqlite")], "is a database, not a DDL file"),
        (["q", "--schema", SHOP, "--execute"], "error: --execute needs a database"),
        (
            ["q", "--schema", SHOP, "--format", "csv"],
            "error: --format csv writes the rows of --execute",
        ),
        (
            ["q", "--schema", SHOP, "--to", "postgresql"],
            "error: unknown SQL dialect 'postgresql' for --to",
        ),
        (["q", "--schema", SHOP, "--dialect", "nope"], "error: invalid value 'nope' for dialect"),
    ],
)
def test_bad_input_exits_2(monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    no_model(monkeypatch)
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr.splitlines()[0]
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "is a binary file"),
        (b"CREATE TABLE t (a INT\n  b INT c INT);", "cannot parse the DDL in"),
        (b"-- just a comment\n", "no CREATE TABLE statements found"),
    ],
)
def test_bad_schema_files_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: bytes, message: str
) -> None:
    no_model(monkeypatch)
    result = run("q", "--schema", _write(tmp_path / "s.sql", data))
    assert result.exit_code == 2
    assert message in result.stderr.splitlines()[0]


def test_unparseable_ddl_says_the_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_model(monkeypatch)
    result = run(
        "q",
        "--schema",
        _write(
            tmp_path / "s.sql", b"CREATE TABLE a (x INT);\nCREATE TABLE t (a INT\n  b INT c INT);"
        ),
    )
    assert "at line 3, col 3" in result.stderr


def test_unreadable_schema_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "s.sql"
    path.write_text("CREATE TABLE t (a INT);")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)  # root can read a chmod 000 file
    no_model(monkeypatch)
    result = run("q", "--schema", str(path))
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[0] == f"error: cannot read schema file {path}: Permission denied"
    )


def test_help_does_not_import_sqlglot() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from arctic_cli.commands import sql, validate; print('sqlglot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_constraint_reaches_a_local_backend_and_no_constrain_turns_it_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from arctic_cli.sql.constrain import SchemaConstraint

    class LocalLike(Scripted):
        supports_constraints = True

        class tokenizer:  # noqa: N801 - stands in for the engine tokenizer's decode()
            @staticmethod
            def decode(ids):  # type: ignore[no-untyped-def]
                return ""

    for flag, expected in (([], SchemaConstraint), (["--no-constrain"], type(None))):
        backend = LocalLike([RIGHT])
        monkeypatch.setattr(
            backends, "open_backend", lambda settings, progress=True, b=backend: b, raising=False
        )
        assert run(QUESTION, "--schema", SHOP, *flag).exit_code == 0
        assert isinstance(backend.calls[0][1].constraint, expected)
    remote = model(monkeypatch, [RIGHT])  # no tokenizer: never constrained
    assert run(QUESTION, "--schema", SHOP).exit_code == 0
    assert remote.calls[0][1].constraint is None


def test_large_schema_selection_is_said_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = model(monkeypatch, [RIGHT])
    backend.context_window = 160  # the scripted count of the whole prompt is 116
    result = run(QUESTION, "--schema", SHOP, "--max-tokens", "60")
    assert result.exit_code == 0
    assert (
        "the prompt holds the 2 most relevant tables; left out: products, order_items"
        in result.stderr
    )


def test_sql_is_logged_to_history_unless_no_log(monkeypatch: pytest.MonkeyPatch) -> None:
    from arctic_cli import history

    model(monkeypatch, [f"```sql\n{RIGHT}\n```"])
    result = CliRunner().invoke(app, ["sql", QUESTION, "--schema", SHOP])
    assert result.exit_code == 0, result.stderr
    (entry,) = history.recent()
    assert entry["command"] == "sql"
    assert entry["prompt"] == QUESTION
    assert entry["model"] == "scripted"
    assert entry["sql"].startswith("SELECT")
    assert entry["valid"] in (1, True)
    assert entry["schema_hash"]

    model(monkeypatch, [f"```sql\n{RIGHT}\n```"])
    result = CliRunner().invoke(app, ["sql", QUESTION, "--schema", SHOP, "--no-log"])
    assert result.exit_code == 0
    assert len(history.recent()) == 1


def test_constraint_is_said_to_be_local_only_with_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = model(monkeypatch, [f"```sql\n{RIGHT}\n```"])
    backend.supports_constraints = False  # type: ignore[attr-defined]
    result = CliRunner().invoke(app, ["sql", QUESTION, "--schema", SHOP, "--constrain"])
    assert result.exit_code == 0
    assert "schema-constrained decoding needs the local engine" in result.stderr
    for flags in ([], ["--no-constrain"]):  # on by default, but only an explicit request is answered
        model(monkeypatch, [f"```sql\n{RIGHT}\n```"])
        result = CliRunner().invoke(app, ["sql", QUESTION, "--schema", SHOP, *flags])
        assert result.exit_code == 0
        assert "schema-constrained" not in result.stderr
