"""Quantized checkpoints on disk: `arctic quantize` writes them, `load_model` reads them back.

The format is described in quant.py. Loading builds the model on the meta device, swaps in
quantized modules and fills every tensor from the safetensors files, without re-quantizing, so a
quantized directory loads with about its own size in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from arctic_cli.engine.quant import (
    DEFAULT_GROUP_SIZE,
    GROUP_SIZES,
    MODES,
    _Builder,
    _is_mlp,
    _set,
    check_mode,
    portable_state_dict,
    targets,
)
from arctic_cli.errors import RuntimeFailure, UsageError

Progress = Callable[[int, int], None]


# ---------------------------------------------------------------- loading a quantized directory


def load_quantized(
    model_dir: Path,
    config: Any,
    device: torch.device,
    dtype: torch.dtype,
    progress: Progress | None = None,
    backend: str = "torch",
) -> nn.Module:
    """Build the model on meta, then fill it from a directory written by `arctic quantize`."""
    from safetensors import safe_open

    from arctic_cli.engine.loader import weight_files
    from arctic_cli.engine.model import ArcticForCausalLM

    spec = config.quantization or {}
    mode, group_size = spec.get("mode"), spec.get("group_size", DEFAULT_GROUP_SIZE)
    if mode not in MODES or (mode == "int4" and group_size not in GROUP_SIZES):
        raise UsageError(f"{model_dir}/config.json: unknown quantization {spec!r}",
                         hint="re-run `arctic quantize` on the original checkpoint")  # fmt: skip
    files, _ = weight_files(model_dir)
    try:
        handles = [safe_open(str(f), framework="pt", device="cpu") for f in files]
    except Exception as e:
        raise RuntimeFailure(f"cannot open the weights in {model_dir} ({e})",
                             hint="the file is truncated or corrupt: re-quantize it") from None  # fmt: skip
    where = {n: h for h in handles for n in h.keys()}  # noqa: SIM118 (safe_open handles)
    total = max(1, len(where))
    used: set[str] = set()

    def take(name: str) -> torch.Tensor:
        if name not in where:
            raise RuntimeFailure(f"tensor {name} is missing from {model_dir}",
                                 hint="the quantized weights do not match config.json")  # fmt: skip
        used.add(name)
        if progress is not None:
            progress(len(used), total)
        try:
            return _aligned(where[name].get_tensor(name))
        except Exception as e:
            raise RuntimeFailure(f"cannot read tensor {name} from {model_dir} ({e})",
                                 hint="the file is truncated or corrupt: re-quantize it") from None  # fmt: skip

    def portable(name: str) -> dict[str, torch.Tensor]:
        keys = ("weight", "scales", "zeros") if mode == "int4" else ("weight", "scales")
        if f"{name}.scales" not in where:  # kept in high precision when quantized
            return {"weight": take(f"{name}.weight").to(device, dtype)}
        return {k: take(f"{name}.{k}") for k in keys}

    with torch.device("meta"):
        model = ArcticForCausalLM(config)
    build = _Builder(mode, group_size, device, backend)
    for name, module in list(targets(model)):
        if _is_mlp(module):
            w1, w2, w3 = (portable(f"{name}.{p}") for p in ("w1", "w2", "w3"))
            _set(model, name, build.mlp(w1, w2, w3))
        elif name == "lm_head" and config.tie_word_embeddings and "lm_head.weight" not in where:
            continue  # tied to the embedding: assigned below
        else:
            _set(model, name, build.linear(portable(name)))
    for name, param in list(model.named_parameters()):
        if param.is_meta:
            module_name, _, leaf = name.rpartition(".")
            tensor = take(name).to(device, dtype)
            model.get_submodule(module_name)._parameters[leaf] = nn.Parameter(
                tensor, requires_grad=False
            )
    if isinstance(model.lm_head, nn.Linear) and model.lm_head.weight.is_meta:
        model.lm_head.weight = model.model.embed_tokens.weight
    extra = sorted(set(where) - used)
    if extra:
        raise RuntimeFailure(f"unexpected tensor {extra[0]} in {model_dir}",
                             hint="the quantized weights do not match config.json")  # fmt: skip
    if device.type == "cpu":
        from arctic_cli.engine.fastpath import accelerate

        accelerate(model)
    return model.eval()


def _aligned(t: torch.Tensor) -> torch.Tensor:
    """`t` in memory aligned to 64 bytes. safetensors maps the file and hands back tensors at the
    layout's offsets; torch's int8 CPU kernel reads weights with aligned vector loads and crashes
    the process on a misaligned one (seen on a 27 M model: tensors 8 bytes off)."""
    return t if t.data_ptr() % 64 == 0 else t.clone()


def load_prequantized(
    model_dir: Path,
    config: Any,
    quant: str | None,
    device: Any = "cpu",
    dtype: Any = None,
    progress: Progress | None = None,
) -> nn.Module:
    """`load_model` for a directory whose config.json records a quantization (the loader's seam)."""
    from arctic_cli.engine.loader import resolve_device, resolve_dtype

    recorded = (config.quantization or {}).get("mode")
    if quant not in (None, "none", recorded):
        raise UsageError(f"{model_dir} is already quantized ({recorded}); cannot load it as {quant}",
                         hint=f"drop --quant (or use --quant {recorded}), or point --model at the "
                         "original checkpoint")  # fmt: skip
    dev = resolve_device(device)
    return load_quantized(model_dir, config, dev, resolve_dtype(dtype, dev), progress)


# ---------------------------------------------------------------- `arctic quantize`

_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".pkl")
SHARD_BYTES = 2 * 1024**3


