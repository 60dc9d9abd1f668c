"""run() and sweep(): many settings of one optimizer on one surface, computed at once.

The start point and every hyperparameter broadcast together into a batch shape B.
Internally the batch is flattened to N members and points are stored
coordinate-major, x of shape (2, N), so each coordinate is one contiguous array.
The members are processed in blocks of BLOCK (a few hundred kB of state) so that
every elementwise operation of an epoch runs in cache; within a block, all
members advance together. No Python loop ever runs over individual members.

Any float hyperparameter may follow a schedule (optimizers/schedules.py) instead
of keeping one value: the update of epoch t = 1, 2, … then sees the schedule's
value at t, and the rule's `prepare` runs every epoch on those values.

    run("gd", "quadratic", lr=Schedule("exponential", 0.4, decay=0.1))      η_t = 0.4·0.1^(t−1)
    run("momentum", "quadratic", lr=0.1,
        momentum=Schedule("linear", 0.5, final=0.9, ramp=10))               γ_t: 0.5 → 0.9 in 10 epochs
    sweep("gd", "quadratic", lr=Schedule("exponential", 0.4, decay=np.array([0.1, 0.5])))

A schedule's value and parameters broadcast like any hyperparameter (the last
call is a batch of two decay factors). A constant schedule is its plain value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surfaces import Surface, get_surface
from surfaces.surface import undefined_at

from .registry import OPTIMIZERS, Optimizer
from .rules import MinibatchGradient, fields
from .schedules import Schedule

BLOCK = 8192


@dataclass(frozen=True)
class Trajectory:
    """Every epoch of every batch member."""

    points: np.ndarray  # (*B, epochs + 1, 2); points[..., 0, :] is the start
    losses: np.ndarray  # (*B, epochs + 1)
    diverged_at: np.ndarray  # (*B,): first diverged epoch, -1 if never

    def line(self, index=()) -> str:
        """The textbook's printed line for one member: 'epoch 20, x1 -0.943467, x2 -0.000073'."""
        return textbook_line(self.points[index][-1], self.points.shape[-2] - 1)


@dataclass(frozen=True)
class SweepResult:
    """The last epoch of every batch member, without the paths."""

    final: np.ndarray  # (*B, 2)
    loss: np.ndarray  # (*B,)
    diverged_at: np.ndarray  # (*B,)
    # (*B,): it stopped where f is undefined (a typed log(x1) at x1 < 0), which diverged_at counts as run() does
    undefined: np.ndarray


def textbook_line(point, epoch: int) -> str:
    x1, x2 = (float(v) for v in point)
    return f"epoch {epoch}, x1 {x1:f}, x2 {x2:f}"


def get_optimizer(optimizer: str | Optimizer) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        return optimizer
    try:
        return OPTIMIZERS[optimizer]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of: {', '.join(OPTIMIZERS)}") from None


def hyperparameter_values(opt: Optimizer, hyper: dict, epochs: int) -> dict[str, np.ndarray | Schedule]:
    """Every hyperparameter of `opt`, given or default, checked over `epochs` epochs; ValueError
    names the valid ones. A Schedule stays one unless it is constant (then it is its value)."""
    unknown = sorted(set(hyper) - {p.name for p in opt.hyperparameters})
    if unknown:
        raise ValueError(
            f"{opt.key} has no hyperparameter {', '.join(map(repr, unknown))}; "
            f"its hyperparameters are: {', '.join(p.name for p in opt.hyperparameters)}"
        )
    return {p.name: _value(p, hyper.get(p.name, p.default), epochs) for p in opt.hyperparameters}


def _value(p, value, epochs: int):
    if not isinstance(value, Schedule):
        return p.coerce(value)
    if value.kind.key == "constant":
        return p.coerce(value.value)  # exactly the unscheduled run
    return value.checked(p, epochs)


def hyperparameters_at(prepare, hyper: dict, epochs: int):
    """A function of the epoch t = 1, 2, … giving the prepared hyperparameters of that epoch.

    Without schedules, `prepare` runs once; with them, every epoch, so that no constant
    it derives (e.g. momentum's (1 − d)·η) freezes a scheduled value.
    """
    scheduled = {k: v for k, v in hyper.items() if isinstance(v, Schedule)}
    if not scheduled:
        h = prepare(hyper)
        return lambda t: h
    return lambda t: prepare({**hyper, **{k: s(t, epochs) for k, s in scheduled.items()}})


