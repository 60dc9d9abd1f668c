"""The explorer's theory readout and result lines: the readout never contradicts the run it
describes, a diverged run's line stays readable, hyperparameters read well in LaTeX."""

import re
import warnings
import zlib

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run, sweep
from optimizers.stability import READOUT, error_components, readout
from surfaces import SURFACES, Surface
from tests.pages import open_page, printed
from tests.test_app import lines
from ui.labels import hyper_label
from ui.i18n import t
from ui.presets import PRESETS
from ui.results import axes_note, latex_number, readout_text, result_line

QUADRATICS = [key for key, s in SURFACES.items() if s.is_quadratic]
EPOCHS = 3000
BAND = 0.012  # |ρ − 1| < BAND: 3000 epochs cannot tell growth from decay reliably (1.012³⁰⁰⁰ ≈ 4e15)
SETTINGS = 60  # random settings per optimizer and surface


def rotated_quadratic(rng) -> Surface:
    """½·(x − m)ᵀ H (x − m) with random eigenvalues, eigenvectors and minimum m."""
    lams = np.sort(np.exp(rng.uniform(np.log(0.05), np.log(10), 2)))
    lams[0] = max(lams[0], lams[1] / 20)  # a slower direction would only fall in the band
    turn = rng.uniform(0, np.pi)
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    h = rot @ np.diag(lams) @ rot.T
    m = rng.uniform(-2, 2, 2)

    def grad(x1, x2):
        d1, d2 = x1 - m[0], x2 - m[1]
        return h[0, 0] * d1 + h[0, 1] * d2, h[1, 0] * d1 + h[1, 1] * d2

    def f(x1, x2):
        g1, g2 = grad(x1, x2)
        return 0.5 * ((x1 - m[0]) * g1 + (x2 - m[1]) * g2)

    return Surface("random", "random quadratic", f, grad, latex="", bounds=((-10, 10), (-10, 10)), start=(0, 0),
                   minima=(tuple(m),), hessian_eigenvalues=tuple(float(v) for v in lams))


def random_settings(optimizer: str, surface: Surface, rng) -> list[dict]:
    """γ, d, a start and η at random, η from 0.3 to 4 times the limit of a = (1 − d)ηλmax (GD 2,
    momentum 2(1 + γ), Nesterov 2(1 + γ)/(1 + 2γ)) so that both sides are well sampled."""
    settings = []
    lam = max(surface.hessian_eigenvalues)
    for _ in range(SETTINGS):
        gamma = float(rng.uniform(0, 0.97)) if optimizer in ("momentum", "nesterov") else 0.0
        damp = float(rng.choice([0.0, rng.uniform(0, 0.99)])) if optimizer == "momentum" else 0.0
        edge = {"gd": 2, "sgd": 2, "momentum": 2 * (1 + gamma) / (1 - damp),
                "nesterov": 2 * (1 + gamma) / (1 + 2 * gamma)}[optimizer]
        hyper = {"lr": float(edge / lam * np.exp(rng.uniform(np.log(0.3), np.log(4))))}
        if optimizer in ("momentum", "nesterov"):
            hyper["momentum"] = gamma
        if optimizer == "momentum":
            hyper |= {"dampening": damp, "bias_correction": False}
        if optimizer == "sgd":
            # a few seeds: the noise costs a generator per seed and epoch, and any seed's noise will do
            hyper |= {"noise": float(rng.uniform(0.1, 3)), "seed": int(rng.integers(4))}
        start = np.array(surface.minima[0]) + rng.uniform(-5, 5, 2)
        settings.append({"hyper": hyper, "start": start})
    return settings


def check_agreement(optimizer: str, surface: Surface, rng) -> tuple[int, int]:
    """Runs every setting (one batch) and asserts: the readout says the error grows ⇔ the run
    diverges (passes the bound, or ends farther from the minimum than it began). Returns
    (compared, left in the band)."""
    settings = random_settings(optimizer, surface, rng)
    batch = {k: np.array([s["hyper"][k] for s in settings]) for k in settings[0]["hyper"]}
    starts = np.array([s["start"] for s in settings])
    result = sweep(optimizer, surface, start=starts, epochs=EPOCHS, **batch)
    m = np.array(surface.minima[0])
    compared = in_band = 0
    for i, s in enumerate(settings):
        r = readout(optimizer, s["hyper"], surface.hessian_eigenvalues, error_components(surface, s["start"]))
        worst = max(rho for _, rho in r.rates)
        if abs(worst - 1) < BAND:
            in_band += 1
            continue
        if optimizer == "sgd":  # the noise keeps the error from 0: only passing the bound says diverged
            diverged = result.diverged_at[i] >= 0
        else:
            diverged = bool(result.diverged_at[i] >= 0
                            or not np.linalg.norm(result.final[i] - m) <= np.linalg.norm(s["start"] - m))
        assert r.grows == diverged, (optimizer, surface.hessian_eigenvalues, s, r, result.diverged_at[i])
        assert r.status == ("unstable" if diverged else "stable")
        compared += 1
    return compared, in_band


