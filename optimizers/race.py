"""A fair race: each optimizer at its best settings for this surface, start and number of epochs.

For every optimizer, one sweep() over a grid of its live hyperparameters (η at its slider's stops,
γ/β/ρ at DECAY_GRID), the others at their defaults; settings whose run diverged or ended
non-finite are out; the best is the one with the lowest final loss. A stochastic optimizer (one with
a `seed`) is ranked by each setting's median final loss over SEEDS noise draws, with its spread: one
lucky draw does not win the race. Then all race from the same start (the caller runs them)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import sweep
from .registry import OPTIMIZERS

DECAY_GRID = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)  # γ, β1, β2, ρ: a finer grid towards 1
SEEDS = 20  # noise draws per setting of a stochastic optimizer


@dataclass(frozen=True)
class Entry:
    optimizer: str
    values: dict  # the best settings found: every searched hyperparameter
    loss: float  # its final loss
    searched: int  # settings tried
    diverged: int  # of which diverged or ended non-finite
    spread: tuple[float, float] | None = None  # a stochastic optimizer's: the 10th and 90th percentile over SEEDS


def search_grid(optimizer: str) -> dict[str, np.ndarray]:
    """The values searched per hyperparameter: the live ones (η, γ, β, ρ) only."""
    grid = {}
    for p in OPTIMIZERS[optimizer].hyperparameters:
        if p.live:
            values = p.slider_values() if p.log else [v for v in DECAY_GRID if p.is_valid(v)]
            grid[p.name] = np.array(values, dtype=float)
    return grid


def best_settings(optimizer: str, surface, *, start=None, epochs: int = 20) -> Entry | None:
    """The searched setting with the lowest final loss; None when every one diverged."""
    grid = search_grid(optimizer)
    names = list(grid)
    stochastic = any(p.name == "seed" for p in OPTIMIZERS[optimizer].hyperparameters)
    axes = [*grid.values(), *([np.arange(SEEDS)] if stochastic else [])]  # the seeds last
    mesh = np.meshgrid(*axes, indexing="ij")
    hyper = dict(zip(names, mesh[: len(names)]), **({"seed": mesh[-1]} if stochastic else {}))
    result = sweep(optimizer, surface, start=start, epochs=epochs, **hyper)
    loss = np.where((result.diverged_at < 0) & np.isfinite(result.loss), result.loss, np.inf)
    draws = loss if stochastic else loss[..., None]
    typical = np.median(draws, axis=-1)  # a setting whose draws diverge in half or more is out
    searched, diverged = typical.size, int(np.isinf(typical).sum())
    if diverged == searched:
        return None
    at = np.unravel_index(np.argmin(typical), typical.shape)
    spread = tuple(float(v) for v in np.percentile(draws[at], [10, 90])) if stochastic else None
    return Entry(optimizer, {name: float(m[(*at, 0)] if stochastic else m[at]) for name, m in zip(names, mesh)},
                 float(typical[at]), searched, diverged, spread)


def race(surface, *, start=None, epochs: int = 20, optimizers=None) -> list[Entry]:
    """Every optimizer's best entry, lowest final loss first (those with no stable setting left out)."""
    return ranked([best_settings(key, surface, start=start, epochs=epochs) for key in (optimizers or OPTIMIZERS)])


def ranked(entries: list[Entry | None]) -> list[Entry]:
    """The optimizers' best entries (one search each), lowest final loss first, those with none left out."""
    return sorted((e for e in entries if e is not None), key=lambda e: e.loss)
