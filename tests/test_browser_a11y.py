"""axe-core (from npm, installed by test.sh) on the five pages in both languages: no serious or critical
violation of WCAG 2.1 A and AA (contrast, names, roles); and the charts' text alternatives."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.serve import PRINTED_LINES, ROOT, chromium_page, wait_ready
from optimizers import OPTIMIZERS
from ui.i18n import t
from ui.labels import hyper_label

AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
# the explorer with an experiment: its lesson, and the line the textbook prints beside the run's own
PAGES = {"explorer": "?preset=lr_decay&", "stability": "stability?", "basins": "basins?", "race": "race?",
         "network": "network?"}
SERIOUS = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.length} element(s), e.g. ${v.nodes[0].failureSummary}`);
}"""

# a name or value put together from words a chart was not given ("undefined 0" on the epoch slider of a chart
# without epochs), hidden ones included: a screen reader reaches some of them, and none should exist
UNDEFINED_WORDS = """() => [...document.querySelectorAll('*')].flatMap((e) =>
  ['aria-label', 'aria-valuetext', 'title'].map((name) => e.getAttribute(name))
    .concat(e.matches('.tc-readout, .tc-play, .tc-option') ? [e.textContent] : [])
    .filter((text) => text && /undefined|NaN/.test(text))
    .map((text) => `${e.tagName}.${e.className}: ${text}`))"""

PLOTLY_LOCALES = "() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => gd._context.locale)"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_page_has_a_serious_accessibility_violation(app_url, lang):
    assert AXE.exists(), "axe-core is missing: ./test.sh installs it from npm"
    found, plotly_languages = {}, set()
    with chromium_page() as page:
        for name, page_query in PAGES.items():
            page.goto(f"{app_url}/{page_query}lang={lang}")
            wait_ready(page, 120_000)
            page.add_script_tag(path=str(AXE))
            found[name] = page.evaluate(SERIOUS) + page.evaluate(UNDEFINED_WORDS)
            # Plotly's own words (its notices, the legend's tip) in the page's language too: each chart's locale
            plotly_languages |= set(page.evaluate(PLOTLY_LOCALES))
    assert found == {name: [] for name in PAGES}
    assert plotly_languages == ({"zh"} if lang == "zh" else {"en-US"})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_explorers_charts_say_in_words_what_they_show_and_where_each_run_ends(app_url, lang):
    with chromium_page() as page:
        page.goto(f"{app_url}/?optimizer=gd&optimizer2=momentum&lang={lang}")
        wait_ready(page)
        expect(page.locator(PRINTED_LINES)).to_have_count(2)
        expect(page.locator(PRINTED_LINES).last).to_contain_text("epoch 20")  # drawn a moment after ready
        printed = [c.inner_text().strip() for c in page.locator(PRINTED_LINES).all()]
        for i in range(2):  # and said as a change makes them anew (a moved η was said as its value alone)
            expect(page.locator(f".st-key-printed{i}")).to_have_attribute("aria-live", "polite")
        figures = page.locator('[role="figure"]')
        expect(figures.nth(1)).to_have_attribute("aria-label", re.compile("epoch 20"))
        assert figures.count() >= 2  # the paths and the loss
        for label in (figures.nth(i).get_attribute("aria-label") for i in range(2)):
            assert len(printed) == 2 and all(line in label for line in printed), label
        paths = figures.first.get_attribute("aria-label")
        first = {"en": "1. Gradient descent", "zh": "1. 梯度下降"}[lang]
        assert "0.1 * x1**2 + 2.0 * x2**2" in paths and first in paths


# the focused element's outline, and the current page's link's (Streamlit marks it with a pale box alone)
OUTLINES = """() => {
  const outline = (e) => { const s = getComputedStyle(e); return `${s.outlineStyle} ${s.outlineWidth}`; };
  const current = [...document.querySelectorAll('[data-testid=stSidebarNavLink]')]
    .find((a) => a !== document.activeElement && a.href.endsWith('/'));
  const focused = document.activeElement;
  return {focused: focused.textContent, ring: outline(focused), current: outline(current)};
}"""


