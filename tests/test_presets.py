"""Every preset's lesson, checked against what the preset itself computes.

CLAIMS lists, next to each preset, the claims its lesson makes: who converges, who
diverges, which run is faster, who stays stuck. Each check runs the preset's own state
(surface, start, epochs, runs). A number the lesson quotes is computed here and must
appear in the lesson in both languages (`said`)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages import charts

from figures import momentum_weights
from figures.palette import PALETTE
from optimizers import Trajectory, internals, run, sweep
from surfaces import Surface
from ui.i18n import TABLES
from ui.presets import PRESETS
from ui.state import run_hyper, surface_of


@dataclass(frozen=True)
class Shown:
    """What a preset draws: its surface, start and every run."""

    key: str
    surface: Surface
    start: tuple[float, float]
    epochs: int
    runs: list[Trajectory]

    def again(self, optimizer: str, epochs: int | None = None, **hyper) -> Trajectory:
        """Another run from the same start on the same surface."""
        return run(optimizer, self.surface, start=self.start, epochs=epochs or self.epochs, **hyper)


def runs_of(state) -> list[Trajectory]:
    """The explorer's runs of a state, through the core."""
    surface = surface_of(state)
    return [run(r.optimizer, surface, start=state.start_point, epochs=state.epochs,
                **run_hyper(r.optimizer, r.hyper, r.schedules)) for r in state.runs]


@functools.cache
def shown(key: str) -> Shown:
    state = PRESETS[key].state
    return Shown(key, surface_of(state), state.start_point, state.epochs, runs_of(state))


# --- what a claim can say about a run ---------------------------------------------------------


def gap(tr: Trajectory, s: Surface) -> np.ndarray:
    """Height above the lowest minimum, per epoch."""
    return tr.losses - s.floor()


def converges(tr: Trajectory, s: Surface) -> bool:
    """No divergence, and the height above the minimum falls below 1% of the start's."""
    return bool(tr.diverged_at < 0 and gap(tr, s)[-1] < 0.01 * gap(tr, s)[0])


def outside(tr: Trajectory, s: Surface) -> bool:
    (a, b), (c, d) = s.bounds
    x1, x2 = tr.points[-1]
    return not (a <= x1 <= b and c <= x2 <= d)


def diverges(tr: Trajectory, s: Surface) -> bool:
    """Past the divergence bound, or out of the plot and higher than it began, still climbing."""
    climbing = tr.losses[-1] > tr.losses[0] and tr.losses[-1] > tr.losses[-2]
    return bool(tr.diverged_at >= 0 or (outside(tr, s) and climbing))


def distance(point, target) -> float:
    return float(np.hypot(*(np.asarray(point) - np.asarray(target))))


def to_minimum(tr: Trajectory, s: Surface) -> float:
    """How far the last point is from the nearest listed minimum."""
    return min(distance(tr.points[-1], m) for m in s.minima)


def first_epoch(condition: np.ndarray) -> float:
    hits = np.flatnonzero(condition)
    return int(hits[0]) if hits.size else math.inf


def sign_changes(values: np.ndarray) -> int:
    return int((np.diff(np.sign(values)) != 0).sum())


def rates(tr: Trajectory, s: Surface) -> np.ndarray:
    """|Δx| / |g| per step and coordinate: the per-coordinate learning rate an adaptive method used."""
    g = np.stack(s.grad(tr.points[:-1, 0], tr.points[:-1, 1]), axis=1)
    return np.abs(np.diff(tr.points, axis=0)) / np.abs(g)


def stable_at(optimizer: str, s: Surface, start, lrs, **hyper) -> np.ndarray:
    """Per η: does a long run end far below its start (True) or above it (False)?"""
    result = sweep(optimizer, s, start=start, epochs=1000, lr=np.asarray(lrs), **hyper)
    start_loss = float(s.f(*start))
    ends = np.where(np.isfinite(result.loss), result.loss, np.inf)
    assert ((ends < 1e-3 * start_loss) | (ends > start_loss)).all(), "each η either converges or diverges"
    return ends < start_loss


def q(value: float, digits: int) -> str:
    """A number as the lessons write it (with a real minus sign)."""
    return f"{value:.{digits}f}".replace("-", "−")


