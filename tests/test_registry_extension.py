"""A new optimizer or surface is one registry entry: registered here, in the test, both
appear in the menus, the link, every page and both languages, with no page code changed."""

import math
import re

import numpy as np
import pytest

from optimizers import OPTIMIZERS, rules, run
from optimizers.hyperparams import Hyperparameter
from optimizers.registry import Optimizer
from surfaces import SURFACES, Surface
from tests.pages import open_page
from tests.test_app import lines
from ui.i18n import t
from ui.link import from_query, to_query


def soft_sign_update(x, state, grad, t, h):
    """x ← x − η·τ·tanh(g/τ): sign descent, softened by a temperature τ."""
    tau = h["temperature"]
    return x - h["lr"] * tau * np.tanh(grad(x) / tau), state


def soft_sign_reference(x, state, grad, t, h):
    """The same rule as a plain scalar loop."""
    g = grad(x)
    for i in range(2):
        x[i] = x[i] - h["lr"] * h["temperature"] * math.tanh(g[i] / h["temperature"])


SOFT_SIGN = Optimizer(
    "soft_sign", "Soft sign descent", rules.Rule(rules._no_state, soft_sign_update),
    (Hyperparameter("lr", r"\eta", "learning rate η", 0.2, low=0.0, low_open=True, slider=(0.001, 3.0), log=True,
                    glyph="η", in_label=True),
     Hyperparameter("temperature", r"\tau", "temperature τ", 1.0, low=0.0, low_open=True, slider=(0.05, 5.0),
                    glyph="τ", in_label=True)),
    r"x \leftarrow x - \eta\,\tau \tanh(g / \tau)",
    note="A made-up optimizer, registered by a test.",
    momentum=None,
    map_axis="temperature",
    reference=soft_sign_reference,
)

CONE = Surface("cone", "Rounded cone", lambda a, b: np.sqrt(1 + a * a + 4 * b * b),
               lambda a, b: (a / np.sqrt(1 + a * a + 4 * b * b), 4 * b / np.sqrt(1 + a * a + 4 * b * b)),
               latex=r"f(x) = \sqrt{1 + x_1^2 + 4 x_2^2}", bounds=((-4.0, 4.0), (-3.0, 3.0)), start=(-3.0, 2.0),
               minima=((0.0, 0.0),), source="a test")


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(OPTIMIZERS, "soft_sign", SOFT_SIGN)
    monkeypatch.setitem(SURFACES, "cone", CONE)


LINK = {"surface": "cone", "optimizer": "soft_sign", "lr": "0.3", "temperature": "0.5", "map_optimizer": "soft_sign",
        "net_optimizer": "soft_sign", "net_lr": "0.3", "net_temperature": "0.5", "net_steps": "300"}


@pytest.mark.parametrize("page", ["explorer", "stability", "basins", "race", "network"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_new_optimizer_and_surface_work_on_every_page_from_a_link(registered, page, lang):
    at = open_page(page, {**LINK, "lang": lang})
    outcome = max(re.split(r"\{[^}]*\}", t(lang, "net_not_stopped")), key=len)  # its longest fixed words
    link_warnings = [w.value for w in at.warning if outcome not in w.value]
    assert not link_warnings  # every field of the link was understood (the network's own outcome aside)
    if page != "network":  # the network page has no surface
        assert at.selectbox(key=f"surface.{lang}").value == "cone"
    if page == "race":  # every optimizer races, the new one too
        assert any("Soft sign descent" in m.value for m in at.markdown)
        return
    if page != "stability":  # the map has its own optimizer; the network page its own runs
        run_key = "net_run0" if page == "network" else "run0"
        assert at.selectbox(key=f"{run_key}.optimizer.{lang}").value == "soft_sign"
        assert at.select_slider(key=f"{run_key}.soft_sign.temperature").value == 0.5
        assert at.select_slider(key=f"{run_key}.soft_sign.temperature").label == "temperature τ"  # the registry's words
    if page == "explorer":
        expected = run("soft_sign", "cone", lr=0.3, temperature=0.5).line()
        assert lines(at) == [expected]
        label = "Soft sign descent η=0.3" + t(lang, "list_separator") + "τ=0.5"  # the page's list separator
        assert any(label in m.value for m in at.markdown)
        assert any(c.value == "A made-up optimizer, registered by a test." for c in at.caption)
    if page == "stability":
        assert any("temperature τ" in c.value for c in at.caption)  # the map's second axis, from the registry
    if page == "basins":
        assert any(m.value.startswith("1\\. Soft sign descent η=0.3") for m in at.markdown)  # a paragraph


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_new_optimizer_and_surface_are_in_the_menus(registered, lang):
    at = open_page("explorer", {"lang": lang})
    at.selectbox(key=f"surface.{lang}").set_value("cone").run()
    at.selectbox(key=f"run0.optimizer.{lang}").set_value("soft_sign").run()
    assert not at.exception
    at.select_slider(key="run0.soft_sign.temperature").set_value(2.0).run()
    assert at.session_state["state"].runs[0].values["lr"] == 0.2  # its own: GD's η, a multiple of the gradient, is not
    assert lines(at) == [run("soft_sign", "cone", lr=0.2, temperature=2.0).line()]
    link = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert link["surface"] == "cone" and link["optimizer"] == "soft_sign" and link["temperature"] == "2"
    at.button(key="add_run").click().run()  # the next optimizer not yet shown: gd
    assert not at.exception and len(lines(at)) == 2


def test_the_link_round_trip_knows_the_new_entries(registered):
    state, problems = from_query(LINK)
    assert not problems and from_query(to_query(state))[0] == state


def test_the_new_entry_agrees_with_its_own_reference_loop(registered):
    from tests.reference_loops import reference_run
    from tests.test_reference_agreement import compare

    lr, tau = np.array([0.1, 0.3, 1.0]), np.array([0.2, 1.0, 3.0])
    traj = run("soft_sign", "cone", epochs=25, lr=lr, temperature=tau)
    for i in range(3):
        compare(traj.points[i], reference_run("soft_sign", CONE, CONE.start, 25, lr=lr[i], temperature=tau[i]))


def test_an_entry_carries_its_own_words_in_chinese(monkeypatch):
    """Its words live in the entry (no string table to edit): the Chinese page names the optimizer,
    its hyperparameter and the surface in Chinese."""
    from dataclasses import replace

    temperature = replace(SOFT_SIGN.hyperparameters[1], words={"zh": {"label": "温度 τ"}})
    monkeypatch.setitem(OPTIMIZERS, "soft_sign", replace(
        SOFT_SIGN, hyperparameters=(SOFT_SIGN.hyperparameters[0], temperature),
        words={"zh": {"name": "软符号下降", "note": "测试中注册的虚构算法。"}}))
    monkeypatch.setitem(SURFACES, "cone", replace(CONE, words={"zh": {"name": "圆锥"}}))
    at = open_page("explorer", {**LINK, "lang": "zh"})
    assert any("软符号下降 η=0.3" in m.value for m in at.markdown)
    assert any(c.value == "测试中注册的虚构算法。" for c in at.caption)
    assert at.select_slider(key="run0.soft_sign.temperature").label == "温度 τ"
    assert "圆锥" in at.selectbox(key="surface.zh").options