def test_a_page_link_reached_by_the_keyboard_is_ringed_unlike_the_current_page(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/")
        wait_ready(page)
        page.locator("[data-testid=stSidebarNavLink]").first.focus()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        seen = page.evaluate(OUTLINES)
        assert seen["focused"].endswith("Basins of attraction")
        assert seen["ring"] == "solid 3px" and seen["current"].startswith("none"), seen
        page.keyboard.press("Tab")  # the race, opened by the keyboard: the focus on its title, which a screen reader
        page.keyboard.press("Enter")  # says (it stayed on the link, and nothing told the new page)
        page.wait_for_url("**/race*")
        wait_ready(page, 60_000)
        page.wait_for_function("() => document.activeElement.tagName === 'H1'", timeout=15_000)
        assert page.evaluate("document.activeElement.innerText") == "A fair race"


# where the keyboard's focus is: its name, whether it is on the screen, whether it is in the sidebar
FOCUSED = """() => { const a = document.activeElement, r = a.getBoundingClientRect();
  return {name: (a.getAttribute('aria-label') || a.innerText || a.tagName).trim().slice(0, 40),
          seen: r.right > 0 && r.bottom > 0 && r.left < innerWidth,
          sidebar: !!a.closest('[data-testid=stSidebar]')}; }"""


def tab_stops(page, presses: int, seen: str) -> list:
    """What the script `seen` says of the focus after each of `presses` Tab presses (each given time to scroll)."""
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        page.wait_for_timeout(100)
        stops.append(page.evaluate(seen))
    return stops


def test_a_collapsed_sidebar_takes_no_tab_stop_and_an_expanded_one_does(app_url):
    """The presentation layout starts with the sidebar collapsed: its controls, off the screen, took 15 Tab
    stops the eye could not follow; once expanded they are reached again."""
    with chromium_page(1024, 768) as page:
        page.goto(app_url + "/?view=present")
        wait_ready(page)
        stops = tab_stops(page, 12, FOCUSED)
        assert all(stop["seen"] and not stop["sidebar"] for stop in stops), stops
        assert [stop["name"] for stop in stops[:2]] == ["Skip to main content", "Expand sidebar"], stops
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().x >= 0", timeout=15_000)
        page.locator(".st-key-lang").click()  # the language menu takes the keyboard again
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["sidebar"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_networks_charts_say_in_words_what_they_show_and_how_each_run_ended(app_url, lang):
    with chromium_page() as page:
        errors = []  # a chart without epochs once threw on every drawing, naming the play button it has not
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{app_url}/network?lang={lang}")
        wait_ready(page, 120_000)
        assert errors == []
        outcomes = [m.inner_text().strip().replace("\n", " ") for m in page.locator('[data-testid="stAlert"]').all()]
        figures = page.locator('[role="figure"]')
        expect(figures).to_have_count(2)
        losses, fit = (figures.nth(i).get_attribute("aria-label") for i in range(2))
        assert outcomes and all(outcome in losses for outcome in outcomes), (outcomes, losses)
        stop = int(re.search(r"(?:at step |第 )(\d+)", outcomes[0]).group(1))  # the fit is shown where it stopped
        assert {"en": f"at step {stop + 1}", "zh": f"第 {stop + 1} 步"}[lang] in fit


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_stability_maps_say_in_words_what_they_show(app_url, lang):
    with chromium_page() as page:
        page.goto(f"{app_url}/stability?map_optimizer=momentum&optimizer=momentum&momentum=0.9&lang={lang}")
        wait_ready(page, 120_000)
        captions = [c.inner_text().strip() for c in page.locator('[data-testid="stCaptionContainer"]').all()]
        figures = page.locator('[role="figure"]')
        expect(figures).to_have_count(2)
        outcome, rate = (figures.nth(i).get_attribute("aria-label") for i in range(2))
        summary = next(c for c in captions if {"en": " converging", "zh": "次收敛"}[lang] in c)  # the counts
        optimum = next(c for c in captions if {"en": "Fastest", "zh": "最快"}[lang] in c)
        assert summary in outcome and optimum in rate, (outcome, rate)
        # the keyboard opens a cell, as a click does: Tab reaches the map, the arrows choose, Enter opens
        plot = page.locator(".st-key-stability_map .js-plotly-plot")
        expect(plot).to_have_attribute("tabindex", "0")
        expect(plot).to_have_attribute("aria-label", re.compile({"en": "Arrow keys", "zh": "方向键"}[lang]))
        # the two maps' names for the keyboard begin with their titles: one instruction said twice told them not apart
        names = [m.get_attribute("aria-label") for m in page.locator('[role="application"]').all()]
        assert [name.startswith(t(lang, key)) for name, key in zip(names, ("map_outcome_title", "map_rate_title"))] \
            == [True, True], names
        plot.focus()
        for key in ("Shift+ArrowRight", "ArrowUp"):
            page.keyboard.press(key)
        cell = page.locator(".st-key-stability_map .tc-cell")
        expect(cell).to_contain_text("η ")  # the chosen cell, said, with what its colour says (its η and γ alone were)
        kinds = [t(lang, "map_" + kind) for kind in ("converging", "growing", "diverged", "stopped")]
        expect(cell).to_contain_text(re.compile("|".join(map(re.escape, kinds))))
        if t(lang, "map_converging") in cell.inner_text():
            expect(cell).to_contain_text(t(lang, "map_colour") + " -")  # and how far it got: log₁₀(f − f*) −3.2
        lr, gamma = (float(v) for v in re.findall(r"[-\d.]+", cell.inner_text().split("η ", 1)[1])[:2])
        page.keyboard.press("Enter")
        page.wait_for_url(lambda u: "/stability" not in u, timeout=30_000)
        query = parse_qs(urlparse(page.url).query)
        assert query["optimizer"] == ["momentum"] and float(query["lr"][0]) == float(f"{lr:.4g}")  # as a click
        # and the keyboard lands on the explorer's title, not on the page's body
        page.wait_for_function("() => document.activeElement.tagName === 'H1'", timeout=15_000)
        assert page.evaluate("document.activeElement.innerText") == t(lang, "app_title")
        assert float(query["momentum"][0]) == pytest.approx(gamma, abs=1e-3)
        assert gamma == pytest.approx(0.9, abs=0.05)  # the keys start at run 1's cell (γ 0.9), not the middle (0.5)


def test_the_basins_say_in_words_where_each_runs_starts_end(app_url):
    with chromium_page() as page:
        page.goto(f"{app_url}/basins?lang=zh&surface=himmelblau&optimizer2=momentum&x1=1&x2=-2")
        wait_ready(page, 120_000)
        shares = [p.inner_text().strip() for p in page.locator('[data-testid="stMarkdownContainer"] p').all()
                  if "% 的初始点" in p.inner_text()]
        label = page.locator('[role="figure"]').first.get_attribute("aria-label")
        assert len(shares) == 2 and all(share in label for share in shares), (shares, label)
        page.locator(".js-plotly-plot").first.focus()  # a start opened by the keyboard
        page.keyboard.press("ArrowLeft")
        said = page.locator(".tc-cell").first
        expect(said).to_contain_text("x1 ")
        x1, x2 = (float(v) for v in re.findall(r"x[12] (-?[\d.]+)", said.inner_text()))
        assert (x1, x2) == (0.75, -2)  # one start left of the explorer's (1, -2): the keys start where its runs do
        page.keyboard.press("Enter")
        page.wait_for_url(lambda u: "/basins" not in u and "x1=" in u, timeout=30_000)
        query = parse_qs(urlparse(page.url).query)
        assert [float(query["x1"][0]), float(query["x2"][0])] == pytest.approx([x1, x2], abs=0.006)


# Streamlit's own words on the page: the skip link's text and the aria-labels of its controls
STREAMLIT_SAID = """() => [document.querySelector('[data-testid="stSkipToContent"]').textContent.trim(),
  ...[...document.querySelectorAll('[data-testid="stSidebar"], [data-testid="stSidebarNav"], '
    + '[data-testid="stSidebarCollapseButton"] button, [data-testid="stSelectbox"] button')]
    .map((e) => e.getAttribute('aria-label')),
  ...[...document.querySelectorAll('[data-testid="stSelectbox"] input')].map((e) => e.getAttribute('placeholder'))]"""


def test_streamlits_own_words_are_in_the_pages_language_and_follow_a_switch(app_url):
    """"Skip to main content", "Sidebar", "Collapse sidebar", "App pages", "Open": a Chinese screen reader read
    them out in English, in a Chinese voice."""
    from ui.session import STREAMLIT_WORDS

    english = {t("en", word) for word in STREAMLIT_WORDS}
    chinese = {t("zh", word) for word in STREAMLIT_WORDS}
    with chromium_page() as page:
        page.goto(app_url + "/?lang=zh")
        wait_ready(page)
        page.wait_for_function(STREAMLIT_SAID + ".every((w) => !" + repr(sorted(english)) + ".includes(w))",
                               timeout=10_000)
        said = page.evaluate(STREAMLIT_SAID)
        assert said[0] == "跳到主要内容" and not set(said) & english, said
        assert {"侧边栏", "收起侧边栏", "应用页面", "展开", "请选择一项"} <= set(said) <= chinese | {
            t("zh", "experiment_pick")}, said
        page.locator(".st-key-lang").click()
        page.get_by_role("option", name="English", exact=True).click()
        page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30_000)
        wait_ready(page)
        page.wait_for_function(STREAMLIT_SAID + "[0] === 'Skip to main content'", timeout=10_000)
        said = page.evaluate(STREAMLIT_SAID)
        assert {"Sidebar", "Open", "Choose an option"} <= set(said) and not set(said) & chinese, said
    with chromium_page(390, 844) as page:  # a phone: the start's boxes have − and + buttons in the opened sidebar
        page.goto(app_url + "/?lang=zh")
        wait_ready(page)
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        steps = page.locator('[data-testid="stNumberInputStepDown"], [data-testid="stNumberInputStepUp"]')
        expect(steps).to_have_count(4)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid^=stNumberInputStep]')]"
                               ".every((b) => ['减少', '增加'].includes(b.getAttribute('aria-label')))", timeout=10_000)


