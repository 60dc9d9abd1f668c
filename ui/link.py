"""The link: an AppState as a URL query string and back (a pure codec, no Streamlit).

`to_query(state)` writes every field that differs from its default, or from the preset's view
when the state names a preset (and those declared `always`), and every run; `from_query(query,
presets)` reads them back with the problems of the values it refused: a preset and fields is the
preset's view with those fields changed. The fields, their parsers and their defaults are declared once,
in ui/state.py."""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import re
import zlib
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit

from optimizers import OPTIMIZERS

from .i18n import Message
from .presets import PRESETS, Preset
from .state import (CONSTANT, CUSTOM, MAX_RUNS, SETTINGS, AppState, Refused, Run, _num, boolean, custom_surface,
                    default_run, number, schedule_kinds, schedule_params, spec_of, suffix, surface_of,
                    with_surface_lr, within_data, within_epochs)


def to_query(state: AppState, presets: dict[str, Preset] = PRESETS) -> dict[str, str]:
    """The link of a state: the surface, the epochs, every field that differs from its
    default (from the preset's view, where the state names a preset), and every run with its
    labelled hyperparameters (η, γ, …) and the others that differ from their defaults."""
    if state.ask:  # a question's link is its code: the view is the question's, kept by the class's database; never
        # the teacher's key, which the projector's address bar would show the class (the teacher's browser is known)
        return {"ask": state.ask,
                **({"lang": state.lang} if state.lang != AppState.lang else {}),
                **({"view": state.view} if state.presenting else {})}  # the projector's layout survives a reload
    query = {}
    reference = replace(starting_point(state.preset, presets), preset=None)  # the preset itself is written
    for f in SETTINGS:
        value = getattr(state, f.name)
        if (value != getattr(reference, f.name) or spec_of(f).always) and value != ():
            # None (the surface's own start, the map's own range) where the preset sets a value: empty
            query[f.name] = "" if value is None else spec_of(f).show(value)
        if f.name == "x2":  # the runs follow the start in the link
            query.update(_runs_query(state.runs, data=surface_of(state).examples is not None))
    if state.net_runs != reference.net_runs:
        query.update(_runs_query(state.net_runs, NET))
    if state.hide:  # an exercise: its values are not for reading in the address bar (the language is)
        packed = {k: v for k, v in query.items() if k != "lang"}
        return {EXERCISE: pack(packed), **({"lang": query["lang"]} if "lang" in query else {})}
    return query


EXERCISE = "exercise"  # the link field that holds an exercise's other fields, packed


def pack(query: dict[str, str]) -> str:
    """Fields as one opaque, URL-safe word: it hides the values from a glance, not from a determined
    student (it is deflated text, not encrypted)."""
    return base64.urlsafe_b64encode(zlib.compress(urlencode(query).encode(), 9)).decode("ascii").rstrip("=")


def unpack(word: str) -> dict[str, str]:
    """pack's fields back; ValueError where the word is not one of pack's."""
    try:
        inflater = zlib.decompressobj()
        text = inflater.decompress(base64.urlsafe_b64decode(word + "=" * (-len(word) % 4)), 100_000)
        if not inflater.eof or not text:  # cut short, or nothing in it
            raise ValueError("incomplete")
        return dict(parse_qsl(text.decode(), keep_blank_values=True, strict_parsing=True))
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as err:
        raise ValueError("not an exercise of this app") from err


def starting_point(preset: str | None, presets: dict[str, Preset] = PRESETS) -> AppState:
    """What a link starts from: the defaults, with the preset's view where it names one."""
    return presets[preset].apply(AppState()) if preset in presets else AppState()


NET = "net_"  # the link prefix of the network page's runs


def _runs_query(runs, prefix: str = "", data: bool = False) -> dict[str, str]:
    """The runs' fields; those that have no effect on this surface (`data`: it has examples) only
    when they are off their defaults."""
    query = {}
    for i, run in enumerate(runs):
        query[prefix + "optimizer" + suffix(i)] = run.optimizer
        spec = OPTIMIZERS[run.optimizer]
        for p in spec.hyperparameters:
            value = run.values[p.name]
            if (p.in_label and p.applies_on(data)) or value != p.default:
                query[prefix + p.name + suffix(i)] = _num(value)
        for name, kind, params in run.schedules:
            query[prefix + name + "_schedule" + suffix(i)] = kind
            for param, value in params:
                query[prefix + name + "_" + param + suffix(i)] = _num(value)
    return query


