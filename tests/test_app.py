"""The app through streamlit.testing's AppTest: what a user sees for a link or a click."""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from optimizers import OPTIMIZERS
from surfaces import SURFACES
from tests.pages import chart, charts, component_data, covering_pairs, open_page, printed
from ui.i18n import t as words
from ui.labels import optimizer_name
from ui.link import from_query
from ui.results import result_line
from ui.state import surface_spec
from viewmodel.trajectories import compute
from ui.presets import PRESETS

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def lines(at: AppTest) -> list[str]:
    return printed(at)


def url(at: AppTest) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_default_page_is_the_first_textbook_experiment():
    at = open_app()
    assert lines(at) == ["epoch 20, x1 -0.943467, x2 -0.000073"]
    assert not at.error and not at.warning
    assert url(at)["optimizer"] == "gd" and url(at)["lr"] == "0.4" and url(at)["surface"] == "quadratic"


def test_gd_at_0_6_shows_the_textbook_line_and_a_divergence_message():
    at = open_app({"optimizer": "gd", "lr": "0.6"})
    assert lines(at) == ["epoch 20, x1 -0.387814, x2 -1673.365109"]
    assert any("diverging" in e.value for e in at.error)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_stable_run_that_swings_out_of_the_plot_is_not_called_diverging(lang):
    """Momentum at γ = 0.999, η = 0.7 leaves the plot in 20 epochs, higher than it began; the theory says stable
    (×0.999 per epoch), and so do the numbers: at 20,000 epochs it is back, near the minimum. The page says it left
    and will come back, not that it diverges (a red "diverging" under "stable" left the class with two answers)."""
    link = {"optimizer": "momentum", "lr": "0.7", "momentum": "0.999", "lang": lang}
    at = open_app(link)
    assert not at.error
    theory, = [c.value for c in at.caption if "0.999" in c.value and ("stable" in c.value or "稳定" in c.value)]
    assert ("Theory: stable" if lang == "en" else "时稳定") in theory
    left, = [w.value for w in at.warning]
    assert ("yet the theory above says it is stable" if lang == "en" else "但上面的理论说它是稳定的") in left
    state, _ = from_query(link)
    far = compute("momentum", surface_spec(state), state.start_point, 20_000, state.runs[0].hyper, ())
    assert far.losses[20] > far.losses[0] and far.losses[-1] < 1e-6 * far.losses[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_on_the_stability_limit_that_swings_out_of_the_plot_is_not_called_diverging(lang):
    """Momentum at η = 2(1 + γ)/λ = 0.75 (γ = 0.5, λ = 4): the theory says the limit, and x2 swings out to ±6 and
    stays there. The page says so, as it says nothing red for GD on its own limit (η = 0.5); a step past the limit
    (η = 0.76) diverges."""
    at = open_app({"optimizer": "momentum", "lr": "0.75", "momentum": "0.5", "lang": lang})
    assert not at.error
    left, = [w.value for w in at.warning]
    assert ("on the limit, as the theory above says" if lang == "en" else "它处在稳定边界上") in left
    assert "|x2| = 6" in left
    past = open_app({"optimizer": "momentum", "lr": "0.76", "momentum": "0.5", "lang": lang})
    assert len(past.error) == 1 and not past.warning


def test_a_hidden_runs_exit_names_no_theory():
    """An exercise hides γ: the run left the plot, nothing more (the theory would give γ away)."""
    at = open_app({"optimizer": "momentum", "lr": "0.7", "momentum": "0.999", "hide": "momentum"})
    assert not at.error
    left, = [w.value for w in at.warning]
    assert left.startswith("Run 1 left the plot at epoch") and "theory" not in left


def test_gd_past_the_bound_says_when_it_diverged():
    at = open_app({"optimizer": "gd", "lr": "0.6", "epochs": "100"})
    message, = [e.value for e in at.error]
    assert message == "Run 1 diverged at epoch 81: |x2| passed 1e+12 (it left the plot at epoch 2)"


@pytest.mark.parametrize("lang, says", [("en", "Run 1 diverged at epoch 14: |x2| passed 1e+12 (it left the plot at "
                                                "epoch 1)"), ("zh", "（它在第 1 次迭代时已离开画面）")])
def test_a_blow_up_says_when_it_left_the_plot_as_the_chart_does(lang, says):
    """η = 2: the chart's ✕ says the run left the plot at epoch 1; the message said only 'diverged at epoch 14', and
    a trial read the two as contradicting each other."""
    at = open_app({"optimizer": "gd", "lr": "2", "lang": lang})
    message, = [e.value for e in at.error]
    assert message.endswith(says)
    exit_mark, = [tr for tr in chart(at)["figure"]["data"] if tr.get("meta") == "left0"]
    assert exit_mark["name"] == ("left the plot at epoch 1" if lang == "en" else "第 1 次迭代时离开画面")


def test_momentum_link():
    at = open_app({"optimizer": "momentum", "lr": "0.6", "momentum": "0.5"})
    assert lines(at) == ["epoch 20, x1 0.007188, x2 0.002553"]
    assert not at.error


def test_four_runs_from_a_link():
    at = open_app({"optimizer": "gd", "lr": "0.4", "optimizer2": "gd", "lr2": "0.6",
                   "optimizer3": "momentum", "lr3": "0.4", "momentum3": "0.5",
                   "optimizer4": "momentum", "lr4": "0.6", "momentum4": "0.5"})
    assert lines(at) == ["epoch 20, x1 -0.943467, x2 -0.000073", "epoch 20, x1 -0.387814, x2 -1673.365109",
                         "epoch 20, x1 -0.062843, x2 0.001202", "epoch 20, x1 0.007188, x2 0.002553"]


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_runs_and_shows_its_expected_lines(key):
    at = open_app()
    at.selectbox(key="preset_pick.en").set_value(key).run()
    assert not at.exception
    assert url(at)["preset"] == key
    preset = PRESETS[key]
    # the picker empties (picking again resets, its help says) and says which experiment is open, whole (a hint
    # after the title cut it in the one-line box)
    picker = at.selectbox(key="preset_pick.en")
    assert picker.value is None and picker.proto.placeholder == preset.title("en")
    assert picker.help == "Pick the experiment again to reset it."
    assert len(lines(at)) == len(preset.state.runs)
    for shown, expected in zip(lines(at), preset.expected):
        if expected:
            assert shown == expected
    said = [m.value for m in at.markdown]
    for expected in filter(None, preset.expected):  # each beside its run, at full contrast (not a grey caption)
        assert f"textbook prints: `{expected}` — matches" in said
    assert any(PRESETS[key].cite("en") in i.value for i in at.info)
    assert url(at)["surface"] == preset.state.surface


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("surface", list(SURFACES))
def test_every_optimizers_printed_line_on_every_surface(surface, optimizer):
    """The line the page prints for every pair, from the link's state as the page computes it (the page
    itself is shown below for each optimizer and each surface)."""
    state, problems = from_query({"surface": surface, "optimizer": optimizer, "epochs": "50"})
    assert not problems
    r = state.runs[0]
    traj = compute(r.optimizer, surface_spec(state), state.start_point, state.epochs, r.hyper, r.schedules)
    line = result_line(traj, "en")  # a new run's η does not diverge here: all 50 epochs, finite
    assert re.fullmatch(r"epoch 50, x1 -?\d+\.\d+(e[-+]\d+)?, x2 -?\d+\.\d+(e[-+]\d+)?", line), line


@pytest.mark.parametrize("optimizer, surface", covering_pairs(OPTIMIZERS, SURFACES))
def test_every_optimizer_and_every_surface_renders(optimizer, surface):
    at = open_app({"surface": surface, "optimizer": optimizer, "epochs": "50"})
    assert len(lines(at)) == 1
    assert lines(at)[0].startswith("epoch 50, ") and not re.search("nan|inf", lines(at)[0])
    assert not at.warning and not at.error


@pytest.mark.parametrize(
    "query, field",
    [
        ({"surface": "sphere"}, "surface"),
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"lr": "fast"}, "lr"),
        ({"lr": "-1"}, "lr"),
        ({"lr": "nan"}, "lr"),
        ({"lr": "inf"}, "lr"),
        ({"epochs": "1e9"}, "epochs"),
        ({"epochs": "2.5"}, "epochs"),
        ({"x1": "1e400"}, "x1"),
        ({"x2": "<script>alert(1)</script>"}, "x2"),
        ({"optimizer": "momentum", "momentum": "1"}, "momentum"),
        ({"optimizer": "momentum", "bias_correction": "maybe"}, "bias_correction"),
        ({"optimizer": "sgd", "seed": "-3"}, "seed"),
        ({"lang": "fr"}, "lang"),
        ({"optimizer2": "nope"}, "optimizer2"),
    ],
)
def test_bad_links_warn_and_fall_back(query, field):
    at = open_app(query)
    assert any(f"`{field}=" in w.value for w in at.warning), [w.value for w in at.warning]
    assert len(lines(at)) >= 1


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("query, field, why", [
    ({"optimizer": "momentum", "lr": "0.3", "gamma": "0.75"}, "gamma",
     {"en": "run 1 is momentum, which has no such setting (its own: lr, momentum, dampening, bias_correction)",
      "zh": "运行 1 是 momentum，没有这个设置（它自己的：lr, momentum, dampening, bias_correction）"}),
    ({"lr": "0.3", "optimizer5": "adam"}, "optimizer5",
     {"en": "a page compares at most 4 runs", "zh": "每个页面最多比较 4 个运行"}),
    ({"lr1": "0.5", "lr": "0.3"}, "lr1",
     {"en": "run 1's fields have no number: lr", "zh": "运行 1 的字段不带编号：lr"}),
    ({"lr": "0.3", "lr3": "0.1"}, "lr3",
     {"en": "the link has no run 3 (add optimizer3=… to make one)",
      "zh": "链接中没有运行 3（加上 optimizer3=… 才会有）"}),
])
def test_a_link_field_that_no_run_reads_is_named_not_dropped_without_a_word(query, field, why, lang):
    """A teacher's hand-edited link (γ of momentum is `momentum`, a fifth run, a value for a run it does not have)
    was read without that field and without a word; now the page says which field and why, and runs the rest."""
    at = open_app({**query, "lang": lang})
    warned = [w.value for w in at.warning]
    assert len(warned) == 1 and f"`{field}={query[field]}`" in warned[0] and why[lang] in warned[0], warned
    rest = {k: v for k, v in query.items() if k != field}
    assert lines(at) == lines(open_app(rest)) and len(lines(at)) == 1  # the rest of the link, as if it were alone


