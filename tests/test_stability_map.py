"""The stability map and its theory: boundaries, agreement with run(), spectral radii, the page."""

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run
from optimizers.maps import default_lr_range, outcome_map, second_axis, second_axis_values
from optimizers.stability import direction_factor, iteration_matrix, spectral_radius, stable_lr_limit
from surfaces import SURFACES
from tests.pages import open_page

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
    for t in range(1, 4):
        state = m @ state
        assert state[0] == pytest.approx(traj.points[t, 0], rel=1e-12)


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


@pytest.mark.parametrize("surface", list(SURFACES))
def test_map_page_renders_for_every_optimizer_and_surface(surface):
    for optimizer in OPTIMIZERS:
        at = open_map({"surface": surface, "map_optimizer": optimizer, "epochs": "30"})
        assert at.title[0].value == "Stability map"
        assert len(at.get("plotly_chart")) >= 1
        assert any("40,000 runs" in c.value or "runs of 30 epochs" in c.value for c in at.caption)


def test_map_state_is_in_the_url():
    at = open_map({"map_optimizer": "nesterov", "map_lr_min": "0.05", "map_lr_max": "0.9", "map_log": "false"})
    assert at.selectbox(key="map_optimizer.en").value == "nesterov"
    assert at.number_input(key="map_lr_min").value == 0.05 and at.toggle(key="map_log").value is False
    assert at.query_params["map_optimizer"] in ("nesterov", ["nesterov"])
    at.selectbox(key="map_optimizer.en").set_value("gd").run()
    params = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["map_optimizer"] == "gd" and params["map_lr_max"] == "0.9"


def test_map_payload_is_small():
    at = open_map({"map_optimizer": "momentum", "epochs": "100"})
    size = sum(len(chart.proto.spec) for chart in at.get("plotly_chart"))
    assert size < 500_000


def test_bad_map_range_in_a_link_warns():
    at = open_map({"map_lr_min": "2", "map_lr_max": "1"})
    assert at.warning and not at.exception


def test_map_page_on_a_typed_formula():
    at = open_map({"surface": "custom", "formula": "0.1*x^2 + 2*y^2", "map_optimizer": "momentum", "epochs": "50"})
    assert len(at.get("plotly_chart")) == 1  # no theory panel: a typed formula has no Hessian listed
    assert any("linear theory" in i.value for i in at.info)
