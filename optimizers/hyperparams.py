"""Hyperparameter descriptions: what the UI needs to build a widget, and validation."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter of an optimizer.

    `low`/`high` bound the valid values (`low_open`/`high_open` exclude the end);
    `slider` is the (min, max) range offered by the UI, `log` says whether that
    slider is logarithmic, and `kind` is "float", "int" or "bool". `label` is the
    English name the UI shows; `words` holds its words in other languages.
    """

    name: str
    symbol: str  # LaTeX, e.g. r"\eta"
    label: str
    default: float | int | bool
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    slider: tuple[float, float] = (0.0, 1.0)
    log: bool = False
    kind: str = "float"
    glyph: str = ""  # plain-text symbol for legends and labels, e.g. "η"
    in_label: bool = False  # always named in a run's label and link, even at its default
    # on which surfaces it has an effect: "always", "with data" (minibatches need examples to
    # draw from) or "without data" (SGD's Gaussian noise, replaced by the minibatch's there)
    applies: str = "always"
    live: bool = False  # the paths follow its slider while it is dragged (η, γ, β, ρ)
    # its words in other languages: {"zh": {"label": …, "short": …, "symbol": …}}; English is above
    words: dict = field(default_factory=dict, compare=False)

    def applies_on(self, data: bool) -> bool:
        """Has it an effect where there are (`data`) or are not examples to draw minibatches from?"""
        return self.applies == "always" or data == (self.applies == "with data")

    def slider_values(self) -> list[float]:
        """The values its slider stops at (an arrow key moves one; the paths a drag shows are computed at
        these): round numbers, about 15 per decade, on a log scale; else about LINEAR_STOPS round ones."""
        low, high = self.slider
        if self.log:
            return nice_log_values(low, high)
        return nice_linear_values(low, high)

    @property
    def short(self) -> str:
        return self.glyph or self.name

    def valid_range_text(self) -> str:
        if self.kind == "bool":
            return "true or false"
        left = "(" if self.low_open or math.isinf(self.low) else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{left}{_fmt(self.low, self.kind == 'int')}, {_fmt(self.high, self.kind == 'int')}{right}"

    def is_valid(self, value) -> np.ndarray:
        """Elementwise: is `value` inside the valid range (and whole, for an int)?"""
        v = np.asarray(value, dtype=float)
        if self.kind == "bool":
            return np.isin(v, (0.0, 1.0))
        ok = self.in_range(v)
        if self.kind == "int":
            ok &= v == np.round(v)
        return ok

    def in_range(self, value) -> np.ndarray:
        """Elementwise: is `value` a finite number between the bounds (whole or not)?"""
        v = np.asarray(value, dtype=float)
        above = v > self.low if self.low_open else v >= self.low
        below = v < self.high if self.high_open else v <= self.high
        return above & below & np.isfinite(v)

    def coerce(self, value) -> np.ndarray:
        """Convert a scalar or array to this hyperparameter's dtype, or raise ValueError."""
        try:
            if self.kind == "bool":
                arr = np.asarray(value)
                if arr.dtype != bool and not np.isin(arr, (0, 1)).all():
                    raise ValueError
                return arr.astype(bool)
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"hyperparameter {self.name!r} must be a number in {self.valid_range_text()}, "
                f"got {value!r}"
            ) from None
        bad = ~self.is_valid(arr)
        if bad.any():
            example = arr[bad].flat[0] if arr.ndim else arr
            raise ValueError(
                f"hyperparameter {self.name!r} ({self.label}) must be in "
                f"{self.valid_range_text()}, got {float(example):g}"
            )
        return arr.astype(np.int64) if self.kind == "int" else arr


LINEAR_STOPS = 101
MANTISSAS = (1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 7.5, 8, 9)


def nice_log_values(low: float, high: float) -> list[float]:
    """Round numbers from low to high, about 15 per decade (0.1, 0.12, 0.15, 0.2, …)."""
    values = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for m in MANTISSAS:
            v = float(f"{m * 10.0**exponent:.6g}")
            if low <= v <= high:
                values.append(v)
    return values


def nice_linear_values(low: float, high: float, stops: int = LINEAR_STOPS) -> list[float]:
    """From low to high in a round step (1, 2 or 5 × 10ᵏ) that gives at most `stops` values, high included:
    γ's 0, 0.01, …, 0.99, 0.999."""
    wanted = (high - low) / (stops - 1)
    unit = 10.0 ** math.floor(math.log10(wanted))
    step = next(m * unit for m in (1, 2, 5, 10) if m * unit >= wanted * (1 - 1e-9))
    values = [float(f"{low + i * step:.6g}") for i in range(math.floor((high - low) / step + 1e-9) + 1)]
    return values if values[-1] >= high else [*values, float(f"{high:.6g}")]


def _fmt(x: float, whole: bool = False) -> str:
    """A range's end: a whole number's in full (a seed's 4294967295, not 4.29497e+09)."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{int(x):d}" if whole else f"{x:g}"
