"""A scheduled hyperparameter's value per epoch (η_t, γ_t), one line per run."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .spec import figure


def schedule_figure(curves: list[tuple[str, np.ndarray, str]], y_title: str, x_title: str = "epoch",
                    height: int = 220) -> go.Figure:
    """One line per (label, values at t = 1 … T, colour): the value the update at epoch t uses."""
    data = [dict(type="scatter", x=np.arange(1, len(values) + 1), y=np.asarray(values, dtype=float),
                 mode="lines+markers" if len(values) <= 60 else "lines", name=label,
                 line=dict(color=color, width=2.5), marker=dict(size=5)) for label, values, color in curves]
    layout = dict(height=height, showlegend=False, xaxis=dict(title=dict(text=x_title), zeroline=False),
                  yaxis=dict(title=dict(text=y_title), rangemode="tozero"))
    return figure(data, layout)
