"""The drag preview's data: the paths at every slider stop are the core's, packed without losing
what a student sees, and the page holds one preview per slider the paths follow."""


import numpy as np
import pytest

from figures.trajectories import until_it_leaves
from figures.live import PREVIEW_POINTS, pack_paths, preview_epochs, unpack_paths, window
from optimizers import OPTIMIZERS, run
from surfaces import SURFACES
from tests.pages import chart, component_data
from tests.test_app import open_app, url


def previews(at) -> dict[str, dict]:
    """The drag previews on the page, by widget key, with their data."""
    found = {}
    for node in at.get("bidi_component") + at.get("BidiComponent"):
        if node.proto.component_name == "drag_preview":
            data = component_data(node.proto)
            found[data["key"]] = data
    return found


@pytest.mark.parametrize("epochs", [1, 20, 199, 200, 201, 400, 1000])
def test_long_paths_keep_every_kth_epoch_with_k_odd_and_the_last(epochs):
    kept = preview_epochs(epochs)
    assert kept[0] == 0 and kept[-1] == epochs
    assert len(kept) <= PREVIEW_POINTS + 2
    strides = set(np.diff(kept[:-1]).tolist()) or {1}
    assert len(strides) == 1
    stride = strides.pop()
    # odd: a path that flips side every epoch still flips in the preview
    assert stride == 1 or stride % 2 == 1


def test_packing_keeps_points_to_below_a_pixel_and_marks_missing_ones():
    bounds = ((-5.0, 5.0), (-3.0, 3.0))
    rng = np.random.default_rng(0)
    points = rng.uniform(-12, 12, size=(3, 21, 2))
    points[1, 15:] = np.nan  # a run that broke off
    back = unpack_paths(pack_paths(points, bounds))
    w = window(bounds)
    inside = (np.abs(points[..., 0] - w["cx"]) < 15) & (np.abs(points[..., 1] - w["cy"]) < 9)
    err = np.abs(back - points)[inside]
    assert err[:, 0].max() <= w["sx"] / 2 + 1e-12 and err[:, 1].max() <= w["sy"] / 2 + 1e-12
    assert w["sx"] < (10 / 1000)  # a step is far below a pixel of a 1000 px plot
    assert np.isnan(back[1, 15:]).all() and np.isfinite(back[1, :15]).all()
    # far off the plot (a blow-up) lands on the window's edge, still off the plot
    far = unpack_paths(pack_paths(np.array([[[1e30, -1e30]]]), bounds))
    assert far[0, 0, 0] > 5 and far[0, 0, 1] < -3


@pytest.mark.parametrize("key", [k for k, o in OPTIMIZERS.items() if any(p.live for p in o.hyperparameters)])
def test_every_live_slider_stops_at_valid_values(key):
    for p in OPTIMIZERS[key].hyperparameters:
        if p.live:
            stops = p.slider_values()
            assert len(stops) >= 20 and stops == sorted(stops)
            assert p.is_valid(stops).all()
            assert stops[0] == pytest.approx(p.slider[0]) and stops[-1] == pytest.approx(p.slider[1])


def test_the_default_page_previews_eta_with_the_cores_paths():
    at = open_app()
    found = previews(at)
    assert list(found) == ["run0.gd.lr"]
    control = found["run0.gd.lr"]
    assert control["chart"] == "contour" and control["log"]
    stops = control["values"]
    assert 0.4 in stops and 0.5 in stops and 0.6 in stops
    surface = SURFACES["quadratic"]
    paths = unpack_paths(control)
    for lr in (0.4, 0.5, 0.6):
        j = stops.index(lr)
        drawn, _ = until_it_leaves(run("gd", surface, epochs=20, lr=lr).points, surface.bounds)
        shown = np.isfinite(drawn).all(axis=-1)
        assert (np.isfinite(paths[j]).all(axis=-1) == shown).all()  # the same points drawn, as the plot draws them
        assert np.abs(paths[j][shown] - drawn[shown]).max() < 1e-3
        assert control["labels"][j] == f"1. Gradient descent η={lr:g}"
    # past η = 0.5 the path leaves the plot for good: the preview draws it to the edge, then no more
    left = paths[stops.index(0.6)]
    end = int(np.flatnonzero(np.isfinite(left).all(axis=-1))[-1])
    assert end < len(left) - 1 and abs(abs(left[end, 1]) - 3) < 1e-3
    # and says from which epoch on it has no current-epoch marker, as the ✕ of the release's figure says
    assert control["left"][stops.index(0.4)] is None and control["left"][stops.index(0.6)] == end