def said(key: str, *numbers: str) -> None:
    """The lesson quotes each number, in both languages."""
    for lang in TABLES:
        lesson = PRESETS[key].lesson(lang)
        missing = [n for n in numbers if n not in lesson]
        assert not missing, f"{lang} lesson of {key} does not say {missing}: {lesson}"


# --- the claims, preset by preset ---------------------------------------------------------------


def gd_04(p: Shown):
    gd = p.runs[0]
    assert converges(gd, p.surface)
    ratio = gd.points[1:] / gd.points[:-1]  # each epoch multiplies x1 and x2 by a constant
    assert np.allclose(ratio[:, 0], 1 - 0.4 * 0.2) and np.allclose(ratio[:, 1], 1 - 0.4 * 4)
    x1, x2 = gd.points[-1]
    assert abs(x1 / p.start[0]) > 0.1 > 1e-4 > abs(x2 / p.start[1])  # slow along x1, done along x2
    said("gd_04", "0.92", "−0.6", q(x2, 6), q(x1, 3))


def gd_06(p: Shown):
    gd = p.runs[0]
    assert diverges(gd, p.surface)
    ratio = gd.points[1:, 1] / gd.points[:-1, 1]
    assert np.allclose(ratio, 1 - 0.6 * 4) and sign_changes(gd.points[:, 1]) == p.epochs
    assert 0.6 * max(p.surface.hessian_eigenvalues) == pytest.approx(2.4)
    said("gd_06", "−1.4", "2.4", q(gd.points[-1, 1], 0))


def momentum_04(p: Shown):
    heavy, gd = p.runs[0], shown("gd_04").runs[0]  # GD at the same η
    assert converges(heavy, p.surface)
    assert abs(heavy.points[-1, 0]) < abs(gd.points[-1, 0]) / 10  # faster along x1
    changes, gd_changes = sign_changes(heavy.points[:, 1]), sign_changes(gd.points[:, 1])
    assert changes < gd_changes == p.epochs  # the x2 swings partly cancel
    said("momentum_04", q(heavy.points[-1, 0], 3), q(gd.points[-1, 0], 3), str(changes))


def momentum_06(p: Shown):
    assert converges(p.runs[0], p.surface) and diverges(shown("gd_06").runs[0], p.surface)
    lam = max(p.surface.hessian_eigenvalues)
    assert 2 * (1 + 0.5) / lam == 0.75 and 2 / lam == 0.5
    assert list(stable_at("momentum", p.surface, p.start, [0.74, 0.76], momentum=0.5)) == [True, False]
    assert list(stable_at("gd", p.surface, p.start, [0.49, 0.51])) == [True, False]
    said("momentum_06", "0.75", "0.5")


def gd_vs_momentum(p: Shown):
    assert [outside(tr, p.surface) for tr in p.runs] == [False, True, False, False]  # only GD at 0.6 leaves
    assert diverges(p.runs[1], p.surface)
    assert all(converges(p.runs[i], p.surface) for i in (0, 2, 3))
    assert min((0, 2, 3), key=lambda i: to_minimum(p.runs[i], p.surface)) == 3  # momentum at 0.6 is closest


def bowl_gd(p: Shown):
    gd = p.runs[0]
    ratio = gd.points[1:] / gd.points[:-1]
    assert np.allclose(ratio[:, 0], 0.8) and np.allclose(ratio[:, 1], 0.6)
    assert sign_changes(gd.points[:, 0]) == sign_changes(gd.points[:, 1]) == 0  # no zig-zag
    assert (np.diff(gd.losses) < 0).all() and converges(gd, p.surface)
    said("bowl_gd", "0.8", "0.6")


def sgd_noise(p: Shown):
    gd, sgd = p.runs
    rises = int((np.diff(sgd.losses) > 0).sum())
    assert rises > 0 and (np.diff(gd.losses) < 0).all()  # SGD wanders, GD does not
    assert converges(sgd, p.surface)  # on average downhill
    assert gap(gd, p.surface)[-1] < gap(sgd, p.surface)[-1]  # GD ends closer
    said("sgd_noise", str(rises), q(sgd.losses[0], 0),
         q(sgd.losses[-1], 3), q(gd.losses[-1], 4))


