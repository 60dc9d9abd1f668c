"""The printed lines of the textbook (DESIGN.md's reference results), digit for digit."""

import pytest

from optimizers import run

START = (-5, -2)

TEXTBOOK = [
    # d2l §7.4, seed 000
    ("quadratic", "gd", dict(lr=0.4), "epoch 20, x1 -0.943467, x2 -0.000073"),
    ("quadratic", "gd", dict(lr=0.6), "epoch 20, x1 -0.387814, x2 -1673.365109"),
    ("quadratic", "momentum", dict(lr=0.4, momentum=0.5), "epoch 20, x1 -0.062843, x2 0.001202"),
    ("quadratic", "momentum", dict(lr=0.6, momentum=0.5), "epoch 20, x1 0.007188, x2 0.002553"),
    # d2l §7.2
    ("bowl", "gd", dict(lr=0.1), "epoch 20, x1 -0.057646, x2 -0.000073"),
    # d2l §7.5 (AdaGrad) and §7.6 (RMSProp), PyTorch edition
    ("quadratic", "adagrad", dict(lr=0.4), "epoch 20, x1 -2.382563, x2 -0.158591"),
    ("quadratic", "adagrad", dict(lr=2.0), "epoch 20, x1 -0.002295, x2 -0.000000"),
    ("quadratic", "rmsprop", dict(lr=0.4, gamma=0.9), "epoch 20, x1 -0.010599, x2 0.000000"),
]


@pytest.mark.parametrize("surface, optimizer, hyper, printed", TEXTBOOK)
def test_printed_line(surface, optimizer, hyper, printed):
    traj = run(optimizer, surface, start=START, epochs=20, **hyper)
    assert traj.line() == printed
    assert traj.diverged_at == -1


def test_default_start_is_the_textbooks():
    assert run("gd", "quadratic", lr=0.4).line() == "epoch 20, x1 -0.943467, x2 -0.000073"


def test_gd_at_0_6_is_still_exact_far_from_the_minimum():
    traj = run("gd", "quadratic", start=START, epochs=20, lr=0.6)
    # x2 is multiplied by (1 − 0.6·4) = −1.4 each epoch
    assert traj.points[20, 1] == pytest.approx(-2 * (-1.4) ** 20, rel=1e-13)
    assert traj.points.shape == (21, 2) and traj.losses.shape == (21,)
