"""A question to the class, from the state's plain values: its truth, its words and its figures. No Streamlit."""

from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import replace

import numpy as np

from classroom.store import Question
from classroom.truth import OUTCOMES, outcome, position
from figures.classroom import choices_figure, tap_figure
from surfaces.critical import critical_points
from ui.i18n import t
from ui.labels import run_label
from ui.link import from_query, to_query
from ui.state import AppState, surface_of, surface_spec

from .trajectories import compute, contour, theory_of

KINDS = ("outcome", "position")


def trajectory(state: AppState, run: int):
    r = state.runs[run]
    return compute(r.optimizer, surface_spec(state), state.start_point, state.epochs, r.hyper, r.schedules)


def truth_of(state: AppState, kind: str, run: int, epoch: int) -> dict:
    """What run `run` of the view does: its outcome (classroom.truth), or where it is at `epoch`."""
    traj = trajectory(state, run)
    if kind == "outcome":
        surface = surface_of(state)
        # the page's own theory, where it has one, tells a run that still moves away from one on the limit
        theory = theory_of(state.runs[run], surface, state.start_point)
        return outcome(traj, critical_points(surface), theory and theory.status)
    return position(traj, epoch)


def off_the_plot(state: AppState, truth: dict) -> bool:
    """Is a position's truth (truth_of) where no student can tap: gone (diverged), or outside the plot's bounds?"""
    if "point" not in truth:
        return False
    if truth["point"] is None:
        return True
    return not surface_of(state).in_plot(truth["point"])


def first_epoch_offered(state: AppState, run: int, wanted: int = 5) -> int:
    """The epoch a position question offers first: `wanted` (or the last epoch), else the latest before it at which
    the run is still on the plot (a run that leaves it at epoch 2: epoch 1), so that the offer can be asked."""
    last = min(wanted, state.epochs)
    for epoch in range(last, 0, -1):
        if not off_the_plot(state, truth_of(state, "position", run, epoch)):
            return epoch
    return last


def right_within(q: Question) -> float:
    """How near the true point a tapped point is right: a tenth of the plot's size."""
    (a, b), (c, d) = surface_of(question_state(q)).bounds
    return 0.1 * max(b - a, d - c)


def question_state(q: Question) -> AppState:
    """The view the question is about, with the exercise's controls hidden (its link was checked when asked)."""
    return _state_of(json.dumps(q.query, sort_keys=True))


@functools.lru_cache(maxsize=256)  # read once per question, not at every student's page (a link takes ~10 ms)
def _state_of(query: str) -> AppState:
    return from_query(json.loads(query))[0]


def question_query(state: AppState, hide: tuple[str, ...]) -> dict:
    """What a question keeps of the view: its link's fields, the exercise's hidden ones among them."""
    return to_query(replace(state, hide=hide, ask=None, key=None))


def title(q: Question, lang: str) -> str:
    if q.kind == "outcome":
        return t(lang, "ask_outcome", n=q.run + 1)
    return t(lang, "ask_position", n=q.run + 1, epoch=q.epoch)


def run_words(state: AppState, run: int, lang: str, revealed: bool = False) -> str:
    """The run's label: with the values the exercise hid once the answer is revealed ("η=?" before)."""
    data = surface_of(state).examples is not None
    hidden = state.hidden_in(run) if not revealed else (lambda name: False)
    return run_label(run + 1, state.runs[run], lang, hidden, data)


def truth_text(truth: dict, lang: str) -> str:
    """The truth and why, in the page's language: 'oscillates, then converges (its last step is 0.2% …)'."""
    if "outcome" in truth:
        reason = t(lang, "ask_why_" + truth["why"], last=f"{truth.get('last_step', 0):.1%}",
                   turns=f"{truth.get('turns', 0):.0%}", axis=truth.get("axis"), n=truth.get("crossings"))
        text = t(lang, "ask_truth_why", truth=t(lang, "outcome_" + truth["outcome"]), why=reason)
        if "also" in truth:  # settled, but still far from the minimum: the other answer is right too
            text += t(lang, "ask_also", share=f"{truth['remaining']:.0%}", also=t(lang, "outcome_" + truth["also"]))
        return text
    point = truth["point"]
    return "—" if point is None else point_text(point, lang)


def point_text(point, lang: str) -> str:
    return t(lang, "ask_point", x1=f"{point[0]:.3f}", x2=f"{point[1]:.3f}")


def answer_text(answer, lang: str) -> str:
    """A student's own answer in words: a choice, or a point."""
    return t(lang, "outcome_" + answer) if isinstance(answer, str) else point_text(answer, lang)


def right_answers(truth: dict) -> set[str]:
    """The outcome, and the one that is right too where there is one (a settled run still on its way)."""
    return {truth["outcome"], *([truth["also"]] if "also" in truth else [])}


def was_right(q: Question, answer) -> bool:
    """A choice is right when it is the truth; a point when it is within a tenth of the plot's size of it."""
    if q.kind == "outcome":
        return answer in right_answers(q.truth)
    point = q.truth["point"]
    return point is not None and float(np.hypot(answer[0] - point[0], answer[1] - point[1])) <= right_within(q)


def tally(answers) -> dict[str, int]:
    counted = Counter(a.choice for a in answers if a.choice in OUTCOMES)
    return {k: counted.get(k, 0) for k in OUTCOMES}


def figure_words(lang: str, epoch: int) -> dict:
    return {"start": t(lang, "start_legend"), "taps": t(lang, "ask_taps"), "density": t(lang, "ask_density"),
            "path": t(lang, "ask_path"), "truth": t(lang, "ask_true_point", epoch=epoch), "mine": t(lang, "ask_mine")}


def answers_figure(q: Question, state: AppState, answers, lang: str, mine=None):
    """The class's answers against the truth (`mine`: this student's point, ringed)."""
    if q.kind == "outcome":
        return choices_figure(tally(answers), right_answers(q.truth), {k: t(lang, "outcome_" + k) for k in OUTCOMES},
                              t(lang, "ask_answers"))
    traj = trajectory(state, q.run)
    taps = [a.point for a in answers if a.point is not None]
    return tap_figure(contour(surface_spec(state)), surface_of(state).bounds, state.start_point, taps=taps,
                      path=traj.points[: q.epoch + 1], truth=q.truth["point"], mine=mine,
                      words=figure_words(lang, q.epoch))


def path_figure(q: Question, state: AppState, lang: str):
    """After the reveal of what a run does: its whole path on the contour, the outcome to see."""
    return tap_figure(contour(surface_spec(state)), surface_of(state).bounds, state.start_point, taps=[],
                      path=trajectory(state, q.run).points, words=figure_words(lang, state.epochs))


def tapping_figure(q: Question, state: AppState, lang: str, mine=None):
    """The chart a student taps, before the reveal: the contour and the start, no path; their tap, ringed."""
    return tap_figure(contour(surface_spec(state)), surface_of(state).bounds, state.start_point, mine=mine,
                      words=figure_words(lang, q.epoch))
