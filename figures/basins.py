"""Basins of attraction as pictures: one panel per run, each start point coloured by where its run
ends (a minimum's colour, black if it diverged, grey elsewhere), the minima marked on top."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizers.basins import DIVERGED, ELSEWHERE, PENDING, BasinMap

from .spec import figure
from .trajectories import POINT_STYLE

GLOBAL_COLOUR = "#f2c12e"
# every two of these, gold and the two greys stay apart to a deuteranope and a protanope (tests/test_palette.py): the
# old green and red basins of Himmelblau, side by side, read as one (found in a trial)
MINIMUM_COLOURS = ("#0072B2", "#D55E00", "#44AA99", "#56B4E9", "#8C564B", "#000080", "#800000", "#008080")
DIVERGED_COLOUR, ELSEWHERE_COLOUR = "#262626", "#d4d4d4"
CLICK_STARTS = 41  # starts per axis a click can open (a fifth of a unit apart on a 10-wide plot)
LEGEND_MINIMA = 8  # more minima (Rastrigin) share two legend entries


@dataclass(frozen=True)
class BasinLabels:
    """The figure's words, in the page's language."""

    global_minimum: str = "global minimum"
    minimum: str = "local minimum"
    minima: str = "local minima, a colour each (the pointer names it)"
    diverged: str = "diverged"
    elsewhere: str = "elsewhere"


def minimum_colours(kinds: list[str]) -> list[str]:
    """Gold for the first global minimum; every other minimum in turn from a palette, so that several
    global minima (Himmelblau's four) have basins apart."""
    colours, k = [], 0
    for kind in kinds:
        if kind == "global_minimum" and GLOBAL_COLOUR not in colours:
            colours.append(GLOBAL_COLOUR)
        else:
            colours.append(MINIMUM_COLOURS[k % len(MINIMUM_COLOURS)])
            k += 1
    return colours


def _outline(colour: str) -> str:
    """A minimum's star outline on its basin's colour: white on a dark one (navy, maroon), else near-black."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#fff" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.3 else "#111"


def basins_figure(maps: list[tuple[str, BasinMap]], kinds: list[str], labels: BasinLabels = BasinLabels(),
                  axis_names=("x1", "x2")) -> object:
    """`maps`: (title, map) per run, all on the same surface and minima; `kinds`: each minimum's kind."""
    colours = minimum_colours(kinds)
    # z: 0 elsewhere, 1 diverged, 2 + i the i-th minimum; a step colour scale, one colour per value
    palette = [ELSEWHERE_COLOUR, DIVERGED_COLOUR, *colours]
    n = len(palette)
    scale = [[edge, colour] for i, colour in enumerate(palette) for edge in (i / n, (i + 1) / n)]
    data = []
    rows, columns = (1, max(len(maps), 1)) if len(maps) <= 2 else (2, 2)
    # Plotly's grid places the panels (static/chart.js stacks them on a phone, where two side by side are stamps)
    layout = dict(annotations=[], height=470 * rows, margin=dict(l=10, r=10, t=60, b=10),
                  grid=dict(rows=rows, columns=columns, pattern="independent", xgap=0.15, ygap=0.21),
                  legend=dict(orientation="h", yanchor="bottom", y=1.04, x=0), clickmode="event+select",
                  dragmode=False, hovermode="closest", hoverdistance=-1)  # -1: the nearest start, however far
    minima = maps[0][1].minima if maps else np.zeros((0, 2))
    ends_word = {i: f"{labels.global_minimum if kind == 'global_minimum' else labels.minimum} "
                    f"({x + 0.0:.2f}, {y + 0.0:.2f})"  # + 0.0: no "-0.00"
                 for i, (kind, (x, y)) in enumerate(zip(kinds, np.round(minima, 2)))}
    ends_word |= {DIVERGED: labels.diverged, ELSEWHERE: labels.elsewhere}
    for k, (title, basin) in enumerate(maps):
        xa, ya = f"x{k + 1 if k else ''}", f"y{k + 1 if k else ''}"
        z = np.where(basin.ends == ELSEWHERE, 0, np.where(basin.ends == DIVERGED, 1, basin.ends + 2))
        pending = basin.ends == PENDING  # a map still in pieces: the rows to come are left blank
        z = np.where(pending, np.nan, z).astype(np.float32) if pending.any() else z.astype(np.int16)
        data.append(dict(type="heatmap", x=basin.x1.astype(np.float32), y=basin.x2.astype(np.float32),
                         z=z, colorscale=scale, zmin=-0.5, zmax=n - 0.5, showscale=False,
                         xaxis=xa, yaxis=ya, hoverinfo="skip"))
        (a, b), (c, d) = (basin.x1[[0, -1]], basin.x2[[0, -1]])
        cx, cy = np.meshgrid(np.linspace(a, b, CLICK_STARTS), np.linspace(c, d, CLICK_STARTS))
        # invisible markers: the pointer names the nearest start and where its run ends (the colours repeat
        # on a surface of many minima), and a click anywhere opens the explorer from it
        ends = basin.ends[np.abs(basin.x2[:, None] - cy[:, 0]).argmin(axis=0)[:, None],
                          np.abs(basin.x1[:, None] - cx[0]).argmin(axis=0)[None, :]]
        data.append(dict(type="scatter", x=cx.ravel().astype(np.float32), y=cy.ravel().astype(np.float32),
                         mode="markers", marker=dict(size=14, opacity=0), showlegend=False, xaxis=xa, yaxis=ya,
                         text=[ends_word.get(int(e), "…") for e in ends.ravel()],
                         hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}: %{text}<extra></extra>", name="click"))
        if len(basin.minima):
            star = dict(POINT_STYLE["global_minimum"], color=colours,
                        line=dict(width=1.5, color=[_outline(c) for c in colours]))
            data.append(dict(type="scatter", x=basin.minima[:, 0], y=basin.minima[:, 1], mode="markers", marker=star,
                             showlegend=False, xaxis=xa, yaxis=ya, hoverinfo="skip"))
        key = "" if k == 0 else str(k + 1)
        layout["xaxis" + key] = dict(anchor=ya, range=[float(a), float(b)], title=dict(text=axis_names[0]),
                                     showgrid=False, zeroline=False, constrain="domain")
        beside = k % 2 == 1  # the right panel of a row shares the left's x2 axis: no labels to overlap it on a phone
        # equal scales, as the explorer draws the surface: one run's map filled the page's width, its basins
        # stretched 2.5 to 1 beside the explorer's
        square = 1 / 3 <= (d - c) / (b - a) <= 3
        layout["yaxis" + key] = dict(anchor=xa, range=[float(c), float(d)], showgrid=False, zeroline=False,
                                     title=dict(text="" if beside else axis_names[1]), showticklabels=not beside,
                                     **(dict(scaleanchor=xa, scaleratio=1, constrain="domain") if square else {}))
        # over its panel's plot, where the equal scales put it in the panel's room
        layout["annotations"].append(dict(text=title, x=0, y=1, xref=f"{xa} domain", yref=f"{ya} domain",
                                          xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=14)))
    # the legend: each minimum with its place (when few), diverged and elsewhere
    if len(kinds) <= LEGEND_MINIMA:
        entries = [(ends_word[i], colour) for i, colour in enumerate(colours)]
    else:  # each local minimum has a colour (they repeat): the pointer names the one a start ends in
        entries = [(labels.global_minimum, GLOBAL_COLOUR), (labels.minima, MINIMUM_COLOURS[0])]
    for name, colour in [*entries, (labels.diverged, DIVERGED_COLOUR), (labels.elsewhere, ELSEWHERE_COLOUR)]:
        data.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=name, showlegend=True,
                         marker=dict(symbol="square", size=14, color=colour)))
    return figure(data, layout)
