"""The batched core against the plain scalar loops of reference_loops.py."""

import zlib

import numpy as np
import pytest

from optimizers import OPTIMIZERS, run
from surfaces import SURFACES
from tests.reference_loops import reference_run

SURFACES_TRIED = ["quadratic", "bowl", "ravine", "rosenbrock", "himmelblau", "pits", "saddle", "plateau", "beale"]
EPOCHS = 30


def random_hyper(optimizer, rng) -> dict:
    """Values drawn from each hyperparameter's valid range (its finite slider part)."""
    hyper = {}
    for p in OPTIMIZERS[optimizer].hyperparameters:
        lo, hi = p.slider
        if p.kind == "bool":
            hyper[p.name] = bool(rng.integers(2))
        elif p.kind == "int":
            hyper[p.name] = int(rng.integers(p.low, min(p.high, 2**32 - 2) + 1))
        elif p.log:
            hyper[p.name] = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
        else:
            hyper[p.name] = float(rng.uniform(lo, hi))
        assert p.is_valid(hyper[p.name])
    return hyper


def compare(ours, reference):
    """Equal to 1e-12 relative until the reference leaves the finite numbers; NaN after.

    "Relative" is to the size of the path: where x − step cancels to near zero, a
    last-bit difference (NumPy's vectorized pow, say, against libm's) is no longer
    small relative to the tiny result, but stays ~1e-16 of the path's scale.
    """
    reference = np.array(reference)
    finite = np.isfinite(reference).all(axis=1)
    last = len(reference) if finite.all() else int(np.argmin(finite))
    scale = np.abs(reference[:last]).max(initial=0.0)
    np.testing.assert_allclose(ours[:last], reference[:last], rtol=1e-12, atol=1e-12 * scale)
    assert np.isnan(ours[last:]).all()


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("surface", SURFACES_TRIED)
def test_batched_run_equals_scalar_reference(optimizer, surface):
    rng = np.random.default_rng(zlib.crc32(f"{optimizer}/{surface}".encode()))
    settings = [random_hyper(optimizer, rng) for _ in range(6)]
    batch = {name: np.array([s[name] for s in settings]) for name in settings[0]}
    start = np.array(SURFACES[surface].start)
    traj = run(optimizer, surface, start=start, epochs=EPOCHS, **batch)
    assert traj.points.shape == (6, EPOCHS + 1, 2)
    for i, hyper in enumerate(settings):
        compare(traj.points[i], reference_run(optimizer, SURFACES[surface], start, EPOCHS, **hyper))


def test_rastrigin_short_runs_agree():
    """Rastrigin is chaotic at large steps, so compare a few epochs at modest rates."""
    for optimizer in OPTIMIZERS:
        hyper = {**OPTIMIZERS[optimizer].defaults, "lr": 0.002}
        traj = run(optimizer, "rastrigin", epochs=10, **hyper)
        compare(traj.points, reference_run(optimizer, SURFACES["rastrigin"], SURFACES["rastrigin"].start, 10, **hyper))
