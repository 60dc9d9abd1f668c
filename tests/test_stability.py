"""The stability bounds of DESIGN.md on "quadratic" (λ = 0.2, 4): η < 2/λmax for GD,
η < 2(1 + γ)/λmax for heavy-ball momentum."""

import numpy as np
import pytest

from optimizers import run, sweep
from surfaces import SURFACES

EPOCHS = 3000


def outcome(optimizer, lr, **hyper):
    result = sweep(optimizer, "quadratic", epochs=EPOCHS, lr=lr, **hyper)
    return result.diverged_at, np.abs(result.final).max(axis=-1)


def test_gd_bound_is_half():
    lam = max(SURFACES["quadratic"].hessian_eigenvalues)
    assert 2 / lam == 0.5
    diverged_at, size = outcome("gd", np.array([0.49, 0.495, 0.505, 0.51]))
    assert (diverged_at[:2] == -1).all() and (size[:2] < 1e-6).all()
    assert (diverged_at[2:] > 0).all()


@pytest.mark.parametrize("gamma", [0.0, 0.25, 0.5, 0.9])
def test_momentum_bound(gamma):
    bound = 2 * (1 + gamma) / 4
    lr = bound * np.array([0.98, 1.02])
    diverged_at, size = outcome("momentum", lr, momentum=gamma)
    assert diverged_at[0] == -1 and size[0] < 1e-3
    assert diverged_at[1] > 0


def test_momentum_at_0_6_converges_where_gd_diverges():
    assert run("gd", "quadratic", epochs=200, lr=0.6).diverged_at > 0
    assert run("momentum", "quadratic", epochs=200, lr=0.6, momentum=0.5).diverged_at == -1


def test_along_each_eigen_direction_gds_error_is_the_theorys_and_momentums_follows_its_rate():
    """The eigen-direction figure's lesson: GD's error along λ is |e₀|·|1 − ηλ|ᵗ exactly; momentum's decays at ρ."""
    from optimizers import run
    from optimizers.stability import eigen_errors, readout
    from surfaces import SURFACES

    surface = SURFACES["quadratic"]
    lams = surface.hessian_eigenvalues
    gd = eigen_errors(surface, run("gd", surface, epochs=60, lr=0.4).points)
    for i, (lam, rho) in enumerate(readout("gd", {"lr": 0.4}, lams).rates):
        assert rho == pytest.approx(abs(1 - 0.4 * lam))
        np.testing.assert_allclose(gd[:, i], gd[0, i] * rho ** np.arange(61), rtol=1e-9)
    hyper = {"lr": 0.4, "momentum": 0.5}
    momentum = eigen_errors(surface, run("momentum", surface, epochs=200, **hyper).points)
    for i, (_, rho) in enumerate(readout("momentum", hyper, lams).rates):
        slope = np.log(momentum[100:200, i].max() / momentum[0:100, i].max()) / 100  # per epoch, peak to peak
        assert slope == pytest.approx(np.log(rho), rel=0.05)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_explorer_draws_the_eigen_directions_on_a_quadratic_and_keeps_an_exercises_rate_hidden(lang):
    from tests.pages import chart, charts, open_page

    at = open_page("explorer", {"lang": lang, "optimizer": "gd", "optimizer2": "momentum"})
    traces = chart(at, "eigen")["figure"]["data"]
    theory = [tr for tr in traces if tr["line"].get("dash") == "dash" and tr.get("showlegend") is False]
    assert len(theory) == 4  # 2 runs × 2 directions, and one legend entry for them:
    assert traces[-1]["name"] == {"en": "theory: ρᵗ", "zh": "理论：ρᵗ"}[lang]
    # each drawn after (over) its run's line in a colour no run has: in the run's own colour, gradient descent's
    # theory, which its line matches exactly, could not be seen
    runs = [tr for tr in traces if tr.get("line", {}).get("dash") is None and tr.get("y") is not None]
    assert {tr["line"]["color"] for tr in theory} == {traces[-1]["line"]["color"]} != set()
    assert not {tr["line"]["color"] for tr in theory} & {tr["line"]["color"] for tr in runs}
    assert all(traces.index(t) > traces.index(r) for t in theory for r in runs if r.get("yaxis") == t.get("yaxis"))
    # an exercise folds the chart until the prediction; opened, it still hides the hidden run's rate
    exercise = open_page("explorer", {"lang": lang, "optimizer": "gd", "optimizer2": "momentum", "hide": "lr2"},
                         opened=("eigen_open",))
    traces = chart(exercise, "eigen")["figure"]["data"]
    assert len([tr for tr in traces if tr["line"].get("dash") == "dash" and tr.get("showlegend") is False]) == 2
    assert "eigen" not in charts(open_page("explorer", {"lang": lang, "surface": "himmelblau"}))
