"""Does the explorer feel live? Key press → redrawn chart against a trivial page, and a held drag.

Serves the app and benchmarks/trivial_page.py (one slider, one three-point chart) and, in one
headless Chromium, alternates key presses on their sliders (η of run 1 in the app), so that
the machine's noise falls on all pages alike. Prints medians over the presses:
- key press → the frame that draws the chart from the server's new figure, on the page's own clock (from the
  key's event to the first animation frame with the new traces), and × the trivial page; beside it the same
  as Playwright sees it, which can be later (each press moves η one stop up, so no figure is one the browser
  has kept);
- key press → the new path drawn by the drag preview in the browser (the core's path at the new stop,
  sent ahead with the page), before the rerun brings the figure, the printed lines and the other charts;
- bytes the page received over its websocket per press;
- during a held mouse drag of η across its slider: distinct path pictures per second, and the
  time from the pointer move that changed the value to the path drawn for it (median, 90th pct).

- a first load: from the address typed to the page ready with its chart drawn, against the trivial page; with
  the browser's cache warm (a returning student), and a first visit with nothing cached.

    python benchmarks/live.py [--presses 9] [--drag-seconds 3] [--loads 9] [--pages "default page" ...]
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

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests.serve import READY, chromium_page, served_app, wait_ready  # noqa: E402

# run 1's η starts low and each press moves it one stop up: every press draws a figure the browser has
# not seen (Streamlit sends a figure it has seen in the last two runs as a reference to it)
FOUR_RUNS = {"optimizer": "gd", "lr": "0.1", "optimizer2": "gd", "lr2": "0.6",
             "optimizer3": "momentum", "lr3": "0.4", "momentum3": "0.5",
             "optimizer4": "momentum", "lr4": "0.6", "momentum4": "0.5"}
PAGES = {
    "default page": {"lr": "0.1"},
    "4 runs × 100 epochs": {"epochs": "100", **FOUR_RUNS},
    "4 runs × 1000 epochs": {"epochs": "1000", **FOUR_RUNS},
    "3D view": {"lr": "0.1", "view3d": "1"},
}
APP = (".st-key-run0-gd-lr", ".st-key-contour")
TRIVIAL = (".st-key-value", ".st-key-chart")

# a new figure from the server gives the chart new trace objects; the drag preview restyles the old ones
MARK = "(c) => document.querySelector(c + ' .js-plotly-plot').data.forEach(t => { t.__old = true; })"
REDRAWN = ("(c) => { const gd = document.querySelector(c + ' .js-plotly-plot');"
           " return !!gd && gd.data.length > 0 && !gd.data[0].__old; }")


# in the page, on its own clock: the key's event, and the first frame (before its paint) that has the new figure;
# Playwright's own wait can return later, when the page goes on drawing its other charts (its answer waits behind them)
WATCH = ("(c) => { window.__keyAt = window.__drawnAt = null;"
         " document.addEventListener('keydown', (e) => { window.__keyAt = e.timeStamp; }, {capture: true, once: true});"
         f" const redrawn = {REDRAWN};"
         " const check = () => { if (redrawn(c)) { window.__drawnAt = performance.now(); return; }"
         " requestAnimationFrame(check); };"
         " requestAnimationFrame(check); }")
DRAWN = "() => window.__drawnAt - window.__keyAt"

DRAWS = "() => window.__liveDrag ? window.__liveDrag.draws : null"  # the drag preview's pictures so far


class Page:
    """One browser tab on one page, counting the bytes its websocket receives."""

    def __init__(self, browser_page, url: str, widget: str, chart: str):
        self.page, self.widget, self.chart = browser_page, widget, chart
        self.received = 0
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))
        self.page.goto(url)
        wait_ready(self.page)
        time.sleep(1)

    def _count(self, payload) -> None:
        self.received += len(payload)

    def press(self) -> tuple[float, float, float | None, int]:
        """Seconds from a key press to the frame that draws the chart from the server's new figure (the page's
        clock) and to Playwright seeing it; to the new path drawn by the drag preview (the core's path at the new
        stop, in the browser before the rerun; None on a page without one); and the bytes received until the
        script ended."""
        self.page.bring_to_front()
        self.page.locator(self.widget + ' input[type="range"]').focus()
        self.page.evaluate(MARK, self.chart)
        self.page.evaluate(WATCH, self.chart)
        draws = self.page.evaluate(DRAWS)
        before = self.received
        t0 = time.perf_counter()
        self.page.keyboard.press("ArrowRight")
        preview = None
        if draws is not None:
            try:
                self.page.wait_for_function(f"() => window.__liveDrag.draws > {draws}", polling="raf", timeout=5_000)
                preview = time.perf_counter() - t0
            except PlaywrightTimeout:  # no new picture (the slider at its end): not counted
                pass
        self.page.wait_for_function(REDRAWN, arg=self.chart, polling="raf", timeout=60_000)
        elapsed = time.perf_counter() - t0
        self.page.wait_for_function("() => window.__drawnAt !== null", timeout=5_000)
        drawn = self.page.evaluate(DRAWN) / 1e3
        wait_ready(self.page, 60_000)
        time.sleep(0.3)  # the deltas after the chart
        return drawn, elapsed, preview, self.received - before


# in the page: when a pointer moved, and when (to the frame) the preview drew a path, with its label
RECORD = """() => {
  const log = window.__bench = {moves: [], draws: []};
  document.addEventListener('pointermove', (e) => log.moves.push(performance.now()), true);
  let seen = window.__liveDrag.draws;
  const watch = () => {  // each frame: has the preview drawn a new picture?
    if (window.__liveDrag.draws !== seen) {
      seen = window.__liveDrag.draws;
      log.draws.push([performance.now(), window.__liveDrag.drawn]);
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
}"""


VALUES = """() => {
  const log = window.__valueLog = [];
  new MutationObserver((records) => {
    for (const r of records) {
      const value = r.target.getAttribute('aria-valuetext');
      if (r.target.tagName === 'INPUT' && value !== log.last) log.push(performance.now());
      log.last = value;
    }
  })
    .observe(document.body, {attributes: true, subtree: true, attributeFilter: ['aria-valuetext']});
}"""


SWEEP = 1.0


def drag(page: Page, seconds: float) -> tuple[float, float, float, float, float]:
    """Hold η's thumb and sweep it back and forth: pictures per second, latency median and p90, and
    the pointer moves and slider value changes per second that the hand gave."""
    p = page.page
    p.bring_to_front()
    p.evaluate(RECORD)
    p.evaluate(VALUES)
    thumb = p.locator(page.widget + ' [data-testid="stSliderThumbValue"]').bounding_box()
    rail = p.locator(page.widget + ' [data-testid="stSliderTickBar"]').bounding_box()
    x, y = thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2
    left, right = rail["x"] + 4, rail["x"] + rail["width"] * 0.8  # up to η ≈ 1: past 0.5, where GD breaks
    p.mouse.move(x, y)
    p.mouse.down()
    t0 = time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < seconds:
        # a hand's pace, whatever the page's: one pass across the rail every SWEEP seconds
        phase = (elapsed / SWEEP) % 2
        p.mouse.move(left + (right - left) * (phase if phase < 1 else 2 - phase), y)
    p.wait_for_timeout(200)
    log = p.evaluate("window.__bench")
    changes = p.evaluate("window.__valueLog")
    start = log["moves"][0] if log["moves"] else 0
    draws = [(t, name) for t, name in log["draws"] if name]
    latencies = []
    for t, _ in draws:
        # the value drawn is the slider's last change before the draw; its cause, the last move before that
        change = max((c for c in changes if c <= t), default=None)
        cause = max((m for m in log["moves"] if change is not None and m <= change), default=None)
        if cause is not None:
            latencies.append(t - cause)
    p.mouse.up()
    wait_ready(p, 60_000)
    duration = (draws[-1][0] - start) / 1e3 if draws else seconds
    distinct = sum(1 for a, b in zip(draws, draws[1:]) if a[1] != b[1]) + bool(draws)
    # what the hand gave: pointer moves, and changes of the slider's value (each could be a picture)
    moves = sum(1 for m in log["moves"] if m <= draws[-1][0]) / duration if draws else 0.0
    values = len([c for c in changes if start <= c <= draws[-1][0]]) / duration if draws else 0.0
    latencies.sort()
    median = statistics.median(latencies) if latencies else float("nan")
    p90 = latencies[int(0.9 * (len(latencies) - 1))] if latencies else float("nan")
    return distinct / duration, median, p90, moves, values



def first_loads(page, urls: dict[str, str], loads: int) -> dict[str, float]:
    """Median seconds from goto to ready (chart drawn) per page, loads alternating; each a new session
    (another start point in the app, so that no figure of an earlier load is kept)."""
    times = {name: [] for name in urls}
    page.bring_to_front()
    for i in range(loads + 1):  # the first round warms the browser's cache, as a returning student's is
        for name, url in urls.items():
            t0 = time.perf_counter()
            page.goto(url + (f"/?x1=-{4 + 0.01 * i:g}" if name != "trivial page" else "/"))
            page.wait_for_function(READY, timeout=60_000)  # not wait_ready: it waits a further 200 ms to be sure
            if i:
                times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(t) for name, t in times.items()}


def first_visits(browser, urls: dict[str, str], loads: int) -> dict[str, float]:
    """Median seconds from goto to ready per page for a first visit: each load in a new browser context, with
    nothing cached (a student opening the class's link for the first time), loads alternating."""
    times = {name: [] for name in urls}
    for _ in range(loads):
        for name, url in urls.items():
            context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_function(READY, timeout=60_000)
            times[name].append(time.perf_counter() - t0)
            context.close()
    return {name: statistics.median(t) for name, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=9)
    parser.add_argument("--drag-seconds", type=float, default=3.0)
    parser.add_argument("--loads", type=int, default=9)
    parser.add_argument("--pages", nargs="*", choices=list(PAGES), default=list(PAGES),
                        help="the app's pages to press on (all by default)")
    args = parser.parse_args()
    with served_app() as app, served_app(script=ROOT / "benchmarks" / "trivial_page.py") as trivial, \
            chromium_page() as first:
        browser = first.context.browser
        pages = {"trivial page": Page(first, trivial, *TRIVIAL)}
        for name in args.pages:
            query = PAGES[name]
            pages[name] = Page(browser.new_page(viewport=first.viewport_size), app + "/?" + urlencode(query), *APP)
        times = {name: [] for name in pages}
        seen = {name: [] for name in pages}
        previews = {name: [] for name in pages}
        sizes = {name: [] for name in pages}
        for _ in range(args.presses):
            for name, page in pages.items():  # alternating: each round presses every page once
                drawn, elapsed, preview, size = page.press()
                times[name].append(drawn)
                seen[name].append(elapsed)
                sizes[name].append(size)
                if preview is not None:
                    previews[name].append(preview)
        base = statistics.median(times["trivial page"])
        seen_base = statistics.median(seen["trivial page"])
        print(f"key press → the frame that draws the chart from the server's new figure (the page's clock), and when "
              f"Playwright sees it, medians of {args.presses} presses (alternating pages)")
        for name in pages:
            median, late = statistics.median(times[name]), statistics.median(seen[name])
            print(f"  {name:<22} {median * 1e3:6.0f} ms   × trivial {median / base:4.2f}"
                  f"   (Playwright {late * 1e3:4.0f} ms, × {late / seen_base:4.2f})"
                  f"   received {statistics.median(sizes[name]) / 1e3:6.1f} kB")
        print("key press → the new path drawn by the drag preview (the core's path at the new stop), before the rerun")
        for name in pages:
            if previews[name]:
                median = statistics.median(previews[name])
                print(f"  {name:<22} {median * 1e3:6.0f} ms   × trivial {median / base:4.2f}")
        loads = first_loads(first, {"trivial page": trivial, "default page": app}, args.loads)
        print(f"first load → ready with its chart, medians of {args.loads} loads (alternating pages)")
        for name, seconds in loads.items():
            print(f"  {name:<22} {seconds * 1e3:6.0f} ms   × trivial {seconds / loads['trivial page']:4.2f}")
        visits = first_visits(browser, {"trivial page": trivial, "default page": app}, args.loads)
        print(f"first visit (nothing cached) → ready with its chart, medians of {args.loads} visits (alternating)")
        for name, seconds in visits.items():
            print(f"  {name:<22} {seconds * 1e3:6.0f} ms   × trivial {seconds / visits['trivial page']:4.2f}")
        print(f"held drag of η for {args.drag_seconds:g} s, across its rail and back every {2 * SWEEP:g} s")
        for name in args.pages:
            page = pages[name]
            rate, median, p90, moves, values = drag(page, args.drag_seconds)
            print(f"  {name:<22} {rate:5.1f} pictures/s   hand → picture median {median:5.1f} ms, "
                  f"p90 {p90:5.1f} ms   (the hand: {moves:4.1f} moves/s, {values:4.1f} new values/s)")


if __name__ == "__main__":
    main()
