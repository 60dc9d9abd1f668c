"""The stability map page: the outcome of a 200 × 200 grid of (η, second
hyperparameter) for the current surface, start and epochs (converging, growing or
diverged), with the analytic boundary, and the theoretical convergence rate on quadratics.
The other hyperparameters keep their defaults (momentum: no dampening, no bias correction)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from figures.palette import run_colour
from figures.stability_map import MapLabels, outcome_figure, plain_number, rate_figure
from optimizers import OPTIMIZERS
from optimizers.maps import (CONVERGING, GROWING, OutcomeMap, default_lr_range, outcome_map, row_pieces,
                             second_axis, second_axis_values)
from optimizers.stability import ANALYSED, spectral_radius, stable_lr_limit
from surfaces.critical import loss_floor
from ui import session
from ui.chart import clicked_point, plot
from ui.i18n import t
from ui.kept import Kept, in_pieces
from ui.labels import hyper_label, hyper_short, not_a_list, optimizer_name, run_label
from ui.state import Run, resolve, surface_of, surface_spec

CELLS = 200
RATE_CELLS = 100  # the rate is smooth: a coarser grid keeps the payload small
MAP_KEY, RATE_KEY = "stability_map", "rate_map"


PIECE_WORK = 1_000_000  # cell-epochs per piece of a map: about half a second on one core
PIECES_KEPT = 256  # about 16 whole maps of 200 × 200
PIECES = Kept(PIECES_KEPT)  # pieces of maps abandoned half-way go on from where they stopped


def map_pieces(optimizer: str, epochs: int) -> list[tuple[int, int]]:
    rows = len(second_axis_values(optimizer, CELLS, epochs))
    # the epochs axis is one run() over η, read at every epoch: one piece
    return [(0, rows)] if second_axis(optimizer) == "epochs" else row_pieces(rows, CELLS, epochs, PIECE_WORK)


def compute_map(optimizer: str, surface: tuple, start: tuple, epochs: int, lr_range: tuple, log_x: bool,
                progress=lambda done, total, partial: None) -> OutcomeMap:
    """The whole map, piece by piece; `progress` hears of each piece computed (not of those kept)
    with the map so far."""
    args = (optimizer, surface, start, epochs, lr_range, log_x, CELLS)
    lr = _lr_axis(lr_range, log_x, CELLS)
    y = second_axis_values(optimizer, CELLS, epochs)
    resolved = resolve(surface)  # outside the lock: a typed formula's worker answers meanwhile

    def compute(key):
        return outcome_map(optimizer, resolved, lr=lr, y=y[slice(*key[-1])], start=start, epochs=epochs)

    keys = [(*args, rows) for rows in map_pieces(optimizer, epochs)]
    return OutcomeMap.joined(in_pieces(PIECES, keys, compute,
                                       lambda done, total, so_far: progress(done, total, OutcomeMap.joined(so_far))))


def _lr_axis(lr_range, log_x, cells):
    return np.geomspace(*lr_range, cells) if log_x else np.linspace(*lr_range, cells)


def boundary_curve(optimizer: str, surface, y: np.ndarray):
    """The analytic stability limit as a line (η(y), y), or None where there is no theory."""
    if not surface.is_quadratic or optimizer not in ANALYSED:
        return None
    lam = max(surface.hessian_eigenvalues)
    if optimizer == "gd":
        return np.full(2, stable_lr_limit("gd", 0.0, lam)), np.array([y[0], y[-1]])
    return np.array([stable_lr_limit(optimizer, g, lam) for g in y]), y


def cell_rates(optimizer: str, surface, omap: OutcomeMap):
    """The theory's ρ of every cell of the map (ny, nx), or None where there is no theory."""
    if not surface.is_quadratic or optimizer not in ANALYSED:
        return None
    gamma = np.zeros(len(omap.y)) if omap.y_name == "epochs" else omap.y
    return spectral_radius(optimizer, omap.lr[None, :], gamma[:, None], surface.hessian_eigenvalues)


