"""The contour of a surface with every run's path, and the epoch animation.

Plain functions from arrays to a plotly Figure, testable without Streamlit.
Arrays go to Plotly as NumPy (float32 for the grid), so they travel as binary.
"""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np
import plotly.graph_objects as go

from surfaces import Surface
from surfaces.surface import undefined_at

from .losses import SUPERSCRIPT
from .palette import PALETTE
from .spec import figure

GRID_SIZE = 90  # grid points per axis for the contour
MAX_FRAMES = 100  # longer runs animate every k-th epoch: a slider step per frame is drawn in the browser
MARKED_EPOCHS = 100  # paths up to this long get a marker per epoch; longer ones are lines (the dots merge)
EXIT_MARK = 16  # px: the ✕ on the plot's edge where a run left it


@dataclass(frozen=True)
class PathView:
    """What the figure needs of one run."""

    label: str  # legend text: optimizer and settings
    points: np.ndarray  # (epochs + 1, 2), NaN after a non-finite point
    color: str
    losses: np.ndarray | None = None  # (epochs + 1,): the loss the readout shows per epoch
    # (epochs, 2) each, row t − 1 for step t: the actual step and the gradient (core.internals), to draw
    # at the current epoch the step taken next and the way straight downhill; None: no arrows
    steps: np.ndarray | None = None
    gradients: np.ndarray | None = None
    velocities: np.ndarray | None = None  # (epochs, 2): v after step t (momentum, Nesterov, Adam's first moment)


@dataclass(frozen=True)
class Labels:
    """The figure's words, in the page's language."""

    start: str = "start"
    epoch: str = "epoch"
    step: str = "next step"
    downhill: str = "−g"
    velocity: str = "−v"
    play: str = "▶ play"
    pause: str = "❚❚ pause"
    diverged: str = "diverged"
    left: str = "left the plot at epoch {epoch}"  # where a run that does not come back crossed the edge
    undefined: str = "undefined"
    data: str = "data"
    kinds: tuple[tuple[str, str], ...] = (("global_minimum", "global minimum"), ("minimum", "local minimum"),
                                          ("saddle", "saddle point"), ("maximum", "maximum"))
    eigenvalues: str = "Hessian eigenvalues:"
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


# how each kind of critical point is drawn: global minima stand out, saddles and maxima are quieter
POINT_STYLE = {
    "global_minimum": dict(symbol="star", size=18, color="#ffd60a", line=dict(width=1.5, color="#111")),
    "minimum": dict(symbol="star", size=13, color="#f1f5f9", line=dict(width=1.5, color="#111")),
    "saddle": dict(symbol="x", size=12, color="#111", line=dict(width=1, color="white")),
    "maximum": dict(symbol="triangle-up", size=12, color="#f1f5f9", line=dict(width=1.5, color="#111")),
}
MAX_POINTS = 30  # beyond that (Rastrigin has hundreds) only the global minima are marked
RUN_DASHES = ("solid", "dash", "dot", "dashdot")  # later runs dashed, so overlapping paths both show
RUN_SYMBOLS = ("circle", "square", "diamond", "triangle-up")
CONTOUR_LEVELS = 24
CONTOUR_SHADES = 6
CONTOUR_COLOURS = ("#3d5a73", "#c9d3de")  # low to high


def contour_lines(grid, levels: int = CONTOUR_LEVELS, shades: int = CONTOUR_SHADES) -> list[dict]:
    """The contour as scatter lines (computed by contourpy): `levels` levels in `shades` traces,
    each shade holding neighbouring levels, low to high from dark to light.

    Scatter rather than a Plotly contour trace: Plotly's animation redraws only the
    traces a frame names and removes the others' layers, so a contour trace vanished
    during play; scatter layers are kept. Few traces: the browser's cost of a redraw grows
    with their number (24 traces took about half of the chart's redraw)."""
    x1, x2, z = grid
    finite = np.isfinite(z)
    if not finite.any():
        return []
    low, high = float(z[finite].min()), float(z[finite].max())
    if not high > low:
        return []
    generator = contourpy.contour_generator(x1, x2, np.ma.masked_invalid(z), line_type="Separate")
    gap = np.full((1, 2), np.nan)
    groups: list[list[np.ndarray]] = [[] for _ in range(shades)]
    for i, level in enumerate(np.linspace(low, high, levels + 2)[1:-1]):
        groups[i * shades // levels].extend(part for piece in generator.lines(level) for part in (piece, gap))
    traces = []
    for shade, parts in enumerate(groups):
        if not parts:
            continue
        xy = np.concatenate(parts)[:-1].astype(np.float32)
        colour = _mix(*CONTOUR_COLOURS, shade / max(shades - 1, 1))
        traces.append(dict(type="scatter", x=xy[:, 0], y=xy[:, 1], mode="lines", line=dict(color=colour, width=1.2),
                           hoverinfo="skip", showlegend=False, name="contour"))
    return traces


def _mix(a: str, b: str, share: float) -> str:
    ca, cb = (np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)]) for c in (a, b))
    r, g, bl = (ca + (cb - ca) * share).round().astype(int)
    return f"#{r:02x}{g:02x}{bl:02x}"


