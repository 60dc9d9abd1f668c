"""Inside the optimizer: the vectors and curves are the core's own state, epoch by epoch."""

import numpy as np
import plotly.graph_objects as go
import pytest

from figures import PathView, contour_grid, trajectory_figure
from figures.surface3d import surface3d_figure
from optimizers import OPTIMIZERS, internals, run
from optimizers.engine import _batch
from optimizers.rules import fields
from surfaces import SURFACES
from tests.pages import charts, open_page
from ui import i18n

SETTINGS = {"gd": {"lr": 0.001}, "sgd": {"lr": 0.001}, "momentum": {"lr": 0.001, "momentum": 0.5, "dampening": 0.3},
            "nesterov": {"lr": 0.001, "momentum": 0.5}, "adagrad": {"lr": 0.4}, "rmsprop": {"lr": 0.1, "gamma": 0.9},
            "adadelta": {}, "adam": {"lr": 0.1},
            "radam": {"lr": 0.001}}  # settings that stay on Rosenbrock; a new optimizer: its defaults


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_the_vectors_are_the_rules_own_state_at_every_epoch(key):
    surface = SURFACES["rosenbrock"]
    inside = internals(key, surface, epochs=15, **SETTINGS.get(key, {}))
    traj = run(key, surface, epochs=15, **SETTINGS.get(key, {}))
    assert traj.diverged_at < 0 and np.array_equal(inside.points, traj.points)
    # the rule stepped by hand: its state after each step, and the gradient it read
    batch = _batch(key, surface, None, 15, SETTINGS.get(key, {}))
    rule = batch.optimizer.rule
    seen = []
    grad = batch.gradient

    def reading(x):
        seen.append(grad(x)[:, 0].copy())
        return seen[-1][:, None]

    reading.sample = lambda *a: (seen.append(grad.sample(*a)[:, 0].copy()), seen[-1][:, None])[1]
    for _, x, h in batch.blocks():
        state = rule.init(x)
        for t in range(1, 16):
            new, state = rule.update(x, state, reading, t, h(t))
            assert np.array_equal(inside.steps[t - 1], (new - x)[:, 0])
            for name, value in fields(state).items():
                assert np.array_equal(inside.state[name][t - 1], value[:, 0])
            x = new
    assert np.array_equal(inside.gradients, np.array(seen))
    assert set(inside.state) == set(fields(OPTIMIZERS[key].rule.init(np.zeros((2, 1)))))


def test_adagrad_slows_down_because_its_effective_rate_shrinks():
    inside = internals("adagrad", SURFACES["quadratic"], epochs=20, lr=0.4, eps=1e-6)
    rates = inside.effective_rates
    assert np.allclose(rates, 0.4 / np.sqrt(inside.state["s"] + 1e-6), rtol=1e-9)
    assert (np.diff(rates, axis=0) < 0).all()  # every epoch, on both coordinates


def test_rmsprop_at_gamma_one_never_learns_the_gradients_size_and_blows_up():
    inside = internals("rmsprop", SURFACES["quadratic"], epochs=20, lr=0.1, gamma=1.0, eps=1e-6)
    assert np.allclose(inside.state["s"], 0) and np.allclose(inside.effective_rates, 0.1 / np.sqrt(1e-6))
    lengths = np.linalg.norm(inside.steps, axis=1)
    assert lengths[-1] > 1e6 * lengths[0]


@pytest.mark.parametrize("view", ["2d", "3d"])
def test_the_arrows_at_each_epoch_start_at_the_runs_point_and_show_its_next_step(view):
    """In both views; in 3D each arrow lies level at the height of the run's point (its marker's)."""
    surface = SURFACES["quadratic"]
    inside = internals("adam", surface, epochs=20, lr=0.4)
    path = PathView("m", inside.points, "#1f77b4", run("adam", surface, lr=0.4).losses,
                    steps=inside.steps, gradients=inside.gradients, velocities=inside.state["v"])
    fig = go.Figure((trajectory_figure(surface, contour_grid(surface), [path]) if view == "2d" else
                     surface3d_figure(surface, [path])).to_dict())
    for k in (0, 7, 19):
        frame = next(f for f in fig.frames if f.name == str(k))
        step, downhill, against_v = frame.data[-3:]
        if view == "3d":
            height = frame.data[0].z[0]  # the run's marker
            assert all(np.allclose(arrow.z[:2], height) for arrow in (step, downhill, against_v))
        assert np.allclose([step.x[0], step.y[0]], inside.points[k])
        assert np.allclose([step.x[1], step.y[1]], inside.points[k + 1])
        direction = np.array([downhill.x[1] - downhill.x[0], downhill.y[1] - downhill.y[0]])
        g = inside.gradients[k]
        assert np.allclose(direction / np.linalg.norm(direction), -g / np.linalg.norm(g))
        assert np.isclose(np.linalg.norm(direction), np.linalg.norm(inside.steps[k]))
        v = np.array([against_v.x[1] - against_v.x[0], against_v.y[1] - against_v.y[0]])
        assert np.allclose(v / np.linalg.norm(v), -inside.state["v"][k] / np.linalg.norm(inside.state["v"][k]))


