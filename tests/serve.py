"""Serve the app on 127.0.0.1 and drive it in headless Chromium (Debian's package)."""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # the app's tabs share one renderer process, kept alive between tests by a tab of its own (chromium_page):
    # a new tab then finds Plotly.js and Streamlit's scripts compiled (ready in about 1.6 s instead of 3.3 s)
    "--process-per-site",
]
# the printed lines: each run's, a code span in the block printed<i> (views/explorer.py show_results)
PRINTED_LINES = '[class*="st-key-printed"] code'
READY = (
    "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
    " return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'"
    " && app.getAttribute('data-test-script-state') === 'notRunning'"
    " && !!document.querySelector('.js-plotly-plot .main-svg'); }"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 60.0, alive=lambda: True) -> None:
    """Until Streamlit's health endpoint at `url` answers 200; OSError once `timeout` passes or the
    server is no longer `alive()`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if not alive() or time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@contextlib.contextmanager
def served_app(timeout: float = 60.0, script: Path = ROOT / "app.py", port: int | None = None):
    """The app (or another `script`) served by `streamlit run` on 127.0.0.1 (on `port`, or a free
    one); yields its base URL."""
    port = port or free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, timeout, alive=lambda: proc.poll() is None)
        except OSError as err:
            log.seek(0)
            raise RuntimeError("streamlit did not start:\n" + log.read().decode(errors="replace")) from err
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


_shared: dict = {}  # this test process's one Playwright, Chromium and browser context (its HTTP cache warm)


def _browser():
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium package (./test.sh does)")
        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        atexit.register(close_chromium)  # a script (a benchmark) that never calls it
    return _shared["browser"]


def close_chromium() -> None:
    """At the end of the test process (conftest.py) or of a script (at exit)."""
    if "browser" in _shared:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()
        _shared.clear()


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, headless, started once per test process; new_context() on it is another user
    (a student's phone). The contexts a test opens are closed after it."""
    browser = _browser()
    before = set(browser.contexts)
    try:
        yield browser
    finally:
        for context in set(browser.contexts) - before - {_shared.get("context")}:
            context.close()


@contextlib.contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    """A new tab of size `width` × `height` in one shared browser context: one user, whose cache of the
    app's scripts stays warm from test to test (a cold one costs about 2 s a page). The app's storage
    in the browser is cleared after the test: the next test meets the app as a new visitor."""
    if "context" not in _shared:
        _shared["context"] = _browser().new_context(locale="en-US")  # the app opens in the browser's language
    page = _shared["context"].new_page()
    page.set_viewport_size({"width": width, "height": height})
    try:
        yield page
    finally:
        if page.url.startswith("http"):  # what the app kept in the browser (a phone's closed sidebar) goes too
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            _keep_the_sites_process(page.url)
        page.close()


def _keep_the_sites_process(url: str) -> None:
    """A tab on the site (127.0.0.1, whatever the port) that stays open, so that the site's renderer process,
    with the scripts it compiled, outlives the test's tab: Streamlit's health text, which runs no script."""
    if "keeper" not in _shared:
        from playwright.sync_api import Error

        keeper = _shared["context"].new_page()
        try:
            keeper.goto("/".join(url.split("/")[:3]) + "/_stcore/health")
            _shared["keeper"] = keeper
        except Error:  # the test's server is gone: the next test's tab tries again
            keeper.close()


def touch_phone(browser):
    """A new page on a phone's touch screen (390 × 844, a new context of `browser`, in English): taps and swipes."""
    return browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                               locale="en-US").new_page()


def wait_ready(page, timeout_ms: int = 30_000) -> None:
    """The page is connected, its script has finished, and the chart has rendered; still so a moment
    later (under load the page once read 'notRunning' with its printed line not yet drawn)."""
    page.wait_for_function(READY, timeout=timeout_ms)
    page.wait_for_timeout(200)
    page.wait_for_function(READY, timeout=timeout_ms)


def open_menu(menu) -> None:
    """Open a select box as a user does: scrolled to, then clicked. Streamlit's dropdown closes when the page or the
    sidebar scrolls, and Playwright's click scrolls the box into view and clicks in one go: the scroll's event
    comes after the dropdown opened and closes it. A plain Streamlit page whose sidebar is scrolled down does the
    same (the first click on its top menu seemed lost); a hand scrolls first, then clicks."""
    menu.scroll_into_view_if_needed()
    menu.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    menu.click()
