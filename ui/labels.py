"""What the UI calls the registries' entries, in the page's language.

The English comes from the registry entry itself, and so do its words in other
languages (its `words`); a missing translation falls back to the English, so a new
optimizer or surface is named by its entry alone, without touching the string tables.
"""

from __future__ import annotations

import itertools
import re

from optimizers import OPTIMIZERS, SCHEDULES
from optimizers.hyperparams import Hyperparameter
from surfaces import SURFACES

from .i18n import t
from .state import CONSTANT, CUSTOM, Run


def said(entry, lang: str, word: str, english: str) -> str:
    """A registry entry's `word` in `lang`, from its own `words`; its English where it has none."""
    return entry.words.get(lang, {}).get(word) or english


def optimizer_name(lang: str, key: str) -> str:
    return said(OPTIMIZERS[key], lang, "name", OPTIMIZERS[key].name)


def surface_name(lang: str, key: str) -> str:
    return t(lang, "surf_custom") if key == CUSTOM else said(SURFACES[key], lang, "name", SURFACES[key].name)


def hyper_label(lang: str, p: Hyperparameter) -> str:
    return said(p, lang, "label", p.label)


def hyper_short(lang: str, p: Hyperparameter) -> str:
    """Its name in a run's label: the glyph (η, γ), or a translated word where it has none."""
    return said(p, lang, "short", p.short)


def hyper_symbol(lang: str, p: Hyperparameter) -> str:
    """Its LaTeX symbol, translated where the registry's is a word (\\mathrm{seed})."""
    return said(p, lang, "symbol", p.symbol)


def optimizer_note(lang: str, key: str) -> str:
    return said(OPTIMIZERS[key], lang, "note", OPTIMIZERS[key].note)


def rule_latex(lang: str, key: str, scheduled=(), data: bool = False) -> str:
    """The optimizer's update rule in LaTeX (on a surface with `data`, its form there), its words (the
    n-th \\text{…}) translated by its entry's words `rule_<n>` (`rule_data_<n>`); the hyperparameters named
    in `scheduled` change per epoch, so they carry the epoch: η_t, β_{1,t}."""
    spec = OPTIMIZERS[key]
    source, word = (spec.data_latex, "rule_data_") if data and spec.data_latex else (spec.latex, "rule_")
    count = itertools.count(1)
    latex = re.sub(r"\\text\{([^{}]*)\}", lambda m: r"\text{" + said(spec, lang, word + str(next(count)), m[1]) + "}",
                   source)
    for p in OPTIMIZERS[key].hyperparameters:
        if p.name in scheduled:
            base, _, sub = p.symbol.partition("_")
            at_t = f"{base}_{{{sub},t}}" if sub else f"{base}_t"
            latex = re.sub(re.escape(p.symbol) + r"(?![A-Za-z0-9])", at_t.replace("\\", "\\\\"), latex)
    return latex


def schedule_name(lang: str, kind: str) -> str:
    return said(SCHEDULES[kind], lang, "name", SCHEDULES[kind].name)


def schedule_param_label(lang: str, kind: str, q: Hyperparameter) -> str:
    return said(q, lang, "label", q.label)


def final_symbol(lang: str, kind: str) -> str:
    """A ramp's end value in LaTeX: γ_final, γ_终."""
    return said(SCHEDULES[kind], lang, "final_symbol", r"\mathrm{final}")


def axis_names(lang: str, surface) -> tuple[str, str]:
    """The surface's axis names (b and w for the regression), translated by its words `axis_<1|2>`."""
    return tuple(said(surface, lang, f"axis_{i}", english) for i, english in enumerate(surface.axis_names, start=1))


def not_a_list(text: str) -> str:
    """Markdown for a text that starts with a run's label: "1. GD" escaped as "1\\. GD", or Markdown reads the
    number as a numbered list."""
    return text.replace(".", "\\.", 1)


def run_label(n: int, run: Run, lang: str, hidden=lambda name: False, data: bool = False) -> str:
    """'2. Momentum η=0.4, γ=0.5': the labelled hyperparameters and those off their defaults;
    'η=?' for those an exercise link hides (`hidden(name)`); only those that have an effect on a
    surface with (`data`) or without examples (SGD's |B| or σ). '2. optimizer ?' where it hides the optimizer."""
    if hidden("optimizer"):
        return run_title(n, run, lang, hidden)
    shown = [
        f"{hyper_short(lang, p)}=?" if hidden(p.name)
        else (hyper_label(lang, p) if run.values[p.name] else "") if p.kind == "bool"
        else f"{hyper_short(lang, p)}={run.values[p.name]:g}" + _scheduled(lang, run, p.name)
        for p in OPTIMIZERS[run.optimizer].hyperparameters
        if p.applies_on(data) and (p.in_label or run.values[p.name] != p.default
                                   or run.schedule(p.name)[0] != CONSTANT)
    ]
    return f"{run_title(n, run, lang)} " + t(lang, "list_separator").join(s for s in shown if s)


def run_title(n: int, run: Run, lang: str, hidden=lambda name: False) -> str:
    """'2. Momentum', or '2. optimizer ?' where an exercise hides the optimizer (`hidden("optimizer")`)."""
    return f"{n}. " + (t(lang, "optimizer_hidden") if hidden("optimizer") else optimizer_name(lang, run.optimizer))


def _scheduled(lang: str, run: Run, name: str) -> str:
    """' (exponential decay)' after a hyperparameter that follows a schedule."""
    kind, _ = run.schedule(name)
    return "" if kind == CONSTANT else t(lang, "label_schedule", name=schedule_name(lang, kind))
