"""The figure builders: valid Plotly specs, the right traces, a small payload."""

import base64

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from figures import (PathView, WeightCurve, contour_grid, effective_window, loss_figure, momentum_weights,
                     schedule_figure, trajectory_figure, weights_figure)
from figures.trajectories import (CONTOUR_SHADES, MAX_FRAMES, FitPanel, Labels, contour_lines, readable, readout,
                                  readout_parts)
from optimizers import OPTIMIZERS, Schedule, run
from optimizers.rules import fields
from surfaces import SURFACES
from surfaces.critical import critical_points


def array(values) -> np.ndarray:
    """A trace's values, decoded when they travel as a plotly.js typed array."""
    if isinstance(values, dict):
        dtypes = {"f8": np.float64, "f4": np.float32, "i4": np.int32, "i2": np.int16, "i1": np.int8}
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=dtypes[values["dtype"]])
    return np.asarray(values, dtype=float)


def validated(fig: go.Figure) -> go.Figure:
    """The builders skip Plotly's validation for speed; this checks every property once."""
    return go.Figure(fig.to_dict())


@pytest.mark.parametrize("key", list(SURFACES))
def test_contour_grid_is_float32_and_finite(key):
    x1, x2, z = contour_grid(SURFACES[key])
    assert x1.dtype == x2.dtype == z.dtype == np.float32
    assert z.shape == (len(x2), len(x1))
    assert np.isfinite(z).all()


def test_trajectory_figure_has_paths_minima_start_and_one_frame_per_epoch():
    surface = SURFACES["quadratic"]
    trajs = [run("gd", "quadratic", lr=0.4), run("gd", "quadratic", lr=0.6)]
    paths = [PathView("GD", trajs[0].points, "#d62728", trajs[0].losses),
             PathView("GD 0.6", trajs[1].points, "#1f77b4", trajs[1].losses)]
    fig = validated(trajectory_figure(surface, contour_grid(surface), paths, critical=critical_points(surface)))
    names = [t.name for t in fig.data]
    assert "GD" in names and "GD 0.6" in names and "global minimum" in names and "start" in names
    # the minimum and the start are drawn above the paths; the second run is dashed
    assert names.index("global minimum") > names.index("GD 0.6") and names.index("start") > names.index("GD 0.6")
    assert fig.data[names.index("GD 0.6")].line.dash == "dash"
    assert list(fig.layout.xaxis.range) == [-5.5, 2.5] and list(fig.layout.yaxis.range) == [-3.0, 3.0]
    assert fig.layout.yaxis.scaleanchor == "x"  # 8 by 6: one scale for both axes
    assert len(fig.frames) == 21 and len(fig.layout.sliders[0].steps) == 21
    last = fig.frames[-1].data[0]
    assert np.allclose([last.x[0], last.y[0]], paths[0].points[-1])
    assert np.allclose([last.x[1], last.y[1]], paths[1].points[-1])
    # the readout: each run's loss at that epoch, readable even after a blow-up
    assert fig.layout.sliders[0].steps[20].label == f"20<br>f: (1) {trajs[0].losses[20]:.4g}   (2) 5.60×10⁶"
    # and taken apart for the chart component, which lets the losses flow as many to a line as fit
    assert readout_parts(fig.layout.sliders[0].steps[20].label) == ("20", [f"(1) {trajs[0].losses[20]:.4g}",
                                                                           "(2) 5.60×10⁶"])


def test_a_readout_of_many_runs_comes_apart_into_every_runs_loss_in_order():
    """The race's 14 runs: Plotly's slider label holds two a line; the chart's readout gets each run's part."""
    paths = [PathView(f"run {i}", np.zeros((3, 2)), "#000000", np.full(3, float(i))) for i in range(1, 15)]
    head, parts = readout_parts(readout(2, paths, Labels()))
    assert head == "2" and parts == [f"({i}) {i}" for i in range(1, 15)]
    assert readout_parts(readout(2, paths[:1], Labels())) == ("2   f = 1", [])


def test_contour_lines_lie_on_level_sets_and_stay_during_play():
    surface = SURFACES["rosenbrock"]
    grid = contour_grid(surface)
    lines = contour_lines(grid)
    assert len(lines) == CONTOUR_SHADES
    x1, x2, z = grid
    middles = []
    for line in lines:
        xs, ys = array(line["x"]), array(line["y"])
        ok = np.isfinite(xs)
        # the log-coloured height, interpolated from the grid: a shade holds neighbouring levels
        i = np.clip(np.searchsorted(x1, xs[ok]) - 1, 0, len(x1) - 2)
        j = np.clip(np.searchsorted(x2, ys[ok]) - 1, 0, len(x2) - 2)
        heights = z[j, i]
        assert np.ptp(heights) < 0.4 * np.ptp(z)
        middles.append(np.median(heights))
    assert middles == sorted(middles)  # dark to light is low to high
    # scatter traces: Plotly's animation keeps them (a contour trace vanished while playing)
    assert all(line["type"] == "scatter" for line in lines)


