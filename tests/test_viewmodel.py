"""The view model without Streamlit: what a page draws, from the state alone."""

from dataclasses import replace

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run
from ui.state import AppState, Run, surface_of
from viewmodel.runs import new_run


@pytest.mark.parametrize("surface", ["quadratic", "himmelblau", "rosenbrock", "beale"])
def test_a_new_run_is_the_next_optimizer_at_an_eta_that_does_not_diverge_here(surface):
    state = AppState(surface=surface, runs=(Run.of("gd", lr=0.01),))
    added = new_run(state)
    assert added.optimizer == list(OPTIMIZERS)[1]  # the next one not yet shown, in registry order
    traj = run(added.optimizer, surface_of(state), start=state.start_point, epochs=state.epochs, **added.values)
    assert traj.diverged_at < 0


def test_a_new_network_run_trains_without_blowing_up():
    from models import mlp
    from optimizers.train import train

    state = AppState()
    added = new_run(state, "net_runs")
    assert added.optimizer not in {r.optimizer for r in state.net_runs}
    result = train(added.optimizer, mlp.loss_and_grad, mlp.initial(state.net_init), steps=500, **added.values)
    assert np.isfinite(result.losses).all() and result.losses[0, -1] < result.losses[0, 0]


@pytest.mark.parametrize("query", [{"surface": "himmelblau"}, {"surface": "custom", "formula": "x1^4 + x2^2 - x1*x2"},
                                   {"surface": "rosenbrock"}])
def test_one_rule_gives_a_new_runs_eta_wherever_the_run_is_made(query):
    """A link naming run 2 without its η, and "+ Add a run", give momentum the same η: the
    surface's own (momentum on Himmelblau got 0.4 from a link and diverged at epoch 4)."""
    from ui.link import from_query
    from ui.state import default_run, surface_lr

    state, problems = from_query({**query, "optimizer2": "momentum"})
    assert not problems
    surface = surface_of(state)
    linked = state.runs[1]
    assert linked.values["lr"] == default_run("momentum", surface).values["lr"] == surface_lr("momentum", surface)
    added = new_run(replace(state, runs=(state.runs[0], Run.of("sgd"))))  # the next one not shown: momentum
    assert added.optimizer == "momentum" and added.values["lr"] == linked.values["lr"]
    traj = run("momentum", surface, start=state.start_point, epochs=state.epochs, **linked.values)
    assert traj.diverged_at < 0


@pytest.mark.parametrize(("surface", "axes"), [("quadratic", ["x1", "x2"]), ("regression", ["b", "w"])])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_point_under_the_pointer_is_named_by_the_surfaces_axis_symbols(surface, axes, lang):
    from viewmodel.trajectories import chart_words

    assert chart_words(lang, surface_of(AppState(surface=surface)))["axes"] == axes
    assert "axes" not in chart_words(lang)  # a chart without a plane to click names no point
