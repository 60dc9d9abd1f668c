"""A question to the class: the students answer on their phones; the teacher's projector shows the
answers coming in, then the truth. Opened by a link with `ask=<code>`: the teacher's page in the browser that
asked, or with a teacher's link (`key=`, never left in the address bar, which the projector shows). The view it
asks about is the question's, kept by the class's database. It only wires widgets to the store and the view model."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from classroom.store import Question, Store
from classroom.truth import OUTCOMES
from figures.qr import qr_svg
from ui import session
from ui.chart import NO_BUTTONS, clicked_point, in_language, plot
from ui.classroom import STATUS, session_word, store
from ui.i18n import t
from ui.labels import not_a_list
from ui.session import CLASS_KEY, remember, remembered
from ui.state import surface_of
from viewmodel.classroom import (answer_text, answers_figure, path_figure, point_text, question_state, right_within,
                                 run_words, tally, tapping_figure, title, truth_text, was_right)

LIVE = 2  # seconds between the teacher's count's refreshes
WAIT = 3  # seconds between a student page's looks for the reveal (60 phones: 20 small reruns a second)
TAP, CHOICE, MINE, PENDING = "ask_tap", "ask_choice", "class_mine", "class_tap"
TEACHER_KEYS = "class_teacher_keys"  # the keys this session made for the teacher's link, by question
REVEALED = "class_revealed"  # whether each question was revealed when this session last drew it


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
    revealed = st.session_state.setdefault(REVEALED, {})
    if q.revealed and revealed.get(q.code) is False:  # revealed while this page was open: its top, where the class
        session.to_the_top()  # sees the question with the truth (a teacher's Reveal was pressed at the foot)
    revealed[q.code] = q.revealed
    st.title(title(q, lang))
    st.latex(surface_of(view).latex)
    st.markdown(not_a_list(run_words(view, q.run, lang, q.revealed)))
    st.caption(t(lang, "ask_in_epochs", epochs=view.epochs))
    if db.is_teacher(q.code, s.key, session_word()):  # the key of a teacher's link, or the browser that asked
        st.session_state[CLASS_KEY] = {"code": q.code, "key": teacher_key(db, q.code)}  # for the browser to keep
        teacher(db, q, view, lang)
    else:  # the browser offers a key it kept (static/document.js); one that opens nothing it forgets
        st.session_state[CLASS_KEY] = {"code": q.code, "forget": bool(s.key)}
        student(db, q, view, lang)


def teacher(db: Store, q: Question, view, lang: str) -> None:
    with st.sidebar:  # under the language, as on every page: the teacher's page is projected
        session.present_toggle(lang)
    if q.revealed:
        results(db, q, view, lang)
    else:
        chart, side = st.container(key="ask_row").columns([3, 2], gap="medium")
        with chart:
            if q.kind == "outcome":  # what the phones offer, where the class reads the question
                choices = " · ".join(t(lang, "outcome_" + k) for k in OUTCOMES)
                st.markdown(t(lang, "ask_choices", choices=choices))
            st.plotly_chart(tapping_figure(q, view, lang), key="ask_view", config=in_language(NO_BUTTONS, lang))
        with side:  # on a projector's 768 px the count and Reveal come first, side by side, and the QR code
            count, reveal = st.columns(2, vertical_alignment="center")  # below them, all above the fold
            with count:
                live_count(db, q.code, lang)
            with reveal:
                st.button(t(lang, "ask_reveal"), type="primary", key="ask_reveal", on_click=db.reveal,
                          args=(q.code, session.state().key, session_word()))
            link = session.app_url() + "?" + urlencode({"ask": q.code, **({"lang": lang} if lang != "en" else {})})
            session.phones_cannot_open(link, lang)  # before the QR code: seen before it is projected
            st.image(qr_svg(link, t(lang, "ask_qr")), caption=t(lang, "ask_qr"), width=220)
            st.caption(t(lang, "ask_student_link"))
            st.code(link, language=None, wrap_lines=True)
    with session.panel(t(lang, "ask_teacher_link"), "ask_link_open", lang) as panel:
        if panel.open and (link := teacher_link(db, q.code, lang)):
            st.code(link, language=None, wrap_lines=True)
    st.button(t(lang, "ask_close"), key="ask_close", on_click=leave, args=(view, lang))


def teacher_key(db: Store, code: str) -> str | None:
    """The teacher's key this session holds, or (a reloaded page, which the browser alone made the teacher's) a new
    one, made once per session; None if none could be."""
    key = session.state().key
    if not db.is_teacher(code, key):
        keys = st.session_state.setdefault(TEACHER_KEYS, {})
        key = keys[code] = keys.get(code) or db.new_key(code, session_word())
    return key


def teacher_link(db: Store, code: str, lang: str) -> str | None:
    """The link that opens the teacher's page in another browser, with the teacher's key; None if there is none."""
    key = teacher_key(db, code)
    if not key:
        return None
    return session.app_url() + "?" + urlencode({"ask": code, "key": key, **({"lang": lang} if lang != "en" else {})})


@st.fragment(run_every=LIVE)
def live_count(db: Store, code: str, lang: str) -> None:
    """The count, as the answers come in; the whole page once the question is revealed (from the teacher's
    other device: the projector follows)."""
    q = db.question(code)
    if q is None or q.revealed:
        st.rerun()
    st.metric(t(lang, "ask_answers"), db.count(code))


def leave(view, lang: str) -> None:
    """The teacher goes back to the explorer, on the question's view with nothing hidden."""
    session.replace_state(replace(view, hide=(), lang=lang))


