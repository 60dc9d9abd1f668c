"""The paths every page draws, from the state's plain values: the core's calls, cached (their
arguments are plain and hashable, their results only read), and the figures' words. No Streamlit."""

from __future__ import annotations

import functools

import numpy as np

from figures import Labels, contour_grid
from figures.live import pack_heights, pack_paths
from figures.surface3d import heights, view_and_exit
from figures.trajectories import contour_lines, until_it_leaves
from optimizers import OPTIMIZERS, Trajectory, examples_per_step, internals, run
from optimizers.stability import Readout, error_components, readout
from ui.i18n import t
from ui.labels import axis_names, run_label
from ui.state import Run, resolve, run_hyper


def theory_of(run_: Run, surface, start) -> Readout | None:
    """On a quadratic, for a run without schedules: what the linear analysis says of it (the page's readout and
    the class's truth read the same)."""
    if not surface.is_quadratic or run_.varies:
        return None
    values = run_.values
    if examples_per_step(run_.optimizer, surface, **values) is not None and "batch_size" in values:
        values = {**values, "noise": 0.0}  # σ has no effect here: the theory of the full gradient's path
    return readout(run_.optimizer, values, surface.hessian_eigenvalues,
                   error_components(surface, start) if surface.minima else None)


# plain hashable arguments, results only read: an lru_cache, without cache_data's hashing and copies
@functools.lru_cache(maxsize=256)
def compute(optimizer: str, surface: tuple, start: tuple, epochs: int, hyper: tuple,
            schedules: tuple = ()) -> Trajectory:
    return run(optimizer, resolve(surface), start=start, epochs=epochs, **run_hyper(optimizer, hyper, schedules))


@functools.lru_cache(maxsize=64)
def inside_of(optimizer: str, surface: tuple, start: tuple, epochs: int, hyper: tuple, schedules: tuple = ()):
    """The run's gradient, step and the rule's state at every epoch (core.internals)."""
    return internals(optimizer, resolve(surface), start=start, epochs=epochs,
                     **run_hyper(optimizer, hyper, schedules))


@functools.lru_cache(maxsize=64)
def drag_paths(optimizer: str, surface: tuple, start: tuple, epochs: int, hyper: tuple, schedules: tuple,
               name: str, view3d: bool = False) -> dict:
    """The run's paths at every stop of `name`'s slider (its own value in `hyper` is not read, so a
    release on a new value finds them here), by one batched run(), packed for the browser; for the
    3D view, as it draws them, with their heights."""
    stops = OPTIMIZERS[optimizer].hyperparameter(name).slider_values()
    values = tuple((k, np.array(stops) if k == name else v) for k, v in hyper)
    surface_ = resolve(surface)
    traj = run(optimizer, surface_, start=start, epochs=epochs, **run_hyper(optimizer, values, schedules))
    # "left": the epoch each stop's run left the plot at (None: it did not), from which on it has no
    # current-epoch marker, as in the figure the release draws (its point there is on the edge)
    if not view3d:  # as the plot draws them: a run that leaves for good ends at the edge
        drawn, left = zip(*(until_it_leaves(p, surface_.bounds, f) for p, f in zip(traj.points, traj.losses)))
        return {"values": stops, "left": list(left), **pack_paths(np.stack(drawn), surface_.bounds)}
    *_, span = heights(surface_)  # once for all the stops' paths
    drawn, left = zip(*(view_and_exit(surface_, p, f, span) for p, f in zip(traj.points, traj.losses)))
    drawn = np.stack(drawn)
    return {"values": stops, "left": list(left), **pack_paths(drawn[..., :2], surface_.bounds),
            **pack_heights(drawn[..., 2], span)}


@functools.lru_cache(maxsize=256)
def drag_labels(n: int, run_: Run, name: str, values: tuple, lang: str, hidden: frozenset, data: bool) -> tuple:
    """Run n's legend label at each stop of `name`'s slider (`hidden`: the names an exercise hides): a
    family that did not change finds its 40 labels here."""
    return tuple(run_label(n, run_.with_value(name, v), lang, hidden.__contains__, data) for v in values)


@functools.lru_cache(maxsize=32)
def grid(surface: tuple):
    return contour_grid(resolve(surface))


@functools.lru_cache(maxsize=32)
def contour(surface: tuple) -> list[dict]:
    """The contour's traces, built once per surface (a path's change does not rebuild them)."""
    return contour_lines(grid(surface))


def figure_labels(lang: str, surface) -> Labels:
    kinds = ("global_minimum", "minimum", "saddle", "maximum")
    return Labels(start=t(lang, "start_legend"), epoch=t(lang, "epoch"), play=t(lang, "play"), pause=t(lang, "pause"),
                  step=t(lang, "arrow_step"), downhill=t(lang, "arrow_downhill"),
                  diverged=t(lang, "diverged_short"), left=t(lang, "left_plot"), undefined=t(lang, "undefined_short"),
                  data=t(lang, "fit_data"),
                  kinds=tuple((k, t(lang, "point_" + k)) for k in kinds), eigenvalues=t(lang, "eigenvalues"),
                  axes=axis_names(lang, surface))




def chart_words(lang: str, surface=None) -> dict:
    """The chart component's controls, in the page's language; with a `surface`, its axes' symbols (x1, x2; b, w),
    which name the point under the pointer on its plane."""
    words = {"epoch": t(lang, "epoch"), "play": t(lang, "play"), "pause": t(lang, "pause"),
             "back": t(lang, "step_back"), "forward": t(lang, "step_forward"), "speed": t(lang, "speed"),
             "trail": t(lang, "trail"), "png": t(lang, "chart_png"), "scene_keys": t(lang, "chart_scene_keys")}
    if surface is not None:
        words["axes"] = [name.split(" ")[0] for name in surface.axis_names]  # "b (intercept)": b
    return words
