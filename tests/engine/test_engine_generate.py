"""generate_tokens: cached decoding equals uncached argmax, sampling knobs, stops, window limits."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from arctic_cli.engine import generate_tokens, load_model
from arctic_cli.engine.checkpoint import write_random_checkpoint
from arctic_cli.engine.generate import sample
from arctic_cli.errors import UsageError

PROMPT = [1, 40, 41, 42, 43, 44, 45, 46]


@pytest.fixture(scope="module")
def model(tiny_checkpoint: Path):
    return load_model(tiny_checkpoint)


def _uncached_greedy(model, prompt: list[int], n: int) -> list[int]:
    ids = list(prompt)
    with torch.no_grad():
        for _ in range(n):
            ids.append(int(model(torch.tensor([ids]))[0, -1].argmax()))
    return ids[len(prompt) :]


def test_cached_greedy_equals_uncached_argmax(model) -> None:
    cached = list(generate_tokens(model, PROMPT, max_new_tokens=24))
    assert cached == _uncached_greedy(model, PROMPT, 24)
    assert len(set(cached)) > 1  # a degenerate constant stream would prove little


@pytest.mark.parametrize("overrides", [
    {"parallel_attn_mlp_res": False, "num_key_value_heads": 4, "num_experts_per_tok": 1},
    {"moe_layer_frequency": 2, "num_hidden_layers": 4},
])  # fmt: skip
def test_cached_greedy_other_layouts(tmp_path: Path, overrides: dict) -> None:
    m = load_model(write_random_checkpoint(tmp_path, seed=5, tokenizer=False, **overrides))
    assert list(generate_tokens(m, PROMPT, max_new_tokens=16)) == _uncached_greedy(m, PROMPT, 16)


def test_seeded_sampling_is_reproducible(model) -> None:
    def run(seed: int) -> list[int]:
        return list(generate_tokens(model, PROMPT, 32, temperature=1.5, top_p=0.95, seed=seed))

    assert run(1) == run(1)
    assert run(1) != run(2)
    assert run(1) != list(generate_tokens(model, PROMPT, 32))


def test_top_k_one_is_greedy(model) -> None:
    greedy = list(generate_tokens(model, PROMPT, 12))
    assert list(generate_tokens(model, PROMPT, 12, temperature=0.8, top_k=1, seed=3)) == greedy


def test_sample_filters() -> None:
    logits = torch.tensor([0.0, 5.0, 4.9, -2.0, 1.0])
    gen = torch.Generator().manual_seed(0)
    assert sample(logits, 0.0, 0, 1.0, gen) == 1
    picks = {sample(logits, 1.0, 2, 1.0, gen) for _ in range(200)}
    assert picks == {1, 2}
    # top_p keeps the smallest prefix reaching p: the best token alone when it holds > p.
    assert {sample(torch.tensor([10.0, 0.0, 0.0]), 1.0, 0, 0.5, gen) for _ in range(50)} == {0}
    assert sample(torch.tensor([0.0, 3.0, 1.0]), 1.0, 0, 0.0, gen) == 1  # top_p 0 keeps the best


def test_stop_ids_end_generation_without_being_yielded(model) -> None:
    greedy = list(generate_tokens(model, PROMPT, 12))
    stop = greedy[5]
    first = greedy.index(stop)
    assert list(generate_tokens(model, PROMPT, 12, stop_ids=[stop])) == greedy[:first]


def test_logits_hook_sees_history_and_steers(model) -> None:
    seen: list[list[int]] = []

    def force_seven(generated: list[int], logits: torch.Tensor) -> torch.Tensor:
        seen.append(generated)
        out = torch.full_like(logits, float("-inf"))
        out[7] = 0.0
        return out

    assert list(generate_tokens(model, PROMPT, 4, logits_hook=force_seven)) == [7, 7, 7, 7]
    assert seen == [[], [7], [7, 7], [7, 7, 7]]


def test_logits_hook_may_edit_in_place(model) -> None:
    def ban_argmax(generated: list[int], logits: torch.Tensor) -> torch.Tensor:
        logits[logits.argmax()] = float("-inf")
        return logits

    greedy = list(generate_tokens(model, PROMPT, 1))
    assert list(generate_tokens(model, PROMPT, 1, logits_hook=ban_argmax)) != greedy


def test_repetition_penalty_discourages_repeats(model) -> None:
    plain = list(generate_tokens(model, PROMPT, 40))
    penalised = list(generate_tokens(model, PROMPT, 40, repetition_penalty=5.0))
    assert penalised != plain
    assert len(set(penalised)) >= len(set(plain))


def test_prompt_longer_than_window_is_refused(model) -> None:
    window = model.config.max_position_embeddings
    with pytest.raises(UsageError) as exc:
        next(generate_tokens(model, [5] * (window + 3)))
    assert (
        str(exc.value)
        == f"the prompt is {window + 3} tokens, but the model's context window is {window} tokens"
    )
    assert exc.value.exit_code == 2


def test_max_new_tokens_is_clamped_to_the_window(model) -> None:
    window = model.config.max_position_embeddings
    assert len(list(generate_tokens(model, [5] * (window - 3), max_new_tokens=50))) == 3


def test_prompt_as_tensor(model) -> None:
    assert list(generate_tokens(model, torch.tensor(PROMPT), 5)) == list(
        generate_tokens(model, PROMPT, 5)
    )
