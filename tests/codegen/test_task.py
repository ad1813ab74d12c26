"""The generate-check-repair loop, driven by a scripted backend."""

from __future__ import annotations

import pytest
from scripted import Scripted  # type: ignore[import-not-found]

from arctic_cli.backends import GenParams
from arctic_cli.codegen.task import generate_code, render_prompt
from arctic_cli.errors import UsageError

BAD = "```python\ndef f(:\n    pass\n```"
GOOD = "```python\ndef f():\n    pass\n```"


def test_valid_first_time() -> None:
    backend = Scripted([GOOD])
    result = generate_code(backend, "a function f", "python", GenParams())
    assert (result.valid, result.attempts, result.errors) == (True, 1, [])
    assert result.code == "def f():\n    pass\n"
    assert result.to_json() == {
        "task": "a function f", "language": "python", "code": "def f():\n    pass\n",
        "valid": True, "errors": [], "attempts": 1, "model": "scripted",
    }  # fmt: skip
    assert len(backend.calls) == 1


def test_repair_replays_the_answer_with_the_errors() -> None:
    backend = Scripted([BAD, GOOD])
    result = generate_code(backend, "a function f", "python", GenParams())
    assert (result.valid, result.attempts) == (True, 2)
    repair_messages = backend.calls[1][0]
    assert [m["role"] for m in repair_messages] == ["user", "assistant", "user"]
    assert repair_messages[1]["content"].strip() == BAD.strip()
    assert "- line 1, column 7: invalid syntax" in repair_messages[2]["content"]
    assert result.usage.completion_tokens > 0 and result.usage.prompt_tokens > 0


def test_gives_up_after_max_repairs_with_the_best_attempt() -> None:
    last = "```python\nx = 1\ny = (\n```"
    backend = Scripted([BAD, BAD, last])
    result = generate_code(backend, "f", "python", GenParams(), max_repairs=2)
    assert result.valid is False
    assert result.attempts == 3 and len(backend.calls) == 3
    assert result.code == "x = 1\ny = (\n"  # one error each: ties go to the latest attempt
    assert result.errors == [
        {"kind": "syntax", "message": "'(' was never closed", "line": 2, "col": 5}
    ]


def test_max_repairs_zero_means_one_attempt() -> None:
    result = generate_code(Scripted([BAD]), "f", "python", GenParams(), max_repairs=0)
    assert (result.valid, result.attempts) == (False, 1)


def test_unchecked_language_is_not_repaired() -> None:
    backend = Scripted(["```rust\nfn main() {\n```"])
    result = generate_code(backend, "hello", "rust", GenParams())
    assert (result.valid, result.attempts, result.errors) == (None, 1, [])


def test_context_files_go_into_the_prompt() -> None:
    text = render_prompt("add a test", "python", [("lib.py", "def add(a, b):\n    return a + b\n")])
    assert "Task: add a test" in text
    assert "Context file lib.py:\n```\ndef add(a, b):\n    return a + b\n```" in text
    assert "```python" in text


def test_prompt_longer_than_the_window_is_a_usage_error() -> None:
    backend = Scripted([GOOD], context_window=10)
    with pytest.raises(UsageError, match=r"takes \d+ tokens but the model's context window is 10"):
        generate_code(backend, "a task " * 20, "python", GenParams())
    assert backend.calls == []


def test_max_tokens_is_cut_to_the_room_left() -> None:
    backend = Scripted([GOOD], context_window=60)
    generate_code(backend, "f", "python", GenParams(max_tokens=512))
    messages, params = backend.calls[0]
    assert params.max_tokens == 60 - backend.count_tokens(messages)


def test_repairs_stop_when_the_conversation_outgrows_the_window() -> None:
    first = [{"role": "user", "content": render_prompt("f", "python")}]
    backend = Scripted([BAD, GOOD], context_window=Scripted([]).count_tokens(first) + 3)
    result = generate_code(backend, "f", "python", GenParams())
    assert (result.valid, result.attempts, result.out_of_room) == (False, 1, True)
    assert len(backend.calls) == 1
