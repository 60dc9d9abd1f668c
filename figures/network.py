"""The small network's fit: the training points and each run's curve."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .spec import figure


def curves_figure(x, y, x_curve, curves: list[tuple[str, np.ndarray, str]], data_label: str = "data",
                  height: int = 380) -> go.Figure:
    data = [dict(type="scatter", x=x_curve, y=np.sin(x_curve), mode="lines", name="sin(x)",
                 line=dict(color="#9ca3af", dash="dot", width=2)),
            dict(type="scatter", x=x, y=y, mode="markers", name=data_label, marker=dict(size=8, color="#111827"))]
    for label, values, color in curves:
        data.append(dict(type="scatter", x=x_curve, y=values, mode="lines", name=label,
                         line=dict(color=color, width=3)))
    layout = dict(height=height, xaxis=dict(title=dict(text="x")), yaxis=dict(title=dict(text="y"), range=[-1.6, 1.6]),
                  legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return figure(data, layout)
