"""Every surface: gradient against central differences, minima, metadata, the pits lesson."""

import numpy as np
import pytest

from optimizers import run
from surfaces import SURFACES, get_surface

REQUIRED = {"quadratic", "bowl", "rosenbrock", "saddle", "plateau", "ravine", "pits", "himmelblau", "rastrigin",
            "camel", "beale"}


def test_required_surfaces_exist():
    assert REQUIRED <= set(SURFACES)


@pytest.mark.parametrize("key", list(SURFACES))
def test_gradient_matches_central_differences(key):
    s = SURFACES[key]
    rng = np.random.default_rng(1)
    (a, b), (c, d) = s.bounds
    x1, x2 = rng.uniform(a, b, 200), rng.uniform(c, d, 200)
    h = 1e-6
    num1 = (s.f(x1 + h, x2) - s.f(x1 - h, x2)) / (2 * h)
    num2 = (s.f(x1, x2 + h) - s.f(x1, x2 - h)) / (2 * h)
    g1, g2 = s.grad(x1, x2)
    scale = 1 + np.abs(s.f(x1, x2))  # central differences lose digits where f is large
    np.testing.assert_allclose(g1, num1, rtol=1e-5, atol=1e-6 * scale.max())
    np.testing.assert_allclose(g2, num2, rtol=1e-5, atol=1e-6 * scale.max())
    # the stacked form used by the core gives the same values
    stacked = s.gradient(np.stack([x1, x2]))
    np.testing.assert_array_equal(stacked, np.stack(np.broadcast_arrays(g1, g2)))


@pytest.mark.parametrize("key", list(SURFACES))
def test_listed_minima_have_zero_gradient_and_are_minima(key):
    s = SURFACES[key]
    assert s.minima, "every built-in surface lists its minima"
    for m in s.minima:
        g = np.array(s.grad(np.float64(m[0]), np.float64(m[1])))
        assert np.abs(g).max() < 1e-9, (m, g)
        # a minimum: f is no lower anywhere on a small ring around it
        angles = np.linspace(0, 2 * np.pi, 64, endpoint=False)
        ring = s.f(m[0] + 1e-3 * np.cos(angles), m[1] + 1e-3 * np.sin(angles))
        assert (ring >= s.f(np.float64(m[0]), np.float64(m[1]))).all()


@pytest.mark.parametrize("key", list(SURFACES))
def test_metadata_is_sensible(key):
    s = SURFACES[key]
    (a, b), (c, d) = s.bounds
    assert a < s.start[0] < b and c < s.start[1] < d
    for m in s.minima:
        assert a <= m[0] <= b and c <= m[1] <= d
    assert s.latex.startswith("f(")
    assert s.source


@pytest.mark.parametrize("key", [k for k, s in SURFACES.items() if s.is_quadratic])
def test_hessian_eigenvalues_of_quadratics(key):
    s = SURFACES[key]
    h = 1e-4
    x = np.array([0.3, -0.7])
    hessian = np.empty((2, 2))
    for j in range(2):
        e = np.eye(2)[j] * h
        hessian[:, j] = (np.array(s.grad(*(x + e))) - np.array(s.grad(*(x - e)))) / (2 * h)
    np.testing.assert_allclose(sorted(np.linalg.eigvalsh(hessian)), sorted(s.hessian_eigenvalues), rtol=1e-6)


def test_pits_trap_gd_but_not_momentum():
    """Seed 003: plain GD stops in the first small pit; momentum rolls on to the valley floor."""
    pits = SURFACES["pits"]
    first_pit, floor = pits.minima[1], pits.minima[0]
    gd = run("gd", "pits", epochs=200, lr=0.1)
    assert np.allclose(gd.points[-1], first_pit, atol=1e-6)
    heavy = run("momentum", "pits", epochs=200, lr=0.1, momentum=0.9)
    assert np.allclose(heavy.points[-1], floor, atol=1e-2)
    assert heavy.losses[-1] < gd.losses[-1] - 0.4


def test_get_surface_accepts_keys_and_objects():
    assert get_surface("bowl") is SURFACES["bowl"]
    assert get_surface(SURFACES["bowl"]) is SURFACES["bowl"]
    with pytest.raises(ValueError, match="unknown surface 'nope'; choose one of: quadratic, bowl"):
        get_surface("nope")


def test_regression_minimum_is_least_squares_and_gradient_matches():
    from surfaces.regression import regression_surface

    for n, noise in [(100, 1.0), (30, 0.3), (500, 2.0)]:
        s = regression_surface(n, noise)
        x, y = s.examples.x, s.examples.y
        best = np.linalg.lstsq(np.stack([np.ones(n), x], axis=1), y, rcond=None)[0]
        np.testing.assert_allclose(s.minima[0], best, rtol=1e-10)
        # f is half the mean squared error of the line b + w·x
        b, w = 0.7, -1.3
        assert s.f(b, w) == pytest.approx(0.5 * np.mean((b + w * x - y) ** 2), rel=1e-12)
        g = s.grad(b, w)
        assert g[0] == pytest.approx(np.mean(b + w * x - y), rel=1e-10)
        assert g[1] == pytest.approx(np.mean((b + w * x - y) * x), rel=1e-10)


def test_seed_002_momentum_beats_vanilla_on_the_regression():
    gd = run("gd", "regression", epochs=100, lr=0.1)
    heavy = run("momentum", "regression", epochs=100, lr=0.1, momentum=0.9)
    assert heavy.losses[-1] < gd.losses[-1]
    assert heavy.losses[:30].min() < gd.losses[:30].min()
