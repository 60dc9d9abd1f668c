"""The update rules, one small pure step each (in the manner of optax).

Every rule is a pair of functions:

    init(x)                        -> state   (a NamedTuple of zero arrays shaped like x)
    update(x, state, grad, t, h)   -> (new x, new state)

`x` has shape (D, N): D coordinates (2 for a surface, any number for a model)
and N batch members. `grad(x)` returns the gradient with the shape of `x`;
`t` = 1, 2, ... is the epoch and `h` maps each hyperparameter name to an array
of shape (N,) (or a scalar), which broadcasts against x. All operations are
elementwise, so the same rules serve 2D points and parameter vectors alike.
The formulas are those of Dive into Deep Learning §7.2-7.8 (see DESIGN.md).
"""

from __future__ import annotations

from typing import NamedTuple
from collections.abc import Callable

import numpy as np

Grad = Callable[[np.ndarray], np.ndarray]


class Rule(NamedTuple):
    init: Callable
    update: Callable
    # derives per-run constants from the hyperparameters once, not every epoch
    prepare: Callable[[dict], dict] = dict


class NoState(NamedTuple):
    pass


class VelocityState(NamedTuple):
    v: np.ndarray  # velocity, shape of x


class SquaresState(NamedTuple):
    s: np.ndarray  # accumulated (or averaged) squared gradients, shape of x


class AdaDeltaState(NamedTuple):
    s: np.ndarray  # EMA of squared gradients
    delta: np.ndarray  # EMA of squared updates, Δx in the textbook


class AdamState(NamedTuple):
    v: np.ndarray  # EMA of gradients (first moment)
    s: np.ndarray  # EMA of squared gradients (second moment)


def _no_state(x):
    return NoState()


def _velocity(x):
    return VelocityState(np.zeros_like(x))


def _squares(x):
    return SquaresState(np.zeros_like(x))


# --- gradient descent: x ← x − η·g -------------------------------------------------


def gd_update(x, state, grad: Grad, t, h):
    return x - h["lr"] * grad(x), state


# --- stochastic gradient descent: g̃ = g + σ·ξ, or a minibatch's gradient; x ← x − η·g̃ ----


class MinibatchGradient(NamedTuple):
    """The gradient of a loss that is a mean over examples: called, over all of them;
    `sample(x, t, seed, size)`, over `size` examples drawn for step t."""

    full: Grad
    sample: Callable

    def __call__(self, x):
        return self.full(x)


def gaussian_noise(seed, t: int, shape) -> np.ndarray:
    """ξ_t ~ N(0, I), drawn from a generator seeded with (seed, t).

    Members that share a seed see the same noise sequence whatever the batch they
    are computed in, so a batch equals its members run one by one, and two learning
    rates can be compared under the same noise.
    """
    seed = np.broadcast_to(np.asarray(seed, dtype=np.int64), shape[1:])
    unique, member = np.unique(seed, return_inverse=True)
    table = np.stack(
        [np.random.default_rng((int(s), t)).standard_normal(shape[0]) for s in unique], axis=1
    )
    return table[:, member.reshape(seed.shape)]


def sgd_update(x, state, grad: Grad, t, h):
    if isinstance(grad, MinibatchGradient):  # data to draw from: the noise is the minibatch's own
        return x - h["lr"] * grad.sample(x, t, h["seed"], h["batch_size"]), state
    noisy = grad(x) + h["noise"] * gaussian_noise(h["seed"], t, x.shape)
    return x - h["lr"] * noisy, state


# --- momentum (heavy ball): v ← γ·v + (1 − d)·η·g; x ← x − v [/(1 − γ^t)] -----------


def _momentum_prepare(h):
    return {**h, "scale": (1 - h["dampening"]) * h["lr"], "any_bias_correction": bool(np.any(h["bias_correction"]))}


def momentum_update(x, state, grad: Grad, t, h):
    gamma = h["momentum"]
    v = gamma * state.v
    v += h["scale"] * grad(x)  # in place on the new array: one allocation fewer
    if h["any_bias_correction"]:
        return x - np.where(h["bias_correction"], v / (1 - gamma**t), v), VelocityState(v)
    return x - v, VelocityState(v)


# --- Nesterov: v ← γ·v + η·∇f(x − γ·v); x ← x − v ------------------------------------


def nesterov_update(x, state, grad: Grad, t, h):
    gamma = h["momentum"]
    v = gamma * state.v + h["lr"] * grad(x - gamma * state.v)
    return x - v, VelocityState(v)


# --- AdaGrad: s ← s + g²; x ← x − η·g/√(s + ε) ---------------------------------------


def adagrad_update(x, state, grad: Grad, t, h):
    g = grad(x)
    s = state.s + g * g
    return x - h["lr"] * g / np.sqrt(s + h["eps"]), SquaresState(s)


# --- RMSProp: s ← γ·s + (1 − γ)·g²; x ← x − η·g/√(s + ε) -----------------------------


def rmsprop_update(x, state, grad: Grad, t, h):
    g = grad(x)
    gamma = h["gamma"]
    s = gamma * state.s + (1 - gamma) * (g * g)
    return x - h["lr"] * g / np.sqrt(s + h["eps"]), SquaresState(s)


# --- AdaDelta: s ← ρ·s + (1 − ρ)·g²; g′ = √((Δ + ε)/(s + ε))·g; x ← x − η·g′;
#               Δ ← ρ·Δ + (1 − ρ)·g′² ----------------------------------------------------


def _adadelta_init(x):
    return AdaDeltaState(np.zeros_like(x), np.zeros_like(x))


def adadelta_update(x, state, grad: Grad, t, h):
    g = grad(x)
    rho, eps = h["rho"], h["eps"]
    s = rho * state.s + (1 - rho) * (g * g)
    g_prime = np.sqrt((state.delta + eps) / (s + eps)) * g
    delta = rho * state.delta + (1 - rho) * (g_prime * g_prime)
    return x - h["lr"] * g_prime, AdaDeltaState(s, delta)


# --- Adam: v ← β1·v + (1 − β1)·g; s ← β2·s + (1 − β2)·g²; v̂ = v/(1 − β1^t);
#           ŝ = s/(1 − β2^t); x ← x − η·v̂/(√ŝ + ε) -----------------------------------


def _adam_init(x):
    return AdamState(np.zeros_like(x), np.zeros_like(x))


def adam_update(x, state, grad: Grad, t, h):
    g = grad(x)
    beta1, beta2 = h["beta1"], h["beta2"]
    v = beta1 * state.v + (1 - beta1) * g
    s = beta2 * state.s + (1 - beta2) * (g * g)
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return x - h["lr"] * v_hat / (np.sqrt(s_hat) + h["eps"]), AdamState(v, s)


GD = Rule(_no_state, gd_update)
SGD = Rule(_no_state, sgd_update)
MOMENTUM = Rule(_velocity, momentum_update, _momentum_prepare)
NESTEROV = Rule(_velocity, nesterov_update)
ADAGRAD = Rule(_squares, adagrad_update)
RMSPROP = Rule(_squares, rmsprop_update)
ADADELTA = Rule(_adadelta_init, adadelta_update)
ADAM = Rule(_adam_init, adam_update)