def student(db: Store, q: Question, view, lang: str) -> None:
    if q.code not in st.session_state.setdefault(MINE, {}):  # a reloaded page: the answer it sent before
        recorded = db.answer_of(q.code, session_word())
        st.session_state[MINE][q.code] = recorded and (recorded.choice or list(recorded.point))
        if recorded:  # and says so, as it did when it was sent
            st.session_state[STATUS] = "recorded"
    if q.revealed:
        results(db, q, view, lang, st.session_state[MINE][q.code])
        return
    answer_form(db, q, view, lang)
    wait_for_reveal(db, q.code, lang)
    if q.kind == "outcome":  # the surface and the start, to think with
        st.plotly_chart(tapping_figure(q, view, lang), key="ask_view", config=in_language(NO_BUTTONS, lang))


@st.fragment
def answer_form(db: Store, q: Question, view, lang: str) -> None:
    """The answer and its Send button: a choice, or a tap on the chart. A fragment: picking and
    sending rerun only it (a class of 60 answering at once costs the server a tenth of whole pages)."""
    mine = st.session_state.get(MINE, {}).get(q.code)
    if q.kind == "outcome":
        # a pick reruns only this fragment and is remembered: it outlives a switch of language before it is sent
        name = f"{CHOICE}.{q.code}"
        if mine in OUTCOMES:
            st.session_state.setdefault(name, mine)
        answer = remember(name, st.radio(t(lang, "ask_pick"), OUTCOMES, format_func=lambda k: t(lang, "outcome_" + k),
                                         index=None, **remembered(name, lang, OUTCOMES)))
        sent = st.button(t(lang, "ask_send"), type="primary", key="ask_send")
    else:
        st.markdown(t(lang, "ask_tap", n=q.run + 1, epoch=q.epoch))
        pending = st.session_state.get(PENDING)  # the last tap, ringed on the chart
        # the app's chart, whose tap anywhere on the plane is one click (on Streamlit's chart a phone's first tap only
        # showed the point under the finger: a tap selected it after that)
        plot(TAP, tapping_figure(q, view, lang, pending or (mine if isinstance(mine, list) else None)), lang,
             {"axes": list(surface_of(view).axis_names)}, clickable="plane", on_click=partial(_tap, q, view),
             description=t(lang, "ask_tap", n=q.run + 1, epoch=q.epoch))
        # the last tap or the point typed (_tap and _typed keep it), not the chart's selection: that stays the last
        # tap after a point is typed, which the caption said and Send sent instead of the boxes' point
        answer = pending or (mine if isinstance(mine, list) else None)
        typed_point(q, view, answer, lang)
        if answer is not None:
            st.caption(t(lang, "ask_tapped", point=point_text(answer, lang)))
        else:  # why Send is grey (a box holding -1e400 sends the server nothing to say it by)
            first, second = surface_of(view).axis_names
            st.caption(t(lang, "ask_no_point", first=first, second=second))
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


