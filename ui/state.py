"""The app's state, declared once.

`AppState` is the one value that describes what the app shows. Each of its fields
is declared below with `setting(...)`: its default, how the link's text is read
(a parser that knows the valid range) and written, and which kind of widget shows
it. The link (URL query string) and the widgets (ui/session.py) are derived from
these declarations, so adding a field is one line here. The runs come from the
optimizer registry: `optimizer` and its hyperparameters (`lr`, `momentum`, …),
with the suffixes 2, 3, 4 for runs 2–4; the network page's runs take the prefix `net_`.

The link's codec is ui/link.py. Link fields beyond the widgets: `preset=<key>` (an experiment, with its lesson),
`hide=lr,momentum,…` or `hide=all` (controls hidden for an exercise, their values
still apply).

Schedules (optimizers/schedules.py): a float hyperparameter may follow one, e.g.
`lr_schedule=exponential&lr_decay=0.1` or `momentum_schedule=linear&momentum_final=0.9&momentum_ramp=10`
(`<name>_schedule` and `<name>_<parameter>`, with the run's suffix and prefix). η takes the
decays and the warm-up; a weight of the past (γ, β1, RMSProp's γ, AdaDelta's ρ) the linear ramp.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any
from collections.abc import Callable

from classroom.store import CODE, KEY
from optimizers import OPTIMIZERS, SCHEDULES, Schedule
from optimizers.hyperparams import Hyperparameter
from surfaces import SURFACES, Surface, from_formula
from surfaces.critical import suggested_lr
from surfaces.formula import BOUND_LIMIT, DEFAULT_BOUNDS, MAX_LENGTH, FormulaError
from surfaces.regression import regression_surface

from .i18n import Message

MAX_RUNS = 4
START_LIMIT = 1e4  # |x1|, |x2| of a start point
LANGUAGES = ("en", "zh")
CUSTOM = "custom"  # the surface typed by the user
REGRESSION = "regression"  # its data has controls: number of points and noise
DEFAULT_FORMULA = "sin(x1)*cos(x2) + 0.1*(x1^2 + x2^2)"
HIDE_ALL = "all"
PRESENT = "present"


class Refused(ValueError):
    """A link value that was refused: why ("unknown", "not_number", "out_of_range", "invalid") and what is
    valid (a range or a list of link values, or a sentence the page says in its language)."""

    def __init__(self, reason: str, valid: str | Exception | Message):
        super().__init__(reason, valid)
        self.reason, self.valid = reason, valid


# --- parsers: the link's text -> a value, or Refused ---------------------------------------


@dataclass(frozen=True)
class Number:
    """A number in [low, high] (an integer if `integer`): the link's parser and the widget's range."""

    low: float
    high: float
    integer: bool = False

    def __call__(self, text: str) -> float | int:
        # a seed's range ends at 2147483647, not 2.14748e+09
        low, high = (f"{v:d}" if self.integer else f"{v:g}" for v in (self.low, self.high))
        return number(text, f"[{low}, {high}]", lambda v: self.low <= v <= self.high, self.integer)


def number(text: str, valid: str, inside: Callable[[float], bool], integer: bool = False) -> float | int:
    """A number from the link's text, or Refused with the real reason: no number (also "nan", which parses), outside
    `valid` (`inside` says), or inside but not whole where a count is asked (`?epochs=2.5`)."""
    try:
        value = float(text)
    except ValueError:
        raise Refused("not_number", valid) from None
    if math.isnan(value):
        raise Refused("not_number", valid)
    if not math.isfinite(value):  # 1e400, or a number of 5,000 digits: "outside (0, ∞)" said it wrong
        raise Refused("invalid", Message("valid_finite", {"valid": valid}))
    if not inside(value):
        raise Refused("out_of_range", valid)
    if integer and value != int(value):
        raise Refused("invalid", Message("valid_whole", {"valid": valid}))
    return int(value) if integer else value


def choice(options: Callable[[], list[str]]) -> Callable[[str], str]:
    """One of `options()` (a function: registries may grow after import)."""

    def parse(text: str) -> str:
        if text not in options():
            raise Refused("unknown", ", ".join(options()))
        return text

    return parse


def boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise Refused("invalid", Message("valid_bool"))


def plot_range(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    valid = FormulaError("bad_bounds", {"limit": BOUND_LIMIT})
    try:
        v = [float(part) for part in text.split(",")]
    except ValueError:
        raise Refused("invalid", valid) from None
    if len(v) != 4 or not all(-BOUND_LIMIT <= lo < hi <= BOUND_LIMIT for lo, hi in (v[:2], v[2:])):
        raise Refused("invalid", valid)
    return (v[0], v[1]), (v[2], v[3])


def token(pattern: re.Pattern) -> Callable[[str], str]:
    """A word that matches `pattern` (a question's code, a teacher's key)."""

    def parse(text: str) -> str:
        if not pattern.fullmatch(text):
            raise Refused("invalid", Message("valid_code"))
        return text

    return parse


def formula_text(text: str) -> str:
    if len(text) > MAX_LENGTH:
        raise Refused("invalid", FormulaError("too_long", {"limit": MAX_LENGTH}))
    return text


def names(text: str) -> tuple[str, ...]:
    """`hide`: link field names or `all`; a run's field without a number (lr) hides it in every run,
    with its run's number (lr1, lr2) in that run only."""
    wanted = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    runs = [n for o in OPTIMIZERS.values() for n in ("optimizer", *(p.name for p in o.hyperparameters))]
    per_run = {hide_key(name, i) for name in runs for i in range(MAX_RUNS)}
    unknown = [n for n in wanted if n not in hideable() and n not in per_run]
    if unknown:
        raise Refused("unknown", ", ".join(hideable()))
    return wanted


