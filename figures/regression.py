"""The regression data with each run's fitted line y = b + w·x, scrubbed by epoch."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .spec import figure
from .trajectories import PathView, epoch_slider, frame_epochs


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
    shown = frame_epochs(epochs)
    last = int(shown[-1])
    data = [dict(type="scatter", x=x, y=y, mode="markers", name=data_label, marker=dict(size=6, color="#6b7280"))]
    for p, line in zip(paths, lines_at(last)):
        data.append(dict(line, mode="lines", name=p.label, line=dict(color=p.color, width=3)))
    traces = list(range(1, len(paths) + 1))
    frames = [dict(name=str(k), data=lines_at(k), traces=traces) for k in shown]
    layout = dict(
        height=height, xaxis=dict(title=dict(text="x")), yaxis=dict(title=dict(text="y")),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        sliders=[epoch_slider(shown, epoch_label, active=len(shown) - 1)],
    )
    return figure(data, layout, frames)
