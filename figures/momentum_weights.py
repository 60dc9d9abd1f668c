"""The weights γ^k that momentum puts on the gradient from k steps ago."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .spec import figure

DASHES = ("solid", "dash", "dot", "dashdot")  # a curve equal to an earlier one is drawn in another dash


def momentum_weights(gamma: float, steps: int = 30, scale: float = 1.0) -> np.ndarray:
    """scale·γ^k for k = 0 … steps − 1: the weight of the gradient from k steps ago in v_t
    (scale = 1 − d: each new gradient enters v damped by d)."""
    return scale * gamma ** np.arange(steps)


def effective_window(gamma: float) -> float:
    """1/(1 − γ): about how many recent gradients the average spans (d2l §7.4.2.1)."""
    return np.inf if gamma >= 1 else 1.0 / (1.0 - gamma)


@dataclass(frozen=True)
class WeightCurve:
    label: str
    gamma: float
    color: str
    symbol: str = "γ"  # β1 for Adam
    scale: float = 1.0  # 1 − d: how much of each new gradient enters v


def weights_figure(curves: list[WeightCurve], x_title: str, y_title: str, steps: int = 30,
                   height: int = 300) -> go.Figure:
    """One line of (1 − d)·γᵏ (in %) per run, in the run's colour, and a dashed mark at each 1/(1 − γ)."""
    k = np.arange(steps)
    data, shapes, annotations = [], [], []
    for i, curve in enumerate(curves):
        earlier = curves[:i]
        repeats = sum((c.gamma, c.scale) == (curve.gamma, curve.scale) for c in earlier)
        data.append(dict(type="scatter", x=k, y=momentum_weights(curve.gamma, steps, curve.scale) * 100,
                         mode="lines+markers", name=curve.label,
                         line=dict(color=curve.color, width=2.5, dash=DASHES[repeats % len(DASHES)]),
                         marker=dict(size=6), hovertemplate="k = %{x}: %{y:.1f}%<extra>" + curve.label + "</extra>"))
        window = effective_window(curve.gamma)
        if np.isfinite(window) and window < steps and all(c.gamma != curve.gamma for c in earlier):
            shapes.append(dict(type="line", x0=window, x1=window, y0=0, y1=1, yref="paper",
                               line=dict(color=curve.color, dash="dash")))
            # stacked from the top, so that two windows close together stay readable
            annotations.append(dict(x=window, y=1 - 0.1 * len(annotations), yref="paper", showarrow=False,
                                    text=f"1/(1−{curve.symbol}) = {window:.3g}", xanchor="left", yanchor="top",
                                    font=dict(color=curve.color), bgcolor="rgba(255, 255, 255, 0.85)"))
    layout = dict(height=height, margin=dict(l=10, r=10, t=10, b=10), shapes=shapes, annotations=annotations,
                  showlegend=True, legend=dict(orientation="h", x=0, y=-0.25, yanchor="top"),
                  xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title), range=[0, 105]))
    return figure(data, layout)
