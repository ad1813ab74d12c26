"""Weight-only int8 / int4 quantization of an `ArcticForCausalLM`, on load or ahead of time.

What is quantized: every projection (attention q/k/v/o, dense and residual MLPs, each expert's
w1/w2/w3 one by one, lm_head). What stays in the model's dtype: the router (`gate`), norms and
embeddings. Activations stay in the model's dtype outside the quantized modules; inside, they run
through torch's fused weight-only kernels in bfloat16 (the int8 CPU kernel falls off a cliff with
float32 activations), so no call ever materialises a dequantized weight.

  int8  per-output-channel symmetric:  w ~= q * scale,              q in [-127, 127]
        CPU/CUDA kernel: torch._weight_int8pack_mm (bitsandbytes Linear8bitLt on CUDA if asked)
  int4  group-wise asymmetric (group of `group_size` input columns, default 64):
        w ~= (q - 8) * scale + zero,  q in [0, 15]  (torch's "tinygemm" convention)
        CPU kernel: torch._weight_int4pack_mm_for_cpu; CUDA: torch._weight_int4pack_mm

An MLP (SwiGLU) is replaced by `FusedMLP`: w1 and w3 are concatenated row-wise into one matrix,
so an expert costs two kernel calls instead of three (exact: scales are per row / per row-group).

Saved format (`arctic quantize`, safetensors only; config.json records
{"quantization": {"mode": "int8"|"int4", "group_size": g}}). For every quantized `<name>` (the
checkpoint's own Linear names, e.g. `model.layers.0.block_sparse_moe.experts.3.w1`):
  int8  `<name>.weight` int8 [N, K], `<name>.scales` bfloat16 [N]
  int4  `<name>.weight` uint8 [N, K/2] (byte j of a row: column 2j in the low nibble, 2j+1 in the
        high nibble), `<name>.scales` and `<name>.zeros` bfloat16 [N, K/group_size]
Every other tensor is stored as in the source checkpoint (writing and reading it: quant_io.py). The portable layout is repacked into the
device kernel's own layout at load time. A Linear whose shape the int4 kernel refuses (rows not a
multiple of 16, columns not a multiple of the group) is kept in high precision, and saved so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import nn

from arctic_cli.errors import UsageError

MODES = ("int8", "int4")
GROUP_SIZES = (32, 64, 128)
DEFAULT_GROUP_SIZE = 64
CLIP_SEARCH = (1.0, 0.95, 0.9, 0.85)  # int4 range shrink factors tried per group
KEEP_FLOAT = ("gate",)  # the router: tiny, and its top-k decisions are sensitive
Progress = Callable[[int, int], None]


def check_mode(mode: str | None, group_size: int = DEFAULT_GROUP_SIZE) -> str:
    if mode not in MODES:
        raise UsageError(f"unknown quantization {mode!r}", hint="use --quant int8 or int4")
    if mode == "int4" and group_size not in GROUP_SIZES:
        raise UsageError(f"int4 group size must be 32, 64 or 128, got {group_size}",
                         hint="use --group-size 64 (the default)")  # fmt: skip
    return mode


# ---------------------------------------------------------------- portable tensors (the file format)


def quantize_int8(w: torch.Tensor) -> dict[str, torch.Tensor]:
    """w [N, K] -> {"weight": int8 [N, K], "scales": bf16 [N]} (scales rounded before use)."""
    w = w.float()
    scales = (w.abs().amax(dim=1) / 127).clamp(min=1e-10).bfloat16()  # [N]
    q = torch.round(w / scales.float()[:, None]).clamp(-127, 127).to(torch.int8)  # [N, K]
    return {"weight": q, "scales": scales}


def quantize_int4(w: torch.Tensor, group_size: int) -> dict[str, torch.Tensor]:
    """w [N, K] -> {"weight": uint8 [N, K/2], "scales", "zeros": bf16 [N, K/g]}.

    Each group's range is shrunk by the factor in CLIP_SEARCH with the smallest squared error
    (clipping a few outliers buys resolution for the rest: ~4% lower error on Gaussian weights).
    """
    n, k = w.shape
    wg = w.float().reshape(n, k // group_size, group_size)  # [N, K/g, g]
    lo, hi = wg.amin(dim=-1), wg.amax(dim=-1)  # [N, K/g]
    best: tuple[torch.Tensor, ...] | None = None
    for shrink in CLIP_SEARCH:
        scales = ((hi - lo) * shrink / 15).clamp(min=1e-10).bfloat16()
        zeros = (lo * shrink + 8 * scales.float()).bfloat16()  # the value that q = 8 stands for
        sf, zf = scales.float()[..., None], zeros.float()[..., None]
        q = torch.round((wg - zf) / sf + 8).clamp(0, 15)  # [N, K/g, g]
        err = ((q - 8) * sf + zf - wg).square().sum(dim=-1)  # [N, K/g]
        if best is None:
            best = (err, q, scales, zeros)
            continue
        better = err < best[0]
        best = (torch.where(better, err, best[0]), torch.where(better[..., None], q, best[1]),
                torch.where(better, scales, best[2]), torch.where(better, zeros, best[3]))  # fmt: skip
    assert best is not None
    _, q, scales, zeros = best
    q8 = q.to(torch.uint8).reshape(n, k)  # [N, K]
    return {"weight": q8[:, 0::2] | (q8[:, 1::2] << 4), "scales": scales, "zeros": zeros}


def unpack_int4(packed: torch.Tensor) -> torch.Tensor:
    """uint8 [N, K/2] -> int32 [N, K] with values 0..15."""
    low, high = packed & 0x0F, packed >> 4
    return torch.stack((low, high), dim=-1).reshape(packed.shape[0], -1).to(torch.int32)


def dequantize(t: dict[str, torch.Tensor], group_size: int) -> torch.Tensor:
    """Portable tensors -> float32 [N, K] (for references and for bitsandbytes; never per call)."""
    if "zeros" not in t:
        return t["weight"].float() * t["scales"].float()[:, None]
    q = unpack_int4(t["weight"]).float()  # [N, K]
    n, k = q.shape
    q = q.reshape(n, k // group_size, group_size)
    w = (q - 8) * t["scales"].float()[..., None] + t["zeros"].float()[..., None]
    return w.reshape(n, k)


def can_quantize(out_features: int, in_features: int, mode: str, group_size: int) -> bool:
    if mode == "int8":  # torch's int8 CPU kernel crashes the process (SIGSEGV) on other input sizes
        return in_features % 16 == 0
    return out_features % 16 == 0 and in_features % group_size == 0 and in_features % 2 == 0


def quantize_tensor(w: torch.Tensor, mode: str, group_size: int) -> dict[str, torch.Tensor]:
    return quantize_int8(w) if mode == "int8" else quantize_int4(w, group_size)


# ---------------------------------------------------------------- modules that run the kernels


class Int8Linear(nn.Module):
    """y = x @ (q * scale).T via torch._weight_int8pack_mm, bf16 inside, x's dtype outside."""

    weight: torch.Tensor
    scales: torch.Tensor

    def __init__(self, t: dict[str, torch.Tensor], device: torch.device) -> None:
        super().__init__()
        self.out_features, self.in_features = t["weight"].shape
        self.register_buffer("weight", t["weight"].to(device).contiguous())  # int8 [N, K]
        self.register_buffer("scales", t["scales"].to(device, torch.bfloat16))  # [N]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return int8_linear(x, self.weight, self.scales)