def adagrad_04(p: Shown):
    ada = p.runs[0]
    along_x1 = rates(ada, p.surface)[:, 0]
    assert (np.diff(along_x1) < 0).all()  # the rates only shrink
    assert distance(ada.points[-1], (0, 0)) > 2  # stalled far from the minimum
    said("adagrad_04", q(along_x1[0], 1), q(along_x1[-1], 2), q(ada.points[-1, 0], 3))


def adagrad_2(p: Shown):
    ada, slow = p.runs[0], shown("adagrad_04").runs[0]
    assert to_minimum(ada, p.surface) < 0.01 < 2 < to_minimum(slow, p.surface)
    said("adagrad_2", q(ada.points[-1, 0], 3), q(slow.points[-1, 0], 3))


def rmsprop_04(p: Shown):
    rms, ada = p.runs[0], shown("adagrad_04").runs[0]  # AdaGrad at the same η
    along_x1 = rates(rms, p.surface)[:, 0]
    lowest = int(np.argmin(along_x1))
    assert (np.diff(along_x1[: lowest + 1]) < 0).all() and (np.diff(along_x1[lowest:]) > 0).all()
    assert (np.diff(rates(ada, p.surface)[:, 0]) < 0).all()
    assert to_minimum(rms, p.surface) < 0.02 < 2 < to_minimum(ada, p.surface)
    said("rmsprop_04", str(lowest + 1), q(rms.points[-1, 0], 3), q(ada.points[-1, 0], 3))


def rmsprop_gamma_1(p: Shown):
    fine, broken = p.runs
    assert converges(fine, p.surface) and diverges(broken, p.surface)
    factor = 0.4 / math.sqrt(1e-6)  # η/√ε with s = 0
    g = np.array(p.surface.grad(*p.start))
    assert np.allclose(broken.points[1], np.array(p.start) - factor * g)  # the first step is η·g/√ε
    said("rmsprop_gamma_1", q(factor, 0), q(p.start[0], 0), q(broken.points[1, 0], 0), q(p.start[1], 0),
         q(broken.points[1, 1], 0), str(int(broken.diverged_at)),  # x2's jump, the one the chart shows, too
         str(len(broken.points) - 1), f"{broken.points[-1, 1]:.1e}".replace("+", "").replace("-", "−"))
    assert np.isfinite(broken.points).all()  # the values it prints at the end are finite


def textbook_adadelta(s: Surface, start, epochs: int, rho: float, eps: float) -> np.ndarray:
    """The textbook's AdaDelta (§7.7), which has no learning rate."""
    x, sq, delta, points = np.array(start, dtype=float), np.zeros(2), np.zeros(2), [start]
    for _ in range(epochs):
        g = np.array(s.grad(*x))
        sq = rho * sq + (1 - rho) * g * g
        step = np.sqrt((delta + eps) / (sq + eps)) * g
        x = x - step
        delta = rho * delta + (1 - rho) * step * step
        points.append(tuple(x))
    return np.array(points)


def adadelta(p: Shown):
    state = PRESETS["adadelta"].state
    quoted = []
    for r, tr in zip(state.runs, p.runs):
        v = r.values
        assert v["lr"] == 1  # η = 1 is the textbook's AdaDelta
        assert np.allclose(tr.points, textbook_adadelta(p.surface, p.start, p.epochs, v["rho"], v["eps"]))
        first = np.abs(tr.points[1] - tr.points[0])
        assert np.allclose(first, math.sqrt(v["eps"] / (1 - v["rho"])), rtol=1e-3)
        assert to_minimum(tr, p.surface) > 1  # neither gets near the minimum
        quoted.append(q(first[0], 3))
    low, high = p.runs
    assert gap(high, p.surface)[-1] < gap(low, p.surface)[-1]  # the larger ρ gets further
    said("adadelta", *quoted, q(high.points[-1, 0], 2), q(low.points[-1, 0], 2))


