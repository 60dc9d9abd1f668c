"""The runs' colours, in one place: run i (from 0) of any page draws in run_colour(i).

Okabe and Ito's colour-blind-safe set, its yellow (too light on white) replaced by a grey: every
two colours stay apart to a deuteranope and a protanope (tests/test_palette.py); runs also differ
in dash and marker, so colour is never the only cue."""

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#666666")


def run_colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]
