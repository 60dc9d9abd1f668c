"""Basins of attraction: where each start's run ends, from one batched sweep over the starts."""

import re
from pathlib import Path

import numpy as np
import pytest

from optimizers import run
from optimizers.basins import DIVERGED, ELSEWHERE, PENDING, TOL_SHARE, basins
from surfaces import SURFACES
from surfaces.critical import critical_points
from tests.pages import charts, open_page
from views.basins import CHART_KEY
from tests.test_figures import array
from ui.labels import surface_name


def minima(surface):
    points = [p for p in critical_points(surface) if p.kind in ("global_minimum", "minimum")]
    return np.array([(p.x1, p.x2) for p in points]), [p.kind for p in points]


def global_share(basin, kinds) -> float:
    return sum(basin.share(i) for i, kind in enumerate(kinds) if kind == "global_minimum")


def test_on_himmelblau_gd_at_a_small_eta_ends_in_one_of_the_four_minima_from_every_start():
    surface = SURFACES["himmelblau"]
    m, kinds = minima(surface)
    assert len(m) == 4 and kinds == ["global_minimum"] * 4
    basin = basins("gd", surface, m, size=60, epochs=200, lr=0.01)
    assert basin.share(ELSEWHERE) == 0 and basin.share(DIVERGED) == 0
    assert all(basin.share(i) > 0.1 for i in range(4))  # each minimum has a basin of its own
    # a start next to a minimum ends in it
    for i, (x, y) in enumerate(m):
        row, column = np.abs(basin.x2 - y).argmin(), np.abs(basin.x1 - x).argmin()
        assert basin.ends[row, column] == i


@pytest.mark.parametrize("optimizer,hyper", [("gd", {"lr": 0.1}), ("momentum", {"lr": 0.1, "momentum": 0.9}),
                                             ("adam", {"lr": 0.3})])
def test_the_batched_map_equals_run_from_sample_starts(optimizer, hyper):
    surface = SURFACES["pits"]
    m, _ = minima(surface)
    basin = basins(optimizer, surface, m, size=40, epochs=150, **hyper)
    (a, b), (c, d) = surface.bounds
    tol = TOL_SHARE * max(b - a, d - c)
    rng = np.random.default_rng(1)
    for row, column in rng.integers(0, 40, size=(25, 2)):
        traj = run(optimizer, surface, start=(basin.x1[column], basin.x2[row]), epochs=150, **hyper)
        end = traj.points[-1]
        distance = np.linalg.norm(m - end, axis=1)
        expected = DIVERGED if traj.diverged_at >= 0 else int(distance.argmin()) if distance.min() <= tol else ELSEWHERE
        assert basin.ends[row, column] == expected


def test_momentum_finds_the_global_minimum_of_the_pits_but_not_of_the_camel():
    """Seed 002 says momentum 'finds the global minimum'. From every start of the plot, at the
    surfaces' own η and γ = 0.9: on the valley with small pits it does from most starts where GD
    stops in a pit; on the six-hump camel it does barely more often than GD."""
    shares = {}
    for key in ("pits", "camel"):
        surface = SURFACES[key]
        m, kinds = minima(surface)
        for optimizer, hyper in (("gd", {}), ("momentum", {"momentum": 0.9})):
            basin = basins(optimizer, surface, m, size=60, epochs=200, lr=surface.lr, **hyper)
            shares[key, optimizer] = global_share(basin, kinds)
    assert shares["pits", "gd"] < 0.25 and shares["pits", "momentum"] > 0.75
    assert abs(shares["camel", "momentum"] - shares["camel", "gd"]) < 0.1


