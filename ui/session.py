"""The widgets' session keys, and the sidebar built from the registries.

Every widget has a key; its value lives in st.session_state under that key, so a
preset, a link or a click on the chart changes the state by writing those keys
(in callbacks, before the widgets are drawn again).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import streamlit as st

from optimizers import OPTIMIZERS
from surfaces import SURFACES

from .i18n import LANGUAGE_NAMES, explain, t
from .presets import PRESETS
from .state import (CUSTOM, DATA_N_RANGE, DATA_NOISE_RANGE, EPOCHS_RANGE, MAX_RUNS, REGRESSION, START_LIMIT,
                    AppState, Run, custom_surface, from_query, surface_of, to_query)

BOUND_KEYS = ("bound_x1_min", "bound_x1_max", "bound_x2_min", "bound_x2_max")


SAVED = "saved_state"


def run_key(i: int, name: str, optimizer: str | None = None) -> str:
    return f"run{i}.{name}" if optimizer is None else f"run{i}.{optimizer}.{name}"


def load(state: AppState) -> None:
    """Write a whole state into the widgets' keys."""
    ss = st.session_state
    ss["lang"] = state.lang
    ss["surface"] = state.surface
    ss["epochs"] = state.epochs
    ss["x1"], ss["x2"] = (float(v) for v in state.start_point)
    ss["formula"] = ss["formula_applied"] = state.formula
    ss["bounds_applied"] = state.bounds
    ss["data_n"], ss["data_noise"] = state.data_n, state.data_noise
    ss["net_steps"], ss["net_target"], ss["net_seed"] = state.net_steps, state.net_target, state.net_seed
    for key, value in zip(BOUND_KEYS, (v for pair in state.bounds for v in pair)):
        ss[key] = value
    ss["map_optimizer"] = state.map_optimizer
    ss["map_lr"] = state.map_lr
    ss["map_log"] = state.map_log
    set_runs(state.runs)


def current() -> AppState:
    """The state the widgets show now."""
    ss = st.session_state
    runs = []
    for i in range(ss["n_runs"]):
        optimizer = ss[run_key(i, "optimizer")]
        values = {p.name: ss.get(run_key(i, p.name, optimizer), p.default) for p in OPTIMIZERS[optimizer].hyperparameters}
        runs.append(Run.of(optimizer, **values))
    return AppState(ss["surface"], int(ss["epochs"]), (float(ss["x1"]), float(ss["x2"])), tuple(runs), ss["lang"],
                    ss["formula_applied"], ss["bounds_applied"], int(ss["data_n"]), float(ss["data_noise"]),
                    int(ss["net_steps"]), float(ss["net_target"]), int(ss["net_seed"]),
                    ss["map_optimizer"], ss["map_lr"], ss["map_log"])


def init_from_url() -> None:
    """Once per session: the state from the link, and the problems found in it.

    Later runs restore the widgets' keys from the saved copy when Streamlit has
    dropped them (it drops the keys of widgets a run did not draw, as when a page
    switch interrupts a run)."""
    ss = st.session_state
    if SAVED not in ss:
        state, problems = from_query(st.query_params.to_dict())
        load(state)
        ss["url_problems"] = problems
        save()
    elif any(key not in ss for key in ("lang", "surface", "epochs", "x1", "x2", run_key(0, "optimizer"))):
        load(ss[SAVED])


def save() -> None:
    """Keep a copy of the state under a key that no widget owns."""
    st.session_state[SAVED] = current()


def show_url_problems(lang: str) -> None:
    """Once: a warning for every value of the link that was refused."""
    for problem in st.session_state.pop("url_problems", []):
        value = problem.value.replace("`", "'")[:40]
        st.warning(t(lang, "url_" + problem.reason, field=problem.field, value=value, valid=explain(lang, problem.valid)),
                   icon=":material/warning:")


def sync_url() -> None:
    """Write the current state into the address bar, so the link reproduces the view."""
    save()
    query = to_query(current())
    if query != st.query_params.to_dict():
        st.query_params.from_dict(query)


