"""The fair race page: each optimizer at the best settings a sweep finds for the explorer's surface,
start and epochs, ranked by the final loss, and all of them raced from the same start."""

from __future__ import annotations

import streamlit as st

from figures import PathView, trajectory_figure
from figures.palette import run_colour
from figures.trajectories import background_traces, readable
from optimizers import OPTIMIZERS
from optimizers.race import DECAY_GRID, SEEDS, Entry, best_settings, ranked
from surfaces.critical import critical_points, landed_on_a_minimum
from ui import session
from ui.chart import plot
from ui.i18n import t
from ui.kept import Kept, in_pieces
from ui.labels import hyper_short, optimizer_name, run_label
from ui.state import MAX_RUNS, Run, resolve, surface_of, surface_spec, within_data
from viewmodel.trajectories import chart_words, compute, contour, figure_labels, grid

CHART_KEY = "race_chart"


SEARCHES = Kept(16 * len(OPTIMIZERS))  # each optimizer's search for a surface, start and epochs


def race_of(spec: tuple, start: tuple, epochs: int, progress=lambda done, total, so_far: None) -> list[Entry]:
    """The race, one optimizer's search a piece (a few seconds at most, on the costliest formula at
    1,000 epochs), so that other students' work goes on between them."""
    surface = resolve(spec)
    keys = [(key, spec, start, epochs) for key in OPTIMIZERS]
    return ranked(in_pieces(SEARCHES, keys, lambda k: best_settings(k[0], surface, start=start, epochs=epochs),
                            progress))


def searched_text(lang: str) -> str:
    """What was searched, from the registry: each optimizer's live hyperparameters and their grids."""
    symbols = sorted({hyper_short(lang, p) for o in OPTIMIZERS.values() for p in o.hyperparameters
                      if p.live and not p.log})
    return t(lang, "race_searched", decays=", ".join(symbols), grid=", ".join(f"{v:g}" for v in DECAY_GRID))


def shared_ranks(shown: list[str]) -> list[int]:
    """The places of results in order, those shown alike sharing one (two at loss 0: 1, 1, 3), as sports rank."""
    places: list[int] = []
    for i, text in enumerate(shown):
        places.append(places[-1] if i and text == shown[i - 1] else i + 1)
    return places


def open_in_explorer(runs: tuple[Run, ...]) -> None:
    """The race's first runs, the explorer's now: a view of the race's, no longer the experiment loaded before
    (its menu, its lesson and a note that it was changed stayed)."""
    session.update(runs=runs, preset=None)
    session.open_explorer()


def render() -> None:
    state = session.state()
    lang = state.lang
    surface = surface_of(state)
    spec = surface_spec(state)
    st.title(t(lang, "race_title"))
    st.caption(t(lang, "race_caption", epochs=state.epochs) + " " + searched_text(lang))
    shown = session.Progress()
    entries = race_of(spec, state.start_point, state.epochs,
                      lambda done, total, _: shown.show(done / total, t(lang, "race_progress", done=done, total=total)))
    shown.clear()
    data = surface.examples is not None
    runs = within_data(tuple(Run.of(e.optimizer, **e.values) for e in entries), surface, default=True)
    labels = [run_label(i + 1, r, lang, data=data) for i, r in enumerate(runs)]
    rows = [f"| {t(lang, 'race_rank')} | {t(lang, 'race_run')} | {t(lang, 'race_loss')} | {t(lang, 'race_tried')} |",
            "|---|---|---|---|"]
    told = []  # each optimizer's rank and final loss: the chart's text alternative
    losses = [readable(e.loss, "—") if e.spread is None else t(
        lang, "race_median", loss=readable(e.loss, "—"), seeds=SEEDS, low=readable(e.spread[0], "—"),
        high=readable(e.spread[1], "—")) for e in entries]
    places = shared_ranks(losses)
    ranked_names = [f"{places[i]}. {optimizer_name(lang, e.optimizer)}" for i, e in enumerate(entries)]  # the legend's
    for i, (e, label, loss) in enumerate(zip(entries, labels, losses)):
        name = label.split(" ", 1)[1].replace("|", "\\|")  # SGD's |B| inside a table cell
        told.append(t(lang, "race_alt_item", name=ranked_names[i], loss=loss))
        rows.append(f"| {places[i]} | {name} | {loss} | "
                    f"{t(lang, 'race_tried_value', searched=e.searched, diverged=e.diverged)} |")
    with st.container(key="race_table"):
        st.markdown("\n".join(rows))
    trajs = [compute(r.optimizer, spec, state.start_point, state.epochs, r.hyper, r.schedules) for r in runs]
    critical = critical_points(surface)
    landed = [optimizer_name(lang, e.optimizer) for e, traj in zip(entries, trajs) if landed_on_a_minimum(
        surface, traj.points[-1], critical)]
    if landed:
        st.caption(t(lang, "race_landed", names=t(lang, "list_separator").join(landed)))
    missing = [optimizer_name(lang, k) for k in OPTIMIZERS if k not in {e.optimizer for e in entries}]
    if missing:
        st.warning(t(lang, "race_all_diverged", names=t(lang, "list_separator").join(missing)),
                   icon=":material/warning:")
    paths = []
    for i, traj in enumerate(trajs):  # the legend names the rank and the optimizer; the table above has the settings
        paths.append(PathView(ranked_names[i], traj.points, run_colour(i), traj.losses))
    lines = contour(spec)
    plot(CHART_KEY, trajectory_figure(surface, grid(spec), paths, figure_labels(lang, surface), height=880,
                                      critical=critical, contour=lines, legend_columns=2),
         lang, chart_words(lang), contour_traces=background_traces(lines),
         description=t(lang, "titled_alt", title=t(lang, "race_title"), text=t(lang, "items_separator").join(told)))
    if runs:
        st.button(t(lang, "race_open", n=min(MAX_RUNS, len(runs))), key="race_open", on_click=open_in_explorer,
                  args=(tuple(runs[:MAX_RUNS]),))
