"""Loss per epoch on a log axis."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .spec import figure


MAX_TICKS = 8  # labels on the log axis
CEILING = 1e200  # a loss this large has blown up: near 1e308, Plotly's log ticks read "Infinity^-NaN"


def loss_figure(losses: list[tuple[str, np.ndarray, str]], floor: float, y_title: str, x_title: str = "epoch",
                height: int = 300, max_points: int = 1000, x_per_epoch: list[int] | None = None) -> go.Figure:
    """One line per run of f(x_t) − floor (floor: the lowest known minimum), log scale; against the
    epoch, or epoch × `x_per_epoch` of each line (e.g. the examples one step reads), on a log axis:
    per-step counts that differ a hundredfold then share one picture.

    Values at or below zero (the minimum reached to the last bit) are left out,
    as are diverged epochs (NaN, infinite or above CEILING: Plotly would label the axis "Infinity").
    Long runs are thinned to about max_points per line."""
    data = []
    for i, (label, values, color) in enumerate(losses):
        with np.errstate(all="ignore"):
            gap = np.asarray(values, dtype=float) - floor
        gap = np.where((gap > 0) & (gap < CEILING), gap, np.nan)  # an overflow would stretch the axis
        keep = np.unique(np.linspace(0, len(gap) - 1, min(len(gap), max_points)).round().astype(int))
        if x_per_epoch is not None:
            keep = keep[keep > 0]  # no place for 0 examples on a log axis
        x = keep if x_per_epoch is None else keep * x_per_epoch[i]
        data.append(dict(type="scatter", x=x, y=gap[keep], mode="lines", name=label,
                         line=dict(color=color, width=2.5)))
    x_axis = dict(title=dict(text=x_title), zeroline=False, **({} if x_per_epoch is None else {"type": "log"}))
    y_axis = dict(title=dict(text=y_title), type="log", exponentformat="power")
    y_axis.update(powers_of_ten([d["y"] for d in data]))
    layout = dict(height=height, showlegend=False, xaxis=x_axis, yaxis=y_axis)
    return figure(data, layout)


def powers_of_ten(curves) -> dict:
    """A log axis's ticks for these curves' values: powers of ten only (Plotly's 2, 3, … 9 between them pile
    up on a small chart), at most MAX_TICKS of them (a run to 1e-300 spans 300 decades). Over one or two
    decades, 1, 2 and 5 of each, written whole (Plotly's "D2" wrote 0.5 as a bare "5" under a 1); under half
    a decade, Plotly's own."""
    shown = np.concatenate([np.asarray(c, dtype=float).ravel() for c in curves]) if len(curves) else np.array([])
    shown = shown[np.isfinite(shown) & (shown > 0)]
    decades = np.log10(shown.max()) - np.log10(shown.min()) if shown.size else 0.0
    if decades >= 2:
        return {"dtick": int(np.ceil(decades / MAX_TICKS))}
    if decades < 0.5:
        return {}
    # every 1, 2 and 5 from the decade below the lowest value to the one above the highest (autorange's margin)
    lowest, highest = int(np.floor(np.log10(shown.min()))) - 1, int(np.ceil(np.log10(shown.max()))) + 1
    values = [m * 10.0**k for k in range(lowest, highest + 1) for m in (1, 2, 5)]
    return {"tickmode": "array", "tickvals": values, "ticktext": [tick_text(v) for v in values]}


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def tick_text(value: float) -> str:
    """1, 2 or 5 times a power of ten as a student reads it: 0.05, 200, or 5×10⁻⁷ far from 1."""
    mantissa, exponent = f"{value:.0e}".split("e")
    if -4 <= int(exponent) < 5:
        return f"{value:.{max(0, -int(exponent))}f}"
    return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"