def run_fields() -> frozenset[str]:
    """A run's link fields without prefix and suffix: its hyperparameters and their schedules'."""
    return _fields_of(tuple((name, id(spec)) for name, spec in OPTIMIZERS.items()))


@functools.lru_cache(maxsize=4)
def _fields_of(registry: tuple) -> frozenset[str]:
    """run_fields() for one version of the registry (keyed by its entries, so that one added is seen)."""
    return frozenset().union(*(optimizer_fields(name) for name in OPTIMIZERS))


def optimizer_fields(name: str) -> frozenset[str]:
    """Optimizer `name`'s run fields: its hyperparameters and their schedules'."""
    names = set()
    for p in OPTIMIZERS[name].hyperparameters:
        names.add(p.name)
        for kind in schedule_kinds(p):
            names |= {p.name + "_schedule", *(p.name + "_" + q.name for q in schedule_params(p, kind))}
    return frozenset(names)


@dataclass
class Problem:
    """A value from the link that was refused: which field, what it was, and why."""

    field: str
    value: str
    reason: str  # a key of the string tables: "unknown", "not_number", "out_of_range", "invalid", "formula", …
    valid: str | Exception | Message = ""  # an exception or a Message is explained in the page's language


def from_query(query, presets: dict[str, Preset] = PRESETS) -> tuple[AppState, list[Problem]]:
    """The state a link describes, and the problems with it.

    `query` maps names to strings (st.query_params); missing fields take their defaults,
    and so do refused ones. `preset=` (a key of `presets`) starts from that experiment; the
    link's other fields apply on top of it."""
    problems: list[Problem] = []
    text = {name: str(value)[:1000] for name, value in query.items()}
    if EXERCISE in text:  # an exercise's packed fields (all of a link's, so longer); fields spelled out win
        del text[EXERCISE]
        try:
            text = {**{k: v[:1000] for k, v in unpack(str(query[EXERCISE])[:10_000]).items()}, **text}
        except ValueError:
            problems.append(Problem(EXERCISE, query[EXERCISE], "invalid", Message("exercise_unreadable")))
    values = {}
    for f in SETTINGS:
        if f.name in text and text[f.name] == "" and f.default is None:  # to_query's "not set" (None)
            values[f.name] = None
        elif f.name in text:
            try:
                values[f.name] = spec_of(f).parse(text[f.name])
            except Refused as refused:
                problems.append(Problem(f.name, text[f.name], refused.reason, refused.valid))
    if "preset" in values and values["preset"] not in presets:
        # its own words, not the list of keys: ~30 of them filled a phone's first screen
        problems.append(Problem("preset", text["preset"], "unknown_preset"))
        del values["preset"]
    base = starting_point(values.get("preset"), presets)
    runs, fresh, read = _runs_from(text, problems, base_runs=base.runs)
    net_runs, _, net_read = _runs_from(text, problems, NET, base.net_runs)
    _unused_run_fields(text, problems, read or set(range(len(base.runs))), net_read or set(range(len(base.net_runs))))
    state = replace(base, **values, **({"runs": runs} if runs else {}), **({"net_runs": net_runs} if net_runs else {}))
    state = _check_together(state, values, text, problems)
    new_surface = state.surface != base.surface
    if not runs and new_surface:  # ?surface=… alone: with its own η
        state = replace(state, runs=with_surface_lr(state.runs, surface_of(state)))
    elif runs:
        surface = surface_of(state)

        def with_its_lr(i: int, r: Run) -> Run:
            if i in fresh:  # a run the link names without its η gets the η any new run gets here
                return r.with_value("lr", default_run(r.optimizer, surface).values["lr"])
            if new_surface and "lr" + suffix(i) not in text:  # the starting point's, on another surface: its η too
                return with_surface_lr((r,), surface)[0]  # (run 1 of ?surface=himmelblau&optimizer2=momentum kept
            return r  # the quadratic's 0.4, which diverges from every start, while run 2 took Himmelblau's 0.01)

        state = replace(state, runs=tuple(with_its_lr(i, r) for i, r in enumerate(state.runs)))
    return within_epochs(state), problems