def critical_point_traces(points, labels: Labels) -> list[dict]:
    """Minima, saddles and maxima, each kind with its own symbol; the eigenvalues on hover."""
    if len(points) > MAX_POINTS:  # a partial set of local minima would look like all of them
        points = [p for p in points if p.kind == "global_minimum"]
    traces = []
    for kind, name in labels.kinds:
        group = [p for p in points if p.kind == kind]
        if not group:
            continue
        traces.append(dict(
            type="scatter", mode="markers", name=name, marker=POINT_STYLE[kind],
            x=[p.x1 for p in group], y=[p.x2 for p in group],
            customdata=[[p.value, *p.eigenvalues] for p in group],
            hovertemplate=f"{name}<br>x1 %{{x:.4f}}, x2 %{{y:.4f}}<br>f %{{customdata[0]:.4g}}<br>"
                          f"{labels.eigenvalues} %{{customdata[1]:.3g}}, %{{customdata[2]:.3g}}<extra></extra>",
        ))
    return traces


def until_it_leaves(points: np.ndarray, bounds, losses: np.ndarray | None = None) -> tuple[np.ndarray, int | None]:
    """A path (epochs + 1, 2) as the plot draws it. One that leaves the plot for good is drawn up to
    where its step out crosses the edge, then not at all: a blow-up is no barcode of lines across the
    other paths. Returns the points and the epoch of its first point past the edge (None: it ends
    inside, or never was). With its `losses`: a run that stopped inside the plot where f is not defined
    (a typed log of a negative number; its points after are not numbers) ends there: it did not leave."""
    low, high = np.min(bounds, axis=1), np.max(bounds, axis=1)
    with np.errstate(invalid="ignore"):
        inside = ((points >= low) & (points <= high)).all(axis=1)
    if inside[-1] or not inside.any():
        return points, None
    last = int(np.flatnonzero(inside)[-1])
    if losses is not None and undefined_at(points[last], losses[last]):
        return points, None
    edge = crossing(points, last, low, high)
    if edge is None:
        return points, None
    drawn = points.copy()
    drawn[last + 1] = edge
    drawn[last + 2:] = np.nan
    return drawn, last + 1


def crossing(points: np.ndarray, last: int, low: np.ndarray, high: np.ndarray) -> np.ndarray | None:
    """Where a path whose point `last` is the last inside the box [low, high] crosses its side: along its
    step out (along the step before, where the next point is not finite); None where no step says."""
    origin, target = points[last], points[last + 1]
    if np.isfinite(target).all():
        step = target - origin
    elif last >= 1:
        step = origin - points[last - 1]
    else:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):  # a step with no part along an axis: no limit there
        reach = np.where(step > 0, (high - origin) / step, np.where(step < 0, (low - origin) / step, np.inf))
    share = float(np.nanmin(reach))
    return origin + share * step if np.isfinite(share) else None


@dataclass(frozen=True)
class FitPanel:
    """The data of a regression surface: the figure adds each run's line y = b + w·x below the contour."""

    x: np.ndarray
    y: np.ndarray


