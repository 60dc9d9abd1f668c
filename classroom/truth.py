"""What a run does, read from its numbers: the truth a class's answers are drawn against."""

from __future__ import annotations

import numpy as np

from optimizers import Trajectory

OUTCOMES = ("converges", "oscillates", "stalls", "diverges")
SETTLED = 0.05  # a run has settled when its last step is at most this share of its largest
TURNING = 0.4  # it oscillates when at least this share of its path is steps that turn back (against the step before)


def outcome(traj: Trajectory, critical=()) -> dict:
    """One of OUTCOMES, with the numbers it was read from:
    diverges: it left the surface's bounds, became non-finite or ended higher than it started;
    stalls: its steps have not shrunk to SETTLED of the largest (it crawls, or is still on its way);
    oscillates (and converges): settled, at least TURNING of its path in steps that turn back (measured by
    length: a zigzag of large steps at the start is what a class sees, however many small ones follow);
    converges: settled, going mostly one way.
    A run that settles at a saddle point or a maximum of `critical` (surfaces.critical_points) stalls there."""
    losses, points = traj.losses, traj.points
    if int(traj.diverged_at) >= 0 or not np.isfinite(losses).all() or losses[-1] > losses[0]:
        return {"outcome": "diverges", "why": "diverges"}
    steps = np.diff(points, axis=0)
    sizes = np.linalg.norm(steps, axis=1)
    largest = float(sizes.max()) if sizes.size else 0.0
    last = float(sizes[-1]) / largest if largest > 0 else 0.0
    back = np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0
    moved = float(sizes[1:].sum()) if len(steps) > 1 else 0.0
    turns = float(sizes[1:][back].sum()) / moved if moved > 0 else 0.0
    if last > SETTLED:
        kind, why = "stalls", "stalls"
    elif _at_a_pass(points[-1], critical, largest):
        kind, why = "stalls", "pass"
    else:
        kind, why = ("oscillates" if turns >= TURNING else "converges"), "converges"
    return {"outcome": kind, "why": why, "last_step": last, "turns": turns}


def position(traj: Trajectory, epoch: int) -> dict:
    """Where the run is at `epoch` (None where it has diverged by then)."""
    point = traj.points[min(epoch, len(traj.points) - 1)]
    return {"point": [float(v) for v in point] if np.isfinite(point).all() else None}


def _at_a_pass(point: np.ndarray, critical, scale: float) -> bool:
    """Is `point` at a critical point that is not a minimum (within SETTLED of the run's largest step)?"""
    return any(c.kind in ("saddle", "maximum") and np.hypot(point[0] - c.x1, point[1] - c.x2) <= SETTLED * scale
               for c in critical)