def disagreements(rho, omap: OutcomeMap) -> tuple[int, int]:
    """Cells where the picture and the theory's verdict differ, and why they may:
    stable (ρ < 1) but still above the start (a swing not yet damped), and unstable
    (ρ > 1) but still below it (the growing direction has not yet outgrown the others)."""
    if rho is None:
        return 0, 0
    outcome = omap.outcome
    return int(((rho < 1) & (outcome == GROWING)).sum()), int(((rho > 1) & (outcome == CONVERGING)).sum())


def _clicked(chart_key: str, omap_args: tuple) -> None:
    """A click on the map: that cell's settings become the first run; then show the explorer."""
    point = clicked_point(chart_key)
    if point is None or point[0] <= 0:
        return
    (x, y), optimizer = point, omap_args[0]
    name = second_axis(optimizer)
    values = {"lr": float(f"{x:.4g}")}  # as the pointer read it over the cell (_cell_hover): near the theory's limit
    # 0.4995 rounded to 0.499 was another run than the cell's (a teacher's trial)
    changes = {}
    if name == "epochs":
        changes["epochs"] = int(np.clip(round(y), 1, 1000))
    else:
        spec = OPTIMIZERS[optimizer].hyperparameter(name)
        values[name] = float(np.clip(float(f"{y:.4g}"), spec.low, 0.999 if spec.high_open else spec.high))
    s = session.state()
    session.replace_state(s.changed(**changes).with_run(0, Run.of(optimizer, **values)))
    session.open_explorer()


def as_the_maps(r: Run, optimizer: str) -> dict | None:
    """The run's values as `optimizer`'s (GD's as momentum's at γ = 0: the registry's case_of); None if it is not
    `optimizer` or a case of it."""
    if r.optimizer == optimizer:
        return dict(r.values)
    case = dict(OPTIMIZERS[r.optimizer].case_of).get(optimizer)
    return None if case is None else {**OPTIMIZERS[optimizer].defaults, **r.values, **case}


def described_by_the_map(r: Run, optimizer: str) -> bool:
    """The map's cells run `optimizer` at its defaults but for η and the second axis, each constant: a run
    with another optimizer (not a case of it), another value of any other setting, or a schedule is none of its
    cells."""
    defaults, name, values = OPTIMIZERS[optimizer].defaults, second_axis(optimizer), as_the_maps(r, optimizer)
    return values is not None and not r.varies and all(
        v == defaults[k] for k, v in values.items() if k not in ("lr", name))


def runs_on_the_map(state, optimizer: str, lang: str) -> list[tuple[str, float, float, str]]:
    """The explorer's runs that the map describes (its optimizer, constant η and second axis, neither
    hidden by an exercise): (label, η, y, colour) each."""
    name = second_axis(optimizer)
    marked = []
    for i, r in enumerate(state.runs):
        hidden = state.hidden_in(i)
        if not described_by_the_map(r, optimizer) or hidden("lr") or (name != "epochs" and hidden(name)):
            continue
        y = state.epochs if name == "epochs" else as_the_maps(r, optimizer)[name]
        marked.append((run_label(i + 1, r, lang, hidden), float(r.values["lr"]), float(y), run_colour(i)))
    return marked


def runs_inside(marked: list, omap: OutcomeMap, lr_range: tuple[float, float]) -> tuple[list, list[str]]:
    """The runs the map describes, parted: those whose (η, y) lies on the drawn map, and the labels of the others."""
    y = np.asarray(omap.y, float)
    half = (y[-1] - y[0]) / (len(y) - 1) / 2 if len(y) > 1 else 0.0  # a cell's half height beyond the last centres
    on = [m for m in marked if lr_range[0] <= m[1] <= lr_range[1] and y[0] - half <= m[2] <= y[-1] + half]
    return on, [m[0] for m in marked if m not in on]


LR_ENDS = ("map_lr_min", "map_lr_max")  # the η range's boxes, and their fields


def _lr_changed(name: str, label: str, lr_range: tuple[float, float]) -> None:
    """A box of the η range: the number typed (held to the field's range), and the other end as its box holds it
    (both boxes may change in one run: each one's change is called in turn)."""
    shown = dict(zip(LR_ENDS, lr_range))
    ends = {end: shown[end] if st.session_state.get(end) is None else st.session_state[end] for end in LR_ENDS}
    ends[name] = session.typed_number(name, name, shown[name], label)
    lo, hi = ends.values()
    if 0 < lo < hi:
        session.update(map_lr_min=float(lo), map_lr_max=float(hi))
    else:  # the boxes show the range the map keeps at the next run (session.draw), which alone is said
        for end in LR_ENDS:
            st.session_state.get(session.OUT_OF_RANGE, {}).pop(end, None)
        st.session_state["map_lr_error"] = True


