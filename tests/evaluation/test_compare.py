"""Execution-match rules: bag of rows, free column order, order only with a top-level ORDER BY."""

from __future__ import annotations

import pytest

from arctic_cli.evaluation.compare import has_top_level_order_by, results_match


def test_bag_equality_ignores_row_order_but_counts_duplicates() -> None:
    assert results_match([(1, "a"), (2, "b")], [(2, "b"), (1, "a")])
    assert not results_match([(1,), (1,), (2,)], [(1,), (2,), (2,)])
    assert not results_match([(1,), (1,)], [(1,)])
    assert not results_match([(1,)], [(2,)])


def test_column_order_is_free_but_width_is_not() -> None:
    assert results_match([("a", 1), ("b", 2)], [(2, "b"), (1, "a")])
    assert not results_match([("a", 1)], [("a", 1, 1)])
    # columns with the same values in each column but paired differently per row do not match
    assert not results_match([("a", 1), ("b", 2)], [("a", 2), ("b", 1)])
    # two identical-looking columns: a permutation must still pair them consistently
    assert results_match([(1, 2), (2, 1)], [(2, 1), (1, 2)])


def test_order_matters_only_when_asked() -> None:
    gold, pred = [(1,), (2,), (3,)], [(3,), (2,), (1,)]
    assert results_match(gold, pred, ordered=False)
    assert not results_match(gold, pred, ordered=True)
    assert results_match(gold, list(gold), ordered=True)
    assert results_match([("x", 1), ("y", 2)], [(1, "x"), (2, "y")], ordered=True)


def test_nulls_floats_and_types() -> None:
    assert results_match([(None, 1)], [(None, 1)])
    assert not results_match([(None,)], [(0,)])
    assert not results_match([(None,)], [("",)])
    assert results_match([(0.1 + 0.2,)], [(0.3,)])
    assert results_match([(10.0,)], [(10,)])
    assert results_match([(631.6666666666666,)], [(631.666666666667,)])
    assert not results_match([(631.67,)], [(631.6666666666666,)])
    assert not results_match([("1",)], [(1,)])
    assert results_match([(True,)], [(1,)])
    assert results_match([], [])
    assert not results_match([], [(1,)])


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a FROM t ORDER BY a", True),
        ("select a from t order  by a desc limit 3", True),
        ("SELECT a FROM (SELECT a FROM t ORDER BY a) AS s", False),
        ("SELECT a, ROW_NUMBER() OVER (ORDER BY b) FROM t", False),
        ("SELECT 'ORDER BY x' FROM t", False),
        ('SELECT "order by" FROM t -- ORDER BY a', False),
        ("SELECT a FROM t WHERE a IN (SELECT a FROM u ORDER BY a LIMIT 2) ORDER BY a", True),
        ("SELECT a FROM t", False),
    ],
)
def test_top_level_order_by(sql: str, expected: bool) -> None:
    assert has_top_level_order_by(sql) is expected