# the focused control's visible box (a toggle's label, a slider's thumb), its outline, and whether it is all on screen
RING = """() => { const a = document.activeElement;
  const box = a.closest('[data-testid=stSlider]') ? a.parentElement.parentElement
    : a.closest('[data-testid=stCheckbox]') ? a.closest('label') : a;
  const r = box.getBoundingClientRect(), style = getComputedStyle(box);
  return {name: a.getAttribute('aria-label') || box.innerText.trim().slice(0, 30), type: a.type,
          ring: style.outlineStyle + ' ' + style.outlineWidth, whole: r.top >= 0 && r.bottom <= innerHeight}; }"""


def test_the_keyboard_sees_a_ring_on_every_toggle_and_slider_it_reaches_and_the_whole_control(app_url):
    """A toggle got a pale tint and a slider's thumb a faint halo only; a toggle under the screen's edge took the
    focus with the page left unscrolled (the presentation layout at 1024 × 768)."""
    with chromium_page(1024, 768) as page:
        page.goto(app_url + "/?view=present&preset=gd_04")
        wait_ready(page)
        reached = [stop for stop in tab_stops(page, 16, RING) if stop["type"] in ("checkbox", "range")]
        assert {stop["type"] for stop in reached} == {"checkbox", "range"}, reached
        assert [stop for stop in reached if stop["ring"] != "solid 3px" or not stop["whole"]] == [], reached
        # the main area, a Tab stop of Streamlit's (to scroll it), had no ring at all: the focus seemed to vanish
        ring = page.evaluate("""() => { const main = document.querySelector('[data-testid=stMain]'); main.focus();
          const style = getComputedStyle(main); return style.outlineStyle + ' ' + style.outlineWidth; }""")
        assert ring == "solid 3px"


