"""The stability map and its theory: boundaries, agreement with run(), spectral radii, the page."""

import base64
import re

import numpy as np
import pytest

from figures.stability_map import FONT, MapLabels, log_ticks, outcome_figure, plain_number, rate_figure
from optimizers import OPTIMIZERS, run, sweep
from optimizers.maps import (CONVERGING, DIVERGED, GROWING, default_lr_range, outcome_map, second_axis,
                            second_axis_values)
from optimizers.stability import direction_factor, iteration_matrix, spectral_radius, stable_lr_limit
from surfaces import SURFACES
from tests.pages import charts, covering_pairs, open_page
from views.stability import cell_rates
from ui.i18n import t

EPOCHS = 2000


@pytest.mark.parametrize("surface", ["quadratic", "bowl"])
@pytest.mark.parametrize("optimizer, gammas",
                         [("gd", [0.0]), ("momentum", [0.0, 0.3, 0.5, 0.8]), ("nesterov", [0.2, 0.5, 0.8])])
def test_cells_inside_the_boundary_converge_and_outside_diverge(surface, optimizer, gammas):
    lam = max(SURFACES[surface].hessian_eigenvalues)
    for gamma in gammas:
        limit = stable_lr_limit(optimizer, gamma, lam)
        lr = limit * np.array([0.97, 1.03])
        hyper = {} if optimizer == "gd" else {"momentum": gamma}
        omap = outcome_map(optimizer, surface, lr=lr, y=np.array([EPOCHS]) if optimizer == "gd" else np.array([gamma]),
                           epochs=EPOCHS, **hyper)
        inside, outside = omap.diverged_at[0]
        assert inside == -1 and omap.loss[0, 0] < 1e-6, (gamma, limit)
        assert outside > 0, (gamma, limit)


def test_nesterov_diverges_where_momentum_converges():
    """In our form Nesterov's limit at γ = 0.5 on "quadratic" is η < 0.375, momentum's 0.75."""
    assert stable_lr_limit("nesterov", 0.5, 4.0) == pytest.approx(0.375)
    assert run("nesterov", "quadratic", epochs=300, lr=0.4, momentum=0.5).diverged_at > 0
    assert run("momentum", "quadratic", epochs=300, lr=0.4, momentum=0.5).diverged_at == -1


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("surface", ["quadratic", "rosenbrock"])
def test_sampled_cells_agree_with_run(optimizer, surface):
    lr = np.geomspace(*default_lr_range(surface), 30)
    y = second_axis_values(optimizer, 25, 60)
    omap = outcome_map(optimizer, surface, lr=lr, y=y, epochs=60)
    rng = np.random.default_rng(3)
    for j, i in zip(rng.integers(len(y), size=8), rng.integers(len(lr), size=8)):
        name = second_axis(optimizer)
        if name == "epochs":
            traj = run(optimizer, surface, epochs=int(y[j]), lr=lr[i])
        else:
            traj = run(optimizer, surface, epochs=60, lr=lr[i], **{name: y[j]})
        diverged = traj.diverged_at >= 0
        assert (omap.diverged_at[j, i] >= 0) == diverged
        if not diverged:
            assert omap.loss[j, i] == traj.losses[-1]
        # the cell's outcome, from the run's own first and last loss
        expected = DIVERGED if diverged else GROWING if traj.losses[-1] > traj.losses[0] else CONVERGING
        assert omap.outcome[j, i] == expected
    assert sum(omap.counts().values()) == omap.loss.size


def _theory_grid(optimizer, surface, epochs):
    """The map on a coarse grid, with each cell's ρ, γ, η / limit and the epochs it ran."""
    lam = SURFACES[surface].hessian_eigenvalues
    lr = np.geomspace(*default_lr_range(surface), 90)
    omap = outcome_map(optimizer, surface, lr=lr, y=second_axis_values(optimizer, 45, epochs), epochs=epochs)
    gamma = np.zeros(len(omap.y)) if omap.y_name == "epochs" else omap.y
    rho = cell_rates(optimizer, SURFACES[surface], omap)
    ratio = lr[None, :] / np.array([stable_lr_limit(optimizer, g, max(lam)) for g in gamma])[:, None]
    ran = (omap.y if omap.y_name == "epochs" else np.full(len(omap.y), epochs))[:, None]
    return omap, rho, gamma[:, None], ratio, ran


