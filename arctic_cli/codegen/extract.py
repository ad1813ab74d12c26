"""Pull the code out of a model's answer: the fenced block in the asked language, else the best guess.

Order of preference: the first fenced block tagged with the language (or one of its aliases); the
longest fenced block of any tag; an opened fence that never closed (the answer hit max_tokens);
and, when the answer has no fence at all, the whole answer stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from arctic_cli.codegen.languages import fence_tags

_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    tag: str  # the fence's first info word, lower-cased ("" when untagged)
    code: str
    closed: bool


def blocks(text: str) -> list[Block]:
    """Every fenced block in `text`, in order; an unclosed last fence runs to the end."""
    found: list[Block] = []
    pos = 0
    while True:
        opening = _FENCE.search(text, pos)
        if opening is None:
            return found
        fence = opening.group("fence")
        tag = (opening.group("info").split() or [""])[0].lower()
        body_start = opening.end() + 1
        closing = re.compile(
            rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE
        )
        end = closing.search(text, body_start)
        if end is None:
            found.append(Block(tag, text[body_start:].rstrip("\n"), closed=False))
            return found
        found.append(Block(tag, text[body_start : end.start()].rstrip("\n"), closed=True))
        pos = end.end()


def extract_code(answer: str, language: str) -> str:
    """The code in a model's answer for `language` (canonical name); may be empty."""
    found = blocks(answer)
    if not found:
        return answer.strip("\n").strip() + ("\n" if answer.strip() else "")
    tags = fence_tags(language)
    tagged = [b for b in found if b.tag in tags]
    chosen = tagged[0] if tagged else max(found, key=lambda b: len(b.code))
    code = chosen.code
    return code + "\n" if code.strip() else ""
