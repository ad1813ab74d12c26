"""Load a Hugging Face style Arctic directory into an `ArcticForCausalLM`, safetensors only.

The module is built on the meta device (no memory), then every tensor is read once from the
memory-mapped safetensors files, checked against the expected name and shape, converted to the
target dtype/device and assigned, so peak memory stays near the weights' size. Nothing in the model
directory is executed: no pickle (`.bin`/`.pt` files are refused), no remote code.

Errors: a bad directory or config (missing, unreadable, wrong model_type, pickle-only weights) is a
UsageError (exit 2); weights that do not fit the config (missing/extra tensor, wrong shape, corrupt
or truncated file) are a RuntimeFailure (exit 1: the model could not load). Each names the file or
tensor in one line.

Quantization seam: after the weights are in place, `quant` ("int8" | "int4"; None or "none" =
plain) is handed to `arctic_cli.engine.quant.quantize_model(model, quant) -> model`, which swaps
`nn.Linear` modules (experts are one module each). Until that module exists, asking for
quantization is a UsageError.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from arctic_cli.engine.config import ArcticConfig, read_config
from arctic_cli.errors import RuntimeFailure, UsageError

Progress = Callable[[int, int], None]  # (done_bytes, total_bytes)

INDEX_FILE = "model.safetensors.index.json"
SINGLE_FILE = "model.safetensors"
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
IGNORED_SUFFIXES = ("rotary_emb.inv_freq",)  # buffers some exporters save; recomputed here
_DTYPES = {"float32": "float32", "fp32": "float32", "bfloat16": "bfloat16", "bf16": "bfloat16",
           "float16": "float16", "fp16": "float16"}  # fmt: skip


def resolve_device(device: str | Any = "cpu") -> Any:
    import torch

    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda was asked for but no CUDA GPU is available",
                         hint="use --device cpu or --device auto")  # fmt: skip
    return dev


def resolve_dtype(dtype: str | Any, device: Any) -> Any:
    """None -> bf16 on CUDA, float32 on CPU; accepts torch dtypes and their names."""
    import torch

    if dtype is None:
        return torch.bfloat16 if device.type == "cuda" else torch.float32
    if isinstance(dtype, torch.dtype):
        return dtype
    name = _DTYPES.get(str(dtype).lower().removeprefix("torch."))
    if name is None:
        raise UsageError(f"unknown dtype {dtype!r}", hint="use float32, bfloat16 or float16")
    return getattr(torch, name)


def weight_files(model_dir: Path) -> tuple[list[Path], dict[str, str] | None]:
    """The safetensors files of a checkpoint and, when sharded, the index's tensor -> file map."""
    index = model_dir / INDEX_FILE
    if index.is_file():
        try:
            weight_map = json.loads(index.read_text(encoding="utf-8"))["weight_map"]
            files = sorted(set(weight_map.values()))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise RuntimeFailure(f"{index} is not a valid safetensors index ({e})",
                                 hint="re-download the checkpoint") from None  # fmt: skip
        for name in files:
            if not (model_dir / name).is_file():
                raise RuntimeFailure(f"{model_dir / name} is missing (listed in {INDEX_FILE})",
                                     hint="re-download the checkpoint")  # fmt: skip
        return [model_dir / f for f in files], weight_map
    if (model_dir / SINGLE_FILE).is_file():
        return [model_dir / SINGLE_FILE], None
    shards = sorted(model_dir.glob("model-*-of-*.safetensors"))
    if shards:
        return shards, None
    if any(p.suffix in PICKLE_SUFFIXES for p in model_dir.iterdir()):
        raise UsageError(
            f"{model_dir} holds only pickle weights (.bin/.pt): only safetensors are loaded",
            hint="convert the checkpoint to safetensors (pickle files can run arbitrary code)",
        )
    raise UsageError(f"no model.safetensors or {INDEX_FILE} in {model_dir}",
                     hint="a model directory holds config.json plus safetensors weights")  # fmt: skip


def _open(path: Path) -> Any:
    from safetensors import safe_open

    try:
        return safe_open(str(path), framework="pt", device="cpu")
    except Exception as e:  # SafetensorError / OSError: truncated, corrupt or not safetensors
        raise RuntimeFailure(f"{path} is not a valid safetensors file ({e})",
                             hint="the file is truncated or corrupt: re-download it") from None  # fmt: skip


