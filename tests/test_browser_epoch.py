"""The chart component keeps its graph and its epoch (static/chart.js): a teacher stopped at an epoch
answers a question by moving a slider or switching the language and goes on from the same epoch;
the trail hides the path ahead of the epoch, on by default in an exercise."""

import re

import pytest
from playwright.sync_api import expect

from tests.serve import PRINTED_LINES, chromium_page, open_menu, wait_ready
from ui.presets import PRESETS

BOX = ".st-key-contour .tc"
READOUT = f"{BOX} .tc-readout"
SAID = f"{BOX} .tc-said"  # what a screen reader is told of a new epoch
# the epoch the readout names, the current-epoch marker and run 1's path as the graph holds them
SHOWN = """() => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const path = gd.data.find((t) => t.meta === 'path0');
  const now = gd.data.find((t) => t.meta === 'now');
  const text = document.querySelector('.st-key-contour .tc-readout').textContent;
  return {epoch: Number(text.match(/\\d+/)[0]), text, drawn: path.x.length,
          marker: [now.x[0], now.y[0]], node: gd === window.__node};
}"""


def settle(page, before: str) -> None:
    """Until the printed lines differ from `before` (printed()) and the page is idle."""
    page.wait_for_function("([sel, b]) => { const lines = [...document.querySelectorAll(sel)];"
                           " return lines.length > 0 && lines.map((c) => c.innerText).join('\\n') !== b; }",
                           arg=[PRINTED_LINES, before], timeout=20_000)
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def press(page, control: str, key: str, times: int) -> None:
    """`key` pressed `times` on the chart's epoch control `control` (".tc-epoch", ".tc-forward", …)."""
    page.locator(f"{BOX} {control}").focus()
    for _ in range(times):
        page.keyboard.press(key)


def rested(page, epoch: int, timeout: float = 20_000) -> None:
    """Until the chart has told the server the epoch it rests at (the link has `epoch`) and the page is idle: a
    control pressed before that raced the epoch's rerun (a CI run once lost a slider's key press there; scripted
    timings around it did not reproduce it)."""
    page.wait_for_function(f"() => (new URLSearchParams(location.search).get('epoch') ?? '0') === '{epoch}'",
                           timeout=timeout)
    wait_ready(page)


def printed(page) -> str:
    """Every run's printed line, one a line."""
    return "\n".join(page.locator(PRINTED_LINES).all_inner_texts())


