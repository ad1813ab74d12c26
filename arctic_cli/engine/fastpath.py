"""CPU float matmuls through oneDNN instead of MKL: `accelerate(model)` after loading.

torch sends float32 `F.linear` on the CPU to MKL's sgemm, which takes a slow generic path on AMD
CPUs such as this machine's. oneDNN's linear (`torch.ops.mkldnn._linear_pointwise`, the op
inductor emits for CPU linears) runs the same arithmetic 1.1x faster for batch-1 GEMVs and ~2x
faster for prefill-sized GEMMs here (benchmarks/gemv_bandwidth.py, docs/performance.md).

`accelerate` only changes the class of each bias-free `nn.Linear` to `FastLinear`, so parameter
names, the state dict and the module tree stay as they are; `FastLinear` falls back to `F.linear`
whenever autograd is recording, under torch.compile, off the CPU, for other dtypes, or when oneDNN
is unavailable.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

_DTYPES = (torch.float32, torch.bfloat16)


class FastLinear(nn.Linear):
    """nn.Linear whose inference forward on the CPU runs oneDNN's linear."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight
        if (
            self.bias is not None
            or x.device.type != "cpu"
            or x.dtype not in _DTYPES
            or x.dtype != w.dtype
            or (torch.is_grad_enabled() and (x.requires_grad or w.requires_grad))
            or torch.compiler.is_compiling()  # inductor picks its own kernel for F.linear
        ):
            return F.linear(x, w, self.bias)
        return torch.ops.mkldnn._linear_pointwise(x, w, None, "none", [], "")


def available() -> bool:
    return bool(torch.backends.mkldnn.is_available()) and hasattr(
        torch.ops.mkldnn, "_linear_pointwise"
    )


def accelerate(model: nn.Module) -> nn.Module:
    """Switch every plain bias-free nn.Linear of a CPU model to FastLinear, in place."""
    if not available():
        return model
    for module in model.modules():
        if type(module) is nn.Linear and module.bias is None:
            module.__class__ = FastLinear
    return model
