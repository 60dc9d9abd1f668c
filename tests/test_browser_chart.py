"""The contour chart in a real headless Chromium: one component that keeps its graph and its epoch
across reruns (static/chart.js); playing, stepping and scrubbing keep the contour, the trail hides the
path ahead, the epoch readout is never covered, on a wide screen, a projector and a phone, in both
languages. Screenshots go to artifacts/screenshots/ for a person to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from figures.trajectories import CONTOUR_SHADES
from ui.presets import PRESETS
from tests.serve import ROOT, chromium, chromium_page, touch_phone, wait_ready

SHOTS = ROOT / "artifacts" / "screenshots"
CHART = ".st-key-contour .js-plotly-plot"
BOX = ".st-key-contour .tc"  # the component: the graph, the readout and the controls
# the contour's lines and the runs' paths
COUNT_LINES = ("() => document.querySelector('.st-key-contour .js-plotly-plot')"
               ".querySelectorAll('.scatterlayer path.js-line').length")
# every animation frame of the browser, the number of drawn lines (the contour once vanished here)
SAMPLE_LINES = """() => { window.__lines = [];
  const chart = document.querySelector('.st-key-contour .js-plotly-plot');
  const tick = () => { window.__lines.push(chart.querySelectorAll('.scatterlayer path.js-line').length);
                       if (window.__lines.length < 3000) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""


READOUT = ".st-key-contour .tc-readout"


def readout(page) -> str:
    return page.locator(READOUT).text_content()


def box(locator) -> dict:
    b = locator.bounding_box()
    assert b is not None
    return b


def overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_play_and_scrub_keep_the_contour_and_the_readout_follows(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=gd&lr=0.4&optimizer2=momentum&lr2=0.4&momentum2=0.5")
        wait_ready(page)
        # ready means some chart has drawn: wait for the contour's own lines (its shades and two paths)
        page.wait_for_function(f"() => ({COUNT_LINES})() >= {CONTOUR_SHADES + 2}", timeout=20_000)
        page.wait_for_timeout(300)
        drawn = page.evaluate(COUNT_LINES)
        assert drawn >= CONTOUR_SHADES + 2  # the contour (a line per unbroken piece of a shade) and two paths
        assert readout(page).startswith("epoch 0")
        page.evaluate(SAMPLE_LINES)
        play = page.locator(f"{BOX} .tc-play")
        # a screen reader hears what the button does now, without its symbol ("▶ play" read as "play")
        expect(play).to_have_attribute("aria-label", "play")
        play.click()
        expect(play).to_have_attribute("aria-label", "pause")
        expect(play.locator("span").first).to_have_text("❚❚ pause")
        page.wait_for_function("() => document.querySelector('.st-key-contour .tc-readout').textContent"
                               ".startsWith('epoch 20')", timeout=20_000)
        expect(play).to_have_attribute("aria-label", "play")  # the play ended by itself
        during = page.evaluate("window.__lines")
        assert len(during) > 30 and min(during) == max(during) == drawn
        assert "f: (1) 0.08901" in readout(page)  # GD's loss at epoch 20: f at the textbook's point
        # scrub with the keys of the epoch slider, and a step each way: the readout and the lines follow
        scrubber = page.locator(f"{BOX} .tc-epoch")
        scrubber.focus()
        page.keyboard.press("Home")
        assert re.match("epoch 0\\D", readout(page))
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        assert re.match("epoch 10\\D", readout(page))
        page.locator(f"{BOX} .tc-forward").click()
        assert re.match("epoch 11\\D", readout(page))
        page.locator(f"{BOX} .tc-back").click()
        page.locator(f"{BOX} .tc-back").click()
        assert re.match("epoch 9\\D", readout(page))
        scrubber.focus()
        page.keyboard.press("End")
        assert re.match("epoch 20\\D", readout(page))
        assert page.locator(f"{BOX} .tc-forward").is_disabled()
        assert page.evaluate(COUNT_LINES) == drawn
        assert min(page.evaluate("window.__lines")) == drawn


@pytest.mark.parametrize("width,height", [(1400, 1000), (1024, 768), (390, 844)])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nothing_covers_the_epoch_readout(app_url, width, height, lang):
    query = "optimizer=gd&lr=0.4&optimizer2=gd&lr2=0.6&optimizer3=momentum&lr3=0.4&optimizer4=adam&lr4=0.4"
    with chromium_page(width, height) as page:
        page.goto(f"{app_url}/?{query}&lang={lang}")
        wait_ready(page)
        chart = page.locator(BOX).first
        chart.scroll_into_view_if_needed()
        text = box(page.locator(READOUT))
        assert text["height"] >= 2 * 18  # two lines at least (the epoch, then the runs' losses) of 18 px type
        others = [page.locator(f"{BOX} {c}") for c in (".tc-play", ".tc-back", ".tc-forward", ".tc-epoch", ".tc-speed")]
        others += [page.locator(f"{CHART} .g-xtitle").first, page.locator(f"{CHART} .nsewdrag").first,
                   page.locator(f"{CHART} .legend").first]
        for other in others:
            assert not overlap(text, box(other))
        # the readout stays inside the chart, all four losses readable
        assert text["x"] >= box(chart)["x"] and text["x"] + text["width"] <= box(chart)["x"] + box(chart)["width"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        chart.screenshot(path=str(SHOTS / f"chart-{width}x{height}-{lang}.png"))
        page.screenshot(path=str(SHOTS / f"page-{width}x{height}-{lang}.png"))


# where the 3D scene's box (the axes' ranges) falls across its chart: the leftmost and rightmost of its
# corners, in px from the chart's left edge, and the chart's width (the camera's own projection, as live.js draws)
SCENE_ACROSS = """() => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const layout = gd._fullLayout, scene = layout.scene._scene, size = layout._size, domain = layout.scene.domain;
  const camera = scene.glplot.cameraParams, [sx, sy, sz] = scene.dataScale;
  const axes = [layout.scene.xaxis, layout.scene.yaxis, layout.scene.zaxis];
  const width = size.w * (domain.x[1] - domain.x[0]), left = size.l + domain.x[0] * size.w;
  const xs = [];
  for (const i of [0, 1]) for (const j of [0, 1]) for (const k of [0, 1]) {
    let p = [axes[0].range[i] * sx, axes[1].range[j] * sy, axes[2].range[k] * sz, 1];
    for (const m of [camera.model, camera.view, camera.projection]) {
      p = [0, 1, 2, 3].map((r) => m[r] * p[0] + m[4 + r] * p[1] + m[8 + r] * p[2] + m[12 + r] * p[3]);
    }
    xs.push(left + 0.5 * (1 + p[0] / p[3]) * width);
  }
  return [Math.min(...xs), Math.max(...xs), layout.width];
}"""


def test_the_3d_scene_and_its_labels_fit_a_narrow_chart(app_url):
    """At 1024 px the chart is a narrow column: the camera steps back so that the box's corners keep 40 px of
    room on each side for the axes' tick labels (before, the z axis's "20" was cut to "0" at the left)."""
    with chromium_page(1024, 768) as page:
        page.goto(app_url + "/?view3d=1&lang=zh")
        wait_ready(page)
        left, right, width = page.evaluate(SCENE_ACROSS)
        assert width < 400  # a narrow column indeed
        assert left >= 40 and right <= width - 40, (left, right, width)


def test_a_phone_closes_the_sidebar_after_a_preset_a_page_or_a_language_is_chosen(app_url):
    with chromium_page(390, 844) as page:
        page.goto(app_url + "/")
        wait_ready(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        page.wait_for_timeout(600)
        assert box(sidebar)["x"] < 0  # a phone opens with the sidebar closed
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_timeout(600)
        assert box(sidebar)["x"] >= 0
        main = page.locator('[data-testid="stMain"]')
        for preset in ("momentum_06", "pits"):  # each time, not only the first
            main.evaluate("(e) => e.scrollTo(0, 1500)")  # the student had scrolled down to the eigen charts
            assert main.evaluate("(e) => e.scrollTop") > 500
            if box(sidebar)["x"] < 0:
                page.locator('[data-testid="stExpandSidebarButton"]').click()
                page.wait_for_timeout(600)
            page.locator(".st-key-preset_pick-en").click()
            page.keyboard.type(PRESETS[preset].title("en"))  # the list is long: typing narrows it to the one
            page.get_by_role("option", name=PRESETS[preset].title("en"), exact=True).click()
            wait_ready(page)
            # the component's frame loads after the page has drawn, then closes the sidebar
            page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                                   ".getBoundingClientRect().x < 0", timeout=15_000)
            # and shows the new experiment from its top (it stayed scrolled down, the new chart out of sight)
            page.wait_for_function("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop === 0",
                                   timeout=15_000)
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "phone-after-preset.png"))
        # and after another page is chosen from the sidebar's list of pages
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().x >= 0", timeout=15_000)
        page.locator('[data-testid="stSidebarNav"] a', has_text="Stability map").click()
        page.wait_for_function("() => location.pathname.includes('stability')", timeout=15_000)
        wait_ready(page, 60_000)
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().x < 0", timeout=15_000)
        # and after the language is switched (a student's first move; the sidebar had stayed over the page)
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().x >= 0", timeout=15_000)
        page.locator(".st-key-lang").click()
        page.get_by_role("option", name="简体中文", exact=True).click()
        page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'", timeout=30_000)
        wait_ready(page, 60_000)
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().x < 0", timeout=15_000)


def swipe_up(page, x: float, y: float, distance: float = 200) -> None:
    """A finger's swipe up at (x, y): touches through the DevTools protocol (Playwright's tap() only taps)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        point = {"x": x, "y": y - distance * step / 10}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(20)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(600)


def test_a_swipe_over_the_loss_chart_on_a_phone_scrolls_the_page_and_leaves_the_chart(app_url):
    """On a touch screen a swipe over the loss chart (the phone's whole width) zoomed its axes, with Plotly's English
    "double-click to zoom back out", and the page did not move (a student's trial, 390 × 844, touch)."""
    with chromium() as browser:
        page = touch_phone(browser)
        page.goto(app_url + "/?optimizer=momentum&lr=0.4&momentum=0.5")
        wait_ready(page)
        chart = page.locator(".st-key-losses .js-plotly-plot")
        chart.wait_for()
        main = page.locator('[data-testid="stMain"]')
        chart.evaluate("(gd) => document.querySelector('[data-testid=stMain]').scrollTop += "
                       "gd.getBoundingClientRect().y - 150")
        y_range = "(gd) => gd._fullLayout.yaxis.range.join()"
        before, top = chart.evaluate(y_range), main.evaluate("(e) => e.scrollTop")
        r = chart.bounding_box()
        swipe_up(page, r["x"] + r["width"] / 2 + 30, r["y"] + r["height"] / 2 + 100)
        assert chart.evaluate(y_range) == before
        assert main.evaluate("(e) => e.scrollTop") > top + 100


# where on the screen run 1's path's 5th point is drawn
# the data's point under a pixel of the page, on the chart's axes as drawn
UNDER = """(gd, [x, y]) => { const f = gd._fullLayout, box = gd.getBoundingClientRect();
  return [f.xaxis.p2d(x - box.left - f.xaxis._offset), f.yaxis.p2d(y - box.top - f.yaxis._offset)]; }"""
POINT_ON_SCREEN = """(gd) => {
  const path = gd.data.find((t) => typeof t.meta === 'string' && t.meta.startsWith('path'));
  const { xaxis, yaxis } = gd._fullLayout; const box = gd.getBoundingClientRect();
  return [box.left + xaxis._offset + xaxis.d2p(path.x[4]), box.top + yaxis._offset + yaxis.d2p(path.y[4])]; }"""


def test_a_tap_on_a_phone_leaves_no_label_over_the_plot(app_url):
    """A finger never leaves the chart as a mouse does: the labels of a tapped point ("x1 0.3858, x2 1.5294" and the
    plane's "x1 0.50, x2 1.51") stayed over the plot until the next tap (a student's phone trial). The tap starts the
    runs where the finger was, on axes that stay (a tap was a double click: the axes were reset under the finger)."""
    with chromium() as browser:
        page = touch_phone(browser)
        page.goto(app_url + "/?lr=0.3")
        wait_ready(page)
        chart = page.locator(".st-key-contour .js-plotly-plot")
        chart.scroll_into_view_if_needed()
        where = chart.evaluate(POINT_ON_SCREEN)
        axes = chart.evaluate("(gd) => [gd._fullLayout.xaxis.range, gd._fullLayout.yaxis.range]")
        finger = chart.evaluate(UNDER, where)
        page.touchscreen.tap(*where)
        labels = page.locator(".st-key-contour .hoverlayer .hovertext, .st-key-contour .tc-where:visible")
        expect(labels.first).to_be_visible()  # the tapped point is said for a moment, above the finger (below it, the
        said = page.locator(".st-key-contour .tc-where").bounding_box()  # finger, and the axis' numbers at the foot)
        assert said["y"] + said["height"] <= where[1], (said, where)
        expect(labels).to_have_count(0, timeout=5_000)
        wait_ready(page)
        assert page.locator(".st-key-contour .hoverlayer .hovertext").count() == 0
        page.wait_for_url(re.compile(r"x1="))
        start = [float(re.search(rf"[?&]{name}=(-?[\d.]+)", page.url).group(1)) for name in ("x1", "x2")]
        assert start == pytest.approx(finger, abs=0.01), (start, finger)
        assert chart.evaluate("(gd) => [gd._fullLayout.xaxis.range, gd._fullLayout.yaxis.range]") == axes


def test_a_phone_turned_sideways_opens_with_the_sidebar_closed_and_closes_it_after_a_choice(app_url):
    """At 844 × 390 Streamlit opened the sidebar over half the page, the chart 272 px wide beside it (a phone's trial);
    a window of that size on a laptop keeps it open."""
    with chromium() as browser:
        phone = browser.new_context(viewport={"width": 844, "height": 390}, has_touch=True, is_mobile=True,
                                    locale="en-US").new_page()
        laptop = browser.new_context(viewport={"width": 844, "height": 390}, locale="en-US").new_page()
        for page in (phone, laptop):
            page.goto(app_url + "/?preset=gd_vs_momentum")
            wait_ready(page)
        sidebar = '[data-testid="stSidebar"]'
        expect(phone.locator(sidebar)).to_have_attribute("data-collapsed", "true")
        expect(laptop.locator(sidebar)).to_have_attribute("data-collapsed", "false")
        phone.locator('[data-testid="stExpandSidebarButton"]').tap()  # opened by hand: its « closes it (a finger
        expect(phone.locator(sidebar)).to_have_attribute("data-collapsed", "false")  # hovers nothing: « was hidden)
        phone.locator('[data-testid="stSidebarCollapseButton"] button').tap()
        expect(phone.locator(sidebar)).to_have_attribute("data-collapsed", "true")
        phone.locator('[data-testid="stExpandSidebarButton"]').tap()  # opened again, and a page chosen: it closes
        expect(phone.locator(sidebar)).to_have_attribute("data-collapsed", "false")
        phone.locator('[data-testid="stSidebarNavLink"]').nth(1).tap()
        expect(phone.locator(sidebar)).to_have_attribute("data-collapsed", "true", timeout=60_000)


@pytest.mark.parametrize("width, height", [(390, 844), (768, 1024), (1400, 1000)])
def test_the_page_starts_below_the_header(app_url, width, height):
    """Up to 768 px wide Streamlit's header is opaque: an exercise's notice started 20 px under it on a phone,
    its first line half hidden. Wider, the header is see-through and the page starts higher."""
    with chromium_page(width, height) as page:
        page.goto(app_url + "/?preset=gd_vs_momentum&hide=lr")
        wait_ready(page)
        header = box(page.locator('[data-testid="stHeader"]'))
        notice = box(page.locator('[data-testid="stMain"] [data-testid="stAlert"]').first)
        opaque = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stHeader]'))"
                               ".backgroundColor !== 'rgba(0, 0, 0, 0)'")
        assert opaque == (width <= 768)
        assert not opaque or notice["y"] >= header["y"] + header["height"], (notice, header)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width, most", [(390, 2), (1400, 1)])
def test_the_races_table_fits_a_phone_and_its_counts_break_only_before_the_parenthesis(app_url, lang, width, most):
    """On a phone, each "settings tried" cell of the race's table is at most two lines: the count, then
    "(0 diverged)" (in Chinese it broke a character a line, four lines a row); the table fits the screen.
    On a wide screen each is one line (the final loss column's long SGD note had taken the room)."""
    with chromium_page(width, 844) as page:
        page.goto(app_url + f"/race?lang={lang}")
        wait_ready(page, 120_000)
        lines = page.evaluate("""() => Array.from(document.querySelectorAll('.st-key-race_table td:last-child'),
            (td) => { const range = document.createRange(); range.selectNodeContents(td);
                      return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size; })""")
        assert len(lines) >= 8 and max(lines) <= most, lines
        rank = page.evaluate("""() => { const range = document.createRange();  // 名次 broke between its characters
            range.selectNodeContents(document.querySelector('.st-key-race_table th'));
            return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size; }""")
        assert rank == 1
        table = page.locator(".st-key-race_table table").bounding_box()
        assert table["x"] >= 0 and table["x"] + table["width"] <= width
        # the race's chart: every name of its legend whole (in two columns on a phone, "14. Stochastic grad" was cut
        # at the chart's edge and "13. Gradient descent" ran into the next column), no blank rows above and below
        # its plot, and its 14 losses as many to a line as fit (they took 7 lines, two runs a line)
        chart = page.evaluate(RACE_CHART)
        rows = {}
        for item in chart["items"]:
            rows.setdefault(item["top"], []).append(item)
        for row in rows.values():
            row.sort(key=lambda item: item["left"])
            for item, after in zip(row, [*row[1:], {"left": chart["right"]}]):
                assert item["right"] <= after["left"], (item, after)
        assert chart["blank"] <= 2, chart["blank"]
        losses = chart["losses"]
        assert len(losses) == 14 and all(chart["left"] <= b["left"] and b["right"] <= chart["right"] for b in losses)
        assert len({b["top"] for b in losses}) <= (4 if width < 768 else 2), losses


RACE_CHART = """() => {
  const root = document.querySelector('.st-key-race_chart .tc'), gd = root.querySelector('.js-plotly-plot');
  const chart = gd.getBoundingClientRect(), full = gd._fullLayout;
  const items = Array.from(gd.querySelectorAll('.legend .traces'), (g) => ({left: g.getBoundingClientRect().left,
    top: Math.round(g.getBoundingClientRect().top),
    right: g.querySelector('.legendtext').getBoundingClientRect().right}));
  const losses = Array.from(root.querySelectorAll('.tc-readout .tc-loss'), (span) => span.getBoundingClientRect())
    .map((b) => ({left: b.left, right: b.right, top: Math.round(b.top)}));
  return {left: chart.left, right: chart.right, items, losses, blank: full._size.h - full.yaxis._length};
}"""


def run_pixels(png: bytes, colour: str) -> int:
    """How many pixels of the screenshot `png` are drawn in `colour` (#rrggbb), give or take a little."""
    from io import BytesIO

    import numpy as np
    from PIL import Image

    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(Image.open(BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(pixels - target).sum(axis=-1) < 40).sum())


def test_the_3d_views_first_camera_sees_the_default_path_over_the_valleys_wall(app_url):
    """The first view of the 3D scene (default surface and run) shows the path on the valley's floor: taking the
    surface away uncovers little of it (the old camera, low over the near wall, hid two thirds of it)."""
    with chromium_page() as page:
        page.goto(app_url + "/?view3d=1")
        wait_ready(page)
        page.wait_for_timeout(500)
        chart = page.locator(CHART)
        colour = page.evaluate(f"() => document.querySelector('{CHART}').data.find((t) => t.meta === 'path0')"
                               ".line.color")
        seen = run_pixels(chart.screenshot(), colour)
        page.evaluate(f"""() => {{ const gd = document.querySelector('{CHART}');
            return Plotly.restyle(gd, {{visible: false}}, [gd.data.findIndex((t) => t.type === 'surface')]); }}""")
        page.wait_for_timeout(500)
        whole = run_pixels(chart.screenshot(), colour)
        assert whole > 300 and seen >= 0.8 * whole, (seen, whole)


# the boxes of the ✕ where run 2 left the plot, of the legend, and of every tick label of the two axes
EXIT_AND_TICKS = """() => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const rect = (e) => { const r = e.getBoundingClientRect();
                        return {x: r.x, y: r.y, width: r.width, height: r.height}; };
  const uid = gd._fullData.find((t) => t.meta === 'left1').uid;
  const mark = document.getElementsByClassName('trace' + uid)[0].querySelector('path.point');
  return {mark: rect(mark), legend: rect(gd.querySelector('.legend .bg')),
          ticks: Array.from(gd.querySelectorAll('.xtick text, .ytick text'), (t) => [t.textContent, rect(t)])};
}"""


def test_the_exit_mark_and_the_legend_leave_the_axes_numbers_readable(app_url):
    """GD at η = 0.6 leaves the plot at x1 = −4: its ✕ on the edge covered the tick label "−4", and the legend
    covered the top "3" of x2 (a new teacher's report); both are clear now."""
    with chromium_page() as page:
        page.goto(app_url + "/?preset=gd_vs_momentum")
        wait_ready(page)
        boxes = page.evaluate(EXIT_AND_TICKS)
        covered = [(text, tick) for text, tick in boxes["ticks"]
                   if overlap(tick, boxes["mark"]) or overlap(tick, boxes["legend"])]
        assert len(boxes["ticks"]) >= 10 and not covered, (covered, boxes["mark"], boxes["legend"])


# the plot area's height that the equal axes leave unused, and its width
UNUSED = """() => { const full = document.querySelector('.st-key-contour .js-plotly-plot')._fullLayout;
  return {height: full._size.h - full.yaxis._length, width: full._size.w - full.xaxis._length}; }"""


@pytest.mark.parametrize("width,height", [(390, 844), (1400, 1000)])
def test_equal_axes_on_a_narrow_screen_leave_no_blank_rows_above_and_below_the_plot(app_url, width, height):
    """On a phone the width limits the equally scaled plot: the chart gives up the rows it would leave blank
    between the legend and the plot (about 95 px); on a wide screen the height limits it, and nothing changes."""
    with chromium_page(width, height) as page:
        page.goto(app_url + "/")
        wait_ready(page)
        unused = page.evaluate(UNUSED)
        if width < 500:  # Plotly's margins follow the height: a little width may be left over instead
            assert unused["height"] <= 3 and unused["width"] <= 40, unused
        else:
            assert unused["height"] <= 2 and unused["width"] > 100, unused


# each Plotly.react of the explorer's charts: which chart, and how many of the browser's frames had passed
HOOK_REACTS = """() => {
  window.__reacts = [];
  let frames = 0;
  const tick = () => { frames += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const react = Plotly.react;
  Plotly.react = function (gd, ...rest) {
    const key = [...gd.closest('[class*="st-key-"]').classList].find((c) => c.startsWith("st-key-"));
    window.__reacts.push([key.slice(7), frames]);
    return react.call(this, gd, ...rest);
  };
}"""


def test_a_key_press_moves_the_paths_on_screen_before_the_other_charts_are_redrawn(app_url):
    """The loss, weights and eigen-error charts took 100 ms of Plotly.react in the same task as the contour's, and
    the browser paints only after all of it: the paths under the hand now go on screen first."""
    with chromium_page() as page:
        page.goto(app_url + "/?preset=momentum_04")
        wait_ready(page)
        page.evaluate(HOOK_REACTS)
        page.locator('.st-key-run0-momentum-lr input[type="range"]').focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => ['contour', 'losses', 'weights', 'eigen'].every("
                               "(k) => window.__reacts.some(([key]) => key === k))", timeout=20_000)
        reacts = page.evaluate("window.__reacts")
        contour = next(frame for key, frame in reacts if key == "contour")
        others = [frame for key, frame in reacts if key in ("losses", "weights", "eigen")]
        assert reacts[0][0] == "contour" and min(others) > contour, reacts


@pytest.mark.parametrize("width, below", [(390, True), (1400, False)])
def test_a_maps_colour_bar_lies_under_it_on_a_phone_so_the_map_keeps_the_width(app_url, width, below):
    """On a phone the colour bar beside the stability map took 70 of 340 px: its 200 cells a strip 207 px wide."""
    with chromium_page(width, 900) as page:
        page.goto(app_url + "/stability?map_optimizer=momentum&epochs=5")
        wait_ready(page, 120_000)
        chart = page.locator(".st-key-stability_map .js-plotly-plot")
        bar, plot, chart_width = chart.evaluate("""gd => [gd._fullData.find(t => t.showscale).colorbar.orientation,
            gd._fullLayout.xaxis._length, gd.clientWidth]""")
        assert bar == ("h" if below else "v")
        if below:
            assert plot > 0.75 * chart_width, (plot, chart_width)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_play_moves_no_control_under_the_finger_on_a_phone(app_url, lang):
    """"▶ 播放" became the wider "❚❚ 暂停": the epoch's slider went to a row of its own and the speed moved."""
    with chromium_page(390, 844) as page:
        page.goto(app_url + f"/?lang={lang}&epochs=200")
        wait_ready(page)
        controls = [page.locator(f"{BOX} .tc-{c}") for c in ("play", "back", "forward", "epoch", "speed")]
        controls[0].scroll_into_view_if_needed()
        before = [c.bounding_box() for c in controls]
        label = controls[0].get_attribute("aria-label")
        controls[0].click()
        expect(controls[0]).not_to_have_attribute("aria-label", label)  # playing: the button says pause
        after = [c.bounding_box() for c in controls]
        controls[0].click()
        assert after == before, (before, after)