SEED_001_EXERCISE = {"optimizer": "gd", "lr": "0.4", "lr_schedule": "exponential", "lr_decay": "0.1"}
SEED_004_RAMP = {"optimizer": "momentum", "lr": "0.1", "momentum": "0.5", "momentum_schedule": "linear",
                 "momentum_final": "0.9", "momentum_ramp": "10"}


def plain_line(step, epochs: int = 20) -> str:
    """The printed line of a plain loop on the quadratic 0.1·x1² + 2·x2² from (−5, −2): `step(x, g, t)` updates x."""
    x = [-5.0, -2.0]
    for t in range(1, epochs + 1):
        x = step(x, [0.2 * x[0], 4 * x[1]], t)
    return f"epoch {epochs}, x1 {x[0]:f}, x2 {x[1]:f}"


def test_the_schedule_links_print_the_lines_of_a_plain_loop():
    gd = plain_line(lambda x, g, t: [xi - 0.4 * 0.1 ** (t - 1) * gi for xi, gi in zip(x, g)])  # η_t = 0.4·0.1^(t−1)
    at = open_app(SEED_001_EXERCISE)
    assert lines(at) == [gd] == ["epoch 20, x1 -4.559144, x2 0.990109"] and not at.warning
    assert at.selectbox(key="run0.gd.lr.schedule.en").value == "exponential"
    assert at.select_slider(key="run0.gd.lr.schedule.decay").value == 0.1
    assert any(r"\eta_t" in c.value for c in at.latex)  # the rule shows η_t
    schedules = [c for key, c in charts(at).items() if key.startswith("schedule")]
    assert len(schedules) == 1 and schedules[0]["figure"]["data"][0]["name"].startswith("1.")
    assert any("does not apply" in c.value for c in at.caption)  # the constant-η readout is withheld
    assert url(at) | SEED_001_EXERCISE == url(at)  # the link keeps the schedule

    v = [0.0, 0.0]

    def momentum(x, g, t):  # v ← γ_t v + η g, x ← x − v, with γ_t = 0.5 + 0.4·min(t − 1, 10)/10
        gamma = 0.5 + (0.9 - 0.5) * min(t - 1, 10) / 10
        v[:] = [gamma * vi + 0.1 * gi for vi, gi in zip(v, g)]
        return [xi - vi for xi, vi in zip(x, v)]

    at = open_app(SEED_004_RAMP)
    assert lines(at) == [plain_line(momentum)] and not at.warning
    assert at.number_input(key="run0.momentum.momentum.schedule.ramp").value == 10
    assert url(at) | SEED_004_RAMP == url(at)


