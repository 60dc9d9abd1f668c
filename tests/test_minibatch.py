"""Minibatch SGD on a surface with data (seed 002's regression): each step averages the
gradient over `batch_size` examples drawn without replacement, seeded by (seed, step)."""

from __future__ import annotations

import numpy as np
import pytest

from optimizers import Schedule, examples_per_step, run, sweep
from surfaces import get_surface
from surfaces.regression import regression_surface

SURFACE = regression_surface()
X, Y = SURFACE.examples.x, SURFACE.examples.y
N = len(X)


def plain_loop(lr, size: int, seed: int, epochs: int, start=(0.0, 0.0)) -> np.ndarray:
    """Minibatch SGD transcribed from its definition, one example at a time."""
    b, w = start
    points = [(b, w)]
    for t in range(1, epochs + 1):
        batch = np.random.default_rng((seed, t)).permutation(N)[:size]
        gb = gw = 0.0
        for i in batch:
            residual = b + w * X[i] - Y[i]  # ∇ of ½(b + w·xᵢ − yᵢ)² is residual·(1, xᵢ)
            gb += residual
            gw += residual * X[i]
        eta = lr(t) if callable(lr) else lr
        b, w = b - eta * gb / size, w - eta * gw / size
        points.append((b, w))
    return np.array(points)


@pytest.mark.parametrize("size", [1, 7, 10, 50, 99])
@pytest.mark.parametrize("seed", [0, 3])
def test_each_step_is_the_mean_over_a_batch_drawn_without_replacement(size, seed):
    tr = run("sgd", SURFACE, lr=0.3, batch_size=size, seed=seed, epochs=30)
    assert np.allclose(tr.points, plain_loop(0.3, size, seed, 30), rtol=0, atol=1e-12)


def test_the_whole_data_is_gradient_descent_bit_for_bit():
    gd = run("gd", SURFACE, lr=0.5, epochs=80)
    for seed in (0, 1, 12345):
        assert np.array_equal(run("sgd", SURFACE, lr=0.5, batch_size=N, seed=seed, epochs=80).points, gd.points)


def test_same_seed_same_path_another_seed_another():
    a = run("sgd", SURFACE, lr=0.2, batch_size=5, seed=4, epochs=40)
    assert np.array_equal(a.points, run("sgd", SURFACE, lr=0.2, batch_size=5, seed=4, epochs=40).points)
    b = run("sgd", SURFACE, lr=0.2, batch_size=5, seed=5, epochs=40)
    assert np.abs(a.points[1:] - b.points[1:]).min(axis=-1).max() > 1e-3  # they part at the first step


def test_a_batch_of_settings_equals_its_members_run_one_by_one():
    sizes, seeds, lrs = np.array([1, 10, 100]), np.array([[0], [7]]), np.array([[[0.1]], [[0.6]]])
    batch = run("sgd", SURFACE, lr=lrs, batch_size=sizes, seed=seeds, epochs=25)
    assert batch.points.shape == (2, 2, 3, 26, 2)
    final = sweep("sgd", SURFACE, lr=lrs, batch_size=sizes, seed=seeds, epochs=25)
    for i, lr in enumerate(lrs[:, 0, 0]):
        for j, seed in enumerate(seeds[:, 0]):
            for k, size in enumerate(sizes):
                alone = run("sgd", SURFACE, lr=lr, batch_size=size, seed=seed, epochs=25)
                assert np.array_equal(batch.points[i, j, k], alone.points)
                assert np.array_equal(final.final[i, j, k], alone.points[-1])


def test_a_scheduled_learning_rate_with_minibatches():
    schedule = Schedule("exponential", 0.5, decay=0.9)
    tr = run("sgd", SURFACE, lr=schedule, batch_size=10, seed=2, epochs=30)
    assert np.allclose(tr.points, plain_loop(lambda t: 0.5 * 0.9 ** (t - 1), 10, 2, 30), rtol=0, atol=1e-12)