def run_style(i: int) -> int:
    """Run i's dash and marker: past the palette's colours the cycle shifts, so no two runs share both."""
    return (i + i // len(PALETTE)) % len(RUN_DASHES)


def background_traces(contour: list[dict]) -> int:
    """How many of a trajectory_figure's first traces stay while the surface does: `contour`'s (a chart sends
    them once per surface)."""
    return len(contour)


def trajectory_figure(surface: Surface, grid, paths: list[PathView], labels: Labels = Labels(),
                      height: int = 620, *, critical=(), equal_axes: bool = True,
                      fit: FitPanel | None = None, contour: list[dict] | None = None,
                      legend_columns: int | None = None) -> go.Figure:
    """Contour, paths with a marker per epoch, critical points and start above them, and
    a Plotly animation whose frames move one 'current epoch' marker per run (and each
    run's fitted line), so scrubbing and playing run in the browser with no server round
    trip. The epoch readout (epoch and each run's loss) is the slider's current value:
    large, under the plot, with the buttons on their own row below it. `contour`: the
    contour_lines of `grid`, when the caller keeps them."""
    (a, b), (c, d) = surface.bounds
    point_hover = "x1 %{x:.4f}, x2 %{y:.4f}<extra></extra>"
    # no invisible markers to catch a click: the chart takes a click anywhere on the plane (ui/chart.py); a grid
    # of 256 of them cost the browser about 40 ms of each redraw (Plotly.react 95 -> 53 ms, one measurement)
    data = list(contour_lines(grid) if contour is None else contour)
    far = 100 * max(b - a, d - c)  # where a path is drawn, beyond the plot: Plotly cannot draw 1e38
    exits = []
    for i, path in enumerate(paths):
        style = run_style(i)
        drawn, left = until_it_leaves(path.points, surface.bounds, path.losses)
        drawn = np.clip(drawn, [a - far, c - far], [b + far, d + far])
        if left is not None:  # marked where and when it left, the epoch written on the inner side of the edge
            text = labels.left.format(epoch=left)
            ex, ey = float(drawn[left, 0]), float(drawn[left, 1])
            side = ("top center" if np.isclose(ey, c) else "bottom center" if np.isclose(ey, d)
                    else "middle right" if np.isclose(ex, a) else "middle left")
            exits.append(dict(type="scatter", x=[ex], y=[ey], mode="markers+text", name=text, meta=f"left{i}",
                              legendgroup=f"run{i}", customdata=[left],  # the trail shows it from that epoch on
                              text=[f"{labels.epoch} {left}"], textposition=side, cliponaxis=False,
                              # a halo of the paper's white: the label stays readable where its run's line crosses it
                              textfont=dict(color=path.color, size=14, shadow="auto"), showlegend=False,
                              hovertemplate=text + "<extra></extra>",
                              marker=dict(symbol="x-thin", size=EXIT_MARK, line=dict(width=3, color=path.color))))
        marked = len(path.points) <= MARKED_EPOCHS + 1
        # meta: how the drag preview (static/live.js) finds run i's traces
        data.append(dict(type="scatter", x=drawn[:, 0], y=drawn[:, 1], mode="lines+markers" if marked else "lines",
                         name=path.label, meta=f"path{i}", legendgroup=f"run{i}",
                         line=dict(color=path.color, width=2.5, dash=RUN_DASHES[style]),
                         marker=dict(size=6, color=path.color, symbol=RUN_SYMBOLS[style]),
                         customdata=np.arange(len(path.points)),
                         hovertemplate=f"{labels.epoch} %{{customdata}}: x1 %{{x:.6f}}, x2 %{{y:.6f}}<extra></extra>"))
    data.extend(exits)
    data.extend(critical_point_traces(critical, labels))
    # equal scales where the plot range is not too far from square: the gradient then looks
    # perpendicular to the contour lines, as it is
    square = 1 / 3 <= (d - c) / (b - a) <= 3
    x_title, y_title = labels.axes or surface.axis_names
    layout = dict(
        height=height + (260 if fit else 0),
        margin=dict(l=10, r=10, t=10, b=134 + 24 * readout_lines(paths)),
        # the tick labels stand off the plot's edge, where a run that left it is marked with an ✕
        xaxis=dict(title=dict(text=x_title), range=[a, b], showgrid=False, zeroline=False,
                   constrain="domain", ticklabelstandoff=EXIT_MARK // 2),
        yaxis=dict(title=dict(text=y_title), range=[c, d], showgrid=False, zeroline=False,
                   constrain="domain", ticklabelstandoff=EXIT_MARK // 2,
                   **(dict(scaleanchor="x", scaleratio=1) if equal_axes and square else {})),
        # a click on a run's entry hides its whole group: the path, the mark where it left, its fitted line
        legend=dict(orientation="h", yanchor="bottom", y=1.04, x=0, bgcolor="rgba(255,255,255,0.8)",
                    traceorder="normal",
                    # many short entries (the race's): that many a row, whatever the width, instead of one a row
                    **(dict(entrywidth=1 / legend_columns, entrywidthmode="fraction") if legend_columns else {})),
        clickmode="event+select", dragmode=False, uirevision=surface.key,
    )
    frames = []
    if paths:
        start = paths[0].points[0]
        if fit is not None:
            _fit_panel(data, layout, fit, labels)
        frames = _epoch_animation(data, layout, paths, labels, fit)
        # after (over) the runs' current-epoch markers: at epoch 0 they sat on it and hid it, the legend's ring
        data.append(dict(type="scatter", x=[start[0]], y=[start[1]], mode="markers", name=labels.start,
                         marker=dict(symbol="circle-open", size=16, color="#111", line=dict(width=3)),
                         hovertemplate=point_hover))
    return figure(data, layout, frames)


def _fit_panel(data: list[dict], layout: dict, fit: FitPanel, labels: Labels) -> None:
    """The data under the contour, on axes of their own; the run lines are added by the animation."""
    layout["yaxis"]["domain"] = [0.36, 1.0]
    layout["xaxis3"] = dict(title=dict(text="x"), anchor="y3", domain=[0, 1])
    layout["yaxis3"] = dict(title=dict(text="y"), anchor="x3", domain=[0, 0.24])
    data.append(dict(type="scatter", x=fit.x, y=fit.y, mode="markers", name=labels.data, xaxis="x3", yaxis="y3",
                     marker=dict(size=6, color="#6b7280"), hovertemplate="x %{x:.3f}, y %{y:.3f}<extra></extra>"))


JUMP = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))