def test_a_schedule_widget_writes_the_state_and_the_link():
    at = open_app()
    at.selectbox(key="run0.gd.lr.schedule.en").set_value("exponential").run()
    assert url(at)["lr_schedule"] == "exponential" and url(at)["lr_decay"] == "0.1"
    assert lines(at) == ["epoch 20, x1 -4.559144, x2 0.990109"]
    at.select_slider(key="run0.gd.lr.schedule.decay").set_value(1.0).run()  # q = 1: the constant η again
    assert lines(at) == ["epoch 20, x1 -0.943467, x2 -0.000073"] and url(at)["lr_decay"] == "1"
    at.selectbox(key="run0.gd.lr.schedule.en").set_value("constant").run()
    assert "lr_schedule" not in url(at) and "lr_decay" not in url(at)


def test_hiding_eta_hides_its_schedule_and_its_curve():
    at = open_app({**SEED_001_EXERCISE, "hide": "lr"})
    assert not [b for b in at.selectbox if ".schedule" in b.key]
    assert not [key for key in charts(at) if key.startswith("schedule")]
    assert lines(at) == ["epoch 20, x1 -4.559144, x2 0.990109"]  # hidden, it still applies


@pytest.mark.parametrize("query, fields", [
    ({"lr_schedule": "sometimes"}, ["lr_schedule"]),
    ({"lr_schedule": "linear"}, ["lr_schedule"]),  # a ramp is for weights of the past, not η
    ({"lr_schedule": "exponential", "lr_decay": "0"}, ["lr_decay"]),
    ({"lr_schedule": "exponential", "lr_decay": "-0.5"}, ["lr_decay"]),
    ({"lr_schedule": "step", "lr_decay": "x", "lr_every": "0"}, ["lr_decay", "lr_every"]),
    ({"lr_schedule": "warmup", "lr_ramp": "2.5"}, ["lr_ramp"]),
    ({"optimizer": "momentum", "momentum_schedule": "linear", "momentum_final": "1.5"}, ["momentum_final"]),
    ({"optimizer": "momentum", "momentum_schedule": "exponential"}, ["momentum_schedule"]),
    ({"optimizer": "momentum", "dampening_schedule": "linear"}, ["dampening_schedule"]),
])
def test_bad_schedules_in_a_link_warn_and_fall_back_to_constant(query, fields):
    at = open_app(query)
    warned = [f for f in fields if any(f"`{f}=" in w.value for w in at.warning)]
    assert warned == fields, [w.value for w in at.warning]
    assert not any(k.endswith("_schedule") for k in url(at))  # the constant schedule
    assert not [key for key in charts(at) if key.startswith("schedule")]


MINIBATCH = {"surface": "regression", "optimizer": "sgd", "lr": "0.3", "batch_size": "10", "seed": "4"}


def test_a_minibatch_link_prints_the_plain_loops_line_and_says_which_noise():
    import numpy as np

    from surfaces.regression import regression_surface

    data = regression_surface().examples
    b = w = 0.0
    for t in range(1, 21):  # each step: the mean gradient over 10 examples drawn for (seed 4, step t)
        batch = np.random.default_rng((4, t)).permutation(data.n)[:10]
        residual = b + w * data.x[batch] - data.y[batch]
        b, w = b - 0.3 * residual.mean(), w - 0.3 * (residual * data.x[batch]).mean()
    at = open_app(MINIBATCH)
    assert lines(at) == [f"epoch 20, x1 {b:f}, x2 {w:f}  (x1 = b, x2 = w)"] and not at.warning
    assert at.number_input(key="run0.sgd.batch_size").value == 10
    assert not [s for s in at.slider if s.key == "run0.sgd.noise"]  # σ has no effect here
    assert any("without replacement" in c.value for c in at.caption)
    assert url(at) | MINIBATCH == url(at)
    at.number_input(key="run0.sgd.batch_size").set_value(500).run()  # at most the data: held to it, and said in
    assert at.number_input(key="run0.sgd.batch_size").value == 100  # the page (Streamlit's own box said it in red,
    assert [w.value for w in at.warning] == [  # in English, and kept 500)
        words("en", "number_clamped", name=at.number_input(key="run0.sgd.batch_size").label, value="500", low="1",
              high="100", used="100")]
    at.number_input(key="run0.sgd.batch_size").set_value(100).run()  # all the data: gradient descent
    gd = open_app({"surface": "regression", "optimizer": "gd", "lr": "0.3"})
    assert lines(at) == lines(gd) and url(at)["batch_size"] == "100"


