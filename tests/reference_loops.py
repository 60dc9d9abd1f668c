"""The registry's plain scalar loops (optimizers/reference.py), by optimizer key."""

from __future__ import annotations

from optimizers import OPTIMIZERS
from optimizers.reference import reference_run as run_step


def reference_run(optimizer: str, surface, start, epochs: int, **hyper) -> list[tuple[float, float]]:
    """The points x_0 … x_epochs of one run of `optimizer`'s reference loop."""
    return run_step(OPTIMIZERS[optimizer].reference, surface, start, epochs, **hyper)