def quantize_checkpoint(
    src: Path, dst: Path, mode: str, group_size: int = DEFAULT_GROUP_SIZE,
    progress: Progress | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Write `src` quantized to the new directory `dst` (weights, config.json, tokenizer files).

    Returns {"mode", "group_size", "bytes", "source_bytes"}. `dst` must not exist or be empty.
    """
    import json
    import math
    import shutil

    from arctic_cli.engine.checkpoint import save_weights
    from arctic_cli.engine.config import read_config
    from arctic_cli.engine.loader import load_model, weight_files

    check_mode(mode, group_size)
    config = read_config(src)
    if config.quantization is not None:
        raise UsageError(f"{src} is already quantized ({config.quantization.get('mode')})",
                         hint="quantize the original float checkpoint instead")  # fmt: skip
    if dst.exists() and (not dst.is_dir() or any(dst.iterdir())):
        raise UsageError(f"{dst} already exists and is not empty",
                         hint="pick a new directory; nothing is overwritten")  # fmt: skip
    source_bytes = sum(f.stat().st_size for f in weight_files(src)[0])
    stored = str(config.torch_dtype or "float32")
    dtype = stored if stored in ("float32", "bfloat16", "float16") else "float32"
    model = load_model(src, device="cpu", dtype=dtype, progress=progress)
    tensors = portable_state_dict(model, mode, group_size)
    total = sum(t.numel() * t.element_size() for t in tensors.values())
    created = not dst.exists()
    try:
        dst.mkdir(parents=True, exist_ok=True)
        save_weights(dst, tensors, shards=max(1, math.ceil(total / SHARD_BYTES)))
        data = json.loads((src / "config.json").read_text(encoding="utf-8"))
        data["quantization"] = {"mode": mode, "group_size": group_size}
        data["num_key_value_heads"] = model.config.num_key_value_heads  # as the weights say
        (dst / "config.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
        for f in src.iterdir():  # tokenizer, generation config, license, ...
            if f.is_file() and f.name != "config.json" and not f.name.endswith(_WEIGHT_SUFFIXES) \
                    and f.name != "model.safetensors.index.json":  # fmt: skip
                shutil.copy2(f, dst / f.name)
    except OSError as e:
        if created:
            shutil.rmtree(dst, ignore_errors=True)
        raise RuntimeFailure(
            f"cannot write {dst} ({e})", hint="check free disk space and permissions"
        ) from None
    return {"mode": mode, "group_size": group_size, "bytes": total, "source_bytes": source_bytes}
