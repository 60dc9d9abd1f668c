"""Figures from plain dict specs, handed to Streamlit without Plotly's object model.

Plotly's graph objects validate and deep-copy every property as they are built and
again when Streamlit asks for `to_dict()`: most of a rerun's time for an animation
with a frame per epoch. `SpecFigure` is a go.Figure that only holds the spec (its
arrays already packed as Plotly's binary typed arrays) and returns it from
`to_dict()`, which is all Streamlit and plotly.io read. The tests validate every
builder's output with `go.Figure(fig.to_dict())`, which also gives them Plotly's
objects to inspect.
"""

from __future__ import annotations

import base64
import hashlib

import numpy as np
import orjson
import plotly.graph_objects as go

BASE_LAYOUT = dict(template={}, margin=dict(l=10, r=10, t=10, b=10), paper_bgcolor="white", plot_bgcolor="white",
                   font=dict(size=14), hoverlabel=dict(font=dict(size=14)))


class SpecFigure(go.Figure):
    """A figure that is its dict spec; read it with to_dict() (or go.Figure(fig.to_dict()))."""

    def __init__(self, spec: dict):  # deliberately not go.Figure.__init__: no validation, no copies
        _pack(spec)
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec

    def __getattr__(self, name):
        raise AttributeError(f"a SpecFigure has only its spec: use go.Figure(fig.to_dict()).{name}")

    def __repr__(self) -> str:
        return f"SpecFigure({len(self._spec['data'])} traces, {len(self._spec.get('frames', []))} frames)"


TEXT = 14  # px: the smallest chart text, readable on a projector (Streamlit's theme would set 12)


def figure(data: list[dict], layout: dict, frames: list[dict] | None = None, automargin: bool = True) -> SpecFigure:
    """`automargin`: the axes make room for their tick labels and titles, whatever their length (a
    narrow column left the contour's −1, −2 cut to 1, 2 in a 10 px margin)."""
    layout = {**BASE_LAYOUT, **layout}
    for name, part in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            part.setdefault("automargin", automargin)
            # Plotly's default ("hide past div") measures every tick label again for each label drawn: 40-50 ms a
            # load of the explorer; automargin already makes room for them
            part.setdefault("ticklabeloverflow", "allow")
            part.setdefault("tickfont", {"size": TEXT})
            part.get("title", {}).setdefault("font", {"size": TEXT + 1})
    if "legend" in layout:
        layout["legend"].setdefault("font", {"size": TEXT})
    spec = SpecFigure(dict(data=data, layout=layout, frames=frames or []))
    # Streamlit draws a changed chart twice (on mount, then again from a copy of the same spec);
    # with a datarevision, Plotly.react sees the second time that no data changed and skips it
    layout["datarevision"] = hashlib.blake2b(orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY),
                                             digest_size=8).hexdigest()
    return spec


FONTS = ("font", "tickfont", "textfont")  # the keys whose "size" is a font's


def larger_text(spec: dict, by: float) -> dict:
    """A copy of the figure `spec` with every font `by` times as large (a projector's); its frames as they are."""
    def scaled(value, font: bool = False):
        if isinstance(value, dict):
            return {k: round(v * by, 1) if font and k == "size" and isinstance(v, (int, float))
                    else scaled(v, k in FONTS) for k, v in value.items()}
        return [scaled(v) for v in value] if isinstance(value, list) else value

    return {**spec, "layout": scaled(spec["layout"]), "data": [scaled(trace) for trace in spec["data"]]}


TYPED = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
         "float32": "f4", "float64": "f8"}  # plotly.js's binary array types
SKIPPED = ("range",)  # Plotly keeps these as plain lists


def _pack(obj) -> None:
    """NumPy arrays anywhere in the spec become plotly.js typed arrays (in place), as
    go.Figure.to_dict() does, without its per-value checks."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj)
    for key, value in items:
        if isinstance(value, np.ndarray) and key not in SKIPPED:
            obj[key] = _typed(value)
        elif isinstance(value, (dict, list)):
            _pack(value)


def _typed(a: np.ndarray):
    if a.dtype == np.int64 and a.size and np.iinfo(np.int32).min <= a.min() and a.max() <= np.iinfo(np.int32).max:
        a = a.astype(np.int32)
    code = TYPED.get(str(a.dtype))
    if code is None or a.size == 0:
        return a.tolist()
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(a)).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = str(a.shape)[1:-1]
    return spec
