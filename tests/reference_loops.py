"""Plain scalar loops, transcribed straight from DESIGN.md's update rules.

One member at a time, Python floats, one coordinate after the other: the slow,
obvious form that the batched NumPy core must agree with (as PyTorch keeps
`_single_tensor_sgd` beside its `foreach` form).
"""

from __future__ import annotations

import math

import numpy as np


def reference_run(optimizer: str, surface, start, epochs: int, **hyper) -> list[tuple[float, float]]:
    """The points x_0 … x_epochs of one run, as a list of (x1, x2).

    A hyperparameter given as a function of the epoch t (a schedule) takes its value at t.
    """
    x = [float(start[0]), float(start[1])]
    v = [0.0, 0.0]
    s = [0.0, 0.0]
    delta = [0.0, 0.0]
    points = [tuple(x)]

    def grad(p):
        # one-element arrays: the surface's formula through the same NumPy loops as a
        # batch (scalars take other code paths, which may differ in the last bit, and
        # chaotic runs would magnify that); overflow gives inf, not an exception
        with np.errstate(all="ignore"):
            g1, g2 = surface.grad(np.array([p[0]]), np.array([p[1]]))
        return [float(g1[0]), float(g2[0])]

    for t in range(1, epochs + 1):
        h = {name: value(t) if callable(value) else value for name, value in hyper.items()}
        if optimizer == "nesterov":
            look = [x[i] - h["momentum"] * v[i] for i in range(2)]
            g = grad(look)
        else:
            g = grad(x)
        if optimizer == "sgd":
            xi = np.random.default_rng((int(h["seed"]), t)).standard_normal(2)
        for i in range(2):
            if optimizer == "gd":
                x[i] = x[i] - h["lr"] * g[i]
            elif optimizer == "sgd":
                x[i] = x[i] - h["lr"] * (g[i] + h["noise"] * float(xi[i]))
            elif optimizer == "momentum":
                gamma = h["momentum"]
                v[i] = gamma * v[i] + ((1 - h["dampening"]) * h["lr"]) * g[i]
                if h["bias_correction"]:
                    x[i] = x[i] - v[i] / (1 - gamma**t)
                else:
                    x[i] = x[i] - v[i]
            elif optimizer == "nesterov":
                v[i] = h["momentum"] * v[i] + h["lr"] * g[i]
                x[i] = x[i] - v[i]
            elif optimizer == "adagrad":
                s[i] = s[i] + g[i] * g[i]
                x[i] = x[i] - h["lr"] * g[i] / math.sqrt(s[i] + h["eps"])
            elif optimizer == "rmsprop":
                s[i] = h["gamma"] * s[i] + (1 - h["gamma"]) * (g[i] * g[i])
                x[i] = x[i] - h["lr"] * g[i] / math.sqrt(s[i] + h["eps"])
            elif optimizer == "adadelta":
                rho, eps = h["rho"], h["eps"]
                s[i] = rho * s[i] + (1 - rho) * (g[i] * g[i])
                g_prime = math.sqrt((delta[i] + eps) / (s[i] + eps)) * g[i]
                x[i] = x[i] - h["lr"] * g_prime
                delta[i] = rho * delta[i] + (1 - rho) * (g_prime * g_prime)
            elif optimizer == "adam":
                b1, b2 = h["beta1"], h["beta2"]
                v[i] = b1 * v[i] + (1 - b1) * g[i]
                s[i] = b2 * s[i] + (1 - b2) * (g[i] * g[i])
                v_hat = v[i] / (1 - b1**t)
                s_hat = s[i] / (1 - b2**t)
                x[i] = x[i] - h["lr"] * v_hat / (math.sqrt(s_hat) + h["eps"])
            else:
                raise KeyError(optimizer)
        points.append(tuple(x))
    return points