# the ring around the language menu's box, whose input has the focus
MENU_RING = """() => { const input = document.activeElement;
  if (!input.closest('.st-key-lang')) return 'the focus is elsewhere: ' + input.outerHTML.slice(0, 80);
  const style = getComputedStyle(input.parentElement); return style.outlineStyle + ' ' + style.outlineWidth; }"""


def test_a_menu_keeps_its_ring_after_an_option_is_chosen_with_the_keys(app_url):
    """The language menu chosen with ↓ and Enter kept the focus but lost its blue edge: the keyboard's place vanished
    (a keyboard-only trial)."""
    with chromium_page() as page:
        page.goto(app_url + "/?lr=0.1&lang=en")
        wait_ready(page)
        page.locator(".st-key-lang input").focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # reached by the keyboard
        assert page.evaluate(MENU_RING) == "solid 3px"
        for key in ("ArrowDown", "ArrowDown", "Enter"):  # 简体中文
            page.keyboard.press(key)
        expect(page.locator("h1")).to_have_text(re.compile("轨迹"))
        wait_ready(page)
        assert page.evaluate(MENU_RING) == "solid 3px"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_sliders_name_is_said_once(app_url, lang):
    """Streamlit labels a slider's input by itself and by its group, which bears the same label: a screen reader
    said "learning rate η learning rate η"."""
    with chromium_page() as page:
        page.goto(f"{app_url}/?lang={lang}")
        wait_ready(page)
        lr = OPTIMIZERS["gd"].hyperparameter("lr")
        for name in (t(lang, "epochs"), hyper_label(lang, lr)):
            expect(page.get_by_role("slider", name=name, exact=True)).to_have_count(1)