def int8_linear(x: torch.Tensor, weight: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
    """x [..., K] @ (weight int8 [N, K] * scales [N]).T, bf16 inside, x's dtype outside."""
    n, k = weight.shape
    y = torch._weight_int8pack_mm(x.reshape(-1, k).to(torch.bfloat16), weight, scales)  # [M, N]
    return y.to(x.dtype).view(*x.shape[:-1], n)


def _inner_k_tiles(k: int) -> int:
    """The CUDA int4 kernel's tiling of K: the largest of 8/4/2 that divides K/16."""
    for tiles in (8, 4, 2):
        if k % (tiles * 16) == 0:
            return tiles
    raise UsageError(f"int4 on CUDA needs input sizes that are multiples of 32, got {k}",
                     hint="use --quant int8 for this model")  # fmt: skip


class Int4Linear(nn.Module):
    """Group-wise int4 GEMM with torch's packed-weight kernel (CPU or CUDA layout)."""

    weight: torch.Tensor
    scales_and_zeros: torch.Tensor

    def __init__(self, t: dict[str, torch.Tensor], group_size: int, device: torch.device) -> None:
        super().__init__()
        self.out_features = t["weight"].shape[0]
        self.in_features = t["weight"].shape[1] * 2
        self.group_size = group_size
        if device.type == "cuda":  # the CUDA packer takes [N, K/2] bytes with the EVEN column high
            swapped = (t["weight"] << 4) | (t["weight"] >> 4)
            packed = torch.ops.aten._convert_weight_to_int4pack(
                swapped.to(device).contiguous(), _inner_k_tiles(self.in_features)
            )
        else:
            packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(
                unpack_int4(t["weight"]).contiguous(), 1
            )
        self.register_buffer("weight", packed.to(device))
        # [K/g, N, 2]: the kernels' scale-and-zero table
        table = torch.stack((t["scales"], t["zeros"]), dim=-1).transpose(0, 1).contiguous()
        self.register_buffer("scales_and_zeros", table.to(device, torch.bfloat16))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return int4_linear(x, self.weight, self.scales_and_zeros, self.group_size)


def int4_linear(
    x: torch.Tensor, weight: torch.Tensor, scales_and_zeros: torch.Tensor, group_size: int
) -> torch.Tensor:
    """x [..., K] @ the packed int4 weight (CPU or CUDA layout, by its device), bf16 inside."""
    k = scales_and_zeros.shape[0] * group_size
    mm = torch.ops.aten._weight_int4pack_mm if weight.is_cuda else (
        torch.ops.aten._weight_int4pack_mm_for_cpu)  # fmt: skip
    y = mm(x.reshape(-1, k).to(torch.bfloat16), weight, group_size, scales_and_zeros)  # [M, N]
    return y.to(x.dtype).view(*x.shape[:-1], scales_and_zeros.shape[1])


def _bnb_linear(w: torch.Tensor, mode: str, device: torch.device) -> nn.Module:
    """bitsandbytes Linear8bitLt / Linear4bit (nf4) for CUDA; quantizes when moved to the GPU."""
    try:
        import bitsandbytes as bnb  # type: ignore[import-not-found]
    except ImportError:
        raise UsageError("the bitsandbytes backend needs the bitsandbytes package",
                         hint="pip install bitsandbytes, or use the default torch kernels") from None  # fmt: skip
    if device.type != "cuda":
        raise UsageError("bitsandbytes quantization needs a CUDA device", hint="use --device cuda")
    n, k = w.shape
    if mode == "int8":
        layer = bnb.nn.Linear8bitLt(k, n, bias=False, has_fp16_weights=False, threshold=6.0)
        layer.weight = bnb.nn.Int8Params(w.to(torch.float16).cpu(), requires_grad=False,
                                         has_fp16_weights=False)  # fmt: skip
    else:
        layer = bnb.nn.Linear4bit(k, n, bias=False, compute_dtype=torch.bfloat16, quant_type="nf4")
        layer.weight = bnb.nn.Params4bit(w.to(torch.bfloat16).cpu(), requires_grad=False,
                                         quant_type="nf4")  # fmt: skip
    return layer.to(device)


def build_linear(
    t: dict[str, torch.Tensor], mode: str, group_size: int, device: torch.device, backend: str
) -> nn.Module:
    """Portable tensors -> the module that runs them on `device` ("torch" or "bitsandbytes")."""
    if backend == "bitsandbytes":
        return _bnb_linear(dequantize(t, group_size), mode, device)
    if mode == "int4":
        return Int4Linear(t, group_size, device)
    return Int8Linear(t, device)


class FusedMLP(nn.Module):
    """SwiGLU with w1 and w3 stacked in one projection `w13`: w2(silu(a) * b), [a, b] = w13 x."""

    def __init__(self, w13: nn.Module, w2: nn.Module, width: int) -> None:
        super().__init__()
        self.w13, self.w2, self.width = w13, w2, width

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = self.w13(x).split(self.width, dim=-1)  # each [..., I]
        return self.w2(F.silu(a) * b)


def _cat_rows(parts: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    return {key: torch.cat([p[key] for p in parts], dim=0) for key in parts[0]}


def _float_linear(w: torch.Tensor) -> nn.Linear:
    layer = nn.Linear(w.shape[1], w.shape[0], bias=False, device="meta")
    layer.weight = nn.Parameter(w, requires_grad=False)
    return layer


# ---------------------------------------------------------------- walking the model


def _is_mlp(module: nn.Module) -> bool:
    from arctic_cli.engine.model import MLP

    return isinstance(module, MLP)


def targets(model: nn.Module) -> Iterator[tuple[str, nn.Module]]:
    """(name, module) of every MLP and of every other Linear to quantize, parents first."""
    mlps: list[str] = []
    for name, module in model.named_modules():
        if any(name.startswith(m + ".") for m in mlps):
            continue
        if _is_mlp(module):
            mlps.append(name)
            yield name, module
        elif isinstance(module, nn.Linear) and name.rpartition(".")[2] not in KEEP_FLOAT:
            yield name, module


def _set(model: nn.Module, name: str, module: nn.Module) -> None:
    parent, _, leaf = name.rpartition(".")
    setattr(model.get_submodule(parent) if parent else model, leaf, module)


class _Builder:
    """Turns portable tensors (or float weights) into modules for one mode/device/backend."""

    def __init__(self, mode: str, group_size: int, device: torch.device, backend: str) -> None:
        self.mode, self.group_size, self.device, self.backend = mode, group_size, device, backend

    def linear(self, t: dict[str, torch.Tensor]) -> nn.Module:
        """Quantized when `t` holds scales, else a float Linear on `weight`."""
        if "scales" in t:
            return build_linear(t, self.mode, self.group_size, self.device, self.backend)
        return _float_linear(t["weight"])

    def mlp(self, w1: dict[str, Any], w2: dict[str, Any], w3: dict[str, Any]) -> FusedMLP:
        width = w1["weight"].shape[0]
        return FusedMLP(self.linear(_cat_rows([w1, w3])), self.linear(w2), width)

    def quantize(self, w: torch.Tensor) -> dict[str, torch.Tensor]:
        """Float weight -> portable tensors, or {"weight": w} when the kernel refuses the shape."""
        n, k = w.shape
        if not can_quantize(n, k, self.mode, self.group_size):
            return {"weight": w}
        return quantize_tensor(w, self.mode, self.group_size)


def quantize_model(
    model: Any, mode: str, group_size: int = DEFAULT_GROUP_SIZE, backend: str = "torch"
) -> nn.Module:
    """Swap the projections of a loaded float model for quantized modules, in place; returns it.

    Experts are converted one by one, so peak memory grows by about one expert's weights.
    `backend="bitsandbytes"` (CUDA only) uses Linear8bitLt for int8 and Linear4bit nf4 for int4.
    """
    from arctic_cli.engine.model import Attention

    check_mode(mode, group_size)
    if getattr(model, "compiled_step", None) is not None:  # its graph would keep the old weights
        raise UsageError("cannot quantize a model whose decode step is compiled",
                         hint="quantize first, then compile (load_model(..., quant=, compile=True))")  # fmt: skip
    device = next(model.parameters()).device
    build = _Builder(mode, group_size, device, backend)
    for module in model.modules():  # a fused float q/k/v (fastpath.fuse) would outlive q_proj & co
        if isinstance(module, Attention):
            module.qkv_weight = None
    for name, module in list(targets(model)):
        with torch.no_grad():
            if _is_mlp(module):
                w1, w2, w3 = (build.quantize(getattr(module, p).weight.detach())
                              for p in ("w1", "w2", "w3"))  # fmt: skip
                _set(model, name, build.mlp(w1, w2, w3))
            else:
                weight = cast(torch.Tensor, module.weight)
                _set(model, name, build.linear(build.quantize(weight.detach())))
    model.config.quantization = {"mode": mode, "group_size": group_size}
    if device.type == "cpu":  # what the kernel left in float (refused shapes) is fused again
        from arctic_cli.engine.fastpath import fuse

        fuse(model)
    return model


def portable_state_dict(
    model: Any, mode: str, group_size: int = DEFAULT_GROUP_SIZE
) -> dict[str, torch.Tensor]:
    """The saved format of a float model: quantized projections, every other tensor unchanged."""
    check_mode(mode, group_size)
    build = _Builder(mode, group_size, torch.device("cpu"), "torch")
    quantized: dict[str, torch.Tensor] = {}
    linears = set()
    for name, module in targets(model):
        parts = [f"{name}.{p}" for p in ("w1", "w2", "w3")] if _is_mlp(module) else [name]
        for part in parts:
            linears.add(f"{part}.weight")
            w = model.get_submodule(part).weight.detach().cpu()
            for key, tensor in build.quantize(w).items():
                quantized[f"{part}.{key}"] = tensor.contiguous()
    rest = {n: t.detach().cpu().contiguous() for n, t in model.state_dict().items()
            if n not in linears}  # fmt: skip
    return {**rest, **quantized}


def weights_bytes(model: nn.Module) -> int:
    """Bytes held by the model's parameters and buffers (shared tensors counted once)."""
    seen: set[int] = set()
    total = 0
    for t in [*model.parameters(), *model.buffers()]:
        if t.data_ptr() in seen:
            continue
        seen.add(t.data_ptr())
        total += t.numel() * t.element_size()
    return total