@pytest.mark.parametrize("surface", ["quadratic", "bowl", "ravine"])
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov"])
@pytest.mark.parametrize("epochs", [20, 100])
def test_the_map_agrees_with_the_theory_away_from_the_limit(surface, optimizer, epochs):
    """Past the limit by 10 %, once the theory's growth ρ^t has reached 10, a cell is growing
    or diverged. Inside it by 10 % a cell converges, where the theory lets a swing die out:
    with γ ≤ 0.5 (a swing shrinks by √γ per epoch, ≤ 0.001 in 20) or once ρ^t ≤ 0.01."""
    omap, rho, gamma, ratio, ran = _theory_grid(optimizer, surface, epochs)
    with np.errstate(over="ignore"):
        growth = rho**ran
    beyond = (ratio > 1.1) & (growth >= 10)
    inside = (ratio < 0.9) & ((gamma <= 0.5) | (growth <= 0.01))
    assert beyond.mean() > 0.05 and inside.mean() > 0.3  # both regions cover much of the default map
    assert (omap.outcome[beyond] != CONVERGING).all()
    assert (omap.outcome[inside] == CONVERGING).all()


def test_stable_cells_that_still_grow_converge_with_more_epochs():
    """At 20 epochs some momentum cells inside the limit are above their start (ρ close to 1):
    the page says they will converge. Run longer, they do; and cells past the limit that are
    still below their start (GD after a few epochs) end above it."""
    omap, rho, *_ = _theory_grid("momentum", "quadratic", 20)
    swinging = (rho < 1) & (omap.outcome == GROWING)
    assert swinging.sum() > 5
    j, i = np.nonzero(swinging)
    later = sweep("momentum", "quadratic", epochs=5000, lr=omap.lr[i], momentum=omap.y[j])
    assert (later.diverged_at == -1).all() and (later.loss < omap.start_loss).all()

    omap, rho, *_ = _theory_grid("gd", "bowl", 20)
    not_yet = (rho > 1) & (omap.outcome == CONVERGING)
    assert not_yet.sum() > 5
    later = sweep("gd", "bowl", epochs=5000, lr=omap.lr[np.nonzero(not_yet)[1]])
    assert ((later.diverged_at >= 0) | (later.loss > omap.start_loss)).all()


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov"])
def test_spectral_radius_matches_numpy_eigenvalues(optimizer):
    rng = np.random.default_rng(7)
    a, gamma = rng.uniform(0, 3, 200), rng.uniform(0, 0.99, 200)
    ours = direction_factor(optimizer, a, gamma)
    reference = np.abs(np.linalg.eigvals(iteration_matrix(optimizer, a, gamma))).max(axis=-1)
    np.testing.assert_allclose(ours, reference, rtol=1e-9, atol=1e-12)
    lam = SURFACES["quadratic"].hessian_eigenvalues
    lr = rng.uniform(0, 1, 50)
    worst = spectral_radius(optimizer, lr, gamma[:50], lam)
    both = [np.abs(np.linalg.eigvals(iteration_matrix(optimizer, lr * lam_, gamma[:50]))).max(axis=-1) for lam_ in lam]
    np.testing.assert_allclose(worst, np.maximum(*both), rtol=1e-9)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov"])
def test_iteration_matrices_are_the_optimizers_steps(optimizer):
    """One step of the core on a 1D direction (bowl's x1: λ = 2) equals M·(x, v)."""
    lr, gamma, lam = 0.3, 0.6, 2.0
    hyper = {} if optimizer == "gd" else {"momentum": gamma}
    traj = run(optimizer, "bowl", start=(1.0, 0.0), epochs=3, lr=lr, **hyper)
    m = iteration_matrix(optimizer, lr * lam, gamma)
    state = np.array([1.0, 0.0])
    for step in range(1, 4):
        state = m @ state
        assert state[0] == pytest.approx(traj.points[step, 0], rel=1e-12)


