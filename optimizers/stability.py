"""Linear stability of GD, heavy-ball momentum and Nesterov on quadratics.

Along an eigenvector of the Hessian with eigenvalue λ, write a = η·λ. Each method
is then a linear map of its state (x, v), one 2×2 matrix per direction:

    GD         x' = (1 − a)·x                          (1×1)
    momentum   v' = γ·v + a·x,        x' = x − v'     → [[1 − a, −γ], [a, γ]]
    Nesterov   v' = γ·v + a·(x − γv), x' = x − v'     → [[1 − a, −γ(1 − a)], [a, γ(1 − a)]]

A run converges iff the spectral radius ρ of every direction's matrix is < 1;
ρ is also the factor by which the error shrinks per epoch (the Distill article
"Why Momentum Really Works"). From the Jury criterion: GD is stable for
0 < a < 2, momentum for 0 < a < 2(1 + γ), Nesterov for 0 < a < 2(1 + γ)/(1 + 2γ).
"""

from __future__ import annotations

import numpy as np

ANALYSED = ("gd", "momentum", "nesterov")


def iteration_matrix(optimizer: str, a, gamma=0.0) -> np.ndarray:
    """The matrices M with (x', v') = M (x, v), shape (..., 2, 2) (for GD v stays 0)."""
    a, gamma = np.broadcast_arrays(np.asarray(a, float), np.asarray(gamma, float))
    m = np.zeros(a.shape + (2, 2))
    if optimizer == "gd":
        m[..., 0, 0] = 1 - a
    elif optimizer == "momentum":
        m[..., 0, 0], m[..., 0, 1], m[..., 1, 0], m[..., 1, 1] = 1 - a, -gamma, a, gamma
    elif optimizer == "nesterov":
        m[..., 0, 0], m[..., 0, 1] = 1 - a, -gamma * (1 - a)
        m[..., 1, 0], m[..., 1, 1] = a, gamma * (1 - a)
    else:
        raise ValueError(f"no linear analysis for {optimizer!r}; it exists for: {', '.join(ANALYSED)}")
    return m


def spectral_radius(optimizer: str, lr, gamma, eigenvalues) -> np.ndarray:
    """max over the Hessian's eigenvalues λ of ρ(M(ηλ, γ)): the worst contraction per epoch.

    Computed from the characteristic polynomial z² − tr·z + det (closed form, vectorized)."""
    lr, gamma = np.broadcast_arrays(np.asarray(lr, float), np.asarray(gamma, float))
    worst = np.zeros(lr.shape)
    for lam in eigenvalues:
        worst = np.maximum(worst, direction_factor(optimizer, lr * lam, gamma))
    return worst


def direction_factor(optimizer: str, a, gamma=0.0) -> np.ndarray:
    """ρ(M(a, γ)) for one direction."""
    a, gamma = np.broadcast_arrays(np.asarray(a, float), np.asarray(gamma, float))
    if optimizer == "gd":
        return np.abs(1 - a)
    if optimizer == "momentum":
        trace, det = 1 - a + gamma, gamma
    elif optimizer == "nesterov":
        trace, det = (1 - a) * (1 + gamma), gamma * (1 - a)
    else:
        raise ValueError(f"no linear analysis for {optimizer!r}; it exists for: {', '.join(ANALYSED)}")
    root = np.sqrt((trace * trace - 4 * det).astype(complex))
    return np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))


def stable_lr_limit(optimizer: str, gamma: float, lambda_max: float) -> float:
    """The largest stable η: 2/λ, 2(1 + γ)/λ or 2(1 + γ)/((1 + 2γ)λ)."""
    if optimizer == "gd":
        return 2 / lambda_max
    if optimizer == "momentum":
        return 2 * (1 + gamma) / lambda_max
    if optimizer == "nesterov":
        return 2 * (1 + gamma) / ((1 + 2 * gamma) * lambda_max)
    raise ValueError(f"no linear analysis for {optimizer!r}; it exists for: {', '.join(ANALYSED)}")
