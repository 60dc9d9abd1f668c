"""Random sequences of user actions through AppTest: whatever a user does, in any order,
on any page, the page raises nothing and never shows NaN or infinity as a result.

Most sequences run on smaller maps, networks and epochs (only the paths through the state
matter there); the first AT_DEFAULTS run every page at the sizes every student meets
(the network's 10,000 steps, the 200 × 200 map, the 150 × 150 basins, any epochs). Each
sequence starts from a link that turns on one of the views and toggles in turn, so that
all of them are walked. Each is seeded: a failure names the seed that reproduces it:
    ./test.sh "tests/test_random_use.py::test_random_use_never_breaks_the_page[seed_17]"
"""

from __future__ import annotations

import random
import re
from dataclasses import fields

import pytest
from streamlit.testing.v1 import AppTest

from optimizers import OPTIMIZERS
from classroom.truth import OUTCOMES
from ui.presets import PRESETS
from surfaces.formula import BOUND_LIMIT
from ui.session import BOUND_KEYS, number_range
from tests.pages import PANELS
from viewmodel.classroom import KINDS
from ui.state import LANGUAGES, AppState, schedule_kinds, surface_keys

SEQUENCES, ACTIONS = 200, 15
AT_DEFAULTS = 15  # sequences at the default sizes: three on each page
# the smaller sizes of the other sequences
EPOCHS, NET_STEPS, MAP_CELLS, BASIN_STARTS = 30, 300, 40, 30
SLOW_BUTTONS = {"net_preset"}  # 10,000 training steps per run: only at the defaults
PAGES = ("explorer", "stability", "basins", "race", "network")
# the link each sequence opens, in turn: every view and toggle, schedules and minibatches
START_LINKS = ({}, {"view3d": "1"}, {"vectors": "1"}, {"lang": "zh"},
               {"lr_schedule": "exponential", "lr_decay": "0.9", "optimizer2": "momentum",
                "momentum_schedule2": "linear", "momentum_final2": "0.9"},
               {"surface": "regression", "optimizer": "sgd", "batch_size": "5", "optimizer2": "adam"},
               {"surface": "regression", "data_n": "5", "optimizer": "sgd"},
               {"hide": "lr,momentum", "optimizer": "momentum"}, {"equal_axes": "false", "surface": "beale"},
               {"view": "present", "surface": "himmelblau", "optimizer2": "momentum"})

# app.py's navigation, with the test's move to another page as a click on the menu would make it
SCRIPT = """
import streamlit as st
from ui import session
from views import navigation

state = session.begin()
page = st.navigation(navigation.build(state.lang, bool(state.ask)), position="hidden")
goto = st.session_state.pop("goto", None)
if goto and not state.ask:  # a question to the class is its link's only page
    st.switch_page(navigation.page(goto))
state = session.sidebar(navigation.name_of(page))
session.show_link_problems(state.lang)
page.run()
navigation.follow_requests()
session.finish()
"""

FORMULAS = ["x1^2 + 3*x2^2", "sin(x1)*cos(x2) + 0.1*(x1^2 + x2^2)", "1/x1 + 1/x2", "0^x1 + x2^2",
            "((((3^64)^64)^64)^64)^64*x1", "log(x1) + x2^2", "abs(x1) + abs(x2)", "x1.real", "exp(x1*x2)", ""]
STATE_FIELDS = {f.name for f in fields(AppState)}
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
    if name == "ask_kind":  # asking the class
        return list(KINDS)
    if name == "ask_choice":
        return list(OUTCOMES)
    if key.split(".")[3:4] == ["schedule"]:  # run0.gd.lr.schedule.en: the kinds that η may follow
        _, optimizer, hyper = key.split(".")[:3]
        return list(schedule_kinds(OPTIMIZERS[optimizer].hyperparameter(hyper)))
    return list(OPTIMIZERS)  # a run's optimizer, the map's optimizer