def test_momentum_optimum_matches_the_closed_form():
    lam = SURFACES["quadratic"].hessian_eigenvalues
    lr_star = (2 / (np.sqrt(min(lam)) + np.sqrt(max(lam)))) ** 2
    kappa = max(lam) / min(lam)
    gamma_star = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    lr = np.linspace(0.3, 1.0, 401)[None, :]
    gamma = np.linspace(0, 0.99, 397)[:, None]
    rho = spectral_radius("momentum", lr, gamma, lam)
    j, i = np.unravel_index(np.argmin(rho), rho.shape)
    assert lr[0, i] == pytest.approx(lr_star, abs=0.01) and gamma[j, 0] == pytest.approx(gamma_star, abs=0.01)
    assert rho.min() == pytest.approx(np.sqrt(gamma_star), abs=5e-3)  # the grid is 0.0025 apart in γ


def open_map(query):
    return open_page("stability", query)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("surface", list(SURFACES))
def test_every_optimizers_map_on_every_surface_has_an_outcome_in_every_cell(surface, optimizer):
    """The map's core at 12 × 12 cells: every pair (the page below meets each optimizer and surface once)."""
    y = second_axis_values(optimizer, 12, 30)
    omap = outcome_map(optimizer, surface, lr=np.geomspace(*default_lr_range(surface), 12), y=y, epochs=30)
    assert omap.outcome.shape == (len(y), 12)
    assert set(np.unique(omap.outcome)) <= {CONVERGING, GROWING, DIVERGED}
    assert sum(omap.counts().values()) == omap.outcome.size
    assert not (omap.outcome[:, 0] == DIVERGED).any()  # at the smallest η every run stays on the surface


@pytest.mark.parametrize("optimizer, surface", covering_pairs(OPTIMIZERS, SURFACES))
def test_map_page_renders_for_every_optimizer_and_every_surface(optimizer, surface):
    at = open_map({"surface": surface, "map_optimizer": optimizer, "epochs": "30"})
    assert at.title[0].value == "Stability map"
    assert "stability_map" in charts(at)
    assert any("40,000 runs" in c.value or "runs of 30 epochs" in c.value for c in at.caption)


def test_map_state_is_in_the_url():
    at = open_map({"map_optimizer": "nesterov", "map_lr_min": "0.05", "map_lr_max": "0.9", "map_log": "false"})
    assert at.selectbox(key="map_optimizer.en").value == "nesterov"
    assert at.number_input(key="map_lr_min").value == 0.05 and at.toggle(key="map_log").value is False
    assert at.query_params["map_optimizer"] in ("nesterov", ["nesterov"])
    at.selectbox(key="map_optimizer.en").set_value("gd").run()
    params = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["map_optimizer"] == "gd" and params["map_lr_max"] == "0.9"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_number_typed_in_the_eta_range_past_its_limits_or_emptied_is_said_and_the_box_shows_the_one_used(lang):
    """Streamlit's own box refused -1e308 with red words in English and kept it shown; 1e400 (no number) went
    without a word."""
    at = open_map({"map_optimizer": "gd", "map_lr_min": "0.01", "map_lr_max": "1", "lang": lang, "epochs": "30"})
    at.number_input(key="map_lr_min").set_value(-1e308).run()
    assert [w.value for w in at.warning] == [t(lang, "number_clamped", name=t(lang, "map_lr_min"), value="-1e+308",
                                               low="1e-8", high="1,000", used="1e-8")]
    assert at.number_input(key="map_lr_min").value == 1e-8 and at.session_state["state"].map_lr == (1e-8, 1.0)
    at.number_input(key="map_lr_max").set_value(None).run()  # 1e400 in the box: no number reaches the server
    assert [w.value for w in at.warning] == [t(lang, "number_empty", name=t(lang, "map_lr_max"), used="1")]
    assert at.number_input(key="map_lr_max").value == 1.0 and at.session_state["state"].map_lr == (1e-8, 1.0)
    at.number_input(key="map_lr_max").set_value(1e-9).run()  # held to 1e-8, which is not above "from": the range
    assert [w.value for w in at.warning] == [t(lang, "map_lr_error")]  # stays, and only that is said
    assert at.number_input(key="map_lr_max").value == 1.0 and at.session_state["state"].map_lr == (1e-8, 1.0)
    assert not at.exception


