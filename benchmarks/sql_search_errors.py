"""Search error or model error? For each question of a SQL suite, the model's log-probability of
the gold query against that of the answer `arctic sql` decodes (first attempt, no repairs).

When the gold answer is likelier under the model than the decoded one, the decoding missed an
answer the model itself prefers (a search error: a wider search can help); when it is not, the
model is wrong (only a better model helps). Both answers are scored teacher-forced, as
"```sql\\n<query>\\n```" after the same prompt, under the model's unconstrained distribution.

    python benchmarks/sql_search_errors.py evals/heldout/suite.jsonl [--beams 1] [--model DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import torch

from arctic_cli import backends
from arctic_cli.backends import GenParams, Message
from arctic_cli.evaluation.sql_eval import load_suite
from arctic_cli.sql import schema as schema_mod
from arctic_cli.sql.prompt import load_template
from arctic_cli.sql.task import Request, fit_prompt, generate_sql


def answer_logprob(backend: Any, messages: list[Message], answer: str) -> float:
    """Summed log-probability of `answer` as the assistant's reply to `messages`."""
    tok = backend.tokenizer
    prompt = tok.encode_chat(messages)
    full = tok.encode_chat(
        [*messages, {"role": "assistant", "content": answer}], add_generation_prompt=False
    )
    assert full[: len(prompt)] == prompt, "the chat template must extend the prompt"
    ids = torch.tensor([full])
    with torch.inference_mode():
        logp = torch.log_softmax(backend.model(ids)[0, :-1].float(), dim=-1)  # [T-1, V]
    picked = logp[torch.arange(len(full) - 1), ids[0, 1:]]  # [T-1]
    return float(picked[len(prompt) - 1 :].sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suite", type=Path)
    ap.add_argument("--model", default=None, help="checkpoint directory (default: built-in)")
    ap.add_argument("--beams", type=int, default=1, help="decode as `arctic sql --beams N`")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()

    from arctic_cli.commands.sql import quiet_sqlglot

    quiet_sqlglot()
    backend = backends.LocalBackend(args.model or backends.builtin_model_dir(), device="cpu")
    params = GenParams(max_tokens=512)
    template = load_template("sql.txt")
    by_difficulty: dict[str, list[bool]] = {}
    for item in load_suite(args.suite)[: args.limit]:
        schema = schema_mod.load(None, item.db)
        req = Request(
            item.question, schema, schema.dialect, max_repairs=0, beams=args.beams,
            constrain=True, template=template,
        )  # fmt: skip
        messages, _ = fit_prompt(req, backend, params)
        decoded = generate_sql(req, backend, params).history[0].answer
        gold = answer_logprob(backend, messages, f"```sql\n{item.gold}\n```")
        ours = answer_logprob(backend, messages, decoded)
        by_difficulty.setdefault(item.difficulty, []).append(gold > ours)
        mark = "gold likelier" if gold > ours else ""
        print(f"{item.difficulty:7} gold {gold:8.1f}  decoded {ours:8.1f}  {mark:13} {item.question[:60]}")
    total = [x for xs in by_difficulty.values() for x in xs]
    print(f"\ngold likelier than the decoded answer (search errors): {sum(total)} / {len(total)}")
    for difficulty, xs in by_difficulty.items():
        print(f"  {difficulty}: {sum(xs)} / {len(xs)}")


if __name__ == "__main__":
    main()
