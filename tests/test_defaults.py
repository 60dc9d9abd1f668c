"""Every surface opens on settings worth seeing: from its own start, with its own η,
every optimizer moves without diverging and ends finite and lower than it began."""

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run
from surfaces import SURFACES
from surfaces.critical import suggested_lr
from ui.link import from_query
from ui.state import AppState, Run, surface_keys, surface_lr, surface_of

EPOCHS = (20, 100)  # the default epochs, and a longer look


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer_at_its_defaults_moves_down_on_every_surface(surface, optimizer):
    elsewhere = "bowl" if surface != "bowl" else "quadratic"  # choose it from another surface
    state = AppState(surface=elsewhere, runs=(Run.of(optimizer),)).changed(surface=surface)
    r = state.runs[0]
    if OPTIMIZERS[optimizer].lr_from_surface:
        assert r.values["lr"] == surface_lr(optimizer, surface_of(state))
    for epochs in EPOCHS:
        traj = run(r.optimizer, surface, start=state.start_point, epochs=epochs, **r.values)
        assert traj.diverged_at == -1, (surface, optimizer, epochs)
        assert np.isfinite(traj.points).all() and np.isfinite(traj.losses).all()
        if optimizer != "sgd":  # SGD's noise (σ = 1) may outweigh a plateau's tiny gradient: its lesson
            assert traj.losses[-1] < traj.losses[0], (surface, optimizer, epochs, traj.losses[[0, -1]])


@pytest.mark.parametrize("surface", surface_keys())
def test_choosing_a_surface_brings_its_own_start_and_eta(surface):
    chosen = AppState().changed(surface=surface)
    assert chosen.start_point == surface_of(chosen).start
    assert chosen.runs[0].values["lr"] == suggested_lr(surface_of(chosen))
    linked, problems = from_query({"surface": surface})
    assert not problems and linked.runs == chosen.runs


def test_a_run_the_user_set_keeps_its_eta_when_only_the_data_change():
    state = AppState().changed(surface="regression").changed(runs=(Run.of("gd", lr=0.3),))
    assert state.changed(data_n=50).runs[0].values["lr"] == 0.3