@pytest.mark.parametrize("optimizer", READOUT)
@pytest.mark.parametrize("surface", QUADRATICS + ["random"])
def test_the_readout_says_stable_exactly_when_the_run_does_not_diverge(optimizer, surface):
    rng = np.random.default_rng(zlib.crc32(f"{optimizer}/{surface}".encode()))
    surfaces = [rotated_quadratic(rng) for _ in range(4)] if surface == "random" else [SURFACES[surface]]
    compared = in_band = 0
    for s in surfaces:
        c, b = check_agreement(optimizer, s, rng)
        compared, in_band = compared + c, in_band + b
    print(f"{optimizer} on {surface}: {compared} compared, {in_band} in the band")
    assert in_band <= 0.2 * (compared + in_band)  # the band is thin: most settings are decided
    assert compared >= 40


def test_the_dampened_link_of_the_issue_is_stable_and_converges():
    """?optimizer=momentum&lr=2&momentum=0.9&dampening=0.9: the step is (1 − d)η = 0.2."""
    query = {"optimizer": "momentum", "lr": "2", "momentum": "0.9", "dampening": "0.9", "epochs": "100"}
    at = open_page("explorer", query)
    theory = [c.value for c in at.caption if c.value.startswith("Theory")]
    assert len(theory) == 1 and "stable for η < 9.5 " in theory[0] and "(1 − d)η = 0.2," in theory[0]
    traj = run("momentum", "quadratic", epochs=100, lr=2.0, momentum=0.9, dampening=0.9)
    assert traj.diverged_at == -1 and np.abs(traj.points[-1]).max() < 0.05


@pytest.mark.parametrize("lang, stable", [("en", "stable for η < {:.4g} "), ("zh", "η < {:.4g} 时稳定")])
def test_the_average_preset_shows_each_run_its_own_limit(lang, stable):
    preset = PRESETS["ema_momentum"]
    at = open_page("explorer", {"preset": "ema_momentum", "lang": lang})
    theory = [c.value for c in at.caption if c.value.startswith(("Theory", "理论"))]
    lam = max(SURFACES[preset.state.surface].hessian_eigenvalues)
    limits = [2 * (1 + r.values["momentum"]) / ((1 - r.values["dampening"]) * lam) for r in preset.state.runs]
    assert limits[0] != limits[1]
    assert len(theory) == 2 and all(stable.format(limit) in text for limit, text in zip(limits, theory))


@pytest.mark.parametrize("lang, says",
                         [("en", "Theory withheld: with bias correction"), ("zh", "理论从略：有偏差修正时")])
def test_bias_correction_withholds_the_readout_and_says_why(lang, says):
    r = readout("momentum", {"lr": 0.4, "momentum": 0.9, "dampening": 0.0, "bias_correction": True}, (0.2, 4.0))
    assert r.status == "bias_correction" and not r.rates
    assert readout_text(r, 0.4, 0.0, lang).startswith(says)
    at = open_page("explorer", {"optimizer": "momentum", "bias_correction": "true", "lang": lang})
    assert sum(says in c.value for c in at.caption) == 1


def test_a_start_with_no_error_along_the_unstable_direction_is_told_it_stays_finite():
    """GD η = 0.6 on "quadratic" is past 2/λmax, but from x2 = 0 nothing grows along λ = 4
    (on the ravine, the unstable direction is x1 − x2)."""
    for surface, start in [("quadratic", (-5.0, 0.0)), ("ravine", (-3.0, -3.0))]:
        s = SURFACES[surface]
        r = readout("gd", {"lr": 0.6 if surface == "quadratic" else 0.3}, s.hessian_eigenvalues,
                    error_components(s, start))
        assert r.status == "unstable" and not r.grows and r.quiet == (max(s.hessian_eigenvalues),)
        traj = run("gd", s, start=start, epochs=500, lr=0.6 if surface == "quadratic" else 0.3)
        assert traj.diverged_at == -1 and s.f(*traj.points[-1]) < s.f(*start)
    assert "nothing to grow" in readout_text(r, 0.3, 0.0, "en")
    # one step off the line, the same run grows
    s = SURFACES["ravine"]
    r = readout("gd", {"lr": 0.3}, s.hessian_eigenvalues, error_components(s, (-3.0, -2.9)))
    assert r.grows and run("gd", s, start=(-3.0, -2.9), epochs=500, lr=0.3).diverged_at > 0