def adam(p: Shown):
    rms, adam_, plain = p.runs
    first = np.abs(adam_.points[1] - adam_.points[0])
    assert np.allclose(first, 0.4, rtol=1e-5) and (first < 0.4).all()  # bias correction: the first step is η, but for ε
    peak = int(np.argmax(adam_.points[:, 0]))
    assert adam_.points[peak, 0] > 1  # carried past the minimum at x1 = 0
    assert to_minimum(rms, p.surface) < 1e-6  # RMSProp is at the minimum
    assert to_minimum(plain, p.surface) < 0.01 < 0.1 < to_minimum(adam_, p.surface)  # without momentum, near it too
    said("adam", f"{first[0]:.7f}", q(adam_.points[peak, 0], 2), str(peak), q(adam_.points[-1, 0], 3),
         q(adam_.points[-1, 1], 3))


def nesterov(p: Shown):
    heavy, fast, slow = p.runs
    assert converges(heavy, p.surface) and diverges(fast, p.surface) and converges(slow, p.surface)
    gamma, lam = 0.5, max(p.surface.hessian_eigenvalues)
    assert 2 * (1 + gamma) / ((1 + 2 * gamma) * lam) == 0.375
    assert list(stable_at("nesterov", p.surface, p.start, [0.37, 0.38], momentum=gamma)) == [True, False]
    assert to_minimum(slow, p.surface) > abs(slow.points[-1, 1]) * 100  # slowly, along x1
    said("nesterov", "0.375", q(fast.points[-1, 1], 0), q(slow.points[-1, 0], 3))


def ema_momentum(p: Shown):
    undamped, damped = p.runs
    same = p.again("momentum", lr=0.4 * (1 - 0.9), momentum=0.9)  # undamped at η·(1 − γ)
    assert np.allclose(damped.points, same.points)
    assert np.allclose(damped.points[1] - damped.points[0], 0.1 * (undamped.points[1] - undamped.points[0]))
    said("ema_momentum", "0.04", "10")


def beta_weights(p: Shown):
    assert np.allclose(momentum_weights(0.1, 3) * 100, [100, 10, 1])
    assert np.allclose(momentum_weights(0.9, 3) * 100, [100, 90, 81])
    forgetful, remembering = p.runs
    assert to_minimum(remembering, p.surface) < to_minimum(forgetful, p.surface)
    peak = int(np.argmax(remembering.points[:, 0]))
    assert remembering.points[peak, 0] > 0 > forgetful.points[:, 0].max()  # only β = 0.9 passes the minimum
    said("beta_weights", "100%", "10%", "1%", "90%", "81%", q(remembering.points[peak, 0], 2), str(peak),
         q(remembering.points[-1, 0], 3), q(forgetful.points[-1, 0], 3))


def pits(p: Shown):
    floor, first_pit, second_pit = p.surface.minima
    gd, slow, fast = p.runs
    assert distance(gd.points[-1], first_pit) < 0.01  # GD stops in the first pit
    # seed 003's form at η = 0.1: out of the first pit, settling into the second
    assert distance(slow.points[-1], second_pit) < 0.05 and slow.points[-1, 0] > first_pit[0] + 1
    assert distance(fast.points[-1], floor) < 0.05  # at η = 1: through both pits to the floor
    undamped = p.again("momentum", lr=0.1, momentum=0.9)
    assert np.allclose(fast.points, undamped.points)  # η = 1 with d = 0.9 is undamped momentum at η = 0.1
    assert np.allclose(slow.points[1] - slow.points[0], 0.1 * (undamped.points[1] - undamped.points[0]))
    assert first_pit[0] < second_pit[0] < floor[0]
    said("pits", q(first_pit[0], 2), q(second_pit[0], 2), "0.9", "10")


def plateau(p: Shown):
    gd, heavy = p.runs
    gd_off, heavy_off = first_epoch(gd.losses < 0.5), first_epoch(heavy.losses < 0.5)
    assert heavy_off < gd_off < p.epochs  # momentum leaves the plateau sooner
    first_step = distance(gd.points[1], gd.points[0])
    said("plateau", q(first_step, 2), str(gd_off), str(heavy_off))


