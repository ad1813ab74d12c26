"""Code extraction from model answers."""

from __future__ import annotations

import pytest

from arctic_cli.codegen.extract import blocks, extract_code
from arctic_cli.codegen.languages import from_path, normalize


def test_takes_the_block_tagged_with_the_language() -> None:
    answer = "Here:\n```bash\necho hi\n```\nand\n```python\nprint(1)\n```\nDone."
    assert extract_code(answer, "python") == "print(1)\n"


def test_alias_tags_count_as_the_language() -> None:
    assert extract_code("```py\nx = 1\n```", "python") == "x = 1\n"


def test_falls_back_to_the_longest_block() -> None:
    answer = "```\nshort\n```\n```text\na much longer block\nof two lines\n```"
    assert extract_code(answer, "python") == "a much longer block\nof two lines\n"


def test_unclosed_fence_runs_to_the_end() -> None:
    assert (
        extract_code("Sure:\n```python\ndef f():\n    return 1", "python")
        == "def f():\n    return 1\n"
    )


def test_no_fence_takes_the_whole_answer() -> None:
    assert extract_code("\n  print('x')  \n\n", "python") == "print('x')\n"
    assert extract_code("   ", "python") == ""


def test_longer_fences_and_tildes() -> None:
    answer = "````markdown\n```python\ninner\n```\n````\n~~~json\n{}\n~~~"
    found = blocks(answer)
    assert [(b.tag, b.code) for b in found] == [
        ("markdown", "```python\ninner\n```"),
        ("json", "{}"),
    ]
    assert extract_code(answer, "json") == "{}\n"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("PY", "python"), ("js", "javascript"), ("c++", "cpp"), ("Kotlin", "kotlin")],
)
def test_normalize(name: str, expected: str) -> None:
    assert normalize(name) == expected


def test_language_from_extension() -> None:
    assert from_path("out/x.JSON") == "json"
    assert from_path("q.sql") == "sql"
    assert from_path("notes") is None