def frame_epochs(epochs: int) -> np.ndarray:
    """The epochs that get an animation frame: all of them, or MAX_FRAMES spread evenly."""
    return np.unique(np.linspace(0, epochs, min(epochs, MAX_FRAMES) + 1).round().astype(int))


def readable(value, diverged: str) -> str:
    """A loss as a student reads it: 4 significant digits, powers of ten when large or small."""
    if isinstance(value, str):  # already a word
        return value
    if not np.isfinite(value):
        return diverged
    if value != 0 and not 1e-4 <= abs(value) < 1e4:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"
    return f"{value:.4g}"


LOSSES_SAID, RUNS_APART = "f: ", "   "  # a readout's words before the runs' losses, and between two on a line


def readout(k: int, paths: list[PathView], labels: Labels) -> str:
    """The slider's text at epoch k: the epoch, then each run's loss numbered as in the legend,
    two runs a line (Plotly breaks lines at <br>), so that it fits a phone's width."""
    losses = []
    for p in paths:
        if p.losses is not None:
            at = min(k, len(p.losses) - 1)
            # a run that stopped where a typed f is not defined is no blow-up, then or after: say so
            finite = np.flatnonzero(np.isfinite(p.points[:at + 1]).all(axis=1))
            last = int(finite[-1]) if len(finite) else at
            losses.append(labels.undefined if undefined_at(p.points[last], p.losses[last]) else p.losses[at])
    if not losses:
        return str(k)
    if len(losses) == 1:
        return f"{k}   f = {readable(losses[0], labels.diverged)}"
    parts = [f"({i}) {readable(v, labels.diverged)}" for i, v in enumerate(losses, 1)]
    return f"{k}<br>{LOSSES_SAID}" + f"<br>{LOSSES_SAID}".join(RUNS_APART.join(parts[i:i + 2])
                                                              for i in range(0, len(parts), 2))


def readout_parts(text: str) -> tuple[str, list[str]]:
    """A readout() taken apart: the epoch (with the loss of a single run), and each run's "(i) loss" of several."""
    head, *lines = text.split("<br>")
    return head, [part for line in lines for part in line.removeprefix(LOSSES_SAID).split(RUNS_APART)]


def readout_lines(paths: list[PathView]) -> int:
    return 1 if len(paths) <= 1 else 1 + (len(paths) + 1) // 2


# the arrows of the optimizer's inside: (the label's field, colour, dash), in the order of arrow_vectors
ARROWS = (("step", "#111111", "solid"), ("downhill", "#6b7280", "dot"), ("velocity", "#2563eb", "dash"))


def arrow_vectors(p: PathView) -> tuple:
    """Run p's arrows per epoch (ARROWS' order): its step, and −g and −v at the step's length (their angle to the
    step is the lesson); None for a vector the run has not."""
    def as_long_as_the_step(vectors):
        if vectors is None or p.steps is None:
            return None
        with np.errstate(all="ignore"):  # a blow-up's huge or infinite vectors
            unit = -vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
            return unit * np.linalg.norm(p.steps, axis=1, keepdims=True)

    return p.steps, as_long_as_the_step(p.gradients), as_long_as_the_step(p.velocities)


