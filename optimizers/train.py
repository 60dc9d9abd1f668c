"""Training a parameter vector of any length with the same update rules.

`train()` is run() for models: the rules of rules.py act elementwise, so they
update a (D, N) array of N parameter vectors as readily as 2D points. The loss
is recorded before each update, and an optional target stops a member as in
seed 003 (`if L < target: break`, after that step's update).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterator

import numpy as np

from .engine import check_count, get_optimizer, hyperparameter_values, hyperparameters_at
from .schedules import Schedule
from .rules import tree_map


@dataclass(frozen=True)
class TrainResult:
    params: np.ndarray  # (N, steps + 1, D): the parameters before each step, and at the end
    losses: np.ndarray  # (N, steps + 1): the loss at those parameters
    stopped_at: np.ndarray  # (N,): the step whose loss first fell below the target, -1 if none


BLOWN_UP = 100.0  # a loss this many times its first, finite still: the run is diverging (not one that oscillates)


def trains(losses: np.ndarray) -> np.ndarray:
    """Per member (losses (N, steps + 1)): finite throughout, and lower at the end than at the start."""
    return np.isfinite(losses).all(axis=-1) & (losses[..., -1] < losses[..., 0])


def blows_up(losses: np.ndarray) -> np.ndarray:
    """Per member: the loss is no longer finite, or has grown BLOWN_UP times (RMSProp or Lion at a large η end a bit
    above their first loss, bounded: not this)."""
    return ~np.isfinite(losses).all(axis=-1) | (losses[..., -1] > BLOWN_UP * losses[..., 0])


def train(optimizer, loss_and_grad: Callable, x0, *, steps: int, target: float | None = None, **hyper) -> TrainResult:
    """Train N members at once. `loss_and_grad(x)` maps x of shape (D, N) to the
    losses (N,) and the gradient (D, N); x0 is (D,) or (D, N). Hyperparameters are
    scalars, arrays of shape (N,) or Schedules of them (step s + 1 is their epoch t, steps their T)."""
    *_, (_, result) = training(optimizer, loss_and_grad, x0, steps=steps, target=target, **hyper)
    return result


def training(optimizer, loss_and_grad: Callable, x0, *, steps: int, target: float | None = None, every: int = 0,
             **hyper) -> Iterator[tuple[int, TrainResult]]:
    """train() in pieces: yields (steps done, the result so far) after every `every` steps
    (0: never), and last (steps, train()'s result). A caller may stop between pieces."""
    opt = get_optimizer(optimizer)
    check_count("steps", steps)
    values = hyperparameter_values(opt, hyper, steps)
    x = np.array(x0, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    n = int(np.broadcast_shapes(x.shape[1:], *(v.shape for v in values.values()))[0]) if x.ndim == 2 else 1
    x = np.broadcast_to(x, (x.shape[0], n)).copy()
    h = hyperparameters_at(
        opt.rule.prepare,
        {k: v.flat((n,), n) if isinstance(v, Schedule) else np.broadcast_to(v, (n,)) for k, v in values.items()},
        steps,
    )

    params = np.empty((steps + 1, x.shape[0], n))
    losses = np.empty((steps + 1, n))
    stopped_at = np.full(n, -1)
    active = np.ones(n, bool)
    state = opt.rule.init(x)
    for step in range(steps + 1):
        with np.errstate(all="ignore"):  # per step: a generator must not leave it set while it waits
            loss, gradient = loss_and_grad(x)
            params[step], losses[step] = x, loss
            if step == steps:
                break

            # the gradient just computed, unless the rule looks elsewhere (Nesterov)
            def grad(point, evaluated=x, gradient=gradient):
                return gradient if point is evaluated else loss_and_grad(point)[1]

            new_x, new_state = opt.rule.update(x, state, grad, step + 1, h(step + 1))
            x = np.where(active, new_x, x)
            state = tree_map(lambda a, b, on=active: np.where(on, a, b), new_state, state)
            if target is not None:
                reached = active & (loss < target)
                stopped_at[reached] = step
                active &= ~reached
        if every and (step + 1) % every == 0 and step + 1 < steps:  # the last piece is the whole result
            yield step + 1, TrainResult(params[:step + 1].transpose(2, 0, 1), losses[:step + 1].T, stopped_at.copy())
    yield steps, TrainResult(params.transpose(2, 0, 1), losses.T, stopped_at)


def stacked(optimizer, settings: list[dict]) -> dict:
    """Several settings as one batch's hyperparameters: values stacked, and schedules, which must be
    of one kind per hyperparameter, stacked into one schedule. `members(train(..., **stacked(…)), n)`
    equals each setting's own train() bit for bit."""
    defaults, batch = get_optimizer(optimizer).defaults, {}
    for name in dict.fromkeys(k for hyper in settings for k in hyper):
        given = [hyper.get(name, defaults.get(name)) for hyper in settings]
        if any(isinstance(v, Schedule) for v in given):
            kinds = {v.kind.key for v in given if isinstance(v, Schedule)}
            if len(kinds) > 1 or not all(isinstance(v, Schedule) for v in given):
                raise ValueError(f"{name}: every setting must follow the same kind of schedule to be trained together")
            batch[name] = Schedule(kinds.pop(), np.array([v.value for v in given]),
                                   **{k: np.array([v.params[k] for v in given]) for k in given[0].params})
        else:
            batch[name] = np.array(given)
    return batch


def members(result: TrainResult, count: int) -> list[TrainResult]:
    """A batched result as one result per member."""
    return [TrainResult(result.params[i:i + 1], result.losses[i:i + 1], result.stopped_at[i:i + 1])
            for i in range(count)]
