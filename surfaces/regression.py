"""Linear regression as a surface: half the mean squared error over (intercept, slope).

Seed 002's data: x ~ U(0, 1), y = 2 + 3x + noise·N(0, 1), from NumPy's legacy
generator seeded with 42 (as `np.random.seed(42)` there). Its gradient, as in the
seed's code, is (1/n)·Xᵀ(Xθ − y), which is the gradient of ½·MSE.

f is a mean over examples, so minibatch SGD has a true minibatch gradient here
(`Examples.minibatch_gradient`): the same formula with the moments of the batch.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .surface import Surface


def _gradient(b, w, mx, mxx, my, mxy):
    """∇ of ½·mean((b + w·x − y)²) from the moments of x and y over the examples averaged."""
    return b + w * mx - my, b * mx + w * mxx - mxy


@dataclass(frozen=True, eq=False)
class Examples:
    """The data behind a surface whose f is the mean of ½(b + w·xᵢ − yᵢ)² over the examples."""

    x: np.ndarray
    y: np.ndarray

    @property
    def n(self) -> int:
        return len(self.x)

    @functools.cached_property
    def moments(self) -> np.ndarray:
        """Means of x, x², y and xy over all examples: (4,)."""
        x, y = self.x, self.y
        return np.array([x.mean(), (x * x).mean(), y.mean(), (x * y).mean()])

    def minibatch_gradient(self, point: np.ndarray, t: int, seed, size) -> np.ndarray:
        """The gradient at `point` (2, N) of the mean loss over `size` (N,) examples drawn without
        replacement for step t: the first `size` of a permutation drawn from a generator seeded
        with (seed, t). Members with the same seed share the permutation, whatever batch they are
        computed in; `size` = n is the full gradient, bit for bit."""
        seed = np.broadcast_to(np.asarray(seed, dtype=np.int64), point.shape[1:])
        size = np.broadcast_to(np.asarray(size, dtype=np.int64), point.shape[1:])
        unique, member = np.unique(seed, return_inverse=True)
        sums = np.empty((len(unique), 4, self.n))  # running sums of x, x², y, xy in each seed's order
        for k, s in enumerate(unique):
            order = np.random.default_rng((int(s), t)).permutation(self.n)
            x, y = self.x[order], self.y[order]
            np.cumsum(np.stack([x, x * x, y, x * y]), axis=1, out=sums[k])
        member = member.reshape(seed.shape)
        moments = sums[member, :, size - 1] / size[..., None]  # (N, 4)
        moments = np.where((size == self.n)[..., None], self.moments, moments)
        return np.stack(_gradient(point[0], point[1], *np.moveaxis(moments, -1, 0)))


@functools.lru_cache(maxsize=32)
def regression_surface(n: int = 100, noise: float = 1.0, seed: int = 42) -> Surface:
    if not (2 <= n <= 10_000) or not (0 <= noise <= 100):
        raise ValueError("regression data needs 2 ≤ n ≤ 10000 points and noise in [0, 100]")
    rng = np.random.RandomState(seed)
    x = rng.rand(n)
    y = 2 + 3 * x + noise * rng.randn(n)
    design = np.stack([np.ones(n), x], axis=1)
    examples = Examples(x, y)
    # f is quadratic: keep its moments, so f and ∇f cost O(1) per point of the plane
    mx, mxx, my, mxy = examples.moments
    myy = (y * y).mean()

    def f(b, w):
        return 0.5 * (b * b + 2 * b * w * mx + w * w * mxx - 2 * b * my - 2 * w * mxy + myy)

    def grad(b, w):
        return _gradient(b, w, mx, mxx, my, mxy)

    best = np.linalg.lstsq(design, y, rcond=None)[0]
    hessian = np.array([[1.0, mx], [mx, mxx]])
    return Surface(
        "regression",
        "Linear regression ½·MSE(b, w)",
        f,
        grad,
        latex=r"f(b, w) = \tfrac{1}{2n} \sum_{i=1}^{n} (b + w\,x_i - y_i)^2",
        bounds=((-1.5, 5.0), (-1.5, 6.0)),
        start=(0.0, 0.0),
        lr=0.1,
        minima=((float(best[0]), float(best[1])),),
        hessian_eigenvalues=tuple(float(v) for v in np.linalg.eigvalsh(hessian)),
        axis_names=("b (intercept)", "w (slope)"),
        words={"zh": {"name": "线性回归 ½·MSE(b, w)", "axis_1": "b（截距）", "axis_2": "w（斜率）"}},
        source=f"seed 002: y = 2 + 3x + noise, {n} points, noise σ = {noise:g}, seed {seed}",
        examples=examples,
    )