def _fix_kv_heads(config: ArcticConfig, shapes: dict[str, tuple[int, ...]]) -> ArcticConfig:
    """Early Arctic revisions state 56 KV heads; trust the k_proj rows over config.json."""
    rows = shapes.get("model.layers.0.self_attn.k_proj.weight", (0,))[0]
    kv_heads = rows // config.dim_per_head
    if rows and rows % config.dim_per_head == 0 and kv_heads != config.num_key_value_heads:
        return dataclasses.replace(config, num_key_value_heads=kv_heads)
    return config


def _locate(
    files: list[Path], handles: list[Any], weight_map: dict[str, str] | None
) -> dict[str, int]:
    """tensor name -> index of the file holding it (the file's own header is the truth)."""
    where: dict[str, int] = {}
    for i, handle in enumerate(handles):
        for name in handle.keys():  # noqa: SIM118 (a safe_open handle, not a dict)
            where.setdefault(name, i)
    if weight_map is not None:
        for name, file in weight_map.items():
            if name not in where:
                raise RuntimeFailure(f"tensor {name} is listed in {INDEX_FILE} but missing from {file}",
                                     hint="re-download the checkpoint")  # fmt: skip
    return where


def _check_names(
    expected: dict[str, Any], where: dict[str, int], files: list[Path], tied: bool
) -> None:
    for name in expected:
        if name not in where and not (tied and name == "lm_head.weight"):
            raise RuntimeFailure(f"tensor {name} is missing from the checkpoint ({files[0].parent})",
                                 hint="the weights do not match config.json")  # fmt: skip
    for name, i in where.items():
        if name not in expected and not name.endswith(IGNORED_SUFFIXES):
            raise RuntimeFailure(f"unexpected tensor {name} in {files[i]}",
                                 hint="the weights do not match config.json (layers, experts, "
                                 "moe_layer_frequency, parallel_attn_mlp_res)")  # fmt: skip


def _assign(model: Any, name: str, tensor: Any) -> None:
    import torch

    module_name, _, leaf = name.rpartition(".")
    module = model.get_submodule(module_name)
    module._parameters[leaf] = torch.nn.Parameter(tensor, requires_grad=False)


def _quantizer(quant: str | None) -> Callable[[Any, str], Any] | None:
    """The quantization step for `quant`, or None for plain weights (the seam for engine/quant.py)."""
    if quant in (None, "none"):
        return None
    try:
        from arctic_cli.engine.quant import quantize_model  # type: ignore[attr-defined]
    except ImportError:
        raise UsageError("quantization is not available yet", hint="use --quant none") from None
    return quantize_model  # type: ignore[no-any-return]


def load_model(
    path: str | Path,
    device: str | Any = "cpu",
    dtype: str | Any = None,
    quant: str | None = None,
    progress: Progress | None = None,
    compile: bool = False,
) -> Any:
    """Load an Arctic checkpoint directory; returns an eval-mode `ArcticForCausalLM`.

    `compile=True` also compiles the one-token decode step (engine/compiled.py) before returning.
    """
    model = _load(path, device, dtype, quant, progress)
    if compile:
        from arctic_cli.engine.compiled import compile_decode

        compile_decode(model)
    return model


