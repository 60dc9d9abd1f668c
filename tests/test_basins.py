"""Basins of attraction: where each start's run ends, from one batched sweep over the starts."""

import numpy as np
import pytest

from optimizers import run
from optimizers.basins import DIVERGED, ELSEWHERE, TOL_SHARE, basins
from surfaces import SURFACES
from surfaces.critical import critical_points
from tests.pages import open_page


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
    assert lines[0].startswith("1. Gradient descent η=0.1: the global minimum from 15%")
    assert lines[1].startswith("2. Momentum η=0.1, γ=0.9: the global minimum from 83%")
    zh = open_page("basins", {"lang": "zh", "surface": "pits"})
    assert any("到达全局极小值点" in m.value for m in zh.markdown)
