"""The stability map: each cell's outcome over (η, second hyperparameter), converging
cells coloured by their final loss, growing and diverged cells in their own colours,
the analytic boundary on top; and the convergence-rate panel."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from optimizers.maps import CONVERGING, DIVERGED, GROWING, STOPPED

from .spec import figure

DIVERGED_COLOUR = "#d62728"
CONVERGING_SAMPLE = "#21918c"  # Viridis' middle: the legend's sample of the converging cells
GROWING_COLOUR = "#f7a8d0"  # light pink: apart from Viridis (the converging cells) and from the red
STOPPED_COLOUR = "#9ca3af"  # grey: it neither converged nor blew up (f undefined where it stepped)
BOUNDARY_COLOUR = "#111111"  # dashed, over a white halo: seen on dark and light cells alike
FONT = 14  # the smallest chart text, readable on a projector


@dataclass(frozen=True)
class MapLabels:
    x: str = "η"
    y: str = "γ"
    x_short: str = "η"  # the axes' symbols, in what the pointer reads, and what goes between them
    y_short: str = "γ"
    separator: str = ", "
    colour: str = "log₁₀(f − f*)"
    converging: str = "converging"
    growing: str = "growing"
    diverged: str = "diverged"
    stopped: str = "stopped (f undefined)"
    boundary: str = "stability limit"
    optimum: str = "fastest"
    rate: str = "ρ per epoch"
    no_convergence: str = "ρ ≥ 1"


def plain_number(v: float) -> str:
    """A positive number as a student reads it: 0.0001, 0.5, 20; 2·10⁻⁵ and 10¹² outside
    [10⁻⁴, 10⁵) (never SI's 100μ, nor 1e+12)."""
    if 1e-4 <= v < 1e5:
        return f"{v:.12g}"
    exponent = math.floor(math.log10(v) + 1e-9)
    mantissa = round(v / 10.0**exponent, 6)
    power = "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return power if mantissa == 1 else f"{mantissa:g}·{power}"


def log_ticks(lo: float, hi: float) -> list[float]:
    """Ticks at 10ᵏ, else 1, 2, 5 × 10ᵏ, else every digit, whichever first gives at least 4 in [lo, hi]."""
    decades = range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
    ticks: list[float] = []
    for mantissas in ((1,), (1, 2, 5), range(1, 10)):
        ticks = [float(f"{m}e{k}") for k in decades for m in mantissas
                 if lo * (1 - 1e-9) <= m * 10.0**k <= hi * (1 + 1e-9)]
        if len(ticks) >= 4:
            break
    return ticks


def _cell_hover(labels: MapLabels) -> str:
    """What the pointer reads over a cell: its η and its second value (a click takes that cell). The keyboard's
    cursor says more (static/chart.js sayCell): the cell's kind (meta "kinds", by z) and the colour's value there
    (the trace whose meta names its "value")."""
    return f"{labels.x_short} %{{x:.4g}}{labels.separator}{labels.y_short} %{{y:.4g}}<extra></extra>"


def _layout(x, y, log_x, labels: MapLabels, height, y_range=None) -> dict:
    font = dict(size=FONT)
    xaxis = dict(title=dict(text=labels.x, font=font), tickfont=font, type="log" if log_x else "linear",
                 range=[np.log10(x[0]), np.log10(x[-1])] if log_x else [x[0], x[-1]], exponentformat="power")
    if log_x:
        ticks = log_ticks(x[0], x[-1])
        if len(ticks) >= 2:
            xaxis.update(tickmode="array", tickvals=ticks, ticktext=[plain_number(v) for v in ticks])
    return dict(
        height=height, clickmode="event", dragmode=False, font=font,
        xaxis=xaxis,
        yaxis=dict(title=dict(text=labels.y, font=font), tickfont=font, range=list(y_range or (y[0], y[-1])),
                   exponentformat="power"),
        legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0, font=font),
    )


def _colorbar(title: str) -> dict:
    return dict(title=dict(text=title, side="right", font=dict(size=FONT)), tickfont=dict(size=FONT), len=0.9,
                thickness=16)


def _category_sample(name: str, colour: str) -> dict:
    """A legend entry for cells of one colour (heatmaps have none)."""
    return dict(type="scatter", x=[None], y=[None], mode="markers", name=name,
                marker=dict(symbol="square", size=14, color=colour, line=dict(width=1, color="#555")))


def _boundary(boundary, name: str) -> list[dict]:
    """The analytic limit: a black dashed line over a white halo, one legend entry."""
    x, y = boundary
    return [dict(type="scatter", x=x, y=y, mode="lines", line=dict(color="white", width=6), showlegend=False,
                 legendgroup="boundary", hoverinfo="skip", name=name),
            dict(type="scatter", x=x, y=y, mode="lines", name=name, legendgroup="boundary", hoverinfo="skip",
                 line=dict(color=BOUNDARY_COLOUR, width=2.5, dash="dash"))]


