"""The class's answers against the truth: the choices as bars with the right one marked, the tapped
points as a density over the contour with the run's true path; and the chart a student taps."""

from __future__ import annotations

import re

import numpy as np

from .palette import PALETTE
from .spec import figure

RIGHT, OTHER = PALETTE[2], PALETTE[7]  # green and grey: the right bar also carries a ✓, not colour alone
TAP_GRID = 41  # invisible markers per axis that catch a tap (a phone's finger lands on one)


def choices_figure(counts: dict[str, int], right: set[str], names: dict[str, str], count_title: str):
    """A bar per choice (in `counts`' order), its number of answers on it, the right ones green and ✓."""
    keys = list(counts)
    text = [f"{counts[k]} ✓" if k in right else str(counts[k]) for k in keys]
    # a name's parts on lines of their own (its explanation in parentheses, what follows a comma): on a phone
    # "进展太慢或卡住（最后仍未稳定下来）" left the bars 18% of the width (a student's trial)
    shown = [re.sub(r",\s+", ",<br>", re.sub(r"\s*([(（])", r"<br>\1", names[k])) for k in keys]
    data = [dict(type="bar", orientation="h", y=shown, x=[counts[k] for k in keys], text=text,
                 textposition="outside", cliponaxis=False,
                 marker=dict(color=[RIGHT if k in right else OTHER for k in keys]),
                 hovertemplate="%{y}: %{x}<extra></extra>")]
    layout = dict(height=80 + 56 * len(keys), margin=dict(l=10, r=40, t=10, b=10), showlegend=False,
                  xaxis=dict(title=dict(text=count_title), rangemode="tozero", dtick=max(1, max(counts.values()) // 5)),
                  yaxis=dict(autorange="reversed"))
    return figure(data, layout)


def tap_figure(contour: list[dict], bounds, start, *, taps=None, path=None, truth=None, mine=None, words: dict,
               height: int = 460):
    """The contour and the start; where the students may tap (before the reveal: invisible markers
    over the whole plot), or their taps as a density with the true path and point (after it); `mine`:
    this student's point, ringed."""
    (a, b), (c, d) = bounds
    data = list(contour)
    if taps is None:
        gx, gy = np.meshgrid(np.linspace(a, b, TAP_GRID), np.linspace(c, d, TAP_GRID))
        data.append(dict(type="scatter", x=gx.ravel(), y=gy.ravel(), mode="markers", name="tap", showlegend=False,
                         marker=dict(size=12, opacity=0), hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}<extra></extra>"))
    elif len(taps):
        taps = np.asarray(taps, float).reshape(-1, 2)
        if len(taps) >= 5:
            data.append(dict(type="histogram2dcontour", x=taps[:, 0], y=taps[:, 1], name=words["density"],
                             colorscale=[[0, "rgba(204,121,167,0)"], [1, "rgba(204,121,167,0.75)"]],
                             contours=dict(coloring="fill", showlines=False), showscale=False, ncontours=8,
                             hoverinfo="skip", xbins=dict(start=a, end=b, size=(b - a) / 20),
                             ybins=dict(start=c, end=d, size=(d - c) / 20)))
    if path is not None:
        path = np.clip(np.asarray(path, float), [a, c], [b, d])
        data.append(dict(type="scatter", x=path[:, 0], y=path[:, 1], mode="lines+markers", name=words["path"],
                         line=dict(color=PALETTE[0], width=2.5), marker=dict(size=5, color=PALETTE[0]),
                         hoverinfo="skip"))
    if truth is not None:
        data.append(dict(type="scatter", x=[truth[0]], y=[truth[1]], mode="markers", name=words["truth"],
                         marker=dict(symbol="star", size=22, color=RIGHT, line=dict(width=2, color="#111")),
                         hovertemplate="x1 %{x:.4f}, x2 %{y:.4f}<extra></extra>"))
    if taps is not None and len(taps):  # over the star: a tap right on the truth was hidden under it (a trial)
        data.append(dict(type="scatter", x=taps[:, 0], y=taps[:, 1], mode="markers", name=words["taps"],
                         cliponaxis=False,  # whole on the plot's edge, where a point typed past it is held
                         marker=dict(size=9, color=PALETTE[3], line=dict(width=1, color="white")),
                         hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}<extra></extra>"))
    if mine is not None:
        data.append(dict(type="scatter", x=[mine[0]], y=[mine[1]], mode="markers", name=words["mine"],
                         cliponaxis=False,  # whole on the plot's edge (a point typed past it is held there)
                         marker=dict(symbol="circle-open-dot", size=20, color="#111", line=dict(width=3)),
                         hovertemplate="x1 %{x:.3f}, x2 %{y:.3f}<extra></extra>"))
    data.append(dict(type="scatter", x=[start[0]], y=[start[1]], mode="markers", name=words["start"],
                     marker=dict(symbol="circle-open", size=16, color="#111", line=dict(width=3)), hoverinfo="skip"))
    # no equal scales: on a phone they would leave the plot a thin strip; a tap needs room
    layout = dict(height=height, margin=dict(l=10, r=10, t=10, b=10), dragmode=False, clickmode="event+select",
                  xaxis=dict(range=[a, b], showgrid=False, zeroline=False, constrain="domain", title=dict(text="x1")),
                  yaxis=dict(range=[c, d], showgrid=False, zeroline=False, constrain="domain", title=dict(text="x2")),
                  legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return figure(data, layout)
