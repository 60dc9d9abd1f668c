"""Inside the optimizer, epoch by epoch: the length of the gradient, of the velocity and of the step,
and the effective rate per coordinate (−step/g), so that AdaGrad's shrinking steps and RMSProp's
γ = 1 blow-up are seen, not inferred."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import powers_of_ten
from .spec import figure


@dataclass(frozen=True)
class InternalsCurve:
    label: str
    color: str
    gradients: np.ndarray  # (epochs, 2)
    steps: np.ndarray  # (epochs, 2)
    velocity: np.ndarray | None = None  # (epochs, 2): momentum's v, Adam's first moment
    rates: np.ndarray | None = None  # (epochs, 2): effective rate per coordinate, for the adaptive methods


@dataclass(frozen=True)
class InternalsLabels:
    gradient: str = "|g|"
    velocity: str = "|v|"
    step: str = "|step|"
    rate: str = "effective rate −step/g"
    lengths: str = "length"
    epoch: str = "epoch"
    styles: str = "|g| solid, |step| dashed, |v| dotted"
    rate_styles: str = "x1 solid, x2 dashed"


def internals_figure(curves: list[InternalsCurve], labels: InternalsLabels | None = None):
    labels = labels or InternalsLabels()
    rates = any(c.rates is not None for c in curves)
    data = []
    for c in curves:
        epochs = np.arange(1, len(c.steps) + 1)
        parts = [(labels.gradient, c.gradients, "solid"), (labels.step, c.steps, "dash")]
        if c.velocity is not None:
            parts.append((labels.velocity, c.velocity, "dot"))
        for n, (name, vectors, dash) in enumerate(parts):  # one legend entry per run: the styles say which
            with np.errstate(all="ignore"):
                length = np.linalg.norm(vectors, axis=1)
            data.append(dict(type="scatter", x=epochs, y=np.where(length > 0, length, np.nan), mode="lines",
                             name=c.label, legendgroup=c.label, showlegend=n == 0,
                             hovertemplate=f"{name} %{{y:.4g}}<extra>{c.label}</extra>",
                             line=dict(color=c.color, width=2, dash=dash)))
        if c.rates is not None:
            for k, dash in ((0, "solid"), (1, "dash")):
                data.append(dict(type="scatter", x=epochs, y=c.rates[:, k], mode="lines", xaxis="x2", yaxis="y2",
                                 name=c.label, legendgroup=c.label, showlegend=False,
                                 hovertemplate=f"x{k + 1}: %{{y:.4g}}<extra>{c.label}</extra>",
                                 line=dict(color=c.color, width=2, dash=dash)))
    layout = dict(height=560 if rates else 330, margin=dict(l=10, r=10, t=10, b=10),
                  legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
                  xaxis=dict(title=dict(text="" if rates else labels.epoch), anchor="y", domain=[0, 1]),
                  yaxis=dict(title=dict(text=f"{labels.lengths}<br><sub>{labels.styles}</sub>"), type="log",
                             domain=[0.56, 1] if rates else [0, 1], exponentformat="power",
                             **powers_of_ten([d["y"] for d in data if "yaxis" not in d])))
    if rates:
        layout["xaxis2"] = dict(title=dict(text=labels.epoch), anchor="y2", domain=[0, 1])
        layout["yaxis2"] = dict(title=dict(text=f"{labels.rate}<br><sub>{labels.rate_styles}</sub>"), type="log",
                                domain=[0, 0.44], anchor="x2", exponentformat="power",
                                **powers_of_ten([d["y"] for d in data if "yaxis" in d]))
    return figure(data, layout)
