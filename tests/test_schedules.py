"""Schedules: each kind against its formula transcribed into a plain loop, batched and alone."""

import math
import zlib

import numpy as np
import pytest

from optimizers import OPTIMIZERS, SCHEDULES, Schedule, run, sweep, textbook_line
from optimizers.train import train
from surfaces import SURFACES
from tests.reference_loops import reference_run
from tests.test_reference_agreement import compare, random_hyper

EPOCHS = 30
KINDS = [k for k in SCHEDULES if k != "constant"]


def plain(kind: str, value: float, T: int, **p):
    """The kind's formula, as written in DESIGN.md and the issue, as a function of t."""

    def at(t):
        if kind == "constant":
            return value
        if kind == "exponential":
            return value * p["decay"] ** (t - 1)
        if kind == "step":
            return value * p["decay"] ** math.floor((t - 1) / p["every"])
        if kind == "cosine":
            return value * (1 + math.cos(math.pi * (t - 1) / T)) / 2
        if kind == "warmup":
            return value if t >= p["ramp"] else value * t / p["ramp"]
        if kind == "linear":  # the end value exactly once reached, and never a rounding error past either end
            w, final = min(t - 1, p["ramp"]) / p["ramp"], p["final"]
            return final if w >= 1 else min(max(value + (final - value) * w, min(value, final)), max(value, final))
        raise KeyError(kind)

    return at


def random_params(kind: str, hp, rng) -> dict:
    """Parameters of `kind` for hyperparameter `hp` whose values stay in its range."""
    if kind == "exponential":
        return {"decay": float(rng.uniform(0.3, 1.1 if hp.name == "lr" else 1.0))}  # η may also grow
    if kind == "step":
        return {"decay": float(rng.uniform(0.1, 1.0)), "every": int(rng.integers(1, 8))}
    if kind == "warmup":
        return {"ramp": int(rng.integers(1, 9))}
    if kind == "linear":
        lo, hi = hp.slider
        final = np.exp(rng.uniform(np.log(lo), np.log(hi))) if hp.log else rng.uniform(lo, hi)
        return {"final": float(final), "ramp": int(rng.integers(1, 16))}
    return {}


def scheduled_members(optimizer: str, kind: str, n: int, seed: str):
    """n members with random values and every float hyperparameter on a random `kind` schedule:
    (the plain settings with functions of t, the same as Schedules, one dict per member)."""
    rng = np.random.default_rng(zlib.crc32(seed.encode()))
    plains, schedules = [], []
    for _ in range(n):
        hyper = random_hyper(optimizer, rng)
        flat, sched = dict(hyper), dict(hyper)
        for hp in OPTIMIZERS[optimizer].hyperparameters:
            if hp.kind == "float":
                params = random_params(kind, hp, rng)
                flat[hp.name] = plain(kind, hyper[hp.name], EPOCHS, **params)
                sched[hp.name] = (hyper[hp.name], params)
        plains.append(flat)
        schedules.append(sched)
    return plains, schedules


def as_schedule(kind, entry):
    if isinstance(entry, tuple):
        value, params = entry
        return Schedule(kind, value, **params)
    return entry