def arrow_segments(paths: list[PathView], vectors: list[tuple], k: int, kind: int, bases=None, box=None) -> dict:
    """x, y (and z) of one kind of arrow for every run: from its point at epoch k (or `bases[i]`, a point of the
    3D view, where the arrow is drawn level at its height), along its vector of step k + 1, a gap between runs.
    None for a run whose point is outside `box` ((x1 low, x1 high), (x2 low, x2 high)): off the plot, its arrows
    were clipped into bars across it, with no point and no head."""
    x, y, z = [], [], []
    for i, (p, vecs) in enumerate(zip(paths, vectors)):
        vec = vecs[kind]
        base = p.points[k] if bases is None else bases[i]
        if vec is None or k >= len(vec) or base is None or not np.isfinite([*base, *vec[k]]).all():
            continue
        if box is not None and not all(min(r) <= v <= max(r) for v, r in zip(base[:2], box)):
            continue
        x += [float(base[0]), float(base[0] + vec[k][0]), None]
        y += [float(base[1]), float(base[1] + vec[k][1]), None]
        if bases is not None:
            z += [float(base[2]), float(base[2]), None]
    return dict(x=x, y=y, **({"z": z} if bases is not None else {}))


def _epoch_animation(data: list[dict], layout: dict, paths: list[PathView], labels: Labels,
                     fit: FitPanel | None) -> list[dict]:
    """One trace holds every run's point at the current epoch; each frame moves it (and the fit lines)."""
    marker_trace = len(data)
    epochs = max(len(p.points) for p in paths) - 1
    shown = frame_epochs(epochs)
    ends = np.array([fit.x.min(), fit.x.max()]) if fit is not None and len(fit.x) else np.array([0.0, 1.0])

    arrows = any(p.steps is not None for p in paths)
    vectors = [arrow_vectors(p) for p in paths]
    plot_box = (layout["xaxis"]["range"], layout["yaxis"]["range"])

    def at(k):  # plain lists: hundreds of tiny arrays cost more to encode than they save
        xy = [p.points[min(k, len(p.points) - 1)].tolist() for p in paths]
        out = [dict(type="scatter", x=[x for x, _ in xy], y=[y for _, y in xy])]
        if fit is not None:
            out += [dict(type="scatter", x=ends.tolist(), y=[b + w * e for e in ends]) for b, w in xy]
        if arrows:
            out += [dict(type="scatter", **arrow_segments(paths, vectors, k, kind, box=plot_box))
                    for kind in range(len(ARROWS))]
        return out

    data.append(dict(at(0)[0], mode="markers", showlegend=False, hoverinfo="skip", meta="now",
                     marker=dict(size=15, color=[p.color for p in paths], line=dict(width=2, color="white"),
                                 symbol=[RUN_SYMBOLS[i % len(RUN_SYMBOLS)] for i in range(len(paths))])))
    traces = [marker_trace]
    if fit is not None:
        for i, (p, line) in enumerate(zip(paths, at(0)[1:])):
            traces.append(len(data))
            data.append(dict(line, mode="lines", name=p.label, showlegend=False, xaxis="x3", yaxis="y3",
                             meta=f"fit{i}", legendgroup=f"run{i}",
                             line=dict(color=p.color, width=3, dash=RUN_DASHES[i % len(RUN_DASHES)]),
                             hoverinfo="skip"))
    if arrows:
        head = dict(symbol="arrow", angleref="previous", size=[0, 13, 0] * len(paths))
        first = at(0)[-len(ARROWS):]
        for (word, colour, dash), trace in zip(ARROWS, first):
            name = getattr(labels, word)
            traces.append(len(data))
            data.append(dict(trace, mode="lines+markers", name=name, hoverinfo="skip", showlegend=False, meta="arrows",
                             line=dict(color=colour, width=2.5, dash=dash), marker=dict(head, color=colour)))
    frames = [dict(name=str(k), data=at(k), traces=traces) for k in shown]
    play = dict(mode="immediate", fromcurrent=True, frame=dict(duration=250, redraw=False), transition=dict(duration=0))
    layout["sliders"] = [dict(
        active=0, x=0, len=1, y=0, yanchor="top", pad=dict(t=60, b=0),  # below the x axis' title
        # visible: the drag preview hides it while its losses are not the paths'
        currentvalue=dict(visible=True, prefix=f"{labels.epoch} ", font=dict(size=18, color="#111"), xanchor="left",
                          offset=12),
        font=dict(color="rgba(0,0,0,0)", size=8),  # the step labels carry the readout; the ticks need no text
        steps=[dict(label=readout(int(k), paths, labels), method="animate", args=[[str(k)], JUMP]) for k in shown],
    )]
    layout["updatemenus"] = [dict(
        type="buttons", direction="left", x=0, y=0, xanchor="left", yanchor="top",
        pad=dict(t=112 + 24 * readout_lines(paths)),
        showactive=False, font=dict(size=15),
        buttons=[dict(label=labels.play, method="animate", args=[None, play]),
                 dict(label=labels.pause, method="animate", args=[[None], JUMP])],
    )]
    return frames
