"""The drag preview: while a run's η, γ, β or ρ slider is dragged, its path on the contour follows
the hand (static/live.js). Each live slider gets an invisible component holding the run's paths at
every stop of that slider (figures/live.py); one element per slider, so a family that did not
change is not sent again (Streamlit sends an unchanged large element as a reference). The elements have
no key: a keyed component is a widget whose state Streamlit reads again for every other widget drawn
after it (about 1 ms each with a dozen sliders); a keyless one is simply remounted when its paths
change, and live.js finds its slider by the widget key in its data."""

from __future__ import annotations

import streamlit as st

from .browser import component, packed

_preview = component("drag_preview", "live.js", "live")


def follow_drags(chart: str, controls: list[dict]) -> None:
    """`controls`: per live slider its widget key, run index, value, stops, labels and packed paths."""
    with st.container(key="drag_previews", gap=None):
        for control in controls:
            _preview(data=packed({**control, "chart": chart}), height=0)