def batched(kind, members):
    """One dict of batch arrays: a Schedule of arrays for each scheduled hyperparameter."""
    out = {}
    for name, first in members[0].items():
        if isinstance(first, tuple):
            params = {p: np.array([m[name][1][p] for m in members]) for p in first[1]}
            out[name] = Schedule(kind, np.array([m[name][0] for m in members]), **params)
        else:
            out[name] = np.array([m[name] for m in members])
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("surface", ["quadratic", "rosenbrock"])
def test_each_kind_equals_its_formula_in_a_plain_loop_batched_and_alone(optimizer, kind, surface):
    plains, members = scheduled_members(optimizer, kind, 4, f"{optimizer}/{kind}/{surface}")
    start = np.array(SURFACES[surface].start)
    traj = run(optimizer, surface, start=start, epochs=EPOCHS, **batched(kind, members))
    assert traj.points.shape == (4, EPOCHS + 1, 2)
    final = sweep(optimizer, surface, start=start, epochs=EPOCHS, **batched(kind, members))
    np.testing.assert_array_equal(final.final, traj.points[:, -1])
    np.testing.assert_array_equal(final.diverged_at, traj.diverged_at)
    for i, (flat, member) in enumerate(zip(plains, members)):
        compare(traj.points[i], reference_run(optimizer, SURFACES[surface], start, EPOCHS, **flat))
        one = {name: as_schedule(kind, value) for name, value in member.items()}
        alone = run(optimizer, surface, start=start, epochs=EPOCHS, **one)
        np.testing.assert_array_equal(alone.points, traj.points[i])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_train_follows_schedules_as_run_does(optimizer, kind):
    surface = SURFACES["quadratic"]

    def loss_and_grad(x):
        return surface.f(x[0], x[1]), surface.gradient(x)

    _, members = scheduled_members(optimizer, kind, 3, f"train/{optimizer}/{kind}")
    hyper = batched(kind, members)
    trained = train(optimizer, loss_and_grad, np.array(surface.start), steps=EPOCHS, **hyper)
    core = run(optimizer, surface, epochs=EPOCHS, **hyper)
    finite = np.isfinite(core.points).all(axis=-1)
    np.testing.assert_allclose(trained.params[finite], core.points[finite], rtol=1e-13)


@pytest.mark.parametrize("kind", list(SCHEDULES))
def test_table_is_the_formula_at_every_epoch(kind):
    rng = np.random.default_rng(zlib.crc32(kind.encode()))
    hp = OPTIMIZERS["momentum"].hyperparameter("momentum")
    values = np.array([0.1, 0.5, 0.8])
    params = [random_params(kind, hp, rng) for _ in values]
    batch = {p: np.array([q[p] for q in params]) for p in params[0]}
    table = Schedule(kind, values, **batch).table(EPOCHS)
    assert table.shape == (EPOCHS, 3)
    for i, value in enumerate(values):
        expected = [plain(kind, value, EPOCHS, **params[i])(t) for t in range(1, EPOCHS + 1)]
        np.testing.assert_allclose(table[:, i], expected, rtol=1e-12, atol=0)
        assert hp.is_valid(table[:, i]).all()
        assert table[0, i] == (value / params[i]["ramp"] if kind == "warmup" else value)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_a_constant_schedule_is_todays_run_bit_for_bit(optimizer):
    rng = np.random.default_rng(zlib.crc32(optimizer.encode()))
    settings = [random_hyper(optimizer, rng) for _ in range(5)]
    plain_batch = {name: np.array([s[name] for s in settings]) for name in settings[0]}
    floats = [p.name for p in OPTIMIZERS[optimizer].hyperparameters if p.kind == "float"]
    constant = {**plain_batch, **{name: Schedule("constant", plain_batch[name]) for name in floats}}
    for surface in ["quadratic", "rosenbrock", "himmelblau"]:
        today, scheduled = run(optimizer, surface, **plain_batch), run(optimizer, surface, **constant)
        np.testing.assert_array_equal(scheduled.points, today.points)
        np.testing.assert_array_equal(scheduled.diverged_at, today.diverged_at)
        np.testing.assert_array_equal(
            sweep(optimizer, surface, **constant).final, sweep(optimizer, surface, **plain_batch).final
        )
    surf = SURFACES["quadratic"]

    def loss_and_grad(x):
        return surf.f(x[0], x[1]), surf.gradient(x)

    np.testing.assert_array_equal(
        train(optimizer, loss_and_grad, np.array(surf.start), steps=20, **constant).params,
        train(optimizer, loss_and_grad, np.array(surf.start), steps=20, **plain_batch).params,
    )


def test_seed_001_exercise_lr_falls_to_a_tenth_every_epoch():
    """η_t = 0.4·0.1^(t−1) on 0.1·x1² + 2·x2², gd from (−5, −2), 20 epochs."""
    x1, x2 = -5.0, -2.0
    for t in range(1, 21):
        eta = 0.4 * 0.1 ** (t - 1)
        x1, x2 = x1 - eta * (0.2 * x1), x2 - eta * (4.0 * x2)
    traj = run("gd", "quadratic", epochs=20, lr=Schedule("exponential", 0.4, decay=0.1))
    assert traj.line() == textbook_line((x1, x2), 20) == "epoch 20, x1 -4.559144, x2 0.990109"
    # the constant η of the textbook gets near the minimum; the decaying one stalls far from it
    assert run("gd", "quadratic", epochs=20, lr=0.4).line() == "epoch 20, x1 -0.943467, x2 -0.000073"


