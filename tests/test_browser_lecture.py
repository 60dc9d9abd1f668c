"""A lecture from the projector and the phones, in a real headless Chromium: the presentation view
has the sliders beside a wide chart, no formula is cut off at 1024 px, an edited preset link keeps
its runs, and an exercise's Reveal is on the page itself."""

import pytest
from playwright.sync_api import expect

from optimizers import OPTIMIZERS
from tests.serve import PRINTED_LINES, chromium_page, open_menu, wait_ready
from ui.presets import PRESETS

# every rule and its values in four links of four runs, SGD's and momentum's minibatch forms on the regression
ALL_RULES = ["optimizer=momentum&lr=0.1&optimizer2=adam&lr2=0.1&optimizer3=adadelta&optimizer4=nesterov&lr4=0.1",
             "optimizer=sgd&lr=0.1&optimizer2=rmsprop&lr2=0.1&optimizer3=adagrad&optimizer4=gd&lr4=0.1",
             "surface=regression&optimizer=sgd&lr=0.1&optimizer2=momentum&lr2=0.1&optimizer3=amsgrad&optimizer4=adamax",
             "optimizer=adamw&optimizer2=nadam&optimizer3=radam&optimizer4=lion"]
# formulas, and toggles' labels (Streamlit ends a long one in "…" on one line)
OVERFLOWING = """() => [...document.querySelectorAll(
    '.katex-display, [data-testid=stCheckbox] [data-testid=stMarkdownContainer], ' +
    '.st-key-shown_formula [data-testid=stMarkdownContainer], .katex-error')]
  .filter((e) => e.scrollWidth > e.clientWidth + 3 || e.matches('.katex-error'))
  .map((e) => e.textContent.slice(0, 60))"""
# each sidebar menu's chosen option: its text, its width and its box's, and how a cut ends
CHOSEN = """() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSelectbox] input')].map((e) => {
  const style = getComputedStyle(e), text = document.createElement('canvas').getContext('2d');
  text.font = style.font;
  const room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [e.value, text.measureText(e.value).width, room, style.textOverflow]; })"""
# a typed f and its gradient: presenting, both beside the chart in the narrow column
TYPED = "surface=custom&formula=sin(x1)*cos(x2)%2B0.1*(x1**2%2Bx2**2)"


def printed(page) -> list[str]:
    return [c.inner_text().strip() for c in page.locator(PRINTED_LINES).all()]


def test_the_presentation_view_has_the_sliders_beside_a_wide_chart_and_the_sidebar_closed(app_url):
    with chromium_page(1024, 768) as page:
        page.goto(app_url + "/?view=present&optimizer=gd&lr=0.4&optimizer2=momentum&lr2=0.4&momentum2=0.5")
        wait_ready(page)
        page.wait_for_selector(".st-key-contour .tc-readout")
        assert page.locator('[data-testid="stSidebar"]').bounding_box()["x"] < 0  # closed
        main = page.locator('[data-testid="stMain"]')
        for key in ("run0-gd-lr", "run1-momentum-lr", "run1-momentum-momentum"):
            assert main.locator(f".st-key-{key}").is_visible()  # in the page, not in the closed sidebar
        chart = page.locator(".st-key-contour").bounding_box()
        assert chart["width"] >= 0.6 * 1024
        # the plot fills the projector (it was 416 × 312 px under the formula) and play stays on the screen
        plot = page.locator(".st-key-contour .nsewdrag").first.bounding_box()
        controls = page.locator(".st-key-contour .tc-forward").bounding_box()
        assert plot["width"] >= 480 and plot["height"] >= 360 and controls["y"] + controls["height"] <= 768, (
            plot, controls)
        before = printed(page)
        main.locator('.st-key-run0-gd-lr input[type="range"]').focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("([sel, b]) => document.querySelector(sel).innerText.trim() !== b",
                               arg=[PRINTED_LINES, before[0]], timeout=20_000)
        wait_ready(page)
        assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_presenting_with_the_sidebar_opened_on_a_narrow_screen_puts_the_sliders_under_the_chart(app_url, lang):
    """With the sidebar opened at 1024 px, the column beside the chart was 150 px wide: the run's name, the
    printed line and the theory broke a word (a letter) a line. Narrow, it goes under the chart, full width."""
    with chromium_page(1024, 768) as page:
        page.goto(f"{app_url}/?view=present&lang={lang}")
        wait_ready(page)
        beside = page.locator(".st-key-live_controls")
        assert beside.bounding_box()["x"] > page.locator(".st-key-contour").bounding_box()["x"] + 500  # beside
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().x >= 0", timeout=15_000)
        page.wait_for_timeout(500)  # the sidebar's slide
        chart, under = page.locator(".st-key-contour").bounding_box(), beside.bounding_box()
        assert under["y"] >= chart["y"] + chart["height"] - 1 and under["width"] >= 0.9 * chart["width"], (chart, under)
        # a menu's chosen option cut short ends in "…": a teacher's trial read "病态二次函数 0.1·x1² + 2" as another f
        cut = [(value, overflow) for value, width, room, overflow in page.evaluate(CHOSEN) if width > room]
        assert cut and all(overflow == "ellipsis" for _, overflow in cut), cut


