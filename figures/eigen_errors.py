"""The error along each eigen-direction of a quadratic's Hessian, per epoch and per run, with the theory's
rate beside it: Distill's "Why momentum really works" figure. One panel per eigenvalue, side by side."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .losses import CEILING, powers_of_ten
from .spec import figure


@dataclass(frozen=True)
class EigenCurve:
    label: str
    color: str
    errors: np.ndarray  # (epochs + 1, n): |error| along each eigenvector
    rates: tuple[float, ...] | None = None  # the theory's factor ρ per epoch along each, where there is one


THEORY = "#111111"  # the theory's dashes, seen over any run's line


def eigen_error_figure(curves: list[EigenCurve], eigenvalues, panel_titles: list[str], x_title: str,
                       y_title: str, theory_name: str, height: int = 320) -> go.Figure:
    """Solid: each run's error along λᵢ (log scale); dashed, thin and near-black, over it: the theory's |e₀ᵢ|·ρᵢᵗ
    (in the run's own colour it vanished under gradient descent's line, which it matches exactly)."""
    n = len(eigenvalues)
    gap = 0.16  # room for the right panel's own tick labels (10⁻¹²) on a phone
    width = (1 - gap * (n - 1)) / n
    data, layout = [], dict(height=height, margin=dict(l=10, r=10, t=30, b=10), showlegend=True,
                            legend=dict(orientation="h", x=0, y=-0.3, yanchor="top"), annotations=[])
    for i in range(n):
        key = "" if i == 0 else str(i + 1)
        x0 = i * (width + gap)
        layout["xaxis" + key] = dict(domain=[x0, x0 + width], anchor="y" + key, title=dict(text=x_title))
        layout["yaxis" + key] = dict(anchor="x" + key, type="log", exponentformat="power",
                                     title=dict(text=y_title if i == 0 else ""))
        drawn, theories = [], []  # the theory's lines after all the runs' lines: over them
        layout["annotations"].append(dict(text=panel_titles[i], x=x0, y=1, xref="paper", yref="paper",
                                          xanchor="left", yanchor="bottom", showarrow=False))
        for k, curve in enumerate(curves):
            errors = np.asarray(curve.errors[:, i], float)
            with np.errstate(divide="ignore", invalid="ignore"):
                # a direction with no error has no line on a log axis; a blow-up would stretch it
                shown = np.where((errors > 0) & (errors < CEILING), errors, np.nan)
            drawn.append(shown)
            epochs = np.arange(len(errors))
            # x as x0 + k·dx, not an array: less to send in every change
            data.append(dict(type="scatter", x0=0, dx=1, y=shown, mode="lines", name=curve.label, legendgroup=str(k),
                             showlegend=i == 0, line=dict(color=curve.color, width=2.5), xaxis="x" + key,
                             yaxis="y" + key, hovertemplate="%{x}: %{y:.3g}<extra>" + curve.label + "</extra>"))
            if curve.rates is not None and errors[0] > 0:
                rho = curve.rates[i]
                with np.errstate(over="ignore", divide="ignore"):
                    theory = errors[0] * np.power(rho, epochs, dtype=float)
                theory = np.where(np.isfinite(theory) & (theory > 0) & (theory < CEILING), theory, np.nan)
                drawn.append(theory)
                theories.append(dict(type="scatter", x0=0, dx=1, y=theory, mode="lines", legendgroup=str(k),
                                 name=f"{curve.label} ({theory_name}, ×{rho:.3g})", showlegend=False,
                                 line=dict(color=THEORY, width=1.5, dash="dash"), xaxis="x" + key,
                                 yaxis="y" + key, hoverinfo="skip"))
        data.extend(theories)
        layout["yaxis" + key].update(powers_of_ten(drawn))
    if any(curve.rates is not None for curve in curves):  # the dashed lines' one legend entry
        data.append(dict(type="scatter", x=[None], y=[None], mode="lines", name=theory_name,
                         line=dict(color=THEORY, width=1.5, dash="dash")))
    return figure(data, layout)
