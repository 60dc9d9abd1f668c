"""A question to the class: the students answer on their phones; the teacher's projector shows the
answers coming in, then the truth. Opened by a link with `ask=<code>` (and the teacher's `key=`);
the view it asks about is the question's, kept by the class's database. It only wires widgets to
the store and the view model."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from classroom.store import Question, Store
from classroom.truth import OUTCOMES
from figures.qr import qr_svg
from ui import session
from ui.classroom import STATUS, session_word, store
from ui.i18n import t
from ui.state import surface_of
from viewmodel.classroom import (answers_figure, question_state, run_words, tally, tapping_figure, title,
                                 truth_text)

LIVE = 2  # seconds between the teacher's count's refreshes
WAIT = 3  # seconds between a student page's looks for the reveal (60 phones: 20 small reruns a second)
TAP, CHOICE, MINE = "ask_tap", "ask_choice", "class_mine"


def render() -> None:
    s = session.state()
    lang = s.lang
    db = store()
    q = db.question(s.ask)
    if q is None:
        st.warning(t(lang, "ask_missing"), icon=":material/help:")
        st.button(t(lang, "ask_close"), on_click=session.update, kwargs={"ask": None, "key": None})
        return
    view = question_state(q)
    st.title(title(q, lang))
    st.latex(surface_of(view).latex)
    st.markdown(run_words(view, q.run, lang).replace(".", "\\.", 1))  # "1. GD": a label, not a list
    st.caption(t(lang, "ask_in_epochs", epochs=view.epochs))
    if db.is_teacher(q.code, s.key):
        teacher(db, q, view, lang)
    else:
        student(db, q, view, lang)


def teacher(db: Store, q: Question, view, lang: str) -> None:
    if q.revealed:
        results(db, q, view, lang)
    else:
        chart, side = st.columns([3, 2], gap="medium")
        with chart:
            st.plotly_chart(tapping_figure(q, view, lang), key="ask_view", config={"displayModeBar": False})
        with side:  # on a projector's 768 px the count and Reveal come first, above the fold
            live_count(db, q.code, lang)
            st.button(t(lang, "ask_reveal"), type="primary", key="ask_reveal", on_click=db.reveal,
                      args=(q.code, session.state().key))
            here = (st.context.url or "").split("?")[0].rstrip("/") + "/"
            link = here + "?" + urlencode({"ask": q.code, **({"lang": lang} if lang != "en" else {})})
            st.image(qr_svg(link, t(lang, "ask_qr")), caption=t(lang, "ask_qr"), width=220)
            st.caption(t(lang, "ask_student_link"))
            st.code(link, language=None, wrap_lines=True)
    with st.expander(t(lang, "ask_teacher_link")):
        st.code(st.context.url or "", language=None, wrap_lines=True)
    st.button(t(lang, "ask_close"), key="ask_close", on_click=leave, args=(view, lang))


@st.fragment(run_every=LIVE)
def live_count(db: Store, code: str, lang: str) -> None:
    st.metric(t(lang, "ask_answers"), db.count(code))


def leave(view, lang: str) -> None:
    """The teacher goes back to the explorer, on the question's view with nothing hidden."""
    session.replace_state(replace(view, hide=(), lang=lang))


def student(db: Store, q: Question, view, lang: str) -> None:
    if q.revealed:
        mine = st.session_state.get(MINE, {}).get(q.code)
        results(db, q, view, lang)
        if mine is not None:
            st.info(t(lang, "ask_yours", answer=answer_text(mine, lang)))
        return
    answer_form(db, q, view, lang)
    wait_for_reveal(db, q.code, lang)
    if q.kind == "outcome":  # the surface and the start, to think with
        st.plotly_chart(tapping_figure(q, view, lang), key="ask_view", config={"displayModeBar": False})


