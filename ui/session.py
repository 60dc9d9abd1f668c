"""The session: this browser tab's one AppState, and the widgets that show it.

The state lives in st.session_state["state"]. Widgets are views of it: before a
widget is drawn, its key is set from the state, and its on_change callback writes
the new value back into the state. Language, presets, clicks and links change the
state; the widgets follow. Widgets whose options are translated carry the language
in their key, so a language switch draws them anew (a kept widget would send back
its old label).

The link: at the end of every run the state is written into the address bar, and
Streamlit adds one history entry per change. On Back and Forward Streamlit reruns the
page with that entry's address, and the state is read from it. An empty address is a
page switch (Streamlit clears the query on navigation): the state stays.
"""

from __future__ import annotations

import functools
import time
import unicodedata
from dataclasses import replace
from urllib.parse import urlencode

import numpy as np
import streamlit as st
from streamlit import net_util
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from classroom.store import KEY
from figures.qr import qr_svg
from optimizers import OPTIMIZERS
from surfaces.critical import lr_curvature
from surfaces.formula import MAX_LENGTH, FormulaError
from viewmodel.runs import new_run, working_lr

from .browser import component
from .chart import clicked_point, shown_epoch
from .i18n import LANGUAGE_NAMES, explain, t
from .labels import (hyper_label, hyper_short, optimizer_name, run_label, schedule_name, schedule_param_label,
                     surface_name)
from .presets import PRESETS
from .link import from_query, this_computer, to_query
from .state import (CUSTOM, HIDE_ALL, LANGUAGES, MAX_RUNS, PRESENT, REGRESSION, AppState, Run, custom_surface,
                    declaration, hide_key, schedule_kinds, schedule_params, surface_keys, surface_lr, surface_of)

STATE, PROBLEMS, FORMULA_ERROR = "state", "link_problems", "formula_error"
FORMULA_KEPT = "formula_kept"  # the formula box was emptied: it shows the formula in use again, and says so once
KEPT, RERUN, GOTO_EXPLORER = "kept_by_browser", "rerun_for_kept", "goto_explorer"
EXERCISE_HIDE = "exercise_hide"  # what the teacher's exercise hides, in either language (remembered())


# --- the state ------------------------------------------------------------------------------


def begin() -> AppState:
    """At the top of every run: the state, read from the link on a new session and on
    Back or Forward (Streamlit marks those reruns; comparing addresses instead would
    mistake a quick second slider move, sent before the address caught up, for Back)."""
    ss = st.session_state
    query = st.query_params.to_dict()
    ctx = get_script_run_ctx()
    back_or_forward = bool(ctx and ctx.is_history_navigation)
    # a page switch arrives with an empty address: the state stays, and is written back
    new_session = STATE not in ss
    if new_session or (back_or_forward and query):
        ss[STATE], ss[PROBLEMS] = from_query(query)
        ss.pop(FORMULA_ERROR, None)
    if new_session:
        ss[KEPT] = widgets_kept_by_browser()
        refused = any(p.field == "lang" for p in ss[PROBLEMS])  # lang=fr: as if the link had none
        if ("lang" not in query or refused) and (lang := browser_language()) != ss[STATE].lang:
            ss[STATE] = replace(ss[STATE], lang=lang)  # a link without a language: the reader's browser's
    return ss[STATE]


def browser_language() -> str:
    """The first of LANGUAGES that the browser's language (st.context.locale, e.g. "zh-CN") names; English."""
    locale = (st.context.locale or "").lower()
    return next((lang for lang in LANGUAGES if locale.startswith(lang)), AppState.lang)


def widgets_kept_by_browser() -> set[str]:
    """The keys of the widgets whose values the browser sent with a new session's first run. It
    had the page open on another server (a restart, a replica's failover), and one of them may be
    a change the student just made, not yet in the link. (Streamlit has no public call for this;
    without it, nothing is kept and that change is lost, as before.)"""
    try:
        ids = list(get_script_run_ctx().session_state._state._new_widget_state.keys())
    except AttributeError:
        return set()
    return {key for wid in ids if (key := user_key_from_element_id(wid))}


# Streamlit's 6rem top and 2.75rem title put the chart below the fold of a 768 px projector
# wide formulas scroll instead of being cut off in a narrow column
FORMULAS = ".katex-display {overflow-x: auto; overflow-y: hidden; padding-bottom: 2px}"
# a toggle's label wraps in a narrow column instead of ending in "…" (Streamlit's one line)
LABELS = ("[data-testid=stCheckbox] .stMarkdownEllipsis, [data-testid=stCheckbox] .stMarkdownEllipsis p "
          "{white-space: normal; overflow: visible; text-overflow: clip}")
# a button's words wrap instead of ending in "…": "Reveal th…" beside the class's count with the sidebar open
BUTTONS = ".st-key-ask_reveal button * {white-space: normal; overflow: visible; text-overflow: clip}"
# a number box has no clear button: Streamlit adds one to a box that may be empty (value=None, control()), and an
# emptied box keeps its number (_number_changed); the button would only bring that message
NUMBER_BOXES = "[data-testid=stNumberInputClearButton] {display: none}"
# the page's width does not change as its scrollbar comes and goes (a taller chart brings it): a chart redraws for a
# new width (static/chart.js), which would change its height again
STEADY_WIDTH = "[data-testid=stMain] {scrollbar-gutter: stable}"
# and a menu's options: in the 300-px sidebar two experiments read "GD and momentum at η = 0.4 a…" alike
OPTIONS = ("[role=option] [data-item-hl] {white-space: normal; overflow: visible; text-overflow: clip;"
           " line-height: 1.15; height: auto}")
# a menu's chosen option too long for its box ends in "…": "病态二次函数 0.1·x1² + 2" read as another f
CHOSEN = "[data-testid=stSelectbox] input:not(:focus) {text-overflow: ellipsis}"
# the race's "4131 (0 diverged)" breaks before its parenthesis only, not a Chinese character a line, and only on
# a phone: on a wide screen the final loss column (SGD's long note) took the room and every count broke in two
# the race's table: its counts break only before the parenthesis; its rank's heading (名次) never between its two
# characters
TABLES = (".st-key-race_table td:last-child {word-break: keep-all} .st-key-race_table th:first-child "
          "{white-space: nowrap} "
          "@media (min-width: 769px) {.st-key-race_table td:last-child {white-space: nowrap}}")
