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


def scheduled_weights(gammas: np.ndarray, scales: np.ndarray, steps: int = 30) -> np.ndarray:
    """The weights at the last epoch T when γ follows a schedule (gammas[t − 1] = γ_t, scales[t − 1]
    the share of epoch t's gradient that enters v, 1 − d or 1 − β1_t): the gradient of epoch T − k
    is in v_T with weight scale_{T−k}·γ_{T−k+1}·…·γ_T, for k = 0 … min(steps, T) − 1."""
    gammas, scales = np.asarray(gammas, float), np.broadcast_to(np.asarray(scales, float), np.shape(gammas))
    count = min(steps, len(gammas))
    since = np.concatenate([[1.0], np.cumprod(gammas[::-1])])[:count]  # γ_T, γ_T·γ_{T−1}, …
    return scales[::-1][:count] * since


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
    weights: tuple[float, ...] | None = None  # under a schedule of γ: the weights at the last epoch


def weights_figure(curves: list[WeightCurve], x_title: str, y_title: str, steps: int = 30,
                   height: int = 300, epochs: int | None = None, before: str = "") -> go.Figure:
    """One line of (1 − d)·γᵏ (in %) per run, in the run's colour, and a dashed mark at each 1/(1 − γ); where the
    runs have fewer `epochs` than the steps drawn, the steps before their start are shaded and named `before`."""
    k = np.arange(steps)
    data, shapes, annotations = [], [], []
    for i, curve in enumerate(curves):
        earlier = curves[:i]
        repeats = sum((c.gamma, c.scale, c.weights) == (curve.gamma, curve.scale, curve.weights) for c in earlier)
        weights = (momentum_weights(curve.gamma, steps, curve.scale) if curve.weights is None
                   else np.array(curve.weights))
        data.append(dict(type="scatter", x=k[:len(weights)], y=weights * 100,
                         mode="lines+markers", name=curve.label,
                         line=dict(color=curve.color, width=2.5, dash=DASHES[repeats % len(DASHES)]),
                         marker=dict(size=6), hovertemplate="k = %{x}: %{y:.1f}%<extra>" + curve.label + "</extra>"))
        window = effective_window(curve.gamma) if curve.weights is None else np.inf  # no one window under a schedule
        if np.isfinite(window) and window < steps and all(c.gamma != curve.gamma for c in earlier):
            shapes.append(dict(type="line", x0=window, x1=window, y0=0, y1=1, yref="paper",
                               line=dict(color=curve.color, dash="dash")))
            # stacked from the top, so that two windows close together stay readable
            annotations.append(dict(x=window, y=1 - 0.1 * len(annotations), yref="paper", showarrow=False,
                                    text=f"1/(1−{curve.symbol}) = {window:.3g}", xanchor="left", yanchor="top",
                                    font=dict(color=curve.color), bgcolor="rgba(255, 255, 255, 0.85)"))
    if epochs is not None and epochs < steps:  # at epoch T the oldest gradient is T − 1 steps ago
        shapes.append(dict(type="rect", x0=epochs - 0.5, x1=steps - 0.5, y0=0, y1=1, yref="paper", layer="below",
                           line=dict(width=0), fillcolor="rgba(0, 0, 0, 0.06)"))
        annotations.append(dict(x=epochs - 0.5, y=0.5, yref="paper", showarrow=False, text=before, xanchor="left",
                                font=dict(color="#555555")))
    layout = dict(height=height, margin=dict(l=10, r=10, t=10, b=10), shapes=shapes, annotations=annotations,
                  showlegend=True, legend=dict(orientation="h", x=0, y=-0.25, yanchor="top"),
                  xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title), range=[0, 105]))
    return figure(data, layout)