def hideable() -> list[str]:
    runs = dict.fromkeys(["optimizer", *(p.name for o in OPTIMIZERS.values() for p in o.hyperparameters)])
    shown = [f.name for f in SETTINGS if spec_of(f).widget and f.name != "lang"]
    return [HIDE_ALL, *shown, *runs, "runs", "preset"]


def _num(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))  # the shortest text that reads back as the same float
    return text[:-2] if text.endswith(".0") else text


# --- the declarations --------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    widget: str | None  # the kind of control that shows it; None: only in the link
    always: bool  # in the link even at its default


def setting(default, parse, *, widget: str | None = None, show=_num, always: bool = False):
    return field(default=default, metadata={"spec": Spec(parse, show, widget, always)})


def spec_of(f) -> Spec | None:
    return f.metadata.get("spec")


def surface_keys() -> list[str]:
    return [*SURFACES, CUSTOM]


def optimizer_keys() -> list[str]:
    return list(OPTIMIZERS)


# --- schedules ------------------------------------------------------------------------------

CONSTANT = "constant"
MAX_EPOCHS = 1000  # the epochs slider's end: a schedule's k need not be longer
RAMP_FINAL = 0.9  # a ramp's end value until one is chosen: seed 004's γ rises to 0.9


def schedule_kinds(p: Hyperparameter) -> tuple[str, ...]:
    """The schedules hyperparameter `p` may follow: η the kinds without an end value (the decays
    and the warm-up); a weight of the past in [0, 1] named in a run's label (γ, β1, RMSProp's γ,
    AdaDelta's ρ) the kinds with one (the linear ramp); the others none."""
    if p.kind != "float":
        return ()
    if p.name == "lr":
        return tuple(k for k, kind in SCHEDULES.items() if not kind.final)
    if p.in_label and p.low == 0 and p.high == 1:
        return tuple(k for k, kind in SCHEDULES.items() if kind.final or k == CONSTANT)
    return ()


def schedule_params(p: Hyperparameter, kind: str) -> tuple[Hyperparameter, ...]:
    """The parameters of a `kind` schedule of `p` as the app offers them. A decay factor stays
    at most 1 and a number of epochs at most MAX_EPOCHS, so that every schedule the app holds
    stays in p's range for any number of epochs; the end value takes p's own range."""
    own = tuple(replace(q, high=1.0) if q.kind == "float" else replace(q, high=MAX_EPOCHS)
                for q in SCHEDULES[kind].params)
    words = {lang: {"label": w["final"]} for lang, w in SCHEDULES[kind].words.items() if "final" in w}
    final = (replace(p, name="final", label="end value", default=RAMP_FINAL, in_label=False, words=words),)
    return own + (final if SCHEDULES[kind].final else ())


