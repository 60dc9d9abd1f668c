"""Every optimizer with a PyTorch form against torch.optim itself (float64, CPU), step for step.

Where the app says PyTorch's points differ (torch_differences: Nesterov's points, ε inside the root,
dampening, SGD's noise), they must differ; everywhere else they agree to 1e-10, alone and batched.
The snippet the app hands out is run too: its printed line is the core's.
"""

from __future__ import annotations

import contextlib
import io
import math
import re

import numpy as np
import pytest
import torch

from optimizers import OPTIMIZERS, run, sweep
from optimizers.schedules import Schedule
from optimizers.torch_code import torch_differences, torch_snippet
from surfaces import SURFACES

SURFACE_KEYS = ("quadratic", "himmelblau", "rosenbrock")
EPOCHS = 40
WITH_TORCH = tuple(key for key, opt in OPTIMIZERS.items() if opt.torch is not None)
MODERN = ("adamw", "amsgrad", "adamax", "nadam", "radam")
# the second and third setting of each hyperparameter (the first is the default)
CHANGED = {"momentum": (0.8, 0.3), "beta1": (0.8, 0.5), "beta2": (0.99, 0.9), "gamma": (0.99, 0.5),
           "rho": (0.95, 0.5), "eps": (1e-4, 1e-2), "weight_decay": (0.1, 0.5), "momentum_decay": (0.01, 0.1),
           "noise": (0.0, 0.0), "dampening": (0.5, 0.0)}


def settings(optimizer: str, surface) -> list[dict]:
    """Three settings: the defaults a new run gets on `surface`, and two with every hyperparameter changed
    (η halved, then a quarter) where the optimizer has it."""
    opt = OPTIMIZERS[optimizer]
    base = dict(opt.defaults)
    if opt.lr_from_surface and surface.lr:
        base["lr"] = opt.lr_from_surface * surface.lr
    changed = [{**base, "lr": base["lr"] * factor} for factor in (0.5, 0.25)]
    for i, values in enumerate(changed):
        values.update({k: CHANGED[k][i] for k in base if k in CHANGED})
    return [base, *changed]


def torch_path(optimizer: str, values: dict, surface, start, epochs: int) -> np.ndarray:
    """The points of torch.optim's class for `optimizer`, as the app's snippet builds it."""
    form = OPTIMIZERS[optimizer].torch
    x = torch.tensor([float(v) for v in start], dtype=torch.float64, requires_grad=True)
    step = getattr(torch.optim, form.cls)([x], **form.args(values))
    points = [x.detach().numpy().copy()]
    for _ in range(epochs):
        step.zero_grad()
        x1, x2 = x
        f = eval(surface.code, {"torch": torch, "math": math, "x1": x1, "x2": x2})  # the registry's own text
        f.backward()
        step.step()
        points.append(x.detach().numpy().copy())
    return np.array(points)


@pytest.fixture(autouse=True)
def float64():
    """float64 throughout, the optimizers' own counters too (NAdam keeps its μ product in torch's default dtype)."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def cases():
    for optimizer in WITH_TORCH:
        for key in SURFACE_KEYS:
            for i, values in enumerate(settings(optimizer, SURFACES[key])):
                yield pytest.param(optimizer, key, values, id=f"{optimizer}-{key}-{i}")


@pytest.mark.parametrize(("optimizer", "key", "values"), list(cases()))
def test_each_optimizer_is_torch_optim_where_the_app_says_so_and_differs_where_it_says_it_differs(
        optimizer, key, values):
    surface = SURFACES[key]
    ours = run(optimizer, surface, start=surface.start, epochs=EPOCHS, **values).points
    theirs = torch_path(optimizer, values, surface, surface.start, EPOCHS)
    finite = np.isfinite(ours).all(axis=-1) & np.isfinite(theirs).all(axis=-1)
    assert finite[:10].all()  # every case is at least ten finite steps long
    gap = np.abs(ours[finite] - theirs[finite]).max()
    tolerance = 1e-10 * max(1.0, np.abs(theirs[finite]).max())
    if torch_differences(optimizer, values):
        assert gap > tolerance, f"the app says {optimizer} differs from PyTorch here, but the points agree"
    else:
        assert gap <= tolerance
        assert (finite == np.isfinite(ours).all(axis=-1)).all()  # and ours ends where torch's does


@pytest.mark.parametrize("optimizer", MODERN)
def test_the_new_optimizers_batched_over_eta_and_starts_are_torch_optim_member_by_member(optimizer):
    surface = SURFACES["himmelblau"]
    values = settings(optimizer, surface)[1]
    rates = np.array([0.5, 1.0, 2.0]) * values["lr"]
    starts = np.array([[-4.0, 0.5], [1.0, 1.0], [3.5, -3.0]])
    batch = run(optimizer, surface, start=starts[:, None, :], epochs=EPOCHS, **{**values, "lr": rates[None, :]})
    last = sweep(optimizer, surface, start=starts[:, None, :], epochs=EPOCHS, **{**values, "lr": rates[None, :]})
    for i, start in enumerate(starts):
        for j, lr in enumerate(rates):
            theirs = torch_path(optimizer, {**values, "lr": lr}, surface, start, EPOCHS)
            assert np.abs(batch.points[i, j] - theirs).max() <= 1e-10 * max(1.0, np.abs(theirs).max())
            assert np.abs(last.final[i, j] - theirs[-1]).max() <= 1e-10 * max(1.0, np.abs(theirs[-1]).max())


def _printed(code: str) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # the app's own snippet, as a student would paste it
    return printed.getvalue().strip()


@pytest.mark.parametrize("optimizer", WITH_TORCH)
@pytest.mark.parametrize("key", SURFACE_KEYS)
def test_the_snippet_the_app_hands_out_runs_and_prints_the_cores_line_where_the_app_says_it_agrees(optimizer, key):
    surface = SURFACES[key]
    values = settings(optimizer, surface)[0]
    printed = _printed(torch_snippet(optimizer, values, surface.code, surface.start, 20))
    ours = run(optimizer, surface, start=surface.start, epochs=20, **values).line()
    if torch_differences(optimizer, values):  # it runs and prints its line (ε inside the root may differ below
        assert re.fullmatch(r"epoch 20, x1 -?\d+\.\d{6}, x2 -?\d+\.\d{6}", printed)  # the printed digits)
    else:
        assert printed == ours


@pytest.mark.parametrize(("kind", "params"), [("exponential", {"decay": 0.8}), ("step", {"decay": 0.3, "every": 4}),
                                              ("cosine", {}), ("warmup", {"ramp": 5})])
@pytest.mark.parametrize("optimizer", ["gd", "adamw"])
def test_a_scheduled_runs_snippet_steps_torchs_lr_scheduler_to_the_cores_line(optimizer, kind, params):
    surface = SURFACES["himmelblau"]
    values = settings(optimizer, surface)[0]
    schedules = (("lr", kind, tuple(params.items())),)
    code = torch_snippet(optimizer, values, surface.code, surface.start, 12, schedules)
    scheduled = {**values, "lr": Schedule(kind, values["lr"], **params)}
    assert _printed(code) == run(optimizer, surface, start=surface.start, epochs=12, **scheduled).line()
