"""A new run for the explorer or the network: which optimizer, and an η that does not blow up here.
Plain functions of the state (the core's sweep and trainer); no Streamlit."""

from __future__ import annotations

import numpy as np

from models import mlp
from optimizers import OPTIMIZERS, sweep
from optimizers.train import train, trains
from ui.state import AppState, Run, default_run, surface_of


def new_run(s: AppState, field: str = "runs") -> Run:
    """The next optimizer not yet shown (in registry order), as ui.state.default_run makes it (the
    network's: its registry defaults), η halved until it does not diverge (from this start on this
    surface, or on the network)."""
    runs = getattr(s, field)
    # an exercise's hidden optimizer is not skipped: the next one would tell which it is
    shown = {r.optimizer for i, r in enumerate(runs) if not s.hidden_in(i)("optimizer")}
    optimizer = next((k for k in OPTIMIZERS if k not in shown), next(iter(OPTIMIZERS)))
    return working_lr(s, default_run(optimizer, surface_of(s)) if field == "runs" else Run.of(optimizer), field)


def working_lr(s: AppState, run: Run, field: str = "runs") -> Run:
    """`run` with its η halved until it does not diverge (from this start on this surface, or on the network)."""
    optimizer = run.optimizer
    lr = run.values.get("lr")
    if lr is None:
        return run
    candidates = lr * 0.5 ** np.arange(12)
    hyper = {**run.values, "lr": candidates}
    if field == "net_runs":
        steps = min(s.net_steps, 500)  # enough to see a blow-up; the page trains the rest
        result = train(optimizer, mlp.loss_and_grad, mlp.initial(s.net_init), steps=steps, **hyper)
        stays = np.flatnonzero(trains(result.losses))
    else:
        result = sweep(optimizer, surface_of(s), start=s.start_point, epochs=s.epochs, **hyper)
        stays = np.flatnonzero(result.diverged_at < 0)
    return run.with_value("lr", float(f"{candidates[stays[0]]:.3g}")) if stays.size else run


def file_stem(s: AppState) -> str:
    """What a handout's files are named after, so a second view's do not become "paths (1).csv": the surface,
    each run's optimizer and its slider values (η, γ, β, ρ), the epochs
    ("quadratic_gd-lr0.4_momentum-lr0.4-momentum0.5_20-epochs")."""
    def settings(r: Run) -> list[str]:
        return [f"{p.name}{r.values[p.name]:g}" for p in OPTIMIZERS[r.optimizer].hyperparameters
                if p.live and p.name in r.values]

    runs = "_".join("-".join([r.optimizer, *settings(r)]) for r in s.runs)
    return f"{s.surface}_{runs}_{s.epochs}-epochs"