@st.fragment
def answer_form(db: Store, q: Question, view, lang: str) -> None:
    """The answer and its Send button: a choice in a form, or a tap on the chart. A fragment: picking and
    sending rerun only it (a class of 60 answering at once costs the server a tenth of whole pages)."""
    mine = st.session_state.get(MINE, {}).get(q.code)
    if q.kind == "outcome":
        with st.form("ask_form", border=False):
            answer = st.radio(t(lang, "ask_pick"), OUTCOMES, format_func=lambda k: t(lang, "outcome_" + k),
                              index=None, key=f"{CHOICE}.{lang}")
            sent = st.form_submit_button(t(lang, "ask_send"), type="primary", key="ask_send")
    else:
        st.markdown(t(lang, "ask_tap", n=q.run + 1, epoch=q.epoch))
        event = st.plotly_chart(tapping_figure(q, view, lang), key=TAP, on_select="rerun", selection_mode="points",
                                config={"displayModeBar": False})
        answer = tapped(event) or (mine if isinstance(mine, list) else None)
        if answer is not None:
            st.caption(t(lang, "ask_tapped", x1=f"{answer[0]:.3f}", x2=f"{answer[1]:.3f}"))
        sent = st.button(t(lang, "ask_send"), type="primary", key="ask_send", disabled=answer is None)
    if sent:
        send(db, q, answer)
    status = st.session_state.get(STATUS)
    if status == "recorded":
        st.success(t(lang, "ask_recorded"), icon=":material/check:")
    elif status == "too_many":
        st.error(t(lang, "ask_too_many"))
    elif status == "closed":
        st.warning(t(lang, "ask_closed"))
    elif status == "invalid":
        st.error(t(lang, "ask_invalid"))
    elif status == "nothing":
        st.warning(t(lang, "ask_pick_first"))


def tapped(event) -> list[float] | None:
    """The point a tap selected on the chart, if any (Plotly's selection event)."""
    try:
        point = event.selection.points[0]
        x, y = float(point["x"]), float(point["y"])
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return None
    return [x, y] if np.isfinite([x, y]).all() else None


def send(db: Store, q: Question, answer) -> None:
    if answer is None:
        st.session_state[STATUS] = "nothing"
        return
    if q.kind == "outcome":
        status = db.answer(q.code, session_word(), choice=answer)
    else:
        status = db.answer(q.code, session_word(), point=tuple(answer))
    st.session_state[STATUS] = status
    if status == "recorded":
        st.session_state.setdefault(MINE, {})[q.code] = answer


@st.fragment(run_every=WAIT)
def wait_for_reveal(db: Store, code: str, lang: str) -> None:
    q = db.question(code)
    if q is None or q.revealed:
        st.rerun()
    st.caption(t(lang, "ask_waiting"))


def answer_text(answer, lang: str) -> str:
    if isinstance(answer, str):
        return t(lang, "outcome_" + answer)
    return f"x1 = {answer[0]:.3f}, x2 = {answer[1]:.3f}"


def results(db: Store, q: Question, view, lang: str) -> None:
    """The class's answers drawn against the truth, with the numbers in words (for a screen reader too)."""
    answers = db.answers(q.code)
    st.success(t(lang, "ask_right", truth=truth_text(q.truth, lang)), icon=":material/check_circle:")
    if q.kind == "outcome":
        counts = tally(answers)
        st.caption(" · ".join(t(lang, "ask_tally", choice=t(lang, "outcome_" + k), n=n) for k, n in counts.items()))
    elif q.truth["point"] is None:
        st.caption(t(lang, "ask_gone", epoch=q.epoch))
    elif points := [a.point for a in answers if a.point is not None]:  # the picture in words, for a screen reader
        x1, x2 = np.median(np.asarray(points), axis=0)
        st.caption(t(lang, "ask_median", n=len(points), x1=f"{x1:.3f}", x2=f"{x2:.3f}"))
    st.plotly_chart(answers_figure(q, view, answers, lang), key="ask_results", config={"displayModeBar": False})
    st.caption(t(lang, "ask_count", n=len(answers)))
