"""Seed 003's network: a 1-4-1 MLP with tanh, 13 parameters, fitted to sin(x).

    y = w2 · tanh(w1·x + b1) + b2,   L = mean((y − sin x)²)   over 20 points of [−5, 5]

Parameters are stacked as one vector θ = (w1[4], b1[4], w2[4], b2) so that any
of the app's update rules can train it; everything is batched over N parameter
vectors (columns), with the gradient written out by hand.
"""

from __future__ import annotations

import numpy as np

from .torch_randn import TorchRandn

from . import seed003

HIDDEN = 4
SIZE = 3 * HIDDEN + 1  # 13
X = np.linspace(-5, 5, 20)
Y = np.sin(X)


def unpack(theta: np.ndarray):
    """(13, N) → w1, b1, w2 of shape (N, 4) and b2 of shape (N,)."""
    w1, b1, w2 = (theta[i * HIDDEN:(i + 1) * HIDDEN].T for i in range(3))
    return w1, b1, w2, theta[3 * HIDDEN]


def predict(theta: np.ndarray, x: np.ndarray = X) -> np.ndarray:
    """(N, len(x)): the network's output for every parameter vector."""
    w1, b1, w2, b2 = unpack(theta)
    hidden = np.tanh(w1[:, :, None] * x + b1[:, :, None])  # (N, 4, M)
    return np.einsum("nk,nkm->nm", w2, hidden) + b2[:, None]


def loss_and_grad(theta: np.ndarray, x: np.ndarray = X, y: np.ndarray = Y):
    """The mean squared error (N,) and its gradient (13, N), by backpropagation."""
    w1, b1, w2, b2 = unpack(theta)
    hidden = np.tanh(w1[:, :, None] * x + b1[:, :, None])
    out = np.einsum("nk,nkm->nm", w2, hidden) + b2[:, None]
    error = out - y
    loss = np.mean(error * error, axis=1)
    d_out = 2 * error / x.size  # (N, M)
    d_w2 = np.einsum("nm,nkm->nk", d_out, hidden)
    d_b2 = d_out.sum(axis=1)
    d_pre = w2[:, :, None] * d_out[:, None, :] * (1 - hidden * hidden)  # (N, 4, M)
    d_w1 = (d_pre * x).sum(axis=2)
    d_b1 = d_pre.sum(axis=2)
    return loss, np.concatenate([d_w1.T, d_b1.T, d_w2.T, d_b2[None, :]])


def initial(seed: int) -> np.ndarray:
    """The parameters seed 003's code draws after torch.manual_seed(seed): four
    torch.randn calls (w1, b1, w2, b2), reproduced without torch; seed 99 is SEED_003."""
    draws = TorchRandn(seed)
    return np.concatenate([draws.randn(HIDDEN), draws.randn(HIDDEN), draws.randn(HIDDEN), draws.randn(1)]).astype(float)


# seed 003's own start, torch.manual_seed(99) and four torch.randn (see seed003.py), as θ
SEED_003 = np.array([*seed003.W1, *seed003.B1, *seed003.W2, seed003.B2])
SEED_003.flags.writeable = False