# a page link focused by the keyboard is ringed: Streamlit gives it the current page's pale box alone
# and so are a toggle, a slider's thumb, the sidebar's buttons and the main area (a Tab stop, to scroll):
# Streamlit gives them a pale tint or a halo, or nothing; and a menu, whose blue edge went once an option was
# chosen with the keys (the language menu kept the focus, unseen: a keyboard-only trial)
NAV_FOCUS = ("[data-testid=stSidebarNavLink]:focus-visible, [data-testid=stMain]:focus-visible "
             "{outline: 3px solid #1f4fd1; outline-offset: -3px} "
             "[data-testid=stCheckbox] label:has(input:focus-visible), "
             "[data-testid=stSlider] div:has(> div > input[type=range]:focus-visible), "
             "[data-testid=stSelectbox] div:has(> input:focus-visible), "
             "[data-testid=stExpandSidebarButton]:focus-visible, "
             "[data-testid=stSidebarCollapseButton] button:focus-visible"
             " {outline: 3px solid #1f4fd1; outline-offset: 2px; scroll-margin: 1rem}")
# up to 768 px wide (a phone, a tablet) the header is opaque white and 60 px tall: the page starts below it
PHONE_TOP = "@media (max-width: 768px) {.block-container {padding-top: 4.25rem}}"
# on a teacher's phone (the link for another device) the class's count and Reveal come first, the chart under them
# (the row's order, not that of the count and Reveal's own row inside it)
ASK_ROW = ("@media (max-width: 640px) {.st-key-ask_row [data-testid=stHorizontalBlock]"
           ":has([data-testid=stHorizontalBlock]) {flex-direction: column-reverse}}")
# on a touch screen wider than a phone held upright (a phone turned sideways, a tablet) the sidebar's « showed only
# under a hovering pointer, which a finger is not: the opened sidebar could not be closed (a phone's trial)
TOUCH_CLOSE = "@media (pointer: coarse) {[data-testid=stSidebarCollapseButton] {visibility: visible}}"
SHARED = (f"{FORMULAS} {LABELS} {BUTTONS} {NUMBER_BOXES} {OPTIONS} {CHOSEN} {TABLES} {NAV_FOCUS} {STEADY_WIDTH}"
          f" {ASK_ROW} {TOUCH_CLOSE}")  # both layouts
# on a laptop or a 1024-px projector with the sidebar open, Streamlit's 5 rem each side left the chart 300 px wide
LAPTOP_SIDES = "@media (min-width: 769px) and (max-width: 1280px) {.block-container {padding-inline: 2rem}}"
COMPACT = (f"<style>.block-container {{padding-top: 2.5rem}} {PHONE_TOP} {LAPTOP_SIDES}"
           f" h1 {{font-size: 2rem !important}} {SHARED}</style>")
# presenting, the sliders beside the chart packed close: with Streamlit's 1rem between elements, the sliders of
# run 4 of four were below the fold of a 1024 × 768 projector
# A run's title: Streamlit pulls a markdown block 1 rem into what follows it, which laid the title on its first
# slider's label; here the block keeps its height, and its one line is set close (four runs fit a projector still)
LIVE_CONTROLS = (".st-key-live_controls {gap: 0.1rem} "
                 ".st-key-live_controls [data-testid=stMarkdownContainer] {margin-bottom: 0} "
                 ".st-key-live_controls [data-testid=stMarkdown] ol {margin: 0.15rem 0 0.05rem 0; line-height: 1.25}")
# presenting with the sidebar opened at 1024 px, the side column was 150 px: its words broke a letter a line. Where
# the row is narrower than 44rem (836 px at 19 px), the sliders and printed lines go under the chart, full width
STACKED = (".st-key-chart_row {container-type: inline-size} "
           "@container (max-width: 44rem) {.st-key-chart_row [data-testid=stColumn] {min-width: 100%}}")
# presenting, beside a side column longer than the chart (three runs' lines and theory) the chart stays in view
# while the page scrolls down it (a trial found half the projected screen blank under the chart); only where the
# chart's column, its toggles included, fits the screen's height: on 768 px the toggles under it would stay hidden
STICKY_CHART = ("@media (min-height: 900px) {@container (min-width: 44rem) {.st-key-chart_row "
                "[data-testid=stColumn]:first-child {position: sticky; top: 3.5rem; align-self: flex-start}}}")
# the loaded experiment's name in the emptied picker reads as chosen, not in a placeholder's grey (a teacher's trial
# took the menu for one not yet filled in)
LOADED_PRESET = "[class*=st-key-preset_pick] input::placeholder {color: inherit; opacity: 1}"
# the presentation layout: larger type everywhere, the sidebar closed until opened
PRESENT_TYPE = 19 / 16  # the presentation layout's type, against Streamlit's 16 px: its charts' words grow as much
PRESENTATION = (f"<style>.block-container {{padding: 4.5rem 1.5rem 2rem 1.5rem}}"
                f" html {{font-size: {16 * PRESENT_TYPE:g}px}} {SHARED} {LIVE_CONTROLS} {STACKED}"
                f" {STICKY_CHART}</style>")


# the document's language, for a screen reader's voice and the browser's fonts and translation offer
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
# the page's document, told at the end of every run (static/document.js): its language and Streamlit's words in it,
# a phone's sidebar to close, where the keyboard's focus goes when its control went away (a removed run's button)
_document = component("document", "document.js", "document")
STREAMLIT_WORDS = ("streamlit_skip", "streamlit_sidebar", "streamlit_collapse", "streamlit_expand", "streamlit_pages",
                   "streamlit_open", "streamlit_close", "streamlit_heading_link", "streamlit_choose",
                   "streamlit_increment", "streamlit_decrement")


def streamlit_words(lang: str) -> dict[str, str]:
    """Streamlit's own words (it has them in English only), as any language writes them, to `lang`'s: the
    document component puts them in the page, in place of a switched-from language's too."""
    return {t(other, word): t(lang, word) for word in STREAMLIT_WORDS for other in LANGUAGES}


