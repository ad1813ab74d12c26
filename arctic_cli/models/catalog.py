"""What `arctic models` lists: the built-in model and the checkpoints kept in ARCTIC_HOME/models.

Reads only config.json and the safetensors headers (shapes, not tensors), so listing is instant
and imports no torch.
"""

from __future__ import annotations

import json
import struct
from dataclasses import asdict, dataclass
from math import prod
from pathlib import Path


@dataclass
class ModelInfo:
    name: str
    path: str
    default: bool
    architecture: str
    parameters: int
    size_bytes: int
    quant: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _header(path: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """The JSON header of a safetensors file: 8-byte little-endian length, then JSON."""
    with path.open("rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(n))  # type: ignore[no-any-return]


def describe(name: str, path: Path, default: bool) -> ModelInfo | None:
    """A model directory's facts, or None when it is not a readable checkpoint."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        files = sorted(path.glob("*.safetensors"))
        parameters = 0
        for f in files:
            header = _header(f)
            for key, meta in header.items():
                if key == "__metadata__" or key.endswith((".scales", ".zeros")):
                    continue
                n = prod(meta["shape"])
                packed = meta.get("dtype") == "U8" and key.removesuffix(".weight") + ".zeros" in header
                parameters += 2 * n if packed else n  # int4: two weights per stored byte
    except (OSError, ValueError, KeyError, struct.error):
        return None
    quant = (config.get("quantization") or {}).get("mode", "none")
    return ModelInfo(
        name=name,
        path=str(path),
        default=default,
        architecture=(config.get("architectures") or [config.get("model_type", "?")])[0],
        parameters=parameters,
        size_bytes=sum(f.stat().st_size for f in files),
        quant=quant,
    )


def list_models(home: Path, configured: str) -> list[ModelInfo]:
    """The built-in model, then ARCTIC_HOME/models/*; `default` marks the one commands use."""
    from arctic_cli.backends import builtin_model_dir

    found: list[ModelInfo] = []
    builtin = builtin_model_dir()
    if builtin is not None:
        info = describe("default", builtin, configured == "default")
        if info:
            found.append(info)
    kept = home / "models"
    if kept.is_dir():
        for d in sorted(p for p in kept.iterdir() if p.is_dir()):
            info = describe(d.name, d, configured in (d.name, str(d)))
            if info:
                found.append(info)
    configured_path = Path(configured).expanduser()
    if configured != "default" and configured_path.is_dir() and not any(m.default for m in found):
        info = describe(configured_path.name, configured_path, True)
        if info:
            found.append(info)
    return found
