"""Tokenizer, chat template and incremental detokenization for Arctic checkpoints.

`load_tokenizer(dir)` reads `tokenizer.json` (with the `tokenizers` library) or, when only a
SentencePiece `tokenizer.model` exists, converts it through `transformers`. Special tokens come from
`added_tokens_decoder` in `tokenizer_config.json`: Arctic's `<|im_start|>`/`<|im_end|>` (31998/31999)
overwrite ordinary pieces, so special strings in a prompt are split out and mapped to those ids here
rather than trusting the vocabulary.

Chat: the checkpoint's jinja `chat_template` is rendered in a sandbox (never executing anything
else from the model directory); without one, ChatML is used and the `warn` callback is told once.
The rendered text is encoded without adding special tokens, so a template that writes its own BOS
never gets a second one.

`IncrementalDecoder` turns a stream of ids into text pieces without ever emitting half a UTF-8
character; `StopStrings` cuts a text stream at the first stop string, holding back possible prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from arctic_cli.engine.config import read_json_object
from arctic_cli.errors import UsageError

Message = dict[str, str]
CHATML_START, CHATML_END = "<|im_start|>", "<|im_end|>"
_SHIELD = "\ue000"  # private-use character that breaks a special-token string apart in content


def render_chatml(messages: list[Message], add_generation_prompt: bool = True) -> str:
    """`<|im_start|>{role}\\n{content}<|im_end|>\\n` per message, then the assistant's opening."""
    text = "".join(f"{CHATML_START}{m['role']}\n{m['content']}{CHATML_END}\n" for m in messages)
    return text + (f"{CHATML_START}assistant\n" if add_generation_prompt else "")


