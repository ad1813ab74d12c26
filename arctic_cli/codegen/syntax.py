"""Syntax checks for generated code. Nothing here ever executes the code.

Python is parsed with `ast` (compile to a tree only), JSON with `json`, SQL with sqlglot's parser
in the configured dialect. Other languages are not checked: `check()` returns None for them and
the command says "syntax not checked". Errors follow the contract's shape:
`{"kind": "syntax", "message", "line", "col"}`.
"""

from __future__ import annotations

import warnings
from typing import Any

Error = dict[str, Any]

CHECKED = ("python", "json", "sql")


def _error(message: str, line: int | None = None, col: int | None = None) -> Error:
    error: Error = {"kind": "syntax", "message": message}
    if line is not None:
        error["line"] = line
    if col is not None:
        error["col"] = col
    return error


def check_python(code: str) -> list[Error]:
    import ast

    try:
        # e.g. invalid escape sequences: warnings about the code are not the user's problem here
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(code, filename="<generated>", mode="exec")
    except SyntaxError as e:
        return [_error(e.msg, e.lineno, e.offset)]
    except ValueError as e:  # source code string cannot contain null bytes
        return [_error(str(e))]
    return []


def check_json(code: str) -> list[Error]:
    import json

    try:
        json.loads(code)
    except json.JSONDecodeError as e:
        return [_error(e.msg, e.lineno, e.colno)]
    return []


def check_sql(code: str, dialect: str = "sqlite") -> list[Error]:
    import logging

    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    logger = logging.getLogger("sqlglot")  # it logs "falling back to Command" to stderr otherwise
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        statements = [s for s in sqlglot.parse(code, read=dialect) if s is not None]
    except ParseError as e:
        errors = []
        for detail in e.errors or [{"description": str(e)}]:
            errors.append(
                _error(detail.get("description") or str(e), detail.get("line"), detail.get("col"))
            )
        return errors
    except TokenError as e:
        return [_error(str(e))]
    finally:
        logger.setLevel(level)
    if not statements:
        return [_error("no SQL statement found")]
    # sqlglot parses bare words and expressions ("hello world" is an alias): not a statement
    for statement in statements:
        if isinstance(statement, (exp.Condition, exp.Alias, exp.Identifier)):
            return [_error(f"not an SQL statement: {statement.sql(dialect)[:60]!r}")]
    return []


def check(code: str, language: str, *, dialect: str = "sqlite") -> list[Error] | None:
    """Syntax errors of `code` (empty list = valid), or None when `language` is not checked."""
    if not code.strip():
        return [_error(f"the answer contains no {language} code")]
    if language == "python":
        return check_python(code)
    if language == "json":
        return check_json(code)
    if language == "sql":
        return check_sql(code, dialect)
    return None