@dataclass(frozen=True)
class Run:
    optimizer: str
    hyper: tuple[tuple[str, float | int | bool], ...]  # every hyperparameter, in registry order
    # the hyperparameters that follow a schedule other than constant, in registry order:
    # (name, kind, ((parameter, value), …)) with every parameter of the kind
    schedules: tuple[tuple[str, str, tuple[tuple[str, float | int], ...]], ...] = ()

    @staticmethod
    def of(optimizer: str, schedules=(), **values) -> Run:
        """A run with `values` (the others at their defaults) and `schedules`: a dict name → (kind,
        parameters) or a Run's own tuple; a schedule the hyperparameter cannot follow is dropped,
        a parameter left out takes its default."""
        spec = OPTIMIZERS[optimizer]
        merged = {**spec.defaults, **values}
        wanted = schedules if isinstance(schedules, dict) else {n: (k, dict(q)) for n, k, q in schedules}
        kept = []
        for p in spec.hyperparameters:
            kind, params = wanted.get(p.name, (CONSTANT, {}))
            if kind != CONSTANT and kind in schedule_kinds(p):
                kept.append((p.name, kind, tuple((q.name, params.get(q.name, q.default))
                                                 for q in schedule_params(p, kind))))
        return Run(optimizer, tuple((p.name, merged[p.name]) for p in spec.hyperparameters), tuple(kept))

    @property
    def values(self) -> dict:
        return dict(self.hyper)

    def schedule(self, name: str) -> tuple[str, dict]:
        """The kind of schedule hyperparameter `name` follows, and its parameters."""
        return next(((k, dict(q)) for n, k, q in self.schedules if n == name), (CONSTANT, {}))

    @property
    def varies(self) -> bool:
        """Does a hyperparameter change over the epochs? (Then a constant-η analysis does not apply.)"""
        return bool(self.schedules)

    def with_value(self, name: str, value) -> Run:
        return Run.of(self.optimizer, self.schedules, **{**self.values, name: value})

    def with_schedule(self, name: str, kind: str, **params) -> Run:
        wanted = {n: (k, dict(q)) for n, k, q in self.schedules} | {name: (kind, params)}
        return Run.of(self.optimizer, wanted, **self.values)


def run_hyper(optimizer: str, hyper: tuple, schedules: tuple) -> dict:
    """The keyword arguments of run()/train() for a Run's `hyper` and `schedules` (both hashable,
    so a cached function can take them): a Schedule for each scheduled hyperparameter."""
    values = dict(hyper)
    for name, kind, params in schedules:
        values[name] = Schedule(kind, values[name], **dict(params))
    return values