def outcome_figure(lr, y, loss, outcome, floor: float, start_loss: float, *, log_x: bool = True, boundary=None,
                   labels: MapLabels = MapLabels(), height: int = 520, y_range=None, runs=()) -> go.Figure:
    """loss and outcome are (ny, nx) (outcome as OutcomeMap.outcome); boundary is (x, y) of the
    analytic limit or None; y_range the y axis's span where it is more than y's (a map in progress);
    runs: (label, η, y, colour) of the explorer's runs that the map describes, each marked where it is.

    Only converging cells are coloured by log₁₀(f − f*), up to the start's loss; growing
    and diverged cells have their own colours at any epoch count."""
    outcome = np.asarray(outcome)
    with np.errstate(all="ignore"):
        z = np.log10(np.maximum(np.asarray(loss, float) - floor, 1e-300))
    z = np.where(outcome == CONVERGING, np.clip(z, -16, None), np.nan).astype(np.float32)
    top = float(np.log10(max(start_loss - floor, 1e-16))) if np.isfinite(start_loss) else 1.0
    lowest = float(np.nanmin(z)) if (outcome == CONVERGING).any() else top - 1
    bottom = min(max(math.floor(lowest), -16), top - 1)  # the colours span what the converging cells reach
    classes = np.select([outcome == GROWING, outcome == DIVERGED, outcome == STOPPED], [1, 2, 3], 0).astype(np.uint8)
    colours = ["rgba(0,0,0,0)", GROWING_COLOUR, DIVERGED_COLOUR, STOPPED_COLOUR]  # by class: 0 shows the Viridis
    data = [
        dict(type="heatmap", x=lr, y=y, z=z, colorscale="Viridis", zmin=bottom, zmax=top,
             colorbar=_colorbar(labels.colour), hoverinfo="skip", name=labels.converging,
             meta={"value": labels.colour}),
        # the other cells: one byte a cell, transparent where the run converges; one band of the scale per class
        dict(type="heatmap", x=lr, y=y, z=classes, showscale=False, zmin=0, zmax=3, hovertemplate=_cell_hover(labels),
             meta={"kinds": [labels.converging, labels.growing, labels.diverged, labels.stopped]},
             colorscale=[[edge, colour] for k, colour in enumerate(colours)
                         for edge in (max(0, (2 * k - 1) / 6), min(1, (2 * k + 1) / 6))], name=labels.growing),
        _category_sample(labels.converging, CONVERGING_SAMPLE),
        _category_sample(labels.growing, GROWING_COLOUR),
        _category_sample(labels.diverged, DIVERGED_COLOUR),
        # only where a typed f has no value somewhere: most maps have no such cell
        *([_category_sample(labels.stopped, STOPPED_COLOUR)] if (outcome == STOPPED).any() else []),
    ]
    if boundary is not None:
        data += _boundary(boundary, labels.boundary)
    data += [dict(type="scatter", x=[x], y=[v], mode="markers+text", name=label, text=[label.split(".")[0]],
                  textposition="top center", textfont=dict(size=FONT, color=colour), hoverinfo="name",
                  hoverlabel=dict(namelength=-1),  # its whole name: Plotly cut it to "1. Gradient ..." (15 characters)
                  cliponaxis=False,  # a run on the map's edge (the epochs' top) is drawn whole, not cut in half
                  marker=dict(size=14, color=colour, symbol="diamond", line=dict(color="white", width=2)))
             for label, x, v, colour in runs]
    return figure(data, _layout(lr, y, log_x, labels, height, y_range))


def rate_figure(lr, gamma, rho, *, log_x: bool = True, boundary=None, optimum=None,
                labels: MapLabels = MapLabels(), height: int = 520) -> go.Figure:
    """The spectral radius ρ(η, γ): the error shrinks by ρ per epoch (ρ ≥ 1: no convergence)."""
    data = [
        dict(type="heatmap", x=lr, y=gamma, z=np.minimum(rho, 1).astype(np.float32),
             zmin=float(np.floor(np.min(rho) * 20) / 20), zmax=1,
             colorscale="Blues", reversescale=True, colorbar=_colorbar(labels.rate),
             hoverinfo="skip", name="rate", meta={"value": labels.rate}),
        dict(type="heatmap", x=lr, y=gamma, z=(np.asarray(rho) >= 1).astype(np.uint8), showscale=False,
             colorscale=[[0, "rgba(0,0,0,0)"], [1, DIVERGED_COLOUR]], zmin=0, zmax=1, hovertemplate=_cell_hover(labels),
             meta={"kinds": ["", labels.no_convergence]}, name=labels.no_convergence),
        _category_sample(labels.no_convergence, DIVERGED_COLOUR),
    ]
    if boundary is not None:
        data += _boundary(boundary, labels.boundary)
    if optimum is not None:
        data.append(dict(type="scatter", x=[optimum[0]], y=[optimum[1]], mode="markers", name=labels.optimum,
                         marker=dict(symbol="star", size=18, color="#ffd60a", line=dict(width=1, color="#111")),
                         hovertemplate=f"{labels.optimum} {labels.x_short} %{{x:.4g}}{labels.separator}"
                                       f"{labels.y_short} %{{y:.3f}}<extra></extra>"))
    return figure(data, _layout(lr, gamma, log_x, labels, height))
