"""beam_search: exact scores through the reordered cache, exhaustive search, hooks, stops."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import torch

from arctic_cli.engine import generate_tokens, load_model
from arctic_cli.engine.generate import Hypothesis, beam_search

PROMPT = [1, 40, 41, 42, 43, 44, 45, 46]
ALLOWED = [7, 9, 11, 13]  # tokens the test hooks let through
STOP = 13


@pytest.fixture(scope="module")
def model(tiny_checkpoint: Path):
    return load_model(tiny_checkpoint)


def _score(model, ids: list[int], bonus: dict[int, float] | None = None) -> float:
    """Summed log-probabilities of ids after PROMPT, by one uncached forward pass."""
    with torch.no_grad():
        logits = model(torch.tensor([PROMPT + ids]))[0].float()  # [T, V]
    logp = torch.log_softmax(logits, dim=-1)
    start = len(PROMPT) - 1
    return sum(
        float(logp[start + i, t]) + (bonus or {}).get(t, 0.0) for i, t in enumerate(ids)
    )


def _only_allowed(bonus: dict[int, float] | None = None):
    def hook(generated: list[int], logits: torch.Tensor) -> torch.Tensor:
        out = torch.full_like(logits, float("-inf"))
        out[ALLOWED] = logits[ALLOWED]
        for token, extra in (bonus or {}).items():
            out[token] += extra
        return out

    return hook


def test_scores_match_an_uncached_forward(model) -> None:
    """Every hypothesis' score is its own path's log-probability: the cache rows followed it."""
    hyps = beam_search(model, PROMPT, beams=4, max_new_tokens=6)
    assert len(hyps) == 4 and len({tuple(h.ids) for h in hyps}) == 4
    for h in hyps:
        assert h.score == pytest.approx(_score(model, h.ids), abs=1e-3)
    assert [h.score for h in hyps] == sorted((h.score for h in hyps), reverse=True)


def test_one_beam_without_stops_is_greedy(model) -> None:
    hyps = beam_search(model, PROMPT, beams=1, max_new_tokens=10)
    assert hyps[0].ids == list(generate_tokens(model, PROMPT, 10))
    assert not hyps[0].finished  # it ran out of room


@pytest.mark.parametrize("length_penalty, stops", [(0.0, [STOP]), (1.0, [])])
def test_wide_beam_finds_the_best_path(model, length_penalty: float, stops: list[int]) -> None:
    """With as many beams as paths, the search is exhaustive: it returns the true optimum.

    (Stopping once the best finished answer outranks every live one is exact when scores only
    fall as answers grow, as summed log-probabilities do; with a length penalty it is the
    usual heuristic, so that case is checked without stops.)
    """
    bonus = {9: 0.7}
    hyps = beam_search(
        model, PROMPT, beams=64, max_new_tokens=3, stop_ids=stops,
        logits_hook=_only_allowed(bonus), length_penalty=length_penalty,
    )  # fmt: skip
    words = [t for t in ALLOWED if t not in stops]  # without stop ids, 13 is a word like any
    paths = [Hypothesis(list(p), _score(model, list(p), bonus))
             for p in itertools.product(words, repeat=3)]  # fmt: skip
    for n in range(0, 3) if stops else ():  # ended by STOP after n tokens
        paths += [Hypothesis(list(p), _score(model, [*p, STOP], bonus), True)
                  for p in itertools.product([7, 9, 11], repeat=n)]  # fmt: skip
    best = max(paths, key=lambda h: h.ranked(length_penalty))
    assert (hyps[0].ids, hyps[0].finished) == (best.ids, best.finished)
    assert hyps[0].score == pytest.approx(best.score, abs=1e-3)
    assert all(t in words for h in hyps for t in h.ids)  # the hook's -inf is never taken


def test_finished_hypotheses_drop_the_stop_id(model) -> None:
    greedy = list(generate_tokens(model, PROMPT, 12))
    stop = greedy[0]  # the likeliest first token: ending at once beats any longer summed score
    hyps = beam_search(model, PROMPT, beams=2, max_new_tokens=12, stop_ids=[stop], length_penalty=0)
    assert (hyps[0].ids, hyps[0].finished) == ([], True)
    assert all(stop not in h.ids for h in hyps)


def test_hook_is_asked_per_hypothesis(model) -> None:
    seen: set[tuple[int, ...]] = set()

    def record(generated: list[int], logits: torch.Tensor) -> torch.Tensor:
        seen.add(tuple(generated))
        return _only_allowed()(generated, logits)

    hyps = beam_search(model, PROMPT, beams=3, max_new_tokens=3, logits_hook=record)
    assert () in seen and len([p for p in seen if len(p) == 1]) == 3
    for h in hyps:  # every prefix of a returned path was asked about
        assert all(tuple(h.ids[:i]) in seen for i in range(len(h.ids)))


def test_a_hook_that_refuses_everything_ends_the_search(model) -> None:
    def nothing(generated: list[int], logits: torch.Tensor) -> torch.Tensor:
        return torch.full_like(logits, float("-inf")) if generated else _only_allowed()([], logits)

    hyps = beam_search(model, PROMPT, beams=3, max_new_tokens=8, logits_hook=nothing)
    assert len(hyps) == 3 and all(len(h.ids) == 1 and not h.finished for h in hyps)
