"""Byte-level BPE tokenizer for the built-in model, saved in the layout a real Arctic checkpoint uses.

Output: `tokenizer.json` (the `tokenizers` format) plus `tokenizer_config.json` holding the specials in
`added_tokens_decoder` and the ChatML `chat_template`, so the engine loads it through the same code path
as Snowflake's tokenizer. Byte-level means every string round-trips (no `<unk>` for odd characters);
digits are split one by one so literal values in SQL tokenize the same wherever they appear.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

# Arctic's specials; in the 32000-piece Llama vocabulary <|im_start|>/<|im_end|> are 31998/31999.
# Here they get the first ids, which is why the loader must read them from tokenizer_config.json.
SPECIAL_TOKENS = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
UNK, BOS, EOS, IM_START, IM_END = SPECIAL_TOKENS

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def train_tokenizer(texts: Iterable[str], vocab_size: int, out_dir: Path) -> int:
    """Train on `texts`, write tokenizer.json + tokenizer_config.json into out_dir; return the vocab size."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token=None, byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        min_frequency=2,
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(out_dir / "tokenizer.json"))
    write_tokenizer_config(tokenizer.token_to_id, out_dir)
    return tokenizer.get_vocab_size()


def write_tokenizer_config(token_to_id, out_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """tokenizer_config.json in the Hugging Face layout, with ChatML and Arctic's specials."""
    added = {
        str(token_to_id(tok)): {
            "content": tok,
            "lstrip": False,
            "normalized": False,
            "rstrip": False,
            "single_word": False,
            "special": True,
        }
        for tok in SPECIAL_TOKENS
    }
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "added_tokens_decoder": added,
        "bos_token": BOS,
        "eos_token": IM_END,
        "unk_token": UNK,
        "pad_token": EOS,
        "add_bos_token": False,
        "add_eos_token": False,
        "chat_template": CHATML_TEMPLATE,
        "model_max_length": 4096,
        "clean_up_tokenization_spaces": False,
    }
    (out_dir / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
