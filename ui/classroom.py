"""Ask the class, the widgets: the teacher's panel on the explorer, the class's store, a session's
anonymous word. The question's page is views/question.py; the database classroom/store.py."""

from __future__ import annotations

import hashlib
import secrets

import streamlit as st

from classroom.store import Store, database_url
from viewmodel.classroom import KINDS, first_epoch_offered, off_the_plot, question_query, truth_of, truth_text

from . import session
from .session import remember, remembered
from .i18n import t
from .labels import run_label
from .state import surface_of

SESSION = "class_session"  # the session-state key of this browser session's word
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's own cookie: one value per browser, kept across reloads
STATUS = "class_status"  # what the store said to this session's last answer


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The class's database: one per server process, shared by its sessions (CLASS_DB, or an SQLite file)."""
    return _store(database_url())


def session_word() -> str:
    """Who answered, without a name: a word derived from the browser's XSRF cookie, which Streamlit sets
    once per browser, so that a reload or a second tab answers as the same student (one answer each);
    a random word where there is no such cookie."""
    if SESSION not in st.session_state:
        token = browser_token((st.context.cookies or {}).get(XSRF_COOKIE))
        word = hashlib.sha256(f"class answer:{token}".encode()).hexdigest()[:32] if token else None
        st.session_state[SESSION] = word or secrets.token_urlsafe(16)
    return st.session_state[SESSION]


def browser_token(cookie: str | None) -> str | None:
    """The token in Tornado's XSRF cookie "2|mask|masked token|time": the mask is new at every page load,
    the token is the browser's."""
    try:
        version, mask, masked, _ = (cookie or "").split("|")
        mask, masked = bytes.fromhex(mask), bytes.fromhex(masked)
    except ValueError:
        return None
    if version != "2" or not mask or not masked:
        return None
    return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)).hex()


def ask_panel(lang: str) -> None:
    """For the teacher, under the exercise: choose a question about a run of this view and ask it. Not
    inside an exercise (that is a student's view). Drawn only while open, as the export is."""
    s = session.state()
    if s.hide:
        return
    data = surface_of(s).examples is not None
    with st.container(key="ask"), session.panel(t(lang, "ask_title"), "ask_open", lang) as panel:
        if not panel.open:
            return
        st.caption(t(lang, "ask_intro"))
        # the question being made outlives a folded panel and a switch of language (session.remembered)
        kind = remember("ask_kind", st.radio(t(lang, "ask_kind"), KINDS, format_func=lambda k: t(lang, "ask_kind_" + k),
                                             horizontal=True, **remembered("ask_kind", lang, KINDS)))
        run = 0
        if len(s.runs) > 1:
            runs = range(len(s.runs))
            run = remember("ask_run", st.selectbox(t(lang, "ask_run"), runs, **remembered("ask_run", lang, runs),
                                                   format_func=lambda i: run_label(i + 1, s.runs[i], lang, data=data)))
        epoch = s.epochs
        if kind == "position":
            name = f"ask_epoch.{s.epochs}"
            if name not in st.session_state:  # worked out once, not at each rerun of the open panel
                st.session_state[name] = first_epoch_offered(s, run)
            key, label = remembered(name, lang, range(1, s.epochs + 1))["key"], t(lang, "ask_epoch")
            # no min_value or max_value: Streamlit's box would refuse a number past them in red, in English
            typed = st.number_input(label, value=None, step=1, key=key, on_change=session.typed_number,
                                    args=(key, key, st.session_state[name], label, (1, s.epochs)))
            epoch = remember(name, int(st.session_state[name] if typed is None else typed))
            session.say_if_clamped((key,), lang)
        truth = truth_of(s, kind, run, epoch)
        # on a projector the class sees the panel: the app's answer stays folded until the teacher looks
        shown = st.toggle(t(lang, "ask_show_truth"), **remembered("ask_show_truth", lang, (True, False)))
        if remember("ask_show_truth", shown):
            st.caption(t(lang, "ask_truth", truth=truth_text(truth, lang)))
        unreachable = off_the_plot(s, truth)  # the students tap on the plot: an answer off it none can give
        if unreachable:
            st.warning(t(lang, "ask_off_plot", n=run + 1, epoch=epoch), icon=":material/block:")
        st.button(t(lang, "ask_button"), type="primary", key="ask_button", on_click=_ask,
                  args=(kind, run, epoch, lang), disabled=unreachable)


def _ask(kind: str, run: int, epoch: int, lang: str) -> None:
    s = session.state()
    hide = tuple(st.session_state.get(session.EXERCISE_HIDE, ()))  # the exercise made above, if any
    code, key = store().ask(kind, question_query(s, hide), run, epoch, truth_of(s, kind, run, epoch),
                             browser=session_word())
    st.session_state.pop(STATUS, None)
    session.update(ask=code, key=key)
