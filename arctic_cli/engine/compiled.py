"""The compiled decode step (`--compile`, ARCTIC_COMPILE=1): one token through the model as one graph.

At batch 1 on a small model an eager decode step is hundreds of small operators, each paying
Python and dispatch overhead (docs/performance.md, "Where int8 decode goes"). `compile_decode`
hands the one-token forward to `torch.compile` (inductor) as a single graph, which fuses the
element-wise work (norms, rotary, routing, SwiGLU, dtype casts) and drops the per-op overhead.
A graph needs static shapes and no host round trip, so in the compiled step:

- the position is a [1] tensor: the new key/value is written with `index_copy_` and attention
  reads the whole cache under a mask, so no shape depends on the position; the cache's length is
  marked dynamic, so one compilation serves every generation whatever its length;
- each MoE layer's experts are stacked into one tensor per projection (`ExpertStack`; each
  expert's own parameters become views of it, so no memory is added) and a routed expert is a
  view at an offset read inside the graph (`ids[k].item()`, a captured scalar): no copy of expert
  weights, no graph break, no Python loop over experts.

Prefill, batches and training stay eager (`ArcticForCausalLM.run` is the same code either way).
`load_model(..., compile=True)` pays the compilation up front: 7-11 s on this 2-core CPU the
first time, 1-3 s with inductor's on-disk cache warm (docs/performance.md), so it is a flag for
long sessions (`arctic chat`, `arctic serve`) and `arctic bench`.
"""

from __future__ import annotations

import functools
import time
import types
from collections.abc import Callable
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import nn

from arctic_cli.errors import RuntimeFailure, UsageError

Kernel = Callable[..., torch.Tensor]


class StackedProjection:
    """One projection of every expert: tensors [E, ...] and the kernel that runs one expert's."""

    def __init__(self, tensors: dict[str, torch.Tensor], kernel: Kernel) -> None:
        self.tensors, self.kernel = tensors, kernel

    def __call__(self, x: torch.Tensor, e: Any) -> torch.Tensor:
        return self.kernel(x, **{name: t[e] for name, t in self.tensors.items()})


