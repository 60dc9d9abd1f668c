"""The contour of a surface with every run's path, and the epoch animation.

Plain functions from arrays to a plotly Figure, testable without Streamlit.
Arrays go to Plotly as NumPy (float32 for the grid), so they travel as binary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from surfaces import Surface

from .spec import figure

PALETTE = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
GRID_SIZE = 90  # grid points per axis for the contour
CLICK_GRID = 16  # invisible markers per axis that catch clicks to set the start
MAX_FRAMES = 200  # longer runs animate every k-th epoch, to keep the payload small


@dataclass(frozen=True)
class PathView:
    """What the figure needs of one run."""

    label: str  # legend text: optimizer and settings
    points: np.ndarray  # (epochs + 1, 2), NaN after a non-finite point
    color: str


@dataclass(frozen=True)
class Labels:
    """The figure's words, in the page's language."""

    start: str = "start"
    minimum: str = "minimum"
    epoch: str = "epoch"
    play: str = "▶ play"
    pause: str = "❚❚ pause"
    axes: tuple[str, str] | None = None  # the axis titles; None: the surface's own (x1, x2; b, w)


def contour_grid(surface: Surface, size: int = GRID_SIZE):
    """x1, x2 (float32) and the values to colour, on a size × size grid over the bounds.

    With `log_contours`, the colour is log10 of the height above the lowest known
    minimum, so that a narrow valley shows its rings instead of one flat colour.
    """
    (a, b), (c, d) = surface.bounds
    x1 = np.linspace(a, b, size)
    x2 = np.linspace(c, d, size)
    with np.errstate(all="ignore"):
        z = surface.f(x1[None, :], x2[:, None])
        z = np.broadcast_to(z, (size, size)).astype(float)
        finite = np.isfinite(z)
        z[~finite] = np.nan  # where f is undefined the plot stays blank
        if surface.log_contours and finite.any():
            floor = min(surface.floor(), float(z[finite].min()))
            spread = float(z[finite].max()) - floor
            z = np.log10(np.maximum(z - floor, 0) + 1e-4 * spread + 1e-300)
    return x1.astype(np.float32), x2.astype(np.float32), z.astype(np.float32)


def trajectory_figure(surface: Surface, grid, paths: list[PathView], labels: Labels = Labels(),
                      height: int = 560) -> go.Figure:
    """Contour, paths with a marker per epoch, start and minima, and a Plotly
    animation whose frames move one 'current epoch' marker per run, so scrubbing
    and playing run in the browser with no server round trip."""
    x1, x2, z = grid
    (a, b), (c, d) = surface.bounds
    cx, cy = np.meshgrid(np.linspace(a, b, CLICK_GRID), np.linspace(c, d, CLICK_GRID))
    point_hover = "x1 %{x:.4f}, x2 %{y:.4f}<extra></extra>"
    data = [
        dict(type="contour", x=x1, y=x2, z=z, ncontours=24, colorscale=[[0, "#3d5a73"], [1, "#c9d3de"]],
             showscale=False,
             contours=dict(coloring="lines", showlines=True), line=dict(width=1.2),
             hoverinfo="skip", name="f"),
        # invisible markers over the whole frame: a click on one sets the start point
        dict(type="scatter", x=cx.ravel().astype(np.float32), y=cy.ravel().astype(np.float32), mode="markers",
             marker=dict(size=14, opacity=0), hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}<extra></extra>",
             showlegend=False, name="click"),
    ]
    if surface.minima:
        mins = np.array(surface.minima)
        data.append(dict(type="scatter", x=mins[:, 0], y=mins[:, 1], mode="markers", name=labels.minimum,
                         marker=dict(symbol="star", size=15, color="#ffd60a", line=dict(width=1, color="#111")),
                         hovertemplate=point_hover))
    for path in paths:
        data.append(dict(type="scatter", x=path.points[:, 0], y=path.points[:, 1], mode="lines+markers",
                         name=path.label,
                         line=dict(color=path.color, width=2.5), marker=dict(size=6, color=path.color),
                         customdata=np.arange(len(path.points)),
                         hovertemplate=f"{labels.epoch} %{{customdata}}: x1 %{{x:.6f}}, x2 %{{y:.6f}}<extra></extra>"))
    x_title, y_title = labels.axes or surface.axis_names
    layout = dict(
        height=height,
        xaxis=dict(title=dict(text=x_title), range=[a, b], showgrid=False, zeroline=False,
                   constrain="domain"),
        yaxis=dict(title=dict(text=y_title), range=[c, d], showgrid=False, zeroline=False),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, bgcolor="rgba(255,255,255,0.8)"),
        clickmode="event+select", dragmode=False, uirevision=surface.key,
    )
    frames = []
    if paths:
        start = paths[0].points[0]
        data.append(dict(type="scatter", x=[start[0]], y=[start[1]], mode="markers", name=labels.start,
                         marker=dict(symbol="circle-open", size=16, color="#111", line=dict(width=3)),
                         hovertemplate=point_hover))
        frames = _epoch_animation(data, layout, paths, labels)
    return figure(data, layout, frames)


JUMP = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))


def frame_epochs(epochs: int) -> np.ndarray:
    """The epochs that get an animation frame: all of them, or MAX_FRAMES spread evenly."""
    return np.unique(np.linspace(0, epochs, min(epochs, MAX_FRAMES) + 1).round().astype(int))


def epoch_slider(shown, prefix: str, active: int, x: float = 0.0, pad: dict | None = None) -> dict:
    """A Plotly slider that jumps, in the browser, to the frame named after each shown epoch."""
    return dict(active=active, x=x, len=1 - x, y=0, yanchor="top", pad=pad or dict(t=40),
                currentvalue=dict(prefix=f"{prefix} ", font=dict(size=14)),
                steps=[dict(label=str(k), method="animate", args=[[str(k)], JUMP]) for k in shown])


def _epoch_animation(data: list[dict], layout: dict, paths: list[PathView], labels: Labels) -> list[dict]:
    """One trace holds every run's point at the current epoch; each frame moves it."""
    marker_trace = len(data)
    colors = [p.color for p in paths]
    epochs = max(len(p.points) for p in paths) - 1
    shown = frame_epochs(epochs)

    def at(k):  # plain lists: hundreds of tiny arrays cost more to encode than they save
        xy = [p.points[min(k, len(p.points) - 1)].tolist() for p in paths]
        return dict(type="scatter", x=[x for x, _ in xy], y=[y for _, y in xy])

    data.append(dict(at(0), mode="markers", showlegend=False, hoverinfo="skip",
                     marker=dict(size=15, color=colors, line=dict(width=2, color="white"))))
    frames = [dict(name=str(k), data=[at(k)], traces=[marker_trace]) for k in shown]
    play = dict(mode="immediate", fromcurrent=True, frame=dict(duration=250, redraw=False), transition=dict(duration=0))
    layout["sliders"] = [epoch_slider(shown, labels.epoch, active=0, x=0.1, pad=dict(t=30))]
    layout["updatemenus"] = [dict(
        type="buttons", direction="left", x=0, y=0, xanchor="left", yanchor="top", pad=dict(t=35), showactive=False,
        buttons=[dict(label=labels.play, method="animate", args=[None, play]),
                 dict(label=labels.pause, method="animate", args=[[None], JUMP])],
    )]
    return frames