def _load(path: str | Path, device: Any, dtype: Any, quant: str | None,
          progress: Progress | None) -> Any:  # fmt: skip
    import torch

    from arctic_cli.engine.model import ArcticForCausalLM

    model_dir = Path(path).expanduser()
    if not model_dir.is_dir():
        raise UsageError(f"model directory {model_dir} does not exist",
                         hint="pass --model DIR with a Hugging Face style checkpoint")  # fmt: skip
    config = read_config(model_dir)
    if config.quantization is not None:  # written by `arctic quantize`: loads without re-quantizing
        from arctic_cli.engine.quant_io import load_prequantized

        return load_prequantized(model_dir, config, quant, device, dtype, progress)
    quantize = _quantizer(quant)  # fails fast, before reading gigabytes, when it is unavailable
    dev = resolve_device(device)
    target_dtype = resolve_dtype(dtype, dev)
    files, weight_map = weight_files(model_dir)
    handles = [_open(f) for f in files]
    where = _locate(files, handles, weight_map)
    shapes = {n: tuple(handles[i].get_slice(n).get_shape()) for n, i in where.items()}
    config = _fix_kv_heads(config, shapes)

    with torch.device("meta"):
        model = ArcticForCausalLM(config)
    expected = {n: tuple(p.shape) for n, p in model.state_dict().items()}
    _check_names(expected, where, files, config.tie_word_embeddings)
    headers = [_header(f) for f in files]
    reader = _Reader(dev, target_dtype)
    sizes = {n: _nbytes(handles[where[n]], n) for n in expected if n in where}
    total = sum(sizes.values())
    done = 0
    for name, shape in expected.items():
        if name not in where:
            continue  # tied lm_head, assigned below
        i = where[name]
        if shapes[name] != shape:
            raise RuntimeFailure(
                f"tensor {name} in {files[i]} has shape {list(shapes[name])}, expected {list(shape)}",
                hint="the weights do not match config.json",
            )
        try:
            tensor = reader.read(files[i], headers[i], name)
        except (OSError, ValueError, KeyError, RuntimeError) as e:
            raise RuntimeFailure(f"cannot read tensor {name} from {files[i]} ({e})",
                                 hint="the file is truncated or corrupt: re-download it") from None  # fmt: skip
        _assign(model, name, tensor)
        done += sizes[name]
        if progress is not None:
            progress(done, total)
    del handles
    if "lm_head.weight" not in where:
        model.lm_head.weight = model.model.embed_tokens.weight
    model.eval()
    if dev.type == "cpu":  # oneDNN instead of MKL for float matmuls (engine/fastpath.py)
        from arctic_cli.engine.fastpath import accelerate

        accelerate(model)
    if quantize is not None and quant is not None:
        return quantize(model, quant)  # it fuses what stays float itself
    if dev.type == "cpu":  # one matmul for q/k/v and for w1/w3
        from arctic_cli.engine.fastpath import fuse

        fuse(model)
    return model


_ST_DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
              "I64": "int64", "I32": "int32", "I16": "int16", "I8": "int8", "U8": "uint8",
              "BOOL": "bool"}  # fmt: skip


def _nbytes(handle: Any, name: str) -> int:
    import torch

    info = handle.get_slice(name)
    n = 1
    for d in info.get_shape():
        n *= d
    dtype = getattr(torch, _ST_DTYPES.get(info.get_dtype(), "float32"))
    return n * dtype.itemsize


def _header(path: Path) -> tuple[int, dict[str, Any]]:
    """(offset of the data section, tensor table) of a safetensors file (already validated)."""
    with path.open("rb") as f:
        size = int.from_bytes(f.read(8), "little")
        return 8 + size, json.loads(f.read(size))


class _Reader:
    """Reads tensors with plain file I/O into their final buffers.

    Same dtype on the CPU: the bytes land directly in the parameter's storage. Otherwise they pass
    through one reused staging buffer and `copy_` converts (and moves to the GPU). Each weight thus
    exists once in memory, and no memory-mapped page counts towards this process's peak.
    """

    def __init__(self, device: Any, dtype: Any) -> None:
        self.device, self.dtype = device, dtype
        self.staging: Any = None

    def read(self, path: Path, header: tuple[int, dict[str, Any]], name: str) -> Any:
        import torch

        start, table = header
        info = table[name]
        begin, end = info["data_offsets"]
        src_dtype = getattr(torch, _ST_DTYPES[info["dtype"]])
        direct = self.device.type == "cpu" and src_dtype == self.dtype
        if direct:
            raw = torch.empty(end - begin, dtype=torch.uint8)  # [bytes], becomes the parameter
        else:
            if self.staging is None or self.staging.numel() < end - begin:
                self.staging = torch.empty(end - begin, dtype=torch.uint8)
            raw = self.staging[: end - begin]  # [bytes]
        view = raw.numpy().data  # a writable memoryview over the tensor's bytes
        with path.open("rb", buffering=0) as f:
            f.seek(start + begin)
            done = 0
            while done < len(view):  # one read(2) returns at most ~2 GiB
                n = f.readinto(view[done:])
                if not n:
                    raise ValueError("file ends early")
                done += n
        tensor = raw.view(src_dtype).view(info["shape"])
        if direct:
            return tensor
        out = torch.empty(info["shape"], dtype=self.dtype, device=self.device)
        return out.copy_(tensor)