def test_the_page_shows_a_map_and_the_shares_for_every_run():
    at = open_page("basins", {"surface": "pits", "optimizer": "gd", "lr": "0.1", "optimizer2": "momentum",
                              "lr2": "0.1", "momentum2": "0.9", "basin_epochs": "200"})
    lines = [m.value for m in at.markdown if "global minimum from" in m.value]
    assert len(lines) == 2
    # each a paragraph, not a numbered list (its "1." escaped), and the map's text alternative says them too
    assert lines[0].startswith("1\\. Gradient descent η=0.1: the global minimum from 15%")
    assert lines[1].startswith("2\\. Momentum η=0.1, γ=0.9: the global minimum from 83%")
    described = charts(at)[CHART_KEY]["description"]
    assert all(line.replace("\\.", ".", 1) in described for line in lines), described
    zh = open_page("basins", {"lang": "zh", "surface": "pits"})
    assert any("到达全局极小值点" in m.value for m in zh.markdown)


def test_a_long_map_comes_in_pieces_that_join_into_the_whole_map_and_give_way_between_them(monkeypatch):
    """The page computes each run's map in pieces of rows of at most PIECE_WORK start-epochs, holding
    the one-heavy-job lock for a piece at a time (others' work goes on between them), with the
    maps so far for the progress picture; joined, the pieces are the map of one call, bit for bit;
    a map abandoned half-way goes on from where it stopped."""
    import views.basins as page
    from ui.kept import HEAVY, Kept
    from ui.state import Run, resolve

    monkeypatch.setattr(page, "SIZE", 30)
    monkeypatch.setattr(page, "PIECE_WORK", 30 * 8 * 100)  # 8 rows a piece at 100 epochs: 4 pieces a run
    monkeypatch.setattr(page, "PIECES", Kept(100))
    spec = ("himmelblau", None, None)
    runs = (Run.of("gd", lr=0.01), Run.of("momentum", lr=0.01, momentum=0.9))
    heard = []

    def progress(done, total, so_far):
        assert not HEAVY.locked()  # between two pieces, the lock is free
        heard.append((done, total, [float((m.ends != PENDING).mean()) for m in so_far]))

    maps = page.basin_maps(runs, spec, 100, progress)
    assert [(d, t) for d, t, _ in heard] == [(i, 8) for i in range(1, 8)]
    assert heard[0][2] == [8 / 30] and heard[4][2] == [1.0, 8 / 30]  # the rows so far, run by run
    surface = resolve(spec)
    m, _ = minima(surface)
    for r, basin in zip(runs, maps):
        whole = basins(r.optimizer, surface, m, size=30, epochs=100, **r.values)
        assert np.array_equal(basin.ends, whole.ends) and PENDING not in basin.ends

    class Moved(Exception):
        pass

    def stop_after_two(done, total, so_far):
        if done == 2:
            raise Moved

    computed = []
    real = page.basins
    monkeypatch.setattr(page, "basins", lambda *a, **k: computed.append(k["rows"]) or real(*a, **k))
    others = (Run.of("gd", lr=0.02), Run.of("momentum", lr=0.02, momentum=0.9))
    with pytest.raises(Moved):
        page.basin_maps(others, spec, 100, stop_after_two)
    assert len(computed) == 2
    page.basin_maps(others, spec, 100)
    assert len(computed) == 8  # the two pieces done were kept


def test_the_basins_figure_leaves_rows_not_yet_computed_blank():
    from figures.basins import basins_figure

    surface = SURFACES["himmelblau"]
    m, kinds = minima(surface)
    piece = basins("gd", surface, m, size=20, epochs=50, rows=(0, 5), lr=0.01)
    assert (piece.ends[5:] == PENDING).all() and (piece.ends[:5] != PENDING).all()
    z = array(basins_figure([("1", piece)], kinds).to_dict()["data"][0]["z"]).reshape(20, 20)
    assert np.isnan(z[5:]).all() and np.isfinite(z[:5]).all()