def _runs_from(text: dict, problems: list, prefix: str = "", base_runs: tuple[Run, ...] = (Run.of("gd"),)
               ) -> tuple[tuple[Run, ...], set[int], set[int]]:
    """The runs the link names, () where it names none of their fields; which of them it names without
    their η (the η of a new run on this surface is theirs); and the link's run numbers (0-based) whose
    fields were read (?optimizer3=adam alone makes run 3 of the link the view's run 2). Where it names optimizers, the
    runs are those (run 1 is the starting point's where only later ones are named); where it names
    only values (?lr=0.6, ?lr2=0.3), they change the starting point's runs (`base_runs`)."""
    named = [i for i in range(MAX_RUNS) if prefix + "optimizer" + suffix(i) in text]
    fields = run_fields()
    valued = [i for i in range(MAX_RUNS) if any(prefix + field + suffix(i) in text for field in fields)]
    if not named and not valued:
        return (), set(), set()
    runs, fresh, read = [], set(), set()
    for i in range(MAX_RUNS):
        name = text.get(prefix + "optimizer" + suffix(i))
        if name is None:  # the starting point's run, where the link names only values or only later runs
            if i < len(base_runs) and (not named or i == 0):
                runs.append(_run(text, problems, prefix, i, base_runs[i].optimizer, base_runs[i]))
                read.add(i)
            continue
        if name not in OPTIMIZERS:  # the default optimizer instead, the run's other fields still read and checked
            problems.append(Problem(prefix + "optimizer" + suffix(i), name, "unknown", ", ".join(OPTIMIZERS)))
            if i < len(base_runs):
                runs.append(_run(text, problems, prefix, i, base_runs[i].optimizer, base_runs[i]))
                read.add(i)
                continue
            name = base_runs[0].optimizer
        if prefix + "lr" + suffix(i) not in text:
            fresh.add(len(runs))
        runs.append(_run(text, problems, prefix, i, name))
        read.add(i)
    return tuple(runs), fresh, read


def _unused_run_fields(text: dict, problems: list, read: set[int], net_read: set[int]) -> None:
    """A problem for each run field of the link that no run reads (`read`, `net_read`: the link's run numbers
    read): one for a run it does not have (?lr3=0.1 with two runs, ?optimizer5=adam) or numbered 1 (run 1's
    fields have no number); one its optimizer does not have (?gamma=0.9 for momentum, whose γ is `momentum`)
    _run reports. They were dropped without a word."""
    fields = run_fields() | {"optimizer"}
    for name, raw in text.items():
        prefix = NET if name.startswith(NET) else ""
        rest = name[len(prefix):]
        # the field and the run's number after it (beta2 is run 1's β2, beta22 run 2's)
        numbers = [(f, rest[len(f):]) for f in fields
                   if rest.startswith(f) and re.fullmatch(r"|[1-9][0-9]*", rest[len(f):])]
        if not numbers:
            continue
        field, number = numbers[0]
        i = int(number or 1) - 1
        if number == "1":
            problems.append(Problem(name, raw, "unused", Message("url_run_one", {"field": prefix + field})))
        elif i not in (net_read if prefix else read):
            why = (Message("url_past_runs", {"most": MAX_RUNS}) if i >= MAX_RUNS
                   else Message("url_no_run", {"run": i + 1, "optimizer": prefix + "optimizer" + suffix(i)}))
            problems.append(Problem(name, raw, "unused", why))


def _run(text: dict, problems: list, prefix: str, i: int, name: str, base: Run | None = None) -> Run:
    """Run i of the link: optimizer `name` with the link's values, on top of `base`'s (or the defaults)."""
    own = optimizer_fields(name)
    for field in sorted(run_fields() - own):
        if (raw := text.get(prefix + field + suffix(i))) is not None:
            own_names = ", ".join(prefix + p.name + suffix(i) for p in OPTIMIZERS[name].hyperparameters)
            problems.append(Problem(prefix + field + suffix(i), raw, "unused", Message(
                "url_not_for", {"run": i + 1, "optimizer": name, "fields": own_names})))
    values = dict(base.values) if base else {}
    schedules = {n: (kind, dict(params)) for n, kind, params in base.schedules} if base else {}
    for p in OPTIMIZERS[name].hyperparameters:
        field = prefix + p.name + suffix(i)
        raw = text.get(field)
        if raw is None:
            continue
        try:
            values[p.name] = hyper_value(p, raw)
        except Refused as refused:
            problems.append(Problem(field, raw, refused.reason, refused.valid))
    for p in OPTIMIZERS[name].hyperparameters:
        if (schedule := _schedule_from(text, problems, p, prefix, suffix(i))) is not None:
            schedules[p.name] = schedule
    return Run.of(name, schedules, **values)


