"""The regression data with each run's fitted line y = b + w·x, scrubbed by epoch."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .spec import figure
from .trajectories import MAX_FRAMES, PathView


def fit_figure(x, y, paths: list[PathView], data_label: str = "data", epoch_label: str = "epoch",
               height: int = 420) -> go.Figure:
    """Each path's points are (b, w) per epoch; the slider shows the lines of one epoch."""
    ends = np.array([x.min(), x.max()]) if len(x) else np.array([0.0, 1.0])

    def lines_at(k):
        out = []
        for p in paths:
            b, w = p.points[min(k, len(p.points) - 1)]
            out.append(dict(type="scatter", x=ends.tolist(), y=(b + w * ends).tolist()))
        return out

    epochs = max((len(p.points) for p in paths), default=1) - 1
    shown = np.unique(np.linspace(0, epochs, min(epochs, MAX_FRAMES) + 1).round().astype(int))
    last = int(shown[-1])
    data = [dict(type="scatter", x=x, y=y, mode="markers", name=data_label, marker=dict(size=6, color="#6b7280"))]
    for p, line in zip(paths, lines_at(last)):
        data.append(dict(line, mode="lines", name=p.label, line=dict(color=p.color, width=3)))
    traces = list(range(1, len(paths) + 1))
    frames = [dict(name=str(k), data=lines_at(k), traces=traces) for k in shown]
    step = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
    layout = dict(
        height=height, xaxis=dict(title=dict(text="x")), yaxis=dict(title=dict(text="y")),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        sliders=[dict(active=len(shown) - 1, x=0, len=1, y=0, yanchor="top", pad=dict(t=40),
                      currentvalue=dict(prefix=f"{epoch_label} "),
                      steps=[dict(label=str(k), method="animate", args=[[str(k)], step]) for k in shown])],
    )
    return figure(data, layout, frames)
