"""The update rules, the registries OPTIMIZERS and SCHEDULES, run() and sweep(). NumPy only."""

from .engine import (Internals, SweepResult, Trajectory, examples_per_step, get_optimizer, internals, run, sweep,
                     textbook_line)
from .hyperparams import Hyperparameter
from .registry import OPTIMIZERS, Optimizer
from .schedules import SCHEDULES, Schedule

__all__ = [
    "OPTIMIZERS",
    "SCHEDULES",
    "Hyperparameter",
    "Internals",
    "Optimizer",
    "Schedule",
    "SweepResult",
    "Trajectory",
    "examples_per_step",
    "get_optimizer",
    "internals",
    "run",
    "sweep",
    "textbook_line",
]
