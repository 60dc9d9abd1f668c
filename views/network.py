"""The small-network page: seed 003's 1-4-1 tanh MLP fitted to sin(x), trained
with the sidebar's runs, with the early stop of seed 003."""

from __future__ import annotations

import numpy as np
import streamlit as st

from figures import loss_figure
from figures.network import curves_figure
from figures.palette import run_colour
from models import mlp
from optimizers.train import TrainResult, blows_up, members, stacked, training
from ui import session
from ui.chart import plot
from ui.kept import HEAVY, Kept
from ui.i18n import t
from ui.labels import run_label
from ui.results import SENTENCE_GAP
from ui.state import AppState, run_hyper

CURVE_X = np.linspace(-5, 5, 120)


SHOWN_OF = "net_shown_of"  # the steps the fit's slider was last drawn for
TRAININGS = Kept(16)  # trainings of groups of runs
PIECE_STEPS = 2000  # steps between two looks at the progress: about 0.2 s for four runs


def trained(state: AppState, progress=lambda runs, done, total, so_far: None) -> list[TrainResult]:
    """Every network run. The runs of one optimizer (with the same scheduled kinds) train in one
    batched call (×0.33 the time for four); a training not kept yet tells `progress` of each piece
    (the indices of its runs, steps done, steps, their results so far)."""
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(state.net_runs):
        groups.setdefault((r.optimizer, tuple((name, kind) for name, kind, _ in r.schedules)), []).append(i)
    results: list = [None] * len(state.net_runs)
    for (optimizer, _), indices in groups.items():
        runs = tuple((state.net_runs[i].hyper, state.net_runs[i].schedules) for i in indices)
        key = (optimizer, runs, state.net_steps, state.net_target or None, state.net_init)
        kept = TRAININGS.get(key, lambda key=key, indices=indices: train_group(*key, lambda *a: progress(indices, *a)))
        for i, result in zip(indices, kept):
            results[i] = result
    return results


def train_group(optimizer: str, runs: tuple, steps: int, target: float | None, seed: int,
                progress) -> list[TrainResult]:
    """Runs (hyper, schedules) of one optimizer in one batched training, in pieces of PIECE_STEPS."""
    settings = stacked(optimizer, [run_hyper(optimizer, *r) for r in runs])
    pieces = training(optimizer, mlp.loss_and_grad, mlp.initial(seed), steps=steps, target=target,
                      every=PIECE_STEPS, **settings)
    done = -1  # the last piece says `steps` (0 steps: one piece)
    while done < steps:
        with HEAVY:  # one piece of long work at a time in this process
            done, result = next(pieces)
        if done < steps:
            progress(done, steps, members(result, len(runs)))
    return members(result, len(runs))


def last_step(result: TrainResult, steps: int) -> int:
    """The step of a run's last parameters: the one after it stopped, or the last of its `steps`."""
    stop = int(result.stopped_at[0])
    return stop + 1 if stop >= 0 else steps


def until_stop(result: TrainResult) -> np.ndarray:
    """The loss per step, ending where the run stopped (its parameters stay fixed after)."""
    losses = result.losses[0].copy()
    stop = int(result.stopped_at[0])
    if stop >= 0:
        losses[stop + 2:] = np.nan
    return losses


def _load_seed_003() -> None:
    defaults = AppState()
    session.update(net_runs=defaults.net_runs, net_steps=defaults.net_steps, net_target=defaults.net_target,
                   net_init=defaults.net_init)


