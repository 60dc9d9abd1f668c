"""The runs' colours, in one place: run i (from 0) of any page draws in run_colour(i)."""

PALETTE = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def run_colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]
