"""The compiled decode step (engine/compiled.py): same tokens as eager, one graph, no extra memory.

Compiling costs a few seconds per model on this machine, so each quantization compiles once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from arctic_cli.engine import generate_tokens, load_model
from arctic_cli.engine.checkpoint import write_random_checkpoint
from arctic_cli.errors import RuntimeFailure


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # int4 needs rows that are multiples of 16 and columns that are multiples of the group
    return write_random_checkpoint(tmp_path_factory.mktemp("c"), seed=3, hidden_size=128,
                                   intermediate_size=128, vocab_size=512)  # fmt: skip


def teacher_forced(model, prompt: torch.Tensor, tokens: list[int], max_len: int) -> list[torch.Tensor]:  # type: ignore[no-untyped-def]
    """Logits of every step when `tokens` are fed one by one after the prompt."""
    with torch.inference_mode():
        cache = model.new_cache(1, max_len)
        out = [model(prompt, cache=cache, pos=0, last_only=True)[0, -1]]
        for i, token in enumerate(tokens):
            ids = torch.tensor([[token]], device=prompt.device)
            out.append(model(ids, cache=cache, pos=prompt.shape[1] + i, last_only=True)[0, -1])
    return out


@pytest.mark.parametrize("quant", [None, "int8", "int4"])
def test_matches_eager_decoding(checkpoint: Path, quant: str | None) -> None:
    eager = load_model(checkpoint, quant=quant)
    compiled = load_model(checkpoint, quant=quant, compile=True)
    assert compiled.compiled_step is not None and compiled.compiled_step.compile_s > 0
    prompt = torch.randint(0, 512, (1, 7), generator=torch.Generator().manual_seed(0))
    tokens = [int(t) for t in torch.randint(0, 512, (12,), generator=torch.Generator().manual_seed(1))]
    for max_len in (20, 33):  # two cache lengths: the same graph serves both
        want = teacher_forced(eager, prompt, tokens, max_len)
        got = teacher_forced(compiled, prompt, tokens, max_len)
        for a, b in zip(want, got, strict=True):
            if quant is None:  # float32 all the way: the same arithmetic, another schedule
                torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-4)
            else:  # bfloat16 inside the kernels: inductor rounds at other points
                assert F.cosine_similarity(a, b, dim=0) > 0.999
    if quant is None:
        greedy = list(generate_tokens(eager, prompt[0], max_new_tokens=10))
        assert list(generate_tokens(compiled, prompt[0], max_new_tokens=10)) == greedy


def test_one_graph_for_every_cache_length(checkpoint: Path) -> None:
    from torch._dynamo.utils import counters

    model = load_model(checkpoint, compile=True)
    before = counters["stats"]["unique_graphs"]
    prompt = torch.tensor([[1, 2, 3]])
    for max_len in (5, 9, 40):
        teacher_forced(model, prompt, [4] * (max_len - 3), max_len)
    assert counters["stats"]["unique_graphs"] == before  # no recompilation after compile_decode


def test_experts_are_views_of_the_stack(checkpoint: Path) -> None:
    model = load_model(checkpoint, quant="int8")
    names = list(model.state_dict())
    size = sum(t.numel() * t.element_size() for t in model.state_dict().values())
    from arctic_cli.engine.compiled import compile_decode

    compile_decode(model)
    moe = model.model.layers[0].block_sparse_moe
    stacked = moe.stack.up.tensors["weight"]  # [E, 2I, H] int8
    assert stacked.shape[0] == len(moe.experts)
    for e, expert in enumerate(moe.experts):
        assert expert.w13.weight.data_ptr() == stacked[e].data_ptr()
    assert list(model.state_dict()) == names  # the checkpoint's names, nothing added or lost
    assert sum(t.numel() * t.element_size() for t in model.state_dict().values()) == size


def test_a_failed_compilation_is_a_clear_error(
    checkpoint: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arctic_cli.engine import compiled

    def broken(fn, **kwargs):  # type: ignore[no-untyped-def]
        def run(*args, **kw):  # type: ignore[no-untyped-def]
            raise RuntimeError("InductorError: C++ compile error\nlong details")

        return run

    monkeypatch.setattr(compiled.torch, "compile", broken)
    with pytest.raises(RuntimeFailure, match="could not compile the decode step") as info:
        load_model(checkpoint, compile=True)
    assert "long details" not in str(info.value)
    assert "--compile" in (info.value.hint or "")



def test_the_setting_reaches_the_local_backend(
    checkpoint: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ARCTIC_COMPILE=1 (or --compile) -> open_backend compiles; the answer is the same text."""
    from arctic_cli import backends, settings
    from arctic_cli.backends import GenParams, complete

    monkeypatch.setenv("ARCTIC_HOME", str(checkpoint.parent / "home"))
    messages = [{"role": "user", "content": "hello"}]
    params = GenParams(max_tokens=12)
    texts = []
    for flag in ("0", "1"):
        monkeypatch.setenv("ARCTIC_COMPILE", flag)
        backend = backends.open_backend(settings.resolve({"model": str(checkpoint)}), progress=False)
        assert (backend.model.compiled_step is not None) == (flag == "1")  # type: ignore[attr-defined]
        texts.append(complete(backend, messages, params).text)
    assert texts[0] and texts[0] == texts[1]


def test_layers_it_cannot_stack_are_refused_before_compiling(checkpoint: Path) -> None:
    """bitsandbytes experts (or any unknown module) are a UsageError, not a dynamo traceback."""
    from torch import nn

    from arctic_cli.engine.compiled import compile_decode
    from arctic_cli.errors import UsageError

    class Opaque(nn.Module):  # stands in for bitsandbytes' Linear8bitLt
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x

    model = load_model(checkpoint, quant="int8")
    for expert in model.model.layers[0].block_sparse_moe.experts:
        expert.w2 = Opaque()
    with pytest.raises(UsageError, match="--compile does not support Opaque"):
        compile_decode(model)
    assert model.compiled_step is None


@pytest.mark.gpu
@pytest.mark.parametrize("quant", [None, "int8", "int4"])
def test_cuda_compiled_step_matches_eager(checkpoint: Path, quant: str | None) -> None:
    eager = load_model(checkpoint, device="cuda", quant=quant)
    compiled = load_model(checkpoint, device="cuda", quant=quant, compile=True)
    prompt = torch.randint(0, 512, (1, 7), generator=torch.Generator().manual_seed(0)).cuda()
    tokens = list(range(40, 52))
    with torch.inference_mode():
        for a, b in zip(teacher_forced(eager, prompt, tokens, 24), teacher_forced(compiled, prompt, tokens, 24), strict=True):
            assert F.cosine_similarity(a.float(), b.float(), dim=0) > 0.995
