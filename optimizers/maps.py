"""Outcome maps: the result of every (η, second hyperparameter) cell, by one sweep()."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surfaces import get_surface
from surfaces.surface import undefined_at

from .engine import get_optimizer, run, sweep
from .schedules import Schedule

# A cell's outcome, by its loss after the last epoch against the start's loss.
CONVERGING, GROWING, DIVERGED = 0, 1, 2  # below (or at) the start's; finite but above it; gone
STOPPED = 3  # it stepped where f is undefined (a typed log(x1) at x1 < 0): no gradient there, so it stopped
OUTCOMES = ("converging", "growing", "diverged", "stopped")


@dataclass(frozen=True)
class OutcomeMap:
    lr: np.ndarray  # (nx,)
    y: np.ndarray  # (ny,): values of `y_name`
    y_name: str  # a hyperparameter name, or "epochs"
    loss: np.ndarray  # (ny, nx): f at the last point, NaN where the run diverged
    diverged_at: np.ndarray  # (ny, nx): -1 where the run never diverged
    start_loss: float  # f at the start point
    stopped: np.ndarray | None = None  # (ny, nx): the run stopped where f is undefined (diverged_at counts it)

    @property
    def outcome(self) -> np.ndarray:
        """(ny, nx) of CONVERGING, GROWING, DIVERGED (past the surface's bound, or a non-finite loss) or
        STOPPED (where f is undefined: the explorer says so, and that it did not blow up)."""
        gone = (self.diverged_at >= 0) | ~np.isfinite(self.loss)
        stopped = np.zeros(gone.shape, bool) if self.stopped is None else self.stopped
        return np.select([stopped, gone, self.loss > self.start_loss], [STOPPED, DIVERGED, GROWING],
                         CONVERGING).astype(np.uint8)

    def counts(self) -> dict[str, int]:
        """How many cells have each outcome, by name."""
        return dict(zip(OUTCOMES, np.bincount(self.outcome.ravel(), minlength=len(OUTCOMES)).tolist()))

    @staticmethod
    def joined(pieces: list[OutcomeMap]) -> OutcomeMap:
        """The map of consecutive pieces of rows (the same η axis), as one."""
        first = pieces[0]
        return OutcomeMap(first.lr, np.concatenate([p.y for p in pieces]), first.y_name,
                          np.concatenate([p.loss for p in pieces]), np.concatenate([p.diverged_at for p in pieces]),
                          first.start_loss, np.concatenate([p.outcome == STOPPED for p in pieces]))


def row_pieces(rows: int, columns: int, epochs: int, work: int) -> list[tuple[int, int]]:
    """Consecutive row ranges [lo, hi) of a map, each about `work` cell-epochs (at least one row),
    so that a long map is computed in bounded pieces."""
    per_piece = max(1, min(rows, work // max(1, columns * epochs)))
    return [(lo, min(lo + per_piece, rows)) for lo in range(0, rows, per_piece)]


def second_axis(optimizer: str) -> str:
    """The hyperparameter on the map's y axis (the registry's `map_axis`), else epochs."""
    return get_optimizer(optimizer).map_axis or "epochs"


def second_axis_values(optimizer: str, cells: int, epochs: int) -> np.ndarray:
    name = second_axis(optimizer)
    if name == "epochs":
        return np.unique(np.linspace(1, epochs, min(cells, epochs)).round().astype(int))
    spec = get_optimizer(optimizer).hyperparameter(name)
    low, high = spec.slider
    if spec.low_open and low <= spec.low:  # stay inside the valid range: γ < 1, τ > 0
        low = spec.low + 0.01 * (high - spec.low)
    if spec.high_open and high >= spec.high - 0.01 * (spec.high - low):
        high = spec.high - 0.01 * (spec.high - low)
    return np.linspace(low, high, cells)


def outcome_map(optimizer, surface, *, lr, y, start=None, epochs: int = 20, **hyper) -> OutcomeMap:
    """Every cell (η = lr[i], second = y[j]) run for `epochs` from `start`.

    With a second hyperparameter this is a single sweep() over the grid (memory
    O(cells)); for "epochs" it is one run() over η, read at each epoch in y.
    `lr` (and `y`, for a hyperparameter) may be a Schedule whose value is the axis's values:
    each cell then follows that schedule from its value."""
    name = second_axis(optimizer)
    lr_axis, y_axis = lr, y
    lr, y = np.asarray(_start_values(lr), float), np.asarray(_start_values(y))
    surf = get_surface(surface)
    if name == "epochs":
        traj = run(optimizer, surface, start=start, epochs=int(y.max()), lr=lr_axis, **hyper)
        loss = traj.losses[:, y].T
        diverged = np.where((traj.diverged_at[None, :] >= 0) & (traj.diverged_at[None, :] <= y[:, None]),
                            traj.diverged_at[None, :], -1)
        # by epoch y it has stood where f is undefined (its later points are NaN, not undefined_at)
        undefined = undefined_at(traj.points, traj.losses, surf.divergence_bound)
        stopped = np.logical_or.accumulate(undefined, axis=-1)[:, y].T
    else:
        cells = {"lr": _along(lr_axis, lr, np.s_[None, :]), name: _along(y_axis, y, np.s_[:, None])}
        result = sweep(optimizer, surface, start=start, epochs=epochs, **{**hyper, **cells})
        loss, diverged, stopped = result.loss, result.diverged_at, result.undefined
    loss = np.where(diverged >= 0, np.nan, loss)
    with np.errstate(all="ignore"):  # f may overflow at a typed formula's start
        start_loss = float(surf.f(*np.asarray(surf.start if start is None else start, float)))
    return OutcomeMap(lr, y, name, loss, diverged, start_loss, stopped)


def _start_values(axis):
    return axis.value if isinstance(axis, Schedule) else axis


def _along(axis, values: np.ndarray, index):
    """The axis's values shaped for the grid, as a schedule from them if the axis is one."""
    return axis.like(values[index]) if isinstance(axis, Schedule) else values[index]


def default_lr_range(surface) -> tuple[float, float]:
    """Up to twice GD's limit 2/λmax on quadratics (past momentum's at γ → 1); else 1e-4 … 1."""
    s = get_surface(surface)
    if s.is_quadratic:
        high = 4 / max(s.hessian_eigenvalues)
        return high / 100, high
    return 1e-4, 1.0
