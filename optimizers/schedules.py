"""Schedules: a hyperparameter's value as a function of the epoch t = 1, 2, … (as in optax).

    Schedule("exponential", 0.4, decay=0.1)          η_t = 0.4·0.1^(t−1)
    Schedule("linear", 0.5, final=0.9, ramp=10)      γ_t = 0.5 + 0.4·min(t−1, 10)/10

A Schedule's value and parameters are scalars or arrays; they broadcast with each
other and with the rest of a run's batch, so several decay factors are one call.
Any float hyperparameter of run(), sweep() and train() may be given a Schedule in
place of a number. The kinds are in SCHEDULES, each with its formula in LaTeX and
its parameters (with their valid ranges); T is the run's number of epochs.

Every kind is monotone in t, so its values lie between those at t = 1 and t = T:
checking these two against the hyperparameter's valid range checks them all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from collections.abc import Callable

import numpy as np

from .hyperparams import Hyperparameter


def _between(start, end, w):
    """start + (end − start)·w for w in [0, 1], never a rounding error outside [start, end] (a ramp
    to 0 that ended at −3e-18 left γ's range), and exactly `end` at w = 1."""
    value = np.clip(start + (end - start) * w, np.minimum(start, end), np.maximum(start, end))
    return np.where(w >= 1, end, value)


@dataclass(frozen=True)
class ScheduleKind:
    """One kind of schedule. `latex` writes the hyperparameter's symbol as @ (see formula());
    `params` describe the kind's own parameters; `final` (a ramp's end value) takes the
    hyperparameter's own range, so it has no entry there."""

    key: str
    name: str
    latex: str
    values: Callable  # (value, t, T, **params) -> value at epoch t
    params: tuple[Hyperparameter, ...] = ()
    final: bool = False  # takes the hyperparameter's end value `final`
    # its words in other languages: {"zh": {"name": …, "final": the end value's label, "final_symbol": …}}
    words: dict = field(default_factory=dict, compare=False)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params) + (("final",) if self.final else ())

    def formula(self, symbol: str) -> str:
        """The LaTeX formula for a hyperparameter with LaTeX symbol `symbol`, e.g. r"\\eta"."""
        return self.latex.replace("@", "{" + symbol + "}")


def _decay(default: float) -> Hyperparameter:
    return Hyperparameter("decay", "q", "decay factor q", default, low=0.0, low_open=True, slider=(0.01, 1.0),
                          glyph="q", words={"zh": {"label": "衰减因子 q"}})


def _epochs(name: str, label: str, zh: str, default: int) -> Hyperparameter:
    return Hyperparameter(name, "k", label, default, low=1, slider=(1, 100), kind="int", glyph="k",
                          words={"zh": {"label": zh}})