class ExpertStack:
    """Runs the routed experts of one token from stacked weights (see the module docstring)."""

    def __init__(self, up: StackedProjection, down: StackedProjection, width: int) -> None:
        self.up, self.down, self.width = up, down, width
        self.n_experts = next(iter(up.tensors.values())).shape[0]

    def __call__(self, x: torch.Tensor, weights: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        """x [1, H], weights and ids [1, K] -> [1, H]."""
        out = torch.zeros_like(x)
        for k in range(ids.shape[1]):
            e = ids[0, k].item()  # a scalar inside the graph, not a host sync in Python
            torch._check(e >= 0)
            torch._check(e < self.n_experts)
            gate, up = self.up(x, e).split(self.width, dim=-1)  # each [1, I]
            out = out + weights[0, k] * self.down(F.silu(gate) * up, e)
        return out


def _float_kernel(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    from arctic_cli.engine.fastpath import linear

    return linear(x, weight)


def _stack(owners: list[Any], name: str) -> torch.Tensor:
    """Stack attribute `name` of every owner into one tensor and make each owner's a view of it."""
    parts = [getattr(o, name) for o in owners]
    stacked = torch.stack([p.detach() for p in parts])  # [E, ...]
    for e, (owner, part) in enumerate(zip(owners, parts, strict=True)):
        view = stacked[e]
        setattr(owner, name, nn.Parameter(view, requires_grad=False)
                if isinstance(part, nn.Parameter) else view)  # fmt: skip
    return stacked


def _projection(modules: list[nn.Module]) -> StackedProjection:
    """The same projection of every expert (int8, int4 or float) as one StackedProjection."""
    from arctic_cli.engine.quant import Int4Linear, Int8Linear, int4_linear, int8_linear

    kind = type(modules[0])
    if any(type(m) is not kind for m in modules):
        raise UsageError("--compile needs every expert of a layer quantized the same way",
                         hint="drop --compile")  # fmt: skip
    if kind is Int8Linear:
        return StackedProjection(
            {n: _stack(modules, n) for n in ("weight", "scales")}, int8_linear
        )
    if kind is Int4Linear:
        group = cast(int, modules[0].group_size)
        tensors = {n: _stack(modules, n) for n in ("weight", "scales_and_zeros")}
        return StackedProjection(tensors, functools.partial(int4_linear, group_size=group))
    if isinstance(modules[0], nn.Linear) and modules[0].bias is None:
        return StackedProjection({"weight": _stack(modules, "weight")}, _float_kernel)
    raise UsageError(f"--compile does not support {kind.__name__} expert layers",
                     hint="drop --compile (the bitsandbytes backend runs eagerly)")  # fmt: skip


def _float_experts(experts: list[Any]) -> ExpertStack:
    """Float SwiGLU experts (model.MLP): w1/w3 stacked as one up projection, w2 as down."""
    width = experts[0].w1.out_features
    if any(m.w13_weight is None for m in experts):  # not fused yet (CUDA): stack w1 over w3
        for m in experts:
            m.w13_weight = torch.cat([m.w1.weight.detach(), m.w3.weight.detach()])
    up = _stack(experts, "w13_weight")  # [E, 2I, H]
    for e, m in enumerate(experts):  # w1 and w3 stay views of the one stacked matrix
        m.w1.weight = nn.Parameter(up[e, :width], requires_grad=False)
        m.w3.weight = nn.Parameter(up[e, width:], requires_grad=False)
    down = _projection([m.w2 for m in experts])
    return ExpertStack(StackedProjection({"weight": up}, _float_kernel), down, width)


def stack_experts(moe: Any) -> ExpertStack:
    """An ExpertStack over a MoE layer's experts (float model.MLP or quant.FusedMLP)."""
    from arctic_cli.engine.model import MLP
    from arctic_cli.engine.quant import FusedMLP

    experts = list(moe.experts)
    if all(type(m) is MLP for m in experts):
        return _float_experts(experts)
    if all(type(m) is FusedMLP for m in experts):
        up = _projection([m.w13 for m in experts])
        return ExpertStack(up, _projection([m.w2 for m in experts]), experts[0].width)
    raise UsageError("--compile needs every expert of a layer built the same way",
                     hint="drop --compile")  # fmt: skip


_ARGUMENTS = ("input_ids", "cache", "pos", "last_only")  # ArcticForCausalLM.run's


def _argument_guards(entries: list[Any]) -> list[bool]:
    """Keep dynamo's guards on the step's arguments and global state, drop those on the model.

    Checking ~1,000 guards on the model's modules and globals cost 0.17 ms of every 2.3 ms int8
    step. Dropping them is safe because the model is frozen once compiled (quantize_model refuses
    it; nothing else swaps modules) and each model compiles its own copy of the code (below).
    """
    return [e.name == "" or e.name.split(".")[0].split("[")[0] in _ARGUMENTS for e in entries]


def _own_run(model: Any) -> Any:
    """model.run bound to a private copy of its code object.

    Dynamo keeps compiled graphs per code object, guarded to tell the callers apart. With the
    guards on the model dropped, a second model (another size or quantization) in the same
    process would be handed the first one's graph; its own code object keeps it apart.
    """
    run = type(model).run
    own = types.FunctionType(run.__code__.replace(), run.__globals__, run.__name__,
                             run.__defaults__, run.__closure__)  # fmt: skip
    return types.MethodType(own, model)


class CompiledStep:
    """model(ids [1, 1], cache, pos) for one decode token, through the compiled graph."""

    def __init__(self, model: Any) -> None:
        options: dict[str, Any] = {"guard_filter_fn": _argument_guards}
        self.fn = torch.compile(_own_run(model), fullgraph=True, options=options)
        self.compile_s = 0.0  # the first step's compilation, measured by compile_decode

    def __call__(self, input_ids: torch.Tensor, cache: Any, pos: int) -> torch.Tensor:
        for t in (*cache.keys, *cache.values):
            torch._dynamo.mark_dynamic(t, 2)  # one graph for every cache length
        where = torch.tensor([pos], device=input_ids.device)  # [1]
        return self.fn(input_ids, cache, where, True)


def compile_decode(model: Any) -> Any:
    """Give a loaded model a compiled one-token decode step, in place; returns the model.

    The step is compiled here, on a throwaway two-position cache, so the cost is paid at load
    time and a failure (no C++ compiler for inductor, an unsupported layer) is a clear error
    before any output rather than a traceback in the middle of an answer.
    """
    from arctic_cli.engine.model import MoE

    if model.compiled_step is not None:
        return model
    torch._dynamo.config.capture_scalar_outputs = True  # `ids[k].item()` stays in the graph
    for module in model.modules():
        if isinstance(module, MoE) and module.stack is None:
            module.stack = stack_experts(module)
    start = time.perf_counter()
    try:
        step = CompiledStep(model)  # older torch may refuse an option here
        with torch.inference_mode():  # generation's mode, and its cache's kind (graph guards)
            cache = model.new_cache(1, 2)
            ids = torch.zeros((1, 1), dtype=torch.long, device=model.device)
            step(ids, cache, 1)
    except Exception as e:  # dynamo / inductor raise many kinds; all mean the same to a user
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise RuntimeFailure(f"torch.compile could not compile the decode step ({reason[:200]})",
                             hint="run without --compile (ARCTIC_COMPILE=0); "
                             "inductor needs a C++ compiler on the CPU") from None  # fmt: skip
    step.compile_s = time.perf_counter() - start
    model.compiled_step = step
    return model
