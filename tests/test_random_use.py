"""Random sequences of user actions through AppTest: whatever a user does, in any order,
the page raises nothing and never shows NaN or infinity as a result.

Each sequence is seeded, so a failure names the seed that reproduces it:
    ./test.sh tests/test_random_use.py -k "seed_17-"
"""

from __future__ import annotations

import random
import re

import pytest
from streamlit.testing.v1 import AppTest

from optimizers import OPTIMIZERS
from ui.presets import PRESETS
from ui.state import LANGUAGES, schedule_kinds, surface_keys

SEQUENCES, ACTIONS = 200, 15
# the slow paths (long runs, long training) have their own tests; here they would only cost time
EPOCHS, NET_STEPS = 30, 300
SLOW_BUTTONS = {"net_preset"}  # 10,000 training steps per run; tests/test_network.py presses it
PAGES = ("explorer", "stability", "network")

# the three pages behind the shared sidebar; "page" in session state plays the navigation
SCRIPT = """
import streamlit as st
from ui import session
from views import explorer, network, stability

session.begin()
page = st.session_state.get("page", "explorer")
state = session.sidebar(page)
session.show_link_problems(state.lang)
{"explorer": explorer, "stability": stability, "network": network}[page].render()
session.finish()
"""

FORMULAS = ["x1^2 + 3*x2^2", "sin(x1)*cos(x2) + 0.1*(x1^2 + x2^2)", "1/x1 + 1/x2", "0^x1 + x2^2",
            "((((3^64)^64)^64)^64)^64*x1", "log(x1) + x2^2", "abs(x1) + abs(x2)", "x1.real", "exp(x1*x2)", ""]
NOT_A_NUMBER = re.compile(r"(?<![A-Za-z])(nan|inf|infinity)(?![A-Za-z])", re.IGNORECASE)


def shown_texts(at: AppTest) -> list[str]:
    kinds = ("code", "markdown", "caption", "info", "warning", "error", "success", "title", "latex")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def raw_options(key: str) -> list[str]:
    name = key.split(".")[0]
    if name == "lang":
        return list(LANGUAGES)
    if name == "surface":
        return surface_keys()
    if name == "preset_pick":
        return list(PRESETS)
    if key.split(".")[3:4] == ["schedule"]:  # run0.gd.lr.schedule.en: the kinds that η may follow
        _, optimizer, hyper = key.split(".")[:3]
        return list(schedule_kinds(OPTIMIZERS[optimizer].hyperparameter(hyper)))
    return list(OPTIMIZERS)  # a run's optimizer, the map's optimizer


def random_widget_action(at: AppTest, rng: random.Random) -> str:
    """Set one widget on the page to a random valid value (or click a button)."""
    widgets = [*at.selectbox, *at.slider, *at.select_slider, *at.number_input, *at.text_input, *at.toggle,
               *at.checkbox, *(b for b in at.button if b.key not in SLOW_BUTTONS)]
    widget = rng.choice(widgets)
    kind = type(widget).__name__
    if kind == "Selectbox":  # AppTest selects by raw value; the options it lists are the labels
        widget.set_value(rng.choice(raw_options(widget.key)))
    elif kind == "Slider":
        low, high = widget.min, widget.max
        value = rng.uniform(low, high) if isinstance(low, float) else rng.randint(low, min(high, EPOCHS))
        widget.set_value(value)
    elif kind == "SelectSlider":
        widget.set_value(float(rng.choice(widget.options)))
    elif kind == "NumberInput":
        low, high = max(widget.min, -10), min(widget.max, 10 if widget.key != "net_steps" else NET_STEPS)
        value = rng.uniform(low, high) if isinstance(widget.value, float) else rng.randint(int(low), int(high))
        widget.set_value(value)
    elif kind == "TextInput":
        widget.input(rng.choice(FORMULAS))
    elif kind in ("Toggle", "Checkbox"):
        widget.set_value(not widget.value)
    else:
        widget.click()
    return f"{kind} {widget.key}"


def random_action(at: AppTest, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.06:
        page = rng.choice(PAGES)
        at.session_state["page"] = page
        return f"page {page}"
    if roll < 0.16:
        lang = rng.choice(LANGUAGES)
        at.selectbox(key="lang").set_value(lang)
        return f"lang {lang}"
    lang = at.selectbox(key="lang").value
    shown = {box.key for box in at.selectbox}  # the network page has neither experiments nor surfaces
    if roll < 0.24 and f"preset_pick.{lang}" in shown:
        preset = rng.choice(list(PRESETS))
        at.selectbox(key=f"preset_pick.{lang}").set_value(preset)
        return f"preset {preset}"
    if roll < 0.32 and f"surface.{lang}" in shown:
        surface = rng.choice(surface_keys())
        at.selectbox(key=f"surface.{lang}").set_value(surface)
        return f"surface {surface}"
    return random_widget_action(at, rng)


_components = {}


def new_session() -> AppTest:
    """A fresh AppTest; they share one registry of custom components (we use none), which
    AppTest would otherwise rebuild by scanning every installed package (a quarter second)."""
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    if "manager" in _components and hasattr(at, "_bidi_component_manager"):  # Streamlit ≥ 1.59
        at._bidi_component_manager = _components["manager"]
    return at


@pytest.fixture(autouse=True)
def coarse_maps(monkeypatch):
    """The stability map at 40 × 40 cells: its 200 × 200 form has its own tests, and here
    only the paths through the state matter."""
    import views.stability

    monkeypatch.setattr(views.stability, "CELLS", 40)


@pytest.mark.parametrize("seed", range(SEQUENCES), ids=lambda s: f"seed_{s}")
def test_random_use_never_breaks_the_page(seed):
    rng = random.Random(seed)
    at = new_session()
    at.query_params["net_steps"] = str(NET_STEPS)
    if rng.random() < 0.3:  # some sequences start from a link
        at.query_params.update(rng.choice([{"preset": rng.choice(list(PRESETS))}, {"lang": "zh"},
                                           {"surface": "custom", "formula": rng.choice(FORMULAS)},
                                           {"hide": "lr,momentum", "optimizer": "momentum"},
                                           {"surface": "regression"}]))
    at.run()
    _components.setdefault("manager", getattr(at, "_bidi_component_manager", None))
    done = ["open"]
    for _ in range(ACTIONS):
        done.append(random_action(at, rng))
        at.run()
        assert not at.exception, (done, [e.value for e in at.exception])
        bad = [text for text in shown_texts(at) if NOT_A_NUMBER.search(text)]
        assert not bad, (done, bad)
