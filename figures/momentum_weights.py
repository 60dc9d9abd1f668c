"""The weights γ^k that momentum puts on the gradient from k steps ago."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go


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
    fig = go.Figure(
        go.Bar(x=np.arange(steps), y=weights * 100, marker_color=np.where(inside, "#1f4fd1", "#9fb3e8"),
               hovertemplate="k = %{x}: %{y:.1f}%<extra></extra>")
    )
    if np.isfinite(window):
        fig.add_vline(x=window - 0.5, line=dict(color="#d62728", dash="dash"),
                      annotation_text=f"1/(1−γ) = {window:.3g}", annotation_position="top right")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=25, b=10), template="none",
                      xaxis=dict(title=x_title), yaxis=dict(title=y_title, range=[0, 105]))
    return fig
