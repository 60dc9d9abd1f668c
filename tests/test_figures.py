"""The figure builders: valid Plotly specs, the right traces, a small payload."""

import base64

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from figures import (PathView, WeightCurve, contour_grid, effective_window, loss_figure, momentum_weights,
                     trajectory_figure, weights_figure)
from figures.trajectories import MAX_FRAMES
from optimizers import OPTIMIZERS, run
from surfaces import SURFACES


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
    paths = [PathView("GD", run("gd", "quadratic", lr=0.4).points, "#d62728"),
             PathView("GD 0.6", run("gd", "quadratic", lr=0.6).points, "#1f77b4")]
    fig = validated(trajectory_figure(surface, contour_grid(surface), paths))
    names = [t.name for t in fig.data]
    assert "GD" in names and "GD 0.6" in names and "minimum" in names and "start" in names
    assert list(fig.layout.xaxis.range) == [-5.5, 2.5] and list(fig.layout.yaxis.range) == [-3.0, 3.0]
    assert len(fig.frames) == 21 and len(fig.layout.sliders[0].steps) == 21
    last = fig.frames[-1].data[0]
    assert np.allclose([last.x[0], last.y[0]], paths[0].points[-1])
    assert np.allclose([last.x[1], last.y[1]], paths[1].points[-1])


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
            seen.append(float(state.v[0, 0]))
        return np.array(seen)

    v = v_after_impulse(values)
    scale = 1 - values[spec.damping] if spec.damping else 1.0
    assert np.allclose(v / v[0], momentum_weights(values[spec.momentum], len(v)))  # γᵏ
    if spec.damping != spec.momentum:  # momentum: v carries η; its first entry is (1 − d)·η
        assert v[0] == pytest.approx(scale * v_after_impulse(undamped)[0])
    else:  # Adam: v is an average of the gradients, (1 − β1)·g
        assert v[0] == pytest.approx(scale)
