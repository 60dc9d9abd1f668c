"""'Copy as code': a short PyTorch snippet that reproduces a run, built from the registry's TorchForm
and the surface's `code`, and the reasons its points differ from ours where PyTorch's form is not
the same (instead of pretending). torch is not a dependency of the app: the snippet is text;
tests/test_torch.py runs it, and torch.optim itself, against the core."""

from __future__ import annotations

from .registry import OPTIMIZERS

TEMPLATE = """{imports}import torch

torch.set_default_dtype(torch.float64)
x = torch.tensor([{x1!r}, {x2!r}], dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.{cls}([x], {args})
{scheduler}for epoch in range({epochs}):
    optimizer.zero_grad()
    x1, x2 = x
    f = {code}
    f.backward()
    optimizer.step()
{step}print(f"epoch {epochs}, x1 {{x[0].item():f}}, x2 {{x[1].item():f}}")
"""


def lr_scheduler(kind: str, params: dict, epochs: int) -> str | None:
    """torch.optim.lr_scheduler's call that gives η_t as our schedule `kind` does, stepped once after each
    epoch (its epoch e = our t − 1); None where it has none. Our warm-up η·min(t, k)/k is LinearLR from 1/k
    over k − 1 steps (LinearLR(total_iters=k) would reach η one epoch later)."""
    if kind == "exponential":
        return f"ExponentialLR(optimizer, gamma={float(params['decay'])!r})"
    if kind == "step":
        return f"StepLR(optimizer, step_size={int(params['every'])}, gamma={float(params['decay'])!r})"
    if kind == "cosine":
        return f"CosineAnnealingLR(optimizer, T_max={int(epochs)})"
    if kind == "warmup":
        k = int(params["ramp"])
        return None if k < 2 else f"LinearLR(optimizer, start_factor={1 / k!r}, end_factor=1.0, total_iters={k - 1})"
    return None


def _scheduled(schedules: tuple, epochs: int) -> tuple[str | None, bool]:
    """The snippet's lr scheduler for a run's `schedules` ((name, kind, params) each), and whether every
    schedule has one in PyTorch (a ramp of γ or β has none; a warm-up of one epoch is constant)."""
    call, all_there = None, True
    for name, kind, params in schedules:
        found = lr_scheduler(kind, dict(params), epochs) if name == "lr" else None
        if found is None and not (kind == "warmup" and int(dict(params)["ramp"]) < 2):
            all_there = False
        call = found or call
    return call, all_there


def _literal(value) -> str:
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ")"
    return repr(float(value))


def torch_snippet(optimizer: str, values: dict, code: str, start, epochs: int, schedules: tuple = ()) -> str | None:
    """The snippet, or None where there is no PyTorch form or no code for the surface; an η schedule
    becomes its torch.optim.lr_scheduler."""
    form = OPTIMIZERS[optimizer].torch
    if form is None or not code:
        return None
    args = ", ".join(f"{name}={_literal(value)}" for name, value in form.args(values).items())
    x1, x2 = (float(v) for v in start)
    imports = "import math\n\n" if "math." in code else ""  # only where the surface's formula uses it
    call, _ = _scheduled(schedules, epochs)
    scheduler = f"scheduler = torch.optim.lr_scheduler.{call}\n" if call else ""
    step = "    scheduler.step()\n" if call else ""
    return TEMPLATE.format(imports=imports, x1=x1, x2=x2, cls=form.cls, args=args, epochs=epochs, code=code,
                           scheduler=scheduler, step=step)


def torch_differences(optimizer: str, values: dict, schedules: tuple = (), epochs: int = 20) -> tuple[str, ...]:
    """Why PyTorch's points would differ from ours for these settings (string-table keys, without the
    torch_differs_ prefix); () where they agree. A schedule PyTorch has no scheduler for (a ramp of γ or β)
    is one."""
    form = OPTIMIZERS[optimizer].torch
    reasons = form.differs(values) if form else ()
    return reasons + (() if _scheduled(schedules, epochs)[1] else ("schedule",))