def test_the_readmes_shares_on_the_pits_say_how_long_gd_was_given():
    """README: 83% against GD's 15% after 200 epochs, 27% of GD's starts still crawling; 43% after 1,000."""
    surface = SURFACES["pits"]
    m = np.array(surface.minima)
    momentum = basins("momentum", surface, m, epochs=200, lr=surface.lr, momentum=0.9)
    gd = basins("gd", surface, m, epochs=200, lr=surface.lr)
    longer = basins("gd", surface, m, epochs=1000, lr=surface.lr)
    assert round(100 * momentum.share(0)) == 83 and round(100 * gd.share(0)) == 15
    assert round(100 * gd.share(ELSEWHERE)) == 27 and longer.share(ELSEWHERE) == 0
    assert round(100 * longer.share(0)) == 43
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "83% of starts against GD's 15% after 200 epochs, when 27% of" in readme and "GD's share is 43%" in readme


@pytest.mark.parametrize("lang, says", [("en", "the whole plot is one basin"), ("zh", "整幅图是一个吸引域")])
def test_a_one_minimum_surface_says_why_its_map_is_one_colour_and_names_surfaces_whose_basins_part(lang, says):
    at = open_page("basins", {"lang": lang})  # the default quadratic: one minimum, reached from every start
    note = [i.value for i in at.info if says in i.value]
    assert len(note) == 1 and surface_name(lang, "himmelblau") in note[0] and surface_name(lang, "bowl") not in note[0]
    parted = open_page("basins", {"lang": lang, "surface": "himmelblau", "lr": "0.01"})
    assert not [i.value for i in parted.info if says in i.value]


def test_side_by_side_panels_share_the_left_ones_x2_labels_so_that_none_overlaps_its_neighbour():
    from figures.basins import basins_figure

    surface = SURFACES["himmelblau"]
    m, kinds = minima(surface)
    piece = basins("gd", surface, m, size=10, epochs=20, lr=0.01)
    layout = basins_figure([("1", piece), ("2", piece), ("3", piece)], kinds).to_dict()["layout"]
    assert [layout[k]["showticklabels"] for k in ("yaxis", "yaxis2", "yaxis3")] == [True, False, True]
    assert layout["yaxis2"]["title"]["text"] == "" and layout["yaxis3"]["title"]["text"] == "x2"


def test_several_global_minima_have_basins_of_their_own_colours():
    """Himmelblau's four minima are all global: one colour each, or its map would be one gold square."""
    from figures.basins import GLOBAL_COLOUR, minimum_colours

    _, kinds = minima(SURFACES["himmelblau"])
    colours = minimum_colours(kinds)
    assert kinds == ["global_minimum"] * 4 and len(set(colours)) == 4 and colours[0] == GLOBAL_COLOUR
    assert minimum_colours(["minimum", "global_minimum", "minimum"])[1] == GLOBAL_COLOUR


@pytest.mark.parametrize("lang, says", [("en", "The global minima, each: "), ("zh", "各个全局极小值点：")])
def test_the_summary_splits_the_starts_between_several_global_minima(lang, says):
    at = open_page("basins", {"lang": lang, "surface": "himmelblau", "lr": "0.01", "basin_epochs": "100"})
    lines = [m.value for m in at.markdown if says in m.value]
    assert len(lines) == 1
    split = lines[0].split(says)[1]
    assert split.startswith("(3.00, 2.00) ")  # each minimum by its place, in the legend's order
    shares = [float(p) for p in re.findall(r"\) (\d+)%", split)]
    assert len(shares) == 4 and all(s > 5 for s in shares) and abs(sum(shares) - 100) <= 4  # GD reaches all four