def test_the_regression_fit_moves_with_the_same_slider():
    surface = SURFACES["regression"]
    traj = run("gd", surface, epochs=10, lr=0.1)
    path = PathView("GD", traj.points, "#000", traj.losses)
    fig = validated(trajectory_figure(surface, contour_grid(surface), [path],
                                      fit=FitPanel(surface.examples.x, surface.examples.y)))
    assert len(fig.layout.sliders) == 1
    b, w = traj.points[7]
    frame = fig.frames[7]
    line = frame.data[1]
    assert np.allclose(line.y, [b + w * surface.examples.x.min(), b + w * surface.examples.x.max()])
    assert fig.data[frame.traces[1]].xaxis == "x3"


def test_readable_numbers():
    assert readable(0.012345678, "diverged") == "0.01235"
    assert readable(5.6e6, "diverged") == "5.60×10⁶"
    assert readable(float("nan"), "diverged") == "diverged"
    assert readable(3e-7, "diverged") == "3.00×10⁻⁷"


def test_long_runs_animate_a_bounded_number_of_frames():
    surface = SURFACES["rosenbrock"]
    paths = [PathView("Adam", run("adam", "rosenbrock", epochs=1000, lr=0.05).points, "#d62728")]
    fig = validated(trajectory_figure(surface, contour_grid(surface), paths))
    assert len(fig.frames) == MAX_FRAMES + 1
    assert fig.frames[-1].name == "1000"


def test_payload_is_small_and_binary():
    surface = SURFACES["quadratic"]
    paths = [PathView(str(i), run("momentum", "quadratic", epochs=100, lr=0.1 * (i + 1)).points,
                      "#000") for i in range(4)]
    spec = pio.to_json(trajectory_figure(surface, contour_grid(surface), paths), validate=False)
    assert len(spec) < 150_000
    assert '"dtype":"f4"' in spec  # the grid travels as float32 binary


def test_loss_figure_is_log_and_drops_diverged_epochs():
    traj = run("gd", "quadratic", epochs=3000, lr=0.6)
    fig = validated(loss_figure([("GD", traj.losses, "#000")], 0.0, "f"))
    assert fig.layout.yaxis.type == "log"
    y = array(fig.data[0].y)
    assert np.isnan(y[-1]) and np.isfinite(y[:20]).all()


def test_loss_figure_never_plots_an_overflow():
    """Not even a finite loss near float's end: the network's diverged GD (1e300 at step 1090) gave the
    log axis the tick labels "Infinity^-NaN"."""
    losses = np.array([1.0, 10.0, 1e100, 1e300, np.inf, np.nan])
    y = array(validated(loss_figure([("blow-up", losses, "#000")], 0.0, "f")).data[0].y)
    assert np.isfinite(y[:3]).all() and np.isnan(y[3:]).all()


def test_schedule_figure_draws_the_value_used_at_each_epoch():
    table = Schedule("exponential", 0.4, decay=0.1).table(20)
    ramp = Schedule("linear", 0.5, final=0.9, ramp=10).table(20)
    fig = validated(schedule_figure([("1", table, "#d62728"), ("2", ramp, "#1f77b4")], "η"))
    assert [d.line.color for d in fig.data] == ["#d62728", "#1f77b4"]
    np.testing.assert_array_equal(array(fig.data[0].x), np.arange(1, 21))  # epoch t = 1 … T
    np.testing.assert_allclose(array(fig.data[0].y), 0.4 * 0.1 ** np.arange(20), rtol=1e-15)
    assert array(fig.data[1].y)[[0, 5, 10, 19]] == pytest.approx([0.5, 0.7, 0.9, 0.9])


