"""Syntax checks never execute code and report contract-shaped errors."""

from __future__ import annotations

from pathlib import Path

from arctic_cli.codegen.syntax import check


def test_valid_python() -> None:
    assert check("def f(x):\n    return x * 2\n", "python") == []


def test_python_error_has_line_and_col() -> None:
    errors = check("x = 1\ndef f(:\n    pass\n", "python")
    assert errors is not None and len(errors) == 1
    assert (errors[0]["kind"], errors[0]["line"]) == ("syntax", 2)
    assert errors[0]["col"] >= 1  # the exact column and wording vary between Python versions


def test_python_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('x')\n"
    assert check(code, "python") == []
    assert not marker.exists()


def test_json() -> None:
    assert check('{"a": [1, 2]}', "json") == []
    assert check('{"a": }', "json") == [
        {"kind": "syntax", "message": "Expecting value", "line": 1, "col": 7}
    ]


def test_sql() -> None:
    assert check("SELECT a FROM t WHERE b > 1;", "sql") == []
    errors = check("SELECT (a FROM t", "sql")
    assert errors and errors[0]["kind"] == "syntax" and errors[0]["line"] == 1
    assert check("hello world", "sql") == [
        {"kind": "syntax", "message": "not an SQL statement: 'hello AS world'"}
    ]
    assert check("SELECT 'unterminated", "sql") == [
        {"kind": "syntax", "message": "Error tokenizing 'SELECT 'unterminate'"}
    ]


def test_empty_code_is_an_error_and_unknown_languages_are_unchecked() -> None:
    assert check("  \n", "python") == [
        {"kind": "syntax", "message": "the answer contains no python code"}
    ]
    assert check("fn main() {}", "rust") is None