# the 3D view's camera: its eye's azimuth and elevation (degrees) and distance
EYE = """() => { const eye = document.querySelector('.st-key-contour .js-plotly-plot')._fullLayout.scene._scene
  .getCamera().eye; const level = Math.hypot(eye.x, eye.y);
  return [Math.atan2(eye.y, eye.x) * 180 / Math.PI, Math.atan2(eye.z, level) * 180 / Math.PI,
          Math.hypot(level, eye.z)]; }"""


def test_the_keyboard_turns_the_3d_view_as_a_drag_does_and_the_turn_outlives_a_change(app_url):
    """'Drag to turn it': a keyboard-only student reached the 3D view and could not turn it (a trial). Tab reaches the
    scene, which says that its arrow keys turn it; ← → turn it about the vertical axis, ↑ ↓ raise or lower the eye;
    the page does not scroll; a slider's change keeps the camera."""
    with chromium_page() as page:
        page.goto(f"{app_url}/?lr=0.1&view3d=1")
        wait_ready(page)
        scene = page.locator(".st-key-contour .js-plotly-plot")
        expect(scene).to_have_attribute("tabindex", "0")
        expect(scene).to_have_attribute("aria-label", re.compile("Arrow keys: turn it"))
        page.locator(".st-key-view3d input").focus()
        for _ in range(12):  # back from the toggle under the chart, past the epoch's controls: the scene's Tab stop
            page.keyboard.press("Shift+Tab")
            if page.evaluate("() => document.activeElement.classList.contains('js-plotly-plot')"):
                break
        else:
            raise AssertionError("12 Shift+Tabs from the 3D toggle never reached the scene")
        azimuth, elevation, distance = page.evaluate(EYE)
        scrolled = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowUp")
        page.wait_for_function(f"() => Math.abs(({EYE})()[1] - {elevation} - 10) < 0.5")
        turned, raised, away = page.evaluate(EYE)
        assert (turned - azimuth) % 360 == pytest.approx(30, abs=0.5) and away == pytest.approx(distance, rel=1e-3)
        assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == scrolled
        line = page.locator(PRINTED_LINES).first.inner_text()
        page.locator('.st-key-run0-gd-lr input[type="range"]').focus()
        page.keyboard.press("ArrowRight")  # η one stop up: a rerun with a new figure
        expect(page.locator(PRINTED_LINES).first).not_to_have_text(line)
        wait_ready(page)
        assert page.evaluate(EYE) == pytest.approx([turned, raised, away], abs=0.5)