def test_momentum_weights_follow_seed_002():
    assert momentum_weights(0.9, 3) == pytest.approx([1.0, 0.9, 0.81])
    assert momentum_weights(0.1, 3) == pytest.approx([1.0, 0.1, 0.01])
    assert effective_window(0.5) == 2 and effective_window(0.9) == pytest.approx(10)
    assert momentum_weights(0.9, 3, scale=0.1) == pytest.approx([0.1, 0.09, 0.081])  # damped by d = 0.9
    curves = [WeightCurve("1", 0.1, "#d62728"), WeightCurve("2", 0.9, "#1f77b4"), WeightCurve("3", 0.9, "#2ca02c"),
              WeightCurve("4", 0.9, "#ff7f0e", "β1", scale=0.1)]
    fig = validated(weights_figure(curves, "k", "w"))
    assert np.allclose(array(fig.data[0].y)[:3], [100, 10, 1]) and np.allclose(array(fig.data[1].y)[:3], [100, 90, 81])
    assert np.allclose(array(fig.data[3].y)[:3], [10, 9, 8.1])
    assert [d.line.color for d in fig.data] == ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e"]
    assert [d.line.dash for d in fig.data] == ["solid", "solid", "dash", "solid"]  # an equal curve stays visible
    # one window mark per distinct γ, in its run's colour
    assert [a.text for a in fig.layout.annotations] == ["1/(1−γ) = 1.11", "1/(1−γ) = 10"]
    assert [s.line.color for s in fig.layout.shapes] == ["#d62728", "#1f77b4"]
    # a teacher's trial: with 20 epochs the axis ran to k = 29, gradients from before the run began, unmarked
    fig = validated(weights_figure(curves, "k", "w", epochs=20, before="before the run"))
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(s.x0, s.x1) for s in shaded] == [(19.5, 29.5)] and fig.layout.annotations[-1].text == "before the run"
    assert not [s for s in validated(weights_figure(curves, "k", "w", epochs=30)).layout.shapes if s.type == "rect"]


@pytest.mark.parametrize("key", [k for k, o in OPTIMIZERS.items() if o.momentum])
def test_the_drawn_weights_are_those_of_the_update_rule(key):
    """Feed a rule one gradient at t = 1 and none after: v then holds that gradient's weight, epoch by epoch,
    which must be (1 − d)·γᵏ from the registry's `momentum` and `damping` (times η where v carries it)."""
    spec = OPTIMIZERS[key]
    values = {**spec.defaults, spec.momentum: 0.8, "lr": 0.5}
    if spec.damping and spec.damping != spec.momentum:
        values[spec.damping] = 0.3
    undamped = {**values, spec.damping: 0.0} if spec.damping and spec.damping != spec.momentum else values

    def v_after_impulse(hyper, epochs=6):
        h = spec.rule.prepare({k: np.asarray([v], dtype=float) for k, v in hyper.items()})
        x, state, seen = np.zeros((2, 1)), spec.rule.init(np.zeros((2, 1))), []
        for t in range(1, epochs + 1):
            x, state = spec.rule.update(x, state, lambda p, t=t: np.full_like(p, 1.0 if t == 1 else 0.0), t, h)
            seen.append(float(fields(state)[spec.velocity][0, 0]))
        return np.array(seen)

    v = v_after_impulse(values)
    scale = 1 - values[spec.damping] if spec.damping else 1.0
    assert np.allclose(v / v[0], momentum_weights(values[spec.momentum], len(v)))  # γᵏ
    if spec.damping != spec.momentum:  # momentum: v carries η; its first entry is (1 − d)·η
        assert v[0] == pytest.approx(scale * v_after_impulse(undamped)[0])
    else:  # Adam: v is an average of the gradients, (1 − β1)·g
        assert v[0] == pytest.approx(scale)


@pytest.mark.parametrize("optimizer, name, schedule", [
    ("momentum", "momentum", Schedule("linear", 0.5, final=0.9, ramp=10)),
    ("momentum", "momentum", Schedule("exponential", 0.9, decay=0.97)),
    ("adam", "beta1", Schedule("linear", 0.5, final=0.95, ramp=8)),
])
def test_scheduled_weights_are_the_velocitys_response_to_one_gradient(optimizer, name, schedule):
    """The weight of the gradient from k epochs back in v at the last epoch T: run the optimizer's
    own rule on a gradient that is 1 at epoch T − k and 0 elsewhere, with η = 1, and read v_T."""
    from figures import scheduled_weights
    from optimizers.engine import hyperparameter_values, hyperparameters_at

    epochs, spec = 15, OPTIMIZERS[optimizer]
    dampening = 0.3 if optimizer == "momentum" else None
    hyper = {"lr": 1.0, name: schedule, **({"dampening": dampening} if dampening is not None else {})}
    gammas = schedule.table(epochs)
    scales = 1 - gammas if spec.damping == spec.momentum else 1 - dampening
    weights = scheduled_weights(gammas, scales)
    assert len(weights) == epochs
    values = hyperparameter_values(spec, hyper, epochs)
    at = hyperparameters_at(spec.rule.prepare, {k: v if isinstance(v, Schedule) else np.asarray(v)
                                                  for k, v in values.items()}, epochs)
    for k in range(epochs):
        x, state = np.zeros((1, 1)), spec.rule.init(np.zeros((1, 1)))
        for t in range(1, epochs + 1):
            impulse = np.full((1, 1), 1.0 if t == epochs - k else 0.0)
            x, state = spec.rule.update(x, state, lambda point, g=impulse: g, t, at(t))
        assert fields(state)[spec.velocity][0, 0] == pytest.approx(weights[k], rel=1e-12, abs=1e-15)


