"""engine/fastpath.py: oneDNN linears give F.linear's results and leave the model's shape alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from arctic_cli.engine import load_model
from arctic_cli.engine.fastpath import FastLinear, accelerate, available

pytestmark = pytest.mark.skipif(not available(), reason="torch built without oneDNN")


def test_same_results_as_f_linear() -> None:
    layer = nn.Linear(64, 48, bias=False).requires_grad_(False)
    expected_weight = layer.weight.clone()
    accelerate(layer)
    assert type(layer) is FastLinear and torch.equal(layer.weight, expected_weight)
    for x in (torch.randn(3, 64), torch.randn(2, 7, 64), torch.randn(4, 9, 64)[:, 2:5]):
        torch.testing.assert_close(layer(x), F.linear(x, layer.weight), rtol=1e-5, atol=1e-5)
    x16 = torch.randn(5, 64).bfloat16()
    torch.testing.assert_close(
        layer.bfloat16()(x16).float(), F.linear(x16, layer.weight).float(), rtol=1e-2, atol=1e-2
    )


def test_falls_back_to_f_linear_under_autograd() -> None:
    layer = accelerate(nn.Linear(16, 8, bias=False))
    x = torch.randn(2, 16, requires_grad=True)
    layer(x).sum().backward()  # oneDNN's op has no backward: F.linear must have run
    assert x.grad is not None and layer.weight.grad is not None


def test_load_model_uses_it_and_keeps_names(tiny_checkpoint: Path) -> None:
    model = load_model(tiny_checkpoint)
    assert type(model.model.layers[0].self_attn.q_proj) is FastLinear
    plain = load_model(tiny_checkpoint)
    for module in plain.modules():
        if type(module) is FastLinear:
            module.__class__ = nn.Linear  # type: ignore[assignment]
        for stacked in ("qkv_weight", "w13_weight"):
            if getattr(module, stacked, None) is not None:
                setattr(module, stacked, None)  # unfused: three (two) separate matmuls
    assert list(model.state_dict()) == list(plain.state_dict())
    ids = torch.tensor([[3, 4, 5, 6]])
    with torch.no_grad():
        torch.testing.assert_close(model(ids), plain(ids), rtol=1e-4, atol=1e-4)


def test_fused_projections_are_views_and_change_nothing_else(tiny_checkpoint: Path) -> None:
    """fuse(): q/k/v and w1/w3 become views of one stacked matrix; names, memory, outputs stay."""
    model = load_model(tiny_checkpoint)
    attn = model.model.layers[0].self_attn
    assert attn.qkv_weight is not None
    assert attn.q_proj.weight.data_ptr() == attn.qkv_weight.data_ptr()
    assert attn.v_proj.weight.untyped_storage().data_ptr() == attn.qkv_weight.untyped_storage().data_ptr()
    assert "qkv_weight" not in " ".join(model.state_dict())
    mlps = [m for m in model.modules() if getattr(m, "w13_weight", None) is not None]
    assert mlps and all(m.w1.weight.data_ptr() == m.w13_weight.data_ptr() for m in mlps)


def test_quantized_layers_are_not_fused(tiny_checkpoint: Path) -> None:
    model = load_model(tiny_checkpoint, quant="int8")
    assert model.model.layers[0].self_attn.qkv_weight is None  # int8 q/k/v keep their own kernels


def test_quantizing_a_loaded_model_drops_its_fused_float_projections(tiny_checkpoint: Path) -> None:
    """quantize_model after load_model (the benchmarks do this) must not keep a float q/k/v path."""
    from arctic_cli.engine.quant import quantize_model

    model = quantize_model(load_model(tiny_checkpoint), "int8")
    attn = model.model.layers[0].self_attn
    assert attn.qkv_weight is None
    direct = load_model(tiny_checkpoint, quant="int8")
    ids = torch.tensor([[3, 4, 5, 6]])
    with torch.no_grad():
        torch.testing.assert_close(model(ids), direct(ids))