@pytest.mark.parametrize("optimizer, lr, factors", [
    ("gd", 1e6, "×2e+05 along λ = 0.2, ×4e+06 along λ = 4"),  # |1 − ηλ|
    ("momentum", 1e6, "×2e+05 along λ = 0.2, ×4e+06 along λ = 4"),  # about |1 − ηλ + γ|
    ("nesterov", 1e6, "×3e+05 along λ = 0.2, ×6e+06 along λ = 4"),  # about (1 + γ)ηλ
    ("gd", 1e308, "×2e+307 along λ = 0.2, ×∞ along λ = 4"),  # 4e308: ηλ itself is past any float
    ("momentum", 1e308, "×2e+307 along λ = 0.2, ×∞ along λ = 4"),
    ("nesterov", 1e308, "×3e+307 along λ = 0.2, ×∞ along λ = 4"),
])
def test_an_eta_far_past_the_limit_reads_its_factors_short(optimizer, lr, factors):
    """A link may carry η = 1e308: the factors per epoch are short numbers (∞ only past any float), never
    300 digits, nan or a NumPy warning."""
    s = SURFACES["quadratic"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = readout(optimizer, {"lr": lr, "momentum": 0.5, "dampening": 0.0}, s.hessian_eigenvalues,
                    error_components(s, s.start))
        text = readout_text(r, lr, 0.0, "en")
    assert r.status == "unstable" and factors in text, text


def test_on_the_limit_and_without_a_step_the_error_does_not_change():
    s = SURFACES["quadratic"]
    r = readout("gd", {"lr": 0.5}, s.hessian_eigenvalues, error_components(s, s.start))
    assert r.status == "edge" and not r.grows
    x2 = run("gd", s, epochs=101, lr=0.5).points[:, 1]
    np.testing.assert_array_equal(np.abs(x2), abs(s.start[1]))  # ×(−1) per epoch along λ = 4
    r = readout("momentum", {"lr": 0.4, "momentum": 0.5, "dampening": 1.0}, s.hessian_eigenvalues)
    assert r.status == "no_step"
    assert readout_text(r, 0.4, 1.0, "zh") == "理论：d = 1 时步长 (1 − d)η 为 0，x 始终不动。"
    assert (run("momentum", s, epochs=20, lr=0.4, momentum=0.5, dampening=1.0).points == s.start).all()


def test_sgds_settled_spread_is_the_one_the_readout_names():
    """E[e'²] = (1 − a)²E[e²] + η²σ²: the error along λ settles at ησ/√(a(2 − a))."""
    s, hyper = SURFACES["bowl"], {"lr": 0.1, "noise": 1.0}
    r = readout("sgd", hyper, s.hessian_eigenvalues)
    lam, spread = r.spread
    seeds = np.arange(1000)  # the spread measured to about 2% (its standard error), within the 5% asked
    final = run("sgd", s, epochs=200, seed=seeds, **hyper).points[:, -1]
    axis = list(s.hessian_eigenvalues).index(lam)  # the bowl's eigenvectors are its axes
    assert np.std(final[:, axis]) == pytest.approx(spread, rel=0.05)
    assert "standard deviation of about" in readout_text(r, 0.1, 0.0, "en")


def test_the_readout_covers_what_it_claims():
    assert set(READOUT) == {"gd", "sgd", "momentum", "nesterov"} <= set(OPTIMIZERS)
    assert readout("adam", OPTIMIZERS["adam"].defaults, (0.2, 4.0)) is None


# --- the result lines --------------------------------------------------------------------

LINE = re.compile(r"^epoch (\d+), x1 (\S+), x2 (\S+?)(?: |（)")


@pytest.mark.parametrize("lang, says", [("en", " (diverged at epoch {})"), ("zh", "（在第 {} 次迭代发散）")])
def test_rmsprop_gamma_1_prints_a_readable_line_that_says_it_diverged(lang, says):
    """The preset's second run is past 1e12 from epoch 4 on and ends near 1e64."""
    preset = PRESETS["rmsprop_gamma_1"]
    at = open_page("explorer", {"preset": "rmsprop_gamma_1", "lang": lang})
    printed = lines(at)
    assert printed[0] == preset.expected[0]  # the textbook's line is untouched
    traj = run("rmsprop", "quadratic", epochs=20, **preset.state.runs[1].values)
    assert traj.diverged_at > 0 and np.isfinite(traj.points[-1]).all() and np.abs(traj.points[-1]).max() > 1e60
    epoch, x1, x2 = LINE.match(printed[1]).groups()
    assert int(epoch) == 20 and printed[1].endswith(says.format(traj.diverged_at))
    np.testing.assert_allclose([float(x1), float(x2)], traj.points[-1], rtol=1e-5)
    assert len(printed[1]) < 70


def test_a_line_stops_at_the_last_finite_epoch():
    traj = run("rmsprop", "quadratic", epochs=200, lr=0.4, gamma=1.0)
    line = result_line(traj, "en")
    epoch, x1, x2 = LINE.match(line).groups()
    n = int(epoch)
    assert np.isfinite(traj.points[n]).all() and not np.isfinite(traj.points[n + 1]).all()
    np.testing.assert_allclose([float(x1), float(x2)], traj.points[n], rtol=1e-5)
    assert line.endswith(f" (the last finite point; the run diverged at epoch {traj.diverged_at})")
    assert result_line(traj, "zh").endswith(f"（这是最后一个有限的点；这次运行在第 {traj.diverged_at} 次迭代已发散）")


def test_a_run_inside_the_bound_keeps_the_textbooks_line():
    """GD η = 0.6 grows along λ = 4 but is still under 1e12 at epoch 20."""
    traj = run("gd", "quadratic", epochs=20, lr=0.6)
    assert traj.diverged_at == -1
    assert result_line(traj, "zh") == PRESETS["gd_06"].expected[0] == traj.line()


@pytest.mark.parametrize("lang, note", [("en", "  (x1 = b, x2 = w)"), ("zh", "（x1 = b，x2 = w）")])
def test_regression_lines_name_b_and_w(lang, note):
    s = SURFACES["regression"]
    assert axes_note(s.axis_names, lang) == note and axes_note(SURFACES["bowl"].axis_names, lang) == ""
    at = open_page("explorer", {"preset": "regression", "lang": lang})
    for line, r in zip(printed(at), PRESETS["regression"].state.runs):
        assert line == run(r.optimizer, s, epochs=100, **r.values).line() + note


# --- LaTeX -------------------------------------------------------------------------------


def test_latex_numbers():
    assert [latex_number(v) for v in (1e-6, 1e-5, 2.5e-7, -1e-8, 0.9, 0.001, 1.5e10, 4294967295)] == [
        "10^{-6}", "10^{-5}", r"2.5 \times 10^{-7}", "-10^{-8}", "0.9", "0.001", r"1.5 \times 10^{10}", "4294967295"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_adadelta_and_rmsprop_rules_read_eta_and_powers_of_ten(lang):
    at = open_page("explorer", {"optimizer": "adadelta", "optimizer2": "rmsprop", "lang": lang})
    latex = [x.value for x in at.latex]
    assert any(r"x \leftarrow x - \eta\, g'" in x for x in latex)
    assert not any(r"\mathrm{lr}" in x or "e-0" in x for x in latex)
    values = [x for x in (y.value for y in at.markdown) if x.startswith((r"$\rho =", r"$\eta ="))]
    sep = t(lang, "list_separator")  # ", ", or 、 in Chinese
    assert values == [sep.join([r"$\rho = 0.9$", r"$\epsilon = 10^{-5}$", r"$\eta = 1$"]),
                      sep.join([r"$\eta = 0.4$", r"$\gamma = 0.9$", r"$\epsilon = 10^{-6}$"])]
    assert "η" in hyper_label(lang, OPTIMIZERS["adadelta"].hyperparameter("lr"))


def test_the_chinese_theory_line_says_what_happens_to_the_error():
    """'每次迭代误差 沿 λ = 0.2 方向 ×0.980' had no verb: the error is multiplied by its factor along each direction."""
    s = SURFACES["quadratic"]
    r = readout("gd", {"lr": 0.1}, s.hessian_eigenvalues, error_components(s, s.start))
    assert readout_text(r, 0.1, 0.0, "zh") == ("理论：η < 0.5 时稳定（λmax = 4）。"
                                               "每次迭代误差沿 λ = 0.2 方向乘以 0.980，沿 λ = 4 方向乘以 0.600。")
