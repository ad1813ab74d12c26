"""Token generation: one KV cache per call, prefill then decode, sampling with an explicit seed.

`generate_tokens` yields token ids; text, streaming and stop strings are layers above it (see
tokenizer.py and backends.py). Temperature 0 is exactly argmax. A stop id ends generation and is
not yielded. `logits_hook(generated_ids, logits[V]) -> logits[V]` runs before each token is chosen
(schema-constrained SQL decoding masks logits through it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
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


@dataclass
class Hypothesis:
    """One beam-search answer: its ids, summed score, and whether a stop id ended it."""

    ids: list[int]
    score: float  # summed token log-probabilities (plus what the hook added)
    finished: bool = False  # False: it ran out of room

    def ranked(self, length_penalty: float) -> float:
        """The score beams are compared by: summed score / length**length_penalty."""
        return self.score / max(1, len(self.ids) + int(self.finished)) ** length_penalty


def beam_search(
    model: Any,
    prompt_ids: Sequence[int],
    beams: int = 4,
    max_new_tokens: int = 64,
    stop_ids: Iterable[int] = (),
    logits_hook: LogitsHook | None = None,
    length_penalty: float = 1.0,
) -> list[Hypothesis]:
    """The `beams` best continuations of prompt_ids, best first (deterministic, batch of beams).

    Each step extends every live hypothesis by its likeliest tokens and keeps the `beams` best.
    A token scores its log-probability under the model's own distribution, plus whatever the
    hook added to its logit; a token the hook sets to -inf is never taken. Masking does not
    renormalise, so a path the hook forced through tokens the model found unlikely scores low,
    and a hypothesis the model would rather have ended drops behind one it likes: what greedy
    decoding under a constraint cannot do. Hypotheses ending with a stop id are finished; the
    search ends when the best finished one ranks above every live one (by `Hypothesis.ranked`),
    or when the room runs out (live ones are then returned unfinished).
    The hook is called once per live hypothesis per step, with that hypothesis' ids.
    """
    import torch

    prompt = [int(t) for t in prompt_ids]
    budget = room_to_generate(model, len(prompt), max_new_tokens)
    stops = {int(s) for s in stop_ids}
    if budget == 0:
        return [Hypothesis([], 0.0)]
    with torch.inference_mode():
        cache = model.new_cache(1, len(prompt) + budget)
        ids = torch.tensor([prompt], dtype=torch.long, device=model.device)  # [1, T]
        logits = model(ids, cache=cache, pos=0, last_only=True)[:, -1]  # [B=1, V]
    live = [Hypothesis([], 0.0)]
    done: list[Hypothesis] = []
    for step in range(budget):
        scored: list[tuple[float, int, int]] = []  # (score, live row, token)
        for row, hyp in enumerate(live):
            raw = logits[row].float()  # [V]
            total = torch.log_softmax(raw, dim=-1)  # [V]
            if logits_hook is not None:
                total = total + (logits_hook(list(hyp.ids), raw.clone()) - raw)  # -inf stays
            top = torch.topk(total, min(beams + len(stops), total.shape[-1]))
            for value, token in zip(top.values.tolist(), top.indices.tolist(), strict=True):
                if value != float("-inf"):
                    scored.append((hyp.score + value, row, token))
        scored.sort(key=lambda c: -c[0])
        nxt: list[Hypothesis] = []
        rows: list[int] = []
        for score, row, token in scored:
            if token in stops:
                done.append(Hypothesis(live[row].ids, score, finished=True))
                continue
            nxt.append(Hypothesis([*live[row].ids, token], score))
            rows.append(row)
            if len(nxt) == beams:
                break
        done.sort(key=lambda h: -h.ranked(length_penalty))
        del done[beams:]
        if not nxt:  # nothing can go on: the finished answers, else the stuck live ones
            return done or live
        if done and done[0].ranked(length_penalty) >= max(h.ranked(length_penalty) for h in nxt):
            return done  # the best finished answer ranks above every live one
        if step + 1 == budget:
            break
        with torch.inference_mode():
            index = torch.tensor(rows, dtype=torch.long, device=model.device)
            if step == 0 or len(rows) != len(live):  # a new batch size: new cache rows
                cache = cache.select(index)
            elif rows != list(range(len(rows))):  # the same rows, reordered: only what is written
                cache.reorder_(index, len(prompt) + step)
            tokens = torch.tensor([[h.ids[-1]] for h in nxt], dtype=torch.long, device=model.device)
            logits = model(tokens, cache=cache, pos=len(prompt) + step, last_only=True)[:, -1]
        live = nxt
    out = done + nxt  # out of room: the unfinished ones compete too
    out.sort(key=lambda h: -h.ranked(length_penalty))
    return out[:beams]
