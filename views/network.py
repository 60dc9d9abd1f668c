"""The small-network page: seed 003's 1-4-1 tanh MLP fitted to sin(x), trained
with the sidebar's runs, with the early stop of seed 003."""

from __future__ import annotations

import numpy as np
import streamlit as st

from figures import loss_figure
from figures.network import curves_figure
from figures.trajectories import PALETTE
from models import mlp
from optimizers.train import TrainResult, train
from ui import session
from ui.i18n import t
from ui.state import NET_SEED_RANGE, NET_STEPS_RANGE, NET_TARGET_RANGE, Run
from views.explorer import run_label

CURVE_X = np.linspace(-5, 5, 120)
SEED_003 = (Run.of("momentum", lr=0.01, momentum=0.9, dampening=0.9),)


@st.cache_data(max_entries=16, show_spinner=False)
def trained(optimizer: str, hyper: tuple, steps: int, target: float, seed: int) -> TrainResult:
    return train(optimizer, mlp.loss_and_grad, mlp.initial(seed), steps=steps, target=target or None, **dict(hyper))


def until_stop(result: TrainResult) -> np.ndarray:
    """The loss per step, ending where the run stopped (its parameters stay fixed after)."""
    losses = result.losses[0].copy()
    stop = int(result.stopped_at[0])
    if stop >= 0:
        losses[stop + 2:] = np.nan
    return losses


def _load_seed_003() -> None:
    ss = st.session_state
    session.set_runs(SEED_003)
    ss["net_steps"], ss["net_target"], ss["net_seed"] = 10_000, 0.005, 99


def render() -> None:
    ss = st.session_state
    state = session.current()
    lang = state.lang
    st.title(t(lang, "net_title"))
    st.caption(t(lang, "net_caption"))
    st.button(t(lang, "net_preset"), key="net_preset", on_click=_load_seed_003)

    c1, c2, c3 = st.columns(3)
    c1.number_input(t(lang, "net_steps"), *NET_STEPS_RANGE, step=500, key="net_steps")
    c2.number_input(t(lang, "net_target"), *NET_TARGET_RANGE, step=0.001, format="%.4f", key="net_target")
    c3.number_input(t(lang, "net_seed"), *NET_SEED_RANGE, step=1, key="net_seed")
    state = session.current()

    results = [trained(r.optimizer, r.hyper, state.net_steps, state.net_target, state.net_seed) for r in state.runs]
    labels = [run_label(i + 1, r, lang) for i, r in enumerate(state.runs)]
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(state.runs))]

    for i, (label, result) in enumerate(zip(labels, results)):
        stop = int(result.stopped_at[0])
        last = stop + 1 if stop >= 0 else state.net_steps
        error = float(np.abs(mlp.predict(result.params[0, last][:, None])[0] - mlp.Y).max())
        if stop >= 0:
            st.success(t(lang, "net_stopped", label=f"**{label}**", step=stop, target=state.net_target, error=error))
        else:
            st.warning(t(lang, "net_not_stopped", label=f"**{label}**", steps=state.net_steps,
                         loss=float(result.losses[0, last]), error=error))

    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t(lang, 'net_loss_title')}**")
        st.plotly_chart(loss_figure([(lab, until_stop(r), c) for lab, r, c in zip(labels, results, colors)], 0.0,
                                    "L", t(lang, "net_step")), key="net_losses", config={"displayModeBar": False})
    with right:
        st.markdown(f"**{t(lang, 'net_fit_title')}**")
        ss.setdefault("net_shown", state.net_steps)
        ss["net_shown"] = min(ss["net_shown"], state.net_steps)
        shown = st.slider(t(lang, "net_shown"), 0, state.net_steps, key="net_shown")
        curves = []
        for lab, r, c in zip(labels, results, colors):
            stop = int(r.stopped_at[0])
            k = min(shown, stop + 1) if stop >= 0 else shown  # a stopped run keeps its last parameters
            curves.append((lab, mlp.predict(r.params[0, k][:, None], CURVE_X)[0], c))
        st.plotly_chart(curves_figure(mlp.X, mlp.Y, CURVE_X, curves, t(lang, "fit_data")), key="net_fit",
                        config={"displayModeBar": False})
