"""The stability map: final loss over (η, second hyperparameter), diverged cells in
their own colour, the analytic boundary on top; and the convergence-rate panel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .spec import figure

DIVERGED = "#d62728"
CLICK_GRID = 32  # invisible markers per axis: a click on one picks the nearest cell
# (the heatmaps skip hover: Streamlit reports clicks on markers, not on heatmap cells)


@dataclass(frozen=True)
class MapLabels:
    x: str = "η"
    y: str = "γ"
    colour: str = "log10(f − f*)"
    diverged: str = "diverged"
    boundary: str = "stability limit"
    optimum: str = "fastest"
    rate: str = "ρ per epoch"


def _click_grid(x: np.ndarray, y: np.ndarray, log_x: bool) -> dict:
    xs = np.geomspace(x[0], x[-1], CLICK_GRID) if log_x else np.linspace(x[0], x[-1], CLICK_GRID)
    gx, gy = np.meshgrid(xs, np.linspace(y[0], y[-1], CLICK_GRID))
    return dict(type="scatter", x=gx.ravel().astype(np.float32), y=gy.ravel().astype(np.float32), mode="markers",
                marker=dict(size=12, opacity=0),
                hovertemplate="η %{x:.4g}, %{y:.4g}<extra></extra>", showlegend=False, name="click")


def _layout(x, y, log_x, labels: MapLabels, height) -> dict:
    return dict(
        height=height, clickmode="event+select", dragmode=False,
        xaxis=dict(title=dict(text=labels.x), type="log" if log_x else "linear",
                   range=[np.log10(x[0]), np.log10(x[-1])] if log_x else [x[0], x[-1]]),
        yaxis=dict(title=dict(text=labels.y), range=[y[0], y[-1]]),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
    )


def outcome_figure(lr, y, loss, diverged, floor: float, start_loss: float, *, log_x: bool = True, boundary=None,
                   labels: MapLabels = MapLabels(), height: int = 520) -> go.Figure:
    """loss and diverged are (ny, nx); boundary is (x, y) of the analytic limit or None.

    The colour saturates at the start's loss: every cell that ended no better than
    it began has the top colour."""
    with np.errstate(all="ignore"):
        z = np.log10(np.maximum(loss - floor, 1e-300))
    z = np.clip(z, -16, None).astype(np.float32)
    data = [
        dict(type="heatmap", x=lr, y=y, z=z, colorscale="Viridis", zmin=-16,
             zmax=float(np.log10(max(start_loss - floor, 1e-16))),
             colorbar=dict(title=dict(text=labels.colour), len=0.8), hoverinfo="skip", name="loss"),
        # diverged cells: 1 where diverged, transparent elsewhere (one byte a cell)
        dict(type="heatmap", x=lr, y=y, z=(np.asarray(diverged) >= 0).astype(np.uint8), showscale=False,
             colorscale=[[0, "rgba(0,0,0,0)"], [1, DIVERGED]], zmin=0, zmax=1, hoverinfo="skip", name=labels.diverged),
        dict(type="scatter", x=[None], y=[None], mode="markers", marker=dict(symbol="square", size=12, color=DIVERGED),
             name=labels.diverged),
    ]
    if boundary is not None:
        data.append(dict(type="scatter", x=boundary[0], y=boundary[1], mode="lines", name=labels.boundary,
                         line=dict(color="white", width=3, dash="dash")))
    data.append(_click_grid(np.asarray(lr), np.asarray(y), log_x))
    return figure(data, _layout(lr, y, log_x, labels, height))


def rate_figure(lr, gamma, rho, *, log_x: bool = True, boundary=None, optimum=None,
                labels: MapLabels = MapLabels(), height: int = 520) -> go.Figure:
    """The spectral radius ρ(η, γ): the error shrinks by ρ per epoch (ρ ≥ 1: no convergence)."""
    data = [
        dict(type="heatmap", x=lr, y=gamma, z=np.minimum(rho, 1).astype(np.float32),
             zmin=float(np.floor(np.min(rho) * 20) / 20), zmax=1,
             colorscale="Blues", reversescale=True, colorbar=dict(title=dict(text=labels.rate), len=0.8),
             hoverinfo="skip", name="rate"),
        dict(type="heatmap", x=lr, y=gamma, z=(np.asarray(rho) >= 1).astype(np.uint8), showscale=False,
             colorscale=[[0, "rgba(0,0,0,0)"], [1, DIVERGED]], zmin=0, zmax=1, hoverinfo="skip", name=labels.diverged),
    ]
    if boundary is not None:
        data.append(dict(type="scatter", x=boundary[0], y=boundary[1], mode="lines", name=labels.boundary,
                         line=dict(color="white", width=3, dash="dash")))
    if optimum is not None:
        data.append(dict(type="scatter", x=[optimum[0]], y=[optimum[1]], mode="markers", name=labels.optimum,
                         marker=dict(symbol="star", size=18, color="#ffd60a", line=dict(width=1, color="#111")),
                         hovertemplate=f"{labels.optimum}: η %{{x:.4g}}, %{{y:.3f}}<extra></extra>"))
    data.append(_click_grid(np.asarray(lr), np.asarray(gamma), log_x))
    return figure(data, _layout(lr, gamma, log_x, labels, height))
