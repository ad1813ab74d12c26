"""Trainer for the built-in model: a small Arctic (same wiring as the 480B one) trained from scratch.

Pipeline: generated chat examples (`train.data`) -> byte-level BPE tokenizer (`train.tokenizer`) ->
next-token loss on the answer tokens only, AdamW, linear warmup + cosine decay, gradient clipping,
bf16 autocast, Switch-style router load-balancing loss (Arctic's `router_aux_loss_coef`), periodic
eval loss, checkpoint/resume -> a Hugging Face Arctic directory that `load_model` reads like any other.

Nothing here prints: progress goes to a callback (`arctic train` renders it as a rich bar) and to
`train_log.jsonl` in the run folder, one JSON object per logged step.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Default architecture of the built-in model: Arctic's switches (parallel residual MLP, every layer
# MoE, top-2 of a handful of experts, GQA), scaled down to train in about an hour on 2 CPU cores.
DEFAULT_MODEL: dict[str, Any] = {
    "hidden_size": 256,
    "intermediate_size": 384,
    "num_hidden_layers": 4,
    "num_attention_heads": 8,
    "num_key_value_heads": 2,
    "num_local_experts": 8,
    "num_experts_per_tok": 2,
    "moe_layer_frequency": 1,
    "parallel_attn_mlp_res": True,
    "use_residual": True,
    "rope_theta": 10000.0,
    "rms_norm_eps": 1e-5,
    "max_position_embeddings": 2048,
    "tie_word_embeddings": False,
    "router_aux_loss_coef": 0.01,
}

# Named sizes for `arctic train --size`: "small" is the default above (about 1.5 hours on 2 CPU
# cores); "medium" is twice its parameters, deeper and wider, for a GPU (docs/training.md).
SIZES: dict[str, dict[str, Any]] = {
    "small": DEFAULT_MODEL,
    "medium": {**DEFAULT_MODEL, "hidden_size": 320, "intermediate_size": 448, "num_hidden_layers": 6,
               "num_attention_heads": 10, "num_key_value_heads": 2},
}  # fmt: skip
SHARD = 2000  # examples per data job when `workers` generate the data


@dataclass
class TrainConfig:
    out_dir: Path
    examples: int = 40000
    eval_examples: int = 400
    vocab_size: int = 4096
    steps: int = 3000
    batch_tokens: int = 8192  # padded tokens per optimizer step
    max_len: int = 1024  # longer examples are dropped (and counted), never truncated
    lr: float = 2e-3
    min_lr_ratio: float = 0.1
    warmup: int = 100
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    aux_coef: float = 0.01
    eval_every: int = 250
    ckpt_every: int = 250
    seed: int = 0
    device: str = "cpu"
    bf16: bool = True
    threads: int | None = None
    init_from: Path | None = None  # an exported model dir: start from its weights and tokenizer
    tokenizer_from: Path | None = None  # an exported model dir: fresh weights, its tokenizer
    workers: int = 0  # > 0: that many processes generate and tokenize the data while training runs
    time_budget: float | None = None  # seconds of training: the schedule follows the clock, steps caps it
    model: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_MODEL))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("out_dir", "init_from", "tokenizer_from"):
            data[key] = str(data[key]) if data[key] else None
        return data


@dataclass
class Progress:
    step: int
    steps: int
    loss: float
    aux: float
    lr: float
    tokens_per_s: float
    eval_loss: float | None = None


# ---------------------------------------------------------------- data


@dataclass
class Tokenized:
    ids: list[int]
    n_prompt: int  # loss is taken on ids[n_prompt:] (the answer and its <|im_end|>)


def tokenize_example(tokenizer: Any, messages: list[dict[str, str]]) -> Tokenized:
    """Prompt = every message but the last, rendered with the generation prompt; answer = the last."""
    prompt = tokenizer.encode_chat(messages[:-1], add_generation_prompt=True)
    full = tokenizer.encode_chat(messages, add_generation_prompt=False)
    if full[: len(prompt)] != prompt:
        raise ValueError("the chat template does not extend the prompt with the answer")
    end = full.index(tokenizer.specials["<|im_end|>"], len(prompt)) + 1  # stop after <|im_end|>
    return Tokenized(full[:end], len(prompt))


def make_batches(
    examples: Sequence[Tokenized], batch_tokens: int, rng: random.Random
) -> list[list[Tokenized]]:
    """Length-bucketed batches of at most `batch_tokens` padded tokens, in random order."""
    ordered = sorted(examples, key=lambda e: len(e.ids))
    batches: list[list[Tokenized]] = []
    current: list[Tokenized] = []
    for ex in ordered:
        longest = max(len(ex.ids), *(len(e.ids) for e in current)) if current else len(ex.ids)
        if current and longest * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current = []
        current.append(ex)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(batch: Sequence[Tokenized], pad_id: int) -> tuple[Any, Any]:
    """-> input ids [B, T] and labels [B, T] (-100 where no loss is taken), next-token aligned."""
    import torch

    t = max(len(e.ids) for e in batch) - 1
    inputs = torch.full((len(batch), t), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), t), -100, dtype=torch.long)
    for row, ex in enumerate(batch):
        ids = torch.tensor(ex.ids, dtype=torch.long)
        n = len(ex.ids) - 1
        inputs[row, :n] = ids[:-1]
        target = ids[1:].clone()
        target[: ex.n_prompt - 1] = -100  # predict only the answer tokens
        labels[row, :n] = target
    return inputs, labels


# ---------------------------------------------------------------- losses


class RouterStats:
    """Collects router logits through forward hooks on every `block_sparse_moe.gate`.

    Only forwards in training mode count, so evaluation never leaks into the next step's loss.
    """

    def __init__(self, model: Any) -> None:
        self.logits: list[Any] = []
        self.handles = [
            module.register_forward_hook(self._collect)
            for name, module in model.named_modules()
            if name.endswith("block_sparse_moe.gate")
        ]

    def _collect(self, module: Any, _inputs: Any, out: Any) -> None:
        if module.training:
            self.logits.append(out)

    def load_balancing_loss(self, top_k: int) -> Any:
        """Switch Transformer loss, mean over layers: E * sum_e (fraction routed to e) * (mean prob of e)."""
        import torch
        import torch.nn.functional as F

        losses = []
        for logits in self.logits:
            probs = F.softmax(logits.float().reshape(-1, logits.shape[-1]), dim=-1)  # [N, E]
            n_experts = probs.shape[-1]
            chosen = torch.topk(probs, top_k, dim=-1).indices  # [N, K]
            routed = F.one_hot(chosen, n_experts).float().sum(1).mean(0) / top_k  # [E]
            losses.append(n_experts * (routed * probs.mean(0)).sum())
        self.logits.clear()
        return torch.stack(losses).mean() if losses else torch.zeros(())


def lr_at(step: int, cfg: TrainConfig, elapsed: float = 0.0) -> float:
    """Linear warmup, then cosine decay to lr * min_lr_ratio: over the steps, or with a time budget
    over the seconds of training (`elapsed`), whichever is further along."""
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    progress = min(1.0, (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup))
    if cfg.time_budget:
        progress = max(progress, min(1.0, elapsed / cfg.time_budget))
    floor = cfg.lr * cfg.min_lr_ratio
    return floor + (cfg.lr - floor) * 0.5 * (1 + math.cos(math.pi * progress))


# ---------------------------------------------------------------- the run


def build_model(vocab_size: int, model_cfg: dict[str, Any], seed: int, bos: int, eos: int) -> Any:
    """A freshly initialised Arctic model (GPT-2 style init: normal(0, 0.02), scaled output projections)."""
    import torch

    from arctic_cli.engine.config import ArcticConfig
    from arctic_cli.engine.model import ArcticForCausalLM

    data = {"model_type": "arctic", "vocab_size": vocab_size, "bos_token_id": bos, "eos_token_id": eos,
            "torch_dtype": "bfloat16", **model_cfg}  # fmt: skip
    config = ArcticConfig.from_dict(data, source="trainer")
    torch.manual_seed(seed)
    model = ArcticForCausalLM(config)
    depth_scale = 0.02 / math.sqrt(2 * config.num_hidden_layers)
    for name, p in model.named_parameters():
        if name.endswith("norm.weight") or name.endswith("layernorm.weight"):
            torch.nn.init.ones_(p)
        elif name.endswith(("o_proj.weight", "w2.weight")):
            torch.nn.init.normal_(p, std=depth_scale)
        else:
            torch.nn.init.normal_(p, std=0.02)
    return model


def _optimizer(model: Any, cfg: TrainConfig) -> Any:
    import torch

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embed_tokens" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "embed_tokens" not in n)]
    groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": rest, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=cfg.lr, betas=(0.9, 0.95), eps=1e-8)


def _loss(model: Any, stats: RouterStats | None, batch: Sequence[Tokenized], cfg: TrainConfig, pad: int) -> tuple[Any, Any, int]:
    import torch
    import torch.nn.functional as F

    inputs, labels = collate(batch, pad)
    inputs, labels = inputs.to(cfg.device), labels.to(cfg.device)
    with torch.autocast(device_type=torch.device(cfg.device).type, dtype=torch.bfloat16, enabled=cfg.bf16):
        logits = model(inputs)  # [B, T, V]
    lm = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
    aux = stats.load_balancing_loss(model.config.num_experts_per_tok) if stats else torch.zeros(())
    return lm, aux, int(inputs.numel())


def evaluate(model: Any, batches: Sequence[Sequence[Tokenized]], cfg: TrainConfig, pad: int) -> float:
    """Mean answer-token loss over the eval batches."""
    import torch

    model.eval()
    total, count = 0.0, 0
    try:
        with torch.no_grad():
            for batch in batches:
                lm, _, _ = _loss(model, None, batch, cfg, pad)
                n = sum(len(e.ids) - e.n_prompt for e in batch)
                total += float(lm) * n
                count += n
    finally:
        model.train()
    return total / max(1, count)


def _load_weights(model: Any, model_dir: Path) -> None:
    """Start from an exported model's weights (same architecture), cast to the model's dtype."""
    from safetensors.torch import load_file

    state = load_file(str(model_dir / "model.safetensors"))
    own = model.state_dict()
    model.load_state_dict({k: v.to(own[k].dtype) for k, v in state.items()})


def save_checkpoint(run: Path, model: Any, opt: Any, step: int, elapsed: float = 0.0) -> None:
    import torch
    from safetensors.torch import save_file

    ckpt = run / "checkpoint"
    ckpt.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(ckpt / "model.safetensors.tmp"))
    torch.save(opt.state_dict(), ckpt / "optimizer.pt.tmp")
    (ckpt / "model.safetensors.tmp").replace(ckpt / "model.safetensors")
    (ckpt / "optimizer.pt.tmp").replace(ckpt / "optimizer.pt")
    (ckpt / "state.json").write_text(json.dumps({"step": step, "elapsed": round(elapsed, 1)}))


def load_checkpoint(run: Path, model: Any, opt: Any) -> tuple[int, float]:
    """Restore model and optimizer; returns the step to continue from (0 when there is none) and the
    seconds of training behind it (what a time budget has spent)."""
    import torch
    from safetensors.torch import load_file

    ckpt = run / "checkpoint"
    if not (ckpt / "state.json").is_file():
        return 0, 0.0
    model.load_state_dict(load_file(str(ckpt / "model.safetensors")))
    opt.load_state_dict(torch.load(ckpt / "optimizer.pt", weights_only=True))  # no arbitrary pickle
    state = json.loads((ckpt / "state.json").read_text())
    return int(state["step"]), float(state.get("elapsed", 0.0))


def answer_budget(examples: Sequence[Tokenized], at_least: int | None = None) -> int:
    """The exported model's `max_new_tokens`: twice its longest trained answer (and `at_least`, a
    fine-tuned model's former budget), up to a power of two. It was never taught to write more;
    what a lost model grows past that is junk that costs seconds (docs/decisions.md)."""
    longest = max((len(t.ids) - t.n_prompt for t in examples), default=1)
    return max(1 << (2 * longest - 1).bit_length(), at_least or 0)


def write_generation_config(out: Path, config: dict[str, Any], max_new_tokens: int) -> None:
    """`out/generation_config.json` as Hugging Face writes it: greedy, and how long an answer may grow."""
    generation = {"bos_token_id": config.get("bos_token_id"), "eos_token_id": config.get("eos_token_id"),
                  "do_sample": False, "max_new_tokens": max_new_tokens}  # fmt: skip
    (out / "generation_config.json").write_text(json.dumps(generation, indent=2) + "\n")


def export(
    model: Any, tokenizer_dir: Path, out: Path, dtype: str = "bfloat16", max_new_tokens: int | None = None
) -> Path:
    """Write a Hugging Face Arctic directory: config.json, model.safetensors, tokenizer files, and
    generation_config.json when `max_new_tokens` is given."""
    import shutil

    import torch
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    target = getattr(torch, dtype)
    tensors = {k: v.detach().to(target).contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    from arctic_cli.backends import SQL_HINTS_KEY

    config = model.config.to_dict()
    config["torch_dtype"] = dtype
    config[SQL_HINTS_KEY] = True  # our SQL prompts carry the hint line (train/data.py)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    if max_new_tokens is not None:
        write_generation_config(out, config, max_new_tokens)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(tokenizer_dir / name, out / name)
    return out


def _eval_examples(cfg: TrainConfig) -> list[dict[str, Any]]:
    from arctic_cli.train.data import generate_examples

    return list(generate_examples(cfg.eval_examples, seed=cfg.seed + 1_000_003))


def _texts(examples: Iterable[dict[str, Any]]) -> Iterator[str]:
    for ex in examples:
        for m in ex["messages"]:
            yield m["content"]


def shard_jobs(cfg: TrainConfig) -> list[tuple[int, int, int]]:
    """A `workers` run's data: (seed, examples, max_len) jobs of SHARD examples each, in a fixed
    order, so the data is reproducible from cfg.seed whatever the number of workers."""
    starts = range(0, cfg.examples, SHARD)
    return [((cfg.seed + 1) * 10_000_019 + i, min(SHARD, cfg.examples - s), cfg.max_len) for i, s in enumerate(starts)]


_worker_tokenizer: Any = None


def _start_worker(tok_dir: str) -> None:
    global _worker_tokenizer
    from arctic_cli.engine.tokenizer import load_tokenizer

    _worker_tokenizer = load_tokenizer(Path(tok_dir))


def tokenize_fitting(
    tokenizer: Any, examples: Iterable[dict[str, Any]], max_len: int
) -> tuple[list[Tokenized], int]:
    """-> (the examples tokenized, those longer than max_len dropped: never truncated; how many)."""
    out = [tokenize_example(tokenizer, ex["messages"]) for ex in examples]
    kept = [t for t in out if len(t.ids) <= max_len]
    return kept, len(out) - len(kept)


def _tokenized_job(job: tuple[int, int, int]) -> tuple[list[Tokenized], int]:
    """In a worker: generate and tokenize one job."""
    from arctic_cli.train.data import generate_examples

    seed, n, max_len = job
    return tokenize_fitting(_worker_tokenizer, generate_examples(n, seed=seed), max_len)


class TrainingData:
    """The training examples, in chunks: all at once when made in this process, or, with `workers`,
    the shard jobs' results in their fixed order, JOBS_PER_CHUNK at a time, so training starts on
    the first chunk while the worker processes make the rest."""

    JOBS_PER_CHUNK = 8

    def __init__(self, cfg: TrainConfig, tok_dir: Path, tokenizer: Any, examples: Sequence[dict[str, Any]] | None) -> None:
        self.cfg, self.tok_dir, self.tokenizer, self.examples = cfg, tok_dir, tokenizer, examples
        self.dropped = 0
        self._pool: Any = None

    def __iter__(self) -> Iterator[list[Tokenized]]:
        if self.cfg.workers <= 0:
            assert self.examples is not None
            kept, self.dropped = tokenize_fitting(self.tokenizer, self.examples, self.cfg.max_len)
            yield kept
            return
        import multiprocessing

        # spawn, not fork: the parent may hold CUDA state and tokenizer threads
        context = multiprocessing.get_context("spawn")
        self._pool = context.Pool(self.cfg.workers, initializer=_start_worker, initargs=(str(self.tok_dir),))
        chunk: list[Tokenized] = []
        for i, (kept, dropped) in enumerate(self._pool.imap(_tokenized_job, shard_jobs(self.cfg)), 1):
            chunk.extend(kept)
            self.dropped += dropped
            if i % self.JOBS_PER_CHUNK == 0:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def _prepare_tokenizer(cfg: TrainConfig, tok_dir: Path, examples: Sequence[dict[str, Any]] | None) -> None:
    """The run's tokenizer: copied from init_from / tokenizer_from, else trained on the examples (or,
    when workers make the data, on the first min(examples, 20000) made here)."""
    if (tok_dir / "tokenizer.json").is_file():
        return
    from arctic_cli.train.tokenizer import train_tokenizer

    source = cfg.init_from or cfg.tokenizer_from
    if source:  # fine-tuning keeps the tokenizer the weights were trained with
        tok_dir.mkdir(parents=True, exist_ok=True)
        for name in ("tokenizer.json", "tokenizer_config.json"):
            (tok_dir / name).write_bytes((source / name).read_bytes())
        return
    if examples is None:
        from arctic_cli.train.data import generate_examples

        examples = list(generate_examples(min(cfg.examples, 20000), seed=cfg.seed))
    train_tokenizer(_texts(examples), cfg.vocab_size, tok_dir)


def train(cfg: TrainConfig, on_progress: Callable[[Progress], None] | None = None, resume: bool = True) -> Path:
    """Run (or resume) one training run in cfg.out_dir; returns the exported model directory."""
    import torch

    from arctic_cli.engine.tokenizer import load_tokenizer
    from arctic_cli.train.data import generate_examples

    run = cfg.out_dir
    run.mkdir(parents=True, exist_ok=True)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    (run / "train_config.json").write_text(json.dumps(cfg.to_json(), indent=2) + "\n")

    started = time.perf_counter()
    train_ex = None if cfg.workers > 0 else list(generate_examples(cfg.examples, seed=cfg.seed))
    tok_dir = run / "tokenizer"
    _prepare_tokenizer(cfg, tok_dir, train_ex)
    tokenizer = load_tokenizer(tok_dir)
    pad = tokenizer.specials["</s>"]
    eval_tok, _ = tokenize_fitting(tokenizer, _eval_examples(cfg), cfg.max_len)
    eval_batches = make_batches(eval_tok, cfg.batch_tokens, random.Random(0))
    data = TrainingData(cfg, tok_dir, tokenizer, train_ex)
    try:
        model_dir = _run(cfg, data, tokenizer, tok_dir, eval_batches, pad, started, on_progress, resume)
    finally:
        data.close()
    return model_dir


def _run(
    cfg: TrainConfig, data: TrainingData, tokenizer: Any, tok_dir: Path, eval_batches: list[list[Tokenized]],
    pad: int, started: float, on_progress: Callable[[Progress], None] | None, resume: bool,
) -> Path:  # fmt: skip
    import torch

    run = cfg.out_dir
    chunks = iter(data)
    seen: list[Tokenized] = []

    def next_batches() -> list[list[Tokenized]]:
        """The next chunk while the data is still coming, then epochs over everything seen."""
        chunk = next(chunks, None)
        if chunk is not None:
            seen.extend(chunk)
            return make_batches(chunk, cfg.batch_tokens, rng)
        return make_batches(seen, cfg.batch_tokens, rng)

    model = build_model(tokenizer.vocab_size, cfg.model, cfg.seed, tokenizer.specials["<s>"],
                        tokenizer.specials["<|im_end|>"]).to(cfg.device)  # fmt: skip
    if cfg.init_from:
        _load_weights(model, cfg.init_from)
    model.train()
    opt = _optimizer(model, cfg)
    step, spent = load_checkpoint(run, model, opt) if resume else (0, 0.0)
    rng = random.Random(cfg.seed + step)  # a resumed run draws fresh batch orders, reproducibly
    batches = next_batches()  # the first chunk (workers: waited for), before data_seconds is read
    stats = RouterStats(model)
    log = (run / "train_log.jsonl").open("a")
    log.write(json.dumps({"event": "start", "step": step, "device": cfg.device,
                          "data_seconds": round(time.perf_counter() - started, 1),
                          "parameters": sum(p.numel() for p in model.parameters())}) + "\n")  # fmt: skip
    if step == 0:
        log.write(json.dumps({"step": 0, "eval_loss": evaluate(model, eval_batches, cfg, pad)}) + "\n")
    window_tokens, window_start = 0, time.perf_counter()
    clock = time.perf_counter() - spent  # training seconds count from here (a resumed run's included)

    def finished(elapsed: float) -> bool:
        return step >= cfg.steps or (cfg.time_budget is not None and elapsed >= cfg.time_budget)

    done = finished(spent)  # a resumed run may have nothing left to do
    while not done:
        if not batches:
            batches = next_batches()
        batch = batches.pop()
        lr = lr_at(step, cfg, time.perf_counter() - clock)
        for group in opt.param_groups:
            group["lr"] = lr
        lm, aux, n_tokens = _loss(model, stats, batch, cfg, pad)
        loss = lm + cfg.aux_coef * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        lm, aux = lm.detach(), aux.detach()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        opt.step()
        step += 1
        window_tokens += n_tokens
        elapsed = time.perf_counter() - clock
        done = finished(elapsed)
        eval_loss = None
        if step % cfg.eval_every == 0 or done:
            eval_loss = evaluate(model, eval_batches, cfg, pad)
        if step % cfg.ckpt_every == 0 or done:
            save_checkpoint(run, model, opt, step, elapsed)
        total = cfg.steps
        if cfg.time_budget and not done:  # the steps the budget will allow at this pace
            total = min(cfg.steps, max(step + 1, round(step * cfg.time_budget / max(elapsed, 1e-9))))
        seconds = time.perf_counter() - window_start
        progress = Progress(step, step if done else total, float(lm), float(aux), lr,
                            window_tokens / max(seconds, 1e-9), eval_loss)  # fmt: skip
        if step % 10 == 0 or eval_loss is not None:
            log.write(json.dumps({**asdict(progress), "time": round(time.perf_counter() - started, 1)}) + "\n")
            log.flush()
            window_tokens, window_start = 0, time.perf_counter()
        if on_progress:
            on_progress(progress)
    log.write(json.dumps({"event": "end", "step": step, "train_examples": len(seen), "dropped_long": data.dropped,
                          "time": round(time.perf_counter() - started, 1)}) + "\n")  # fmt: skip
    log.close()
    for h in stats.handles:
        h.remove()
    from arctic_cli.engine.config import read_generation_config

    before = read_generation_config(cfg.init_from).max_new_tokens if cfg.init_from else None
    return export(model, tok_dir, run / "model", max_new_tokens=answer_budget(seen, before))
