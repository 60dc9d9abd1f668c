"""What the UI calls the registries' entries, in the page's language.

The English comes from the registry entry itself; the string tables only translate
it (and a missing translation falls back to the registry's English), so a new
optimizer or surface is named correctly without touching the tables.
"""

from __future__ import annotations

import itertools
import re

from optimizers import OPTIMIZERS, SCHEDULES
from optimizers.hyperparams import Hyperparameter
from surfaces import SURFACES

from .i18n import name, t
from .state import CONSTANT, CUSTOM, Run


def optimizer_name(lang: str, key: str) -> str:
    return name(lang, "opt", key, OPTIMIZERS[key].name)


def surface_name(lang: str, key: str) -> str:
    return t(lang, "surf_custom") if key == CUSTOM else name(lang, "surf", key, SURFACES[key].name)


def hyper_label(lang: str, p: Hyperparameter) -> str:
    return name(lang, "hp", p.name, p.label)


def hyper_short(lang: str, p: Hyperparameter) -> str:
    """Its name in a run's label: the glyph (η, γ), or a translated word where it has none."""
    return name(lang, "short", p.name, p.short)


def hyper_symbol(lang: str, p: Hyperparameter) -> str:
    """Its LaTeX symbol, translated where the registry's is a word (\\mathrm{seed})."""
    return name(lang, "symbol", p.name, p.symbol)


def optimizer_note(lang: str, key: str) -> str:
    return name(lang, "note", key, OPTIMIZERS[key].note)


def rule_latex(lang: str, key: str, scheduled=(), data: bool = False) -> str:
    """The optimizer's update rule in LaTeX (on a surface with `data`, its form there), its words (the
    n-th \\text{…}) translated by `rule_<key>_<n>` (`rule_<key>_data_<n>`); the hyperparameters named
    in `scheduled` change per epoch, so they carry the epoch: η_t, β_{1,t}."""
    spec = OPTIMIZERS[key]
    source, table = (spec.data_latex, f"rule_{key}_data") if data and spec.data_latex else (spec.latex, f"rule_{key}")
    count = itertools.count(1)
    latex = re.sub(r"\\text\{([^{}]*)\}", lambda m: r"\text{" + name(lang, table, str(next(count)), m[1]) + "}",
                   source)
    for p in OPTIMIZERS[key].hyperparameters:
        if p.name in scheduled:
            base, _, sub = p.symbol.partition("_")
            at_t = f"{base}_{{{sub},t}}" if sub else f"{base}_t"
            latex = re.sub(re.escape(p.symbol) + r"(?![A-Za-z0-9])", at_t.replace("\\", "\\\\"), latex)
    return latex


def schedule_name(lang: str, kind: str) -> str:
    return name(lang, "sched", kind, SCHEDULES[kind].name)


def schedule_param_label(lang: str, kind: str, q: Hyperparameter) -> str:
    return name(lang, f"sched_{kind}", q.name, q.label)


def axis_names(lang: str, surface) -> tuple[str, str]:
    """The surface's axis names (b and w for the regression), translated by `axis_<surface>_<1|2>`."""
    return tuple(name(lang, f"axis_{surface.key}", str(i), english)
                 for i, english in enumerate(surface.axis_names, start=1))


def run_label(n: int, run: Run, lang: str, hidden=lambda name: False, data: bool = False) -> str:
    """'2. Momentum η=0.4, γ=0.5': the labelled hyperparameters and those off their defaults;
    'η=?' for those an exercise link hides (`hidden(name)`); only those that have an effect on a
    surface with (`data`) or without examples (SGD's |B| or σ)."""
    shown = [
        f"{hyper_short(lang, p)}=?" if hidden(p.name)
        else (hyper_label(lang, p) if run.values[p.name] else "") if p.kind == "bool"
        else f"{hyper_short(lang, p)}={run.values[p.name]:g}" + _scheduled(lang, run, p.name)
        for p in OPTIMIZERS[run.optimizer].hyperparameters
        if p.applies_on(data) and (p.in_label or run.values[p.name] != p.default
                                   or run.schedule(p.name)[0] != CONSTANT)
    ]
    return f"{n}. {optimizer_name(lang, run.optimizer)} " + t(lang, "list_separator").join(s for s in shown if s)


def _scheduled(lang: str, run: Run, name: str) -> str:
    """' (exponential decay)' after a hyperparameter that follows a schedule."""
    kind, _ = run.schedule(name)
    return "" if kind == CONSTANT else t(lang, "label_schedule", name=schedule_name(lang, kind))
