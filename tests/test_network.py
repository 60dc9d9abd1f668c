"""Seed 003's small network and the generic trainer."""


import re
import numpy as np
import pytest

from models import mlp
from models.torch_randn import TorchRandn
from optimizers import OPTIMIZERS, run
from optimizers import Schedule
from optimizers.train import members, stacked, train
from surfaces import SURFACES
from tests.pages import charts, open_page
from ui.labels import run_label
from ui.state import AppState, Run


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


def test_the_pages_runs_trained_together_equal_each_alone_bit_for_bit():
    """stacked() stacks the settings (values and schedules of one kind) into one call; with a
    target, members stop at their own steps."""
    settings = [dict(lr=0.01, momentum=0.9, dampening=0.9),
                dict(lr=Schedule("exponential", 0.05, decay=0.999), momentum=0.8, dampening=0.8),
                dict(lr=Schedule("exponential", 0.02, decay=0.9995), momentum=0.5, bias_correction=True)]
    start = mlp.initial(99)
    def train_many(optimizer, loss_and_grad, x0, settings, **kwargs):  # as the network page trains them
        return members(train(optimizer, loss_and_grad, x0, **kwargs, **stacked(optimizer, settings)), len(settings))

    together = train_many("momentum", mlp.loss_and_grad, start, settings[1:], steps=3000, target=0.02)
    for setting, result in zip(settings[1:], together):
        alone = train("momentum", mlp.loss_and_grad, start, steps=3000, target=0.02, **setting)
        assert np.array_equal(result.params, alone.params) and np.array_equal(result.losses, alone.losses)
        assert result.stopped_at == alone.stopped_at
    assert together[0].stopped_at != together[1].stopped_at
    with pytest.raises(ValueError, match="same kind of schedule"):
        train_many("momentum", mlp.loss_and_grad, start, [settings[0], settings[1]], steps=10)


