"""Do heavy links show something soon, and leave the rest of the class quick?

Serves the app and, in headless Chromium, opens each heavy link in a new tab and times it from
the link to the first thing drawn (a chart or a progress bar) and to the page being done. Then
opens a small stability map alone, and again while another tab works on the heavy basins link,
and prints the ratio (the one-heavy-job lock is held one piece at a time, so the small map should
wait for a piece, not for the whole basins). Every repetition changes the epochs a little, so no
result is one the server has kept. Medians over --repeats.

    python benchmarks/heavy_links.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serve import READY, chromium_page, served_app  # noqa: E402

# a costly formula that is accepted (about 140 of the 150 operations allowed)
COSTLY = ("sin(x1)*cos(x2) + sin(2*x1)*cos(3*x2) + sin(3*x1+x2)*cos(x1-2*x2) + exp(-(x1^2+x2^2)/5)"
          " + 0.1*(x1^2+x2^2) + sin(x1*x2)*cos(x1+x2) + tanh(x1-x2)*sin(x2) + sin(x1-x2)*cos(2*x2)")
FOUR = {"optimizer": "gd", "optimizer2": "momentum", "optimizer3": "adam", "optimizer4": "nesterov"}
LINKS = {  # name: (page, query, the epochs field varied per repetition)
    "basins, costly formula, 4 runs × 1000 epochs": ("basins", {"surface": "custom", "formula": COSTLY, **FOUR,
                                                                "lr": "0.01", "lr2": "0.01", "lr4": "0.01"},
                                                     "basin_epochs"),
    "basins, Rastrigin, 4 runs × 1000 epochs": ("basins", {"surface": "rastrigin", **FOUR}, "basin_epochs"),
    "race, costly formula, 1000 epochs": ("race", {"surface": "custom", "formula": COSTLY}, "epochs"),
    "explorer, Beale, 4 runs × 1000 epochs": ("", {"surface": "beale", **FOUR}, "epochs"),
}
SMALL = ("stability", {"surface": "quadratic"}, "epochs")  # a 200 × 200 map of 20-odd epochs
SHOWN = ("() => !!document.querySelector('.js-plotly-plot .main-svg, [data-testid=\"stProgress\"]')")


def link(url: str, page: str, query: dict, field: str, epochs: int) -> str:
    return f"{url}/{page}?{urlencode({**query, field: str(epochs)})}"


def timed_open(browser_page, address: str) -> tuple[float, float]:
    """Seconds from the link to the first chart or progress bar, and to the page done."""
    start = time.perf_counter()
    browser_page.goto(address)
    browser_page.wait_for_function(SHOWN, timeout=300_000, polling=50)
    shown = time.perf_counter() - start
    browser_page.wait_for_function(READY, timeout=600_000, polling=100)
    return shown, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with served_app() as url, chromium_page() as tab:
        other = tab.context.browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(url)
        tab.wait_for_function(READY, timeout=60_000)
        print(f"{'link':48} {'first picture or progress':>26} {'done':>8}")
        for name, (page, query, field) in LINKS.items():
            times = [timed_open(tab, link(url, page, query, field, 1000 - r)) for r in range(args.repeats)]
            print(f"{name:48} {statistics.median(t[0] for t in times):25.1f}s "
                  f"{statistics.median(t[1] for t in times):7.1f}s")

        page, query, field = LINKS["basins, costly formula, 4 runs × 1000 epochs"]
        alone, beside = [], []
        for r in range(args.repeats):
            alone.append(timed_open(other, link(url, *SMALL, 20 + 2 * r))[1])
            tab.goto(link(url, page, query, field, 990 - r))  # returns once loaded: the server works on
            time.sleep(2)  # the basins are under way
            beside.append(timed_open(other, link(url, *SMALL, 21 + 2 * r))[1])
            tab.goto("about:blank")
        a, b = statistics.median(alone), statistics.median(beside)
        print(f"small stability map alone {a:.2f}s, beside the heavy basins link {b:.2f}s: {b / a:.1f}×")


if __name__ == "__main__":
    main()