KEPT_BY_BROWSER = """
from ui import session
from views import explorer
real = session.widgets_kept_by_browser
session.widgets_kept_by_browser = lambda: {"run0.sgd.batch_size"}  # a browser that reconnected to a new session
try:
    session.begin()
    session.sidebar("explorer")
    explorer.render()
    session.finish()
finally:  # the module is the test process's, shared with the tests after this one
    session.widgets_kept_by_browser = real
"""


@pytest.mark.parametrize("kept, used", [(500, 100), (None, 10), (0, 1)])
def test_a_batch_size_the_browser_kept_is_held_to_its_range_or_kept_when_emptied(kept, used):
    """A box's value the browser kept comes after the box is made, where the box can no longer be changed: an emptied
    one reached the state as None and raised a TypeError, one past the range went in unheld (a review)."""
    at = AppTest.from_string(KEPT_BY_BROWSER, default_timeout=60)
    for name, value in MINIBATCH.items():
        at.query_params[name] = value
    at.session_state["run0.sgd.batch_size"] = kept
    at.run()
    assert not at.exception and at.session_state["state"].runs[0].values["batch_size"] == used


def test_the_loss_against_examples_processed():
    at = open_app({"preset": "minibatch"})
    assert at.toggle(key="loss_by_examples").value
    spec = chart(at, "losses")["figure"]
    assert spec["layout"]["xaxis"]["title"]["text"] == "examples processed"
    at.toggle(key="loss_by_examples").set_value(False).run()
    spec = chart(at, "losses")["figure"]
    assert spec["layout"]["xaxis"]["title"]["text"] == "epoch"
    assert not [t for t in open_app().toggle if t.key == "loss_by_examples"]  # no data, no examples to count


@pytest.mark.parametrize("query, field", [
    ({**MINIBATCH, "batch_size": "101"}, "batch_size"),
    ({**MINIBATCH, "batch_size": "0"}, "batch_size"),
    ({**MINIBATCH, "batch_size": "2.5"}, "batch_size"),
    ({**MINIBATCH, "data_n": "5", "batch_size": "8"}, "batch_size"),
    ({**MINIBATCH, "optimizer2": "sgd", "batch_size2": "1e9"}, "batch_size2"),
])
def test_a_bad_batch_size_warns_and_falls_back(query, field):
    at = open_app(query)
    assert any(f"`{field}=" in w.value for w in at.warning), [w.value for w in at.warning]
    n = int(query.get("data_n", 100))
    key = "run1.sgd.batch_size" if field.endswith("2") else "run0.sgd.batch_size"
    assert at.number_input(key=key).value == min(10, n)
    assert len(lines(at)) == (2 if "optimizer2" in query else 1)


def test_fewer_data_points_shrink_a_larger_batch_to_the_whole_data():
    at = open_app(MINIBATCH)
    at.number_input(key="data_n").set_value(6).run()
    assert at.number_input(key="run0.sgd.batch_size").value == 6 and url(at)["batch_size"] == "6"
    assert not at.exception


def test_bad_value_keeps_the_good_ones():
    at = open_app({"optimizer": "momentum", "lr": "0.6", "momentum": "7"})
    assert lines(at) == ["epoch 20, x1 0.007188, x2 0.002553"]  # γ fell back to its default 0.5
    assert len(at.warning) == 1


def test_moving_a_slider_changes_the_line_and_the_url():
    at = open_app()
    at.select_slider(key="run0.gd.lr").set_value(0.6).run()
    assert lines(at) == ["epoch 20, x1 -0.387814, x2 -1673.365109"]
    assert url(at)["lr"] == "0.6"
    at.slider(key="epochs").set_value(30).run()
    assert lines(at)[0].startswith("epoch 30, ")
    assert url(at)["epochs"] == "30"


def test_adding_and_removing_runs():
    at = open_app()
    at.button(key="add_run").click().run()
    assert len(lines(at)) == 2 and url(at)["optimizer2"] == "sgd"  # the next optimizer not yet shown
    at.button(key="add_run").click().run()
    assert url(at)["optimizer3"] == "momentum" and len(set(lines(at))) == 3
    at.button(key="remove0").click().run()
    assert len(lines(at)) == 2 and url(at)["optimizer"] == "sgd" and "optimizer3" not in url(at)


def test_changing_the_surface_moves_the_start():
    at = open_app()
    at.number_input(key="x1").set_value(-4.0).run()
    assert url(at)["x1"] == "-4"
    at.selectbox(key="surface.en").set_value("rosenbrock").run()
    assert at.number_input(key="x1").value == -1.2 and at.number_input(key="x2").value == 1
    assert url(at)["surface"] == "rosenbrock" and "x1" not in url(at)  # the surface's own start


def test_chinese():
    at = open_app({"lang": "zh", "optimizer": "gd", "lr": "0.6"})
    assert at.title[0].value == "优化算法轨迹探索器"
    assert any("正在发散" in e.value for e in at.error)
    assert lines(at) == ["epoch 20, x1 -0.387814, x2 -1673.365109"]
    at.selectbox(key="lang").set_value("en").run()
    assert at.title[0].value == "Optimizer trajectory explorer"


def test_a_custom_formula_from_a_link():
    at = open_app({"surface": "custom", "formula": "0.1*x1^2 + 2*x2^2", "bounds": "-6,3,-3,3", "x1": "-5", "x2": "-2",
                   "optimizer": "momentum", "lr": "0.6", "momentum": "0.5"})
    assert lines(at) == ["epoch 20, x1 0.007188, x2 0.002553"]
    assert any("0.2 x_1" in latex.value for latex in at.latex)  # the gradient, from SymPy
    assert url(at)["formula"] == "0.1*x1^2 + 2*x2^2" and url(at)["bounds"] == "-6,3,-3,3"


