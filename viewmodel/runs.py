"""A new run for the explorer or the network: which optimizer, and an η that does not blow up here.
Plain functions of the state (the core's sweep and trainer); no Streamlit."""

from __future__ import annotations

import numpy as np

from models import mlp
from optimizers import OPTIMIZERS, sweep
from optimizers.train import train
from ui.state import AppState, Run, surface_of, within_data


def new_run(s: AppState, field: str = "runs") -> Run:
    """The next optimizer not yet shown (in registry order), with its default settings,
    η halved until it does not diverge (from this start on this surface, or on the network)."""
    runs = getattr(s, field)
    shown = {r.optimizer for r in runs}
    optimizer = next((k for k in OPTIMIZERS if k not in shown), next(iter(OPTIMIZERS)))
    run = Run.of(optimizer)
    if field == "runs":  # a minibatch no larger than the data (SGD's 10 of only 5 points)
        run = within_data((run,), surface_of(s))[0]
    lr = run.values.get("lr")
    if lr is None:
        return run
    candidates = lr * 0.5 ** np.arange(12)
    hyper = {**run.values, "lr": candidates}
    if field == "net_runs":
        steps = min(s.net_steps, 500)  # enough to see a blow-up; the page trains the rest
        result = train(optimizer, mlp.loss_and_grad, mlp.initial(s.net_init), steps=steps, **hyper)
        stays = np.flatnonzero(np.isfinite(result.losses).all(axis=1) & (result.losses[:, -1] < result.losses[:, 0]))
    else:
        result = sweep(optimizer, surface_of(s), start=s.start_point, epochs=s.epochs, **hyper)
        stays = np.flatnonzero(result.diverged_at < 0)
    return run.with_value("lr", float(f"{candidates[stays[0]]:.3g}")) if stays.size else run