@pytest.mark.parametrize("lang, view3d", [("en", "0"), ("zh", "0"), ("en", "1")])
def test_presenting_four_runs_every_slider_beside_the_chart_is_on_a_1024_by_768_screen(app_url, lang, view3d):
    """Run 4's sliders were below the fold of the projector: Streamlit's 1rem between elements, 11 elements; in
    3D the play buttons were cut off at its foot."""
    with chromium_page(1024, 768) as page:
        page.goto(f"{app_url}/?view=present&preset=gd_vs_momentum&lang={lang}&view3d={view3d}")
        wait_ready(page)
        page.wait_for_selector(".st-key-contour .tc-forward")
        buttons = page.locator(".st-key-contour .tc-forward").bounding_box()
        assert buttons["y"] + buttons["height"] <= 768, buttons
        # the chart's words as large as the page's (a teacher's trial read its 14-px legend as the plain layout's)
        legend = "() => parseFloat(getComputedStyle(document.querySelector('.st-key-contour .legendtext')).fontSize)"
        assert page.evaluate(legend) == pytest.approx(14 * 19 / 16, abs=0.1)
        sliders = page.locator('.st-key-live_controls [data-testid="stSlider"]')
        expect(sliders).to_have_count(6)  # η of each run, γ of the two momentum runs
        boxes = [sliders.nth(i).bounding_box() for i in range(6)]
        assert all(b["y"] >= 0 and b["y"] + b["height"] <= 768 for b in boxes), boxes
        # and none overlaps the next: packed, not piled
        assert all(a["y"] + a["height"] <= b["y"] + 1 for a, b in zip(boxes, boxes[1:])), boxes
        # nor a run's title its first slider's label (Streamlit pulls a markdown block 1 rem into what follows)
        titles = page.locator('.st-key-live_controls [data-testid="stMarkdown"] ol')
        expect(titles).to_have_count(4)
        for i in range(4):
            title = titles.nth(i).bounding_box()
            below = min((b for b in boxes if b["y"] > title["y"]), key=lambda b: b["y"])
            assert title["y"] + title["height"] <= below["y"], (i, title, below)


# the contour's plot area, in px: [width, height]
# NaN while the chart is between two mounts (the layout's change builds its box again)
PLOT_AREA = ("() => { const f = document.querySelector('.st-key-contour .js-plotly-plot')?._fullLayout;"
             " return f ? [f.xaxis._length, f.yaxis._length] : [NaN, NaN]; }")