# this run's question page (views/question.py): its code, and the teacher's key that the browser is to keep in its
# storage; without a key, the browser offers the one it kept (a closed browser forgets the session's cookie)
CLASS_KEY = "_class_key"
DOCUMENT = "_document"  # the document component's triggers: a kept teacher's key
FOCUS = "_focus"  # a CSS selector the keyboard's focus moves to at the end of this run, and a count that asks once


def page_style(s: AppState) -> None:
    """The page's spacing and type: compact, or the presentation layout (view=present)."""
    if s.presenting:
        st.set_page_config(initial_sidebar_state="collapsed")
    style = PRESENTATION if s.presenting else COMPACT
    if s.preset in PRESETS and not s.hide:  # the experiment loaded, named by the emptied picker (preset_picker)
        style = style.replace("</style>", f" {LOADED_PRESET}</style>")
    st.html(style)


def state() -> AppState:
    return st.session_state[STATE]


def update(**changes) -> None:
    before = state()
    st.session_state[STATE] = before.changed(**changes)
    if (state().surface, state().formula) != (before.surface, before.formula):  # a new f takes its own η: said once
        _note_new_lr(before)


def replace_state(new: AppState) -> None:
    st.session_state[STATE] = new


TITLE = '[data-testid="stMain"] h1, .st-key-contour [role="figure"]'  # a page's title, or the chart presenting


def open_explorer() -> None:
    """A page's request to show the explorer next (a click on a map, a button): its caller, the
    navigation, switches once the page is drawn (pages never import the navigation)."""
    st.session_state[GOTO_EXPLORER] = True
    # the keyboard's focus too (a map's Enter left it on the page's body): to the title, or the chart presenting
    focus_next(TITLE)


def explorer_asked() -> bool:
    return st.session_state.pop(GOTO_EXPLORER, False)


def link() -> dict[str, str]:
    """The link of the current state; it is also what the address bar gets."""
    return to_query(state())


def finish() -> None:
    """At the end of every run: the address bar shows the state (after a value the browser kept
    changed it, a run draws the page from it); the document says its language."""
    ss = st.session_state
    ss.pop(KEPT, None)
    if ss.pop(RERUN, False):
        st.rerun()
    lang = state().lang
    # last, in the same place every run: it moves nothing (a chart before it is not remounted)
    _document(key=DOCUMENT, data={"lang": HTML_LANG[lang], "words": streamlit_words(lang), "focus": ss.get(FOCUS),
                                  "close": ss.get(CLOSE), "classKey": ss.pop(CLASS_KEY, None)},
              height=0, on_class_key_change=_class_key_offered)
    query = link()
    if query != st.query_params.to_dict():
        st.query_params.from_dict(query)


def _class_key_offered() -> None:
    """The browser offered the teacher's key it kept for this question: the question's page checks it."""
    offered = (st.session_state.get(DOCUMENT) or {}).get("class_key") or {}
    key = offered.get("key")
    if offered.get("code") == state().ask and isinstance(key, str) and KEY.fullmatch(key):
        update(key=key)


SHOWN = 40  # characters of a link value that a message shows
# what a character that would end the code span's line or the code span itself is shown as
VISIBLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "`": "ˋ"}  # ˋ: a modifier letter, not a backtick


def as_text(value, limit: int = SHOWN) -> str:
    """A value from the link as a message shows it, inside a code span (`…`), where markdown and HTML are
    text: one line, no backtick (it would end the span), newlines, tabs and other control and format
    characters spelled out (\\n, \\u202e), at most `limit` characters. Every message that quotes the
    link goes through here."""
    shown, length = [], 0
    for ch in str(value):
        part = VISIBLE.get(ch) or (f"\\u{ord(ch):04x}" if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch)
        if length + len(part) > limit:  # the first `limit` characters, never half of a spelled-out one
            break
        shown.append(part)
        length += len(part)
    return "".join(shown)


class _Quoted(str):
    """A user's text that an explanation quotes (a refused formula's name or part): in a code span, through
    as_text, whether the sentence says {text} or {text!r}."""

    def __repr__(self) -> str:
        return f"`{as_text(str.__str__(self))}`"

    def __format__(self, spec: str) -> str:
        return repr(self)


def _why(lang: str, valid) -> str:
    """Why a link value was refused, in `lang`: the app's own words; what an error quotes of the link, as text."""
    if isinstance(valid, FormulaError):  # its details may quote the formula
        valid = FormulaError(valid.reason, {k: _Quoted(v) if isinstance(v, str) and k != "what" else v
                                            for k, v in valid.details.items()})
    elif isinstance(valid, Exception):  # any other error may quote anything
        return f"`{as_text(valid, 200)}`"
    return explain(lang, valid)


def show_link_problems(lang: str) -> None:
    """Once: a warning for every value of the link that was refused. What the link said is shown as text."""
    for problem in st.session_state.pop(PROBLEMS, []):
        st.warning(t(lang, "url_" + problem.reason, field=as_text(problem.field), value=as_text(problem.value),
                     valid=_why(lang, problem.valid)), icon=":material/warning:")


# --- widgets bound to state fields ---------------------------------------------------------


def draw(widget, label: str, key: str, value, on_change, args=(), **kwargs):
    """Every widget of the state: `widget` under `key`, showing `value` (from the state); a change
    calls on_change(*args), which writes the state. On a new session's first run a value the
    browser kept for it wins (it may be the student's last change, made as the server changed)."""
    ss = st.session_state
    kept = key in ss.get(KEPT, ())
    if not kept:
        ss[key] = value
    shown = widget(label, key=key, on_change=on_change, args=args, **kwargs)
    if kept and shown != value:
        on_change(*args)
        ss[RERUN] = True
    return shown


# the Streamlit widget of each kind a state field may declare (ui/state.py: setting(widget=…))
WIDGETS = {"select": "selectbox", "slider": "slider", "number": "number_input", "toggle": "toggle",
           "text": "text_input"}


def panel(label: str, name: str, lang: str):
    """An expander whose inside is drawn only while it is open (each element costs every rerun, each key press, a
    little); its `.open` says whether to draw the inside. A new label (the other language) makes it a new widget,
    keyed `name`.`lang`: it opens as the user left the other, whose state is kept under `name`."""
    box = st.expander(label, on_change="rerun", **remembered(name, lang, (True, False)))
    remember(name, box.open)
    return box


