"""The basins page in Chromium: a click on a start point opens the explorer from there."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from figures.basins import CLICK_STARTS
from optimizers import run
from surfaces import SURFACES
from tests.serve import PRINTED_LINES, chromium_page, wait_ready
from ui.results import result_line


def test_a_click_on_a_start_opens_the_explorer_from_it(app_url):
    url = app_url
    with chromium_page() as page:
        page.goto(url + "/basins?surface=himmelblau&optimizer=gd&lr=0.01&basin_epochs=100")
        wait_ready(page, 60_000)
        plot = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
        # 0.3 of the way into the panel, between the points of the old click grid (that click did nothing): the
        # start nearest the pointer is taken
        page.mouse.click(plot["x"] + plot["width"] * 0.3, plot["y"] + plot["height"] * 0.3)
        page.wait_for_url(lambda u: "/basins" not in u and "x1=" in u, timeout=30_000)  # the explorer is "/"
        wait_ready(page, 60_000)
        query = parse_qs(urlparse(page.url).query)
        x1, x2 = float(query["x1"][0]), float(query["x2"][0])
        (a, b), (c, d) = SURFACES["himmelblau"].bounds
        step = (b - a) / (CLICK_STARTS - 1), (d - c) / (CLICK_STARTS - 1)
        assert abs(x1 - (a + 0.3 * (b - a))) <= step[0] and abs(x2 - (d - 0.3 * (d - c))) <= step[1], (x1, x2)
        assert query["epochs"] == ["100"]  # the run the map coloured, not the explorer's 20 epochs
        expected = result_line(run("gd", SURFACES["himmelblau"], start=(x1, x2), epochs=100, lr=0.01), "en")
        expect(page.locator(PRINTED_LINES).first).to_have_text(expected)  # drawn a moment after ready