def test_turning_the_presentation_layout_on_draws_the_chart_as_large_as_its_link_does(app_url):
    """At 1024 × 768 the chart is drawn for the narrow column beside the open sidebar; ticking the presentation
    layout closed the sidebar and left the plot at 255 × 191 px (Plotly sized itself once, and the rows cut for the
    narrow column stayed cut), where the link with view=present draws it 601 × 451. Found by a new-teacher trial."""
    with chromium_page(1024, 768) as page:
        page.goto(f"{app_url}/?preset=momentum_04&view=present")
        wait_ready(page)
        width, height = page.evaluate(PLOT_AREA)
        page.goto(f"{app_url}/?preset=momentum_04")
        wait_ready(page)
        assert page.evaluate(PLOT_AREA)[0] < width * 0.6  # beside the open sidebar: about half as wide
        page.locator(".st-key-present label").click()
        page.wait_for_function(f"() => Math.abs(({PLOT_AREA})()[0] - {width}) < 3", timeout=10_000)
        wait_ready(page)
        assert page.evaluate(PLOT_AREA) == pytest.approx([width, height], abs=2)


# how far the page scrolls until the foot of the chart's row (its longer column's) is at the foot of the screen
ROW_END = """(height) =>
  Math.floor(document.querySelector('.st-key-chart_row').getBoundingClientRect().bottom - height)"""
# the foot of the chart's column (the chart, its epoch's controls, the toggles under it) and the chart's height
COLUMN = """() => { const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  return [gd.closest('[data-testid=stColumn]').getBoundingClientRect().bottom, gd.getBoundingClientRect().height]; }"""


@pytest.mark.parametrize("view3d", ["", "&view3d=1"])
def test_presenting_on_a_tall_screen_the_chart_fills_the_height_its_column_leaves(app_url, view3d):
    """A 1920 × 1080 projector showed the chart 514 px tall (its height for a 768-px one) over 300 px of nothing.
    Where the chart's column stays in view as the page scrolls, the chart takes the screen's height less the
    column's other parts, and follows the window's height; on a short screen it keeps its epoch's controls on it."""
    with chromium_page(1400, 900) as page:
        page.goto(f"{app_url}/?view=present&preset=gd_vs_momentum{view3d}")
        wait_ready(page)
        bottom, before = page.evaluate(COLUMN)
        assert 900 - 40 <= bottom <= 900, bottom  # its foot at the screen's, the toggles on screen
        page.set_viewport_size({"width": 1400, "height": 1080})  # the same width: the height alone changed
        page.wait_for_function(f"() => ({COLUMN})()[1] > {before} + 150", timeout=10_000)
        wait_ready(page)
        bottom, after = page.evaluate(COLUMN)
        assert 1080 - 40 <= bottom <= 1080, (bottom, before, after)
        # a 720-px projector: the chart's column scrolls, and the chart is no taller than keeps its play buttons on
        # the screen (their foot was at 722 px of 720: a trial)
        page.set_viewport_size({"width": 1400, "height": 720})
        page.wait_for_function(f"() => ({COLUMN})()[1] < {before}", timeout=10_000)
        wait_ready(page)
        play = page.locator(".st-key-contour .tc-controls").bounding_box()
        assert play["y"] + play["height"] <= 720, play


def test_presenting_three_runs_on_a_tall_screen_the_chart_stays_in_view_beside_their_lines_as_the_page_scrolls(
        app_url):
    """The side column (each run's line and theory) is longer than the chart's: scrolled down it, half the projected
    screen was blank where the chart had been (a teacher's trial): down to the side column's last line, the chart
    stays. On 768 px the chart's column, taller than the screen, scrolls as before: its toggles would otherwise stay
    out of reach."""
    runs = "optimizer=gd&lr=0.006&optimizer2=sgd&lr2=0.4&optimizer3=momentum&lr3=0.4&momentum3=0.5&epochs=25"
    for (width, height), stays in (((1400, 1000), True), ((1024, 768), False)):
        with chromium_page(width, height) as page:
            page.goto(f"{app_url}/?view=present&{runs}")
            wait_ready(page)
            end = page.evaluate(ROW_END, height)  # run 3's theory, the side column's last line, at the screen's foot
            assert end > 300, end  # a page scrolled down a long way
            page.evaluate(f"() => document.querySelector('[data-testid=stMain]').scrollTo(0, {end})")
            page.wait_for_timeout(100)  # the scroll's frame
            assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == end
            chart = page.locator(".st-key-contour .js-plotly-plot").bounding_box()
            assert (0 <= chart["y"] and chart["y"] + chart["height"] <= height) == stays, (width, chart)


