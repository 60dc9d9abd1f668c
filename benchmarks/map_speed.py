"""How fast does the stability map redraw? 200 × 200 cells × 100 epochs.

Prints the median server-side rerun (AppTest) after a change that forces a new
sweep (the start point moves a little each time), and the bytes of chart data.

    python benchmarks/map_speed.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pages import page_test  # noqa: E402


def measure(surface: str, repeats: int):
    at = page_test("stability", {"surface": surface, "epochs": "100", "map_optimizer": "momentum"})
    at.run()
    x1 = at.session_state["x1"]
    times = []
    for i in range(repeats):
        at.session_state["x1"] = x1 + 0.001 * (i + 1)  # a new start: every cell is computed anew
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception
    size = sum(len(chart.proto.spec.encode()) for chart in at.get("plotly_chart"))
    return statistics.median(times), size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    print(f"stability map, momentum, 200 × 200 cells × 100 epochs; medians of {args.repeats} reruns")
    for surface in ("quadratic", "rosenbrock"):
        seconds, size = measure(surface, args.repeats)
        print(f"  {surface:<11} rerun {seconds * 1e3:6.0f} ms   chart data {size / 1e3:6.1f} kB")


if __name__ == "__main__":
    main()