def test_the_epoch_survives_a_slider_change_and_a_language_switch_in_the_same_graph(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=momentum&lr=0.1&momentum=0.5&epochs=40")
        wait_ready(page)
        page.wait_for_selector(READOUT)
        page.evaluate("() => { window.__node = document.querySelector('.st-key-contour .js-plotly-plot'); }")
        press(page, ".tc-epoch", "ArrowRight", 10)
        rested(page, 10)
        first = page.evaluate(SHOWN)
        assert first["epoch"] == 10 and first["node"]

        before = printed(page)
        page.locator('.st-key-run0-momentum-momentum input[type="range"]').focus()
        page.keyboard.press("ArrowRight")  # γ one stop up: a new path
        settle(page, before)
        after = page.evaluate(SHOWN)
        assert after["node"], "the chart was rebuilt"
        assert after["epoch"] == 10 and re.match(r"epoch 10\D", after["text"])
        assert after["marker"] != first["marker"]  # the marker is the new path's point at epoch 10
        path = page.evaluate("() => { const t = document.querySelector('.st-key-contour .js-plotly-plot')"
                             ".data.find((t) => t.meta === 'path0'); return [t.x[10], t.y[10]]; }")
        assert after["marker"] == pytest.approx(path)

        before = printed(page)
        chinese = page.get_by_role("option", name="简体中文", exact=True)
        open_menu(page.locator(".st-key-lang"))  # scrolled up from the slider, then one click opens it
        chinese.click()
        page.wait_for_function("(sel) => document.querySelector(sel).textContent.startsWith('迭代')", arg=READOUT,
                               timeout=20_000)
        wait_ready(page)
        shown = page.evaluate(SHOWN)
        assert shown["node"] and shown["epoch"] == 10 and re.match(r"迭代 10\D", shown["text"])


def test_the_link_holds_the_epoch_the_chart_rests_at(app_url):
    """A teacher stopped at epoch 7 and sent the address: the class opened it at epoch 0 (a new-teacher trial)."""
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=momentum&lr=0.4&momentum=0.5")
        wait_ready(page)
        press(page, ".tc-epoch", "ArrowRight", 7)
        rested(page, 7)
        link = page.url
        with chromium_page(390, 844) as phone:  # a student's phone
            phone.goto(link)
            wait_ready(phone)
            expect(phone.locator(READOUT)).to_contain_text(re.compile(r"^epoch 7\D"))
            assert phone.evaluate(SHOWN)["marker"] == page.evaluate(SHOWN)["marker"]
        page.locator(f"{BOX} .tc-play").click()  # played to the end: the link follows
        rested(page, 20, timeout=30_000)
        page.go_back()  # the epoch it rested at before
        expect(page.locator(READOUT)).to_contain_text(re.compile(r"^epoch 7\D"), timeout=20_000)
        assert "epoch=7" in page.url
        title = PRESETS["momentum_06"].title("en")  # a new experiment: from its first epoch
        open_menu(page.locator(".st-key-preset_pick-en"))
        page.keyboard.type(title)
        page.get_by_role("option", name=title, exact=True).click()
        expect(page.locator(READOUT)).to_contain_text(re.compile(r"^epoch 0\D"), timeout=20_000)
        wait_ready(page)
        assert "preset=momentum_06" in page.url and "epoch=" not in page.url


def test_the_trail_hides_the_path_ahead_while_playing(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=gd&lr=0.4&epochs=20")
        wait_ready(page)
        page.wait_for_selector(READOUT)
        assert page.evaluate(SHOWN)["drawn"] == 21  # a lesson shows the whole path
        page.locator(f"{BOX} .tc-trail").check()
        page.locator(f"{BOX} .tc-play").click()
        at = page.wait_for_function(f"() => {{ const s = ({SHOWN})(); return s.epoch >= 5 && s; }}", polling="raf",
                                    timeout=20_000).json_value()
        assert at["drawn"] == at["epoch"] + 1 < 21  # at epoch k, the path's first k + 1 points and no more
        # a screen reader is not read every frame's readout while it plays, only the epoch it stops at
        expect(page.locator(SAID)).to_have_attribute("aria-live", "off")
        page.locator(f"{BOX} .tc-play").click()
        expect(page.locator(SAID)).to_have_attribute("aria-live", "polite")


def test_an_exercise_starts_with_the_trail_on(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=gd&lr=0.4&epochs=20&hide=lr")
        wait_ready(page)
        page.wait_for_selector(READOUT)
        assert page.locator(f"{BOX} .tc-trail").is_checked()
        assert page.evaluate(SHOWN)["drawn"] == 1  # predict first: only the start is drawn


EXIT_MARK = """() => Array.from(document.querySelector('.st-key-contour .js-plotly-plot').data
  .find((t) => t.meta === 'left1').x)"""


def test_with_the_trail_a_runs_exit_mark_waits_for_the_epoch_it_left_at(app_url):
    """An exercise's trail hid the path ahead but drew GD η = 0.6's "✕ epoch 2" from the start: the answer.
    Now the ✕ appears at epoch 2, and without the trail it is there from the start."""
    with chromium_page() as page:
        page.goto(app_url + "/?preset=gd_vs_momentum&hide=lr")
        wait_ready(page)
        page.wait_for_selector(READOUT)
        assert page.evaluate(EXIT_MARK) == [None]
        page.locator(f"{BOX} .tc-forward").click()
        page.wait_for_function("() => /^epoch 1\\b/.test(document.querySelector('.st-key-contour .tc-readout')"
                               ".textContent)")
        assert page.evaluate(EXIT_MARK) == [None]
        page.locator(f"{BOX} .tc-forward").click()
        page.wait_for_function(f"() => ({EXIT_MARK})()[0] !== null")
        page.locator(f"{BOX} .tc-back").click()
        page.wait_for_function(f"() => ({EXIT_MARK})()[0] === null")
        page.locator(f"{BOX} .tc-trail").uncheck()
        page.wait_for_function(f"() => ({EXIT_MARK})()[0] !== null")


# each run's current-epoch marker (x, or None where none is drawn) and whether each run's path is shown
MARKERS = """() => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const paths = gd.data.filter((t) => typeof t.meta === 'string' && t.meta.startsWith('path'));
  return {markers: Array.from(gd.data.find((t) => t.meta === 'now').x),
          shown: paths.map((t) => t.visible !== 'legendonly')};
}"""


def test_a_run_hidden_from_the_legend_takes_its_marker_along(app_url):
    """A click on run 1's legend entry hides its path and its current-epoch marker, through a step of the epoch
    and a change of another run (Plotly keeps the legend's choice); a second click brings both back."""
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=gd&optimizer2=momentum")
        wait_ready(page)
        assert page.evaluate(MARKERS) == {"markers": [-5, -5], "shown": [True, True]}
        legend = page.locator(".st-key-contour .legend .traces").first
        legend.click()
        page.wait_for_function(f"() => ({MARKERS})().markers[0] === null")
        assert page.evaluate(MARKERS)["shown"] == [False, True]
        page.locator(f"{BOX} .tc-forward").click()
        page.wait_for_function(f"() => ({MARKERS})().markers[1] !== -5")  # epoch 1: run 2 moved, run 1 not drawn
        assert page.evaluate(MARKERS)["markers"][0] is None
        rested(page, 1)
        before = printed(page)
        page.locator('.st-key-run1-momentum-lr input[type="range"]').focus()
        page.keyboard.press("ArrowRight")
        settle(page, before)
        assert page.evaluate(MARKERS)["markers"][0] is None and page.evaluate(MARKERS)["shown"] == [False, True]
        legend.click()
        page.wait_for_function(f"() => ({MARKERS})().markers[0] !== null")
        assert page.evaluate(MARKERS)["shown"] == [True, True]



# each of run 1's traces (its path, the mark where it left the plot, its fitted line): whether it is drawn
RUN1_TRACES = """() => Object.fromEntries(document.querySelector('.st-key-contour .js-plotly-plot').data
  .filter((t) => ["path0", "left0", "fit0"].includes(t.meta)).map((t) => [t.meta, t.visible !== "legendonly"]))"""


def test_a_run_hidden_from_the_legend_takes_its_exit_mark_and_its_fitted_line_along(app_url):
    """On the regression, η = 3 leaves the plot: a click on run 1's legend entry hides its path, the mark where
    it left and its line in the data panel; run 2's stay, and a second click brings run 1's back."""
    with chromium_page() as page:
        page.goto(app_url + "/?surface=regression&optimizer=gd&lr=3&optimizer2=momentum")
        wait_ready(page)
        assert page.evaluate(RUN1_TRACES) == {"path0": True, "left0": True, "fit0": True}
        legend = page.locator(".st-key-contour .legend .traces").first
        legend.click()
        page.wait_for_function(f"() => Object.values(({RUN1_TRACES})()).every((shown) => !shown)")
        run2 = "() => document.querySelector('.st-key-contour .js-plotly-plot').data.filter((t) => t.meta === 'fit1')"
        assert page.evaluate(run2 + "[0].visible") in (None, True)
        legend.click()
        page.wait_for_function(f"() => Object.values(({RUN1_TRACES})()).every((shown) => shown)")


def test_stepping_to_either_end_keeps_the_keyboard_on_the_epoch(app_url):
    """The last ▶| press disables the button: the focus had fallen to the page's top."""
    with chromium_page() as page:
        page.goto(app_url + "/?epochs=3")
        wait_ready(page)
        press(page, ".tc-forward", "Enter", 3)
        expect(page.locator(READOUT)).to_contain_text("3")
        expect(page.locator(f"{BOX} .tc-epoch")).to_be_focused()  # disabled ▶| handed it to the epoch's slider
        page.keyboard.press("ArrowLeft")  # and the keyboard goes on from there
        expect(page.locator(READOUT)).to_contain_text("2")
        press(page, ".tc-back", "Enter", 2)
        expect(page.locator(f"{BOX} .tc-epoch")).to_be_focused()


def test_a_new_epoch_tells_a_screen_reader_the_runs_losses_but_of_a_race_the_epoch_alone(app_url):
    """Each arrow press on the race's epoch read out all 14 runs' losses; the explorer's runs are still told."""
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=gd&lr=0.4&optimizer2=momentum")
        wait_ready(page)
        page.locator(f"{BOX} .tc-epoch").focus()
        page.keyboard.press("ArrowRight")
        expect(page.locator(SAID)).to_have_text(re.compile(r"^epoch 1\b.*\(1\) .*\(2\) "))
        page.goto(app_url + "/race")
        wait_ready(page, 120_000)
        race = ".st-key-race_chart"
        page.locator(f"{race} .tc-epoch").focus()
        page.keyboard.press("ArrowRight")
        expect(page.locator(f"{race} .tc-said")).to_have_text(re.compile(r"^epoch 1\s*$"))
        expect(page.locator(f"{race} .tc-readout")).to_contain_text("(14)")  # still on the page, to be read
