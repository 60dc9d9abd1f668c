"""Plain scalar steps, transcribed straight from DESIGN.md's update rules.

One run at a time, Python floats, one coordinate after the other: the slow, obvious
form that the batched rules of rules.py must agree with (as PyTorch keeps
`_single_tensor_sgd` beside its `foreach` form). Each registry entry names its step;
`reference_run` iterates any of them.

A step is `step(x, state, grad, t, h)`: it updates the point x (a list of two floats)
and its state (a dict of such lists, all starting at zero) in place, where `grad(p)` is
the gradient at a point p and `h` the hyperparameters' values at epoch t.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np


def gd(x, state, grad, t, h):
    g = grad(x)
    for i in range(2):
        x[i] = x[i] - h["lr"] * g[i]


def sgd(x, state, grad, t, h):
    g = grad(x)
    xi = np.random.default_rng((int(h["seed"]), t)).standard_normal(2)
    for i in range(2):
        x[i] = x[i] - h["lr"] * (g[i] + h["noise"] * float(xi[i]))


def momentum(x, state, grad, t, h):
    g, v, gamma = grad(x), state["v"], h["momentum"]
    for i in range(2):
        v[i] = gamma * v[i] + (1 - h["dampening"]) * (h["lr"] * g[i])
        x[i] = x[i] - (v[i] / (1 - gamma**t) if h["bias_correction"] else v[i])


def nesterov(x, state, grad, t, h):
    v = state["v"]
    g = grad([x[i] - h["momentum"] * v[i] for i in range(2)])  # the gradient at the look-ahead point
    for i in range(2):
        v[i] = h["momentum"] * v[i] + h["lr"] * g[i]
        x[i] = x[i] - v[i]


def adagrad(x, state, grad, t, h):
    g, s = grad(x), state["s"]
    for i in range(2):
        s[i] = s[i] + g[i] * g[i]
        x[i] = x[i] - h["lr"] * (g[i] / math.sqrt(s[i] + h["eps"]))


def rmsprop(x, state, grad, t, h):
    g, s = grad(x), state["s"]
    for i in range(2):
        s[i] = h["gamma"] * s[i] + (1 - h["gamma"]) * (g[i] * g[i])
        x[i] = x[i] - h["lr"] * (g[i] / math.sqrt(s[i] + h["eps"]))


def adadelta(x, state, grad, t, h):
    g, s, delta, rho, eps = grad(x), state["s"], state["delta"], h["rho"], h["eps"]
    for i in range(2):
        s[i] = rho * s[i] + (1 - rho) * (g[i] * g[i])
        g_prime = math.sqrt((delta[i] + eps) / (s[i] + eps)) * g[i]
        x[i] = x[i] - h["lr"] * g_prime
        delta[i] = rho * delta[i] + (1 - rho) * (g_prime * g_prime)


def adam(x, state, grad, t, h):
    g, v, s, b1, b2, wd = grad(x), state["v"], state["s"], h["beta1"], h["beta2"], h.get("weight_decay", 0.0)
    for i in range(2):
        gi = g[i] + wd * x[i] if wd else g[i]  # L2 in the gradient, as torch's Adam(weight_decay=λ)
        v[i] = b1 * v[i] + (1 - b1) * gi
        s[i] = b2 * s[i] + (1 - b2) * (gi * gi)
        v_hat = v[i] / (1 - b1**t)
        s_hat = s[i] / (1 - b2**t)
        x[i] = x[i] - h["lr"] * (v_hat / (math.sqrt(s_hat) + h["eps"]))


# --- the optimizers after the textbook, each as torch.optim's single-tensor loop writes it (torch 2.x,
# maximize=False, foreach=False), one coordinate at a time; Lion as its paper's pseudo-code ---------


def torch_adam(x, g, state, t, h, amsgrad=False):
    """torch.optim.Adam's step from the gradient g (taken before any decay of x)."""
    v, s, m, b1, b2 = state["v"], state["s"], state["s_max"], h["beta1"], h["beta2"]
    for i in range(2):
        v[i] = v[i] + (g[i] - v[i]) * (1 - b1)  # exp_avg.lerp_(grad, 1 - beta1)
        s[i] = s[i] * b2 + (1 - b2) * g[i] * g[i]
        step_size = h["lr"] / (1 - b1**t)
        if amsgrad:
            m[i] = max(m[i], s[i])
        denom = math.sqrt(m[i] if amsgrad else s[i]) / math.sqrt(1 - b2**t) + h["eps"]
        x[i] = x[i] - step_size * (v[i] / denom)


def adamw(x, state, grad, t, h):
    """torch.optim.AdamW: the gradient at x, then the decay x ← x·(1 − ηλ), then Adam's step."""
    g = grad(x)
    for i in range(2):
        x[i] = x[i] * (1 - h["lr"] * h["weight_decay"])
    torch_adam(x, g, state, t, h)