def test_a_run_off_the_plot_has_no_arrows_there_only_where_its_point_is_on_the_plot():
    """Momentum at η 2 leaves the plot at once; its arrows from x2 ≈ 527 were clipped into bars across the contour,
    with no point and no head (a teacher's trial); GD at η 0.4 beside it keeps its arrows at every epoch."""
    surface = SURFACES["quadratic"]
    paths = []
    for optimizer, lr in (("momentum", 2.0), ("gd", 0.4)):
        inside = internals(optimizer, surface, epochs=20, lr=lr)
        paths.append(PathView(optimizer, inside.points, "#1f77b4", run(optimizer, surface, lr=lr).losses,
                              steps=inside.steps, gradients=inside.gradients, velocities=inside.state.get("v")))
    fig = go.Figure(trajectory_figure(surface, contour_grid(surface), paths).to_dict())
    (a, b), (c, d) = surface.bounds
    out = [k for k in range(20) if not (a <= paths[0].points[k][0] <= b and c <= paths[0].points[k][1] <= d)]
    assert 0 < out[0] <= 3 and len(out) > 10  # it leaves early and for good
    for k in range(20):
        step = next(f for f in fig.frames if f.name == str(k)).data[-3]
        bases = [(x, y) for x, y in zip(step.x[0::3], step.y[0::3])]
        expected = [tuple(p.points[k]) for p in paths if (a <= p.points[k][0] <= b and c <= p.points[k][1] <= d)]
        assert np.allclose(bases, expected) and len(bases) == (1 if k in out else 2)


def test_the_page_shows_the_inside_when_asked_and_not_what_an_exercise_hides():
    at = open_page("explorer", {"vectors": "1", "optimizer": "adagrad", "optimizer2": "momentum"})
    assert "internals" in charts(at)
    assert any("The angle between them" in c.value for c in at.caption)
    hidden = open_page("explorer", {"vectors": "1", "hide": "lr"})
    assert "internals" not in charts(hidden)


ARROW_NAMES = {"next step", "−g", "−v"}


@pytest.mark.parametrize("view3d", ["0", "1"])
def test_an_exercise_draws_no_arrows_for_a_run_whose_values_it_hides(view3d):
    """The §7.4 exercise with η hidden: with the trail, each run's next-step arrow showed where it would be
    before the slider got there. A run whose values are shown keeps its arrows."""
    query = {"preset": "gd_vs_momentum", "vectors": "1", "view3d": view3d}
    at = open_page("explorer", {**query, "hide": "lr"})
    data = charts(at)["contour"]["figure"]["data"]
    assert not ARROW_NAMES & {trace.get("name") for trace in data}
    says = [c.value for c in at.caption if "arrow" in c.value.lower()]
    assert says == [i18n.t("en", "vectors_hidden", runs="1, 2, 3, 4")]
    at = open_page("explorer", {**query, "hide": "lr2"})  # only run 2's η is hidden
    data = charts(at)["contour"]["figure"]["data"]
    steps = next(trace for trace in data if trace.get("name") == "next step")
    drawn = sum(x is None for x in steps["x"])  # a gap after each run's arrow
    assert drawn == 3 and "internals" in charts(at)
    assert any(c.value == i18n.t("en", "vectors_hidden", runs="2") for c in at.caption)


def test_the_3d_view_draws_the_arrows_and_says_what_they_are():
    at = open_page("explorer", {"vectors": "1", "view3d": "1", "optimizer": "momentum"})
    names = [trace.get("name") for trace in charts(at)["contour"]["figure"]["data"]]
    assert {"next step", "−g", "−v"} <= set(names)
    assert any(c.value.startswith("Arrows from each run's point") for c in at.caption)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_the_registry_names_the_state_the_vectors_panel_reads(key):
    """The panel reads an entry's `velocity` field and, where `scaled`, its effective rates: they must
    be the rule's own state (a renamed field would silently drop a curve)."""
    spec = OPTIMIZERS[key]
    inside = internals(key, "quadratic", epochs=3)
    assert spec.velocity is None or spec.velocity in inside.state
    assert spec.scaled == bool({"s"} & set(inside.state))  # a per-coordinate scale is the squared gradients' s


def test_the_internals_log_axes_label_powers_of_ten_only():
    """On a phone, Plotly's 2 and 5 between the decades ran into each other and into the axis title."""
    for optimizer in ("momentum", "adagrad"):  # lengths over 2-3 decades (AdaGrad's rates over less: Plotly's own)
        at = open_page("explorer", {"vectors": "1", "optimizer": optimizer})
        assert charts(at)["internals"]["figure"]["layout"]["yaxis"]["dtick"] == 1
