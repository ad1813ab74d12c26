"""Token generation: one KV cache per call, prefill then decode, sampling with an explicit seed.

`generate_tokens` yields token ids; text, streaming and stop strings are layers above it (see
tokenizer.py and backends.py). Temperature 0 is exactly argmax. A stop id ends generation and is
not yielded. `logits_hook(generated_ids, logits[V]) -> logits[V]` runs before each token is chosen
(schema-constrained SQL decoding masks logits through it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from arctic_cli.errors import UsageError

LogitsHook = Callable[[list[int], Any], Any]


def room_to_generate(model: Any, prompt_len: int, max_new_tokens: int) -> int:
    """How many tokens can follow a prompt: max_new_tokens clamped to the context window.

    Raises UsageError (with both lengths) when the prompt leaves no room; never truncates it.
    """
    window = int(model.config.max_position_embeddings)
    if prompt_len == 0:
        raise UsageError("the prompt is empty", hint="give the model some text to continue")
    if prompt_len >= window:
        room = "" if prompt_len > window else " (no room left for an answer)"
        raise UsageError(
            f"the prompt is {prompt_len} tokens, but the model's context window is {window} tokens"
            + room,
            hint="shorten the prompt (or the schema / files sent with it)",
        )
    return max(0, min(int(max_new_tokens), window - prompt_len))


def _penalise(logits: Any, seen: Iterable[int], penalty: float) -> Any:
    """CTRL-style repetition penalty: shrink the logits of tokens already in the sequence."""
    import torch

    ids = torch.tensor(sorted(set(seen)), dtype=torch.long, device=logits.device)
    picked = logits[ids]
    logits[ids] = torch.where(picked > 0, picked / penalty, picked * penalty)
    return logits


def sample(logits: Any, temperature: float, top_k: int, top_p: float, generator: Any) -> int:
    """Pick one id from logits [V]: argmax at temperature 0, else top-k / top-p sampling."""
    import torch

    if temperature <= 0:
        return int(torch.argmax(logits).item())
    logits = logits.float().cpu() / temperature  # [V]; sampled on the CPU so seeds are portable
    if 0 < top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True)  # [V]
        probs = torch.softmax(sorted_logits, dim=-1)
        # Drop a token when the tokens ranked above it already reach top_p (the first always stays).
        drop = (torch.cumsum(probs, dim=-1) - probs) >= top_p  # [V]
        drop[0] = False
        logits = logits.scatter(0, order, sorted_logits.masked_fill(drop, float("-inf")))
    probs = torch.softmax(logits, dim=-1)
    return int(torch.multinomial(probs, 1, generator=generator).item())


def generate_tokens(
    model: Any,
    prompt_ids: Sequence[int] | Any,
    max_new_tokens: int = 64,
    temperature: float = 0.0,
    top_k: int = 0,
    top_p: float = 1.0,
    seed: int | None = None,
    stop_ids: Iterable[int] = (),
    repetition_penalty: float = 1.0,
    logits_hook: LogitsHook | None = None,
) -> Iterator[int]:
    """Yield up to max_new_tokens ids continuing prompt_ids (batch 1), using a KV cache."""
    import torch

    prompt = [
        int(t) for t in (prompt_ids.tolist() if hasattr(prompt_ids, "tolist") else prompt_ids)
    ]
    budget = room_to_generate(model, len(prompt), max_new_tokens)
    if budget == 0:
        return
    stops = {int(s) for s in stop_ids}
    generator = torch.Generator()
    if seed is None:
        generator.seed()  # fresh entropy: an unseeded run is not secretly deterministic
    else:
        generator.manual_seed(int(seed))
    device = model.device
    with torch.inference_mode():
        cache = model.new_cache(1, len(prompt) + budget)  # the only allocation of the cache
        ids = torch.tensor([prompt], dtype=torch.long, device=device)  # [1, T]
        logits = model(ids, cache=cache, pos=0, last_only=True)[0, -1]  # [V]
    generated: list[int] = []
    for step in range(budget):
        if repetition_penalty != 1.0 or logits_hook is not None:
            logits = logits.clone()  # an ordinary tensor: hooks may edit it in place
        if repetition_penalty != 1.0:
            logits = _penalise(logits, prompt + generated, repetition_penalty)
        if logits_hook is not None:
            logits = logits_hook(list(generated), logits)
        token = sample(logits, temperature, top_k, top_p, generator)
        if token in stops:
            return
        generated.append(token)
        yield token
        if step + 1 == budget:
            return
        with torch.inference_mode():
            ids = torch.tensor([[token]], dtype=torch.long, device=device)  # [1, 1]
            logits = model(ids, cache=cache, pos=len(prompt) + step, last_only=True)[0, -1]  # [V]
