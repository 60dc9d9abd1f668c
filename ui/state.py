"""The app's state: its plain form, the URL query string, and the widgets' session keys.

The URL holds the whole state with the API's names: `surface`, `epochs`, `x1`, `x2`,
`optimizer` and its hyperparameters (`lr`, `momentum`, ...) for the first run, the
same names with a suffix 2, 3, 4 (`optimizer2`, `lr2`, ...) for the other runs, and
`lang`. Every value read from the URL is checked; a refused one becomes a warning
and that field keeps its default.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace

from optimizers import OPTIMIZERS
from surfaces import SURFACES, Surface, from_formula
from surfaces.formula import BOUND_LIMIT, DEFAULT_BOUNDS
from surfaces.regression import regression_surface

MAX_RUNS = 4
EPOCHS_RANGE = (1, 1000)
START_LIMIT = 1e4  # |x1|, |x2| of a start point
LANGUAGES = ("en", "zh")
CUSTOM = "custom"  # the surface typed by the user
REGRESSION = "regression"  # its data has controls: number of points and noise
DATA_N_RANGE, DATA_NOISE_RANGE = (2, 10_000), (0.0, 5.0)
NET_STEPS_RANGE, NET_TARGET_RANGE, NET_SEED_RANGE = (1, 20_000), (0.0, 1.0), (0, 2**31 - 1)
DEFAULT_FORMULA = "sin(x1)*cos(x2) + 0.1*(x1^2 + x2^2)"


@dataclass(frozen=True)
class Run:
    optimizer: str
    hyper: tuple[tuple[str, float | int | bool], ...]  # every hyperparameter, in registry order

    @staticmethod
    def of(optimizer: str, **values) -> "Run":
        spec = OPTIMIZERS[optimizer]
        merged = {**spec.defaults, **values}
        return Run(optimizer, tuple((p.name, merged[p.name]) for p in spec.hyperparameters))

    @property
    def values(self) -> dict:
        return dict(self.hyper)


@dataclass(frozen=True)
class AppState:
    surface: str = "quadratic"
    epochs: int = 20
    start: tuple[float, float] | None = None  # None: the surface's own start
    runs: tuple[Run, ...] = field(default_factory=lambda: (Run.of("gd", lr=0.4),))
    lang: str = "en"
    formula: str = DEFAULT_FORMULA  # used when surface == CUSTOM
    bounds: tuple[tuple[float, float], tuple[float, float]] = DEFAULT_BOUNDS
    data_n: int = 100  # used when surface == REGRESSION
    data_noise: float = 1.0
    # the small network page's settings (seed 003's run by default)
    net_steps: int = 10_000
    net_target: float = 0.005  # 0: no early stop
    net_seed: int = 99
    # the stability map's own settings
    map_optimizer: str = "momentum"
    map_lr: tuple[float, float] | None = None  # None: the surface's default range
    map_log: bool = True

    @property
    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else surface_of(self).start


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


def surface_of(state: AppState) -> Surface:
    """The surface a state shows: a built-in one, or the typed formula."""
    return resolve(surface_spec(state))


@functools.lru_cache(maxsize=64)  # bounded: SymPy work is done once per formula
def custom_surface(formula: str, bounds) -> Surface:
    return from_formula(formula, bounds)


# --- URL ------------------------------------------------------------------------------


def suffix(i: int) -> str:
    return "" if i == 0 else str(i + 1)


def to_query(state: AppState) -> dict[str, str]:
    query = {"surface": state.surface, "epochs": str(state.epochs)}
    x1, x2 = state.start_point
    query.update(x1=_num(x1), x2=_num(x2))
    for i, run in enumerate(state.runs):
        query["optimizer" + suffix(i)] = run.optimizer
        for name, value in run.hyper:
            query[name + suffix(i)] = _num(value)
    if state.surface == CUSTOM:
        query["formula"] = state.formula
        query["bounds"] = ",".join(_num(v) for pair in state.bounds for v in pair)
    if state.surface == REGRESSION:
        query.update(data_n=str(state.data_n), data_noise=_num(state.data_noise))
    for name in ("net_steps", "net_target", "net_seed"):
        if getattr(state, name) != getattr(AppState, name):
            query[name] = _num(getattr(state, name))
    if state.lang != "en":
        query["lang"] = state.lang
    if state.map_optimizer != AppState.map_optimizer:
        query["map_optimizer"] = state.map_optimizer
    if state.map_lr is not None:
        query.update(map_lr_min=_num(state.map_lr[0]), map_lr_max=_num(state.map_lr[1]))
    if state.map_log != AppState.map_log:
        query["map_log"] = _num(state.map_log)
    return query


def _num(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return f"{value:.10g}"


@dataclass
class Problem:
    """A value from the URL that was refused: which field, what it was, and why."""

    field: str
    value: str
    reason: str  # a key of the string tables: "unknown", "not_number", "out_of_range"
    valid: str | Exception = ""  # an exception is explained in the page's language


def from_query(query) -> tuple[AppState, list[Problem]]:
    """The state a query string describes, and the problems with it.

    `query` maps names to strings (st.query_params); missing fields take defaults,
    and so do refused ones.
    """
    problems: list[Problem] = []
    default = AppState()

    def text(name):
        value = query.get(name)
        return None if value is None else str(value)[:1000]

    surface = text("surface")
    if surface is not None and surface not in SURFACES and surface != CUSTOM:
        problems.append(Problem("surface", surface, "unknown", ", ".join([*SURFACES, CUSTOM])))
        surface = None
    surface = surface or default.surface

    bounds = default.bounds
    if text("bounds") is not None:
        try:
            v = [float(part) for part in text("bounds").split(",")]
            if len(v) != 4 or not all(-BOUND_LIMIT <= lo < hi <= BOUND_LIMIT for lo, hi in (v[:2], v[2:])):
                raise ValueError
            bounds = ((v[0], v[1]), (v[2], v[3]))
        except ValueError:
            problems.append(Problem("bounds", text("bounds"), "out_of_range",
                                    f"x1 min, x1 max, x2 min, x2 max within ±{BOUND_LIMIT:g}"))
    formula = default.formula
    if text("formula") is not None:
        try:
            custom_surface(text("formula"), bounds)
            formula = text("formula")
        except ValueError as err:
            problems.append(Problem("formula", text("formula"), "formula", err))

    lang = text("lang")
    if lang is not None and lang not in LANGUAGES:
        problems.append(Problem("lang", lang, "unknown", ", ".join(LANGUAGES)))
        lang = None

    epochs = _parse_number(text("epochs"), "epochs", problems, *EPOCHS_RANGE, integer=True)
    data_n = _parse_number(text("data_n"), "data_n", problems, *DATA_N_RANGE, integer=True)
    data_noise = _parse_number(text("data_noise"), "data_noise", problems, *DATA_NOISE_RANGE)
    net_steps = _parse_number(text("net_steps"), "net_steps", problems, *NET_STEPS_RANGE, integer=True)
    net_target = _parse_number(text("net_target"), "net_target", problems, *NET_TARGET_RANGE)
    net_seed = _parse_number(text("net_seed"), "net_seed", problems, *NET_SEED_RANGE, integer=True)

    x1 = _parse_number(text("x1"), "x1", problems, -START_LIMIT, START_LIMIT)
    x2 = _parse_number(text("x2"), "x2", problems, -START_LIMIT, START_LIMIT)
    start = None
    if x1 is not None or x2 is not None:
        sx1, sx2 = surface_of(replace(default, surface=surface, formula=formula, bounds=bounds)).start
        start = (sx1 if x1 is None else x1, sx2 if x2 is None else x2)

    runs = []
    for i in range(MAX_RUNS):
        name = text("optimizer" + suffix(i))
        if name is None:
            if i == 0 and any(text(p.name) is not None for o in OPTIMIZERS.values() for p in o.hyperparameters):
                name = "gd"  # ?lr=0.6 alone means the default optimizer
            else:
                continue
        if name not in OPTIMIZERS:
            problems.append(Problem("optimizer" + suffix(i), name, "unknown", ", ".join(OPTIMIZERS)))
            continue
        values = {}
        for p in OPTIMIZERS[name].hyperparameters:
            raw = text(p.name + suffix(i))
            if raw is None:
                continue
            value = _parse_hyper(raw, p, p.name + suffix(i), problems)
            if value is not None:
                values[p.name] = value
        runs.append(Run.of(name, **values))

    map_optimizer = text("map_optimizer")
    if map_optimizer is not None and map_optimizer not in OPTIMIZERS:
        problems.append(Problem("map_optimizer", map_optimizer, "unknown", ", ".join(OPTIMIZERS)))
        map_optimizer = None
    lr_spec = OPTIMIZERS["gd"].hyperparameter("lr")
    lr_lo = _parse_hyper(text("map_lr_min"), lr_spec, "map_lr_min", problems) if text("map_lr_min") else None
    lr_hi = _parse_hyper(text("map_lr_max"), lr_spec, "map_lr_max", problems) if text("map_lr_max") else None
    map_lr = (lr_lo, lr_hi) if lr_lo is not None and lr_hi is not None and lr_lo < lr_hi else None
    if lr_lo is not None and lr_hi is not None and map_lr is None:
        problems.append(Problem("map_lr_max", text("map_lr_max"), "out_of_range", f"({lr_lo:g}, ∞)"))
    map_log = _parse_bool(text("map_log"), "map_log", problems) if text("map_log") else None

    state = replace(
        default,
        surface=surface,
        epochs=default.epochs if epochs is None else int(epochs),
        start=start,
        runs=tuple(runs) or default.runs,
        lang=lang or default.lang,
        formula=formula,
        bounds=bounds,
        data_n=default.data_n if data_n is None else data_n,
        data_noise=default.data_noise if data_noise is None else data_noise,
        net_steps=default.net_steps if net_steps is None else net_steps,
        net_target=default.net_target if net_target is None else net_target,
        net_seed=default.net_seed if net_seed is None else net_seed,
        map_optimizer=map_optimizer or default.map_optimizer,
        map_lr=map_lr,
        map_log=default.map_log if map_log is None else map_log,
    )
    return state, problems


def _parse_number(raw, name, problems, low, high, integer=False):
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        problems.append(Problem(name, raw, "not_number", f"[{low:g}, {high:g}]"))
        return None
    if not (math.isfinite(value) and low <= value <= high) or (integer and value != int(value)):
        problems.append(Problem(name, raw, "out_of_range", f"[{low:g}, {high:g}]"))
        return None
    return int(value) if integer else value


def _parse_bool(raw: str, field_name: str, problems):
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    problems.append(Problem(field_name, raw, "out_of_range", "true, false"))
    return None


def _parse_hyper(raw: str, spec, field_name: str, problems):
    if spec.kind == "bool":
        return _parse_bool(raw, field_name, problems)
    try:
        value = float(raw)
    except ValueError:
        problems.append(Problem(field_name, raw, "not_number", spec.valid_range_text()))
        return None
    if not spec.is_valid(value):
        problems.append(Problem(field_name, raw, "out_of_range", spec.valid_range_text()))
        return None
    return int(value) if spec.kind == "int" else value