def test_the_first_step_is_on_average_the_full_gradient_step():
    """Over S seeds, the mean first step is the full-batch step. Drawn without replacement, a batch mean of
    per-example gradients gᵢ has variance Var(gᵢ)/b · (n − b)/(n − 1) per coordinate, so the mean over S
    independent seeds is within 5 of its standard errors (a chance of 6·10⁻⁷ to fail if the draw is right)
    and the sample variance matches the finite-population formula (its relative error for S = 4000 is
    about √(2/S)·(kurtosis factor) ≈ 3 %; 15 % is five of those). With replacement the variance would be
    1/0.505 times larger for b = 50: the second check tells the two apart."""
    seeds, lr, start = np.arange(4000), 1.0, (0.0, 0.0)
    per_example = np.stack([start[0] + start[1] * X - Y, (start[0] + start[1] * X - Y) * X])  # (2, n)
    full_step = -lr * per_example.mean(axis=1)
    for size in (1, 10, 50):
        steps = sweep("sgd", SURFACE, lr=lr, batch_size=size, seed=seeds, epochs=1, start=start).final - start
        variance = per_example.var(axis=1) / size * (N - size) / (N - 1)
        error = np.sqrt(variance / len(seeds))
        assert (np.abs(steps.mean(axis=0) - full_step) < 5 * error).all()
        assert np.allclose(steps.var(axis=0, ddof=1), variance, rtol=0.15)


def test_batch_size_larger_than_the_data_is_refused():
    with pytest.raises(ValueError, match="at most the number of examples, 100"):
        run("sgd", SURFACE, batch_size=101)
    with pytest.raises(ValueError, match="at most the number of examples, 5"):
        sweep("sgd", regression_surface(n=5), batch_size=np.array([2, 6]))
    with pytest.raises(ValueError, match="batch_size"):
        run("sgd", SURFACE, batch_size=0)


def test_without_data_sigma_is_the_noise_and_batch_size_has_no_effect():
    bowl = get_surface("bowl")
    a = run("sgd", bowl, lr=0.1, noise=1.0, batch_size=1, epochs=20)
    assert np.array_equal(a.points, run("sgd", bowl, lr=0.1, noise=1.0, batch_size=50, epochs=20).points)
    assert not np.array_equal(a.points, run("sgd", bowl, lr=0.1, noise=0.0, epochs=20).points)
    # and with data, σ has none: the minibatch is the noise
    assert np.array_equal(run("sgd", SURFACE, noise=0.0, epochs=20).points, run("sgd", SURFACE, noise=3.0,
                                                                                  epochs=20).points)


def test_examples_per_step():
    assert examples_per_step("sgd", SURFACE, batch_size=7) == 7
    assert examples_per_step("sgd", SURFACE) == 10  # the default batch
    assert examples_per_step("momentum", SURFACE) == N  # full-batch methods read every example
    assert examples_per_step("sgd", "bowl", batch_size=7) is None


def test_sgds_default_batch_fits_data_smaller_than_it_on_every_page():
    """SGD's default batch of 10 on 5 points is all of them (GD), in the core and so on every page
    that runs SGD at its defaults (the race and the map raised 'batch_size must be at most …')."""
    from tests.pages import open_page

    small = regression_surface(n=5)
    assert np.array_equal(run("sgd", small, lr=0.1).points, run("sgd", small, lr=0.1, batch_size=5).points)
    assert examples_per_step("sgd", small) == 5
    with pytest.raises(ValueError, match="at most the number of examples"):
        run("sgd", small, batch_size=6)  # a size asked for is still checked
    for page, query in [("race", {"data_n": "9"}), ("stability", {"data_n": "5", "map_optimizer": "sgd"}),
                        ("basins", {"data_n": "5", "optimizer": "sgd"}),
                        ("explorer", {"data_n": "5", "optimizer": "sgd"})]:
        open_page(page, {"surface": "regression", **query})  # raises nothing