def saddle(p: Shown):
    gd, heavy = p.runs
    near = [int((np.hypot(*tr.points.T) < 0.5).sum()) for tr in (gd, heavy)]
    assert near[1] < near[0]  # momentum rushes past the saddle
    assert to_minimum(gd, p.surface) < 0.01  # GD escapes to a minimum
    assert 0.05 < to_minimum(heavy, p.surface) < 0.5  # momentum still swinging around it
    said("saddle", str(near[0]), str(near[1]), str(p.epochs))


SEED_002_PRINTED = {"first": 5.894802675477298, "last": 0.63867258334531}  # its printed MSE lines


def regression(p: Shown):
    gd, heavy = p.runs
    x, y = p.surface.examples.x, p.surface.examples.y
    rng = np.random.RandomState(42)  # the seed's data: np.random.seed(42); X = rand(100, 1); y = 2 + 3X + randn
    seed_x = rng.rand(100, 1)
    seed_y = 2 + 3 * seed_x + rng.randn(100, 1)
    assert np.array_equal(seed_x[:, 0], x) and np.array_equal(seed_y[:, 0], y)
    with pytest.raises(ValueError, match="broadcast"):  # its code as printed stops at its first iteration
        theta, velocity = np.zeros(1), np.zeros(1)
        errors = seed_x @ theta - seed_y  # (100,) − (100, 1): a 100 × 100 matrix
        velocity = 0.9 * velocity + 0.1 * (1 / 100) * (seed_x.T @ errors)
        theta -= velocity
    first_line = np.mean((seed_x @ np.zeros(1) - seed_y[:, 0]) ** 2)  # its X, θ = 0: the MSE where it starts
    least = 2 * float(p.surface.f(*p.surface.minima[0]))  # the least MSE of any line b + w·x
    assert round(first_line, 1) == 13.0 != round(SEED_002_PRINTED["first"], 1)
    assert SEED_002_PRINTED["last"] < least
    mse_gd, mse_heavy = 2 * gd.losses[-1], 2 * heavy.losses[-1]
    assert q(mse_heavy, 3) == q(least, 3) and mse_gd > mse_heavy
    assert first_epoch(gap(heavy, p.surface) < 1e-3) < first_epoch(gap(gd, p.surface) < 1e-3)
    above = np.flatnonzero(heavy.losses[1:] >= gd.losses[1:]) + 1  # momentum swings: above GD at these epochs
    below = np.flatnonzero(heavy.losses[1:] < gd.losses[1:]) + 1
    assert below[0] < above[-1]  # now below, now above
    stays_below_from = int(above[-1]) + 1
    said("regression", str(stays_below_from), q(mse_heavy, 3), q(mse_gd, 3), q(first_line, 1),
         q(SEED_002_PRINTED["first"], 2), q(SEED_002_PRINTED["last"], 3))


def ravine(p: Shown):
    gd, heavy = p.runs
    across = [tr.points[:, 0] - tr.points[:, 1] for tr in (gd, heavy)]
    along = [tr.points[-1, 0] + tr.points[-1, 1] for tr in (gd, heavy)]
    assert sign_changes(across[0]) == p.epochs and np.allclose(across[0][1:] / across[0][:-1], 1 - 0.23 * 8)
    assert abs(across[1][-1]) < 1e-4 < abs(across[0][-1])  # momentum damps the bouncing
    assert abs(along[1]) < abs(along[0])  # and moves along the valley faster
    said("ravine", "0.84", q(abs(across[0][-1]), 3), "0.0001")