# --- callbacks ------------------------------------------------------------------------


def _apply_preset() -> None:
    key = st.session_state.get("preset")
    if key in PRESETS:
        load(replace(current(), **{f: getattr(PRESETS[key].state, f) for f in ("surface", "epochs", "start", "runs")}))


def set_runs(runs: tuple[Run, ...]) -> None:
    """Replace all runs (a page's preset)."""
    ss = st.session_state
    ss["n_runs"] = len(runs)
    for i, run in enumerate(runs):
        ss[run_key(i, "optimizer")] = run.optimizer
        for name, value in run.hyper:
            ss[run_key(i, name, run.optimizer)] = value
    save()


def set_first_run(run: Run) -> None:
    """Make `run` the first run (the stability map's click)."""
    ss = st.session_state
    ss[run_key(0, "optimizer")] = run.optimizer
    for name, value in run.hyper:
        ss[run_key(0, name, run.optimizer)] = value
    save()


def _surface_changed() -> None:
    st.session_state["x1"], st.session_state["x2"] = surface_of(current()).start
    st.session_state["map_lr"] = None  # each surface has its own sensible η range


def _formula_changed() -> None:
    """Apply a typed formula if it parses; otherwise keep the previous one and say why."""
    ss = st.session_state
    try:
        custom_surface(ss["formula"], ss["bounds_applied"])
        ss["formula_applied"] = ss["formula"]
        ss.pop("formula_error", None)
    except ValueError as err:
        ss["formula_error"] = err  # translated when shown, in the page's language then


def _bounds_changed() -> None:
    ss = st.session_state
    x1lo, x1hi, x2lo, x2hi = (float(ss[k]) for k in BOUND_KEYS)
    if x1lo < x1hi and x2lo < x2hi:
        ss["bounds_applied"] = ((x1lo, x1hi), (x2lo, x2hi))
        ss.pop("bounds_error", None)
    else:
        ss["bounds_error"] = True


def _add_run() -> None:
    ss = st.session_state
    i = ss["n_runs"]
    if i < MAX_RUNS:
        ss.setdefault(run_key(i, "optimizer"), "momentum")
        ss["n_runs"] = i + 1


def _remove_run(i: int) -> None:
    runs = current().runs
    set_runs(runs[:i] + runs[i + 1 :])


# --- widgets --------------------------------------------------------------------------


def nice_log_values(low: float, high: float) -> list[float]:
    """Round numbers from low to high, about 15 per decade (0.1, 0.12, 0.15, 0.2, …)."""
    mantissas = (1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 7.5, 8, 9)
    values = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for m in mantissas:
            v = float(f"{m * 10.0**exponent:.6g}")
            if low <= v <= high:
                values.append(v)
    return values


def hyper_widget(i: int, optimizer: str, spec, lang: str) -> None:
    key = run_key(i, spec.name, optimizer)
    st.session_state.setdefault(key, spec.default)
    value = st.session_state[key]
    label = t(lang, "hp_" + spec.name)
    if spec.kind == "bool":
        st.checkbox(label, key=key)
    elif spec.kind == "int":
        st.number_input(label, min_value=int(spec.low), max_value=int(spec.high), step=1, key=key)
    elif spec.log:
        options = sorted(set(nice_log_values(*spec.slider)) | {float(value)})
        st.select_slider(label, options=options, key=key, format_func=lambda v: f"{v:g}")
    else:
        low, high = min(spec.slider[0], value), max(spec.slider[1], value)
        st.slider(label, min_value=float(low), max_value=float(high), step=0.001 if high <= 1 else 0.05,
                  key=key, format="%.3f")


