"""What the UI calls the registries' entries, in the page's language.

The English comes from the registry entry itself; the string tables only translate
it (and a missing translation falls back to the registry's English), so a new
optimizer or surface is named correctly without touching the tables.
"""

from __future__ import annotations

from optimizers import OPTIMIZERS
from optimizers.hyperparams import Hyperparameter
from surfaces import SURFACES

from .i18n import name, t
from .state import CUSTOM, Run


def optimizer_name(lang: str, key: str) -> str:
    return name(lang, "opt", key, OPTIMIZERS[key].name)


def surface_name(lang: str, key: str) -> str:
    return t(lang, "surf_custom") if key == CUSTOM else name(lang, "surf", key, SURFACES[key].name)


def hyper_label(lang: str, p: Hyperparameter) -> str:
    return name(lang, "hp", p.name, p.label)


def optimizer_note(lang: str, key: str) -> str:
    return name(lang, "note", key, OPTIMIZERS[key].note)


def run_label(n: int, run: Run, lang: str) -> str:
    """'2. Momentum η=0.4, γ=0.5': the labelled hyperparameters and those off their defaults."""
    shown = [
        (hyper_label(lang, p) if run.values[p.name] else "") if p.kind == "bool"
        else f"{p.short}={run.values[p.name]:g}"
        for p in OPTIMIZERS[run.optimizer].hyperparameters
        if p.in_label or run.values[p.name] != p.default
    ]
    return f"{n}. {optimizer_name(lang, run.optimizer)} " + ", ".join(s for s in shown if s)
