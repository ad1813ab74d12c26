"""CPU float matmuls through oneDNN instead of MKL: `accelerate(model)` after loading.

torch sends float32 `F.linear` on the CPU to MKL's sgemm, which takes a slow generic path on AMD
CPUs such as this machine's. oneDNN's linear (`torch.ops.mkldnn._linear_pointwise`, the op
inductor emits for CPU linears) runs the same arithmetic 1.1x faster for batch-1 GEMVs and ~2x
faster for prefill-sized GEMMs here (benchmarks/gemv_bandwidth.py, docs/performance.md).

`accelerate` only changes the class of each bias-free `nn.Linear` to `FastLinear`, so parameter
names, the state dict and the module tree stay as they are; `FastLinear` falls back to `F.linear`
whenever autograd is recording, off the CPU, for other dtypes, or when oneDNN is unavailable.
Under torch.compile (the compiled decode step) the same op runs as the opaque custom op
`arctic::onednn_linear`: inductor lowers oneDNN's linear only for frozen weights, and its default
for `F.linear` is MKL again.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

_DTYPES = (torch.float32, torch.bfloat16)


class FastLinear(nn.Linear):
    """nn.Linear whose inference forward on the CPU runs oneDNN's linear."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.bias is not None:
            return F.linear(x, self.weight, self.bias)
        return linear(x, self.weight)


def linear(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """x @ w.T through oneDNN for CPU inference, F.linear otherwise (see the module docstring)."""
    if (
        x.device.type != "cpu"
        or x.dtype not in _DTYPES
        or x.dtype != w.dtype
        or (torch.is_grad_enabled() and (x.requires_grad or w.requires_grad))
        or not _ONEDNN
    ):
        return F.linear(x, w)
    if torch.compiler.is_compiling():  # inductor lowers the op only on frozen weights: keep it opaque
        return onednn_linear(x, w)
    return torch.ops.mkldnn._linear_pointwise(x, w, None, "none", [], "")


_ONEDNN = bool(torch.backends.mkldnn.is_available()) and hasattr(
    torch.ops.mkldnn, "_linear_pointwise"
)


@torch.library.custom_op("arctic::onednn_linear", mutates_args=())
def onednn_linear(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """oneDNN's linear as an opaque op for the compiled decode step (engine/compiled.py)."""
    return torch.ops.mkldnn._linear_pointwise(x, w, None, "none", [], "")


@onednn_linear.register_fake
def _(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    return x.new_empty(*x.shape[:-1], w.shape[0])


def available() -> bool:
    return _ONEDNN


def accelerate(model: nn.Module) -> nn.Module:
    """Switch every plain bias-free nn.Linear of a CPU model to FastLinear, in place."""
    if not available():
        return model
    for module in model.modules():
        if type(module) is nn.Linear and module.bias is None:
            module.__class__ = FastLinear
    return model


def fuse(model: nn.Module) -> nn.Module:
    """Stack q/k/v, and w1/w3 of every MLP, into one matrix each, in place (CPU decode: 1.16x).

    Only float layers are fused (a quantized one has its own fused kernels). The original
    parameters become views of the stacked matrix, so memory, parameter names and the state dict
    stay as they are; the stacked matrix is a plain attribute, outside the state dict.
    """
    from arctic_cli.engine.model import MLP, Attention

    def stack(*linears: nn.Linear) -> torch.Tensor | None:
        if not all(type(m) in (nn.Linear, FastLinear) and m.bias is None for m in linears):
            return None
        weights = [m.weight for m in linears]
        if len({(w.dtype, w.device) for w in weights}) != 1 or weights[0].device.type != "cpu":
            return None
        stacked = torch.cat([w.detach() for w in weights])
        start = 0
        for m, w in zip(linears, weights, strict=True):
            m.weight = nn.Parameter(stacked[start : start + w.shape[0]], requires_grad=False)
            start += w.shape[0]
        return stacked

    for module in model.modules():
        if isinstance(module, Attention) and module.qkv_weight is None:
            module.qkv_weight = stack(module.q_proj, module.k_proj, module.v_proj)
        elif isinstance(module, MLP) and module.w13_weight is None:
            module.w13_weight = stack(module.w1, module.w3)
    return model
