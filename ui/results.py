"""What the results print, in the page's language: a run's line, the theory readout and
hyperparameter values in LaTeX. Plain functions of the core's numbers (no Streamlit), so
the explorer page only shows them."""

from __future__ import annotations

import math

import numpy as np

from optimizers import SCHEDULES, Trajectory
from optimizers.stability import EDGE, Readout
from surfaces.surface import undefined_at

from .i18n import t
from .labels import final_symbol

# a sentence appended to another: English needs the space, Chinese does not
SENTENCE_GAP = {"en": " ", "zh": ""}




def result_line(traj: Trajectory, lang: str) -> str:
    """The textbook's 'epoch N, x1 %f, x2 %f' for a run that did not diverge. For one that did,
    its last finite point, in %f too where that is short (a run that stopped where f is undefined), else in %g
    (the %f of 1e64 has 65 digits), and when it diverged."""
    if traj.diverged_at < 0:
        return traj.line()
    finite = np.isfinite(traj.points).all(axis=-1)
    last = len(finite) - 1 if finite.all() else int(np.argmin(finite)) - 1
    x1, x2 = (float(v) for v in traj.points[last])
    line = f"epoch {last}, x1 {_coordinate(x1)}, x2 {_coordinate(x2)}"
    if last == len(finite) - 1:
        return line + t(lang, "line_diverged", epoch=int(traj.diverged_at))
    if undefined_at(traj.points[last], traj.losses[last]):
        # a typed f undefined there (log of a negative number): the run stopped, it did not blow up
        return line + t(lang, "line_undefined")
    return line + t(lang, "line_stopped", epoch=int(traj.diverged_at))


def _coordinate(value: float) -> str:
    return f"{value:.6f}" if abs(value) < 1e6 else f"{value:.6g}"


def axes_note(axis_names: tuple[str, str], lang: str) -> str:
    """'(x1 = b, x2 = w)' where the surface names its axes, say b (intercept) and w (slope)."""
    symbols = [name.split()[0] for name in axis_names]
    if symbols == ["x1", "x2"]:
        return ""
    return t(lang, "line_axes", x1=symbols[0], x2=symbols[1])


def rate_text(rho: float) -> str:
    """ρ with enough decimals to tell it from 1: 0.950, 0.99950, 1.00200; a huge one short (4e+20, ∞)."""
    if not math.isfinite(rho):
        return "∞"
    if abs(rho) >= 1e4:
        return f"{rho:.3g}"
    gap = abs(rho - 1)
    digits = 3 if gap >= 5e-4 or gap < EDGE else min(9, 1 - math.floor(math.log10(gap)))
    return f"{rho:.{digits}f}"


def readout_text(r: Readout, lr: float, dampening: float, lang: str) -> str:
    """The readout's sentences for a run with learning rate `lr` and `dampening`."""
    if r.status == "bias_correction":
        return t(lang, "readout_bias_correction")
    if r.status == "no_step":
        return t(lang, "readout_no_step")
    sep = t(lang, "readout_sep")
    factors = sep.join(t(lang, "readout_factor", lam=lam, rho=rate_text(rho)) for lam, rho in r.rates)
    parts = [t(lang, "readout_" + r.status, limit=r.limit, lam=r.lam_max, lr=lr, factors=factors)]
    if dampening > 0:
        parts.append(t(lang, "readout_damped", step=(1 - dampening) * lr, gain=1 / (1 - dampening)))
    if r.status == "unstable" and not r.grows:
        parts.append(t(lang, "readout_quiet", lams=sep.join(f"{lam:.3g}" for lam in r.quiet)))
    if r.spread is not None:
        parts.append(t(lang, "readout_noise", lam=r.spread[0], spread=r.spread[1]))
    return SENTENCE_GAP.get(lang, " ").join(parts)


def window_text(window: float) -> str:
    """How many past gradients momentum's 1/(1 − γ) counts: 1.43, 10, 1000, 10000 (not 1e+03)."""
    return f"{window:.0f}" if window >= 100 else f"{window:.3g}"


def latex_number(value) -> str:
    """A hyperparameter's value in LaTeX: 0.9, 10^{-6}, 2.5 \\times 10^{-7}; whole numbers in full."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(value)
    text = f"{value:g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    if mantissa in ("1", "-1"):
        return mantissa[:-1] + power
    return rf"{mantissa} \times {power}"


def schedule_latex(symbol: str, kind: str, params: dict, lang: str) -> str:
    """A schedule's formula for the hyperparameter with LaTeX `symbol`, and its parameters' values:
    η_t = η q^{t−1},  q = 0.1. The end value's \\mathrm{final} is said in `lang`."""
    final = final_symbol(lang, kind)
    formula = SCHEDULES[kind].formula(symbol).replace(r"\mathrm{final}", final)
    symbols = {q.name: q.symbol for q in SCHEDULES[kind].params} | {"final": f"{{{symbol}}}_{{{final}}}"}
    return r",\quad ".join([formula, *(f"{symbols[k]} = {latex_number(v)}" for k, v in params.items())])
