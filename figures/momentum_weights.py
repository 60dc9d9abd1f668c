"""The weights γ^k that momentum puts on the gradient from k steps ago."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .spec import figure


def momentum_weights(gamma: float, steps: int = 30) -> np.ndarray:
    """γ^k for k = 0 … steps − 1: the share of the gradient from k steps ago in v_t."""
    return gamma ** np.arange(steps)


def effective_window(gamma: float) -> float:
    """1/(1 − γ): about how many recent gradients the average spans (d2l §7.4.2.1)."""
    return np.inf if gamma >= 1 else 1.0 / (1.0 - gamma)


def weights_figure(gamma: float, x_title: str, y_title: str, steps: int = 30, height: int = 260) -> go.Figure:
    weights = momentum_weights(gamma, steps)
    window = effective_window(gamma)
    inside = np.arange(steps) < window
    data = [dict(type="bar", x=np.arange(steps), y=weights * 100,
                 marker=dict(color=np.where(inside, "#1f4fd1", "#9fb3e8").tolist()),
                 hovertemplate="k = %{x}: %{y:.1f}%<extra></extra>")]
    layout = dict(height=height, margin=dict(l=10, r=10, t=25, b=10), showlegend=False,
                  xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title), range=[0, 105]))
    if np.isfinite(window):
        layout["shapes"] = [dict(type="line", x0=window - 0.5, x1=window - 0.5, y0=0, y1=1, yref="paper",
                                 line=dict(color="#d62728", dash="dash"))]
        layout["annotations"] = [dict(x=window - 0.5, y=1, yref="paper", text=f"1/(1−γ) = {window:.3g}",
                                      showarrow=False, xanchor="left", yanchor="bottom")]
    return figure(data, layout)