def _schedule_from(text: dict, problems: list, p, prefix: str, end: str) -> tuple[str, dict] | None:
    """Hyperparameter p's schedule from the link, None if the link names none. A refused kind or
    parameter gives a problem and the constant schedule."""
    field = prefix + p.name + "_schedule" + end
    kind = text.get(field)
    if kind is None:
        return None
    kinds = schedule_kinds(p) or (CONSTANT,)
    if kind not in kinds:
        problems.append(Problem(field, kind, "unknown", ", ".join(kinds)))
        return CONSTANT, {}
    params, refused_any = {}, False
    for q in schedule_params(p, kind):
        field = prefix + p.name + "_" + q.name + end
        if (raw := text.get(field)) is None:
            continue
        try:
            params[q.name] = hyper_value(q, raw)
        except Refused as refused:
            problems.append(Problem(field, raw, refused.reason, refused.valid))
            refused_any = True
    return (CONSTANT, {}) if refused_any else (kind, params)


def hyper_value(p, raw: str):
    """A hyperparameter's value from the link's text, checked against the registry's range."""
    if p.kind == "bool":
        return boolean(raw)
    return number(raw, p.valid_range_text(), lambda v: bool(p.in_range(v)), integer=p.kind == "int")


def _parses(formula: str, bounds) -> bool:
    try:
        custom_surface(formula, bounds)
    except ValueError:
        return False
    return True


def _check_together(state: AppState, values: dict, text: dict, problems: list) -> AppState:
    """Checks that need two fields: the formula with its plot range, the map's η range, a
    minibatch within the data."""
    if "formula" in values:
        try:
            custom_surface(state.formula, state.bounds)
        except ValueError as err:
            # a + typed into an address arrives as a space: say how to write it, where that was the fault
            reason = "formula_plus" if " " in state.formula and _parses(state.formula.replace(" ", "+"),
                                                                        state.bounds) else "formula"
            problems.append(Problem("formula", values["formula"], reason, err))
            state = replace(state, formula=AppState.formula)
    if state.surface != CUSTOM and (examples := surface_of(state).examples) is not None:  # typed: no data
        for i, run in enumerate(state.runs):  # a batch the link asked for (the default is fitted silently)
            if "batch_size" + suffix(i) in text and run.values.get("batch_size", 0) > examples.n:
                problems.append(Problem("batch_size" + suffix(i), _num(run.values["batch_size"]), "out_of_range",
                                        f"[1, {examples.n}]"))
        state = replace(state, runs=within_data(state.runs, surface_of(state), default=True))
    low, high = state.map_lr_min, state.map_lr_max
    if (low is None) != (high is None) or (low is not None and not low < high):
        # both go, and the message says so: "map_lr_max outside (5, ∞)" left the lost map_lr_min unsaid
        if low is not None and high is not None:
            problems.append(Problem("map_lr_min", _num(low), "invalid", Message("valid_map_order", {"high": high})))
        elif "map_lr_min" in values or "map_lr_max" in values:
            given, other = ("map_lr_min", "map_lr_max") if low is not None else ("map_lr_max", "map_lr_min")
            problems.append(Problem(given, _num(low if low is not None else high), "invalid",
                                    Message("valid_map_pair", {"other": other})))
        state = replace(state, map_lr_min=None, map_lr_max=None)
    return state


def this_computer(url: str) -> str | None:
    """The host of `url` where it names the computer it is opened on (localhost, 127.0.0.1, ::1): a link no
    student's phone can open; else None."""
    host = urlsplit(url).hostname or ""
    try:
        address = ipaddress.ip_address(host)
        local = address.is_loopback or address.is_unspecified  # 0.0.0.0: where a server listens, not an address
    except ValueError:
        local = host == "localhost" or host.endswith(".localhost")
    return host if local else None