def test_seed_004_momentum_rising_from_one_half_to_nine_tenths():
    """γ_t = 0.5 + 0.4·min(t−1, 10)/10, η = 0.1, momentum from (−5, −2), 20 epochs."""
    x1, x2, v1, v2 = -5.0, -2.0, 0.0, 0.0
    lines = []
    for t in range(1, 21):
        gamma = 0.5 + (0.9 - 0.5) * min(t - 1, 10) / 10
        v1, v2 = gamma * v1 + 0.1 * (0.2 * x1), gamma * v2 + 0.1 * (4.0 * x2)
        x1, x2 = x1 - v1, x2 - v2
        lines.append(textbook_line((x1, x2), t))
    momentum = Schedule("linear", 0.5, final=0.9, ramp=10)
    traj = run("momentum", "quadratic", epochs=20, lr=0.1, momentum=momentum)
    assert [textbook_line(traj.points[t], t) for t in range(1, 21)] == lines
    assert momentum.table(20)[[0, 5, 10, 19]].tolist() == pytest.approx([0.5, 0.7, 0.9, 0.9], abs=1e-15)


def test_a_batch_of_schedules_broadcasts_with_starts_and_other_values():
    lr = Schedule("step", np.array([[0.4], [0.2], [0.1]]), decay=np.array([0.1, 0.5]), every=3)  # (3, 2)
    starts = np.array([[[-5.0, -2.0]], [[3.0, 1.0]]])[:, None]  # batch shape (2, 1, 1)
    traj = run("momentum", "bowl", start=starts, epochs=12, lr=lr, momentum=np.array([0.0, 0.5]))
    assert traj.points.shape == (2, 3, 2, 13, 2)
    alone = run("momentum", "bowl", start=(3.0, 1.0), epochs=12, lr=Schedule("step", 0.2, decay=0.5, every=3),
                momentum=0.5)
    np.testing.assert_array_equal(traj.points[1, 1, 1], alone.points)


def test_a_ramp_to_the_top_of_the_range_is_valid_and_values_underflowing_to_zero_stay_positive():
    gamma = Schedule("linear", 0.5, final=0.99, ramp=40)
    table = gamma.table(100)
    assert table.min() == 0.5 and table.max() == pytest.approx(0.99) and (np.diff(table) >= 0).all()
    assert np.isfinite(run("momentum", "quadratic", epochs=100, lr=0.01, momentum=gamma).points).all()
    # 0.4·0.1^399 is below the smallest float: η_t is 0 in floating point, and the run stays put
    traj = run("gd", "quadratic", epochs=400, lr=Schedule("exponential", 0.4, decay=0.1))
    assert (traj.points[-1] == traj.points[-100]).all()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Schedule("sawtooth", 0.4), r"unknown schedule 'sawtooth'; choose one of: constant, exponential"),
        (lambda: Schedule("exponential", 0.4, decay=0.0), r"decay factor q must be a number in \(0, ∞\), got 0"),
        (lambda: Schedule("step", 0.4, decay=-0.5), r"decay factor q must be a number in \(0, ∞\), got -0.5"),
        (lambda: Schedule("step", 0.4, every=0), r"every k epochs must be a whole number in \[1, ∞\), got 0"),
        (lambda: Schedule("warmup", 0.4, ramp=2.5), r"warm-up epochs k must be a whole number in \[1, ∞\), got 2.5"),
        (lambda: Schedule("linear", 0.5, ramp=0, final=0.9), r"ramp epochs k must be a whole number in \[1, ∞\)"),
        (lambda: Schedule("linear", 0.5, ramp=5), r"schedule 'linear' needs its end value final="),
        (lambda: Schedule("exponential", 0.4, every=3), r"'exponential' has no parameter 'every'; .* decay"),
        (lambda: Schedule("exponential", 0.4, decay=np.array([0.1, np.nan])), r"decay factor q must be"),
        (
            lambda: run("momentum", "quadratic", momentum=Schedule("linear", 0.5, final=1.0)),
            r"end value final: hyperparameter 'momentum' \(momentum γ\) must be in \[0, 1\), got 1",
        ),
        (
            lambda: run("momentum", "quadratic", momentum=Schedule("exponential", 0.5, decay=1.5)),
            r"schedule of hyperparameter 'momentum' \(momentum γ\) must stay in \[0, 1\), but at epoch 20 it is 1108",
        ),
        (
            lambda: run("gd", "quadratic", epochs=10_000, lr=Schedule("exponential", 0.4, decay=2.0)),
            r"must stay in \(0, ∞\), but at epoch 10000 it is inf",
        ),
        (lambda: run("gd", "quadratic", lr=Schedule("cosine", -0.4)), r"'lr' \(learning rate η\) must be in \(0, ∞\)"),
        (lambda: run("sgd", "quadratic", seed=Schedule("step", 3)), r"'seed' \(random seed\) cannot follow a schedule"),
        (
            lambda: run("momentum", "quadratic", bias_correction=Schedule("warmup", 1.0)),
            r"'bias_correction' \(bias correction\) cannot follow a schedule",
        ),
    ],
)
def test_bad_schedules_raise_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_kind_has_a_formula_and_described_parameters():
    for kind in SCHEDULES.values():
        latex = kind.formula(r"\eta")
        assert latex.startswith(r"{\eta}_t = ") and "@" not in latex
        for p in kind.params:
            assert p.is_valid(p.default) and p.valid_range_text()
    assert SCHEDULES["linear"].param_names == ("ramp", "final")