def amsgrad(x, state, grad, t, h):
    """torch.optim.Adam(amsgrad=True, weight_decay=λ): λ·x added to the gradient."""
    g = grad(x)
    if h["weight_decay"]:
        g = [g[i] + h["weight_decay"] * x[i] for i in range(2)]
    torch_adam(x, g, state, t, h, amsgrad=True)


def adamax(x, state, grad, t, h):
    """torch.optim.Adamax."""
    g, v, u, b1, b2 = grad(x), state["v"], state["u"], h["beta1"], h["beta2"]
    for i in range(2):
        v[i] = v[i] + (g[i] - v[i]) * (1 - b1)  # exp_avg.lerp_(grad, 1 - beta1)
        u[i] = max(u[i] * b2, abs(g[i]) + h["eps"])
        clr = h["lr"] / (1 - b1**t)
        x[i] = x[i] - clr * (v[i] / u[i])


def _pow(a: float, b: float) -> float:
    """a**b by NumPy's pow, as the batch takes it: libm's differs in the last bit, and NAdam's momentum
    schedule on Himmelblau's surface magnifies that past 1e-12."""
    return float(np.power(np.array([a]), b)[0])


def nadam(x, state, grad, t, h):
    """torch.optim.NAdam, with its momentum schedule μt = β1·(1 − ½·0.96^(t·ψ))."""
    g, v, s, b1, b2, psi = grad(x), state["v"], state["s"], h["beta1"], h["beta2"], h["momentum_decay"]
    if t == 1:
        state["mu_product"][0] = 1.0
    mu = b1 * (1.0 - 0.5 * _pow(0.96, t * psi))
    mu_next = b1 * (1.0 - 0.5 * _pow(0.96, (t + 1) * psi))
    state["mu_product"][0] *= mu
    product = state["mu_product"][0]
    for i in range(2):
        v[i] = v[i] + (g[i] - v[i]) * (1 - b1)
        s[i] = s[i] * b2 + (1 - b2) * g[i] * g[i]
        denom = math.sqrt(s[i] / (1 - _pow(b2, t))) + h["eps"]
        x[i] = x[i] + (-h["lr"] * (1.0 - mu) / (1.0 - product)) * (g[i] / denom)
        x[i] = x[i] + ((-h["lr"] * mu_next) / (1.0 - product * mu_next)) * (v[i] / denom)


def radam(x, state, grad, t, h):
    """torch.optim.RAdam: the adaptive rate, rectified, once ρt > 5; plain momentum before."""
    g, v, s, b1, b2 = grad(x), state["v"], state["s"], h["beta1"], h["beta2"]
    bias_correction1, bias_correction2 = 1 - b1**t, 1 - b2**t
    rho_inf = 2 / (1 - b2) - 1
    rho_t = rho_inf - 2 * t * (b2**t) / bias_correction2
    for i in range(2):
        v[i] = v[i] + (g[i] - v[i]) * (1 - b1)
        s[i] = s[i] * b2 + (1 - b2) * g[i] * g[i]
        corrected = v[i] / bias_correction1
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive_lr = (bias_correction2**0.5) / (math.sqrt(s[i]) + h["eps"])
            x[i] = x[i] - corrected * h["lr"] * adaptive_lr * rect
        else:
            x[i] = x[i] - corrected * h["lr"]


def lion(x, state, grad, t, h):
    """Lion (Chen et al. 2023, Program 1): c = β1·m + (1 − β1)·g; x ← x − η·(sign(c) + λ·x); m ← β2·m + (1 − β2)·g."""
    g, m, b1, b2 = grad(x), state["v"], h["beta1"], h["beta2"]
    for i in range(2):
        c = b1 * m[i] + (1 - b1) * g[i]
        x[i] = x[i] - h["lr"] * (math.copysign(1.0, c) * (c != 0) + h["weight_decay"] * x[i])
        m[i] = b2 * m[i] + (1 - b2) * g[i]


def reference_run(step, surface, start, epochs: int, **hyper) -> list[tuple[float, float]]:
    """The points x_0 … x_epochs of one run of `step` on `surface`, as a list of (x1, x2).

    A hyperparameter given as a function of the epoch t (a schedule) takes its value at t.
    """

    def grad(p):
        # one-element arrays: the surface's formula through the same NumPy loops as a
        # batch (scalars take other code paths, which may differ in the last bit, and
        # chaotic runs would magnify that); overflow gives inf, not an exception
        with np.errstate(all="ignore"):
            g1, g2 = surface.grad(np.array([p[0]]), np.array([p[1]]))
        return [float(g1[0]), float(g2[0])]

    x = [float(start[0]), float(start[1])]
    state = defaultdict(lambda: [0.0, 0.0])
    points = [tuple(x)]
    with np.errstate(all="ignore"):
        for t in range(1, epochs + 1):
            step(x, state, grad, t, {name: value(t) if callable(value) else value for name, value in hyper.items()})
            points.append(tuple(x))
    return points
