"""The update rules, one small pure step each (in the manner of optax).

Every rule is a pair of functions:

    init(x)                        -> state   (a NamedTuple of zero arrays shaped like x)
    update(x, state, grad, t, h)   -> (new x, new state)

`x` has shape (D, N): D coordinates (2 for a surface, any number for a model)
and N batch members. `grad(x)` returns the gradient with the shape of `x`;
`t` = 1, 2, ... is the epoch and `h` maps each hyperparameter name to an array
of shape (N,) (or a scalar), which broadcasts against x. All operations are
elementwise, so the same rules serve 2D points and parameter vectors alike.
The formulas are those of Dive into Deep Learning §7.2-7.8 (see DESIGN.md). Most
rules are chains of small pieces (`chain`, below), so a variant is a piece more.
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


class AmsGradState(NamedTuple):
    v: np.ndarray  # EMA of gradients
    s: np.ndarray  # EMA of squared gradients
    s_max: np.ndarray  # the largest s so far: the step size never grows back


class AdamaxState(NamedTuple):
    v: np.ndarray  # EMA of gradients
    u: np.ndarray  # the decayed running max of |g| (the ∞-norm in place of Adam's √s)


class NadamState(NamedTuple):
    v: np.ndarray  # EMA of gradients
    s: np.ndarray  # EMA of squared gradients
    mu_product: np.ndarray  # μ1·μ2·…·μt, the momentum schedule's product (PyTorch's state)


def _no_state(x):
    return NoState()


def _velocity(x):
    return VelocityState(np.zeros_like(x))


def _squares(x):
    return SquaresState(np.zeros_like(x))


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


# --- pieces: small transformations of the step's direction u, chained (optax's `chain`) ---------
#
# A piece is `init(x) -> state` and `update(u, state, x, t, h) -> (u, state)`; `chain(*pieces)` starts
# u at the gradient g, passes it through each piece and steps x ← x − u. A variant is a piece more
# or one piece swapped: AdaGrad and RMSProp differ only in how s accumulates.


class Piece(NamedTuple):
    init: Callable
    update: Callable
    prepare: Callable[[dict], dict] = dict  # per-run constants, as Rule.prepare


def chain(*pieces: Piece) -> Rule:
    def init(x):
        return tuple(piece.init(x) for piece in pieces)

    def update(x, state, grad: Grad, t, h):
        u, new = grad(x), []
        for piece, own in zip(pieces, state):
            u, own = piece.update(u, own, x, t, h)
            new.append(own)
        return x - u, tuple(new)

    def prepare(h):
        for piece in pieces:
            h = piece.prepare(h)
        return h

    return Rule(init, update, prepare)


def fields(state) -> dict[str, np.ndarray]:
    """A rule's state by field name (v, s, delta), through the pieces of a chain."""
    if hasattr(state, "_fields"):
        return state._asdict()
    return {name: value for part in state for name, value in fields(part).items()}


def tree_map(fn, state, *others):
    """fn applied field by field to one or more states of the same rule (optax's tree_map)."""
    if hasattr(state, "_fields"):
        return type(state)(*(fn(*values) for values in zip(state, *others)))
    return tuple(tree_map(fn, *parts) for parts in zip(state, *others))


def scale(name: str) -> Piece:
    """u ← h[name]·u (the learning rate, last in most chains)."""
    return Piece(_no_state, lambda u, state, x, t, h: (h[name] * u, state))


def trace(decay: str, dampening: str, bias_correction: str) -> Piece:
    """Momentum's velocity: v ← γ·v + (1 − d)·u, and u ← v [/(1 − γ^t)]."""

    def prepare(h):
        return {**h, "_keep": 1 - h[dampening], "_any_bias_correction": bool(np.any(h[bias_correction]))}

    def update(u, state, x, t, h):
        gamma = h[decay]
        v = gamma * state.v
        v += h["_keep"] * u  # in place on the new array: one allocation fewer
        if h["_any_bias_correction"]:
            return np.where(h[bias_correction], v / (1 - gamma**t), v), VelocityState(v)
        return v, VelocityState(v)

    return Piece(_velocity, update, prepare)


