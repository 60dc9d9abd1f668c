"""The 3D view: the same paths as the contour, at the height of their loss, moved by the same epochs."""

import numpy as np
import plotly.graph_objects as go
import pytest

from figures import PathView, contour_grid, trajectory_figure
from figures.surface3d import heights, surface3d_figure, view_and_exit
from figures.trajectories import until_it_leaves
from optimizers import run
from surfaces import SURFACES
from tests.pages import chart, open_page
from tests.test_figures import array


def paths_of(surface, runs):
    out = []
    for i, (optimizer, hyper) in enumerate(runs):
        traj = run(optimizer, surface, epochs=30, **hyper)
        out.append(PathView(f"run {i}", traj.points, "#d62728", traj.losses))
    return out


def test_the_3d_figure_has_the_contours_paths_at_their_losses():
    surface = SURFACES["himmelblau"]
    paths = paths_of(surface, [("gd", {"lr": 0.01}), ("momentum", {"lr": 0.01, "momentum": 0.9})])
    flat = go.Figure(trajectory_figure(surface, contour_grid(surface), paths).to_dict())
    deep = go.Figure(surface3d_figure(surface, paths).to_dict())
    for i, path in enumerate(paths):
        two = next(t for t in flat.data if t.meta == f"path{i}")
        three = next(t for t in deep.data if t.meta == f"path{i}")
        assert np.array_equal(array(two.x), array(three.x)) and np.array_equal(array(two.y), array(three.y))
        # the height is the loss (within the surface's drawn range), a hair above the surface
        *_, (low, high) = heights(surface)
        assert np.allclose(array(three.z), np.clip(path.losses, low, high) + 0.01 * (high - low), rtol=1e-6)
    # the frames move each run's marker to its point at that epoch
    frame = next(f for f in deep.frames if f.name == "10")
    assert np.allclose(frame.data[0].x, [p.points[10, 0] for p in paths])
    assert np.allclose(frame.data[0].y, [p.points[10, 1] for p in paths])


@pytest.mark.parametrize("lr", [0.6, 5.0])  # diverges: slowly, and at once (to inf, then NaN)
def test_a_run_that_leaves_the_box_leaves_it_along_its_last_step_and_is_not_drawn_after(lr):
    surface = SURFACES["quadratic"]
    paths = paths_of(surface, [("gd", {"lr": lr})])
    deep = go.Figure(surface3d_figure(surface, paths).to_dict())
    path = next(t for t in deep.data if t.meta == "path0")
    xyz = np.column_stack([array(path.x), array(path.y), array(path.z)])
    (a, b), (c, d) = surface.bounds
    low, high = np.array([a, c, deep.layout.scene.zaxis.range[0]]), np.array([b, d, deep.layout.scene.zaxis.range[1]])
    shown = np.isfinite(xyz).all(axis=1)
    end = int(np.flatnonzero(shown)[-1])
    assert shown[:end + 1].all() and not shown[end + 1:].any() and end < len(xyz) - 1  # then nothing
    assert ((xyz[:end + 1] >= low - 1e-9) & (xyz[:end + 1] <= high + 1e-9)).all()  # all inside the box
    assert np.isclose(xyz[end], low).any() or np.isclose(xyz[end], high).any()  # the last point is on a side
    # on the line of the run's last step inside: no flat line along the top
    lift = xyz[0, 2] - paths[0].losses[0]
    true = np.column_stack([paths[0].points, paths[0].losses + lift])
    direction = true[end] - true[end - 1] if np.isfinite(true[end]).all() else true[end - 1] - true[end - 2]
    cross = np.cross(xyz[end] - true[end - 1], direction)
    assert np.allclose(cross, 0, atol=1e-6 * np.linalg.norm(direction) * np.linalg.norm(xyz[end] - true[end - 1]))
    # a later epoch has no marker: the run is gone, as in the 2D view (its ✕ marks where it left)
    frame = deep.frames[-1]
    assert [frame.data[0].x[0], frame.data[0].y[0], frame.data[0].z[0]] == [None] * 3