def sidebar() -> AppState:
    """The shared sidebar: language, experiments, surface, epochs, start, runs."""
    ss = st.session_state
    with st.sidebar:
        st.selectbox(t(ss["lang"], "language"), list(LANGUAGE_NAMES), key="lang", format_func=LANGUAGE_NAMES.get)
        lang = ss["lang"]
        ss.setdefault("preset", None)
        st.selectbox(
            t(lang, "experiments"), list(PRESETS), key="preset", index=None, placeholder=t(lang, "experiment_pick"),
            format_func=lambda k: t(lang, "preset_" + k), on_change=_apply_preset,
        )
        st.selectbox(t(lang, "surface"), [*SURFACES, CUSTOM], key="surface", on_change=_surface_changed,
                     format_func=lambda k: t(lang, "surf_" + k))
        if ss["surface"] == CUSTOM:
            custom_surface_inputs(lang)
        if ss["surface"] == REGRESSION:
            st.number_input(t(lang, "data_n"), *DATA_N_RANGE, step=10, key="data_n")
            st.slider(t(lang, "data_noise"), *DATA_NOISE_RANGE, step=0.1, key="data_noise")
        st.slider(t(lang, "epochs"), *EPOCHS_RANGE, key="epochs")
        st.caption(t(lang, "start"))
        left, right = st.columns(2)
        left.number_input("x1", min_value=-START_LIMIT, max_value=START_LIMIT, step=0.1, format="%.4f", key="x1")
        right.number_input("x2", min_value=-START_LIMIT, max_value=START_LIMIT, step=0.1, format="%.4f", key="x2")
        st.caption(t(lang, "click_hint"))
        warn_if_undefined_at_start(lang)

        st.subheader(t(lang, "runs"))
        for i in range(ss["n_runs"]):
            with st.expander(t(lang, "run_n", n=i + 1), expanded=True):
                ss.setdefault(run_key(i, "optimizer"), "gd")
                optimizer = st.selectbox(t(lang, "optimizer"), list(OPTIMIZERS), key=run_key(i, "optimizer"),
                                         format_func=lambda k: t(lang, "opt_" + k))
                for spec in OPTIMIZERS[optimizer].hyperparameters:
                    hyper_widget(i, optimizer, spec, lang)
                if ss["n_runs"] > 1:
                    st.button(t(lang, "remove_run", n=i + 1), key=f"remove{i}", on_click=_remove_run, args=(i,))
        if ss["n_runs"] < MAX_RUNS:
            st.button(t(lang, "add_run"), key="add_run", on_click=_add_run)
    return current()


def custom_surface_inputs(lang: str) -> None:
    ss = st.session_state
    st.text_input(t(lang, "formula"), key="formula", max_chars=200, on_change=_formula_changed,
                  help=t(lang, "formula_help"))
    if "formula_error" in ss:
        st.error(t(lang, "formula_error", error=explain(lang, ss["formula_error"])), icon=":material/error:")
    with st.expander(t(lang, "plot_range")):
        left, right = st.columns(2)
        for column, key in zip((left, right, left, right), BOUND_KEYS):
            column.number_input(t(lang, key), min_value=-1e4, max_value=1e4, step=0.5, key=key,
                                on_change=_bounds_changed)
        if ss.get("bounds_error"):
            st.error(t(lang, "bounds_error"), icon=":material/error:")


def warn_if_undefined_at_start(lang: str) -> None:
    """A start where f or its gradient is not finite (1/x1 at x1 = 0) cannot move: say so."""
    state = current()
    surface = surface_of(state)
    x1, x2 = (np.float64(v) for v in state.start_point)
    if not np.isfinite([surface.f(x1, x2), *surface.grad(x1, x2)]).all():
        st.warning(t(lang, "start_undefined", x1=float(x1), x2=float(x2)), icon=":material/warning:")


def set_start_from_click(chart_key: str) -> None:
    """Callback of the contour chart: a click on a point makes it the start."""
    event = st.session_state.get(chart_key)
    points = event.selection.points if event else []
    if points:
        x1, x2 = float(points[0]["x"]), float(points[0]["y"])
        if np.isfinite([x1, x2]).all():
            st.session_state["x1"], st.session_state["x2"] = round(x1, 4), round(x2, 4)