SCHEDULES: dict[str, ScheduleKind] = {
    k.key: k
    for k in [
        ScheduleKind("constant", "constant", r"@_t = @", lambda v, t, T: v, words={"zh": {"name": "常数"}}),
        ScheduleKind(
            "exponential",
            "exponential decay",
            r"@_t = @\, q^{\,t-1}",
            lambda v, t, T, decay: v * decay ** (t - 1),
            (_decay(0.1),),
            words={"zh": {"name": "指数衰减"}},
        ),
        ScheduleKind(
            "step",
            "step decay",
            r"@_t = @\, q^{\lfloor (t-1)/k \rfloor}",
            lambda v, t, T, decay, every: v * decay ** ((t - 1) // every),
            (_decay(0.1), _epochs("every", "every k epochs", "每 k 次迭代衰减一次", 10)),
            words={"zh": {"name": "分段衰减"}},
        ),
        ScheduleKind(
            "cosine",
            "cosine decay",
            r"@_t = @\, \frac{1 + \cos(\pi (t-1)/T)}{2}",
            lambda v, t, T: v * (1 + math.cos(math.pi * (t - 1) / T)) / 2,
            words={"zh": {"name": "余弦衰减"}},
        ),
        ScheduleKind(
            "warmup",
            "linear warm-up",
            r"@_t = @\, \frac{\min(t, k)}{k}",
            lambda v, t, T, ramp: np.where(t >= ramp, v, v * t / ramp),  # exactly v from k on (v·k/k may not be v)
            (_epochs("ramp", "warm-up epochs k", "预热迭代次数 k", 5),),
            words={"zh": {"name": "线性预热"}},
        ),
        ScheduleKind(
            "linear",
            "linear ramp",
            r"@_t = @ + (@_{\mathrm{final}} - @)\, \frac{\min(t-1, k)}{k}",
            lambda v, t, T, ramp, final: _between(v, final, np.minimum(t - 1, ramp) / ramp),
            (_epochs("ramp", "ramp epochs k", "变化迭代次数 k", 10),),
            final=True,
            words={"zh": {"name": "线性变化", "final": "终值", "final_symbol": r"\text{终}"}},
        ),
    ]
}


def _coerce(kind: ScheduleKind, p: Hyperparameter, value) -> np.ndarray:
    try:
        return p.coerce(value)
    except ValueError:
        whole = "a whole number" if p.kind == "int" else "a number"
        raise ValueError(
            f"the {kind.name} schedule's {p.label} must be {whole} in {p.valid_range_text()}, got {value!r}"
        ) from None


class Schedule:
    """A hyperparameter's value per epoch: `kind` (a key of SCHEDULES), its value at t = 1
    and the kind's parameters, each a scalar or an array (they broadcast together).

    The parameters are checked against their own ranges here; the values against the
    hyperparameter's range when a run receives the schedule (see `checked`).
    """

    def __init__(self, kind: str, value, **params):
        if kind not in SCHEDULES:
            raise ValueError(f"unknown schedule {kind!r}; choose one of: {', '.join(SCHEDULES)}")
        self.kind = SCHEDULES[kind]
        expected = self.kind.param_names
        unknown = sorted(set(params) - set(expected))
        if unknown:
            raise ValueError(
                f"schedule {kind!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"its parameters are: {', '.join(expected) or 'none'}"
            )
        self.params = {p.name: _coerce(self.kind, p, params.get(p.name, p.default)) for p in self.kind.params}
        if self.kind.final:
            if "final" not in params:
                raise ValueError(f"schedule {kind!r} needs its end value final=")
            self.params["final"] = params["final"]  # checked against the hyperparameter's range in checked()
        self.value = value

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Schedule({self.kind.key!r}, {self.value!r}{args})"

    @property
    def shape(self) -> tuple[int, ...]:
        return np.broadcast_shapes(np.shape(self.value), *(np.shape(v) for v in self.params.values()))

    @property
    def varies(self) -> bool:
        """Does the value change over the epochs? (If so, a constant-η analysis does not apply.)"""
        return self.kind.key != "constant"

    def like(self, value) -> Schedule:
        """The same kind and parameters, from another value (a map's axis of values, say)."""
        new = self._map(lambda v: v)
        new.value = value
        return new

    def _map(self, fn) -> Schedule:
        new = object.__new__(Schedule)
        new.kind, new.value = self.kind, fn(self.value)
        new.params = {k: fn(v) for k, v in self.params.items()}
        return new

    def checked(self, p: Hyperparameter, epochs: int) -> Schedule:
        """This schedule for hyperparameter `p` over `epochs` epochs, with its value and `final`
        coerced to p's type; ValueError if p cannot follow a schedule or a value leaves p's range."""
        if p.kind != "float":
            raise ValueError(f"hyperparameter {p.name!r} ({p.label}) cannot follow a schedule")
        new = self._map(lambda v: v)
        new.value = p.coerce(self.value)
        if "final" in self.params:
            try:
                new.params["final"] = p.coerce(self.params["final"])
            except ValueError as e:
                raise ValueError(f"the {self.kind.name} schedule's end value final: {e}") from None
        T = max(epochs, 1)
        with np.errstate(over="ignore", under="ignore"):
            first, last = new(1, T), new(T, T)
        # a positive value can underflow to 0 in floating point: it is still positive
        last = np.where((last == 0) & (first > 0), np.finfo(float).tiny, last)
        bad = ~p.is_valid(last)
        if bad.any():
            example = np.broadcast_to(last, bad.shape)[bad].flat[0]
            raise ValueError(
                f"the {self.kind.name} schedule of hyperparameter {p.name!r} ({p.label}) must stay in "
                f"{p.valid_range_text()}, but at epoch {T} it is {float(example):g}"
            )
        return new

    def flat(self, shape: tuple[int, ...], n: int) -> Schedule:
        """Broadcast to the batch shape and flatten to (n,)."""
        return self._map(lambda v: np.broadcast_to(v, shape).reshape(n))

    def __getitem__(self, part) -> Schedule:
        return self._map(lambda v: v[part])

    def __call__(self, t: int, epochs: int) -> np.ndarray:
        """The value at epoch t of a run of `epochs` epochs (the T of the cosine)."""
        return self.kind.values(self.value, t, epochs, **self.params)

    def table(self, epochs: int) -> np.ndarray:
        """The values at t = 1 … epochs, shape (epochs, *shape): for drawing η_t per epoch."""
        with np.errstate(over="ignore", under="ignore"):
            rows = [np.broadcast_to(self(t, epochs), self.shape) for t in range(1, epochs + 1)]
        return np.stack(rows) if rows else np.empty((0,) + self.shape)
