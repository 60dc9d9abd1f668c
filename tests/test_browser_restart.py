"""A server restarts (or a replica fails over) while a student has the page open: the page
reconnects by itself, and the student's first change counts (it was once lost: the new
session drew its widgets from the link, over the value the browser had just sent)."""

from optimizers import run
from surfaces import SURFACES
from tests.serve import chromium_page, free_port, served_app, wait_ready
from ui.results import result_line

PRINTED = "() => document.querySelector('[class*=\"st-key-printed\"] code')?.innerText ?? null"
DISCONNECTED = ("() => document.querySelector('[data-testid=\"stApp\"]')"
                ".getAttribute('data-test-connection-state') !== 'CONNECTED'")


def printed(lr: float) -> str:
    return result_line(run("gd", SURFACES["quadratic"], lr=lr), "en")


def test_after_a_restart_the_first_change_counts():
    port = free_port()
    with chromium_page() as page:
        with served_app(port=port) as url:
            page.goto(url + "/?lr=0.4")
            wait_ready(page)
            page.wait_for_function(f"() => ({PRINTED})() === {printed(0.4)!r}", timeout=30_000)
        page.wait_for_function(DISCONNECTED, timeout=30_000)
        with served_app(port=port):
            wait_ready(page, 60_000)  # the page reconnects by itself
            page.locator('.st-key-run0-gd-lr input[type="range"]').focus()
            page.keyboard.press("ArrowRight")  # η 0.4 → 0.45
            page.wait_for_function(f"() => ({PRINTED})() === {printed(0.45)!r}", timeout=30_000)
            page.keyboard.press("ArrowRight")  # and the next one too
            page.wait_for_function(f"() => ({PRINTED})() === {printed(0.5)!r}", timeout=30_000)