@dataclass(frozen=True)
class AppState:
    lang: str = setting("en", choice(lambda: list(LANGUAGES)), widget="select")
    preset: str | None = setting(None, str)  # a key of the presets, which the link codec checks (ui/link.py)
    hide: tuple[str, ...] = setting((), names, show=",".join)
    view: str | None = setting(None, choice(lambda: [PRESENT]))  # view=present: the presentation layout
    # a question to the class (classroom/): its code, and the teacher's key to it (read from a teacher's link, never
    # written to one: the projector shows the address bar); the view is the question's
    ask: str | None = setting(None, token(CODE))
    key: str | None = setting(None, token(KEY))
    surface: str = setting("quadratic", choice(surface_keys), widget="select", always=True)
    formula: str = setting(DEFAULT_FORMULA, formula_text, widget="text")  # when surface is custom
    bounds: tuple = setting(DEFAULT_BOUNDS, plot_range, widget="range",
                            show=lambda b: ",".join(_num(v) for pair in b for v in pair))
    data_n: int = setting(100, Number(2, 10_000, integer=True), widget="number")  # when surface is regression
    data_noise: float = setting(1.0, Number(0.0, 5.0), widget="slider")
    epochs: int = setting(20, Number(1, MAX_EPOCHS, integer=True), widget="slider", always=True)
    epoch: int | None = setting(None, Number(0, MAX_EPOCHS, integer=True))  # where the chart rests; None: at the start
    x1: float | None = setting(None, Number(-START_LIMIT, START_LIMIT), widget="number")  # None: the surface's start
    x2: float | None = setting(None, Number(-START_LIMIT, START_LIMIT), widget="number")
    runs: tuple[Run, ...] = (Run.of("gd", lr=0.4),)  # declared by the optimizer registry
    equal_axes: bool = setting(True, boolean, widget="toggle")  # x1 and x2 on one scale, where the range allows
    view3d: bool = setting(False, boolean, widget="toggle")  # the surface in 3D, the paths on it
    vectors: bool = setting(False, boolean, widget="toggle")  # the steps' arrows and the optimizer's inside
    # on a surface with data: the loss against the examples processed, so that batch sizes compare fairly
    loss_by_examples: bool = setting(False, boolean, widget="toggle")
    # the small network page: its own runs (link fields net_optimizer, net_lr, …), seed 003's by default
    net_runs: tuple[Run, ...] = (Run.of("momentum", lr=0.01, momentum=0.9, dampening=0.9),)
    net_steps: int = setting(10_000, Number(1, 20_000, integer=True), widget="number")
    net_target: float = setting(0.005, Number(0.0, 1.0), widget="number")  # 0: no early stop
    net_init: int = setting(99, Number(0, 2**31 - 1, integer=True), widget="number")
    # the stability map
    map_optimizer: str = setting("momentum", choice(optimizer_keys), widget="select")
    map_lr_min: float | None = setting(None, Number(1e-8, 1e3), widget="number")  # None: the surface's range
    map_lr_max: float | None = setting(None, Number(1e-8, 1e3), widget="number")
    map_log: bool = setting(True, boolean, widget="toggle")
    # the basins of attraction: how long each start's run goes
    basin_epochs: int = setting(200, Number(1, 1000, integer=True), widget="slider")

    @property
    def start_point(self) -> tuple[float, float]:
        sx1, sx2 = surface_of(self).start
        return (sx1 if self.x1 is None else self.x1, sx2 if self.x2 is None else self.x2)

    @property
    def presenting(self) -> bool:
        return self.view == PRESENT

    @property
    def map_lr(self) -> tuple[float, float] | None:
        return None if self.map_lr_min is None else (self.map_lr_min, self.map_lr_max)

    def hidden(self, name: str) -> bool:
        """Is the control of link field `name` hidden (`hide=` in the link)? Never the language."""
        return name != "lang" and (HIDE_ALL in self.hide or name in self.hide)

    def hidden_in(self, i: int) -> Callable[[str], bool]:
        """Is run i's control of `name` hidden: in every run (hide=lr), or in this one (hide=lr1, lr2)? A hidden
        optimizer hides every value of its run too (their names, γ or β1, would tell it)."""
        def hidden(name: str) -> bool:
            return self.hidden(name) or hide_key(name, i) in self.hide
        return lambda name: hidden(name) or hidden("optimizer")

    def hides_a_value_of(self, i: int) -> bool:
        """Does an exercise hide any of run i's hyperparameters (its code, rates or internals would tell them)?"""
        hidden = self.hidden_in(i)
        return any(hidden(p.name) for p in OPTIMIZERS[self.runs[i].optimizer].hyperparameters)

    def changed(self, **changes) -> AppState:
        """This state with `changes`, and what follows from them: a new surface starts
        from its own start point with its own η, the map takes its own η range, and fewer epochs
        than the one the chart rests at move it to the last."""
        new = replace(self, **changes)
        if new.surface != self.surface and "x1" not in changes:
            new = replace(new, x1=None, x2=None)
        new_function = new.surface != self.surface or (new.surface == CUSTOM and new.formula != self.formula)
        if new_function and "runs" not in changes:
            new = replace(new, runs=with_surface_lr(new.runs, surface_of(new)))
        if surface_spec(new) != surface_spec(self) and "map_lr_min" not in changes:
            new = replace(new, map_lr_min=None, map_lr_max=None)
        return within_epochs(replace(new, runs=within_data(new.runs, surface_of(new))))

    def with_run(self, i: int, run: Run, field: str = "runs") -> AppState:
        """This state with run i of `field` replaced (a minibatch larger than the data: the whole data)."""
        runs = getattr(self, field)
        runs = runs[:i] + (run,) + runs[i + 1:]
        return replace(self, **{field: within_data(runs, surface_of(self)) if field == "runs" else runs})


