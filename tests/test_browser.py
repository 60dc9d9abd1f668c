"""The page in a real headless Chromium, served by `streamlit run` on 127.0.0.1."""

import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from optimizers import run
from tests.serve import PRINTED_LINES, chromium_page, wait_ready

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LR_SLIDER = '.st-key-run0-gd-lr input[type="range"]'


def current_url(page) -> str:
    """location.href: Playwright's page.url can miss Streamlit's history.pushState."""
    return page.evaluate("() => location.href")


def code_lines(page) -> list[str]:
    return [c.inner_text().strip() for c in page.locator(PRINTED_LINES).all()]


def test_page_draws_the_chart_and_follows_the_lr_slider(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/")
        wait_ready(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        lines = page.evaluate("document.querySelector('.js-plotly-plot').querySelectorAll('.scatterlayer .js-line')"
                              ".length")
        assert lines >= 20  # the contour's lines and the path drew
        assert code_lines(page) == ["epoch 20, x1 -0.943467, x2 -0.000073"]
        assert "optimizer=gd" in current_url(page) and "lr=0.4" in current_url(page)

        page.locator(LR_SLIDER).focus()
        page.keyboard.press("ArrowRight")  # the next value on the log slider: 0.45
        expected = run("gd", "quadratic", lr=0.45).line()
        page.wait_for_function(
            "([line, selector]) => [...document.querySelectorAll(selector)].some(c => c.innerText.trim() === line)",
            arg=[expected, PRINTED_LINES], timeout=20_000,
        )
        wait_ready(page)
        assert "lr=0.45" in current_url(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explorer.png"))
        assert (ARTIFACTS / "explorer.png").stat().st_size > 20_000


def test_a_link_opens_its_experiment_in_chinese(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=momentum&lr=0.6&momentum=0.5&lang=zh")
        wait_ready(page)
        assert code_lines(page) == ["epoch 20, x1 0.007188, x2 0.002553"]
        assert "优化算法轨迹探索器" in page.locator("h1").first.inner_text()
        # the picture for a handout: a button under the chart, named in Chinese too (Plotly's camera at the chart's top
        # right covered the legend's first row on a phone, and showed only to a pointer over the chart)
        png = page.locator(".st-key-contour .tc-png")
        expect(png).to_have_attribute("aria-label", "下载图表为 PNG 图片")
        assert page.locator(".st-key-contour .modebar-btn").count() == 0
        with page.expect_download() as download:
            png.click()
        assert download.value.suggested_filename == "trajectories.png"
        assert download.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_bad_link_shows_a_warning_not_a_traceback(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?surface=nope&lr=abc&epochs=-4")
        wait_ready(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentWarning"]').count() == 3
        assert code_lines(page) == ["epoch 20, x1 -0.943467, x2 -0.000073"]


# where a pixel of the page is on the contour chart's axes
AT_PIXEL = """([px, py]) => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const { xaxis, yaxis } = gd._fullLayout;
  const box = gd.getBoundingClientRect();
  return [xaxis.p2d(px - box.left - xaxis._offset), yaxis.p2d(py - box.top - yaxis._offset)];
}"""


def test_a_click_on_the_contour_moves_the_start_to_where_it_was(app_url):
    """Anywhere on the plane, not only on a point: the start is the point under the pointer, which the pointer's
    label names before the click."""
    with chromium_page() as page:
        page.goto(app_url + "/")
        wait_ready(page)
        box = page.locator(".st-key-contour .js-plotly-plot .nsewdrag").first.bounding_box()
        pixel = (round(box["x"] + box["width"] * 0.37), round(box["y"] + box["height"] * 0.61))  # whole pixels
        expected = page.evaluate(AT_PIXEL, pixel)
        where = page.locator(".st-key-contour .tc-where")
        page.mouse.move(*pixel)
        expect(where).to_have_text(f"x1 {expected[0]:.2f}, x2 {expected[1]:.2f}", timeout=5_000)
        label = where.bounding_box()  # beside the pointer, not under it (the click goes to the plane)
        assert label["x"] > pixel[0] and label["y"] > pixel[1]
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 8)  # above the plane: no point is named
        expect(where).to_be_hidden(timeout=5_000)
        page.mouse.click(*pixel)
        page.wait_for_function("() => location.search.includes('x1=')", timeout=20_000)  # the start is set
        wait_ready(page)
        x1 = float(current_url(page).split("x1=")[1].split("&")[0])
        x2 = float(current_url(page).split("x2=")[1].split("&")[0])
        assert (x1, x2) == pytest.approx(expected, abs=1e-4)  # rounded to 4 decimals
        assert -3 < x1 < 0 and -1 < x2 < 0  # left of the middle and below it
        assert code_lines(page) == [run("gd", "quadratic", start=(x1, x2), lr=0.4).line()]


# the first growing cell right of the stability limit, in the map's lowest rows: its values and where it is drawn
EDGE_CELL = """() => {
  const gd = document.querySelector('.st-key-stability_map .js-plotly-plot');
  const k = gd._fullData.findIndex((t) => t.type === 'heatmap' && t.zmax === 3);  // growing (1), diverged (2), …
  const { z, xCenter, yCenter } = gd.calcdata[k][0];
  const { xaxis, yaxis } = gd._fullLayout;
  const box = gd.getBoundingClientRect();
  for (let j = 5; j < z.length; j++) {
    const i = z[j].findIndex((v, i) => v === 1 && i > 0 && z[j][i - 1] === 0);
    if (i > 0) {
      return { lr: xCenter[i], gamma: yCenter[j], left: xCenter[i - 1],
               x: box.left + xaxis._offset + xaxis.c2p(xCenter[i]),
               y: box.top + yaxis._offset + yaxis.c2p(yCenter[j]) };
    }
  }
}"""


def test_a_click_on_a_growing_cell_at_the_limit_opens_that_cells_run_not_a_neighbours(app_url):
    """The map's cells are 200 × 200: a click takes the cell under the pointer (it once took the nearest point
    of a hidden 32 × 32 grid, which beside the limit was a converging cell)."""
    with chromium_page() as page:
        page.goto(app_url + "/stability?map_optimizer=momentum")
        wait_ready(page)
        cell = page.evaluate(EDGE_CELL)
        page.mouse.move(cell["x"], cell["y"])
        expect(page.locator(".st-key-stability_map .hoverlayer")).to_contain_text(f"η {cell['lr']:.4g}")
        page.mouse.click(cell["x"], cell["y"])
        page.wait_for_function("() => !location.pathname.includes('stability')", timeout=20_000)
        wait_ready(page)
        url = current_url(page)
        lr = float(url.split("&lr=")[1].split("&")[0])
        gamma = float(url.split("&momentum=")[1].split("&")[0])
        # the values the pointer read over the cell (4 significant digits), not rounded further
        assert lr == float(f"{cell['lr']:.4g}") and gamma == float(f"{cell['gamma']:.4g}"), (lr, gamma, cell)
        assert float(f"{cell['left']:.4g}") < lr  # right of its converging neighbour


# the boxes of the map's plot area, its legend and the ◆ of the explorer's run 1
MAP_MARK = """() => {
  const gd = document.querySelector('.st-key-stability_map .js-plotly-plot');
  const rect = (e) => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  const uid = gd._fullData.find((t) => t.mode === 'markers+text').uid;
  const mark = gd.getElementsByClassName('trace' + uid)[0].querySelector('path.point');
  return {plot: rect(gd.querySelector('.nsewdrag')), legend: rect(gd.querySelector('.legend .bg')), mark: rect(mark)};
}"""


def test_a_run_on_the_maps_top_edge_is_drawn_whole_below_the_legend(app_url):
    """GD's default run sits on the map's top edge (epochs 20): its ◆ reaches above the plot, and the legend
    sits clear of it (the legend's box hid the ◆'s upper half)."""
    with chromium_page() as page:
        page.goto(app_url + "/stability?map_optimizer=gd")
        wait_ready(page)
        boxes = page.evaluate(MAP_MARK)
        assert boxes["mark"]["top"] < boxes["plot"]["top"] < boxes["mark"]["bottom"]  # on the edge, whole
        assert boxes["legend"]["bottom"] <= boxes["mark"]["top"], boxes


def test_a_click_on_the_stability_map_loads_that_run_in_the_explorer(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/stability?map_optimizer=momentum&map_log=false&map_lr_min=0.01&map_lr_max=1")
        wait_ready(page)
        box = page.locator(".st-key-stability_map .js-plotly-plot .nsewdrag").first.bounding_box()
        # about η = 0.6, γ = 0.5: inside momentum's stable region
        page.mouse.click(box["x"] + box["width"] * (0.6 - 0.01) / 0.99, box["y"] + box["height"] * (1 - 0.5 / 0.999))
        page.wait_for_function("() => !location.pathname.includes('stability')", timeout=20_000)
        page.wait_for_selector(PRINTED_LINES, timeout=20_000)
        wait_ready(page)
        url = current_url(page)
        lr = float(url.split("&lr=")[1].split("&")[0])
        gamma = float(url.split("&momentum=")[1].split("&")[0])
        assert "optimizer=momentum" in url
        assert 0.5 < lr < 0.7 and 0.4 < gamma < 0.6
        assert code_lines(page) == [run("momentum", "quadratic", lr=lr, momentum=gamma).line()]


def test_the_freezing_link_leaves_other_visitors_unharmed(app_url):
    """Issue 15: this 26-character link once held the server for minutes."""
    freezing = "((((3^64)^64)^64)^64)^64*x1"
    answered, stop = [], threading.Event()

    def poll():  # while the link is being opened, does the server still answer its health check?
        while not stop.is_set():
            try:  # a server held by the link (as before the fix) answers nothing for minutes
                urllib.request.urlopen(app_url + "/_stcore/health", timeout=5).read()
                answered.append(True)
            except OSError:
                answered.append(False)
            time.sleep(0.1)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        with chromium_page() as first:
            second = first.context.browser.new_page()  # a second visitor: its own context
            first.goto(app_url + "/?lang=zh&surface=custom&formula=" + urllib.parse.quote(freezing),
                       wait_until="commit")
            second.goto(app_url + "/?optimizer=momentum&lr=0.6&momentum=0.5")
            wait_ready(second)
            assert code_lines(second) == ["epoch 20, x1 0.007188, x2 0.002553"]
            wait_ready(first)
            warnings = first.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
            assert any("超出了浮点数的范围" in w for w in warnings), warnings
            assert first.locator('[data-testid="stException"]').count() == 0
    finally:
        stop.set()
        poller.join()
    assert answered and all(answered), answered