def random_widget_action(at: AppTest, rng: random.Random, small: bool) -> str:
    """Set one widget on the page to a random valid value (or click a button)."""
    buttons = (b for b in at.button if not (small and b.key in SLOW_BUTTONS))
    widgets = [w for w in (*at.selectbox, *at.slider, *at.select_slider, *at.number_input, *at.text_input,
                           *at.toggle, *at.checkbox, *at.radio, *buttons)
               if not w.disabled]  # a disabled one (asking where no student can tap) takes no hand
    widget = rng.choice(widgets)
    kind = type(widget).__name__
    if kind == "Selectbox" and widget.key.startswith("ask_run"):  # which run to ask about: its index
        widget.set_value(rng.randrange(len(widget.options)))
    elif kind in ("Selectbox", "Radio"):  # AppTest selects by raw value; the options it lists are the labels
        widget.set_value(rng.choice(raw_options(widget.key)))
    elif kind == "Slider":
        low, high = widget.min, widget.max  # floats, an int slider's too: its value tells
        if isinstance(widget.value, int):  # epochs
            value = rng.randint(int(low), min(int(high), EPOCHS) if small else int(high))
        else:
            value = rng.uniform(low, high)
        widget.set_value(value)
    elif kind == "SelectSlider":
        widget.set_value(float(rng.choice(widget.options)))
    elif kind == "NumberInput":
        # a field's box has no min or max (the page clamps a typed value past its declared range, and says so)
        least, most = ((widget.min, widget.max) if widget.min is not None
                       else (-BOUND_LIMIT, BOUND_LIMIT) if widget.key in BOUND_KEYS  # the plot range's boxes
                       else number_range(widget.key).values() if widget.key.split(".")[0] in STATE_FIELDS
                       else (0, 10))  # a hyperparameter's whole number, a question's epoch or point: their own ranges
        if widget.key == "net_steps":
            low, high = least, NET_STEPS if small else most
        else:
            low, high = max(least, -10), min(most, 10)
        value = rng.uniform(low, high) if isinstance(widget.value, float) else rng.randint(int(low), int(high))
        if widget.min is None and rng.random() < 0.1:  # now and then a hand types past the range (the network's
            above = widget.key != "net_steps" and rng.random() < 0.5  # steps only below: 20,000 cost seconds)
            value = type(value)(most * 2 + 1 if above else least - 1)
        widget.set_value(value)
    elif kind == "TextInput":
        widget.input(rng.choice(FORMULAS))
    elif kind in ("Toggle", "Checkbox"):
        widget.set_value(not widget.value)
    else:
        widget.click()
    return f"{kind} {widget.key}"


def random_action(at: AppTest, rng: random.Random, small: bool) -> str:
    roll = rng.random()
    if roll < 0.08:
        page = rng.choice(PAGES)
        at.session_state["goto"] = page
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
    if roll < 0.38:  # a click on a panel's title (the explorer's export or "Ask the class"): it opens or closes
        key = f"{rng.choice(PANELS)}.{lang}"  # its expander's, in the page's language (ui/session.py panel)
        opened = not (key in at.session_state and at.session_state[key])
        at.session_state[key] = opened
        return f"panel {key} {'opened' if opened else 'closed'}"
    return random_widget_action(at, rng, small)


def new_session() -> AppTest:
    return AppTest.from_string(SCRIPT, default_timeout=300)


def smaller(monkeypatch) -> None:
    """The stability map at 40 × 40 cells and the basins at 30 × 30 starts."""
    import views.basins
    import views.stability

    monkeypatch.setattr(views.stability, "CELLS", MAP_CELLS)
    monkeypatch.setattr(views.basins, "SIZE", BASIN_STARTS)


@pytest.mark.parametrize("seed", range(SEQUENCES), ids=lambda s: f"seed_{s}")
def test_random_use_never_breaks_the_page(seed, monkeypatch):
    rng = random.Random(seed)
    small = seed >= AT_DEFAULTS
    if small:
        smaller(monkeypatch)
    at = new_session()
    at.query_params.update(START_LINKS[seed % len(START_LINKS)])
    if small:
        at.query_params["net_steps"] = str(NET_STEPS)
    at.session_state["goto"] = page = PAGES[seed % len(PAGES)] if not small else rng.choice(PAGES)
    if rng.random() < 0.2:  # a preset or a typed formula
        at.query_params.update(rng.choice([{"preset": rng.choice(list(PRESETS))},
                                           {"surface": "custom", "formula": rng.choice(FORMULAS)}]))
    at.run()
    done = [f"open {page} {dict(at.query_params)}"]
    assert not at.exception, (done, [e.value for e in at.exception])
    for _ in range(ACTIONS):
        done.append(random_action(at, rng, small))
        at.run()
        assert not at.exception, (done, [e.value for e in at.exception])
        bad = [text for text in shown_texts(at) if NOT_A_NUMBER.search(text)]
        assert not bad, (done, bad)


def test_the_sequences_open_every_page_and_every_start_link_at_the_defaults():
    """The first AT_DEFAULTS sequences open each page and each start link at the default sizes."""
    opened = {(PAGES[seed % len(PAGES)], seed % len(START_LINKS)) for seed in range(AT_DEFAULTS)}
    assert {page for page, _ in opened} == set(PAGES)
    assert {link for _, link in opened} == set(range(len(START_LINKS)))
