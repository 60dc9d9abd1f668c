"""Seed 003's small network and the generic trainer."""

import numpy as np
import pytest

from models import mlp
from optimizers import OPTIMIZERS, run
from optimizers.train import train
from surfaces import SURFACES
from tests.pages import open_page


def test_mlp_gradient_matches_central_differences():
    rng = np.random.default_rng(5)
    theta = rng.standard_normal((mlp.SIZE, 6))
    _, grad = mlp.loss_and_grad(theta)
    h = 1e-6
    for i in range(mlp.SIZE):
        step = np.zeros((mlp.SIZE, 1))
        step[i] = h
        numeric = (mlp.loss_and_grad(theta + step)[0] - mlp.loss_and_grad(theta - step)[0]) / (2 * h)
        np.testing.assert_allclose(grad[i], numeric, rtol=1e-6, atol=1e-8)


def test_mlp_forward_is_the_seeds_formula():
    theta = mlp.initial(1)
    w1, b1, w2, b2 = theta[:4], theta[4:8], theta[8:12], theta[12]
    expected = np.array([w2 @ np.tanh(w1 * x + b1) + b2 for x in mlp.X])
    np.testing.assert_allclose(mlp.predict(theta[:, None])[0], expected, rtol=1e-12)


def test_batched_training_equals_each_setting_alone():
    lr = np.array([0.01, 0.05, 0.1])
    x0 = np.stack([mlp.initial(s) for s in (1, 2, 3)], axis=1)
    together = train("adam", mlp.loss_and_grad, x0, steps=300, lr=lr)
    for i in range(3):
        alone = train("adam", mlp.loss_and_grad, x0[:, i], steps=300, lr=lr[i])
        np.testing.assert_allclose(together.losses[i], alone.losses[0], rtol=1e-12)
        np.testing.assert_allclose(together.params[i], alone.params[0], rtol=1e-12)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_trainer_takes_the_same_steps_as_the_core_on_a_2_parameter_problem(optimizer):
    surface = SURFACES["rosenbrock"]

    def loss_and_grad(x):
        return surface.f(x[0], x[1]), surface.gradient(x)

    hyper = {**OPTIMIZERS[optimizer].defaults, "lr": 0.001}
    trained = train(optimizer, loss_and_grad, np.array(surface.start), steps=50, **hyper)
    core = run(optimizer, surface, epochs=50, **hyper)
    np.testing.assert_allclose(trained.params[0], core.points, rtol=1e-13)
    np.testing.assert_allclose(trained.losses[0], core.losses, rtol=1e-13)


def test_seed_003_reaches_its_target_and_fits_sin():
    result = train("momentum", mlp.loss_and_grad, mlp.initial(99), steps=10_000, target=0.005,
                   lr=0.01, momentum=0.9, dampening=0.9)
    stop = int(result.stopped_at[0])
    assert 0 < stop < 10_000
    assert result.losses[0, stop] < 0.005 <= result.losses[0, :stop].min()
    fitted = mlp.predict(result.params[0, stop + 1][:, None])[0]
    assert np.abs(fitted - mlp.Y).max() < 0.2
    # stopped: the parameters stay where the last update left them
    np.testing.assert_array_equal(result.params[0, -1], result.params[0, stop + 1])


def test_train_rejects_bad_arguments():
    with pytest.raises(ValueError, match="has no hyperparameter 'beta'"):
        train("momentum", mlp.loss_and_grad, mlp.initial(0), steps=3, beta=0.5)
    with pytest.raises(ValueError, match="steps must be a whole number"):
        train("gd", mlp.loss_and_grad, mlp.initial(0), steps=-1)


def open_network(query):
    return open_page("network", query)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_network_page_renders_with_every_optimizer(optimizer):
    at = open_network({"optimizer": optimizer, "net_steps": "400", "lang": "zh" if optimizer == "adam" else "en"})
    assert len(at.get("plotly_chart")) == 2
    assert at.success or at.warning


def test_network_preset_is_seed_003():
    at = open_network({"net_steps": "200"})
    at.button(key="net_preset").click().run()
    assert not at.exception
    assert any("at step 3858" in s.value for s in at.success)
    params = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["optimizer"] == "momentum" and params["dampening"] == "0.9" and params["lr"] == "0.01"
