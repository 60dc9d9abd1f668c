"""The stability bounds of DESIGN.md on "quadratic" (λ = 0.2, 4): η < 2/λmax for GD,
η < 2(1 + γ)/λmax for heavy-ball momentum."""

import numpy as np
import pytest

from optimizers import run, sweep
from surfaces import SURFACES

EPOCHS = 3000


def outcome(optimizer, lr, **hyper):
    result = sweep(optimizer, "quadratic", epochs=EPOCHS, lr=lr, **hyper)
    return result.diverged_at, np.abs(result.final).max(axis=-1)


def test_gd_bound_is_half():
    lam = max(SURFACES["quadratic"].hessian_eigenvalues)
    assert 2 / lam == 0.5
    diverged_at, size = outcome("gd", np.array([0.49, 0.495, 0.505, 0.51]))
    assert (diverged_at[:2] == -1).all() and (size[:2] < 1e-6).all()
    assert (diverged_at[2:] > 0).all()


@pytest.mark.parametrize("gamma", [0.0, 0.25, 0.5, 0.9])
def test_momentum_bound(gamma):
    bound = 2 * (1 + gamma) / 4
    lr = bound * np.array([0.98, 1.02])
    diverged_at, size = outcome("momentum", lr, momentum=gamma)
    assert diverged_at[0] == -1 and size[0] < 1e-3
    assert diverged_at[1] > 0


def test_momentum_at_0_6_converges_where_gd_diverges():
    assert run("gd", "quadratic", epochs=200, lr=0.6).diverged_at > 0
    assert run("momentum", "quadratic", epochs=200, lr=0.6, momentum=0.5).diverged_at == -1