def remembered(name: str, lang: str, choices) -> dict:
    """The key (and, the first time it is drawn, the value) of a widget `name` drawn in `lang` whose value
    outlives a switch of language and a folded panel (Streamlit forgets a widget it does not draw): the value
    lives under `name`, copied to the widget when it is made and back on every change (remember()), and only as far
    as it is still one of `choices` (a run that is gone). Pass the result as the widget's arguments."""
    key = f"{name}.{lang}"
    if key not in st.session_state and name in st.session_state:
        value = st.session_state[name]
        if isinstance(value, list):
            st.session_state[key] = [v for v in value if v in choices]
        elif value in choices:
            st.session_state[key] = value
    return {"key": key}


def remember(name: str, value):
    """A remembered() widget's value, put where its widget in the other language (or drawn again) finds it."""
    st.session_state[name] = value
    return value


def control(name: str, label: str, *, translated: bool = False, value=None, in_a_column: bool = False, **kwargs):
    """Draw the widget that the state field `name` declares, unless the link hides it; a number's
    range is the declared one. Its value comes from the state (or `value`, when the field's shown
    value is derived); a change goes back into the state. A number typed past the range is said under its box, or,
    `in_a_column`, by the caller's say_if_clamped under the columns."""
    s = state()
    if s.hidden(name):
        return None
    kind = declaration(name).widget
    if kind == "slider":
        kwargs = {**number_range(name), **kwargs}
    key = f"{name}.{s.lang}" if translated else name
    shown_value = getattr(s, name) if value is None else value
    if kind == "number":
        shown = number_box(label, key, shown_value, _number_changed, (name, key, shown_value, label), **kwargs)
    else:
        shown = draw(getattr(st, WIDGETS[kind]), label, key, shown_value, _field_changed, (name, key), **kwargs)
    if kind == "number" and not in_a_column:
        say_if_clamped((name,), s.lang)
    return shown


# the number boxes' typed values past their ranges (None: emptied) this run, by name: the value used, its label
# and range; every box typed in before one run is said (two of a point's boxes)
OUT_OF_RANGE = "out_of_range"


def say_if_clamped(names: tuple[str, ...], lang: str) -> None:
    """Once, under the box (or under the columns of boxes) of `names`: the value typed past its range and the one
    used instead, or that an emptied box kept its number."""
    held = st.session_state.get(OUT_OF_RANGE, {})
    for name in names:
        if name not in held:
            continue
        typed, used, label, low, high = held.pop(name)
        if typed is not None:
            said = t(lang, "number_clamped", name=label, value=_number(typed), low=_number(low), high=_number(high),
                     used=_number(used))
        elif used is not None:
            said = t(lang, "number_empty", name=label, used=_number(used))
        else:  # a box with nothing to keep (a student's point): what to type
            said = t(lang, "number_none", name=label, low=_number(low), high=_number(high))
        st.warning(said, icon=":material/warning:")


def _number(value) -> str:
    """A number as a box shows it, its thousands grouped: a seed of 123456789 in full, not 1.23457e+08."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,g}".replace("e-0", "e-").replace("e+0", "e+")  # 1e-8 as the box shows it, not 1e-08


def _presenting_changed() -> None:
    update(view=PRESENT if st.session_state["present"] else None)


def _field_changed(name: str, key: str) -> None:
    update(**{name: st.session_state[key]})


def _number_changed(name: str, key: str, shown=None, label: str = "") -> None:
    emptied = st.session_state[key] is None
    used = typed_number(name, key, shown, label)
    if not emptied or shown is None:  # an emptied box keeps `shown`, which may be derived (not the field's own
        update(**{name: used})  # value): nothing to write


def typed_number(name: str, key: str, shown=None, label: str = "", limits: tuple | None = None):
    """In a number box's change: the value the field `name` (or another number, with its `limits`) takes from its box
    `key` (labelled `label`), which showed `shown`: the typed one, held to the range, or (emptied: a number box takes
    no letters) the one it showed; either of the latter is shown in the box and said (say_if_clamped, by `name`)."""
    typed = st.session_state[key]
    low, high = limits or number_range(name).values()
    if typed is None:  # emptied, or a number too large to read: the one shown is kept, where there is one
        if shown is not None:
            _show(key, shown)
        st.session_state.setdefault(OUT_OF_RANGE, {})[name] = (None, shown, label, low, high)
        return shown
    if not low <= typed <= high:
        used = min(max(typed, low), high)
        _show(key, used)
        st.session_state.setdefault(OUT_OF_RANGE, {})[name] = (typed, used, label, low, high)
        return used
    return typed


def number_box(label: str, key: str, shown, on_change, args=(), **kwargs):
    """A number box `key` showing `shown`, with no min_value or max_value (Streamlit refused a typed 50000 steps, at
    most 20,000, with only a red box in English) and value=None (an emptied box is None, where Streamlit would have
    taken 0): its `on_change` holds the number to its field's range, and keeps it when emptied, by typed_number()."""
    return draw(functools.partial(st.number_input, value=None), label, key, shown, on_change, args, **kwargs)


def _whole_typed(key: str, shown: int, label: str, limits: tuple[int, int], on_change, args) -> None:
    """A whole number typed: held to `limits` (or, emptied, the one shown) and given to on_change(*args), not read
    from its box by it (a value the browser kept comes after the box is made, where the box can no longer change)."""
    on_change(*args, value=int(typed_number(key, key, shown, label, limits)))


def _show(key: str, value) -> None:
    """A box shows `value` from now: written in its change's callback; a value the browser kept comes after its box is
    made (draw), where Streamlit refuses the write, and the rerun that draw asks for shows it."""
    try:
        st.session_state[key] = value
    except StreamlitAPIException:
        pass


