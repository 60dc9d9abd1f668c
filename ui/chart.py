"""The app's charts as one browser component (static/chart.js): the explorer's, the race's, the maps' and the
network's. It keeps its Plotly graph across reruns and applies each new figure with one Plotly.react, so zoom,
the 3D camera and the epoch the class stopped at survive a change of any control or of the language. It owns
the epoch: scrub, play/pause, a step back and forward, the speed, and a trail that hides the path after the epoch.

The figure builders stay as they are (figures/trajectories.py, figures/surface3d.py): the component
takes their Plotly animation apart, its frames and its slider's readouts, instead of Plotly's own
slider and buttons. The contour goes in an element of its own, unchanged while the surface is,
which Streamlit then sends as a reference to what the browser already has.

Plotly.js is the one the plotly package ships, served by Streamlit's static file serving (ui/browser.py).
"""

from __future__ import annotations

import hashlib
import math
from typing import Literal

import streamlit as st

from figures.spec import larger_text
from figures.trajectories import LOSSES_SAID, readout_parts

from .browser import component, packed, serve_plotly
from .i18n import t

serve_plotly()
_chart = component("trajectory_chart", "chart.js", "chart")
_store = st.components.v2.component("chart_contour", js="""
export default function ({ data: bytes }) {
  const data = JSON.parse(new TextDecoder().decode(bytes)); // ui/browser.py packed()
  const store = (window.__chartContours ??= new Map());
  if (!store.has(data.id)) {
    store.set(data.id, data.traces);
    window.dispatchEvent(new Event("chart-contour"));
  }
}
""")


NO_BUTTONS = {"displayModeBar": False}
# Plotly's own words that a chart here can show: the legend's tip
PLOTLY_WORDS = ("plotly_legend_tip",)


def in_language(config: dict, lang: str) -> dict:
    """Plotly's `config` with Plotly's own words in `lang` (Plotly looks each up by its English text)."""
    if lang == "en":
        return config
    return {**config, "locale": lang,
            "locales": {lang: {"dictionary": {t("en", word): t(lang, word) for word in PLOTLY_WORDS}}}}


BOTTOM_MARGIN = 40  # below the plot, for the x axis' title, once Plotly's slider is gone


def _without_plotly_controls(layout: dict) -> list[tuple[str, list[str]]]:
    """The readout of each frame (the labels of Plotly's epoch slider, taken apart: the epoch, and the runs'
    losses, which the component lets flow as many to a line as its width holds), taken out of `layout` with the
    slider and its play buttons, which the component replaces: a change sends their labels only, and the
    plot takes back the room below it that they needed."""
    sliders = layout.pop("sliders", None)
    layout.pop("updatemenus", None)
    if not sliders:
        return []
    if "margin" in layout and "height" in layout:
        room = layout["margin"]["b"] - BOTTOM_MARGIN
        layout["margin"] = {**layout["margin"], "b": BOTTOM_MARGIN}
        layout["height"] -= room
    return [readout_parts(step["label"]) for step in sliders[0]["steps"]]


def plot(key: str, figure, lang: str, words: dict | None = None, *, contour_traces: int = 0, trail: bool = False,
         clickable: bool | Literal["plane"] = False, on_click=None, config: dict = NO_BUTTONS, description: str = "",
         title: str = "", first: bool = False, epoch: int | None = None, on_epoch=None,
         keys_from: tuple[float, float] | None = None, png: str | None = None, text: float = 1.0,
         fill: bool = False) -> None:
    """Draw `figure` (a SpecFigure; with frames and an epoch slider, the epoch controls) in the component `key`.

    `lang`: the page's language, Plotly's own words included; `contour_traces`: how many of its first traces
    are the contour, sent apart and kept by the browser; `words`: the epoch controls' labels; `trail`: whether
    the path after the epoch starts hidden (the user's own choice, once made, is kept in the browser);
    `clickable`: a click on a point of the chart (True) or anywhere on the plane of its first axes ("plane")
    calls `on_click`, where clicked_point(key) says where it was (its points reached by keyboard too, the chart's
    `title` then names it: a page's two maps were one name said twice; the keyboard starts at the point nearest
    `keys_from`, run 1's place, else at the middle);
    `config`: Plotly's; `description`: the chart's text alternative, what a screen reader says of it (the chart
    is a figure labelled with it); `first`: the page's chart under the hand, drawn before the others;
    `epoch`: the link's epoch, shown when it changes (a link opened, Back), and with it `on_epoch`, called with
    the epoch the chart comes to rest at (shown_epoch(key) says which), so that the link holds it; `png`: the name
    of the PNG file its button (under a chart with epochs, words["png"] its name) downloads; `text`: how many times
    larger its words are drawn (presenting: as the page's); `fill`: taller than the figure asks, as tall as the screen
    leaves beside its column's other parts, where that column stays in view (presenting, static/chart.js screenRoom)."""
    spec = figure.to_dict() if text == 1 else larger_text(figure.to_dict(), text)
    spec = {**spec, "layout": dict(spec["layout"])}  # the figure may be kept: its controls go from a copy
    data = spec["data"]
    readouts = _without_plotly_controls(spec["layout"])
    contour = data[:contour_traces]
    contour_id = hashlib.blake2b(packed(contour), digest_size=8).hexdigest() if contour else None
    if contour:
        _store(key=f"{key}.contour", data=packed({"id": contour_id, "traces": contour}), height=0)
    if clickable is True:  # its points open by keyboard too (static/chart.js cellsByKeys): how, said to the user
        words = {**(words or {}), "cells_keys": t(lang, "chart_cells_keys", title=title),
                 "cell_joins": [t(lang, "cell_is"), t(lang, "readout_sep")]}  # "η 0.13, γ 0.55: converging, …"
    payload = {"key": key, "figure": {**spec, "data": data[contour_traces:]}, "contour": contour_id,
               "readouts": readouts, "losses_said": LOSSES_SAID, "words": words or {}, "trail": trail,
               "clickable": clickable, **({} if keys_from is None else {"keys_from": [*map(float, keys_from)]}),
               **({} if png is None else {"png": {"filename": png}}),
               "config": in_language(config, lang),
               "description": description, "first": first, "fill": fill,
               **({} if epoch is None else {"epoch": epoch})}
    _chart(key=key, data=packed(payload), on_click_change=on_click or (lambda: None),
           on_epoch_change=on_epoch or (lambda: None))


def shown_epoch(key: str) -> int | None:
    """The epoch the chart `key` came to rest at (its trigger, static/chart.js tellEpoch); None without one."""
    epoch = (st.session_state.get(key) or {}).get("epoch")
    return epoch if isinstance(epoch, int) and not isinstance(epoch, bool) and epoch >= 0 else None


def clicked_point(key: str) -> tuple[float, float] | None:
    """Where the last click on the chart `key` (clickable) was, in the data's coordinates; None without one."""
    click = (st.session_state.get(key) or {}).get("click")  # the component's trigger (static/chart.js)
    try:
        x, y = float(click["x"]), float(click["y"])
    except (TypeError, KeyError, ValueError):
        return None
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None