def test_the_network_page_trains_runs_of_one_optimizer_in_one_call_in_pieces(monkeypatch):
    """Four runs, two optimizers: two batched trainings, each in pieces of PIECE_STEPS steps with
    the losses so far; kept, the same view costs nothing the second time."""
    import views.network
    from ui.kept import Kept

    calls, heard = [], []
    real = views.network.training
    monkeypatch.setattr(views.network, "training", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    monkeypatch.setattr(views.network, "TRAININGS", Kept(16))
    monkeypatch.setattr(views.network, "PIECE_STEPS", 200)
    state = AppState(net_runs=(Run.of("momentum", lr=0.01), Run.of("gd", lr=0.05), Run.of("momentum", lr=0.02),
                               Run.of("gd", lr=0.1)), net_steps=500, net_target=0.0)
    results = views.network.trained(state, lambda runs, done, total, so_far: heard.append(
        (tuple(runs), done, total, [len(r.losses[0]) for r in so_far])))
    assert calls == ["momentum", "gd"]
    assert heard == [((0, 2), 200, 500, [200, 200]), ((0, 2), 400, 500, [400, 400]),
                     ((1, 3), 200, 500, [200, 200]), ((1, 3), 400, 500, [400, 400])]
    for run_, result in zip(state.net_runs, results):
        alone = train(run_.optimizer, mlp.loss_and_grad, mlp.initial(state.net_init), steps=500, **run_.values)
        assert np.array_equal(result.losses, alone.losses) and np.array_equal(result.params, alone.params)
    views.network.trained(state, lambda *a: heard.append(a))
    assert calls == ["momentum", "gd"] and len(heard) == 4  # kept: no training, no progress
    at = open_page("network", {"net_optimizer": "momentum", "net_optimizer2": "momentum", "net_lr2": "0.02",
                               "net_optimizer3": "gd", "net_steps": "500"})
    assert len(at.success) + len(at.warning) + len(at.error) == 3 and not at.exception  # each run's end, said once


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


def test_torch_free_randn_gives_torchs_published_numbers():
    # torch.manual_seed(s); torch.randn(2, 3), as printed in torch's docs and tutorials
    published = {0: [1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986],
                 42: [0.3367, 0.1288, 0.2345, 0.2303, -1.1229, -0.1863]}
    for seed, values in published.items():
        np.testing.assert_allclose(TorchRandn(seed).randn(6), values, rtol=0, atol=5e-5)  # to 4 decimals
    # the cached second value carries over to the next call, as seed 003's four calls need
    split = TorchRandn(42)
    np.testing.assert_array_equal(np.concatenate([split.randn(1), split.randn(3)]), TorchRandn(42).randn(4))


def test_seed_003_start_is_torchs_seed_99():
    draws = TorchRandn(99)
    expected = np.concatenate([draws.randn(4), draws.randn(4), draws.randn(4), draws.randn(1)])  # w1, b1, w2, b2
    np.testing.assert_array_equal(mlp.SEED_003, expected)
    np.testing.assert_array_equal(mlp.initial(99), mlp.SEED_003)  # the page's seed field is torch's seed
    np.testing.assert_array_equal(mlp.SEED_003.astype(np.float32), mlp.SEED_003)  # written exactly
    assert not mlp.SEED_003.flags.writeable


# The seed's script run with torch 2.13 (float32): its loss before some updates,
# the update after which it breaks, and its fit when it stops.
TORCH_LOSSES = {0: 18.027517, 100: 0.31377774, 1000: 0.070620313, 5000: 0.0081410427, 7837: 0.0049998099}
TORCH_STOP, TORCH_FINAL_LOSS, TORCH_MAX_ERROR = 7837, 0.0049991049, 0.14552069


def test_seed_003_stops_where_the_seed_does_and_fits_sin():
    result = train("momentum", mlp.loss_and_grad, mlp.SEED_003, steps=10_000, target=0.005,
                   lr=0.01, momentum=0.9, dampening=0.9)
    stop = int(result.stopped_at[0])
    assert stop == TORCH_STOP
    assert result.losses[0, stop] < 0.005 <= result.losses[0, :stop].min()
    # float64 here, float32 there: the losses differ by about 1e-5 relative, while
    # near the target the loss falls by 1.4e-4 relative per step, so the step agrees
    for step, loss in TORCH_LOSSES.items():
        assert result.losses[0, step] == pytest.approx(loss, rel=1e-4)
    assert result.losses[0, stop + 1] == pytest.approx(TORCH_FINAL_LOSS, rel=1e-4)
    fitted = mlp.predict(result.params[0, stop + 1][:, None])[0]
    assert np.abs(fitted - mlp.Y).max() == pytest.approx(TORCH_MAX_ERROR, rel=1e-4)
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
    at = open_network({"net_optimizer": optimizer, "net_steps": "400", "lang": "zh" if optimizer == "adam" else "en"})
    shown = charts(at)
    assert set(shown) == {"net_losses", "net_fit"}
    outcomes = [*at.success, *at.warning, *at.error]
    assert len(outcomes) == 1  # each run says how it ended, and the loss chart says it too, to a screen reader
    assert outcomes[0].value.replace("**", "") in shown["net_losses"]["description"]


def test_network_preset_is_seed_003():
    at = open_network({"net_steps": "200"})
    at.button(key="net_preset").click().run()
    assert not at.exception
    assert any("at step 7837" in s.value for s in at.success)  # the seed's own stop (torch, float32)
    params = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert not any(k.startswith("net_") for k in params)  # seed 003's run is the page's default


def test_network_page_opens_on_seed_003_and_the_explorer_keeps_its_own_runs():
    at = open_network({"net_steps": "10000"})
    assert any("at step 7837" in s.value for s in at.success)
    # the textbook's loop updates, then breaks: the fit the slider ends on is the one after step 7837's update
    assert any("step 7838 on the slider" in s.value for s in at.success)
    assert at.slider(key="net_shown").max == 7838
    assert not at.error and not at.warning
    lr = at.select_slider(key="net_run0.momentum.lr")
    assert lr.value == 0.01
    assert at.session_state["state"].runs == AppState().runs


@pytest.mark.parametrize("query", [{"net_optimizer": "gd"}, {"net_momentum": "0.5"}, {"net_lr": "0.005"},
                                   {"net_steps": "2000"}], ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_a_run_short_of_its_target_at_a_multiple_of_the_piece_size_shows_its_last_step(query):
    """At the default 10,000 steps (a multiple of the piece size) a run that never reaches the
    target needs the last piece's final step: these everyday links raised IndexError."""
    at = open_network(query)
    assert len(at.success) + len(at.warning) + len(at.error) == 1  # how the run ended, said once


def test_the_last_piece_of_a_training_is_the_whole_result():
    from optimizers.train import training

    pieces = list(training("gd", mlp.loss_and_grad, mlp.initial(99), steps=400, every=200, lr=0.01))
    assert [done for done, _ in pieces] == [200, 400]
    assert pieces[-1][1].losses.shape == (1, 401)


def test_the_fit_at_the_last_step_follows_the_steps_both_ways_and_a_scrubbed_one_stays():
    """Steps 400 → 1 → 200: the fit's slider, left at the last step, is at 1 and then at 200 (it stayed at 1 and
    drew the untrained network beside a message about the trained one); scrubbed back to 50, it stays at 50."""
    at = open_network({"net_steps": "400"})
    assert at.slider(key="net_shown").value == 400
    for steps in (1, 200):
        at.number_input(key="net_steps").set_value(steps).run()
        assert at.slider(key="net_shown").value == steps
    at.slider(key="net_shown").set_value(50).run()
    at.number_input(key="net_steps").set_value(300).run()
    assert at.slider(key="net_shown").value == 50


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_with_no_target_a_run_says_where_its_training_ended_not_that_it_missed(lang):
    at = open_network({"net_steps": "1", "net_target": "0", "lang": lang})
    assert not at.warning and not at.error and len(at.info) == 1
    assert at.info[0].value.startswith("**1. ") and ("after 1 step the loss is" if lang == "en" else "训练 1 步后") \
        in at.info[0].value
    at = open_network({"net_steps": "2000", "net_target": "0.0000001"})
    assert "did not reach the target in 2,000 steps" in at.warning[0].value


def test_only_the_explorers_sidebar_says_a_click_on_the_contour_sets_the_start():
    hint = "Type it in the boxes above, or click on the contour to start from there."
    assert any(c.value == hint for c in open_page("explorer", {}).sidebar.caption)
    for page in ("stability", "race"):
        assert not any(c.value == hint for c in open_page(page, {}).sidebar.caption)


def test_the_fits_slider_ends_where_the_training_stopped():
    """At the defaults the run stops near step 7,800 of 10,000: the slider's last 2,000 steps showed nothing new."""
    at = open_network({})
    stop = int(re.search(r"at step (\d+)", at.success[0].value).group(1))
    slider = at.slider(key="net_shown")
    assert stop + 1 == slider.max == slider.value < 10_000
    at = open_network({"net_target": "0", "net_steps": "300"})  # no target: it trains to the last step
    assert at.slider(key="net_shown").max == 300


@pytest.mark.parametrize("lang, said", [("en", ": 50,000 is outside 1 to 20,000, so 20,000 is used."),
                                        ("zh", "：50,000 超出了 1 到 20,000 的范围，改用 20,000。")])
def test_steps_typed_past_the_most_are_the_most_and_the_page_says_so(lang, said):
    """50000 typed into "steps" (at most 20,000) left a red box and the old 10,000 with no word of the limit."""
    from tests.test_app import url

    at = open_page("network", {"lang": lang, "net_steps": "2000"})
    at.number_input(key="net_steps").set_value(50_000).run()
    box = at.number_input(key="net_steps")
    assert [w.value for w in at.warning if "20,000" in w.value] == [f"“{box.label}”{said}"]  # named: which box
    assert at.number_input(key="net_steps").value == 20_000 and url(at)["net_steps"] == "20000"
    at.number_input(key="net_steps").set_value(0).run()  # and below the least
    assert at.number_input(key="net_steps").value == 1 and url(at)["net_steps"] == "1"
    at.number_input(key="net_steps").set_value(3000).run()  # a value in range: no word
    assert not [w for w in at.warning if "outside" in w.value or "超出" in w.value]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_whose_loss_grows_is_said_to_diverge_not_to_miss_its_target(lang):
    """A teacher's trial: GD at η = 0.4 for 500 steps 'did not reach the target (loss 1.18e+129)', with a largest
    error of 65 digits; it is diverging, and the page says so, as it does once the loss is no longer finite."""
    from ui.i18n import t

    at = open_network({"net_steps": "500", "net_optimizer": "gd", "net_lr": "0.4", "lang": lang})
    assert not at.warning and not at.success and len(at.error) == 1, [e.value for e in at.error]
    losses = train("gd", mlp.loss_and_grad, mlp.initial(99), steps=500, lr=0.4).losses[0]
    assert np.isfinite(losses).all() and losses[-1] > 1e100 > losses[0]
    label = run_label(1, at.session_state["state"].net_runs[0], lang)
    assert at.error[0].value == t(lang, "net_growing", label=f"**{label}**", steps=t(lang, "steps_many", n=500),
                                  first=losses[0], loss=losses[-1])
    # a run that ends a little above its first loss, bounded (RMSProp at a large η swings), is not called diverging
    at = open_network({"net_steps": "2000", "net_optimizer": "rmsprop", "net_lr": "0.5", "net_init": "0",
                       "lang": lang})
    losses = train("rmsprop", mlp.loss_and_grad, mlp.initial(0), steps=2000, lr=0.5, gamma=0.9, eps=1e-6).losses[0]
    assert np.isfinite(losses).all() and losses[0] < losses[-1] < 2 * losses[0] and losses.min() < 0.1 * losses[0]
    assert not at.error and len(at.warning) == 1 and "η" not in at.warning[0].value.split("**")[-1]


def test_a_network_run_switched_to_another_optimizer_gets_an_eta_that_trains():
    """A teacher's trial: Adam, then gradient descent, gave GD the registry's η = 0.4, which blew the network up at
    step 1,091 (GD picked first kept the seed's 0.01); the η is halved until it trains, as for "Add a run"."""
    at = open_network({"net_optimizer": "adam", "net_steps": "2000"})
    at.selectbox(key="net_run0.optimizer.en").set_value("gd").run()
    lr = at.session_state["state"].net_runs[0].values["lr"]
    assert lr < 0.4 and not at.error, (lr, [e.value for e in at.error])
