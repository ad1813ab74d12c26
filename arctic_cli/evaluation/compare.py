"""Execution-accuracy comparison of two query results.

Rules (the usual text-to-SQL execution match, e.g. Spider's test-suite evaluation):
- rows are compared as a bag (multiset): duplicates count, row order does not...
- ...unless the gold query has an ORDER BY at its top level: then row order must match too;
- column order is free: the predicted columns may be any permutation of the gold ones (the
  number of columns must match; names are ignored, `COUNT(*)` and `AS n` are the same column);
- NULL equals NULL; floats are equal when they agree to 9 significant digits (AVG and SUM
  computed in another order differ in the last bits); bools compare as 0/1; 2 equals 2.0.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

Row = Sequence[Any]
MAX_PERMUTATION_TRIES = 2000


def norm_value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        if v != v:  # NaN
            return "NaN"
        r = float(f"{v:.9g}")
        return int(r) if r.is_integer() and abs(r) < 2**53 else r
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return v


def _strip_literals(sql: str) -> str:
    """The SQL with string literals, quoted identifiers and comments blanked out."""
    sql = re.sub(r"--[^\n]*|/\*.*?\*/", " ", sql, flags=re.S)
    return re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]", "x", sql)


def has_top_level_order_by(sql: str) -> bool:
    """True when ORDER BY appears outside every parenthesis (not in a subquery or OVER (...))."""
    text = _strip_literals(sql)
    depth = 0
    for m in re.finditer(r"\(|\)|\bORDER\s+BY\b", text, flags=re.I):
        tok = m.group(0)
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif depth == 0:
            return True
    return False


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[Counter[Any]]:
    return [Counter(r[i] for r in rows) for i in range(width)]


def _permutations(gold: list[tuple[Any, ...]], pred: list[tuple[Any, ...]], width: int):  # type: ignore[no-untyped-def]
    """Column mappings gold column j -> pred column perm[j] whose value multisets agree."""
    gcols, pcols = _columns(gold, width), _columns(pred, width)
    candidates = [[i for i in range(width) if pcols[i] == gcols[j]] for j in range(width)]
    if any(not c for c in candidates):
        return
    perm: list[int] = []
    used: set[int] = set()

    def walk(j: int):  # type: ignore[no-untyped-def]
        if j == width:
            yield list(perm)
            return
        for i in candidates[j]:
            if i not in used:
                used.add(i)
                perm.append(i)
                yield from walk(j + 1)
                perm.pop()
                used.discard(i)

    yield from walk(0)


def results_match(gold: Sequence[Row], pred: Sequence[Row], ordered: bool = False) -> bool:
    """Whether `pred` answers like `gold` under the rules in the module docstring."""
    g = [tuple(norm_value(v) for v in r) for r in gold]
    p = [tuple(norm_value(v) for v in r) for r in pred]
    if len(g) != len(p):
        return False
    if not g:
        return True  # both empty; the width of an empty result is not compared
    width = len(g[0])
    if len(p[0]) != width:
        return False
    gold_bag = Counter(g)
    for tries, perm in enumerate(_permutations(g, p, width)):
        if tries >= MAX_PERMUTATION_TRIES:
            break
        moved = [tuple(r[i] for i in perm) for r in p]
        if (moved == g) if ordered else (Counter(moved) == gold_bag):
            return True
    return False
