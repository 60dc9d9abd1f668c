"""The basins of attraction page: for every run of the explorer, which minimum it ends in from each
start over the plot (one batched sweep over the starts), side by side; a click opens the explorer
from that start. It answers seed 002's "momentum finds the global minimum" with the shares."""

from __future__ import annotations

from functools import cache

import numpy as np
import streamlit as st

from figures.basins import BasinLabels, basins_figure
from optimizers.basins import DIVERGED, ELSEWHERE, PENDING, BasinMap, basins, start_grid
from optimizers.maps import row_pieces
from surfaces import SURFACES
from surfaces.critical import critical_points
from ui import session
from ui.chart import clicked_point, plot
from ui.i18n import t
from ui.kept import Kept, in_pieces
from ui.labels import axis_names, not_a_list, run_label, run_title, surface_name
from ui.results import SENTENCE_GAP
from ui.state import resolve, run_hyper, surface_of, surface_spec

SIZE = 150  # starts per axis
CHART_KEY = "basins"
PIECE_WORK = 1_000_000  # start-epochs per piece, as the stability map's
PIECES = Kept(512)  # pieces of maps: a map abandoned half-way goes on from where it stopped


def minima_of(surface) -> tuple[list[tuple[float, float]], list[str]]:
    points = [p for p in critical_points(surface) if p.kind in ("global_minimum", "minimum")]
    return [(p.x1, p.x2) for p in points], [p.kind for p in points]


@cache
def with_several_minima() -> tuple[str, ...]:
    """The registry's surfaces whose basins part (more than one minimum in the plot)."""
    return tuple(key for key, surface in SURFACES.items() if len(minima_of(surface)[1]) > 1)


def basin_maps(runs: tuple, spec: tuple, epochs: int, progress=lambda done, total, so_far: None) -> list[BasinMap]:
    """Every run's map, in pieces of rows of at most PIECE_WORK start-epochs (about half a second
    on the costliest formula allowed); `progress` hears of each piece computed with the maps so far."""
    surface = resolve(spec)
    minima, _ = minima_of(surface)
    x1, x2, _ = start_grid(surface.bounds, SIZE)
    rows = row_pieces(SIZE, SIZE, epochs, PIECE_WORK)

    def compute(key):  # only the piece's own rows are kept: a whole map per piece would be 180 kB
        optimizer, _, _, hyper, schedules, size, (lo, hi) = key
        piece = basins(optimizer, surface, minima, size=size, epochs=epochs, rows=(lo, hi),
                       **run_hyper(optimizer, hyper, schedules))
        return piece.ends[lo:hi].copy()

    def maps(pieces):  # each run's rows so far, the rows to come PENDING
        out = []
        for i in range(0, len(pieces), len(rows)):
            ends = np.full((SIZE, SIZE), PENDING)
            for (lo, hi), piece in zip(rows, pieces[i:i + len(rows)]):
                ends[lo:hi] = piece
            out.append(BasinMap(x1, x2, ends, np.reshape(np.asarray(minima, dtype=float), (-1, 2))))
        return out

    keys = [(r.optimizer, spec, epochs, r.hyper, r.schedules, SIZE, piece) for r in runs for piece in rows]
    return maps(in_pieces(PIECES, keys, compute, lambda done, total, so_far: progress(done, total, maps(so_far))))


def summary(label: str, basin: BasinMap, kinds: list[str], lang: str) -> str:
    globals_ = [i for i, kind in enumerate(kinds) if kind == "global_minimum"]
    global_share = sum(basin.share(i) for i in globals_)
    local_share = sum(basin.share(i) for i, kind in enumerate(kinds) if kind != "global_minimum")
    text = t(lang, "basins_summary", label=label, global_share=100 * global_share, local_share=100 * local_share,
             diverged=100 * basin.share(DIVERGED), elsewhere=100 * basin.share(ELSEWHERE))
    if len(globals_) > 1:  # several global minima (Himmelblau's four): how the starts split between them
        parts = t(lang, "items_separator").join(
            f"({basin.minima[i][0] + 0.0:.2f}, {basin.minima[i][1] + 0.0:.2f}) {100 * basin.share(i):.0f}%"
            for i in globals_)
        text += " " + t(lang, "basins_split", parts=parts)
    return text


def _clicked() -> None:
    """A click on a start: the explorer, from there, for the epochs that coloured it (its run, as the map has it)."""
    point = clicked_point(CHART_KEY)
    if point:
        session.update(x1=round(point[0], 4), x2=round(point[1], 4), epochs=session.state().basin_epochs)
        session.open_explorer()


def render() -> None:
    state = session.state()
    lang = state.lang
    surface = surface_of(state)
    spec = surface_spec(state)
    st.title(t(lang, "basins_title"))
    st.caption(t(lang, "basins_caption", n=SIZE, epochs=state.basin_epochs))
    session.control("basin_epochs", t(lang, "basin_epochs"))
    _, kinds = minima_of(surface)
    if not kinds:
        st.info(t(lang, "basins_no_minima"), icon=":material/info:")
    data = surface.examples is not None
    labels = [run_label(i + 1, r, lang, state.hidden_in(i), data) for i, r in enumerate(state.runs)]
    titles = [run_title(i + 1, r, lang, state.hidden_in(i)) for i, r in enumerate(state.runs)]  # two fit a phone
    words = BasinLabels(global_minimum=t(lang, "point_global_minimum"), minimum=t(lang, "point_minimum"),
                        minima=t(lang, "basin_minima"), diverged=t(lang, "basin_diverged"),
                        elsewhere=t(lang, "basin_elsewhere"))
    axes = axis_names(lang, surface)
    shown = session.Progress()

    def progress(done, total, so_far):
        shown.show(done / total, t(lang, "basins_progress", done=done, total=total),
                   lambda: basins_figure(list(zip(titles, so_far)), kinds, words, axes), f"basins_partial_{done}")

    maps = basin_maps(state.runs, spec, state.basin_epochs, progress)
    shown.clear()
    summaries = [summary(label, basin, kinds, lang) for label, basin in zip(labels, maps)]
    title = t(lang, "basins_title")
    plot(CHART_KEY, basins_figure(list(zip(titles, maps)), kinds, words, axes), lang, clickable=True,
         on_click=_clicked, title=title, keys_from=state.start_point,
         description=t(lang, "titled_alt", title=title, text=SENTENCE_GAP[lang].join(summaries)))  # each a sentence
    for text in summaries:
        st.markdown(not_a_list(text))
    if len(kinds) == 1 and all(basin.share(0) > 0.99 for basin in maps):  # one solid square: say why
        names = t(lang, "list_separator").join(surface_name(lang, key) for key in with_several_minima())
        st.info(t(lang, "basins_one", names=names), icon=":material/info:")
