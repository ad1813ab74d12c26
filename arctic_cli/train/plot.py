"""A loss-curve SVG from a run's train_log.jsonl (no plotting library needed)."""

from __future__ import annotations

import json
from pathlib import Path

W, H, PAD = 640, 360, 48


def read_log(path: Path) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """(train loss points, eval loss points) as (step, loss), sorted by step.

    A resumed run logs some steps again; the later line wins.
    """
    train: dict[int, float] = {}
    evals: dict[int, float] = {}
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if row.get("loss") is not None:
            train[int(row["step"])] = float(row["loss"])
        if row.get("eval_loss") is not None:
            evals[int(row["step"])] = float(row["eval_loss"])
    return sorted(train.items()), sorted(evals.items())


def loss_svg(train: list[tuple[int, float]], evals: list[tuple[int, float]], title: str) -> str:
    points = train + evals
    if not points:
        raise ValueError("the log holds no loss values")
    max_step = max(s for s, _ in points) or 1
    top = max(v for _, v in points)
    bottom = 0.0

    def xy(step: int, value: float) -> str:
        x = PAD + (W - 2 * PAD) * step / max_step
        y = H - PAD - (H - 2 * PAD) * (value - bottom) / ((top - bottom) or 1)
        return f"{x:.1f},{y:.1f}"

    def line(series: list[tuple[int, float]], colour: str) -> str:
        pts = " ".join(xy(s, v) for s, v in series)
        return f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{pts}"/>'

    ticks = []
    for i in range(5):
        value = bottom + (top - bottom) * i / 4
        y = xy(0, value).split(",")[1]
        ticks.append(f'<text x="{PAD - 6}" y="{y}" text-anchor="end" font-size="11">{value:.1f}</text>')
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif">',
            f'<rect width="{W}" height="{H}" fill="white"/>',
            f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>',
            f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="black"/>',
            f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="black"/>',
            *ticks,
            f'<text x="{W / 2}" y="{H - 12}" text-anchor="middle" font-size="11">step (max {max_step})</text>',
            line(train, "#1f77b4"),
            line(evals, "#d62728") if evals else "",
            f'<text x="{W - PAD}" y="{PAD}" text-anchor="end" font-size="11" fill="#1f77b4">train loss (answer tokens)</text>',
            f'<text x="{W - PAD}" y="{PAD + 14}" text-anchor="end" font-size="11" fill="#d62728">eval loss</text>',
            "</svg>",
        ]
    )


def write_loss_svg(log: Path, out: Path, title: str = "built-in model: loss") -> Path:
    train, evals = read_log(log)
    out.write_text(loss_svg(train, evals, title) + "\n")
    return out