def test_a_custom_formula_that_is_undefined_somewhere_says_so():
    at = open_app({"surface": "custom", "formula": "log(x1) + x2^2", "optimizer": "gd", "lr": "0.1", "x1": "2"})
    assert any("undefined" in i.value for i in at.info)


def test_a_hostile_formula_in_a_link_warns_and_falls_back():
    at = open_app({"surface": "custom", "formula": "__import__('os').system('id')"})
    assert any("`formula=" in w.value or "formula" in w.value for w in at.warning)
    assert url(at).get("formula") is None  # the default formula, not written
    assert len(lines(at)) == 1


def test_a_hostile_typed_formula_keeps_the_previous_surface():
    at = open_app({"surface": "custom", "formula": "x1^2 + x2^2", "optimizer": "gd", "lr": "0.1"})
    before = lines(at)
    at.text_input(key="formula").set_value("x1.__class__").run()
    assert not at.exception
    assert any("is not allowed: attribute access" in e.value for e in at.error)
    assert lines(at) == before and url(at)["formula"] == "x1^2 + x2^2"
    at.text_input(key="formula").set_value("x^2 + 2*y^2").run()
    assert lines(at) != before and url(at)["formula"] == "x^2 + 2*y^2" and not at.error


QUERY_NAMES = ["surface", "optimizer", "lr", "momentum", "epochs", "x1", "x2", "formula", "bounds", "lang",
               "optimizer2", "lr2", "gamma", "seed", "bias_correction", "map_optimizer", "map_lr_min", "map_lr_max",
               "zzz"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(QUERY_NAMES), st.text(max_size=40), max_size=6))
def test_random_links_never_raise(query):
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    assert len(lines(at)) >= 1


