"""The app through streamlit.testing's AppTest: what a user sees for a link or a click."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from optimizers import OPTIMIZERS
from surfaces import SURFACES
from tests.pages import open_page
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
    return [c.value for c in at.code]


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


def test_gd_past_the_bound_says_when_it_diverged():
    at = open_app({"optimizer": "gd", "lr": "0.6", "epochs": "100"})
    assert any("diverged at epoch 81: |x2| passed 1e+12" in e.value for e in at.error)


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
    assert len(lines(at)) == len(preset.state.runs)
    for shown, expected in zip(lines(at), preset.expected):
        if expected:
            assert shown == expected
    if any(preset.expected):
        assert any("matches" in c.value for c in at.caption)
    assert any(PRESETS[key].cite("en") in i.value for i in at.info)
    assert url(at)["surface"] == preset.state.surface


@pytest.mark.parametrize("surface", list(SURFACES))
def test_every_optimizer_on_every_surface_renders(surface):
    for optimizer in OPTIMIZERS:
        at = open_app({"surface": surface, "optimizer": optimizer, "epochs": "50"})
        assert len(lines(at)) == 1
        assert "nan" not in lines(at)[0] and "inf" not in lines(at)[0]
        if "diverged at epoch" in lines(at)[0]:  # its last finite point, and the message says how
            assert re.fullmatch(r"epoch \d+, x1 \S+, x2 \S+ \(diverged at epoch \d+(; the last finite point)?\)",
                                lines(at)[0])
            assert any("diverged at epoch" in e.value for e in at.error)
        else:
            assert lines(at)[0].startswith("epoch 50, ")
        assert not at.warning


@pytest.mark.parametrize(
    "query, field",
    [
        ({"surface": "sphere"}, "surface"),
        ({"optimizer": "adamw"}, "optimizer"),
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
    assert any("0.2 x_{1}" in latex.value for latex in at.latex)  # the gradient, from SymPy
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exercise_link_hides_the_values_everywhere_not_only_the_sliders(lang):
    at = open_page("explorer", {"hide": "lr,momentum", "optimizer": "momentum", "lr": "0.45", "momentum": "0.55",
                                "lang": lang})
    shown = [str(e.value) for kind in ("markdown", "caption", "latex", "info", "code") for e in getattr(at, kind)]
    assert not any("0.45" in text or "0.55" in text for text in shown), [s for s in shown if "0.45" in s]
    assert any("η=?" in text and "γ=?" in text for text in shown)  # the run's label
    assert any(r"\eta = ?,\quad \gamma = ?" in text for text in shown)  # the rule's values
    names = [trace.get("name", "") for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert "1. Momentum η=?, γ=?" in names or "1. 动量法 η=?、γ=?" in names  # the chart's legend
    assert not any("0.45" in name or "0.55" in name for name in names)
    assert at.session_state["state"].runs[0].values == {"lr": 0.45, "momentum": 0.55, "dampening": 0.0,
                                                        "bias_correction": False}  # the values still apply


def test_switching_optimizer_keeps_eta_only_where_it_means_the_same():
    at = open_page("explorer", {"optimizer": "gd", "lr": "0.3"})
    at.selectbox(key="run0.optimizer.en").set_value("momentum").run()
    assert at.session_state["state"].runs[0].values["lr"] == 0.3  # both take η times the gradient
    at.selectbox(key="run0.optimizer.en").set_value("adadelta").run()
    assert at.session_state["state"].runs[0].values["lr"] == 1.0  # AdaDelta's own: the textbook's, no η
    at.selectbox(key="run0.optimizer.en").set_value("gd").run()
    assert at.session_state["state"].runs[0].values["lr"] == 0.4  # the quadratic's own η


def test_a_network_link_with_eta_alone_changes_the_article_run():
    at = open_page("network", {"net_lr": "0.02", "net_steps": "50"})
    assert at.session_state["state"].net_runs[0].values == {"lr": 0.02, "momentum": 0.9, "dampening": 0.9,
                                                            "bias_correction": False}