class Progress:
    """Long work in pieces: a progress bar and a picture of the work so far, drawn only once a
    piece has to be computed (a kept result draws nothing), and cleared when the work is done.
    Quick work shows none; long work moves the bar every BAR_EVERY seconds and redraws the
    picture every PICTURE_EVERY (each picture is sent to the browser and drawn there anew)."""

    BAR_EVERY, PICTURE_EVERY = 0.3, 1.5  # seconds

    def __init__(self):
        self.shown = []
        self.bar_at = time.monotonic()
        self.picture_at = -float("inf")

    def show(self, fraction: float, text: str, figure=None, key: str = "") -> None:
        """`figure` is a function that builds the picture (under `key`): it is built only when shown."""
        now = time.monotonic()
        if now - self.bar_at < self.BAR_EVERY:
            return
        self.bar_at = now
        if not self.shown:
            self.shown.extend((st.empty(), st.empty()))
        bar, picture = self.shown
        bar.progress(fraction, text=text)
        if figure is not None and now - self.picture_at >= self.PICTURE_EVERY:
            self.picture_at = now
            picture.plotly_chart(figure(), key=key, config={"displayModeBar": False, "staticPlot": True})

    def clear(self) -> None:
        for placeholder in self.shown:
            placeholder.empty()


def number_range(name: str) -> dict:
    """min_value and max_value of a number widget: the field's declared range."""
    parse = declaration(name).parse
    cast = int if parse.integer else float
    return {"min_value": cast(parse.low), "max_value": cast(parse.high)}


def present_toggle(lang: str) -> None:
    """The way into the projector's layout (view=present in the link), and back."""
    draw(st.toggle, t(lang, "present"), "present", state().presenting, _presenting_changed)


def sidebar(page: str = "explorer") -> AppState:
    """The sidebar: language, then what the page uses: experiments, surface, epochs,
    start and runs for the explorer (the map has its own optimizer), the network's own runs."""
    s = state()
    lang = s.lang
    with st.sidebar:
        control("lang", t(lang, "language"), options=list(LANGUAGES), format_func=LANGUAGE_NAMES.get)
        lang = state().lang
        if page != "question":  # a question's: the teacher's page draws it, a student's phone has nothing to project
            present_toggle(lang)
        if page == "question":  # its view is the question's
            return state()
        if page == "network":
            runs_inputs(lang, "net_runs")
            return state()
        preset_picker(lang)
        control("surface", t(lang, "surface"), translated=True, options=surface_keys(),
                format_func=lambda k: surface_name(lang, k))
        if state().surface != CUSTOM:  # a formula's box says it under itself
            say_new_lr(lang)
        if state().surface == CUSTOM:
            custom_surface_inputs(lang)
        if state().surface == REGRESSION:
            control("data_n", t(lang, "data_n"), step=10)
            control("data_noise", t(lang, "data_noise"), step=0.1)
        if page != "basins":  # there every start is drawn, for the page's own epochs
            control("epochs", t(lang, "epochs"))
            start_inputs(lang, clickable=page == "explorer")
        if page in ("explorer", "basins"):  # presenting the explorer: the sliders a drag follows are beside the chart
            runs_inputs(lang, live=not (page == "explorer" and state().presenting))
    return state()


def reveal_button(lang: str) -> None:
    """An exercise's note and its way to show the hidden controls, in the page itself (on a phone the
    sidebar is closed)."""
    if state().hide:
        st.info(t(lang, "hidden_note"), icon=":material/visibility_off:")
        st.button(t(lang, "reveal"), key="reveal", on_click=update, kwargs={"hide": ()})


def app_url() -> str:
    """The app's address as the browser has it, without the query, ending in "/" (a link the class copies)."""
    return (st.context.url or "").split("?")[0].rstrip("/") + "/"


def phones_cannot_open(link: str, lang: str) -> None:
    """Under a link for the class: a warning where it names this computer (a teacher who opened the app at
    localhost), with the computer's address on the network where the server listens there."""
    host = this_computer(link)
    if host is None:
        return
    listening = st.get_option("server.address") in (None, "", "0.0.0.0", "::")
    ip = net_util.get_internal_ip() if listening else None
    ip = None if ip is None or this_computer(f"http://{ip}/") else ip  # its fallback when it finds none: 127.0.0.1
    port = st.get_option("server.port")
    st.warning(t(lang, "link_loopback", host=host)
               + (t(lang, "link_network", url=f"http://{ip}:{port}/") if ip else t(lang, "link_no_network")),
               icon=":material/wifi_off:")


def exercise_builder(lang: str) -> None:
    """For the teacher: pick what to hide from the students, get their link (the hidden values packed
    out of sight) with a copy button and a QR code for the projector. Not inside an exercise. Drawn only while
    open (panel); its picks outlive a fold and a switch of language (remembered)."""
    s = state()
    if s.hide:
        return
    with st.container(key="exercise"), panel(t(lang, "exercise_title"), "exercise_open", lang) as box:
        if not box.open:
            return
        data = surface_of(s).examples is not None
        labels = {HIDE_ALL: t(lang, "exercise_all"), "optimizer": t(lang, "optimizer"), "epochs": t(lang, "epochs"),
                  "x1": "x1", "x2": "x2", "surface": t(lang, "surface"), "runs": t(lang, "exercise_runs")}
        for i, run in enumerate(s.runs):
            for p in OPTIMIZERS[run.optimizer].hyperparameters:
                if p.applies_on(data):
                    labels[hide_key(p.name, i)] = t(lang, "exercise_field", run=t(lang, "run_n", n=i + 1),
                                                   field=hyper_label(lang, p))
        # select_all: its own first option picks all; Streamlit's "Select all" is English in a Chinese page too
        chosen = remember(EXERCISE_HIDE, st.multiselect(t(lang, "exercise_hide"), list(labels), format_func=labels.get,
                                                    placeholder=t(lang, "exercise_pick"), select_all=False,
                                                    **remembered(EXERCISE_HIDE, lang, labels)))
        if not chosen:
            return
        here = app_url()
        # from the first epoch: the class predicts the path before it sees it
        link = here + "?" + urlencode(to_query(replace(s, hide=tuple(chosen), epoch=None)))
        st.caption(t(lang, "exercise_link"))
        st.code(link, language=None, wrap_lines=True)
        phones_cannot_open(link, lang)  # before the QR code: seen before it is projected
        st.image(qr_svg(link, t(lang, "exercise_qr")), caption=t(lang, "exercise_qr"), width=220)