def test_the_presentation_link_drops_the_header_and_keeps_its_view():
    at = open_page("explorer", {"view": "present"})
    assert not at.title  # the chart is at the top of a projected screen
    assert at.query_params["view"] in ("present", ["present"])  # AppTest keeps a list once written
    plain = open_page("explorer", {})
    assert plain.title and "view" not in plain.query_params
    # and no PNG button under the chart: presenting four runs at 1024 × 768 it took a third row at the screen's foot
    assert "png" not in chart(at) and chart(plain)["png"] == {"filename": "trajectories"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exercise_link_hides_the_values_everywhere_not_only_the_sliders(lang):
    at = open_page("explorer", {"hide": "lr,momentum", "optimizer": "momentum", "lr": "0.45", "momentum": "0.55",
                                "lang": lang})
    shown = [str(e.value) for kind in ("markdown", "caption", "latex", "info", "code") for e in getattr(at, kind)]
    assert not any("0.45" in text or "0.55" in text for text in shown), [s for s in shown if "0.45" in s]
    assert any("η=?" in text and "γ=?" in text for text in shown)  # the run's label
    joined = words(lang, "list_separator").join((r"$\eta = ?$", r"$\gamma = ?$"))
    assert any(joined in text for text in shown)  # the rule's values
    names = [trace.get("name", "") for trace in chart(at)["figure"]["data"]]
    assert "1. Momentum η=?, γ=?" in names or "1. 动量法 η=?、γ=?" in names  # the chart's legend
    assert not any("0.45" in name or "0.55" in name for name in names)
    assert at.session_state["state"].runs[0].values == {"lr": 0.45, "momentum": 0.55, "dampening": 0.0,
                                                        "bias_correction": False}  # the values still apply


def everything_shown(at) -> list[str]:
    """The page's texts, its widgets' labels and chosen values, and its charts' data (legend, words, drags)."""
    texts = [str(e.value) for kind in ("markdown", "caption", "latex", "info", "code", "warning", "error")
             for e in getattr(at, kind)]
    texts += [str(v) for kind in ("slider", "select_slider", "selectbox", "toggle", "button", "number_input")
              for w in getattr(at, kind) for v in (w.label, getattr(w, "value", ""))]
    return texts + [str(component_data(e.proto)) for e in at.get("bidi_component")]


HIDDEN_MOMENTUM = {"optimizer": "momentum", "lr": "0.05", "momentum": "0.5", "vectors": "1"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("hide", ["optimizer", "optimizer1"])
@pytest.mark.parametrize("page, more", [("explorer", {}), ("basins", {}), ("stability", {"map_optimizer": "gd"}),
                                        ("stability", {"map_optimizer": "momentum"})])
def test_an_exercise_that_hides_the_optimizer_names_it_nowhere(lang, hide, page, more):
    """Hiding the optimizer hid its menu alone: the legend, the printed line, the rule and the momentum panel said
    "Momentum", and its γ and d sliders were in the sidebar (a teacher's trial); hide=optimizer1 left the menu; the
    basins' map titles named it; the stability map listed it as on another optimizer's map but its own (a review)."""
    query = {**HIDDEN_MOMENTUM, "lang": lang, **more}
    at = open_page(page, {**query, "hide": hide})
    name, label = optimizer_name(lang, "momentum"), f"1. {words(lang, 'optimizer_hidden')}"
    shown = everything_shown(at)
    if page == "stability":  # the map is of its own optimizer, named; the run is on none (its η is hidden), and is
        assert not [text for text in shown if f"1. {name}" in text or label in text]  # not said to be on another's
    else:
        general = {words(lang, "app_caption"), words(lang, "momentum_hidden")}  # all the optimizers; "γ or the …"
        said = [text for text in shown if text not in general]
        assert not [text for text in said if name in text or "γ" in text or text == "momentum"]
        assert any(label in text for text in shown)
    if page == "explorer":
        assert words(lang, "rule_hidden") in [c.value for c in at.caption]
        assert at.session_state["state"].runs[0].values["momentum"] == 0.5  # it still applies
    plain = open_page(page, query)  # without the exercise: named
    assert any(name in text for text in everything_shown(plain))


@pytest.mark.parametrize("hidden", ["gd", "momentum"])
def test_a_run_added_beside_a_hidden_optimizer_does_not_tell_it_by_elimination(hidden):
    """A new run takes the first optimizer not yet shown: GD beside a hidden momentum, SGD beside a hidden GD."""
    at = open_page("explorer", {"optimizer": hidden, "hide": "optimizer1"})
    at.button(key="add_run").click().run()
    assert at.session_state["state"].runs[1].optimizer == "gd"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exercise_from_an_experiment_does_not_name_it_where_its_title_says_the_hidden_values(lang):
    """The experiments menu named the loaded experiment ("… η = 0.4 and 0.6 …") in a student's exercise that hid
    those η (a teacher's trial); a plain view still names it."""
    title = PRESETS["gd_vs_momentum"].title(lang)
    assert "0.4" in title and "0.6" in title
    exercise = open_page("explorer", {"preset": "gd_vs_momentum", "hide": "lr,lr2,lr3", "lang": lang})
    assert not [w for w in exercise.selectbox if title in w.proto.placeholder]
    plain = open_page("explorer", {"preset": "gd_vs_momentum", "lang": lang})
    assert [w for w in plain.selectbox if w.proto.placeholder.startswith(title)]


@pytest.mark.parametrize("lang, said", [
    ("en", "The start (10000, -2) is outside the plot (x1 from -5.5 to 2.5, x2 from -3 to 3)"),
    ("zh", "初始点 (10000, -2) 在图像范围之外（x1 从 -5.5 到 2.5，x2 从 -3 到 3）")])
def test_a_start_outside_the_plot_is_said_not_left_to_an_empty_chart(lang, said):
    """x1 typed as 99999 (taken at 10,000) left the chart with no start and no path, and nothing said why."""
    at = open_page("explorer", {"lang": lang})
    at.number_input(key="x1").set_value(99999.0).run()
    assert [i.value for i in at.info if i.value.startswith(said)]
    # the box's own word is under both start boxes, not in x1's narrow column (a word a line there)
    clamped = [w for w in at.sidebar.warning if "10,000" in w.value]
    assert len(clamped) == 1 and not [w for column in at.sidebar.columns for w in column.warning]
    assert not [i for i in open_page("explorer", {"lang": lang}).info if "(-5, -2)" in i.value]


@pytest.mark.parametrize("lang, said", [
    ("en", "The box “x1” holds no number (left empty, or one too large to read): keeping -5."),
    ("zh", "“x1”的输入框里没有可读的数（为空，或数太大）：保留 -5。")])
def test_an_emptied_start_box_keeps_its_number_and_says_so(lang, said):
    """A start box emptied (or given letters, which a number box drops) was taken as 0: the run moved to (0, -2)
    with nothing said."""
    at = open_page("explorer", {"lang": lang, "x1": "-5"})
    before = lines(at)
    at.number_input(key="x1").set_value(None).run()
    assert [w.value for w in at.sidebar.warning] == [said]
    assert at.number_input(key="x1").value == -5.0 and lines(at) == before and url(at)["x1"] == "-5"
    at.number_input(key="x1").set_value(-4.0).run()  # a number: taken, and no word
    assert at.number_input(key="x1").value == -4.0 and url(at)["x1"] == "-4" and not at.sidebar.warning


def test_switching_optimizer_keeps_eta_only_where_it_means_the_same():
    at = open_page("explorer", {"optimizer": "gd", "lr": "0.3"})
    at.selectbox(key="run0.optimizer.en").set_value("momentum").run()
    assert at.session_state["state"].runs[0].values["lr"] == 0.3  # both take η times the gradient
    at.selectbox(key="run0.optimizer.en").set_value("adadelta").run()
    assert at.session_state["state"].runs[0].values["lr"] == 1.0  # AdaDelta's own: the textbook's, no η
    at.selectbox(key="run0.optimizer.en").set_value("gd").run()
    assert at.session_state["state"].runs[0].values["lr"] == 0.4  # the quadratic's own η


def test_switching_optimizer_keeps_a_kept_values_schedule():
    at = open_page("explorer", {"optimizer": "momentum", "momentum_schedule": "linear", "momentum_final": "0.8",
                                "lr_schedule": "cosine"})
    at.selectbox(key="run0.optimizer.en").set_value("nesterov").run()
    run = at.session_state["state"].runs[0]
    assert run.schedule("momentum") == ("linear", {"ramp": 10, "final": 0.8}) and run.schedule("lr")[0] == "cosine"
    at.selectbox(key="run0.optimizer.en").set_value("adam").run()  # Adam has no γ, and its η is not GD's
    assert at.session_state["state"].runs[0].schedules == ()


def test_a_network_link_with_eta_alone_changes_the_article_run():
    at = open_page("network", {"net_lr": "0.02", "net_steps": "50"})
    assert at.session_state["state"].net_runs[0].values == {"lr": 0.02, "momentum": 0.9, "dampening": 0.9,
                                                            "bias_correction": False}


def test_a_scheduled_gamma_shows_its_weights_at_the_last_epoch():
    from figures import scheduled_weights
    from optimizers import Schedule

    at = open_app({"preset": "momentum_ramp"})
    text = " ".join(m.value for m in at.markdown)
    gammas = Schedule("linear", 0.5, final=0.9, ramp=10).table(20)
    weights = scheduled_weights(gammas, 1.0)
    assert f"at the last epoch (20): now {100 * weights[0]:.0f}%, one step ago {100 * weights[1]:.0f}%" in text
    spec = chart(at, "weights")["figure"]
    constant, ramp = spec["data"]
    from tests.test_figures import array

    assert len(array(ramp["x"])) == 20 and len(array(constant["x"])) == 30  # the ramp's: its 20 epochs only
    # one window mark: the constant γ's 1/(1 − γ); a schedule has none (and the shade of the steps before the run)
    assert [shape["type"] for shape in spec["layout"]["shapes"]] == ["line", "rect"]


def test_a_gamma_near_1_has_its_weights_said_in_plain_numbers():
    """γ = 0.999: "1/(1 − γ) = 1e+03" (a teacher's trial) beside "100000%": a window of 1000 gradients."""
    for gamma, said in (("0.999", "100000%; 1/(1 − γ) = 1000."), ("0.9999", "1000000%; 1/(1 − γ) = 10000.")):
        at = open_page("explorer", {"optimizer": "momentum", "lr": "0.001", "momentum": gamma})
        text = " ".join(m.value for m in at.markdown)
        assert f"all together (without end) {said}" in text, text
        assert "e+" not in text


def test_an_exercise_may_hide_one_runs_values_and_leave_the_others():
    """hide=lr2,momentum2 hides run 2's η and γ only (it was refused, with a 15-line warning)."""
    at = open_page("explorer", {"optimizer": "gd", "lr": "0.4", "optimizer2": "momentum", "lr2": "0.45",
                                "momentum2": "0.55", "hide": "lr2,momentum2"})
    assert not at.warning
    shown = [str(e.value) for kind in ("markdown", "caption", "latex", "info", "code") for e in getattr(at, kind)]
    assert not any("0.45" in text or "0.55" in text for text in shown)
    assert any("1. Gradient descent η=0.4" in text for text in shown)
    assert any("2. Momentum η=?, γ=?" in text for text in shown)
    keys = {w.key for w in at.select_slider} | {w.key for w in at.slider}
    assert "run0.gd.lr" in keys and "run1.momentum.lr" not in keys and "run1.momentum.momentum" not in keys
    names = [trace.get("name", "") for trace in chart(at)["figure"]["data"]]
    assert "2. Momentum η=?, γ=?" in names and not any("0.45" in name for name in names)
    assert at.session_state["state"].runs[1].values["lr"] == 0.45  # the values still apply


def test_the_exercise_builder_gives_a_link_that_hides_what_was_picked():
    from urllib.parse import parse_qsl

    at = open_page("explorer", {"optimizer": "gd", "lr": "0.4", "optimizer2": "momentum", "lr2": "0.45",
                                "momentum2": "0.55", "epoch": "12"}, opened=("exercise_open",))
    at.multiselect(key="exercise_hide.en").set_value(["lr2", "momentum2"]).run()
    link = next(c.value for c in at.code if "exercise=" in c.value)
    query = dict(parse_qsl(link.split("?", 1)[1]))
    assert set(query) == {"exercise"} and "0.45" not in link and "0.55" not in link
    student = open_page("explorer", query)
    state = student.session_state["state"]
    assert state.hide == ("lr2", "momentum2") and state.runs == at.session_state["state"].runs
    assert state.epoch is None and chart(student)["epoch"] == 0  # from the start: the teacher's epoch 12 would tell
    assert not student.warning and not [m for m in student.multiselect if m.key.startswith("exercise")]
    shown = [str(e.value) for kind in ("markdown", "code") for e in getattr(student, kind)]
    assert any("2. Momentum η=?, γ=?" in text for text in shown) and not any("0.45" in text for text in shown)


def test_a_links_epoch_is_where_the_chart_opens_within_the_epochs():
    assert chart(open_page("explorer", {"epoch": "7"}))["epoch"] == 7
    assert chart(open_page("explorer", {"epoch": "30", "view3d": "1"}))["epoch"] == 20  # the last of 20
    assert chart(open_page("explorer", {}))["epoch"] == 0
    at = open_page("explorer", {"epoch": "-3"})
    assert chart(at)["epoch"] == 0 and [w for w in at.warning if "epoch" in w.value]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_of_the_explorer_has_a_text_alternative_naming_its_runs(lang):
    at = open_page("explorer", {"lang": lang, "optimizer": "momentum", "vectors": "1", "lr_schedule": "exponential",
                                "lr_decay": "0.9"})
    given = charts(at)
    assert {"contour", "losses", "internals", "weights", "eigen"} <= set(given)
    label = {"en": "1. Momentum", "zh": "1. 动量法"}[lang]
    assert all(label in data["description"] for data in given.values()), {k: d["description"] for k, d in given.items()}



@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_eigen_charts_words_say_dashed_only_beside_a_dashed_line_and_which_runs_have_none(lang):
    """A teacher's trial: beside AdaGrad's error chart the text spoke of dashed theory lines that were not drawn."""
    def shown(query):
        at = open_page("explorer", {"lang": lang, **query}, opened=("eigen_open",))
        dashed = any(trace.get("line", {}).get("dash") == "dash" for trace in chart(at, "eigen")["figure"]["data"])
        return dashed, " ".join(str(e.value) for e in (*at.markdown, *at.caption))

    def none_for(n):
        return words(lang, "eigen_no_theory", runs=words(lang, "run_n", n=n))

    dashed, text = shown({"optimizer": "adagrad", "lr": "0.4"})
    assert not dashed and words(lang, "eigen_dashed") not in text and none_for(1) in text
    dashed, text = shown({"optimizer": "gd", "optimizer2": "adagrad", "optimizer3": "momentum"})
    assert dashed and words(lang, "eigen_dashed") in text and none_for(2) in text
    dashed, text = shown({"optimizer": "momentum"})
    assert dashed and words(lang, "eigen_dashed") in text and none_for(1) not in text
    # an exercise hides run 1's values: run 2's line is drawn and said, run 1's absence is said (not "only the errors")
    dashed, text = shown({"optimizer": "momentum", "lr": "0.45", "momentum": "0.55", "optimizer2": "gd",
                          "hide": "lr1,momentum1"})
    assert dashed and words(lang, "eigen_dashed") in text
    assert words(lang, "eigen_hidden", runs=words(lang, "run_n", n=1)) in text and none_for(1) not in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_switch_under_a_rule_is_said_in_words_not_as_a_formula(lang):
    """A teacher's trial: under momentum's rule "bc = off" (偏差修正 = 关闭 in a formula's type) said nothing."""
    at = open_page("explorer", {"lang": lang, "optimizer": "momentum", "bias_correction": "true"})
    values = next(e.value for e in at.markdown if "= 0.4$" in e.value)
    said = words(lang, "setting_is", name={"en": "bias correction", "zh": "偏差修正"}[lang],
                 value=words(lang, "switch_on"))
    assert values.endswith(said) and "bc" not in values and r"\text" not in values, values
    if lang == "zh":  # hidden, the run's label names it in Chinese too (it said "bias correction=?")
        at = open_page("explorer", {"lang": lang, "optimizer": "momentum", "bias_correction": "true",
                                    "hide": "bias_correction"})
        assert "偏差修正=?" in chart(at)["figure"]["data"][0]["name"] + "".join(e.value for e in at.markdown)
        assert not any("bias correction" in e.value for e in at.markdown), [e.value for e in at.markdown]

def test_an_exercise_that_hides_the_surface_keeps_it_from_the_charts_text_alternative_too():
    at = open_page("explorer", {"surface": "rosenbrock", "hide": "surface"})
    label = chart(at)["description"]
    assert label.startswith("The runs' paths on the surface.") and "Rosenbrock" not in label and "x1**2" not in label
    quadratic = open_page("explorer", {"hide": "surface"})
    assert "eigen" not in charts(quadratic)  # "on a quadratic" would say it


def _refuse(constant: str):
    raise ValueError(f"{constant} is not JSON")


@pytest.mark.parametrize("query", [{"lr": "3", "epochs": "300"}, {"lr": "1", "epochs": "1000", "view3d": "1"},
                                   {"lr": "3", "epochs": "400", "vectors": "1"}])
def test_a_run_that_overflows_sends_the_browser_json_it_can_read(query):
    """A teacher pushes η and the epochs to the top: the overflowed points (NaN) reach the browser as null,
    not as NaN, which the browser's JSON.parse refuses (the chart was an error box)."""
    at = open_page("explorer", query)
    for element in at.get("bidi_component"):
        component_data(element.proto, parse_constant=_refuse)
    assert "diverg" in " ".join(str(e.value) for e in at.error)


def test_an_exercise_picks_run_1s_eta_alone_and_the_others_stay_shown():
    """"Run 1: learning rate η" in the builder hid every run's η (hide=lr means all runs); now it is lr1."""
    at = open_page("explorer", {"preset": "gd_vs_momentum"}, opened=("exercise_open",))
    at.multiselect(key="exercise_hide.en").set_value(["lr1"]).run()
    link = next(c.value for c in at.code if "exercise=" in c.value)
    from urllib.parse import parse_qsl

    student = open_page("explorer", dict(parse_qsl(link.split("?", 1)[1])))
    assert student.session_state["state"].hide == ("lr1",)
    labels = [str(m.value) for m in student.markdown if "Gradient descent" in str(m.value)]
    assert any("1. Gradient descent η=?" in label for label in labels)
    assert any("2. Gradient descent η=0.6" in label for label in labels), labels


def test_an_exercise_folds_the_lesson_and_the_printed_lines_until_the_prediction():
    """A changed preset's card named its values in its title ("Momentum, η = 0.6, γ = 0.5"), and the printed
    lines and a divergence message gave the answer away: in an exercise all of them are folded."""
    at = open_page("explorer", {"preset": "momentum_06", "hide": "lr", "lr_schedule": "exponential",
                                "lr_decay": "0.9"})
    title = PRESETS["momentum_06"].title("en")
    folded = {e.label: e for e in at.expander}
    lesson, results = folded[words("en", "lesson_reveal")], folded[words("en", "results_reveal")]
    assert any(title in i.value for i in lesson.info)
    assert not any(title in i.value for i in at.info if i not in lesson.info)
    assert [str(c.value) for c in results.markdown if str(c.value).startswith("`epoch ")]
    gd = open_page("explorer", {"optimizer": "gd", "lr": "0.6", "hide": "lr"})
    (results,) = [e for e in gd.expander if e.label == words("en", "results_reveal")]
    assert len(results.error) == 1 and len(gd.error) == 1  # "diverging", inside the fold only
    # nor in the chart's text alternative, which a screen reader says on focus (a trial read run 2's diverging line)
    assert chart(gd)["description"].endswith(words("en", "ends_folded")) and "epoch 20" not in chart(gd)["description"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exercise_folds_the_loss_and_eigen_charts_until_the_prediction(lang):
    """The loss chart showed every epoch of every run while the contour's trail hid the path ahead: run 2's loss
    climbing to 10⁶ told the class it diverges. In an exercise it, and the error along the eigen-directions, are
    folded and drawn only once opened; outside an exercise they are drawn as before."""
    query = {"preset": "gd_vs_momentum", "hide": "lr", "lang": lang}
    at = open_page("explorer", query)
    assert not {"losses", "eigen"} & set(charts(at))
    labels = [e.label for e in at.expander]
    assert words(lang, "loss_reveal") in labels and words(lang, "eigen_reveal") in labels
    opened = open_page("explorer", query, opened=("loss_open", "eigen_open"))
    assert {"losses", "eigen"} <= set(charts(opened))
    lesson = open_page("explorer", {"preset": "gd_vs_momentum", "lang": lang})
    assert {"losses", "eigen"} <= set(charts(lesson))
    assert words(lang, "loss_reveal") not in [e.label for e in lesson.expander]


def test_the_momentum_weights_list_has_one_marker_per_run():
    """Each run's line is a bullet that starts with its label "2. Momentum …": Markdown read the "2." as a
    numbered list inside the bullet ("• 2." twice marked)."""
    from markdown_it import MarkdownIt

    at = open_app({"optimizer": "gd", "optimizer2": "momentum", "optimizer3": "nesterov"})
    (text,) = [str(m.value) for m in at.markdown if str(m.value).startswith("- ")]
    html = MarkdownIt().render(text)
    assert "<ol" not in html and html.count("<li>") == 2 and "<li>2. Momentum" in html, html