def scale_by_rms(decay: str | None) -> Piece:
    """u ← u/√(s + ε), where s adds up u² (decay None: AdaGrad) or averages it, s ← γ·s + (1 − γ)·u²."""

    def update(u, state, x, t, h):
        if decay is None:
            s = state.s + u * u
        else:
            s = h[decay] * state.s + (1 - h[decay]) * (u * u)
        return u / np.sqrt(s + h["eps"]), SquaresState(s)

    return Piece(_squares, update)


def scale_by_adadelta() -> Piece:
    """u ← √((Δ + ε)/(s + ε))·u, with s the average of u² and Δ of the result's square."""

    def update(u, state, x, t, h):
        rho, eps = h["rho"], h["eps"]
        s = rho * state.s + (1 - rho) * (u * u)
        g_prime = np.sqrt((state.delta + eps) / (s + eps)) * u
        delta = rho * state.delta + (1 - rho) * (g_prime * g_prime)
        return g_prime, AdaDeltaState(s, delta)

    return Piece(lambda x: AdaDeltaState(np.zeros_like(x), np.zeros_like(x)), update)


def scale_by_adam() -> Piece:
    """u ← v̂/(√ŝ + ε): Adam's two averages of u and u², each divided by its bias 1 − β^t."""

    def update(u, state, x, t, h):
        beta1, beta2 = h["beta1"], h["beta2"]
        v = beta1 * state.v + (1 - beta1) * u
        s = beta2 * state.s + (1 - beta2) * (u * u)
        v_hat = v / (1 - beta1**t)
        s_hat = s / (1 - beta2**t)
        return v_hat / (np.sqrt(s_hat) + h["eps"]), AdamState(v, s)

    return Piece(lambda x: AdamState(np.zeros_like(x), np.zeros_like(x)), update)


def scale_by_adamax() -> Piece:
    """η/(1 − β1^t)·v/m with m = max(β2·m, |u| + ε): Adam's √s replaced by a decayed maximum. η is in the
    piece, in torch.optim.Adamax's order (its clr = η/(1 − β1^t)), so the points agree to the last bits."""

    def update(u, state, x, t, h):
        beta1 = h["beta1"]
        v = state.v + (u - state.v) * (1 - beta1)  # PyTorch's lerp: the same last bits
        m = np.maximum(state.u * h["beta2"], np.abs(u) + h["eps"])
        return (h["lr"] / (1 - beta1**t)) * (v / m), AdamaxState(v, m)

    return Piece(lambda x: AdamaxState(np.zeros_like(x), np.zeros_like(x)), update)


def scale_by_radam() -> Piece:
    """Adam whose adaptive rate is used only once the variance of √ŝ is tractable (ρt > 5), times the
    rectification r; before that, plain momentum η·v̂. η is in the piece, in torch.optim.RAdam's order."""

    def update(u, state, x, t, h):
        beta1, beta2 = h["beta1"], h["beta2"]
        v = state.v + (u - state.v) * (1 - beta1)  # PyTorch's lerp and addcmul: the same last bits
        s = state.s * beta2 + (1 - beta2) * u * u
        corrected = v / (1 - beta1**t)
        bias2 = 1 - beta2**t
        rho_inf = 2 / (1 - beta2) - 1
        rho = rho_inf - 2 * t * beta2**t / bias2
        with np.errstate(invalid="ignore", divide="ignore"):  # r is used only where ρt > 5
            rect = ((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)) ** 0.5
            adaptive = corrected * h["lr"] * (bias2**0.5 / (np.sqrt(s) + h["eps"])) * rect
        return np.where(rho > 5, adaptive, corrected * h["lr"]), AdamState(v, s)

    return Piece(lambda x: AdamState(np.zeros_like(x), np.zeros_like(x)), update)


def scale_by_lion() -> Piece:
    """η·(sign(β1·v + (1 − β1)·u) + λ·x), then v ← β2·v + (1 − β2)·u (Lion: every coordinate steps by ±η,
    with decoupled weight decay λ)."""

    def update(u, state, x, t, h):
        step = np.sign(h["beta1"] * state.v + (1 - h["beta1"]) * u)
        return h["lr"] * (step + h["weight_decay"] * x), VelocityState(h["beta2"] * state.v + (1 - h["beta2"]) * u)

    return Piece(_velocity, update)


