"""The update rules, the registry OPTIMIZERS, run() and sweep(). NumPy only."""

from .engine import SweepResult, Trajectory, get_optimizer, run, sweep, textbook_line
from .hyperparams import Hyperparameter
from .registry import OPTIMIZERS, Optimizer

__all__ = [
    "OPTIMIZERS",
    "Hyperparameter",
    "Optimizer",
    "SweepResult",
    "Trajectory",
    "get_optimizer",
    "run",
    "sweep",
    "textbook_line",
]