def test_the_formula_links_show_every_optimizers_rule():
    """A new registry entry needs a place in ALL_RULES (a link holds four runs)."""
    shown = {part.split("=")[1] for link in ALL_RULES for part in link.split("&") if part.startswith("optimizer")}
    assert shown == set(OPTIMIZERS)


# the room between the main area's edges and its content, left and right
SIDES = """() => { const main = document.querySelector('[data-testid=stMain]').getBoundingClientRect();
  const box = document.querySelector('.block-container').getBoundingClientRect();
  const padding = getComputedStyle(document.querySelector('.block-container'));
  return [box.left + parseFloat(padding.paddingLeft) - main.left,
          main.right - (box.right - parseFloat(padding.paddingRight))]; }"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["", "&view=present"])
def test_no_formula_or_label_is_wider_than_its_box_at_1024_px(app_url, lang, view):
    with chromium_page(1024, 768) as page:
        # presenting, the typed f and ∇f wrap beside the chart (in the wide column ∇f scrolls, as it was made to)
        for query in [*ALL_RULES, *([TYPED] if view else [])]:
            page.goto(f"{app_url}/?{query}&lang={lang}{view}")
            wait_ready(page)
            assert page.evaluate(OVERFLOWING) == [], query
        if not view:  # with the sidebar open the page keeps 2 rem a side, not 5: a teacher's trial found the chart
            sides = page.evaluate(SIDES)  # 300 px wide on a 1024-px projector
            assert max(sides) <= 50, sides  # 2 rem, and the scrollbar's gutter on the right


def test_an_edited_preset_link_keeps_its_runs(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?preset=gd_vs_momentum&epochs=50")
        wait_ready(page)
        lines = printed(page)
        assert len(lines) == 4 and all(line.startswith("epoch 50,") for line in lines)


def test_an_exercise_shows_reveal_on_the_page_of_a_phone(app_url):
    with chromium_page(390, 844) as page:
        page.goto(app_url + "/?optimizer=gd&lr=0.6&hide=lr")
        wait_ready(page)
        reveal = page.locator('[data-testid="stMain"] .st-key-reveal button')
        assert reveal.is_visible()  # the sidebar is closed on a phone: Reveal is on the page
        reveal.click()
        page.wait_for_function("() => !document.querySelector('.st-key-reveal')", timeout=20_000)
        wait_ready(page)
        assert page.locator('[data-testid="stMain"] .st-key-reveal').count() == 0


def choose(page, picker, option: str) -> None:
    """Pick `option` in a multiselect: open it (scrolled to first, tests/serve.open_menu), type it (the list's
    match is fuzzy: "Run 2: η" also offers run 1's), click it; done when its chip shows and the rerun is over."""
    open_menu(picker.locator("input"))
    page.keyboard.type(option[:5], delay=20)  # "Run 2": several match
    page.get_by_role("option", name=option, exact=True).wait_for()
    # the app's own "every control" picks all; Streamlit's "Select all" ("Select 3 matches"), English in a Chinese
    # page too, is not offered
    assert not [text for text in page.get_by_role("option").all_inner_texts() if text.startswith("Select")]
    page.keyboard.type(option[5:], delay=20)
    page.get_by_role("option", name=option, exact=True).click()
    expect(picker.get_by_text(option, exact=True)).to_be_visible(timeout=10_000)
    wait_ready(page)


def test_a_teacher_makes_an_exercise_link_with_a_qr_code_and_the_students_link_hides_the_values(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=gd&lr=0.4&optimizer2=momentum&lr2=0.45&momentum2=0.55")
        wait_ready(page)
        page.locator(".st-key-exercise summary").click()
        picker = page.locator(".st-key-exercise_hide-en")
        picker.wait_for(state="visible")
        for option in ("Run 2: learning rate η", "Run 2: momentum γ"):
            choose(page, picker, option)
        chips = [line for line in picker.locator('[data-testid="stMultiSelect"]').inner_text().split("\n")[1:] if line]
        assert chips == ["Run 2: learning rate η", "Run 2: momentum γ"]  # those two, and nothing else
        page.keyboard.press("Escape")
        wait_ready(page)
        code = page.locator('.st-key-exercise [data-testid="stCode"] code')
        code.wait_for()
        link = code.inner_text().strip()
        assert link.startswith(app_url) and "exercise=" in link and "0.45" not in link
        qr = page.locator('.st-key-exercise [data-testid="stImage"] img')
        qr.wait_for()
        assert qr.bounding_box()["width"] >= 200  # large enough for a phone across a classroom
        assert "QR code of the students' link" in page.locator(".st-key-exercise").inner_text()
        # served on 127.0.0.1: no phone can open it, and the teacher is told so under the code
        expect(page.locator('.st-key-exercise [data-testid="stAlert"]')).to_contain_text("phones cannot open it")
        page.goto(link)
        wait_ready(page)
        assert "0.45" not in page.url and "0.55" not in page.url and "exercise=" in page.url
        # the legend is drawn a moment after the script ends: wait for it, as a reader would
        expect(page.locator('[data-testid="stMain"]')).to_contain_text("2. Momentum η=?, γ=?", timeout=15_000)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "0.45" not in text and "0.55" not in text
        assert "1. Gradient descent η=0.4" in text  # run 1 is not part of the exercise
        assert page.locator('[data-testid="stAlert"]:has-text("Ignored")').count() == 0


# the options of the open menu whose words do not fit their row (cut with "…", or spilling out of it)
CUT_OPTIONS = """() => [...document.querySelectorAll('[role=option]')]
  .filter((o) => [o, ...o.querySelectorAll('*')]
    .some((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
  .map((o) => o.innerText)"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_experiments_name_is_whole_in_the_sidebars_menu(app_url, lang):
    """In the 300-px sidebar, "GD and momentum at η = 0.4 a…" and its neighbours ended alike: a teacher could not
    tell them apart. Each wraps in its row now (the menu draws the rows in view only: it is walked down)."""
    with chromium_page(1024, 768) as page:
        page.goto(f"{app_url}/?lang={lang}")
        wait_ready(page)
        menu = page.locator(f".st-key-preset_pick-{lang}")
        options = page.locator('div[role="listbox"] [role="option"]')  # not the chart's speed menu's
        cut, seen = set(), set()
        for _ in range(3 * len(PRESETS)):  # until every name was seen (a busy machine's menu once closed midway)
            if not options.count():
                open_menu(menu)
                options.first.wait_for()
            cut |= set(page.evaluate(CUT_OPTIONS))
            seen |= set(options.all_inner_texts())
            if len(seen) >= len(PRESETS):
                break
            page.keyboard.press("ArrowDown")
        assert len(seen) >= len(PRESETS) and cut == set(), (len(seen), cut)


# the colour of the experiments' picker's placeholder, and of the page's body text
PLACEHOLDER = """(lang) => [
  getComputedStyle(document.querySelector(`.st-key-preset_pick-${lang} input`), '::placeholder').color,
  getComputedStyle(document.querySelector('[data-testid=stSidebar] p')).color]"""


def test_the_loaded_experiment_reads_as_chosen_in_its_picker(app_url):
    """A teacher's trial took the picker, emptied after a pick with the experiment's name as its placeholder, for a
    menu not yet filled in: the name is in the text's colour; the picker's invitation, with none loaded, stays grey."""
    with chromium_page(1024, 768) as page:
        page.goto(f"{app_url}/?preset=gd_vs_momentum")
        wait_ready(page)
        placeholder, text = page.evaluate(PLACEHOLDER, "en")
        assert placeholder == text
        page.goto(f"{app_url}/?lang=zh")
        wait_ready(page)
        placeholder, text = page.evaluate(PLACEHOLDER, "zh")
        assert placeholder != text
