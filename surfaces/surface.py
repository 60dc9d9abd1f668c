"""The Surface type: a 2D function with its analytic gradient and what the plots need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from collections.abc import Callable

import numpy as np

if TYPE_CHECKING:
    from .regression import Examples

Bounds = tuple[tuple[float, float], tuple[float, float]]
DIVERGENCE_BOUND = 1e12


def undefined_at(point, loss, bound: float = DIVERGENCE_BOUND):
    """Is a NaN loss at `point` an undefined f (a typed log of a negative number), rather than
    an overflow (inf − inf), which happens only beyond the divergence bound? Points (..., 2) with their
    losses (...) give one answer each."""
    return np.isnan(loss) & (np.abs(point).max(axis=-1) < bound)


@dataclass(frozen=True)
class Surface:
    """A loss surface f(x1, x2).

    `f` and `grad` broadcast over arrays: `f(x1, x2)` has the broadcast shape and
    `grad(x1, x2)` returns the pair (∂f/∂x1, ∂f/∂x2). `bounds` is the plot range
    ((x1 min, x1 max), (x2 min, x2 max)); a run has diverged once a coordinate is
    non-finite or larger than `divergence_bound` in absolute value.
    """

    key: str
    name: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    latex: str
    bounds: Bounds
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...] = ()
    hessian_eigenvalues: tuple[float, ...] | None = None  # only for quadratics
    divergence_bound: float = DIVERGENCE_BOUND
    # a learning rate for GD-like methods that shows something worth seeing from `start`
    # (None: from the curvature over the plot, see critical.suggested_lr)
    lr: float | None = None
    source: str = ""
    log_contours: bool = True  # colour the contour on a log scale of f − min f
    axis_names: tuple[str, str] = ("x1", "x2")
    # f as a Python expression in x1, x2 with torch's functions (for the PyTorch snippet); "" if none
    code: str = ""
    # an optional faster form of `gradient` on stacked points (same values as `grad`)
    stacked_grad: Callable[[np.ndarray], np.ndarray] | None = field(default=None, compare=False)
    # the data, where f is a mean over examples (regression): minibatch SGD draws from it
    examples: Examples | None = field(default=None, compare=False)
    extra: dict = field(default_factory=dict, compare=False)
    # its words in other languages: {"zh": {"name": …, "axis_1": …, "axis_2": …}}; English is above
    words: dict = field(default_factory=dict, compare=False)

    @property
    def is_quadratic(self) -> bool:
        return self.hessian_eigenvalues is not None

    def in_plot(self, point) -> bool:
        """Is `point` (x1, x2) within the plot's bounds, edges included?"""
        (a, b), (c, d) = self.bounds
        return bool(a <= point[0] <= b and c <= point[1] <= d)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """The gradient of stacked points x of shape (2, ...), with the same shape."""
        if self.stacked_grad is not None:
            return self.stacked_grad(x)
        g1, g2 = self.grad(x[0], x[1])
        out = np.empty_like(x)
        out[0] = g1
        out[1] = g2
        return out

    def floor(self, size: int = 120) -> float:
        """The lowest known value: at the listed minima, else the lowest on a grid over the bounds."""
        with np.errstate(all="ignore"):
            if self.minima:
                return min(float(self.f(np.float64(a), np.float64(b))) for a, b in self.minima)
            (a, b), (c, d) = self.bounds
            z = np.asarray(self.f(np.linspace(a, b, size)[None, :], np.linspace(c, d, size)[:, None]), float)
        z = z[np.isfinite(z)]
        return float(z.min()) if z.size else 0.0