def live_controls(lang: str) -> None:
    """The presentation layout's controls beside the chart: each run's η, γ, β or ρ (its live sliders)."""
    s = state()
    examples = surface_of(s).examples
    with st.container(key="live_controls"):  # packed close (LIVE_CONTROLS): four runs' sliders fit a projector
        for i, run in enumerate(s.runs):
            shown = [p for p in OPTIMIZERS[run.optimizer].hyperparameters
                     if p.live and p.applies_on(examples is not None) and not s.hidden_in(i)(p.name)]
            if shown:
                st.markdown(run_label(i + 1, run, lang, s.hidden_in(i), examples is not None))
                for p in shown:
                    hyper_widget("runs", i, run, p, lang)


def preset_picker(lang: str) -> None:
    """Picking an experiment loads it; the picker then empties, so picking it again resets it, and names the
    experiment the view started from in its placeholder."""
    if state().hidden("preset"):
        return
    key = f"preset_pick.{lang}"
    st.session_state[key] = None
    loaded = state().preset if not state().hide else None  # an exercise: the title may say the hidden values
    # the experiment's title alone: with the hint after it, the one-line box cut it ("… (pick i…")
    placeholder = PRESETS[loaded].title(lang) if loaded in PRESETS else t(lang, "experiment_pick")
    st.selectbox(t(lang, "experiments"), list(PRESETS), key=key, index=None, placeholder=placeholder,
                 help=t(lang, "experiment_again") if loaded in PRESETS else None,
                 format_func=lambda k: PRESETS[k].title(lang), on_change=_preset_picked, args=(key,))


def _preset_picked(key: str) -> None:
    picked = st.session_state[key]
    if picked in PRESETS:
        load_preset(picked)


def load_preset(key: str) -> None:
    replace_state(PRESETS[key].apply(state()))
    st.session_state[PRESET_LOADED] = True


PRESET_LOADED = "preset_loaded"
SHOWN_PAGE = "shown_page"  # the page the last run showed: a new one closes a phone's sidebar
SHOWN_LANGUAGE = "shown_language"  # and its language
CLOSE = "_close_sidebar"  # a request to close a phone's sidebar: a count that asks once, and whether to the top


def close_sidebar_on_phone(page: str) -> None:
    """On a phone the sidebar covers the page: once an experiment, another page (`page`) or a language is
    chosen in it, the document component (finish) closes it, as a menu would (Streamlit has no call for that;
    it presses the sidebar's button). Another page starts at its top: a question asked from the foot of the
    explorer opened scrolled down; so does a new experiment on a phone."""
    ss = st.session_state
    moved = ss.get(SHOWN_PAGE, page) != page
    lang = state().lang
    relanguaged = ss.get(SHOWN_LANGUAGE, lang) != lang
    ss[SHOWN_PAGE], ss[SHOWN_LANGUAGE] = page, lang
    preset = ss.pop(PRESET_LOADED, False)
    if preset or moved or relanguaged:
        # a phone's new experiment starts at the top too: picked while scrolled down, it was out of sight
        ask_document(CLOSE, top=moved, top_on_phone=preset)
    if moved:  # a page opened from the sidebar's links: the keyboard's focus on its title, where a screen reader says
        focus_next(TITLE)  # which page it is (the focus stayed on the link, and nothing was said)


def to_the_top() -> None:
    """Scroll the page to its top after this run (a reveal, which the class should see under its question), the
    sidebar left as it is."""
    ask_document(CLOSE, top=True, top_on_phone=False, sidebar=False)


def start_inputs(lang: str, clickable: bool = True) -> None:
    """The start's two numbers; `clickable`: the page's chart sets it with a click too (the explorer's)."""
    s = state()
    if s.hidden("x1") and s.hidden("x2"):
        return
    st.caption(t(lang, "start"))
    left, right = st.columns(2)
    x1, x2 = s.start_point
    with left:
        control("x1", "x1", value=float(x1), step=0.1, format="%.4f", in_a_column=True)
    with right:
        control("x2", "x2", value=float(x2), step=0.1, format="%.4f", in_a_column=True)
    say_if_clamped(("x1", "x2"), lang)  # under both boxes: in one narrow column it broke a word a line
    if clickable:
        st.caption(t(lang, "click_hint"))
    warn_if_undefined_at_start(lang)


def warn_if_undefined_at_start(lang: str) -> None:
    """A start where f or its gradient is not finite (1/x1 at x1 = 0) cannot move: say so."""
    s = state()
    if old := st.session_state.pop(START_RESET, None):
        x1, x2 = s.start_point
        st.info(t(lang, "start_reset", old1=old[0], old2=old[1], x1=x1, x2=x2), icon=":material/my_location:")
    if not _defined_at(surface_of(s), s.start_point):
        x1, x2 = s.start_point
        st.warning(t(lang, "start_undefined", x1=float(x1), x2=float(x2)), icon=":material/warning:")


def set_epoch_from_chart(chart_key: str) -> None:
    """Callback of the contour chart: the epoch it came to rest at goes into the link."""
    epoch = shown_epoch(chart_key)
    if epoch is not None:
        update(epoch=epoch or None)


def set_start_from_click(chart_key: str) -> None:
    """Callback of the contour chart: a click on a point makes it the start."""
    point = clicked_point(chart_key)
    if point:
        update(x1=round(point[0], 4), x2=round(point[1], 4))


# --- the typed formula ------------------------------------------------------------------------

BOUND_KEYS = ("bound_x1_min", "bound_x1_max", "bound_x2_min", "bound_x2_max")


def custom_surface_inputs(lang: str) -> None:
    s = state()
    if not s.hidden("formula"):
        # no max_chars: a longer formula pasted into the box did nothing, said nothing; the parser says why
        draw(st.text_input, t(lang, "formula"), "formula", st.session_state.get(FORMULA_ERROR, (s.formula,))[0],
             _formula_changed, help=t(lang, "formula_help"))
        if FORMULA_ERROR in st.session_state:
            error = _why(lang, st.session_state[FORMULA_ERROR][1])
            st.error(t(lang, "formula_error", error=error), icon=":material/error:")
        if st.session_state.pop(FORMULA_KEPT, False):  # once, after the box was emptied
            st.info(t(lang, "formula_kept", formula=f"`{as_text(s.formula, MAX_LENGTH)}`"), icon=":material/undo:")
        say_new_lr(lang)  # under the formula that changed them
    if s.hidden("bounds"):
        return
    with st.expander(t(lang, "plot_range")):
        # a row an axis, from | to: two columns of boxes stacked on a phone as x1 from, x2 from, x1 to, x2 to
        for keys, pair in zip((BOUND_KEYS[:2], BOUND_KEYS[2:]), s.bounds):
            for column, key, value in zip(st.columns(2), keys, pair):
                with column:  # no min_value: Streamlit only reddened a box past it; the range checks it and says so
                    draw(st.number_input, t(lang, key), key, value, _bounds_changed, step=0.5, format="%g")
    error = st.session_state.pop("bounds_error", None)
    if isinstance(error, Exception):
        st.error(t(lang, "bounds_refused", error=_why(lang, error)), icon=":material/error:")
    elif error:
        axis, low, high = error
        st.error(t(lang, "bounds_order", axis=axis, low=low, high=high), icon=":material/error:")