SETTINGS = [f for f in fields(AppState) if spec_of(f)]


def with_surface_lr(runs: tuple[Run, ...], surface: Surface) -> tuple[Run, ...]:
    """The runs with the surface's own η wherever the optimizer's step is η·gradient."""
    return tuple(r.with_value("lr", surface_lr(r.optimizer, surface)) if OPTIMIZERS[r.optimizer].lr_from_surface
                 else r for r in runs)


def within_data(runs: tuple[Run, ...], surface: Surface, default: bool = False) -> tuple[Run, ...]:
    """The runs with no minibatch larger than the surface's data: one that is becomes the whole
    data (or, with `default`, the default size where the data has that many points)."""
    if surface.examples is None:
        return runs
    n = surface.examples.n
    size = min(OPTIMIZERS["sgd"].defaults["batch_size"], n) if default else n
    return tuple(r.with_value("batch_size", size) if r.values.get("batch_size", 0) > n else r for r in runs)


def surface_lr(optimizer: str, surface: Surface) -> float:
    return float(f"{OPTIMIZERS[optimizer].lr_from_surface * suggested_lr(surface):.3g}")


def default_run(optimizer: str, surface: Surface) -> Run:
    """A new run of `optimizer` on `surface`, wherever one is made (a link that names it without
    its η, "+ Add a run", a new surface): its defaults, with the surface's own η where its step is
    η times the gradient (adaptive steps are about η long on any surface) and a minibatch that fits."""
    run = Run.of(optimizer)
    if OPTIMIZERS[optimizer].lr_from_surface:
        run = run.with_value("lr", surface_lr(optimizer, surface))
    return within_data((run,), surface, default=True)[0]


def declaration(name: str) -> Spec:
    """The declared parser, widget and link form of the state field `name`."""
    return spec_of(AppState.__dataclass_fields__[name])


# --- surfaces ------------------------------------------------------------------------------


def surface_spec(state: AppState) -> tuple:
    """A hashable name of the surface a state shows (a cache key)."""
    if state.surface == CUSTOM:
        return (CUSTOM, state.formula, state.bounds)
    if state.surface == REGRESSION:
        return (REGRESSION, state.data_n, state.data_noise)
    return (state.surface, None, None)


def resolve(spec: tuple) -> Surface:
    key, a, b = spec
    if key == CUSTOM:
        return custom_surface(a, b)
    if key == REGRESSION:
        return regression_surface(a, b)
    return SURFACES[key]


def within_epochs(state: AppState) -> AppState:
    """The epoch the chart rests at, at most the last (a link's epoch=99 of 20, or fewer epochs chosen): the chart
    shows the last, and more epochs later would have shown one never seen."""
    return state if state.epoch is None or state.epoch <= state.epochs else replace(state, epoch=state.epochs)


def surface_of(state: AppState) -> Surface:
    """The surface a state shows: a built-in one, or the typed formula."""
    return resolve(surface_spec(state))


@functools.lru_cache(maxsize=64)  # bounded: the worker's answer is kept per formula
def custom_surface(formula: str, bounds) -> Surface:
    return from_formula(formula, bounds)


# --- the link --------------------------------------------------------------------------------


def suffix(i: int) -> str:
    return "" if i == 0 else str(i + 1)


def hide_key(name: str, i: int) -> str:
    """How `hide=` names run i's control `name` alone: lr1 for run 1 (its link field is lr, which in `hide=`
    means every run's), lr2 for run 2."""
    return f"{name}{i + 1}"