def test_a_stability_map_may_follow_schedules_from_its_axes_values():
    from optimizers.maps import outcome_map

    lr, gamma = np.geomspace(0.05, 2.0, 6), np.array([0.0, 0.5, 0.9])
    lr_schedule = Schedule("exponential", lr, decay=0.5)
    gamma_schedule = Schedule("linear", gamma, final=0.95, ramp=10)
    omap = outcome_map("momentum", "quadratic", lr=lr_schedule, y=gamma_schedule, epochs=30)
    np.testing.assert_array_equal(omap.lr, lr)
    np.testing.assert_array_equal(omap.y, gamma)
    for j, g in enumerate(gamma):
        for i, eta in enumerate(lr):
            cell = run("momentum", "quadratic", epochs=30, lr=Schedule("exponential", eta, decay=0.5),
                       momentum=Schedule("linear", g, final=0.95, ramp=10))
            assert omap.diverged_at[j, i] == cell.diverged_at
            if cell.diverged_at < 0:
                assert omap.loss[j, i] == cell.losses[-1]
    by_epochs = outcome_map("gd", "quadratic", lr=lr_schedule, y=np.array([5, 20]))
    np.testing.assert_array_equal(by_epochs.loss[1], run("gd", "quadratic", lr=lr_schedule).losses[:, 20])
    assert lr_schedule.varies and not Schedule("constant", 0.4).varies
    assert lr_schedule.like(0.3).table(3).tolist() == pytest.approx([0.3, 0.15, 0.075])


@pytest.mark.parametrize("value, final, ramp", [(0.1, 0.0, 3), (0.7, 0.0, 3), (0.3, 0.9, 7)])
def test_a_ramp_ends_exactly_at_its_final_value_and_never_leaves_its_ends(value, final, ramp):
    """0.1 + (0 − 0.1)·3/3 is −1.4e-17 in floating point: a ramp of γ to 0 was refused as leaving
    [0, 1) at its last epoch (a class of 60 met it)."""
    schedule = Schedule("linear", value, final=final, ramp=ramp)
    values = np.array([schedule(t, 20) for t in range(1, 21)])
    assert values[ramp:].tolist() == [final] * (20 - ramp)
    assert (values >= min(value, final)).all() and (values <= max(value, final)).all()
    run("momentum", "quadratic", lr=0.1, epochs=20, momentum=schedule)  # within γ's range: no ValueError