def check_count(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")


@dataclass(frozen=True)
class _Batch:
    optimizer: Optimizer
    surface: Surface
    shape: tuple[int, ...]  # the batch shape B
    start: np.ndarray  # (2, N)
    hyper: dict[str, np.ndarray | Schedule]  # name -> (N,) or a Schedule of (N,) arrays
    epochs: int

    @property
    def gradient(self):
        """What the rules call: the surface's gradient, which on a surface with data can also be
        taken over a minibatch (SGD's `batch_size`)."""
        examples = self.surface.examples
        if examples is None:
            return self.surface.gradient
        return MinibatchGradient(self.surface.gradient, examples.minibatch_gradient)

    def blocks(self):
        """(slice, x0, epoch t -> prepared hyperparameters) for each block of members."""
        n = self.start.shape[1]
        for lo in range(0, n, BLOCK):
            part = slice(lo, min(lo + BLOCK, n))
            hyper = {k: v[part] for k, v in self.hyper.items()}
            yield part, self.start[:, part], hyperparameters_at(self.optimizer.rule.prepare, hyper, self.epochs)


def fitted_to_data(opt: Optimizer, surf: Surface, hyper: dict) -> dict:
    """The hyperparameters with a minibatch that fits the data where none is given: the default
    batch, or all the examples where there are fewer (SGD's 10 on 5 points is GD). A batch_size
    given larger than the data is still refused."""
    if surf.examples is None or "batch_size" in hyper:
        return hyper
    default = opt.defaults.get("batch_size")
    return hyper if default is None else {**hyper, "batch_size": min(default, surf.examples.n)}


def _batch(optimizer, surface, start, epochs, hyper) -> _Batch:
    opt = get_optimizer(optimizer)
    surf = get_surface(surface)
    check_count("epochs", epochs)
    values = hyperparameter_values(opt, fitted_to_data(opt, surf, hyper), epochs)
    if "batch_size" in values and surf.examples is not None and np.any(values["batch_size"] > surf.examples.n):
        raise ValueError(f"batch_size must be at most the number of examples, {surf.examples.n}")

    try:
        start = np.asarray(surf.start if start is None else start, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"start must be a point (x1, x2) or an array of points, got {start!r}") from None
    if start.ndim == 0 or start.shape[-1] != 2:
        raise ValueError(f"start must have shape (..., 2), got shape {start.shape}")
    if not np.isfinite(start).all():
        raise ValueError("start must be finite")

    try:
        shape = np.broadcast_shapes(start.shape[:-1], *(v.shape for v in values.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {v.shape}" for k, v in values.items())
        raise ValueError(f"cannot broadcast start {start.shape[:-1]} with {shapes}") from None
    n = int(np.prod(shape))
    x0 = np.broadcast_to(start, shape + (2,)).reshape(n, 2).T.copy()
    flat = {
        k: v.flat(shape, n) if isinstance(v, Schedule) else np.broadcast_to(v, shape).reshape(n)
        for k, v in values.items()
    }
    return _Batch(opt, surf, shape, x0, flat, int(epochs))


def examples_per_step(optimizer, surface, **hyper) -> int | None:
    """How many examples one step's gradient reads on a surface with data: SGD's minibatch,
    every other method all n; None where the surface has no data."""
    surf = get_surface(surface)
    if surf.examples is None:
        return None
    opt = get_optimizer(optimizer)
    return int(fitted_to_data(opt, surf, hyper).get("batch_size", surf.examples.n))


def run(optimizer, surface, *, start=None, epochs: int = 20, **hyper) -> Trajectory:
    """Every point of `epochs` steps of `optimizer` on `surface`, for the whole batch.

    Values are exact until a point becomes non-finite; from there on the rest of
    that trajectory is NaN. `diverged_at` is the first epoch whose point is
    non-finite or past the surface's divergence bound, -1 where none is.
    """
    batch = _batch(optimizer, surface, start, epochs, hyper)
    rule, grad = batch.optimizer.rule, batch.gradient
    n = batch.start.shape[1]
    path = np.empty((batch.epochs + 1, 2, n))
    with np.errstate(all="ignore"):
        for part, x, h in batch.blocks():
            state = rule.init(x)
            path[0, :, part] = x
            for t in range(1, batch.epochs + 1):
                x, state = rule.update(x, state, grad, t, h(t))
                path[t, :, part] = x

        points = np.ascontiguousarray(path.transpose(2, 0, 1)).reshape(batch.shape + (batch.epochs + 1, 2))
        broken = np.logical_or.accumulate(~np.isfinite(points).all(axis=-1), axis=-1)
        points[broken] = np.nan
        losses = batch.surface.f(points[..., 0], points[..., 1])
        outside = ~(np.abs(points) <= batch.surface.divergence_bound).all(axis=-1)
    diverged_at = np.where(outside.any(axis=-1), outside.argmax(axis=-1), -1)
    return Trajectory(points, np.asarray(losses, dtype=float), diverged_at)


def sweep(optimizer, surface, *, start=None, epochs: int = 20, **hyper) -> SweepResult:
    """The last point, its loss and `diverged_at` of every member, as run() would give them.

    Memory is O(batch): no path is kept. Until a member of a block diverges, one
    max/min reduction per epoch shows that none did; after that, every epoch marks
    the members past the bound. Diverged members are still computed, so their
    last points equal run()'s.
    """
    batch = _batch(optimizer, surface, start, epochs, hyper)
    rule, grad = batch.optimizer.rule, batch.gradient
    bound = batch.surface.divergence_bound
    n = batch.start.shape[1]
    final = np.empty((2, n))
    diverged_at = np.full(n, -1)
    undefined = np.zeros(n, dtype=bool)
    with np.errstate(all="ignore"):
        for part, x, h in batch.blocks():
            state = rule.init(x)
            first, stopped = diverged_at[part], undefined[part]  # views: writes go to diverged_at, undefined
            clean = True  # no member of this block has diverged yet
            for t in range(0, batch.epochs + 1):
                before = x  # rules return a new x: no copy needed
                if t:
                    x, state = rule.update(x, state, grad, t, h(t))
                if clean and x.max() <= bound and x.min() >= -bound:
                    continue
                clean = False
                newly = first < 0
                newly &= ~((np.abs(x[0]) <= bound) & (np.abs(x[1]) <= bound))
                np.putmask(first, newly, t)
                if t and newly.any():  # its point before had no f (so no gradient): a stop, not a blow-up
                    loss = np.asarray(batch.surface.f(before[0][newly], before[1][newly]), dtype=float)
                    stopped[newly] = undefined_at(before[:, newly].T, loss, bound)
            final[:, part] = x
        final[:, ~np.isfinite(final).all(axis=0)] = np.nan
        final = final.T.reshape(batch.shape + (2,))
        loss = np.asarray(batch.surface.f(final[..., 0], final[..., 1]), dtype=float)
    undefined = undefined.reshape(batch.shape) | undefined_at(final, loss, bound)  # or it ends on such a point
    return SweepResult(final, loss, diverged_at.reshape(batch.shape), undefined)


class _Recording:
    """The gradient a rule is handed, keeping what the rule last asked of it: the g of its step
    (at the look-ahead point for Nesterov, over the minibatch for SGD on data)."""

    def __init__(self, inner):
        self.inner, self.last = inner, None

    def __call__(self, x):
        self.last = self.inner(x)
        return self.last

    def sample(self, *args):
        self.last = self.inner.sample(*args)
        return self.last


@dataclass(frozen=True)
class Internals:
    """Inside one run, epoch by epoch: the rule's own state, not a second computation of it."""

    points: np.ndarray  # (epochs + 1, 2)
    gradients: np.ndarray  # (epochs, 2): row t − 1 is the g that step t used
    steps: np.ndarray  # (epochs, 2): x_t − x_{t−1}
    state: dict[str, np.ndarray]  # the rule's state after step t, by field (v, s, delta): (epochs, 2) each

    @property
    def effective_rates(self) -> np.ndarray:
        """(epochs, 2): how much of each coordinate's gradient the step took, −step / g (η for GD,
        η/√(s + ε) for AdaGrad and RMSProp); NaN where g is 0."""
        with np.errstate(all="ignore"):
            rates = -self.steps / self.gradients
        return np.where(np.abs(self.gradients) > 0, rates, np.nan)


def internals(optimizer, surface, *, start=None, epochs: int = 20, **hyper) -> Internals:
    """One run (scalar hyperparameters) with its gradient, step and the rule's state at every epoch."""
    batch = _batch(optimizer, surface, start, epochs, hyper)
    if batch.shape != ():
        raise ValueError("internals() follows one run: give a single start and scalar hyperparameters")
    rule, grad = batch.optimizer.rule, _Recording(batch.gradient)
    points, gradients, steps, kept = [], [], [], {}
    with np.errstate(all="ignore"):
        for _, x, h in batch.blocks():
            state = rule.init(x)
            points.append(x[:, 0].copy())
            for t in range(1, batch.epochs + 1):
                new, state = rule.update(x, state, grad, t, h(t))
                gradients.append(np.asarray(grad.last, dtype=float)[:, 0].copy())
                steps.append((new - x)[:, 0])
                for name, value in fields(state).items():
                    kept.setdefault(name, []).append(np.asarray(value, dtype=float)[:, 0].copy())
                points.append(new[:, 0].copy())
                x = new
    points = np.array(points)
    points[np.logical_or.accumulate(~np.isfinite(points).all(axis=-1))] = np.nan  # as run() gives them
    return Internals(points, np.array(gradients).reshape(-1, 2), np.array(steps).reshape(-1, 2),
                     {name: np.array(rows) for name, rows in kept.items()})