def lr_decay(p: Shown):
    constant, decayed = p.runs
    state = PRESETS["lr_decay"].state
    etas = run_hyper("gd", state.runs[1].hyper, state.runs[1].schedules)["lr"].table(p.epochs)
    assert np.allclose(etas, 0.4 * 0.1 ** np.arange(p.epochs), rtol=1e-12)  # η × 1/10 per epoch
    assert (constant.points[0] == decayed.points[0]).all() and (constant.points[1] == decayed.points[1]).all()
    steps = np.abs(np.diff(decayed.points[:, 0]))
    # each step about a tenth of the one before (until it is below the last digit of x1: a step of 0)
    assert np.allclose(steps[1:8] / steps[:7], 0.1, rtol=0.1) and steps[-1] < 1e-15
    assert etas.sum() == pytest.approx(0.4 / (1 - 0.1), rel=1e-12)  # all the η_t together: the geometric bound
    assert converges(constant, p.surface) and not converges(decayed, p.surface)
    assert to_minimum(decayed, p.surface) > 4 > 1 > to_minimum(constant, p.surface)  # stalled far from the minimum
    assert abs(decayed.points[-1, 0] - decayed.points[3, 0]) < 1e-3  # and has barely moved since epoch 3
    said("lr_decay", *(q(step, 3) for step in steps[:3]), q(0.4 / (1 - 0.1), 3), q(decayed.points[-1, 0], 3),
         q(constant.points[-1, 0], 3))


def momentum_ramp(p: Shown):
    constant, ramp = p.runs
    state = PRESETS["momentum_ramp"].state
    assert [r.values["lr"] for r in state.runs] == [0.4 / 5] * 2
    gammas = run_hyper("momentum", state.runs[1].hyper, state.runs[1].schedules)["momentum"].table(p.epochs)
    assert gammas[0] == 0.5 and np.allclose(gammas[10:], 0.9) and (np.diff(gammas) >= 0).all()
    assert gammas[9] < 0.9 == gammas[10]  # "0.9 at epoch 11": k = 10 steps of change (γ_10 is 0.86)
    said("momentum_ramp", "k = 10", "0.5", " 11")
    swings = [np.abs(tr.points[1:, 1]).max() for tr in (constant, ramp)]
    assert swings[1] < swings[0]  # the gentle start swings less across x2
    assert constant.points[:, 0].max() > 0 > ramp.points[:, 0].max()  # only the constant γ passes the minimum
    assert to_minimum(ramp, p.surface) < to_minimum(constant, p.surface)
    said("momentum_ramp", q(swings[1], 2), q(swings[0], 2), q(ramp.points[-1, 0], 3), q(constant.points[-1, 0], 3),
         q(to_minimum(ramp, p.surface), 3), q(to_minimum(constant, p.surface), 3))