def test_both_ends_of_the_eta_range_typed_in_one_run_are_both_taken():
    """Two changes that reach the server together (the map's run was busy): the second box's change read the first
    end as drawn, and the typed "from" was lost (a review)."""
    at = open_map({"map_optimizer": "gd", "map_lr_min": "0.01", "map_lr_max": "1", "epochs": "30"})
    at.number_input(key="map_lr_min").set_value(0.1)
    at.number_input(key="map_lr_max").set_value(0.5)
    at.run()
    assert at.session_state["state"].map_lr == (0.1, 0.5) and not at.warning


def test_map_payload_is_small():
    at = open_map({"map_optimizer": "momentum", "epochs": "100"})
    size = sum(len(chart.proto.bytes) for chart in at.get("bidi_component"))
    assert size < 500_000


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_map_range_in_a_link_says_that_both_ends_go(lang):
    """`map_lr_min=2&map_lr_max=1` said only 'map_lr_max outside (2, ∞)', and map_lr_min went without a word; one end
    alone went silently (a second trial)."""
    at = open_map({"map_lr_min": "2", "map_lr_max": "1", "lang": lang})
    assert [w.value for w in at.warning] == [t(lang, "url_invalid", field="map_lr_min", value="2", valid=t(
        lang, "valid_map_order", high=1))] and not at.exception
    at = open_map({"map_lr_max": "0.5", "lang": lang})
    assert [w.value for w in at.warning] == [t(lang, "url_invalid", field="map_lr_max", value="0.5", valid=t(
        lang, "valid_map_pair", other="map_lr_min"))]
    assert at.session_state["state"].map_lr_max is None


def test_map_page_on_a_typed_formula():
    at = open_map({"surface": "custom", "formula": "0.1*x^2 + 2*y^2", "map_optimizer": "momentum", "epochs": "50"})
    assert list(charts(at)) == ["stability_map"]  # no theory panel: a typed formula has no Hessian listed
    assert any("linear theory" in i.value for i in at.info)


