"""Linear stability of GD, heavy-ball momentum and Nesterov on quadratics.

Along an eigenvector of the Hessian with eigenvalue λ, write a = η·λ (for momentum
with dampening d the step is (1 − d)·η, so a = (1 − d)·η·λ). Each method is then a
linear map of its state (x, v), one 2×2 matrix per direction:

    GD         x' = (1 − a)·x                          (1×1)
    momentum   v' = γ·v + a·x,        x' = x − v'     → [[1 − a, −γ], [a, γ]]
    Nesterov   v' = γ·v + a·(x − γv), x' = x − v'     → [[1 − a, −γ(1 − a)], [a, γ(1 − a)]]

A run converges iff the spectral radius ρ of every direction's matrix is < 1;
ρ is also the factor by which the error shrinks per epoch (the Distill article
"Why Momentum Really Works"). From the Jury criterion: GD is stable for
0 < a < 2, momentum for 0 < a < 2(1 + γ), Nesterov for 0 < a < 2(1 + γ)/(1 + 2γ).
SGD is GD plus noise: its mean error follows GD, and the noise keeps it from reaching 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ANALYSED = ("gd", "momentum", "nesterov")
READOUT = ANALYSED + ("sgd",)  # the explorer's readout also covers SGD: GD plus noise


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
    with np.errstate(over="ignore", invalid="ignore"):  # a link's η = 1e308: ηλ and the terms pass any float
        if optimizer == "momentum":
            trace, det = 1 - a + gamma, gamma
        elif optimizer == "nesterov":
            trace, det = (1 - a) * (1 + gamma), gamma * (1 - a)
        else:
            raise ValueError(f"no linear analysis for {optimizer!r}; it exists for: {', '.join(ANALYSED)}")
        # where tr² would overflow, the roots of the polynomial scaled by s = |tr| (ρ scales with s)
        scale = np.where(np.abs(trace) > 1e150, np.abs(trace), 1.0)
        trace, det = trace / scale, det / scale / scale
        root = np.sqrt((trace * trace - 4 * det).astype(complex))
        rho = scale * np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))
    return np.where(np.isnan(rho), np.inf, rho)  # ηλ itself overflowed: a factor beyond any float


def stable_lr_limit(optimizer: str, gamma: float, lambda_max: float, dampening: float = 0.0) -> float:
    """The largest stable η: 2/λ, 2(1 + γ)/((1 − d)λ) or 2(1 + γ)/((1 + 2γ)λ); inf when d = 1."""
    if optimizer in ("gd", "sgd"):
        return 2 / lambda_max
    if optimizer == "momentum":
        return 2 * (1 + gamma) / ((1 - dampening) * lambda_max) if dampening < 1 else np.inf
    if optimizer == "nesterov":
        return 2 * (1 + gamma) / ((1 + 2 * gamma) * lambda_max)
    raise ValueError(f"no linear analysis for {optimizer!r}; it exists for: {', '.join(ANALYSED)}")


# ρ closer to 1 than this is "on the edge": the error neither shrinks nor grows
EDGE = 1e-9


@dataclass(frozen=True)
class Readout:
    """What the linear analysis says about one run on a quadratic.

    status: "stable", "edge" (ρ = 1: the error neither shrinks nor grows) or "unstable";
    or why no single answer exists: "no_step" (d = 1, x never moves) and
    "bias_correction" (the step v/(1 − γ^t) changes every epoch)."""

    status: str
    lam_max: float
    limit: float = np.inf  # the largest stable η
    rates: tuple[tuple[float, float], ...] = ()  # (λ, ρ) per eigenvalue: the error's factor per epoch
    quiet: tuple[float, ...] = ()  # the λ whose direction holds no error at the start (nothing there to grow)
    spread: tuple[float, float] | None = None  # SGD: (λ, the error's settled standard deviation) at its largest

    @property
    def grows(self) -> bool:
        """Does the run's error grow? Unstable along a direction that holds some error."""
        return self.status == "unstable" and any(rho > 1 + EDGE and lam not in self.quiet for lam, rho in self.rates)


def readout(optimizer: str, values: dict, eigenvalues, components=None) -> Readout | None:
    """The readout of one run with hyperparameters `values` on a quadratic with these Hessian
    eigenvalues; None where there is no linear analysis. `components`: the start's error along
    each eigenvector (same order); a direction with none cannot grow, except under SGD's noise."""
    if optimizer not in READOUT:
        return None
    eigenvalues = tuple(float(lam) for lam in eigenvalues)
    lam_max = max(eigenvalues)
    if values.get("bias_correction"):
        return Readout("bias_correction", lam_max)
    gamma, dampening = float(values.get("momentum", 0.0)), float(values.get("dampening", 0.0))
    if dampening >= 1:
        return Readout("no_step", lam_max)
    kind = "gd" if optimizer == "sgd" else optimizer
    step = (1 - dampening) * values["lr"]
    rates = tuple((lam, float(direction_factor(kind, step * lam, gamma))) for lam in eigenvalues)
    worst = max(rho for _, rho in rates)
    status = "stable" if worst < 1 - EDGE else "unstable" if worst > 1 + EDGE else "edge"
    noise = float(values.get("noise", 0.0)) if optimizer == "sgd" else 0.0
    quiet = () if components is None or noise > 0 else tuple(
        lam for lam, c in zip(eigenvalues, components) if c == 0)
    spread = None
    if status == "stable" and noise > 0:
        # e' = (1 − a)e − ησξ settles where its variance is η²σ²/(1 − (1 − a)²)
        spread = max(((lam, step * noise / np.sqrt(1 - (1 - step * lam) ** 2)) for lam in eigenvalues),
                     key=lambda pair: pair[1])
    return Readout(status, lam_max, stable_lr_limit(kind, gamma, lam_max, dampening), rates, quiet, spread)


def eigenbasis(surface) -> tuple[np.ndarray, np.ndarray]:
    """A quadratic surface's minimum x* and its Hessian's unit eigenvectors (columns), in the order of
    `surface.hessian_eigenvalues`."""
    minimum = np.array(surface.minima[0], float)
    # the gradient of a quadratic is affine: its differences are the Hessian's columns
    columns = surface.gradient(minimum[:, None] + np.eye(2)) - surface.gradient(minimum[:, None] + np.zeros((2, 2)))
    _, vectors = np.linalg.eigh((columns + columns.T) / 2)
    order = np.argsort(np.argsort(surface.hessian_eigenvalues))  # each given λ's rank among the sorted ones
    return minimum, vectors[:, order]


def eigen_errors(surface, points) -> np.ndarray:
    """|(x − x*)·qᵢ| for each point (…, 2): the error along each eigenvector of a quadratic's Hessian,
    (…, n) in the order of `surface.hessian_eigenvalues`. Along each, GD's error is multiplied by
    |1 − ηλ| every epoch, the other linear methods' by at most ρ (Distill's "Why momentum really works")."""
    minimum, vectors = eigenbasis(surface)
    return np.abs((np.asarray(points, float) - minimum) @ vectors)


def error_components(surface, start, tolerance: float = 1e-12) -> np.ndarray:
    """The start's error x0 − x* along each eigenvector of a quadratic surface's Hessian, in
    the order of `surface.hessian_eigenvalues`; components below `tolerance` of the error's
    size are 0 (a start on an eigenvector's line: rounding leaves a few 1e-17)."""
    minimum, vectors = eigenbasis(surface)
    error = np.asarray(start, float) - minimum
    along = vectors.T @ error
    along[np.abs(along) <= tolerance * np.linalg.norm(error)] = 0.0
    return along