def test_a_run_that_leaves_the_plot_for_good_is_drawn_to_the_edge_and_marked_where_and_when():
    """No barcode: GD at η = 0.6 on the quadratic swings ever wider in x2; it is drawn until its
    step out crosses the plot's edge, then not at all, and an × marks the crossing with its epoch."""
    from figures.trajectories import until_it_leaves

    surface = SURFACES["quadratic"]
    (a, b), (c, d) = surface.bounds
    diverging = run("gd", surface, lr=0.6)
    fig = validated(trajectory_figure(surface, contour_grid(surface),
                                      [PathView("GD 0.6", diverging.points, "#0072B2", diverging.losses)]))
    path = next(t for t in fig.data if t.meta == "path0")
    x, y = array(path.x), array(path.y)
    shown = np.isfinite(x) & np.isfinite(y)
    end = int(np.flatnonzero(shown)[-1])
    assert shown[:end + 1].all() and not shown[end + 1:].any()
    assert np.isclose(abs(y[end]), d) and a <= x[end] <= b  # on the edge, where its step out crossed it
    exit_mark = next(t for t in fig.data if t.meta == "left0")
    assert (exit_mark.x[0], exit_mark.y[0]) == (x[end], y[end]) and exit_mark.name == f"left the plot at epoch {end}"
    assert exit_mark.textfont.shadow == "auto"  # a white halo: its own dashed line runs through the label
    # a run that goes out and comes back, or stays, is drawn whole
    back = np.array([[0.0, 0.0], [0.0, 5.0], [0.0, 1.0]])
    assert until_it_leaves(back, surface.bounds)[1] is None
    converging = run("gd", surface, lr=0.4).points
    drawn, left = until_it_leaves(converging, surface.bounds)
    assert left is None and np.array_equal(drawn, converging)


def test_a_run_that_stops_where_a_typed_f_is_not_defined_ends_there_and_is_not_marked_as_leaving():
    """log(x1) from the default start: GD steps to (-0.95, 3) at epoch 2, where f is not defined, and stops
    (the page says so). The chart ends the path at that point; it drew an ✕ 'left the plot at epoch 3' at
    x1 = -5, along the last step, as if the run had flown off; the 3D view drew a point on the box's side."""
    from figures.trajectories import until_it_leaves
    from surfaces import from_formula

    surface = from_formula("log(x1)")
    stopped = run("gd", surface, lr=0.05, epochs=20)
    assert np.isfinite(stopped.points[2]).all() and np.isnan(stopped.points[3:]).all()
    fig = validated(trajectory_figure(surface, contour_grid(surface),
                                      [PathView("GD 0.05", stopped.points, "#0072B2", stopped.losses)]))
    assert not [t for t in fig.data if t.meta == "left0"]
    path = next(t for t in fig.data if t.meta == "path0")
    x, y = array(path.x), array(path.y)
    assert (x[2], y[2]) == pytest.approx((-0.95, 3.0)) and np.isnan(x[3:]).all()
    assert until_it_leaves(stopped.points, surface.bounds, stopped.losses)[1] is None
    assert until_it_leaves(stopped.points, surface.bounds)[1] == 3  # without the losses it cannot tell
    # in 3D the stop has no height: the path ends at the point before, not at an edge along the last step
    from figures.surface3d import heights, in_view

    shown = in_view(surface, stopped.points, stopped.losses, heights(surface)[-1])
    assert np.isfinite(shown[:2]).all() and np.isnan(shown[2:]).all()
    assert shown[1, :2] == pytest.approx(stopped.points[1])
    # its current-epoch dot: in 2D at the stop (epoch 2) and then not a number; in 3D gone from the stop on
    from figures.surface3d import surface3d_figure

    scene = go.Figure(surface3d_figure(surface, [PathView("GD 0.05", stopped.points, "#0072B2",
                                                          stopped.losses)]).to_dict())
    dots = {int(f.name): f.data[0] for f in scene.frames}
    assert dots[1].x[0] == pytest.approx(stopped.points[1, 0]) and dots[2].x[0] is None and dots[20].x[0] is None
    # and the epoch readout past the stop keeps saying 'not defined', not 'diverged'
    from figures.trajectories import Labels, readout

    view = [PathView("GD 0.05", stopped.points, "#0072B2", stopped.losses)]
    labels = Labels()
    assert [readout(k, view, labels) for k in (2, 3, 20)] == [f"{k}   f = {labels.undefined}" for k in (2, 3, 20)]


