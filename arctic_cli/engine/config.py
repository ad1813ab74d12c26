"""ArcticConfig: a checkpoint's config.json, with Hugging Face field names.

Defaults are the released snowflake-arctic-instruct values (see docs/arctic-architecture.md), except
`rope_theta`, which must come from the file: the remote-code class default (1e6) disagrees with the
released checkpoint (1e4), so a config without it is refused rather than silently guessed.
Unknown keys (training switches, `auto_map`, ...) are kept in `extra` and otherwise ignored.
A Mixtral config is accepted as Arctic with the parallel residual branch off (the same network).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from arctic_cli.errors import UsageError

SUPPORTED_MODEL_TYPES = ("arctic", "mixtral")


@dataclass
class ArcticConfig:
    """The fields the engine reads; names and meanings as in the checkpoint's config.json."""

    rope_theta: float
    model_type: str = "arctic"
    vocab_size: int = 32000
    hidden_size: int = 7168
    intermediate_size: int = 4864
    num_hidden_layers: int = 35
    num_attention_heads: int = 56
    num_key_value_heads: int = 8
    head_dim: int | None = None  # None: hidden_size // num_attention_heads
    num_local_experts: int = 128
    num_experts_per_tok: int = 2
    moe_layer_frequency: int = 1
    parallel_attn_mlp_res: bool = True
    use_residual: bool = True
    rms_norm_eps: float = 1e-5
    max_position_embeddings: int = 4096
    tie_word_embeddings: bool = False
    bos_token_id: int | None = 31998
    eos_token_id: int | list[int] | None = 31999
    torch_dtype: str | None = "bfloat16"
    quantization: dict[str, Any] | None = None  # written by `arctic quantize`; None = plain weights
    extra: dict[str, Any] = field(default_factory=dict)  # every other key of the file, untouched

    def __post_init__(self) -> None:
        ints = isinstance(self.hidden_size, int) and isinstance(self.num_attention_heads, int)
        if self.head_dim is None and ints and self.num_attention_heads > 0:
            self.head_dim = self.hidden_size // self.num_attention_heads  # validated in _check

    @property
    def dim_per_head(self) -> int:
        assert self.head_dim is not None
        return self.head_dim

    def is_moe_layer(self, i: int) -> bool:
        """Layer i (0-based) is MoE iff (i+1) % moe_layer_frequency == 0."""
        return (i + 1) % max(1, self.moe_layer_frequency) == 0

    def has_residual_branch(self, i: int) -> bool:
        """The dense residual MLP runs in parallel on MoE layers when the flag is on."""
        return self.parallel_attn_mlp_res and self.use_residual and self.is_moe_layer(i)

    @property
    def eos_ids(self) -> tuple[int, ...]:
        eos = self.eos_token_id
        if eos is None:
            return ()
        return tuple(eos) if isinstance(eos, list) else (int(eos),)

    def to_dict(self) -> dict[str, Any]:
        """The config.json content (extra keys merged back in)."""
        data = asdict(self)
        extra = data.pop("extra")
        if data["quantization"] is None:
            data.pop("quantization")
        return {**extra, **data, "architectures": extra.get("architectures", ["ArcticForCausalLM"])}

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "config.json") -> ArcticConfig:
        model_type = data.get("model_type")
        if model_type not in SUPPORTED_MODEL_TYPES:
            raise UsageError(
                f"{source}: unsupported model_type {model_type!r} (expected 'arctic')",
                hint="point --model at a Snowflake Arctic checkpoint directory",
            )
        if "rope_theta" not in data:
            raise UsageError(
                f"{source}: rope_theta is missing",
                hint="Arctic checkpoints state it (10000 for the released model); add it to config.json",
            )
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        if model_type == "mixtral":
            # Mixtral is Arctic without the residual branch, every layer MoE.
            values.update(parallel_attn_mlp_res=False, use_residual=False, moe_layer_frequency=1)
        try:
            config = cls(**values, extra=extra)
        except TypeError as e:
            raise UsageError(f"{source}: {e}", hint="check the checkpoint's config.json") from None
        _check(config, source)
        return config


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _check(config: ArcticConfig, source: str) -> None:
    positive = (
        "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
        "num_attention_heads", "num_key_value_heads", "num_local_experts",
        "num_experts_per_tok", "moe_layer_frequency", "max_position_embeddings", "head_dim",
    )  # fmt: skip
    for name in positive:
        value = getattr(config, name)
        if not _positive_int(value):
            raise UsageError(f"{source}: {name} must be a positive integer, got {value!r}")
    if not isinstance(config.rope_theta, (int, float)) or config.rope_theta <= 0:
        raise UsageError(
            f"{source}: rope_theta must be a positive number, got {config.rope_theta!r}"
        )
    if config.num_experts_per_tok > config.num_local_experts:
        raise UsageError(f"{source}: num_experts_per_tok exceeds num_local_experts")
    if config.num_attention_heads % config.num_key_value_heads:
        raise UsageError(
            f"{source}: num_attention_heads ({config.num_attention_heads}) is not a multiple of "
            f"num_key_value_heads ({config.num_key_value_heads})"
        )
    if config.dim_per_head % 2:
        raise UsageError(f"{source}: head_dim must be even for rotary embeddings")


def read_config(model_dir: str | Path) -> ArcticConfig:
    """Read `config.json` from a checkpoint directory (UsageError naming the file on any problem)."""
    path = Path(model_dir) / "config.json"
    if not path.is_file():
        raise UsageError(
            f"{path} not found",
            hint="a model directory holds config.json plus model.safetensors (or shards)",
        )
    return ArcticConfig.from_dict(read_json_object(path), source=str(path))


@dataclass(frozen=True)
class GenerationConfig:
    """What a checkpoint's `generation_config.json` sets that arctic honours.

    `max_new_tokens`: the answer length its authors chose (a default only: `--max-tokens`,
    `ARCTIC_MAX_TOKENS` or the config file win). `eos_ids`: more ids that end an answer (chat
    checkpoints often list their end-of-turn token only here). Sampling fields (`do_sample`,
    `temperature`, ...) are not taken: arctic decodes greedily unless told otherwise, so that a
    query or a function is the same on every run. `max_length` counts the prompt too; the context
    window already bounds that.
    """

    max_new_tokens: int | None = None
    eos_ids: tuple[int, ...] = ()


def read_generation_config(model_dir: str | Path) -> GenerationConfig:
    """A checkpoint's `generation_config.json` (empty when it has none; UsageError when it is bad)."""
    path = Path(model_dir) / "generation_config.json"
    if not path.is_file():
        return GenerationConfig()
    data = read_json_object(path)
    max_new = data.get("max_new_tokens")
    if max_new is not None and not _positive_int(max_new):
        raise UsageError(f"{path}: max_new_tokens must be a positive integer, got {max_new!r}",
                         hint="fix it, or delete the key to use arctic's default")  # fmt: skip
    eos = data.get("eos_token_id")
    ids = eos if isinstance(eos, list) else [] if eos is None else [eos]
    if not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in ids):
        raise UsageError(f"{path}: eos_token_id must be a token id or a list of them, got {eos!r}",
                         hint="fix it, or delete the key to use config.json's")  # fmt: skip
    return GenerationConfig(max_new, tuple(ids))


def read_json_object(path: Path) -> dict[str, Any]:
    """A checkpoint's JSON file as a dict (UsageError naming the file when it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UsageError(
            f"{path} is not valid JSON: {e}", hint="re-download the checkpoint"
        ) from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not a JSON object", hint="re-download the checkpoint")
    return data