def render() -> None:
    ss = st.session_state
    state = session.state()
    lang = state.lang
    surface = surface_of(state)
    st.title(t(lang, "map_title"))
    st.caption(t(lang, "map_caption"))
    scheduled = [run_label(i + 1, r, lang, state.hidden_in(i)) for i, r in enumerate(state.runs) if r.varies]
    if scheduled:  # the map's cells keep η and γ constant: it does not describe these runs
        st.info(t(lang, "map_scheduled", runs=t(lang, "list_separator").join(scheduled)), icon=":material/info:")

    lr_range = state.map_lr or default_lr_range(surface)
    c1, c2, c3, c4 = st.columns([2, 1.2, 1.2, 1.6], vertical_alignment="bottom")  # room for the toggle's label
    with c1:
        session.control("map_optimizer", t(lang, "optimizer"), translated=True, options=list(OPTIMIZERS),
                        format_func=lambda k: optimizer_name(lang, k))
    for column, name, value in zip((c2, c3), LR_ENDS, lr_range):
        if not state.hidden(name):
            with column:
                session.number_box(t(lang, name), name, float(value), _lr_changed, (name, t(lang, name), lr_range),
                                   format="%.4g")
    with c4:
        session.control("map_log", t(lang, "map_log"))
    session.say_if_clamped(LR_ENDS, lang)
    if ss.pop("map_lr_error", False):
        st.warning(t(lang, "map_lr_error"), icon=":material/warning:")

    state = session.state()
    optimizer, log_x = state.map_optimizer, state.map_log
    floor = loss_floor(surface)[0]
    y_name = second_axis(optimizer)
    lr_spec = OPTIMIZERS[optimizer].hyperparameter("lr")
    y_spec = None if y_name == "epochs" else OPTIMIZERS[optimizer].hyperparameter(y_name)
    y_label = t(lang, "map_axis_epochs") if y_spec is None else hyper_label(lang, y_spec)
    y_short = t(lang, "map_axis_epochs") if y_spec is None else hyper_short(lang, y_spec)
    labels = MapLabels(x=hyper_label(lang, lr_spec), y=y_label, x_short=hyper_short(lang, lr_spec), y_short=y_short,
                       separator=t(lang, "readout_sep"),
                       colour=t(lang, "map_colour"), converging=t(lang, "map_converging"),
                       growing=t(lang, "map_growing"), diverged=t(lang, "map_diverged"), stopped=t(lang, "map_stopped"),
                       boundary=t(lang, "map_boundary"), optimum=t(lang, "map_optimum"), rate=t(lang, "map_rate"),
                       no_convergence=t(lang, "map_no_convergence"))
    # a long map comes in pieces: a progress bar and the rows so far; a change of the student's
    # stops it at the next piece (Streamlit interrupts the script there) and the pieces done are kept
    y_all = second_axis_values(optimizer, CELLS, state.epochs)
    shown = session.Progress()

    def progress(done, total, so_far):
        shown.show(done / total, t(lang, "map_progress", done=done, total=total),
                   lambda: outcome_figure(so_far.lr, so_far.y, so_far.loss, so_far.outcome, floor, so_far.start_loss,
                                  log_x=log_x, labels=labels, y_range=(y_all[0], y_all[-1])), f"map_partial_{done}")

    omap = compute_map(optimizer, surface_spec(state), state.start_point, state.epochs, lr_range, log_x, progress)
    shown.clear()
    boundary = boundary_curve(optimizer, surface, omap.y)
    summary = t(lang, "map_summary", cells=omap.loss.size, epochs=state.epochs, axis=y_label,
                bound=plain_number(surface.divergence_bound), **omap.counts())
    st.caption(summary)
    if (counts := omap.counts())["stopped"]:
        summary += " " + t(lang, "map_stopped_note", **counts)
        st.caption(t(lang, "map_stopped_note", **counts))
    swinging, not_yet = disagreements(cell_rates(optimizer, surface, omap), omap)
    if swinging:
        st.caption(t(lang, "map_swinging", n=swinging))
    if not_yet:
        st.caption(t(lang, "map_not_yet", n=not_yet))

    # one map under the other: side by side, each is too narrow on a 1024 px projector
    st.markdown(f"**{t(lang, 'map_outcome_title')}**")
    title = t(lang, "map_outcome_title")
    marked, outside = runs_inside(runs_on_the_map(state, optimizer, lang), omap, lr_range)
    plot(MAP_KEY, outcome_figure(omap.lr, omap.y, omap.loss, omap.outcome, floor, omap.start_loss, log_x=log_x,
                                 boundary=boundary, labels=labels, runs=marked),
         lang, clickable=True, on_click=lambda: _clicked(MAP_KEY, (optimizer,)),
         keys_from=marked[0][1:3] if marked else None,
         description=t(lang, "titled_alt", title=title, text=summary),
         title=title)
    st.caption(t(lang, "map_click_hint"))
    # a run whose optimizer an exercise hides is never said to be on another optimizer's map: which map leaves it
    # out would tell it (a hidden η or γ already keeps it off every map)
    others = [run_label(i + 1, r, lang, state.hidden_in(i)) for i, r in enumerate(state.runs)
              if not r.varies and not described_by_the_map(r, optimizer) and not state.hidden_in(i)("optimizer")]
    if others:  # so that a missing mark is not read as a missing run
        st.caption(t(lang, "map_other_runs", runs=t(lang, "items_separator").join(others)))
    drawn = {label for label, *_ in marked}
    for i, r in enumerate(state.runs):  # GD's run marked on momentum's map: why it is there, in the γ = 0 row
        label = run_label(i + 1, r, lang, state.hidden_in(i))
        if r.optimizer == optimizer or label not in drawn:
            continue
        values = dict(OPTIMIZERS[r.optimizer].case_of)[optimizer]
        at = t(lang, "list_separator").join(f"{hyper_short(lang, OPTIMIZERS[optimizer].hyperparameter(k))} = {v:g}"
                                            for k, v in values.items())
        st.caption(not_a_list(t(lang, "map_case", run=label, name=optimizer_name(lang, r.optimizer),
                                of=optimizer_name(lang, optimizer), at=at)))
    if outside:  # in the legend with no mark, it was unexplained (a teacher's trial)
        st.caption(t(lang, "map_outside", low=f"{lr_range[0]:g}", high=f"{lr_range[1]:g}",
                     runs=t(lang, "items_separator").join(outside)))
    show_rate_panel(optimizer, surface, lr_range, log_x, labels, lang)