def _token_content(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("content")
    return value if isinstance(value, str) else None


class ChatTokenizer:
    """Text <-> ids for one checkpoint, plus its chat format and stop ids."""

    def __init__(
        self,
        backend: Any,
        specials: dict[str, int],
        tok_config: dict[str, Any],
        extra_eos: Iterable[int] = (),
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.backend = backend  # a tokenizers.Tokenizer
        self.specials = specials  # special string -> id
        self.special_ids = frozenset(specials.values())
        self.bos_token = _token_content(tok_config.get("bos_token"))
        self.eos_token = _token_content(tok_config.get("eos_token"))
        self.bos_id = specials.get(self.bos_token) if self.bos_token else None
        self.chat_template: str | None = tok_config.get("chat_template") or None
        if isinstance(self.chat_template, list):  # named templates: take "default"
            named = {t.get("name"): t.get("template") for t in self.chat_template}
            self.chat_template = named.get("default")
        self.template_fallback = self.chat_template is None
        if self.template_fallback and warn is not None:
            warn("the checkpoint has no chat template: using ChatML")
        stops = set(extra_eos)
        for tok in (self.eos_token, CHATML_END):
            if tok in specials:
                stops.add(specials[tok])
        self.stop_ids = frozenset(stops)
        pattern = "|".join(re.escape(s) for s in sorted(specials, key=len, reverse=True))
        self._split = re.compile(f"({pattern})") if specials else None

    @property
    def vocab_size(self) -> int:
        return max(
            int(self.backend.get_vocab_size(with_added_tokens=True)),
            max(self.special_ids, default=-1) + 1,
        )

    def encode(self, text: str) -> list[int]:
        """Ids for text; special-token strings map to their ids, nothing is added."""
        if self._split is None:
            return list(self.backend.encode(text, add_special_tokens=False).ids)
        ids: list[int] = []
        for part in self._split.split(text):
            if part in self.specials:
                ids.append(self.specials[part])
            elif part:
                ids.extend(self.backend.encode(part, add_special_tokens=False).ids)
        return ids

    def decode(self, ids: Iterable[int], skip_special: bool = True) -> str:
        ids = [int(i) for i in ids if not (skip_special and int(i) in self.special_ids)]
        return str(self.backend.decode(ids, skip_special_tokens=False))

    def render_chat(self, messages: list[Message], add_generation_prompt: bool = True) -> str:
        if self.chat_template is None:
            return render_chatml(messages, add_generation_prompt)
        return _render_jinja(
            self.chat_template,
            messages=messages,
            add_generation_prompt=add_generation_prompt,
            bos_token=self.bos_token or "",
            eos_token=self.eos_token or "",
        )

    def encode_chat(self, messages: list[Message], add_generation_prompt: bool = True) -> list[int]:
        """The prompt ids of a chat: the rendered template, encoded without extra specials.

        Special-token strings inside message content (a user typing `<|im_end|>`) stay text: only
        the template's own markers become special ids, so content cannot forge a role turn.
        """
        shielded = [{**m, "content": self._shield(m.get("content", ""))} for m in messages]
        ids: list[int] = []
        for piece in self.render_chat(shielded, add_generation_prompt).split(_SHIELD):
            ids.extend(self.encode(piece))  # a shielded special is split across two encodes
        return ids

    def _shield(self, content: str) -> str:
        for special in self.specials:
            if special in content:
                content = content.replace(special, special[0] + _SHIELD + special[1:])
        return content

    def incremental_decoder(self) -> IncrementalDecoder:
        return IncrementalDecoder(self)


def _render_jinja(template: str, **context: Any) -> str:
    from jinja2 import TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise TemplateError(message)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = raise_exception
    try:
        return env.from_string(template).render(**context)
    except TemplateError as e:
        raise UsageError(f"the checkpoint's chat template failed: {e}",
                         hint="check chat_template in tokenizer_config.json") from None  # fmt: skip


class IncrementalDecoder:
    """Ids in, text pieces out; a piece never ends in half a UTF-8 character.

    Decodes a short window (the previous piece's tokens + new ones) and emits only what the new
    tokens added, so SentencePiece's leading-space handling and split multi-byte characters both
    come out right. Special ids are skipped.
    """

    def __init__(self, tokenizer: ChatTokenizer) -> None:
        self.tokenizer = tokenizer
        self.ids: list[int] = []
        self.prefix = 0  # start of the decode window
        self.read = 0  # ids before this one have been emitted

    def push(self, token_id: int) -> str:
        if int(token_id) in self.tokenizer.special_ids:
            return ""
        self.ids.append(int(token_id))
        before = self.tokenizer.decode(self.ids[self.prefix : self.read])
        after = self.tokenizer.decode(self.ids[self.prefix :])
        if len(after) <= len(before) or after.endswith("\ufffd"):
            return ""  # an incomplete character (or nothing visible yet): wait for more ids
        self.prefix, self.read = self.read, len(self.ids)
        return after[len(before) :]

    def flush(self) -> str:
        """Whatever is still held back (e.g. a truncated character at the very end)."""
        before = self.tokenizer.decode(self.ids[self.prefix : self.read])
        after = self.tokenizer.decode(self.ids[self.prefix :])
        self.prefix = self.read = len(self.ids)
        return after[len(before) :] if len(after) > len(before) else ""


class StopStrings:
    """Cut a stream of text pieces at the first stop string (which is not emitted)."""

    def __init__(self, stops: Iterable[str]) -> None:
        self.stops = [s for s in stops if s]
        self.held = ""
        self.stopped = False

    def feed(self, piece: str) -> str:
        """Text safe to emit now; sets `stopped` once a stop string is seen."""
        if self.stopped:
            return ""
        text = self.held + piece
        hits = [i for i in (text.find(s) for s in self.stops) if i >= 0]
        if hits:
            self.stopped, self.held = True, ""
            return text[: min(hits)]
        keep = 0  # the longest tail of text that could still grow into a stop string
        for stop in self.stops:
            for n in range(min(len(stop) - 1, len(text)), keep, -1):
                if stop.startswith(text[-n:]):
                    keep = n
                    break
        self.held = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep]

    def flush(self) -> str:
        held, self.held = self.held, ""
        return "" if self.stopped else held




def _backend(model_dir: Path) -> Any:
    from tokenizers import Tokenizer

    if (model_dir / "tokenizer.json").is_file():
        try:
            return Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except Exception as e:
            raise UsageError(f"{model_dir / 'tokenizer.json'} cannot be read: {e}",
                             hint="re-download the checkpoint") from None  # fmt: skip
    if (model_dir / "tokenizer.model").is_file():
        try:  # transformers converts SentencePiece to a fast tokenizer (needs sentencepiece)
            from transformers import LlamaTokenizerFast

            fast = LlamaTokenizerFast(vocab_file=str(model_dir / "tokenizer.model"))
            return fast.backend_tokenizer
        except Exception as e:
            raise UsageError(f"{model_dir / 'tokenizer.model'} cannot be converted: {e}",
                             hint="add a tokenizer.json, or install sentencepiece") from None  # fmt: skip
    raise UsageError(f"no tokenizer.json or tokenizer.model in {model_dir}",
                     hint="copy the tokenizer files next to the weights")  # fmt: skip


def load_tokenizer(
    model_dir: str | Path,
    eos_ids: Iterable[int] = (),
    warn: Callable[[str], None] | None = None,
) -> ChatTokenizer:
    """Load the tokenizer of a checkpoint directory. `eos_ids`: config.json's eos ids, also stops."""
    model_dir = Path(model_dir)
    backend = _backend(model_dir)
    config_path = model_dir / "tokenizer_config.json"
    tok_config = read_json_object(config_path) if config_path.is_file() else {}
    specials: dict[str, int] = {}
    for token_id, added in backend.get_added_tokens_decoder().items():
        if added.special:
            specials[added.content] = int(token_id)
    for key, value in (tok_config.get("added_tokens_decoder") or {}).items():
        content = _token_content(value)
        if content and (not isinstance(value, dict) or value.get("special", True)):
            specials[content] = int(key)  # the config's ids win (Arctic overwrites two pieces)
    return ChatTokenizer(backend, specials, tok_config, extra_eos=eos_ids, warn=warn)
