"""The surface in 3D with every run's path on it (the loss as height), and the same epoch animation
as the contour: seed 003's picture of a ball rolling down a hillside."""

from __future__ import annotations

import numpy as np

from surfaces import Surface
from surfaces.surface import undefined_at

from .spec import figure
from .trajectories import (ARROWS, CONTOUR_COLOURS, JUMP, MAX_POINTS, POINT_STYLE, RUN_DASHES, RUN_SYMBOLS, Labels,
                           PathView, arrow_segments, arrow_vectors, crossing, frame_epochs, readout, readout_lines)

GRID = 60  # points per axis of the 3D surface: enough for its shape, light to rotate
# at most this many labels on a side (Plotly's own choice, a label per unit, piled up in a corner), and the
# camera this much further than Plotly's default eye: the box's near corner and its labels stay in the picture
AXIS_TICKS = 6
EYE_BACK = 1.15
LIFT = 0.01  # a path drawn this share of the height range above the surface stays visible
DASH_3D = {"solid": "solid", "dash": "dash", "dot": "dot", "dashdot": "dashdot"}


def heights(surface: Surface, size: int = GRID):
    """x1, x2 and f on a size × size grid over the plot, and the height range drawn (f's finite range)."""
    (a, b), (c, d) = surface.bounds
    x1, x2 = np.linspace(a, b, size), np.linspace(c, d, size)
    with np.errstate(all="ignore"):
        z = np.broadcast_to(np.asarray(surface.f(x1[None, :], x2[:, None]), float), (size, size)).copy()
    z[~np.isfinite(z)] = np.nan
    finite = z[np.isfinite(z)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    return x1, x2, z, (low, high)


def in_box(points: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, int | None]:
    """A path (n, 3) as the box [low, high] shows it: up to its last point inside, then the point where
    it leaves through a side (trajectories.crossing), then nothing (NaN); and the epoch of that point on the
    side (None: it stays inside, or no step says where it crossed). A path that starts outside is drawn
    clipped to the box."""
    with np.errstate(invalid="ignore"):
        inside = ((points >= low) & (points <= high)).all(axis=1)
    if inside.all():
        return points, None
    first = int(np.argmin(inside))
    if first == 0:
        return np.clip(points, low, high), None
    out = points.copy()
    out[first:] = np.nan
    edge = crossing(points, first - 1, low, high)
    if edge is None:
        return out, None
    out[first] = edge
    return out, first


def in_view(surface: Surface, points: np.ndarray, losses: np.ndarray, span: tuple[float, float]) -> np.ndarray:
    """A path (epochs + 1, 2) with its losses as the 3D view draws it, (epochs + 1, 3): x1, x2 and the
    loss a hair above the surface (never below its drawn floor), until it leaves the box. `span`: the
    heights drawn (low, high), from heights(surface)."""
    return view_and_exit(surface, points, losses, span)[0]


def view_and_exit(surface: Surface, points: np.ndarray, losses: np.ndarray,
                  span: tuple[float, float]) -> tuple[np.ndarray, int | None]:
    """in_view's path, and the epoch it left the box at (None: it did not)."""
    low, high = span
    lift = LIFT * (high - low)
    box = (np.array([*np.min(surface.bounds, axis=1), -np.inf]), np.array([*np.max(surface.bounds, axis=1),
                                                                           high + 2 * lift]))
    xyz = np.column_stack([points, np.maximum(losses, low) + lift])
    undefined = undefined_at(points, losses, surface.divergence_bound)  # a typed log(x1) at x1 < 0: it stopped
    if not undefined.any():
        return in_box(xyz, *box)
    stop = int(np.argmax(undefined))  # its point has no height: the path ends at the point before
    before, left = in_box(xyz[:stop], *box)
    return np.concatenate([before, np.full_like(xyz[stop:], np.nan)]), left


def surface3d_figure(surface: Surface, paths: list[PathView], labels: Labels | None = None, height: int = 620,
                     critical=()):
    """The surface, each run's path at the height of its loss until it leaves the box (a blow-up leaves
    through a side or the top, along its last step), the start, the minima of `critical` (the 2D view's
    legend's), and frames moving each run's marker."""
    labels = labels or Labels()
    x1, x2, z, (low, high) = heights(surface)
    lift = LIFT * (high - low)
    data = [dict(type="surface", x=x1.astype(np.float32), y=x2.astype(np.float32), z=z.astype(np.float32),
                 colorscale=[[0, CONTOUR_COLOURS[0]], [1, CONTOUR_COLOURS[1]]], showscale=False, opacity=0.85,
                 hoverinfo="skip", name="surface")]

    (a, b), (c, d) = surface.bounds

    views = [view_and_exit(surface, path.points, path.losses, (low, high)) for path in paths]
    for i, (path, (xyz, left)) in enumerate(zip(paths, views)):
        style = i % len(RUN_DASHES)
        if left is not None:  # marked where and when it left, as in the 2D view
            text = labels.left.format(epoch=left)
            x, y, h = (float(v) for v in xyz[left])
            data.append(dict(type="scatter3d", x=[x], y=[y], z=[h],
                             mode="markers+text", name=text, meta=f"left{i}", legendgroup=f"run{i}", customdata=[left],
                             showlegend=False, text=[f"{labels.epoch} {left}"], textposition="top center",
                             textfont=dict(color=path.color, size=14), hovertemplate=text + "<extra></extra>",
                             marker=dict(symbol="x", size=8, color=path.color)))
        data.append(dict(type="scatter3d", x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2],
                         mode="lines+markers", name=path.label, meta=f"path{i}", legendgroup=f"run{i}",
                         line=dict(color=path.color, width=5, dash=DASH_3D[RUN_DASHES[style]]),
                         marker=dict(size=3, color=path.color),
                         customdata=np.arange(len(path.points)),
                         hovertemplate=f"{labels.epoch} %{{customdata}}: x1 %{{x:.4f}}, x2 %{{y:.4f}}, "
                                       f"f %{{z:.4g}}<extra></extra>"))
    # the minima and the start, as the 2D view marks and names them (in 3D a marker has no star: a diamond)
    names = dict(labels.kinds)
    for kind in ("global_minimum", "minimum"):
        group = [p for p in critical if p.kind == kind][:MAX_POINTS]
        if group:
            marker = dict(symbol="diamond", size=7, color=POINT_STYLE[kind]["color"], line=dict(width=2, color="#111"))
            data.append(dict(type="scatter3d", mode="markers", name=names[kind], x=[p.x1 for p in group],
                             y=[p.x2 for p in group], z=[max(p.value, low) + lift for p in group], marker=marker,
                             hovertemplate=f"{names[kind]}<br>x1 %{{x:.4f}}, x2 %{{y:.4f}}<extra></extra>"))
    if paths and np.isfinite(views[0][0][0]).all():
        start = views[0][0][0]
        data.append(dict(type="scatter3d", mode="markers", name=labels.start, x=[start[0]], y=[start[1]], z=[start[2]],
                         marker=dict(symbol="circle-open", size=9, color="#111", line=dict(width=3)),
                         hovertemplate="x1 %{x:.4f}, x2 %{y:.4f}<extra></extra>"))
    x_title, y_title = labels.axes or surface.axis_names
    lines = readout_lines(paths)  # the readout's lines under the scene: the buttons go below them
    box = dict(x=1.2, y=1.2 * (x2[-1] - x2[0]) / (x1[-1] - x1[0]) or 1, z=0.7)
    back = EYE_BACK * max(box["x"], box["y"]) / box["x"]  # a deeper box (the regression's) from further back
    layout = dict(height=height, margin=dict(l=0, r=0, t=10, b=130 + 24 * lines),
                  scene=dict(xaxis=dict(title=dict(text=x_title), range=[a, b], nticks=AXIS_TICKS),
                             yaxis=dict(title=dict(text=y_title), range=[c, d], nticks=AXIS_TICKS),
                             zaxis=dict(title=dict(text="f"), range=[low, high + 2 * lift], nticks=AXIS_TICKS - 1),
                             camera=dict(eye=dict(x=1.25 * back, y=-1.25 * back, z=1.5 * back)),
                             aspectmode="manual", aspectratio=box),
                  legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), uirevision=surface.key)
    frames = []
    if paths:
        marker_trace = len(data)
        epochs = max(len(p.points) for p in paths) - 1

        shown_paths = [xyz for xyz, _ in views]
        last = [int(np.flatnonzero(np.isfinite(xyz).all(axis=1))[-1]) for xyz in shown_paths]
        # a run has no point once it has left the box (its ✕ says where) or stopped where f is undefined (that
        # point has no height), as in the 2D view, where its point is then off the plot or not a number
        gone = [end + 1 if left is None else left for (_, left), end in zip(views, last)]

        arrows = any(p.steps is not None for p in paths)
        vectors = [arrow_vectors(p) for p in paths]

        def at(k):  # each run's point at epoch k (None once it has left the box or stopped)
            points = [xyz[k] if k < out else (None,) * 3 for xyz, out in zip(shown_paths, gone)]
            out = [dict(type="scatter3d", **{a: [None if p[j] is None else float(p[j]) for p in points]
                                             for j, a in enumerate("xyz")})]
            if arrows:  # level at each point's height; none once a run has left the box
                bases = [xyz[k] if k < out else None for xyz, out in zip(shown_paths, gone)]
                out += [dict(type="scatter3d", **arrow_segments(paths, vectors, k, kind, bases))
                        for kind in range(len(ARROWS))]
            return out

        data.append(dict(at(0)[0], mode="markers", showlegend=False, hoverinfo="skip", meta="now",
                         marker=dict(size=7, color=[p.color for p in paths], line=dict(width=1, color="white"),
                                     symbol=[RUN_SYMBOLS[i % len(RUN_SYMBOLS)].replace("triangle-up", "cross")
                                             for i in range(len(paths))])))
        traces = [marker_trace]
        if arrows:  # the 2D view's arrows, a diamond for a head (a 3D marker has no arrow)
            for (word, colour, dash), trace in zip(ARROWS, at(0)[1:]):
                traces.append(len(data))
                data.append(dict(trace, mode="lines+markers", name=getattr(labels, word), hoverinfo="skip",
                                 showlegend=False, meta="arrows", line=dict(color=colour, width=6, dash=DASH_3D[dash]),
                                 marker=dict(symbol="diamond", size=[0, 5, 0] * len(paths), color=colour)))
        shown = frame_epochs(epochs)
        frames = [dict(name=str(k), data=at(k), traces=traces) for k in shown]
        play = dict(mode="immediate", fromcurrent=True, frame=dict(duration=250, redraw=True),
                    transition=dict(duration=0))
        jump = dict(JUMP, frame=dict(duration=0, redraw=True))  # 3D frames redraw the scene
        layout["sliders"] = [dict(
            active=0, x=0, len=1, y=0, yanchor="top", pad=dict(t=20, b=0),
            currentvalue=dict(visible=True, prefix=f"{labels.epoch} ", font=dict(size=18, color="#111"),
                              xanchor="left", offset=12),
            font=dict(color="rgba(0,0,0,0)", size=8),
            steps=[dict(label=readout(int(k), paths, labels), method="animate", args=[[str(k)], jump])
                   for k in shown])]
        layout["updatemenus"] = [dict(type="buttons", direction="left", x=0, y=0, xanchor="left", yanchor="top",
                                      pad=dict(t=72 + 24 * lines), showactive=False, font=dict(size=15),
                                      buttons=[dict(label=labels.play, method="animate", args=[None, play]),
                                               dict(label=labels.pause, method="animate", args=[[None], jump])])]
    return figure(data, layout, frames)