def show_rate_panel(optimizer, surface, lr_range, log_x, labels, lang) -> None:
    st.markdown(f"**{t(lang, 'map_rate_title')}**")
    if not surface.is_quadratic or optimizer not in ANALYSED:
        st.info(t(lang, "map_no_theory"), icon=":material/info:")
        return
    lam = surface.hessian_eigenvalues
    if optimizer == "gd":
        best = 2 / (min(lam) + max(lam))
        rho = float(spectral_radius("gd", best, 0.0, lam))
        st.write(t(lang, "map_gd_rate", best=best, rho=rho, limit=stable_lr_limit("gd", 0, max(lam))))
        return
    lr = _lr_axis(lr_range, log_x, RATE_CELLS)
    gamma = np.linspace(0, 0.99, RATE_CELLS)
    rho = spectral_radius(optimizer, lr[None, :], gamma[:, None], lam)
    j, i = np.unravel_index(np.argmin(rho), rho.shape)
    optimum = t(lang, "map_optimum_text", lr=lr[i], gamma=gamma[j], rho=rho[j, i])
    title = t(lang, "map_rate_title")
    plot(RATE_KEY, rate_figure(lr, gamma, rho, log_x=log_x, boundary=boundary_curve(optimizer, surface, gamma),
                               optimum=(lr[i], gamma[j]), labels=labels),
         lang, clickable=True, on_click=lambda: _clicked(RATE_KEY, (optimizer,)),
         description=t(lang, "titled_alt", title=title, text=optimum),
         title=title)
    st.caption(optimum)
