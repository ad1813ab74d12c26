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
    assert list(model.state_dict()) == list(plain.state_dict())
    ids = torch.tensor([[3, 4, 5, 6]])
    with torch.no_grad():
        torch.testing.assert_close(model(ids), plain(ids), rtol=1e-4, atol=1e-4)
