"""A few steps of a tiny config: loss goes down, resume works, the export loads and generates."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from arctic_cli.train.trainer import (
    RouterStats,
    Tokenized,
    TrainConfig,
    answer_budget,
    build_model,
    collate,
    lr_at,
    make_batches,
    shard_jobs,
    train,
)

TINY = {
    "hidden_size": 64,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "num_local_experts": 4,
    "num_experts_per_tok": 2,
    "moe_layer_frequency": 1,
    "parallel_attn_mlp_res": True,
    "use_residual": True,
    "rope_theta": 10000.0,
    "max_position_embeddings": 1024,
}


def tiny_config(out: Path, steps: int) -> TrainConfig:
    return TrainConfig(
        out_dir=out, examples=120, eval_examples=16, vocab_size=400, steps=steps, batch_tokens=4096,
        max_len=1024, lr=3e-3, warmup=5, eval_every=10, ckpt_every=10, threads=2, model=dict(TINY),
    )  # fmt: skip


def test_collate_masks_prompt_and_padding() -> None:
    batch = [Tokenized([5, 6, 7, 8, 9], 3), Tokenized([5, 6, 7], 2)]
    inputs, labels = collate(batch, pad_id=0)
    assert inputs.tolist() == [[5, 6, 7, 8], [5, 6, 0, 0]]
    # Row 0: prompt is ids[:3]; the first predicted answer token is ids[3] (at input position 2).
    assert labels.tolist() == [[-100, -100, 8, 9], [-100, 7, -100, -100]]


def test_batches_respect_the_token_budget() -> None:
    rng = random.Random(0)
    examples = [Tokenized(list(range(rng.randint(5, 60))), 2) for _ in range(200)]
    batches = make_batches(examples, 256, rng)
    assert sum(len(b) for b in batches) == 200
    for b in batches:
        assert max(len(e.ids) for e in b) * len(b) <= 256 or len(b) == 1


def test_schedule_warms_up_then_decays() -> None:
    cfg = TrainConfig(out_dir=Path("."), steps=100, warmup=10, lr=1e-3, min_lr_ratio=0.1)
    assert lr_at(0, cfg) == pytest.approx(1e-4)
    assert lr_at(9, cfg) == pytest.approx(1e-3)
    assert lr_at(55, cfg) < lr_at(20, cfg)
    assert lr_at(100, cfg) == pytest.approx(1e-4)


def test_load_balancing_loss_is_one_when_uniform_and_higher_when_collapsed() -> None:
    import torch

    model = build_model(64, TINY, 0, 1, 2)
    stats = RouterStats(model)
    assert len(stats.handles) == TINY["num_hidden_layers"]
    ids = torch.randint(0, 64, (1, 5))
    model.eval()
    model(ids)
    assert stats.logits == []  # evaluation does not count
    model.train()
    model(ids)
    assert len(stats.logits) == TINY["num_hidden_layers"]
    stats.logits = [torch.zeros(1000, 4)]  # uniform router
    assert float(stats.load_balancing_loss(2)) == pytest.approx(1.0, abs=1e-5)
    collapsed = torch.full((1000, 4), -10.0)
    collapsed[:, :2] = 10.0  # every token to experts 0 and 1
    stats.logits = [collapsed]
    assert float(stats.load_balancing_loss(2)) > 1.9


@pytest.mark.slow
def test_tiny_run_learns_exports_and_resumes(tmp_path: Path) -> None:
    from arctic_cli.engine.generate import generate_tokens
    from arctic_cli.engine.loader import load_model
    from arctic_cli.engine.tokenizer import load_tokenizer

    out = train(tiny_config(tmp_path, steps=20))
    log = [json.loads(line) for line in (tmp_path / "train_log.jsonl").read_text().splitlines()]
    evals = [r["eval_loss"] for r in log if r.get("eval_loss") is not None]
    assert len(evals) >= 3
    assert evals[-1] < evals[0] - 0.5  # it learns something in 20 steps

    config = json.loads((out / "config.json").read_text())
    assert config["model_type"] == "arctic" and config["parallel_attn_mlp_res"] is True
    model = load_model(out)
    tok = load_tokenizer(out)
    prompt = tok.encode_chat([{"role": "user", "content": "Question: how many orders?"}])
    generated = list(generate_tokens(model, prompt, max_new_tokens=8))
    assert 1 <= len(generated) <= 8
    # generation_config.json: what LocalBackend reads as the model's default answer length
    from arctic_cli.engine.config import read_generation_config

    generation = read_generation_config(out)
    budget = generation.max_new_tokens
    assert budget is not None and budget >= 32 and budget & (budget - 1) == 0  # a power of two
    assert generation.eos_ids == tuple(model.config.eos_ids)

    # Resume: a longer run continues from the saved step instead of starting over.
    train(tiny_config(tmp_path, steps=25))
    log = [json.loads(line) for line in (tmp_path / "train_log.jsonl").read_text().splitlines()]
    starts = [r for r in log if r.get("event") == "start"]
    assert [s["step"] for s in starts] == [0, 20]
    # A finished run resumed with the same budget trains no further step.
    train(tiny_config(tmp_path, steps=25))
    log = [json.loads(line) for line in (tmp_path / "train_log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log if r.get("event") == "end"] == [20, 25, 25]


def test_answer_budget_is_twice_the_longest_answer_to_a_power_of_two() -> None:
    def answers(*lengths: int) -> list[Tokenized]:
        return [Tokenized(list(range(10 + n)), 10) for n in lengths]

    assert answer_budget(answers(20, 122, 7)) == 256  # 244 -> 256
    assert answer_budget(answers(128)) == 256 and answer_budget(answers(129)) == 512
    assert answer_budget(answers(1)) == 2
    assert answer_budget(answers(20), at_least=512) == 512  # a fine-tune keeps its base's room


def test_loss_svg_draws_both_series(tmp_path: Path) -> None:
    from arctic_cli.train.plot import read_log, write_loss_svg

    log = tmp_path / "train_log.jsonl"
    rows = [{"event": "start", "step": 0}, {"step": 0, "eval_loss": 8.0}]
    rows += [{"step": s, "loss": 8.0 - s / 10, "eval_loss": None} for s in range(10, 60, 10)]
    rows += [{"step": 50, "loss": 3.0, "eval_loss": 3.5}]
    rows += [{"step": 40, "loss": 9.5, "eval_loss": None}]  # a resumed run logs step 40 again
    log.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    train_points, eval_points = read_log(log)
    assert [s for s, _ in train_points] == [10, 20, 30, 40, 50] and dict(train_points)[40] == 9.5
    assert eval_points == [(0, 8.0), (50, 3.5)]
    svg = write_loss_svg(log, tmp_path / "loss.svg").read_text()
    assert svg.count("<polyline") == 2
    assert "step (max 50)" in svg
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ValueError):
        write_loss_svg(empty, tmp_path / "x.svg")


def test_time_budget_schedule_follows_the_clock() -> None:
    cfg = TrainConfig(out_dir=Path("."), steps=10_000, warmup=10, lr=1e-3, min_lr_ratio=0.1, time_budget=100.0)
    assert lr_at(20, cfg, elapsed=0.0) == pytest.approx(1e-3, rel=1e-2)  # few steps, no time: the peak
    assert lr_at(20, cfg, elapsed=50.0) == pytest.approx(5.5e-4)  # half the budget: half way down
    assert lr_at(20, cfg, elapsed=100.0) == pytest.approx(1e-4)
    assert lr_at(20, cfg, elapsed=500.0) == pytest.approx(1e-4)  # past the budget: the floor


def test_shard_jobs_are_fixed_by_the_seed() -> None:
    cfg = TrainConfig(out_dir=Path("."), examples=4500, seed=3)
    jobs = shard_jobs(cfg)
    assert [n for _, n, _ in jobs] == [2000, 2000, 500]
    assert len({seed for seed, _, _ in jobs}) == 3
    assert jobs == shard_jobs(TrainConfig(out_dir=Path("."), examples=4500, seed=3, workers=7))
    assert jobs[0][0] != shard_jobs(TrainConfig(out_dir=Path("."), examples=4500, seed=4))[0][0]


@pytest.mark.slow
def test_workers_stream_the_data_and_a_time_budget_ends_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two spawned workers make the data (6 jobs, chunks of 2) while the model trains; the run stops
    on its clock, far below its step cap, with the base tokenizer (tokenizer_from) and fresh weights."""
    from arctic_cli.train import trainer

    monkeypatch.setattr(trainer, "SHARD", 50)
    monkeypatch.setattr(trainer.TrainingData, "JOBS_PER_CHUNK", 2)
    base = train(tiny_config(tmp_path / "base", steps=3))
    cfg = tiny_config(tmp_path / "run", steps=100_000)
    cfg.examples, cfg.workers, cfg.time_budget, cfg.tokenizer_from = 300, 2, 4.0, base
    out = train(cfg)
    log = [json.loads(line) for line in (tmp_path / "run" / "train_log.jsonl").read_text().splitlines()]
    end = [r for r in log if r.get("event") == "end"][0]
    assert 0 < end["step"] < 100_000
    assert 100 <= end["train_examples"] + end["dropped_long"] <= 300  # chunks of 2 jobs, as they came
    assert (out / "tokenizer.json").read_bytes() == (base / "tokenizer.json").read_bytes()
    state = json.loads((tmp_path / "run" / "checkpoint" / "state.json").read_text())
    assert state["step"] == end["step"] and state["elapsed"] >= 4.0
