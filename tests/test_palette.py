"""The run colours stay apart for colour-blind students: every two of them, under simulated
deuteranopia and protanopia (Machado et al. 2009, full severity), are at least MIN_DISTANCE apart
in CAM02-UCS (about 1 is a just-noticeable difference; the old red/green pair was 5.2 apart to a
deuteranope, the old blue/purple pair 2.4 to a protanope)."""

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert

from figures.basins import DIVERGED_COLOUR, ELSEWHERE_COLOUR, GLOBAL_COLOUR, MINIMUM_COLOURS
from figures.palette import PALETTE, run_colour
from figures.trajectories import run_style
from optimizers import OPTIMIZERS

MIN_DISTANCE = 10.0


def srgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def seen(colour: str, cvd: str | None) -> np.ndarray:
    rgb = srgb(colour)
    if cvd is not None:
        rgb = np.clip(cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


@pytest.mark.parametrize("cvd", [None, "deuteranomaly", "protanomaly"])
def test_every_two_run_colours_stay_apart(cvd):
    for a, b in itertools.combinations(PALETTE, 2):
        distance = float(np.linalg.norm(seen(a, cvd) - seen(b, cvd)))
        assert distance >= MIN_DISTANCE, (cvd, a, b, distance)


@pytest.mark.parametrize("cvd", [None, "deuteranomaly", "protanomaly"])
def test_every_two_basin_colours_stay_apart(cvd):
    """Basins touch: Himmelblau's two left ones (green and red) were 0.9 apart to a deuteranope."""
    for a, b in itertools.combinations((*MINIMUM_COLOURS, GLOBAL_COLOUR, DIVERGED_COLOUR, ELSEWHERE_COLOUR), 2):
        distance = float(np.linalg.norm(seen(a, cvd) - seen(b, cvd)))
        assert distance >= MIN_DISTANCE, (cvd, a, b, distance)


def test_the_race_gives_every_optimizer_its_own_look():
    """The race draws one run per optimizer: no two in one colour and one dash (runs 1 and 7 were both red);
    past the palette's 8 colours, the dash tells them apart."""
    looks = {(run_colour(i), run_style(i)) for i in range(len(OPTIMIZERS))}
    assert len(looks) == len(OPTIMIZERS) > len(PALETTE)
    assert len({run_colour(i) for i in range(len(PALETTE))}) == len(PALETTE)