def render() -> None:
    ss = st.session_state
    state = session.state()
    lang = state.lang
    st.title(t(lang, "net_title"))
    st.caption(t(lang, "net_caption"))
    st.button(t(lang, "net_preset"), key="net_preset", on_click=_load_seed_003)

    c1, c2, c3 = st.columns(3)
    with c1:
        session.control("net_steps", t(lang, "net_steps"), step=500)
    with c2:
        session.control("net_target", t(lang, "net_target"), step=0.001, format="%.4f")
    with c3:
        session.control("net_init", t(lang, "net_init"), step=1)
    state = session.state()

    labels = [run_label(i + 1, r, lang, state.hidden) for i, r in enumerate(state.net_runs)]
    colors = [run_colour(i) for i in range(len(state.net_runs))]
    shown = session.Progress()

    def progress(runs, done, total, so_far):
        names = t(lang, "list_separator").join(labels[i] for i in runs)
        shown.show(done / total, t(lang, "net_progress", runs=names, done=done, total=total),
                   lambda: loss_figure([(labels[i], r.losses[0], colors[i]) for i, r in zip(runs, so_far)], 0.0, "L",
                               t(lang, "net_step")), f"net_partial_{runs[0]}_{done}")

    results = trained(state, progress)
    shown.clear()

    told = []  # each run's outcome in words: the message, and the charts' text alternative
    for label, result in zip(labels, results):
        stop = int(result.stopped_at[0])
        last = last_step(result, state.net_steps)
        losses = result.losses[0, : last + 1]
        steps = t(lang, "steps_one" if state.net_steps == 1 else "steps_many", n=state.net_steps)
        icon = None
        if not np.isfinite(losses).all():
            show, key, words = st.error, "net_diverged", dict(step=int(np.argmin(np.isfinite(losses))))
            icon = ":material/error:"
        else:
            error = float(np.abs(mlp.predict(result.params[0, last][:, None])[0] - mlp.Y).max())
            loss = float(result.losses[0, last])
            if stop < 0 and blows_up(losses):  # finite still, but far up from where it began (1e+129 in 500 steps)
                show, key, words = st.error, "net_growing", dict(steps=steps, first=float(losses[0]), loss=loss)
                icon = ":material/trending_up:"
            elif stop >= 0:
                show, key, words = st.success, "net_stopped", dict(step=stop, last=last, target=state.net_target,
                                                                       error=error)
            elif not state.net_target:  # no target to reach: what the training gave
                show, key, words = st.info, "net_trained", dict(steps=steps, loss=loss, error=error)
            else:
                show, key, words = st.warning, "net_not_stopped", dict(steps=steps, loss=loss, error=error)
        show(t(lang, key, label=f"**{label}**", **words), icon=icon)
        told.append(t(lang, key, label=label, **words))

    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t(lang, 'net_loss_title')}**")
        plot("net_losses", loss_figure([(lab, until_stop(r), c) for lab, r, c in zip(labels, results, colors)], 0.0,
                                       "L", t(lang, "net_step")), lang,
             description=t(lang, "loss_alt", title=t(lang, "net_loss_title"),
                           lines=SENTENCE_GAP[lang].join(told)))  # each a sentence
    with right:
        st.markdown(f"**{t(lang, 'net_fit_title')}**")
        # the slider ends where the last run to stop stopped (nothing moves after it); at its end it stays at
        # the end when the steps change, scrubbed back it stays put
        end = max(last_step(r, state.net_steps) for r in results)
        at_end = ss.get("net_shown") in (None, ss.get(SHOWN_OF))
        ss["net_shown"] = end if at_end else min(ss["net_shown"], end)
        ss[SHOWN_OF] = end
        shown = st.slider(t(lang, "net_shown"), 0, end, key="net_shown")
        curves = []
        for lab, r, c in zip(labels, results, colors):
            k = min(shown, last_step(r, state.net_steps))  # a stopped run keeps its last parameters
            curves.append((lab, mlp.predict(r.params[0, k][:, None], CURVE_X)[0], c))
        plot("net_fit", curves_figure(mlp.X, mlp.Y, CURVE_X, curves, t(lang, "fit_data")), lang,
             description=t(lang, "net_fit_alt", title=t(lang, "net_fit_title"), step=shown,
                           runs=t(lang, "list_separator").join(labels)))
