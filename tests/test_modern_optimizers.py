"""The optimizers after the textbook (AdamW, AMSGrad, Adamax, NAdam, RAdam, Lion): the forms their entries
say they have (their presets' lessons are checked in test_presets.py, with the others')."""

from __future__ import annotations

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run
from surfaces import SURFACES

MODERN = ("adamw", "amsgrad", "adamax", "nadam", "radam", "lion")


@pytest.mark.parametrize("optimizer", MODERN)
def test_each_new_optimizer_converges_on_the_textbook_quadratic_at_its_defaults(optimizer):
    surface = SURFACES["quadratic"]
    traj = run(optimizer, surface, start=surface.start, epochs=200, **OPTIMIZERS[optimizer].defaults)
    assert traj.losses[-1] < 0.05 * traj.losses[0]


def test_radam_steps_with_momentum_alone_until_its_variance_is_tractable():
    """ρt ≤ 5 for t ≤ 5 at β2 = 0.999: RAdam's first steps are η·v̂, GD with momentum, not Adam's."""
    surface = SURFACES["quadratic"]
    values = OPTIMIZERS["radam"].defaults
    traj = run("radam", surface, start=surface.start, epochs=5, **values)
    g = np.array(surface.grad(np.array([surface.start[0]]), np.array([surface.start[1]]))).ravel()
    assert traj.points[1] == pytest.approx(np.array(surface.start) - values["lr"] * g, rel=1e-12)


def test_the_new_optimizers_snippets_name_torchs_class_and_lion_says_torch_has_none():
    from optimizers.torch_code import torch_snippet

    surface = SURFACES["quadratic"]
    expected = {"adamw": "torch.optim.AdamW(", "amsgrad": "amsgrad=True", "adamax": "torch.optim.Adamax(",
                "nadam": "torch.optim.NAdam(", "radam": "torch.optim.RAdam("}
    for key, text in expected.items():
        assert text in torch_snippet(key, OPTIMIZERS[key].defaults, surface.code, surface.start, 20)
    assert torch_snippet("lion", OPTIMIZERS["lion"].defaults, surface.code, surface.start, 20) is None