def _formula_changed() -> None:
    """Apply a typed formula if it is accepted; otherwise keep the previous one, keep the
    text in the box and say why (translated when shown)."""
    ss = st.session_state
    text = ss["formula"]
    if not text.strip():  # an emptied box goes back to the formula in use, as an emptied number box does
        ss.pop(FORMULA_ERROR, None)
        ss[FORMULA_KEPT] = True
        return
    try:
        custom_surface(text, state().bounds)
    except ValueError as err:
        ss[FORMULA_ERROR] = (text, err)
        return
    ss.pop(FORMULA_ERROR, None)
    update(formula=text)
    _reset_undefined_start()


def _note_new_lr(before: AppState) -> None:
    """A new f takes its own η (AppState.changed): noted by update for say_new_lr, for the runs whose η is shown (a
    teacher's η that went without a word seemed lost)."""
    pairs = enumerate(zip(before.runs, state().runs), 1)
    st.session_state[LR_RESET] = [(n, old.values["lr"], new.values["lr"]) for n, (old, new) in pairs
                                  if old.values.get("lr") != new.values.get("lr") and not before.hidden_in(n - 1)("lr")]


def say_new_lr(lang: str) -> None:
    """Once, after the surface or the formula that changed them: the runs whose η the new f changed."""
    if changed := st.session_state.pop(LR_RESET, None):
        s = state()
        runs = t(lang, "list_separator").join(t(lang, "lr_reset_run", n=n, old=old, new=new) for n, old, new in changed)
        flat = not lr_curvature(surface_of(s))  # no curvature to size η by: the usual 0.1, not "about 1/L"
        what = t(lang, "new_f") if s.surface == CUSTOM else surface_name(lang, s.surface)
        st.info(t(lang, "lr_reset_flat" if flat else "lr_reset", what=what, runs=runs), icon=":material/speed:")


def _bounds_changed() -> None:
    """The typed range, if the formula takes it; else the boxes show the range in use again and the page says why (a
    refused value left in its box blamed each later edit, of the other axis too)."""
    ss = st.session_state
    typed = [ss[k] for k in BOUND_KEYS]
    if None not in typed:  # an emptied box keeps the range in use, with nothing to say
        bounds = ((typed[0], typed[1]), (typed[2], typed[3]))
        # a from not below its to names its axis
        refused = next(((axis, low, high) for axis, (low, high) in zip(("x1", "x2"), bounds) if not low < high), None)
        if refused is None:
            try:
                custom_surface(state().formula, bounds)
            except ValueError as err:  # outside ±10,000, or nowhere finite on the new range
                refused = err
            else:
                update(bounds=bounds)
                _reset_undefined_start()
                return
        ss["bounds_error"] = refused
    for key, value in zip(BOUND_KEYS, (v for pair in state().bounds for v in pair)):
        _show(key, value)


START_RESET = "start_reset"
LR_RESET = "lr_reset"  # the runs whose η a typed formula changed: (run, old η, new η)


def _reset_undefined_start() -> None:
    """A start the user chose, where the new f or ∇f is not finite, goes back to the surface's
    own start (a point where f is defined), and the page says so once."""
    s = state()
    if s.x1 is None or _defined_at(surface_of(s), s.start_point):
        return
    st.session_state[START_RESET] = s.start_point
    update(x1=None, x2=None)


def _defined_at(surface, point) -> bool:
    x1, x2 = (np.float64(v) for v in point)
    return bool(np.isfinite([surface.f(x1, x2), *surface.grad(x1, x2)]).all())


# --- runs ---------------------------------------------------------------------------------------


KEY_PREFIX = {"runs": "", "net_runs": "net_"}  # widget keys: run0.gd.lr, net_run0.momentum.lr


def runs_inputs(lang: str, field: str = "runs", live: bool = True) -> None:
    """The runs of state field `field` (the explorer's `runs`, the network's `net_runs`); with `live`
    False, without the sliders a drag follows (live_controls draws them beside the chart)."""
    s = state()
    runs = getattr(s, field)
    pre = KEY_PREFIX[field]
    names = ["optimizer", "runs", *(p.name for r in runs for p in OPTIMIZERS[r.optimizer].hyperparameters)]
    if all(s.hidden(name) for name in names):
        return
    st.subheader(t(lang, "runs"))
    examples = surface_of(s).examples if field == "runs" else None
    for i, run in enumerate(runs):
        with st.expander(t(lang, "run_n", n=i + 1), expanded=True):
            if not s.hidden_in(i)("optimizer"):
                key = f"{pre}run{i}.optimizer.{lang}"
                draw(st.selectbox, t(lang, "optimizer"), key, run.optimizer, _optimizer_changed, (field, i, key),
                     options=list(OPTIMIZERS), format_func=lambda k: optimizer_name(lang, k))
            for p in OPTIMIZERS[run.optimizer].hyperparameters:
                if not p.applies_on(examples is not None):
                    continue  # SGD's σ where minibatches are the noise, its |B| where there is no data
                if p.name == "batch_size":
                    p = replace(p, high=examples.n)
                if not s.hidden_in(i)(p.name) and (live or not p.live):
                    hyper_widget(field, i, run, p, lang)
                    if schedule_kinds(p):
                        schedule_widgets(field, i, run, p, lang)
            if len(runs) > 1 and not s.hidden("runs"):
                st.button(t(lang, "remove_run", n=i + 1), key=f"{pre}remove{i}", on_click=_remove_run,
                          args=(field, i))
    if len(runs) < MAX_RUNS and not s.hidden("runs"):
        st.button(t(lang, "add_run"), key=f"{pre}add_run", on_click=_add_run, args=(field,))


