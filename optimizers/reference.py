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
    g, v, s, b1, b2 = grad(x), state["v"], state["s"], h["beta1"], h["beta2"]
    for i in range(2):
        v[i] = b1 * v[i] + (1 - b1) * g[i]
        s[i] = b2 * s[i] + (1 - b2) * (g[i] * g[i])
        v_hat = v[i] / (1 - b1**t)
        s_hat = s[i] / (1 - b2**t)
        x[i] = x[i] - h["lr"] * (v_hat / (math.sqrt(s_hat) + h["eps"]))


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
