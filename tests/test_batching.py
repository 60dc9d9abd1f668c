"""Broadcasting into one batch, run() against one-by-one runs, sweep() against run()."""

import tracemalloc

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run, sweep


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_batch_equals_members_run_one_by_one(optimizer):
    lr = np.array([0.05, 0.3, 0.6])[:, None]  # (3, 1)
    starts = np.array([[-5.0, -2.0], [3.0, 1.0]])  # (2, 2): S = (2,)
    traj = run(optimizer, "quadratic", start=starts, epochs=25, lr=lr)
    assert traj.points.shape == (3, 2, 26, 2)
    assert traj.losses.shape == (3, 2, 26)
    assert traj.diverged_at.shape == (3, 2)
    for i in range(3):
        for j in range(2):
            alone = run(optimizer, "quadratic", start=starts[j], epochs=25, lr=float(lr[i, 0]))
            np.testing.assert_array_equal(traj.points[i, j], alone.points)
            np.testing.assert_array_equal(traj.losses[i, j], alone.losses)
            assert traj.diverged_at[i, j] == alone.diverged_at


def test_every_hyperparameter_may_be_an_array():
    gamma = np.linspace(0, 0.9, 4)
    damp = np.array([0.0, 0.5])[:, None]
    traj = run("momentum", "bowl", epochs=10, lr=0.1, momentum=gamma, dampening=damp)
    assert traj.points.shape == (2, 4, 11, 2)
    one = run("momentum", "bowl", epochs=10, lr=0.1, momentum=gamma[3], dampening=0.5)
    np.testing.assert_array_equal(traj.points[1, 3], one.points)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("surface", ["quadratic", "rosenbrock", "himmelblau", "ravine"])
def test_sweep_equals_the_last_point_of_run(optimizer, surface):
    # rates from tiny to far past stability, so that some members diverge
    lr = np.geomspace(1e-3, 3.0, 40)
    traj = run(optimizer, surface, epochs=60, lr=lr)
    result = sweep(optimizer, surface, epochs=60, lr=lr)
    np.testing.assert_array_equal(result.final, traj.points[:, -1])
    np.testing.assert_array_equal(result.loss, traj.losses[:, -1])
    np.testing.assert_array_equal(result.diverged_at, traj.diverged_at)


def test_sweep_spans_several_blocks_and_agrees_with_run(monkeypatch):
    import optimizers.engine as engine

    monkeypatch.setattr(engine, "BLOCK", 64)  # many blocks, some with and some without divergence
    lr, gamma = np.meshgrid(np.linspace(0.05, 1.2, 30), np.linspace(0, 0.95, 20))
    traj = run("momentum", "quadratic", epochs=80, lr=lr, momentum=gamma)
    result = sweep("momentum", "quadratic", epochs=80, lr=lr, momentum=gamma)
    assert (traj.diverged_at >= 0).any() and (traj.diverged_at < 0).any()
    np.testing.assert_array_equal(result.final, traj.points[..., -1, :])
    np.testing.assert_array_equal(result.diverged_at, traj.diverged_at)


def test_sweep_memory_does_not_grow_with_epochs():
    lr = np.linspace(0.01, 0.45, 20_000)
    tracemalloc.start()
    sweep("gd", "quadratic", epochs=2_000, lr=lr)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    paths = lr.size * 2_001 * 2 * 8  # what keeping the paths would take: 640 MB
    assert peak < 20e6 < paths / 30


def test_diverged_runs_record_the_first_epoch_past_the_bound():
    traj = run("gd", "quadratic", epochs=200, lr=0.6)
    first = traj.diverged_at.item()
    assert abs(traj.points[first - 1, 1]) <= 1e12 < abs(traj.points[first, 1])
    # x2 = −2·(−1.4)^t passes 1e12 at the first t with 1.4^t > 5e11
    assert first == int(np.ceil(np.log(5e11) / np.log(1.4)))


def test_after_a_non_finite_point_the_rest_is_nan():
    traj = run("gd", "quadratic", epochs=3000, lr=0.6)
    finite = np.isfinite(traj.points).all(axis=1)
    first_bad = int(np.argmin(finite))
    assert first_bad > traj.diverged_at
    assert np.isnan(traj.points[first_bad:]).all()
    assert np.isnan(traj.losses[first_bad:]).all()
    assert np.isfinite(traj.points[:first_bad]).all()
