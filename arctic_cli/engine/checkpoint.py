"""Tiny random Arctic checkpoints for tests and benchmarks: weights, config and a byte-level tokenizer.

`write_random_checkpoint(path, seed=0, shards=1, **overrides)` writes a complete Hugging Face style
directory that `load_model` and `load_tokenizer` read like a real one:

  config.json              model_type "arctic", TINY_CONFIG with `overrides` applied (any HF key)
  model.safetensors        or model-0000i-of-0000n.safetensors + model.safetensors.index.json
  tokenizer.json           byte-level BPE: <unk> <s> </s>, 256 byte tokens, a few merges,
                           reserved padding tokens, then <|im_start|> <|im_end|> as the last two ids
                           (the released model's layout: 31998 / 31999 of 32000)
  tokenizer_config.json    added_tokens_decoder, bos/eos, add_bos_token, a ChatML chat_template

The vocabulary is padded to `vocab_size` so the embedding and the tokenizer always agree (a
vocab_size below the minimum raises ValueError). Weights are deterministic for a given seed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

TINY_CONFIG: dict[str, Any] = {
    "architectures": ["ArcticForCausalLM"],
    "model_type": "arctic",
    "vocab_size": 320,
    "hidden_size": 64,
    "intermediate_size": 96,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "num_local_experts": 4,
    "num_experts_per_tok": 2,
    "moe_layer_frequency": 1,
    "parallel_attn_mlp_res": True,
    "use_residual": True,
    "rope_theta": 10000.0,
    "rms_norm_eps": 1e-5,
    "max_position_embeddings": 256,
    "tie_word_embeddings": False,
    "torch_dtype": "float32",
    # Training-only keys of the released config: loaders must ignore them.
    "moe_token_dropping": True,
    "moe_train_capacity_factor": 1,
    "enable_expert_tensor_parallelism": False,
}

CHATML_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# Words whose byte-level merges the tiny tokenizer knows (so text is not all single bytes).
_MERGE_WORDS = ("the", "SELECT", "FROM", "WHERE", "name", "Ġthe", "Ġa", "Ġof", "Ġand", "ing")
_LEADING_SPECIALS = ("<unk>", "<s>", "</s>")
_CHAT_SPECIALS = ("<|im_start|>", "<|im_end|>")


def _byte_level_vocab() -> tuple[dict[str, int], list[tuple[str, str]]]:
    from tokenizers import pre_tokenizers

    vocab: dict[str, int] = {tok: i for i, tok in enumerate(_LEADING_SPECIALS)}
    for ch in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[ch] = len(vocab)
    merges: list[tuple[str, str]] = []
    for word in _MERGE_WORDS:
        pieces = list(word[1:]) if word.startswith("Ġ") else list(word)
        left = "Ġ" if word.startswith("Ġ") else pieces.pop(0)
        for right in pieces:
            if left + right not in vocab:
                merges.append((left, right))
                vocab[left + right] = len(vocab)
            left = left + right
    return vocab, merges


def min_vocab_size() -> int:
    vocab, _ = _byte_level_vocab()
    return len(vocab) + len(_CHAT_SPECIALS)


def write_tokenizer(path: str | Path, vocab_size: int) -> dict[str, int]:
    """Write tokenizer.json + tokenizer_config.json with exactly `vocab_size` ids; returns specials."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    path = Path(path)
    vocab, merges = _byte_level_vocab()
    if vocab_size < min_vocab_size():
        raise ValueError(f"vocab_size must be at least {min_vocab_size()} for the byte tokenizer")
    while len(vocab) < vocab_size - len(_CHAT_SPECIALS):
        vocab[f"<|reserved_{len(vocab)}|>"] = len(vocab)
    for tok in _CHAT_SPECIALS:
        vocab[tok] = len(vocab)
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    # Llama-style: encoding with special tokens prepends <s>.
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", vocab["<s>"])]
    )
    specials = [*_LEADING_SPECIALS, *_CHAT_SPECIALS]
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    tokenizer.save(str(path / "tokenizer.json"))
    decoder = {
        str(vocab[t]): {"content": t, "special": True, "lstrip": False, "rstrip": False,
                        "normalized": False, "single_word": False}
        for t in specials
    }  # fmt: skip
    tok_config = {
        "added_tokens_decoder": decoder,
        "bos_token": "<s>",
        "eos_token": "<|im_end|>",
        "unk_token": "<unk>",
        "add_bos_token": True,
        "add_eos_token": False,
        "chat_template": CHATML_TEMPLATE,
        "model_max_length": 1_000_000,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }
    (path / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2), encoding="utf-8")
    return {t: vocab[t] for t in specials}


def random_state_dict(config: Any, seed: int = 0, dtype: Any = None) -> dict[str, Any]:
    """Random weights for every tensor of `config` (an ArcticConfig), named as in the checkpoint."""
    import torch

    from arctic_cli.engine.model import ArcticForCausalLM

    with torch.device("meta"):
        shapes = {k: v.shape for k, v in ArcticForCausalLM(config).state_dict().items()}
    gen = torch.Generator().manual_seed(seed)
    tensors = {}
    for name, shape in shapes.items():
        if name.endswith("norm.weight"):  # near 1 so a forgotten norm weight shows in parity tests
            t = 1.0 + 0.1 * torch.randn(shape, generator=gen)
        else:  # fan-in scaling keeps activations O(1) through the layers
            t = torch.randn(shape, generator=gen) / math.sqrt(shape[-1])
        tensors[name] = t.to(dtype or torch.float32).contiguous()
    return tensors


def save_weights(path: str | Path, tensors: dict[str, Any], shards: int = 1) -> None:
    """One model.safetensors, or `shards` files with model.safetensors.index.json."""
    from safetensors.torch import save_file

    path = Path(path)
    if shards <= 1:
        save_file(tensors, str(path / "model.safetensors"), metadata={"format": "pt"})
        return
    names = list(tensors)
    per = math.ceil(len(names) / shards)
    weight_map: dict[str, str] = {}
    for i in range(shards):
        file = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[i * per : (i + 1) * per]}
        save_file(part, str(path / file), metadata={"format": "pt"})
        weight_map.update(dict.fromkeys(part, file))
    total = sum(t.numel() * t.element_size() for t in tensors.values())
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    (path / "model.safetensors.index.json").write_text(
        json.dumps(index, indent=2), encoding="utf-8"
    )


def write_random_checkpoint(
    path: str | Path,
    seed: int = 0,
    shards: int = 1,
    dtype: str = "float32",
    tokenizer: bool = True,
    **overrides: Any,
) -> Path:
    """Write a random Arctic checkpoint (config, weights, tokenizer) to `path`; returns the path.

    `overrides` are config.json keys, e.g. hidden_size=128, parallel_attn_mlp_res=False.
    `dtype` is "float32" or "bfloat16" (the stored weights and torch_dtype).
    """
    import torch

    from arctic_cli.engine.config import ArcticConfig

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    data = {**TINY_CONFIG, **overrides, "torch_dtype": dtype}
    if tokenizer:
        specials = write_tokenizer(path, data["vocab_size"])
        data.setdefault("bos_token_id", specials["<|im_start|>"])
        data.setdefault("eos_token_id", specials["<|im_end|>"])
    else:
        data.setdefault("bos_token_id", 1)
        data.setdefault("eos_token_id", 2)
    config = ArcticConfig.from_dict(data, source=str(path / "config.json"))
    (path / "config.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    tensors = random_state_dict(config, seed, getattr(torch, dtype))
    save_weights(path, tensors, shards)
    return path
