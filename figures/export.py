"""Export for handouts: every run's path as CSV (read back exactly), and a figure as one HTML file
that opens offline (plotly.js inside it, no network reference)."""

from __future__ import annotations

import csv
import io
from html import escape as html_escape

import numpy as np
import plotly.io as pio

CSV_COLUMNS = ("run", "label", "epoch", "x1", "x2", "loss")


BOM = "\ufeff"


def paths_csv(runs: list[tuple[str, np.ndarray, np.ndarray]]) -> str:
    """(label, points (epochs + 1, 2), losses) per run → CSV, one row per run and epoch; floats in
    Python's shortest exact form, so that reading them back gives the same numbers. It starts with the
    UTF-8 byte order mark, by which a spreadsheet (Excel) knows the Chinese labels are UTF-8."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n, (label, points, losses) in enumerate(runs, 1):
        for epoch, ((x1, x2), loss) in enumerate(zip(points, losses)):
            writer.writerow((n, label, epoch, repr(float(x1)), repr(float(x2)), repr(float(loss))))
    return out.getvalue()


def read_paths_csv(text: str) -> dict[int, np.ndarray]:
    """Run number → its points (epochs + 1, 2), from paths_csv's text."""
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    runs: dict[int, list] = {}
    for row in rows:
        runs.setdefault(int(row["run"]), []).append((int(row["epoch"]), float(row["x1"]), float(row["x2"])))
    return {n: np.array([(x1, x2) for _, x1, x2 in sorted(points)]) for n, points in runs.items()}


def standalone_html(figure, title: str, lines: tuple[str, ...] = ()) -> str:
    """The whole interactive figure (its animation too) as one HTML file with plotly.js inside, under
    its title and `lines` (the surface's formula, each run's printed line) as text."""
    html = pio.to_html(figure.to_dict(), include_plotlyjs=True, full_html=True, validate=False, auto_play=False,
                       config={"displaylogo": False}, div_id="figure")
    heading = f"<h1 style='font:600 22px sans-serif'>{html_escape(title)}</h1>" + "".join(
        f"<p style='font:16px sans-serif;margin:4px 0'>{html_escape(line)}</p>" for line in lines)
    html = html.replace("<body>", "<body>" + heading, 1)
    return html.replace("<head>", f"<head><title>{html_escape(title)}</title>", 1)