def test_the_3d_preview_says_where_each_stops_run_left_the_box_as_the_released_figure_marks_it():
    """The 3D preview kept a left run's marker on the last point inside the box at every later epoch, though
    the figure the release draws has none there: the preview now knows each stop's epoch of leaving."""
    at = open_app({"view3d": "1"})
    control = previews(at)["run0.gd.lr"]
    stops = control["values"]
    for lr in (0.4, 0.6, 0.9):
        released = open_app({"view3d": "1", "lr": str(lr)})
        marks = [t["customdata"][0] for t in chart(released)["figure"]["data"] if t.get("meta") == "left0"]
        assert control["left"][stops.index(lr)] == (marks[0] if marks else None)
    assert control["left"][stops.index(0.6)] is not None  # 0.6 leaves (η > 0.5 diverges on this surface)


def test_every_live_slider_that_is_shown_has_a_preview_and_hidden_ones_none():
    query = {"optimizer": "momentum", "lr": "0.1", "momentum": "0.9", "optimizer2": "adam", "lr2": "0.1",
             "optimizer3": "adadelta", "optimizer4": "rmsprop"}
    found = previews(open_app(query))
    assert set(found) == {"run0.momentum.lr", "run0.momentum.momentum", "run1.adam.lr", "run1.adam.beta1",
                          "run1.adam.beta2", "run2.adadelta.rho", "run2.adadelta.lr", "run3.rmsprop.lr",
                          "run3.rmsprop.gamma"}
    assert [found[k]["run"] for k in ("run0.momentum.momentum", "run1.adam.lr", "run3.rmsprop.gamma")] == [0, 1, 3]
    gamma = found["run0.momentum.momentum"]
    assert not gamma["log"] and len(gamma["values"]) == 101
    # an exercise that hides γ: no preview of it (its labels would give the value away)
    hidden = previews(open_app({**query, "hide": "momentum"}))
    assert "run0.momentum.momentum" not in hidden and "run0.momentum.lr" in hidden


def test_gammas_slider_stops_where_its_preview_does_at_round_hundredths_and_keeps_a_links_own_value():
    """γ was a plain slider in steps of 0.001: an arrow key moved it from 0.5 to 0.501, a path no one could tell
    from the last, and a held drag's preview (computed at 101 stops 0.00999 apart) showed values the release did
    not give. Now its stops are the preview's: 0, 0.01, …, 0.99, 0.999, and a link's own 0.123 besides."""
    at = open_app({"optimizer": "momentum", "lr": "0.1", "momentum": "0.5"})
    options = [float(v) for v in at.select_slider(key="run0.momentum.momentum").options]
    assert options[options.index(0.5) - 1:options.index(0.5) + 2] == [0.49, 0.5, 0.51]  # one arrow key: 0.01
    assert options[:2] == [0.0, 0.01] and options[-2:] == [0.99, 0.999] and len(options) == 101
    assert previews(at)["run0.momentum.momentum"]["values"] == options
    at.select_slider(key="run0.momentum.momentum").set_value(0.51).run()
    assert url(at)["momentum"] == "0.51"
    at = open_app({"optimizer": "momentum", "lr": "0.1", "momentum": "0.123"})
    gamma = at.select_slider(key="run0.momentum.momentum")
    assert gamma.value == 0.123 and 0.123 in [float(v) for v in gamma.options] and len(gamma.options) == 102


def test_a_preview_is_not_recomputed_when_its_own_slider_moves():
    at = open_app()
    before = previews(at)["run0.gd.lr"]
    at.select_slider(key="run0.gd.lr").set_value(0.6).run()
    assert any(m.value.endswith("Gradient descent η=0.6") for m in at.markdown)
    # the same element (so Streamlit sends it again only as a reference)
    assert previews(at)["run0.gd.lr"] == before
