"""What a run does, read from its numbers: the truth a class's answers are drawn against."""

from __future__ import annotations

import numpy as np

from optimizers import Trajectory
from surfaces.critical import nearest
from surfaces.surface import undefined_at

OUTCOMES = ("converges", "oscillates", "stalls", "diverges")
SETTLED = 0.05  # a run has settled when its last step is at most this share of its largest
TURNING = 0.4  # it oscillates when at least this share of its path is steps that turn back (against the step before)
# or when it swings across the minimum it heads for (or, with none, where it ends), along x1 or x2, at least CROSSINGS
# times, once by at least SWING of the path's extent: momentum's wide swings across a valley while it speeds along it
# (x2 changes sign 11 times in §7.4: across the minimum's x2 = 0, as its lesson counts, not its end's 0.0012)
CROSSINGS = 3
SWING = 0.15
ON_ITS_WAY = 0.1  # a settled run still this share of its start's distance from the minimum it heads for is on its
# way: "stalls (not settled)" is right too (GD at η 0.4 on the quadratic crawls along x1, 17% away at epoch 20)
GROWING = 1.01  # a run that ends higher than it began diverges if its steps still grow (the last third's largest
# step this much above the middle third's); on the stability limit they stay as they are: it stalls


def outcome(traj: Trajectory, critical=(), theory: str | None = None) -> dict:
    """One of OUTCOMES, with the numbers it was read from:
    diverges: it left the surface's bounds, became non-finite, or ended higher than it started while it still
    moves away: as the linear theory says where there is one (`theory`, its Readout.status: "unstable"), or else
    as its steps show (GROWING);
    stalls: its steps have not shrunk to SETTLED of the largest (it crawls, or is still on its way);
    oscillates (and converges): settled, at least TURNING of its path in steps that turn back (measured by
    length: a zigzag of large steps at the start is what a class sees, however many small ones follow), or
    swinging across the minimum it heads for, or its end point (_swings);
    converges: settled, going mostly one way.
    A run that settles at a saddle point or a maximum of `critical` (surfaces.critical_points) stalls there, and
    one that steps where f is undefined (a typed log(x1) at x1 < 0) stops: it stalls, it did not blow up."""
    losses, points = traj.losses, traj.points
    if undefined_at(points, losses).any():  # a step where f has no value: it stopped there, as the explorer says
        return {"outcome": "stalls", "why": "stopped"}
    if int(traj.diverged_at) >= 0 or not np.isfinite(losses).all():
        return {"outcome": "diverges", "why": "diverges"}
    steps = np.diff(points, axis=0)
    sizes = np.hypot(steps[:, 0], steps[:, 1])
    if losses[-1] > losses[0] and (theory == "unstable" if theory else _growing(sizes)):
        return {"outcome": "diverges", "why": "diverges"}
    largest = float(sizes.max()) if sizes.size else 0.0
    last = float(sizes[-1]) / largest if largest > 0 else 0.0
    back = np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0
    moved = float(sizes[1:].sum()) if len(steps) > 1 else 0.0
    turns = float(sizes[1:][back].sum()) / moved if moved > 0 else 0.0
    goal = nearest(critical, points[-1], lambda c: c.is_minimum)  # the minimum it heads for
    if last > SETTLED:
        kind, why = "stalls", "stalls"
    elif _at_a_pass(points[-1], critical, largest):
        kind, why = "stalls", "pass"
    elif turns < TURNING and (swings := _swings(points, goal)):
        return {"outcome": "oscillates", "why": "swings" if goal is None else "swings_minimum", "last_step": last,
                "turns": turns, "axis": swings[0], "crossings": swings[1], **_on_its_way(points, goal)}
    else:
        kind, why = ("oscillates" if turns >= TURNING else "converges"), "converges"
        return {"outcome": kind, "why": why, "last_step": last, "turns": turns, **_on_its_way(points, goal)}
    return {"outcome": kind, "why": why, "last_step": last, "turns": turns}


def _on_its_way(points: np.ndarray, goal) -> dict:
    """For a settled run still at least ON_ITS_WAY of its start's distance from the minimum it heads for (`goal`,
    None without one): {"also": "stalls", "remaining": that share}, the answer that is right too; else {}."""
    if goal is None:
        return {}
    start = goal.distance(points[0])
    remaining = goal.distance(points[-1]) / start if start > 0 else 0.0
    return {"also": "stalls", "remaining": remaining} if remaining >= ON_ITS_WAY else {}


def _growing(sizes: np.ndarray) -> bool:
    """Do the run's steps still grow (GROWING)?"""
    third = len(sizes) // 3
    return third == 0 or bool(sizes[-third:].max() > GROWING * sizes[-2 * third:-third].max())


def _swings(points: np.ndarray, minimum=None) -> tuple[str, int] | None:
    """The coordinate along which the run crosses the `minimum` (a CriticalPoint; without one, where the run ends)
    at least CROSSINGS times, and after its first crossing swings at least SWING of the path's extent away from it,
    and how many times; None if none does."""
    away = points - (points[-1] if minimum is None else np.array([minimum.x1, minimum.x2]))
    extent = float(np.ptp(points, axis=0).max())
    for k, name in enumerate(("x1", "x2")):
        crossed = np.flatnonzero(away[1:, k] * away[:-1, k] < 0)
        if len(crossed) >= CROSSINGS and np.abs(away[crossed[0] + 1:, k]).max() >= SWING * extent:
            return name, len(crossed)
    return None


def position(traj: Trajectory, epoch: int) -> dict:
    """Where the run is at `epoch` (None where it has diverged by then)."""
    point = traj.points[min(epoch, len(traj.points) - 1)]
    return {"point": [float(v) for v in point] if np.isfinite(point).all() else None}


def _at_a_pass(point: np.ndarray, critical, scale: float) -> bool:
    """Is `point` at a critical point that is not a minimum (within SETTLED of the run's largest step)?"""
    return any(c.kind in ("saddle", "maximum") and c.distance(point) <= SETTLED * scale for c in critical)
