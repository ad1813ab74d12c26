"""MoE dispatch touches only routed experts; chunked cached forwards equal the full forward; GPU."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from arctic_cli.engine import generate_tokens, load_model
from arctic_cli.engine.checkpoint import write_random_checkpoint


@pytest.fixture(scope="module")
def wide_moe(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("wide-moe")
    return load_model(write_random_checkpoint(path, tokenizer=False, num_local_experts=16))


def _count_expert_calls(moe) -> list[int]:
    calls = [0] * len(moe.experts)
    for e, expert in enumerate(moe.experts):
        expert.register_forward_hook(lambda *_, e=e: calls.__setitem__(e, calls[e] + 1))
    return calls


def test_decode_runs_only_the_routed_experts(wide_moe) -> None:
    moe = wide_moe.model.layers[0].block_sparse_moe
    calls = _count_expert_calls(moe)
    x = torch.randn(1, 1, 64)
    _, ids = moe.route(x.view(1, 64))
    with torch.no_grad():
        moe(x)
    assert sum(calls) == 2
    assert {e for e, c in enumerate(calls) if c} == set(ids[0].tolist())


def test_prefill_runs_each_hit_expert_once(wide_moe) -> None:
    moe = wide_moe.model.layers[1].block_sparse_moe
    calls = _count_expert_calls(moe)
    x = torch.randn(1, 5, 64)
    _, ids = moe.route(x.view(5, 64))
    with torch.no_grad():
        out = moe(x)
        # Reference: every token on its own, through the one-token path.
        singles = torch.cat([moe(x[:, t : t + 1]) for t in range(5)], dim=1)
    hit = set(ids.flatten().tolist())
    assert len(hit) < 16  # 5 tokens x top-2 cannot touch all 16 experts
    assert all(calls[e] == 1 + sum(e in row for row in ids.tolist()) for e in hit)
    assert all(calls[e] == 0 for e in set(range(16)) - hit)
    assert (out - singles).abs().max().item() < 1e-5


def test_chunked_cached_forward_equals_full_forward(wide_moe) -> None:
    ids = torch.randint(0, 320, (2, 11), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        full = wide_moe(ids)
        cache = wide_moe.new_cache(2, 16)
        parts = [wide_moe(ids[:, :4], cache, 0), wide_moe(ids[:, 4:5], cache, 4)]
        parts.append(wide_moe(ids[:, 5:], cache, 5))
    assert (torch.cat(parts, dim=1) - full).abs().max().item() < 1e-4


@pytest.mark.gpu
def test_cuda_bf16_matches_cpu_float32(tiny_checkpoint: Path) -> None:
    cpu = load_model(tiny_checkpoint)
    gpu = load_model(tiny_checkpoint, device="cuda")
    assert gpu.dtype == torch.bfloat16 and gpu.device.type == "cuda"
    ids = torch.randint(0, 320, (1, 16), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        diff = (gpu(ids.cuda()).cpu() - cpu(ids)).abs().max().item()
    assert diff < 0.15  # bf16 weights and activations
    gpu32 = load_model(tiny_checkpoint, device="cuda", dtype="float32")
    prompt = ids[0].tolist()
    assert list(generate_tokens(gpu32, prompt, 16)) == list(generate_tokens(cpu, prompt, 16))
