"""Basins of attraction: from a grid of start points, which minimum each run ends in.

One sweep() over every start point (a batch of starts, like a batch of hyperparameters), then
each end is named by the minimum it lies within `tol` of; or it diverged; or it is elsewhere
(still on its way after the epochs given, settled at no listed minimum, or stopped where f is undefined).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import sweep

DIVERGED, ELSEWHERE, PENDING = -1, -2, -3  # PENDING: a start not computed yet (a map in pieces)
TOL_SHARE = 0.01  # an end within 1% of the plot's size of a minimum is in it


@dataclass(frozen=True)
class BasinMap:
    x1: np.ndarray  # (size,) start x1 of each column
    x2: np.ndarray  # (size,) start x2 of each row
    ends: np.ndarray  # (size, size): index into `minima`, DIVERGED or ELSEWHERE; ends[row, column]
    minima: np.ndarray  # (k, 2)

    def share(self, label: int) -> float:
        """The share of start points whose run ends at `label` (a minimum's index, DIVERGED, ELSEWHERE)."""
        return float((self.ends == label).mean())


def start_grid(bounds, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """size × size start points over the plot: x1 (columns), x2 (rows) and the points (size, size, 2)."""
    (a, b), (c, d) = bounds
    x1, x2 = np.linspace(a, b, size), np.linspace(c, d, size)
    return x1, x2, np.stack(np.meshgrid(x1, x2), axis=-1)


def basins(optimizer, surface, minima, *, size: int = 150, epochs: int = 200, tol: float | None = None,
           rows: tuple[int, int] | None = None, **hyper) -> BasinMap:
    """Where `optimizer` (with scalar `hyper`) ends from each of size × size starts over the plot;
    only from the starts of `rows` (lo, hi) when given, the others PENDING (a piece of a map)."""
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    x1, x2, starts = start_grid(surface.bounds, size)
    lo, hi = rows or (0, size)
    result = sweep(optimizer, surface, start=starts[lo:hi], epochs=epochs, **hyper)
    (a, b), (c, d) = surface.bounds
    tol = TOL_SHARE * max(b - a, d - c) if tol is None else tol
    ends = np.full(result.diverged_at.shape, ELSEWHERE)
    if len(minima):
        with np.errstate(invalid="ignore", over="ignore"):  # a run far out (not yet diverged): inf, as NaN is
            distance = np.linalg.norm(result.final[..., None, :] - minima, axis=-1)
        near = np.nanargmin(np.where(np.isfinite(distance), distance, np.inf), axis=-1)
        close = np.take_along_axis(distance, near[..., None], axis=-1)[..., 0] <= tol
        ends = np.where(close, near, ends)
    whole = np.full(starts.shape[:2], PENDING)
    # a run that stopped where f is undefined did not blow up: it ended elsewhere, as the explorer says
    whole[lo:hi] = np.where((result.diverged_at >= 0) & ~result.undefined, DIVERGED, ends)
    return BasinMap(x1, x2, whole, minima)
