"""How live does the explorer feel? Server rerun time, chart bytes, browser redraw time.

For the default page and for a four-run page at 100 epochs, prints:
- the median server-side rerun after a slider change (AppTest, in this process),
- the bytes of chart data (Plotly JSON) sent per rerun,
- the median time in headless Chromium from a slider change to the redrawn chart.

    python benchmarks/app_speed.py [--repeats 15] [--no-browser]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

PAGES = {
    "default page": {},
    "four runs, 100 epochs": {
        "epochs": "100", "optimizer": "gd", "lr": "0.4", "optimizer2": "gd", "lr2": "0.6",
        "optimizer3": "momentum", "lr3": "0.4", "momentum3": "0.5",
        "optimizer4": "momentum", "lr4": "0.6", "momentum4": "0.5",
    },
}
LR_VALUES = [0.3, 0.35, 0.4, 0.45]  # the slider moves among these, so every rerun computes anew


def chart_bytes(at: AppTest) -> int:
    return sum(len(chart.proto.spec.encode()) for chart in at.get("plotly_chart"))


def server_side(query: dict, repeats: int):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    times = []
    for i in range(repeats):
        # a fresh value each time (cycling with an offset), so the trajectory cache misses
        value = LR_VALUES[i % len(LR_VALUES)] + 0.001 * (i // len(LR_VALUES) + 1)
        at.session_state["run0.gd.lr"] = value
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception
    return statistics.median(times), chart_bytes(at)


def browser_redraw(query: dict, repeats: int):
    from urllib.parse import urlencode

    from tests.serve import chromium_page, served_app, wait_ready

    slider = '.st-key-run0-gd-lr input[type="range"]'
    times = []
    with served_app() as url, chromium_page() as page:
        page.goto(url + "/?" + urlencode(query))
        wait_ready(page)
        for i in range(repeats):
            before = page.locator('[data-testid="stCode"] code').first.inner_text()
            page.locator(slider).focus()
            t0 = time.perf_counter()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            page.wait_for_function(
                "(b) => { const c = document.querySelector('[data-testid=\"stCode\"] code');"
                " return c && c.innerText !== b; }", arg=before, timeout=20_000)
            wait_ready(page)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(f"medians of {args.repeats} slider changes")
    for name, query in PAGES.items():
        rerun, size = server_side(query, args.repeats)
        line = f"  {name:<24} rerun {rerun * 1e3:6.1f} ms   chart data {size / 1e3:6.1f} kB"
        if not args.no_browser:
            line += f"   browser redraw {browser_redraw(query, args.repeats) * 1e3:6.0f} ms"
        print(line)


if __name__ == "__main__":
    main()