def test_the_3d_view_marks_where_and_when_a_run_left_the_box_as_the_2d_view_does():
    """GD at η = 0.6 on the quadratic: the 2D chart ends its path at the edge with an ✕ 'left the plot at epoch
    k'; the 3D view ended the path on the box's side with no mark, so a student switching views lost the
    epoch. Its step out crosses the box's top, at the epoch the 2D view names."""
    surface = SURFACES["quadratic"]
    (a, b), (c, d) = surface.bounds
    diverging = run("gd", surface, lr=0.6)
    left = until_it_leaves(diverging.points, surface.bounds)[1]
    xyz, left3d = view_and_exit(surface, diverging.points, diverging.losses, heights(surface)[-1])
    assert left3d == left == 2
    view = [PathView("GD 0.6", diverging.points, "#0072B2", diverging.losses)]
    fig = go.Figure(surface3d_figure(surface, view).to_dict())
    mark = next(t for t in fig.data if t.meta == "left0")
    path = next(t for t in fig.data if t.meta == "path0")
    assert mark.name == f"left the plot at epoch {left}" and list(mark.customdata) == [left]
    assert mark.legendgroup == path.legendgroup  # hidden with its run from the legend
    assert (mark.x[0], mark.y[0], mark.z[0]) == pytest.approx(tuple(xyz[left]))
    assert a <= mark.x[0] <= b and c <= mark.y[0] <= d  # over the plot, at the top of the box: it flew up
    assert mark.z[0] == pytest.approx(fig.layout.scene.zaxis.range[1])
    # its current-epoch dot goes with it, as in 2D (where the dot is off the plot): none from that epoch on
    dots = {int(f.name): f.data[0] for f in fig.frames}
    assert (dots[left - 1].x[0], dots[left - 1].y[0]) == pytest.approx(tuple(diverging.points[left - 1]))
    assert all(dots[k].x[0] is None and dots[k].z[0] is None for k in dots if k >= left)
    # a run that stays in the box has no mark
    stays = run("gd", surface, lr=0.4)
    view = [PathView("GD 0.4", stays.points, "#0072B2", stays.losses)]
    fig = go.Figure(surface3d_figure(surface, view).to_dict())
    assert not [t for t in fig.data if t.meta == "left0"]


def test_view3d_in_the_link_opens_the_3d_view_and_the_toggle_goes_back():
    at = open_page("explorer", {"view3d": "1", "surface": "himmelblau"})
    kinds = {t["type"] for t in chart(at)["figure"]["data"]}
    assert "scatter3d" in kinds and not chart(at)["clickable"]  # the 3D view: its start is set by no click
    at.toggle(key="view3d").set_value(False).run()
    kinds = {t["type"] for t in chart(at)["figure"]["data"]}
    assert "scatter3d" not in kinds and chart(at)["clickable"]


def test_the_3d_axes_keep_few_labels_and_a_deeper_box_is_seen_from_further_back():
    """The regression's box is deeper than wide: Plotly put a label per unit on f (16 of them piled up on a
    phone) and its near corner, with 'b (intercept)', was cut off."""
    def scene(key):
        surface = SURFACES[key]
        return go.Figure(surface3d_figure(surface, paths_of(surface, [("gd", {"lr": 0.1})])).to_dict()).layout.scene

    square, deep = scene("quadratic"), scene("regression")
    for axis in (deep.xaxis, deep.yaxis, deep.zaxis):
        assert axis.nticks <= 6
    assert deep.aspectratio.y > deep.aspectratio.x == square.aspectratio.x > square.aspectratio.y
    assert deep.camera.eye.x / square.camera.eye.x == pytest.approx(deep.aspectratio.y / deep.aspectratio.x)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_3d_view_marks_and_names_the_minima_and_the_start_as_the_2d_view_does(lang):
    """The 3D legend listed the runs only: no minimum and no start on the surface, which the 2D view marks."""
    from surfaces.critical import critical_points

    at = open_page("explorer", {"lang": lang, "surface": "himmelblau", "view3d": "1"})
    data = chart(at)["figure"]["data"]
    names = {"en": ("global minimum", "start"), "zh": ("全局极小值点", "初始点")}[lang]
    minima = next(t for t in data if t.get("name") == names[0])
    start = next(t for t in data if t.get("name") == names[1])
    surface = SURFACES["himmelblau"]
    expected = sorted((p.x1, p.x2) for p in critical_points(surface) if p.kind == "global_minimum")
    shown = sorted(zip(array(minima["x"]), array(minima["y"])))
    assert len(expected) == 4 and np.allclose(shown, expected)
    low, high = heights(surface)[3]
    assert np.all(array(minima["z"]) >= low)  # on the surface (a hair above), not under it
    begin = surface.start
    assert (array(start["x"])[0], array(start["y"])[0]) == pytest.approx(begin)
    assert array(start["z"])[0] == pytest.approx(float(surface.f(*begin)) + 0.01 * (high - low))