def minibatch(p: Shown):
    one, ten, full = p.runs
    assert [r.values["batch_size"] for r in PRESETS[p.key].state.runs] == [1, 10, 100] == [1, 10, p.surface.examples.n]
    assert PRESETS[p.key].state.loss_by_examples  # it opens on the fair axis
    assert np.array_equal(full.points, p.again("gd", lr=0.1).points)  # all the data: gradient descent
    one_pass = [gap(tr, p.surface)[100 // b] for tr, b in zip(p.runs, (1, 10, 100))]  # after 100 examples each
    assert one_pass[0] < one_pass[1] < one_pass[2]  # by examples, the smaller batch is ahead
    rises = [int((np.diff(tr.losses) > 0).sum()) for tr in p.runs]
    assert rises[2] == 0 < rises[1] < rises[0]  # by steps, the bigger batch is steadier
    said("minibatch", q(one_pass[0], 3), q(one_pass[1], 2), q(one_pass[2], 2), str(rises[0]))


def minibatch_lr(p: Shown):
    one, ten, full = p.runs
    s = p.surface
    rate = 1.0 * max(s.hessian_eigenvalues)
    assert rate < 2 and converges(full, s)
    curvature = float((1 + s.examples.x**2).max())  # one example's Hessian [[1, x], [x, x²]]: eigenvalue 1 + x²
    assert 1.9 < 1.0 * curvature < 2
    last = [gap(tr, s)[-25:].max() for tr in p.runs]
    assert last[2] < 1e-6 < last[1] < last[0] and last[0] > 1  # the single example jumps, the full batch settled
    assert all(tr.diverged_at == -1 for tr in p.runs)
    end = gap(full, s)[-1]
    mantissa, exponent = f"{end:.1e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    said("minibatch_lr", q(rate, 2), f"{mantissa}×10{power}", q(curvature, 2),
         q(last[0], 2), q(last[1], 2))


def adam_vs_adamw(p: Shown):
    adam, adamw = (tr.points[-1] for tr in p.runs)

    def regularized_gradient(point):  # |∇f + λx|: zero at the minimum of f + λ|x|²/2
        g = np.array(p.surface.grad(np.array([point[0]]), np.array([point[1]]))).ravel()
        return float(np.linalg.norm(g + 0.1 * point))

    assert regularized_gradient(adam) < 1.5e-4 < 5 < regularized_gradient(adamw)
    said("adam_vs_adamw", "λ = 0.1", q(np.linalg.norm(adam - adamw), 2), q(regularized_gradient(adam), 4),
         q(regularized_gradient(adamw), 1))


def lion_sign(p: Shown):
    lion, adam = p.runs
    assert np.allclose(np.abs(np.diff(lion.points, axis=0)), 0.1, rtol=1e-12, atol=1e-12)  # exactly η, always
    x1, x2 = lion.points[:, 0], lion.points[:, 1]
    arrives = int(np.argmax(np.abs(x2) < 1e-12))
    turns = int(np.argmax(x2))
    swings = next(k for k in range(p.epochs) if np.allclose(np.abs(x2[k:] - 0.05), 0.05))
    passes = int(np.argmax(np.abs(x1) < 1e-12))
    assert x1[-1] > 0.5  # x1 keeps going past the minimum
    adam_steps = np.linalg.norm(np.diff(adam.points, axis=0), axis=1)
    assert adam_steps[-1] < 0.5 * adam_steps[:10].max()  # Adam's steps shrink as it arrives
    said("lion_sign", "η = 0.1", f" {arrives}", q(x2.max(), 1), f" {swings}", f" {passes}")
    assert turns > arrives


def amsgrad_vs_adam(p: Shown):
    state = PRESETS["amsgrad_vs_adam"].state
    rates = {}
    for r in state.runs:
        inside = internals(r.optimizer, p.surface, start=p.start, epochs=p.epochs,
                           **run_hyper(r.optimizer, r.hyper, r.schedules))
        s = inside.state["s_max" if r.optimizer == "amsgrad" else "s"][:, 1]
        rates[r.optimizer] = 0.1 / np.sqrt(s / (1 - 0.9 ** np.arange(1, p.epochs + 1)))  # η/√ŝ along x2
        if r.optimizer == "amsgrad":
            assert (np.diff(inside.state["s_max"], axis=0) >= 0).all()  # its s never falls
    adam, ams = rates["adam"], rates["amsgrad"]
    assert adam[-1] > 5 * ams[-1]
    said("amsgrad_vs_adam", "β2 = 0.9", q(adam.min(), 4), q(adam[-1], 2), f" {p.epochs}", q(ams[-1], 2))


CLAIMS = {f.__name__: f for f in (gd_04, gd_06, momentum_04, momentum_06, gd_vs_momentum, bowl_gd, sgd_noise,
                                  adagrad_04, adagrad_2, rmsprop_04, rmsprop_gamma_1, adadelta, adam, nesterov,
                                  ema_momentum, beta_weights, pits, plateau, saddle, regression, ravine, lr_decay,
                                  momentum_ramp, minibatch, minibatch_lr, adam_vs_adamw, lion_sign,
                                  amsgrad_vs_adam)}


def test_every_preset_has_its_claims_checked():
    assert set(CLAIMS) == set(PRESETS)


@pytest.mark.parametrize("key", list(PRESETS))
def test_lesson_agrees_with_the_runs(key):
    CLAIMS[key](shown(key))


@pytest.mark.parametrize("key", list(PRESETS))
def test_sources_are_books_and_articles_in_the_page_language(key):
    for lang in TABLES:
        cite = PRESETS[key].cite(lang)
        assert cite and "seed" not in cite.lower() and "{" not in cite
    assert "；" in PRESETS["saddle"].cite("zh") and "; " in PRESETS["saddle"].cite("en")


def test_the_weights_figure_draws_every_momentum_run_in_its_colour():
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.query_params["preset"] = "beta_weights"
    at.run()
    assert not at.exception
    data = charts(at)["weights"]["figure"]["data"]
    assert [d["line"]["color"] for d in data] == list(PALETTE[:2])
    assert [d["name"][:2] for d in data] == ["1.", "2."]
