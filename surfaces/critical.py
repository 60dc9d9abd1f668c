"""Critical points of a surface, classified as seed 001 does: by the signs of the
Hessian's eigenvalues (all positive: a minimum, all negative: a maximum, mixed: a saddle).

Found numerically, so that built-in and typed surfaces are treated alike: Newton's
method on ∇f = 0 from a grid of starts over the plot (and from the known minima), with the Hessian from central
differences of the analytic gradient, then duplicates merged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .surface import Surface

# Newton starts per axis: 24 found 65 of Rastrigin's 121 minima (none on x1 = 0 or x2 = 0 but the global one), and
# the basins called the runs that settled in the others 'elsewhere' (a teacher's trial: 49% of the map)
STARTS = 36
STEPS = 40
STEP = 1e-5  # relative step of the central differences


@dataclass(frozen=True)
class CriticalPoint:
    x1: float
    x2: float
    value: float
    eigenvalues: tuple[float, float]  # of the Hessian, ascending
    kind: str  # "global_minimum", "minimum", "saddle", "maximum"

    @property
    def is_minimum(self) -> bool:
        return self.kind in ("global_minimum", "minimum")

    def distance(self, point) -> float:
        return float(np.hypot(point[0] - self.x1, point[1] - self.x2))


def nearest(critical, point, which=lambda c: True) -> CriticalPoint | None:
    """The point of `critical` nearest to `point` among those `which` keeps (None: there is none)."""
    return min((c for c in critical if which(c)), key=lambda c: c.distance(point), default=None)


def landed_on_a_minimum(surface: Surface, point, critical) -> bool:
    """Did a run end exactly on a minimum: a gradient of exactly 0 there (luck of the start and η: Lion's steps of
    η·sign(…) from (−5, −2) at η 0.25, which a small move of the start undoes), at a minimum of `critical`, not a
    saddle (a start on the saddle's axis stays on it: that is the lesson, not luck)?"""
    if not np.isfinite(point).all():
        return False
    with np.errstate(all="ignore"):  # a typed f's gradient at its last point may not be defined (NaN: not 0)
        if np.any(surface.grad(*point)):
            return False
    closest = nearest(critical, point)
    return closest is not None and closest.is_minimum and closest.distance(point) <= 1e-6 * (1 + np.hypot(*point))


def hessian(surface: Surface, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """(..., 2, 2) from central differences of the gradient, symmetrised."""
    h1 = STEP * np.maximum(1.0, np.abs(x1))
    h2 = STEP * np.maximum(1.0, np.abs(x2))
    g1p, g1m = np.asarray(surface.grad(x1 + h1, x2)), np.asarray(surface.grad(x1 - h1, x2))
    g2p, g2m = np.asarray(surface.grad(x1, x2 + h2)), np.asarray(surface.grad(x1, x2 - h2))
    d1 = (g1p - g1m) / (2 * h1)  # column ∂g/∂x1, shape (2, ...)
    d2 = (g2p - g2m) / (2 * h2)
    off = (d1[1] + d2[0]) / 2
    return np.stack([np.stack([d1[0], off], -1), np.stack([off, d2[1]], -1)], -2)


@functools.lru_cache(maxsize=64)
def critical_points(surface: Surface) -> tuple[CriticalPoint, ...]:
    """Every critical point inside the plot range that Newton finds, lowest first."""
    (a, b), (c, d) = surface.bounds
    x1, x2 = (v.ravel() for v in np.meshgrid(np.linspace(a, b, STARTS), np.linspace(c, d, STARTS)))
    if surface.minima:  # the known minima are starts too: Newton may miss one between grid points
        x1, x2 = np.concatenate([np.array(surface.minima, float).T, [x1, x2]], axis=1)
    with np.errstate(all="ignore"):
        for _ in range(STEPS):
            g = np.asarray(surface.grad(x1, x2), float)
            step = np.linalg.solve(_invertible(hessian(surface, x1, x2)), g.T[..., None])[..., 0]
            x1, x2 = x1 - step[:, 0], x2 - step[:, 1]
        g = np.asarray(surface.grad(x1, x2), float)
        scale = np.abs(g).max(axis=0) if g.size else g
        inside = (a <= x1) & (x1 <= b) & (c <= x2) & (x2 <= d)
        found = inside & np.isfinite(scale) & (scale < 1e-8)
        points = _merged(x1[found], x2[found], tol=1e-6 * max(b - a, d - c))
        if not len(points):
            return ()
        h = hessian(surface, points[:, 0], points[:, 1])
        eig = np.linalg.eigvalsh(h)
        values = np.asarray(surface.f(points[:, 0], points[:, 1]), float)
    keep = np.isfinite(values) & np.isfinite(eig).all(axis=1) & (np.abs(eig).min(axis=1) > 1e-9)
    points, eig, values = points[keep], eig[keep], values[keep]
    order = np.argsort(values, kind="stable")
    lowest = values[order[0]] if len(order) else 0.0
    out = []
    for i in order:
        lo, hi = eig[i]
        if lo > 0:
            kind = "global_minimum" if values[i] <= lowest + 1e-9 * max(1.0, abs(lowest)) else "minimum"
        elif hi < 0:
            kind = "maximum"
        else:
            kind = "saddle"
        out.append(CriticalPoint(float(points[i, 0]), float(points[i, 1]), float(values[i]),
                                 (float(lo), float(hi)), kind))
    return tuple(out)


def loss_floor(surface: Surface) -> tuple[float, bool]:
    """The zero of the loss charts: the lowest listed minimum, else the lowest minimum Newton finds in the plot
    (a typed f: its grid misses the minimum by a little, and a converging run would fall below it), else the
    lowest f on the plot's grid. True when it is a minimum."""
    if surface.minima:
        return surface.floor(), True
    lowest = [p.value for p in critical_points(surface) if p.kind == "global_minimum"]
    return (lowest[0], True) if lowest else (surface.floor(), False)


def _invertible(h: np.ndarray) -> np.ndarray:
    """A singular or non-finite Hessian becomes the identity (that start takes a gradient step)."""
    det = h[..., 0, 0] * h[..., 1, 1] - h[..., 0, 1] * h[..., 1, 0]
    bad = ~np.isfinite(det) | (np.abs(det) < 1e-14)
    h = h.copy()
    h[bad] = np.eye(2)
    return h


def _merged(x1: np.ndarray, x2: np.ndarray, tol: float) -> np.ndarray:
    """One point per cluster of nearby solutions."""
    pts = np.round(np.stack([x1, x2], 1) / tol) * tol
    _, first = np.unique(pts, axis=0, return_index=True)
    kept: list[np.ndarray] = []
    for p in np.stack([x1, x2], 1)[np.sort(first)]:
        if all(np.abs(p - q).max() > 10 * tol for q in kept):
            kept.append(p)
    return np.array(kept).reshape(-1, 2)


def suggested_lr(surface: Surface, size: int = 24) -> float:
    """The surface's own η, or one from its curvature where a run begins: a round number near
    1/L, with L the largest |Hessian eigenvalue| at the start (GD is stable below 2/L there);
    the median over the plot where the start has none, and 0.1 where f has none at all (a plane). Between 1e-4 and
    1, so that a slider can reach it (exp(x1²) is 10⁷ times steeper at the plot's edge than at its start)."""
    if surface.lr is not None:
        return surface.lr
    curvature = lr_curvature(surface, size)
    if not curvature:
        return 0.1
    target = min(max(1 / curvature, 1e-4), 1.0)
    exponent = np.floor(np.log10(target))
    mantissa = max(m for m in (1, 2, 5, 10) if m * 10**exponent <= target * (1 + 1e-9))
    return float(f"{mantissa * 10**exponent:.3g}")


def lr_curvature(surface: Surface, size: int = 24) -> float:
    """The L of suggested_lr: the largest |Hessian eigenvalue| at the start, or its median over the plot where the
    start has none; 0 where f is flat everywhere (or its curvature nowhere finite)."""
    with np.errstate(all="ignore"):
        curvature = float(np.abs(np.linalg.eigvalsh(hessian(surface, *(np.array([v]) for v in surface.start)))).max())
        if not 0 < curvature < np.inf:
            (a, b), (c, d) = surface.bounds
            x1, x2 = (v.ravel() for v in np.meshgrid(np.linspace(a, b, size), np.linspace(c, d, size)))
            eig = np.abs(np.linalg.eigvalsh(np.nan_to_num(hessian(surface, x1, x2), nan=0.0, posinf=0.0,
                                                          neginf=0.0))).max(axis=1)
            eig = eig[eig > 0]
            curvature = float(np.median(eig)) if eig.size else 0.0
    return curvature if 0 < curvature < np.inf else 0.0