def hyper_key(field: str, i: int, optimizer: str, name: str) -> str:
    return f"{KEY_PREFIX[field]}run{i}.{optimizer}.{name}"


def hyper_widget(field: str, i: int, run: Run, p, lang: str) -> None:
    """The control of one hyperparameter, built from its registry entry."""
    key = hyper_key(field, i, run.optimizer, p.name)
    value = run.values[p.name]
    label = hyper_label(lang, p)
    if p.kind == "bool":
        draw(st.checkbox, label, key, value, _hyper_changed, (field, i, p.name, key))
    else:
        number_widget(label, key, p, value, _hyper_changed, (field, i, p.name, key), lang)


def number_widget(label: str, key: str, p, value, on_change, args, lang: str) -> None:
    """A number's control from its description: whole numbers typed (held to their range, said under the box),
    the others a slider on its round stops (an arrow key moves γ by 0.01, not 0.001) with the value itself among
    them (a link's γ = 0.123)."""
    if p.kind == "int":
        number_box(label, key, value, _whole_typed, (key, value, label, (int(p.low), int(p.high)), on_change, args),
                   step=1)
        say_if_clamped((key,), lang)
    else:
        options = sorted(set(p.slider_values()) | {float(value)})
        draw(st.select_slider, label, key, value, on_change, args, options=options, format_func=lambda v: f"{v:g}")


def schedule_widgets(field: str, i: int, run: Run, p, lang: str) -> None:
    """Under a hyperparameter that may follow a schedule: the kind (constant by default) and, when
    it is not constant, the kind's parameters, all from SCHEDULES."""
    key = f"{KEY_PREFIX[field]}run{i}.{run.optimizer}.{p.name}.schedule"
    kind, params = run.schedule(p.name)
    draw(st.selectbox, t(lang, "schedule", symbol=hyper_short(lang, p)), f"{key}.{lang}", kind, _schedule_changed,
         (field, i, p.name, f"{key}.{lang}"), options=schedule_kinds(p), format_func=lambda k: schedule_name(lang, k))
    for q in schedule_params(p, kind):
        param_key = f"{key}.{q.name}"
        number_widget(schedule_param_label(lang, kind, q), param_key, q, params[q.name], _schedule_param_changed,
                      (field, i, p.name, q.name, param_key), lang)


def _schedule_changed(field: str, i: int, name: str, key: str) -> None:
    s = state()
    replace_state(s.with_run(i, getattr(s, field)[i].with_schedule(name, st.session_state[key]), field))


def _schedule_param_changed(field: str, i: int, name: str, param: str, key: str, value=None) -> None:
    """A schedule's number changed: its box's, or `value` (a whole number held to its range, _whole_typed)."""
    s = state()
    run = getattr(s, field)[i]
    kind, params = run.schedule(name)
    value = st.session_state[key] if value is None else value
    replace_state(s.with_run(i, run.with_schedule(name, kind, **{**params, param: value}), field))


def _hyper_changed(field: str, i: int, name: str, key: str, value=None) -> None:
    """A hyperparameter changed: its widget's value, or `value` (a whole number held to its range, _whole_typed)."""
    s = state()
    value = st.session_state[key] if value is None else value
    replace_state(s.with_run(i, getattr(s, field)[i].with_value(name, value), field))


def _optimizer_changed(field: str, i: int, key: str) -> None:
    """A new optimizer for run i keeps the values it shares with the old one (γ, ε), and η
    only where η means the same (a multiple of the gradient for both): AdaDelta's η = 1 or
    Adam's step length is not GD's η. Otherwise η is the surface's, or the optimizer's own (on the
    network, halved until it trains). A kept value keeps its schedule."""
    s = state()
    old, optimizer = getattr(s, field)[i], st.session_state[key]
    spec = OPTIMIZERS[optimizer]
    shared = {p.name: v for p in spec.hyperparameters if (v := old.values.get(p.name)) is not None
              and bool(p.is_valid(v))}
    if "lr" in shared and not (OPTIMIZERS[old.optimizer].lr_from_surface and spec.lr_from_surface):
        del shared["lr"]
        if spec.lr_from_surface and field == "runs":
            shared["lr"] = surface_lr(optimizer, surface_of(s))
    schedules = {name: (kind, dict(params)) for name, kind, params in old.schedules if name in shared}
    run = Run.of(optimizer, schedules, **shared)
    if field == "net_runs" and "lr" not in shared:  # the registry's η (GD's 0.4) blew the network up: as "Add a run"
        run = working_lr(s, run, field)
    replace_state(s.with_run(i, run, field))


def _remove_run(field: str, i: int) -> None:
    runs = getattr(state(), field)
    update(**{field: runs[:i] + runs[i + 1:]})
    # the button pressed is gone: the keyboard goes on from the remove button now in its place (or the one
    # before it), or from "Add a run" once a single run is left, not from the top of the page
    left = len(runs) - 1
    _focus_on(field, "add_run" if left == 1 else f"remove{min(i, left - 1)}")


def _focus_on(field: str, button: str) -> None:
    """The keyboard's focus goes to `button` (its key without the field's prefix) once this run is drawn."""
    focus_next(f".st-key-{KEY_PREFIX[field]}{button} button")


def focus_next(selector: str) -> None:
    """The keyboard's focus goes to the first element that the CSS `selector` finds once the next drawing ends."""
    ask_document(FOCUS, selector=selector)


def ask_document(name: str, **request) -> None:
    """A request `name` to the document component (finish, static/document.js), numbered so that it is done once,
    not again at each later run."""
    asked = st.session_state.get(name, {}).get("asked", 0) + 1
    st.session_state[name] = {**request, "asked": asked}


def _add_run(field: str) -> None:
    s = state()
    runs = getattr(s, field)
    if len(runs) < MAX_RUNS:
        update(**{field: (*runs, new_run(s, field))})
        # the keyboard stays on "Add a run", scrolled to under the new run; once it goes (the fourth run), on the
        # new run's remove button
        _focus_on(field, f"remove{len(runs)}" if len(runs) + 1 == MAX_RUNS else "add_run")