# --- the Adam family as torch.optim writes it: whole rules, since PyTorch changes x in two steps
# (AdamW's decay, then the step; NAdam's two terms), and the last bits follow the order of the steps ----


def torch_adam(decoupled: bool = False, amsgrad: bool = False) -> Rule:
    """torch.optim.Adam (λ: L2 in the gradient), AdamW (`decoupled`: x ← x·(1 − ηλ) first) and their
    `amsgrad` form (the largest s so far in the denominator: the effective rate never grows again)."""

    def update(x, state, grad: Grad, t, h):
        g = grad(x)
        beta1, beta2, lam = h["beta1"], h["beta2"], h["weight_decay"]
        if decoupled:
            x = x * (1 - h["lr"] * lam)
        elif np.any(lam):
            g = g + lam * x
        v = state.v + (g - state.v) * (1 - beta1)  # exp_avg.lerp_(grad, 1 − β1)
        s = state.s * beta2 + (1 - beta2) * g * g
        s_max = np.maximum(state.s_max, s) if amsgrad else state.s_max
        denom = np.sqrt(s_max if amsgrad else s) / np.sqrt(1 - beta2**t) + h["eps"]
        return x - (h["lr"] / (1 - beta1**t)) * (v / denom), AmsGradState(v, s, s_max)

    return Rule(lambda x: AmsGradState(*(np.zeros_like(x) for _ in range(3))), update)


def nadam_update(x, state, grad: Grad, t, h):
    """torch.optim.NAdam: Adam with Nesterov's look-ahead and the momentum schedule
    μt = β1·(1 − ½·0.96^(t·ψ)); its two terms are added to x one after the other, as PyTorch does."""
    g = grad(x)
    beta1, beta2, psi = h["beta1"], h["beta2"], h["momentum_decay"]
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (t * psi)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * psi)))
    product = (state.mu_product if t > 1 else 1.0) * mu
    v = state.v + (g - state.v) * (1 - beta1)
    s = state.s * beta2 + (1 - beta2) * g * g
    denom = np.sqrt(s / (1 - beta2**t)) + h["eps"]
    x = x + (-h["lr"] * (1.0 - mu) / (1.0 - product)) * (g / denom)
    x = x + ((-h["lr"] * mu_next) / (1.0 - product * mu_next)) * (v / denom)
    return x, NadamState(v, s, np.broadcast_to(product, x.shape).copy())


def add_decayed_weights(name: str) -> Piece:
    """u ← u + λ·x: L2 regularization in the gradient (PyTorch's weight_decay of Adam, before the rule)."""
    return Piece(_no_state, lambda u, state, x, t, h: (u + h[name] * x if np.any(h[name]) else u, state))


# --- Nesterov: v ← γ·v + η·∇f(x − γ·v); x ← x − v (its gradient is taken elsewhere, so it is whole) ----


def nesterov_update(x, state, grad: Grad, t, h):
    gamma = h["momentum"]
    v = gamma * state.v + h["lr"] * grad(x - gamma * state.v)
    return x - v, VelocityState(v)


GD = chain(scale("lr"))  # x ← x − η·g
SGD = Rule(_no_state, sgd_update)
MOMENTUM = chain(scale("lr"), trace("momentum", "dampening", "bias_correction"))
NESTEROV = Rule(_velocity, nesterov_update)
ADAGRAD = chain(scale_by_rms(None), scale("lr"))
RMSPROP = chain(scale_by_rms("gamma"), scale("lr"))
ADADELTA = chain(scale_by_adadelta(), scale("lr"))
ADAM = chain(add_decayed_weights("weight_decay"), scale_by_adam(), scale("lr"))
ADAMW = torch_adam(decoupled=True)
AMSGRAD = torch_adam(amsgrad=True)
ADAMAX = chain(scale_by_adamax())
NADAM = Rule(lambda x: NadamState(*(np.zeros_like(x) for _ in range(3))), nadam_update)
RADAM = chain(scale_by_radam())
LION = chain(scale_by_lion())