def test_on_many_minima_the_pointer_names_the_minimum_a_start_ends_in_and_the_legend_says_so():
    """Rastrigin's local minima share eight colours; the legend had one swatch for them all, so the pointer
    names the minimum (or diverged, elsewhere) of the start under it: the map's own verdict at that start."""
    from figures.basins import BasinLabels, basins_figure

    surface = SURFACES["rastrigin"]
    m, kinds = minima(surface)
    assert len(kinds) > 8
    basin = basins("gd", surface, m, size=30, epochs=100, lr=0.002)
    data = basins_figure([("1", basin)], kinds).to_dict()["data"]
    click = next(trace for trace in data if trace.get("name") == "click")
    x, y = array(click["x"]), array(click["y"])
    for j in range(0, len(x), 97):
        row, column = np.abs(basin.x2 - y[j]).argmin(), np.abs(basin.x1 - x[j]).argmin()
        end = int(basin.ends[row, column])
        if end >= 0:
            kind = "global minimum" if kinds[end] == "global_minimum" else "local minimum"
            assert click["text"][j] == f"{kind} ({m[end][0] + 0.0:.2f}, {m[end][1] + 0.0:.2f})"
        else:
            assert click["text"][j] == ("diverged" if end == DIVERGED else "elsewhere")
    legend = [trace["name"] for trace in data if trace.get("showlegend")]
    assert BasinLabels().minima in legend and len(legend) == 4



def test_on_rastrigin_gd_settles_in_a_listed_minimum_from_almost_every_start():
    """Its lesson: GD at η 0.002 settles into the minimum nearest its start. A teacher's trial found 49% of the map
    'elsewhere': the runs that settled at (0, ±2), (±1, 0)… ended at minima the critical points had missed."""
    surface = SURFACES["rastrigin"]
    m, kinds = minima(surface)
    assert len(kinds) == 121  # the 11 × 11 grid of minima inside ±5.12
    basin = basins("gd", surface, m, size=40, epochs=200, lr=surface.lr)
    assert basin.share(ELSEWHERE) < 0.02 and basin.share(DIVERGED) == 0

def test_a_run_that_stops_where_a_typed_f_is_undefined_ends_elsewhere_not_diverged():
    """(x1-1)^2 + x2^2 + log(x1+3) has no f left of x1 = -3: the explorer says a run stepping there stops and did
    not blow up, and one starting there takes no step. The map coloured both black, 'diverged'."""
    from surfaces.formula import from_formula
    from surfaces.surface import undefined_at

    surface = from_formula("(x1-1)^2+x2^2+log(x1+3)")
    m, _ = minima(surface)
    basin = basins("gd", surface, m, size=30, epochs=50, lr=0.9)
    (a, b), (c, d) = surface.bounds
    tol = TOL_SHARE * max(b - a, d - c)
    stopped = 0
    for row in range(0, 30, 3):
        for column in range(30):
            traj = run("gd", surface, start=(basin.x1[column], basin.x2[row]), epochs=50, lr=0.9)
            stops = undefined_at(traj.points, traj.losses, surface.divergence_bound).any()
            stopped += stops
            distance = np.linalg.norm(m - traj.points[-1], axis=1)
            expected = (ELSEWHERE if stops else DIVERGED if traj.diverged_at >= 0
                        else int(distance.argmin()) if distance.min() <= tol else ELSEWHERE)
            assert basin.ends[row, column] == expected, (row, column)
    assert stopped > 50  # the starts left of x1 = -3, and some that overshoot at η = 0.9
    assert not (basin.ends[:, basin.x1 < -3] == DIVERGED).any()


@pytest.mark.parametrize("runs", [1, 2, 3])
def test_the_maps_are_drawn_at_equal_scales_as_the_explorer_draws_the_surface_with_each_title_over_its_map(runs):
    """One run's Himmelblau map (−5..5 both ways) filled the page's width at 470 px high: its basins stretched 2.5
    to 1 beside the explorer's contour of the same surface."""
    query = {"surface": "himmelblau", **{f"optimizer{i + 1}": "momentum" for i in range(1, runs)}}
    layout = charts(open_page("basins", query))[CHART_KEY]["figure"]["layout"]
    for k in range(runs):
        key = "" if k == 0 else str(k + 1)
        assert layout["yaxis" + key]["scaleanchor"] == f"x{key}" and layout["yaxis" + key]["scaleratio"] == 1
        title = layout["annotations"][k]
        assert (title["xref"], title["yref"], title["x"], title["y"]) == (f"x{key} domain", f"y{key} domain", 0, 1)
