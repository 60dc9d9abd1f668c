"""Linear regression as a surface: half the mean squared error over (intercept, slope).

Seed 002's data: x ~ U(0, 1), y = 2 + 3x + noise·N(0, 1), from NumPy's legacy
generator seeded with 42 (as `np.random.seed(42)` there). Its gradient, as in the
seed's code, is (1/n)·Xᵀ(Xθ − y), which is the gradient of ½·MSE.
"""

from __future__ import annotations

import functools

import numpy as np

from .surface import Surface


@functools.lru_cache(maxsize=32)
def regression_surface(n: int = 100, noise: float = 1.0, seed: int = 42) -> Surface:
    if not (2 <= n <= 10_000) or not (0 <= noise <= 100):
        raise ValueError("regression data needs 2 ≤ n ≤ 10000 points and noise in [0, 100]")
    rng = np.random.RandomState(seed)
    x = rng.rand(n)
    y = 2 + 3 * x + noise * rng.randn(n)
    design = np.stack([np.ones(n), x], axis=1)
    # f is quadratic: keep its moments, so f and ∇f cost O(1) per point of the plane
    mx, mxx, my, mxy, myy = x.mean(), (x * x).mean(), y.mean(), (x * y).mean(), (y * y).mean()

    def f(b, w):
        return 0.5 * (b * b + 2 * b * w * mx + w * w * mxx - 2 * b * my - 2 * w * mxy + myy)

    def grad(b, w):
        return b + w * mx - my, b * mx + w * mxx - mxy

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
        source=f"seed 002: y = 2 + 3x + noise, {n} points, noise σ = {noise:g}, seed {seed}",
        extra={"x": x, "y": y},
    )