def _values(values) -> np.ndarray:
    """A trace's values, decoded from a plotly.js typed array (also one-byte ones)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return np.asarray(values, dtype=float).ravel()


def test_the_colours_and_the_legend_show_the_three_outcomes():
    lr = np.geomspace(*default_lr_range("quadratic"), 60)
    omap = outcome_map("momentum", "quadratic", lr=lr, y=second_axis_values("momentum", 30, 100), epochs=100)
    counts = omap.counts()
    assert all(counts[k] > 0 for k in ("converging", "growing", "diverged"))
    boundary = (np.array([0.5, 1.0]), np.array([0.0, 0.99]))
    spec = outcome_figure(omap.lr, omap.y, omap.loss, omap.outcome, 0.0, omap.start_loss, boundary=boundary).to_dict()
    loss_cells, class_cells = (_values(trace["z"]) for trace in spec["data"][:2])
    outcome = omap.outcome.ravel()
    assert np.array_equal(np.isfinite(loss_cells), outcome == CONVERGING)  # only converging cells show their loss
    assert loss_cells[outcome == CONVERGING].max() <= spec["data"][0]["zmax"] == np.float32(np.log10(omap.start_loss))
    assert [(class_cells == code).sum() for code in (1, 2)] == [counts["growing"], counts["diverged"]]
    legend = [trace["name"] for trace in spec["data"] if trace.get("showlegend", True) and trace["type"] == "scatter"
              and trace["name"] != "click"]
    assert legend == ["converging", "growing", "diverged", "stability limit"]
    dashed = [t for t in spec["data"] if t.get("line", {}).get("dash") == "dash"]
    assert len(dashed) == 1 and dashed[0]["name"] == "stability limit"


def test_log_ticks_read_as_numbers():
    assert log_ticks(0.01, 1) == [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]
    assert log_ticks(1e-4, 1) == [1e-4, 1e-3, 0.01, 0.1, 1]
    assert [plain_number(v) for v in (1e-4, 0.05, 2e-5, 1e-6, 1e12, 3)] == ["0.0001", "0.05", "2·10⁻⁵", "10⁻⁶",
                                                                           "10¹²", "3"]


def _charts(at):
    return [chart["figure"] for chart in charts(at).values()]


def _fonts(node):
    """Every font size set anywhere in a layout."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("font", "tickfont") and "size" in value:
                yield value["size"]
            yield from _fonts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _fonts(value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_default_map_names_every_outcome_it_draws(lang):
    """At its default (momentum, 20 epochs) the map is not "0% diverged" beside a picture of
    unstable cells: the summary counts the three outcomes the colours show."""
    at = open_map({"lang": lang, "map_lr_min": "0.0001", "map_lr_max": "1"})
    summary = next(c.value for c in at.caption if "40,000" in c.value)
    counted = re.findall(r"([\d,]+) ?(?:converging|growing|diverged|次收敛|次增长|次发散)", summary)
    converging, growing, diverged = (int(n.replace(",", "")) for n in counted)
    outcome_map_spec, rate_spec = _charts(at)
    classes = _values(outcome_map_spec["data"][1]["z"])
    assert growing > 1000 and (classes == 1).sum() == growing and (classes == 2).sum() == diverged
    assert np.isfinite(_values(outcome_map_spec["data"][0]["z"])).sum() == converging
    assert converging + growing + diverged == 40_000
    swinging = next(c.value for c in at.caption if "ρ < 1" in c.value)  # the stable cells still above the start
    assert re.search(r"\d", swinging)
    for spec in (outcome_map_spec, rate_spec):
        assert min(_fonts(spec["layout"])) >= FONT
        ticks = spec["layout"]["xaxis"]["ticktext"]
        assert ticks[0] == "0.0001" and not any("μ" in tick or "e-" in tick for tick in ticks)
    if lang == "zh":  # no English words in the Chinese page's text
        texts = [c.value for c in at.caption] + [m.value for m in at.markdown]
        assert not [w for text in texts for w in re.findall(r"[A-Za-z]{2,}", text)]


def test_a_long_map_comes_in_bounded_pieces_that_join_into_the_whole_map(monkeypatch):
    """A 1000-epoch map is computed in pieces of rows of at most PIECE_WORK cell-epochs each (so the
    page can show its progress and a student's change stops it between pieces); joined, they are
    the map of one call, bit for bit."""
    import views.stability as page
    from optimizers.maps import OutcomeMap, row_pieces

    assert all((hi - lo) * page.CELLS * 1000 <= page.PIECE_WORK or hi - lo == 1
               for lo, hi in row_pieces(page.CELLS, page.CELLS, 1000, page.PIECE_WORK))
    monkeypatch.setattr(page, "CELLS", 24)
    monkeypatch.setattr(page, "PIECE_WORK", 24 * 5 * 300)  # 5 rows a piece at 300 epochs
    monkeypatch.setattr(page, "PIECES", page.Kept(100))
    args = ("momentum", ("camel", None, None), (-1.5, 1.0), 300, (1e-3, 1.0), True)
    pieces = page.map_pieces("momentum", 300)
    assert pieces == [(0, 5), (5, 10), (10, 15), (15, 20), (20, 24)]

    heard = []
    whole = page.compute_map(*args, progress=lambda done, total, so_far: heard.append((done, total, len(so_far.y))))
    assert heard == [(1, 5, 5), (2, 5, 10), (3, 5, 15), (4, 5, 20)]  # the rows so far, after each piece
    lr = np.geomspace(1e-3, 1.0, 24)
    one_call = outcome_map("momentum", "camel", lr=lr, y=second_axis_values("momentum", 24, 300), start=(-1.5, 1.0),
                           epochs=300)
    for name in ("lr", "y", "loss", "diverged_at"):
        assert np.array_equal(getattr(whole, name), getattr(one_call, name), equal_nan=True)

    # a map abandoned after two pieces (the student moved a slider) goes on from the third
    computed = []
    real = page.outcome_map
    monkeypatch.setattr(page, "outcome_map", lambda *a, **k: computed.append(len(k["y"])) or real(*a, **k))

    class Moved(Exception):
        pass

    def stop_after_two(done, total, so_far):
        if done == 2:
            raise Moved

    other = ("momentum", ("camel", None, None), (-1.5, 1.1), 300, (1e-3, 1.0), True)
    with pytest.raises(Moved):
        page.compute_map(*other, progress=stop_after_two)
    assert computed == [5, 5]
    again = page.compute_map(*other)
    assert computed == [5, 5, 5, 5, 4] and isinstance(again, OutcomeMap) and len(again.y) == 24
    page.compute_map(*args)  # all kept: nothing computed, no progress
    assert computed == [5, 5, 5, 5, 4]


@pytest.mark.parametrize("lang, says", [("en", "does not describe the explorer's run(s)"), ("zh", "这张图不描述")])
def test_the_map_says_it_does_not_describe_scheduled_runs_and_a_click_opens_a_constant_run(lang, says):
    query = {"optimizer": "momentum", "lr": "0.1", "momentum": "0.5", "momentum_schedule": "linear",
             "momentum_final": "0.9", "momentum_ramp": "10", "lang": lang}
    at = open_page("stability", query)
    assert any(says in i.value and "1." in i.value for i in at.info), [i.value for i in at.info]
    assert not any(says in i.value for i in open_page("stability", {"lang": lang}).info)  # constant runs: no note

    import views.stability as page
    from ui import session

    state = at.session_state["state"]
    assert state.runs[0].varies
    at.session_state[page.MAP_KEY] = {"click": {"x": 0.2, "y": 0.7}}  # the chart component's trigger
    with pytest.MonkeyPatch.context() as mp:  # the click's callback, against this session's state
        mp.setattr(session, "state", lambda: state)
        mp.setattr(session, "replace_state", lambda new: at.session_state.__setitem__("clicked", new))
        mp.setattr(page.st, "session_state", {page.MAP_KEY: at.session_state[page.MAP_KEY]})
        page._clicked(page.MAP_KEY, ("momentum",))
    clicked = at.session_state["clicked"].runs[0]
    assert clicked.values["lr"] == 0.2 and clicked.values["momentum"] == 0.7 and not clicked.varies
    # a cell on the theory's limit opens the run the pointer read there (η 0.4995, γ 0.00995), not 0.499 and 0.01
    at.session_state[page.MAP_KEY] = {"click": {"x": 0.49951234, "y": 0.00995037}}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(session, "state", lambda: state)
        mp.setattr(session, "replace_state", lambda new: at.session_state.__setitem__("clicked", new))
        mp.setattr(page.st, "session_state", {page.MAP_KEY: at.session_state[page.MAP_KEY]})
        page._clicked(page.MAP_KEY, ("momentum",))
    clicked = at.session_state["clicked"].runs[0]
    assert (clicked.values["lr"], clicked.values["momentum"]) == (0.4995, 0.00995)


def test_the_map_marks_the_explorers_runs_of_its_optimizer_where_they_are():
    at = open_page("stability", {"optimizer": "momentum", "lr": "0.1", "momentum": "0.5", "optimizer2": "gd",
                                 "optimizer3": "momentum", "lr3": "0.3", "momentum3": "0.9", "optimizer4": "adam",
                                 "map_optimizer": "momentum"})
    spec = charts(at)["stability_map"]["figure"]
    marks = {t["name"]: (t["x"], t["y"]) for t in spec["data"] if t.get("mode") == "markers+text"}
    assert marks == {"1. Momentum η=0.1, γ=0.5": ([0.1], [0.5]), "3. Momentum η=0.3, γ=0.9": ([0.3], [0.9]),
                     "2. Gradient descent η=0.4": ([0.4], [0.0])}  # GD is momentum at γ = 0
    # a mark's hover label (the keyboard's first cell on the map is run 1's) says its whole name, not "1. Gradient ..."
    assert {t["hoverlabel"]["namelength"] for t in spec["data"] if t.get("mode") == "markers+text"} == {-1}
    assert [c.value for c in at.caption if c.value.startswith("Not on this map")] == [
        "Not on this map (another optimizer, or other settings than its defaults beside η and the second axis): "
        "4. Adam η=0.1, β1=0.9."]
    damped = open_page("stability", {"optimizer": "momentum", "lr": "0.1", "momentum": "0.5", "dampening": "0.5",
                                     "map_optimizer": "momentum"})  # the map's cells have d = 0: not this run
    spec = charts(damped)["stability_map"]["figure"]
    assert not [t for t in spec["data"] if t.get("mode") == "markers+text"]
    assert any(c.value.startswith("Not on this map") and "d=0.5" in c.value for c in damped.caption)
    hidden = open_page("stability", {"optimizer": "momentum", "lr": "0.1", "momentum": "0.5", "hide": "lr",
                                     "map_optimizer": "momentum"})
    spec = charts(hidden)["stability_map"]["figure"]
    assert not [t for t in spec["data"] if t.get("mode") == "markers+text"]  # an exercise's hidden η is not shown


def test_the_pointer_reads_both_axes_by_their_symbols():
    """Over a map the pointer reads η and the second axis by name (γ, β1, or the epochs), in the page's words."""
    lr, gamma = np.array([0.1, 0.2]), np.array([0.0, 0.5])
    labels = MapLabels(x_short="η", y_short="β1", separator="，")
    spec = rate_figure(lr, gamma, np.full((2, 2), 0.5), labels=labels, optimum=(0.1, 0.5)).to_dict()
    hovers = [trace["hovertemplate"] for trace in spec["data"] if "hovertemplate" in trace]
    assert len(hovers) == 2 and all("η %{x:.4g}，β1 %{y:" in hover for hover in hovers), hovers



@pytest.mark.parametrize("optimizer, y", [("gd", np.arange(1, 41)), ("momentum", np.array([0.0, 0.5, 0.9]))])
def test_a_cell_whose_run_stops_where_a_typed_f_is_undefined_is_stopped_not_diverged(optimizer, y):
    """(x1-1)^2 + x2^2 + log(x1+3) has no f left of x1 = -3. A large η overshoots there: the explorer says the
    run stopped and did not blow up; the map called the cell 'diverged'. Each cell agrees with run() now."""
    from optimizers.maps import STOPPED
    from surfaces.formula import from_formula
    from surfaces.surface import undefined_at

    surface = from_formula("(x1-1)^2+x2^2+log(x1+3)")
    lr = np.geomspace(0.01, 3, 24)
    omap = outcome_map(optimizer, surface, lr=lr, y=y, start=(-1.0, 2.0), epochs=40)
    for j, v in enumerate(y):
        for i, eta in enumerate(lr):
            hyper = {} if optimizer == "gd" else {"momentum": float(v)}
            traj = run(optimizer, surface, start=(-1.0, 2.0), epochs=int(v) if optimizer == "gd" else 40,
                       lr=float(eta), **hyper)
            stops = undefined_at(traj.points, traj.losses, surface.divergence_bound).any()
            assert (omap.outcome[j, i] == STOPPED) == stops, (v, eta)
            if not stops:
                assert (omap.outcome[j, i] == DIVERGED) == (traj.diverged_at >= 0), (v, eta)
    counts = omap.counts()
    assert counts["stopped"] > 5 and sum(counts.values()) == omap.outcome.size
    # a sweep whose last epoch lands where f is undefined stopped there too (η = 1.4257: at epoch 2)
    from optimizers.engine import sweep
    landed = sweep("gd", surface, start=(-1.0, 2.0), epochs=2, lr=np.array([1.4257]))
    assert landed.diverged_at[0] == -1 and np.isnan(landed.loss[0]) and landed.undefined[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_map_page_names_the_cells_that_stopped_and_greys_them(lang):
    from ui.i18n import t

    at = open_page("stability", {"surface": "custom", "formula": "(x1-1)^2+x2^2+log(x1+3)", "x1": "-1", "x2": "2",
                                 "map_lr_min": "0.01", "map_lr_max": "3", "lang": lang})
    notes = [c.value for c in at.caption if c.value.endswith(t(lang, "map_stopped_note", stopped=0)[-12:])]
    assert len(notes) == 1 and not at.exception
    n = int(re.search(r"[\d,]+", notes[0]).group().replace(",", ""))
    spec = charts(at)["stability_map"]["figure"]
    assert t(lang, "map_stopped") in [d.get("name") for d in spec["data"]]
    assert 0 < n < 200 * 200


def test_a_count_of_one_cell_reads_as_english():
    """A teacher's trial: "1 cells past the theory's limit (ρ > 1) are still below the start's loss"."""
    from ui.i18n import t

    for key in ("map_swinging", "map_not_yet"):
        assert not re.search(r"\b1 cells\b", t("en", key, n=1)) and ": 1." in t("en", key, n=1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_outside_the_maps_range_is_said_to_be_and_left_out_of_its_legend(lang):
    """A teacher's trial: with η from 2.5 to 3 the legend listed "1. Momentum η=0.3, γ=0.5" and no mark was drawn."""
    from tests.pages import chart
    from ui.i18n import t

    query = {"lang": lang, "optimizer": "momentum", "lr": "0.3", "map_lr_min": "2.5", "map_lr_max": "3"}
    at = open_page("stability", query)
    label = "1. " + {"en": "Momentum", "zh": "动量法"}[lang]
    names = [trace.get("name") or "" for trace in chart(at, "stability_map")["figure"]["data"]]
    assert not any(label in name for name in names), names
    said = [c.value for c in at.caption if c.value.startswith(t(lang, "map_outside", low="2.5", high="3", runs="")[:8])]
    assert len(said) == 1 and label in said[0] and "2.5" in said[0], said
    inside = open_page("stability", {**query, "map_lr_min": "0.01", "map_lr_max": "1"})
    assert any(label in (trace.get("name") or "") for trace in chart(inside, "stability_map")["figure"]["data"])
    assert not [c.value for c in inside.caption if label in c.value]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_gradient_descent_run_is_marked_on_the_momentum_map_in_its_gamma_zero_row(lang):
    """A teacher's trial: run 1's GD was 'Not on this map' on the momentum map the page opens on, though GD is
    momentum at γ = 0 (v ← 0·v + η·g; x ← x − v), a row of the map."""
    from tests.pages import chart
    from ui.i18n import t
    from ui.labels import not_a_list

    at = open_page("stability", {"lang": lang, "optimizer": "gd", "lr": "0.4"})
    label = "1. " + {"en": "Gradient descent", "zh": "梯度下降"}[lang]
    marks = [trace for trace in chart(at, "stability_map")["figure"]["data"] if label in (trace.get("name") or "")]
    assert len(marks) == 1 and (marks[0]["x"][0], marks[0]["y"][0]) == (0.4, 0.0), marks
    captions = [c.value for c in at.caption]
    said = t(lang, "map_case", run=f"{label} η=0.4", name=label[3:], of={"en": "Momentum", "zh": "动量法"}[lang],
             at="γ = 0")
    assert not_a_list(said) in captions, captions  # "1\\. …": read as a sentence, not a numbered list
    assert not any(label in c for c in captions)  # not also "Not on this map"
    # outside the map's η range it is said to be outside, not also "on this map"
    outside = open_page("stability", {"lang": lang, "optimizer": "gd", "lr": "0.4", "map_lr_min": "2.5",
                                      "map_lr_max": "3"})
    assert not_a_list(said) not in [c.value for c in outside.caption]
    assert any(label in c.value for c in outside.caption)
    # on Nesterov's map too, GD's other case (a second trial found it "Not on this map" there)
    nesterov = open_page("stability", {"lang": lang, "optimizer": "gd", "lr": "0.4", "map_optimizer": "nesterov"})
    traces = chart(nesterov, "stability_map")["figure"]["data"]
    marks = [trace for trace in traces if label in (trace.get("name") or "")]
    assert len(marks) == 1 and (marks[0]["x"][0], marks[0]["y"][0]) == (0.4, 0.0), marks
    of = {"en": "Nesterov momentum", "zh": "Nesterov 动量法"}[lang]
    assert not_a_list(t(lang, "map_case", run=f"{label} η=0.4", name=label[3:], of=of, at="γ = 0")) in [
        c.value for c in nesterov.caption], [c.value for c in nesterov.caption]
    # and the core agrees: each of GD's cases (the registry's case_of) at its values is GD's path
    from optimizers import OPTIMIZERS, run

    assert [of for of, _ in OPTIMIZERS["gd"].case_of] == ["momentum", "nesterov"]
    for of, values in OPTIMIZERS["gd"].case_of:
        assert np.allclose(run("gd", "quadratic", epochs=20, lr=0.4).points,
                           run(of, "quadratic", epochs=20, lr=0.4, **values).points, rtol=0, atol=1e-12), of
