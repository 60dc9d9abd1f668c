"""The basins page in Chromium: a click on a start point opens the explorer from there."""

from urllib.parse import parse_qs, urlparse

import pytest
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


PANELS = """() => { const f = document.querySelector('.js-plotly-plot')._fullLayout;
  return Object.keys(f).filter((k) => /^xaxis\\d*$/.test(k)).sort().map((k) => {
    const x = f[k], y = f['y' + k.slice(1)];
    return {width: x._length, height: y._length, left: x._offset, top: y._offset, labels: y.showticklabels}; }); }"""


@pytest.mark.parametrize("width, height, columns", [(390, 844, 1), (1024, 768, 2), (1400, 1000, 2)])
def test_three_maps_stack_on_a_phone_and_stand_two_a_row_wider_each_a_square_with_little_blank_between(
        app_url, width, height, columns):
    """On a phone two maps side by side were stamps 135 px wide, the third far below: one a row there, as wide as
    the chart, each labelling its axes; wider, two a row, as close to one another as their labels allow."""
    with chromium_page(width, height) as page:
        page.goto(app_url + "/basins?surface=himmelblau&optimizer2=momentum&optimizer3=adam&basin_epochs=20")
        wait_ready(page, 60_000)
        chart = page.locator(".js-plotly-plot").first.bounding_box()
        panels = page.evaluate(PANELS)
        assert len(panels) == 3 and all(abs(p["width"] - p["height"]) < 2 for p in panels), panels  # equal scales
        assert len({round(p["left"]) for p in panels}) == columns, panels
        rows = sorted({round(p["top"]) for p in panels})
        assert len(rows) == (3 if columns == 1 else 2), panels
        if columns == 1:
            assert all(p["width"] > 0.8 * chart["width"] and p["labels"] for p in panels), (panels, chart)
        # between a row and the next only the x1 axis's labels and the next title (the 2 × 2 grid left 180 px blank)
        assert all(b - a - panels[0]["height"] < 130 for a, b in zip(rows, rows[1:])), (rows, panels)


TITLE_AND_LEGEND = """() => { const chart = document.querySelector('.js-plotly-plot');
  const legend = chart.querySelector('.legend').getBoundingClientRect();
  const title = [...chart.querySelectorAll('.annotation')].map((a) => a.getBoundingClientRect())
    .sort((a, b) => a.top - b.top)[0];
  return {legendBottom: legend.bottom, titleTop: title.top}; }"""


@pytest.mark.parametrize("query", ["lang=zh", "surface=himmelblau&optimizer2=momentum"])
def test_on_a_phone_the_legend_stays_above_the_first_maps_title(app_url, query):
    """The quadratic's legend of three rows on a phone lay over the map's title, "1. 梯度下降"."""
    with chromium_page(390, 844) as page:
        page.goto(app_url + "/basins?basin_epochs=20&" + query)
        wait_ready(page, 60_000)
        drawn = page.evaluate(TITLE_AND_LEGEND)
        assert drawn["legendBottom"] <= drawn["titleTop"], drawn
