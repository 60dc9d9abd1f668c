"""Bad arguments raise ValueError with a helpful message; divergence prints no warning."""

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run, sweep

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("call", [run, sweep])
@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("lbfgs", "quadratic"), {}, r"unknown optimizer 'lbfgs'; choose one of: gd, sgd, momentum, nesterov"),
        (("gd", "sphere"), {}, r"unknown surface 'sphere'; choose one of: quadratic, bowl, rosenbrock"),
        (("gd", "quadratic"), {"momentum": 0.5}, r"gd has no hyperparameter 'momentum'; its hyperparameters are: lr"),
        (("momentum", "quadratic"), {"beta": 0.5},
         r"its hyperparameters are: lr, momentum, dampening, bias_correction"),
        (("gd", "quadratic"), {"lr": -0.1}, r"'lr' \(learning rate η\) must be in \(0, ∞\), got -0.1"),
        (("gd", "quadratic"), {"lr": 0.0}, r"'lr' \(learning rate η\) must be in \(0, ∞\)"),
        (("gd", "quadratic"), {"lr": np.nan}, r"'lr' \(learning rate η\) must be in"),
        (("gd", "quadratic"), {"lr": np.inf}, r"'lr' \(learning rate η\) must be in"),
        (("gd", "quadratic"), {"lr": "fast"}, r"'lr' must be a number"),
        (("momentum", "quadratic"), {"momentum": 1.0}, r"'momentum' \(momentum γ\) must be in \[0, 1\), got 1"),
        (("momentum", "quadratic"), {"momentum": np.array([0.5, 1.5])}, r"must be in \[0, 1\), got 1.5"),
        (("rmsprop", "quadratic"), {"gamma": 1.01}, r"'gamma' \(decay rate γ\) must be in \[0, 1\]"),
        (("sgd", "quadratic"), {"seed": 1.5}, r"'seed' \(random seed\) must be in"),
        (("momentum", "quadratic"), {"bias_correction": 2}, r"'bias_correction' must be a number in true or false"),
        (("gd", "quadratic"), {"epochs": -1}, r"epochs must be a whole number ≥ 0"),
        (("gd", "quadratic"), {"epochs": 2.5}, r"epochs must be a whole number ≥ 0"),
        (("gd", "quadratic"), {"start": (1, 2, 3)}, r"start must have shape \(..., 2\)"),
        (("gd", "quadratic"), {"start": (np.inf, 0)}, r"start must be finite"),
        (("gd", "quadratic"), {"start": "here"}, r"start must be a point"),
        (("gd", "quadratic"), {"lr": np.ones(3), "start": np.zeros((2, 2))}, r"cannot broadcast"),
    ],
)
def test_bad_arguments_raise_value_error(call, args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        call(*args, **kwargs)


def test_rmsprop_allows_gamma_one_for_the_textbook_exercise():
    traj = run("rmsprop", "quadratic", lr=0.4, gamma=1.0)
    assert traj.diverged_at > 0  # s stays 0, so the steps are η·g/√ε: it blows up


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_divergent_runs_print_no_warning(optimizer):
    lr = np.geomspace(0.1, 1e6, 25)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(optimizer, "rosenbrock", epochs=400, lr=lr)
        sweep(optimizer, "rosenbrock", epochs=400, lr=lr)


def test_a_divergent_run_prints_nothing_at_all():
    code = (
        "from optimizers import run, sweep\n"
        "run('gd', 'quadratic', epochs=5000, lr=0.9)\n"
        "sweep('adam', 'beale', epochs=5000, lr=[1e3, 1e6])\n"
    )
    done = subprocess.run([sys.executable, "-W", "default", "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout == "" and done.stderr == ""