def test_the_loss_axis_labels_a_few_powers_of_ten_even_over_hundreds_of_decades():
    """A tick per decade over a run that reaches 1e-300 was 300 labels: the browser measured each one
    for seconds at every change (4 runs × 1000 epochs)."""
    from figures.losses import MAX_TICKS

    spans = {1e-300: 300, 1e-3: 3.0}
    for low, decades in spans.items():
        fig = validated(loss_figure([("1", np.geomspace(1.0, low, 1001), "#0072B2")], 0.0, "f"))
        dtick = fig.layout.yaxis.dtick
        assert dtick >= 1 and decades / dtick <= MAX_TICKS  # at most MAX_TICKS labels
    # one or two decades: Plotly labelled 2, 3, … 9 of each, a pile of digits on a phone; now 1, 2 and 5, each
    # written whole (Plotly's "D2" read 5, 2, 1, 5 from the top of an axis from 5 to 0.5)
    axis = validated(loss_figure([("1", np.geomspace(10.0, 0.5, 21), "#0072B2")], 0.0, "f")).layout.yaxis
    ticks = dict(zip(axis.tickvals, axis.ticktext))
    assert {v: ticks[v] for v in (0.5, 1, 2, 5, 10)} == {0.5: "0.5", 1: "1", 2: "2", 5: "5", 10: "10"}
    assert set(np.round(np.array(axis.tickvals) / 10.0 ** np.floor(np.log10(axis.tickvals)), 9)) == {1, 2, 5}
    small = validated(loss_figure([("1", np.geomspace(2e-6, 1e-7, 21), "#0072B2")], 0.0, "f")).layout.yaxis
    assert dict(zip(small.tickvals, small.ticktext))[5e-7] == "5×10⁻⁷"
    narrow = validated(loss_figure([("1", np.linspace(1.0, 0.5, 21), "#0072B2")], 0.0, "f"))
    assert narrow.layout.yaxis.dtick is None  # under half a decade: Plotly's own ticks


def test_tick_labels_are_not_measured_again_for_each_label_drawn():
    """Plotly's default ticklabeloverflow ("hide past div") measures every tick label again for each label it
    draws: 40-50 ms of a load of the explorer and of each redraw (Chromium's profile); the axes make room for
    their labels (automargin), so every 2D axis lets them be."""
    surface = SURFACES["quadratic"]
    traj = run("gd", "quadratic", lr=0.4)
    figures = [trajectory_figure(surface, contour_grid(surface), [PathView("GD", traj.points, "#d62728", traj.losses)]),
               loss_figure([("GD", traj.losses, "#d62728")], 0.0, "f", "epoch")]
    for fig in figures:
        layout = validated(fig).layout
        axes = [name for name in fig.to_dict()["layout"] if name.startswith(("xaxis", "yaxis"))]
        assert len(axes) >= 2 and all(layout[name].ticklabeloverflow == "allow" for name in axes), axes


def test_larger_text_scales_every_font_and_nothing_else_and_leaves_the_figure_as_it_was():
    from figures.spec import figure, larger_text

    spec = figure([dict(type="scatter", x=[0, 1], y=[1, 0], marker=dict(size=6), textfont=dict(size=14))],
                  dict(xaxis=dict(title=dict(text="x1")), legend=dict(x=0), height=400)).to_dict()
    big = larger_text(spec, 1.5)
    assert big["layout"]["font"]["size"] == 21 and big["layout"]["legend"]["font"]["size"] == 21
    assert big["layout"]["xaxis"]["tickfont"]["size"] == 21 and big["layout"]["xaxis"]["title"]["font"]["size"] == 22.5
    assert big["data"][0]["textfont"]["size"] == 21 and big["data"][0]["marker"]["size"] == 6  # a marker's is no font
    assert big["layout"]["height"] == 400 and spec["layout"]["font"]["size"] == 14  # the figure itself unchanged