def _tap(q: Question, view) -> None:
    """A tap on the chart: kept, so that the chart drawn next rings it, and written in the boxes."""
    point = clicked_point(TAP)
    point = st.session_state[PENDING] = None if point is None else list(point)  # a point is a list, as typed ones are
    if point is not None:
        for key, value in zip(_boxes(q, view), point):
            st.session_state[key] = round(value, 2)


def _boxes(q: Question, view) -> tuple[str, str]:
    """The keys of the boxes a point is typed in (per question and surface: their ranges are its plot's)."""
    return tuple(f"{TAP}.{q.code}.{name}" for name in surface_of(view).axis_names)


def typed_point(q: Question, view, answer, lang: str) -> None:
    """The point in two boxes, for a keyboard or a screen reader (a tap fills them, typing moves the ring)."""
    surface = surface_of(view)
    keys = _boxes(q, view)
    st.markdown(t(lang, "ask_type"))
    for key, name, bounds, column, value in zip(keys, surface.axis_names, surface.bounds, st.columns(2),
                                               answer or (None, None)):
        st.session_state.setdefault(key, None if value is None else round(float(value), 2))
        with column:  # held to the plot's range (a point off it is not one a student could tap), and said in the
            st.number_input(name, value=None, step=0.1, format="%.2f", key=key,  # page's language (Streamlit's own
                            on_change=_typed, args=(keys, key, name, bounds))  # box's min and max: in English)
    session.say_if_clamped(keys, lang)


def _typed(keys: tuple[str, str], key: str, name: str, bounds: tuple[float, float]) -> None:
    session.typed_number(key, key, None, name, tuple(map(float, bounds)))
    point = [st.session_state.get(key) for key in keys]
    # an emptied box leaves no point to send (the one before it stayed, and Send sent it)
    st.session_state[PENDING] = [float(v) for v in point] if all(v is not None for v in point) else None


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


def results(db: Store, q: Question, view, lang: str, mine=None) -> None:
    """The class's answers drawn against the truth, with the numbers in words (for a screen reader too);
    a student's own answer first, right or not."""
    answers = db.answers(q.code)
    st.success(t(lang, "ask_right", truth=truth_text(q.truth, lang)), icon=":material/check_circle:")
    if mine is not None:
        right = was_right(q, mine)
        st.info(t(lang, "ask_yours_right" if right else "ask_yours_wrong", answer=answer_text(mine, lang)),
                icon=":material/thumb_up:" if right else ":material/info:")
    if q.kind == "outcome":
        counts = tally(answers)
        st.caption(" · ".join(t(lang, "ask_tally", choice=t(lang, "outcome_" + k), n=n) for k, n in counts.items()))
    elif q.truth["point"] is None:
        st.caption(t(lang, "ask_gone", epoch=q.epoch))
    elif points := [a.point for a in answers if a.point is not None]:  # the picture in words, for a screen reader
        x1, x2 = np.median(np.asarray(points), axis=0)
        st.caption(t(lang, "ask_median", n=len(points), point=point_text((x1, x2), lang)))
    if q.kind == "position" and q.truth["point"] is not None:  # what "right" meant
        st.caption(t(lang, "ask_within", radius=f"{right_within(q):.3g}"))
    st.plotly_chart(answers_figure(q, view, answers, lang, mine if isinstance(mine, list) else None),
                    key="ask_results", config=in_language(NO_BUTTONS, lang))
    st.caption(t(lang, "ask_count", n=len(answers)))
    if q.kind == "outcome":  # and what the run did, to see the answer happen
        st.plotly_chart(path_figure(q, view, lang), key="ask_path", config=in_language(NO_BUTTONS, lang))
