"""Dragging a run's slider in a real headless Chromium: the path on the contour follows the hand
before the mouse is released, the release draws the core's path for the released value, the
contour stays throughout, and play and the scrubber still work afterwards."""

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from figures.trajectories import CONTOUR_SHADES
from figures.trajectories import until_it_leaves
from optimizers import run
from surfaces import SURFACES
from tests.serve import chromium_page, wait_ready

# what the chart shows now: the drag's picture (label, canvas), Plotly's lines, the printed line
SEEN = """() => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const preview = gd.querySelector('canvas.drag-preview');
  return {label: gd.querySelector('.legend text.legendtext').textContent,
          line: preview ? preview.toDataURL() : null,
          previews: gd.querySelectorAll('.drag-preview').length,
          plotly_lines: gd.querySelectorAll('.scatterlayer .trace path.js-line').length,
          readout: getComputedStyle(document.querySelector('.st-key-contour .tc-readout')).visibility,
          printed: document.querySelector('[class*="st-key-printed"] code').innerText};
}"""
READOUT_SHOWN = """() => { const label = document.querySelector('.st-key-contour .tc-readout');
  return !!label && getComputedStyle(label).visibility === 'visible'
    && !!document.querySelector('[class*="st-key-printed"] code'); }"""  # and the printed line is drawn
FINAL_PATH = """() => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const t = gd._fullData.find((t) => t.meta === 'path0');
  return [Array.from(t.x), Array.from(t.y)];
}"""


def grab(page, key: str):
    """The centre of the thumb of slider `key`, and its rail's left and right ends."""
    page.locator(f".st-key-{key}").scroll_into_view_if_needed()
    thumb = page.locator(f".st-key-{key} [data-testid='stSliderThumbValue']").bounding_box()
    rail = page.locator(f".st-key-{key} [data-testid='stSliderTickBar']").bounding_box()
    return (thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2), (rail["x"], rail["x"] + rail["width"])


def open_drawn(page, url: str) -> None:
    """`url` opened, the page ready and its chart drawn with its readout (Streamlit's theme pass done too)."""
    page.goto(url)
    wait_ready(page)
    page.wait_for_function(READOUT_SHOWN)


def hold(page, key: str) -> tuple[float, float]:
    """The mouse pressed on the thumb of slider `key`, as a hand grabs it; where it is."""
    (x, y), _ = grab(page, key)
    page.mouse.move(x, y)
    page.mouse.down()
    return x, y


def slider_value(page, key: str) -> float:
    return float(page.locator(f".st-key-{key} input[type='range']").get_attribute("aria-valuetext"))


def held_drag(page, x: float, y: float, snapshot: str, moves: int = 12) -> list[dict]:
    """With the mouse held down at (x, y): `moves` moves 3 px right, 60 ms apart, and what `snapshot` read
    in the page every 30 ms meanwhile (read there, so that the hand never rests: a rest of 200 ms is
    Streamlit's debounce, after which its slider sends the value and the page reruns)."""
    page.evaluate("""(src) => {
      const read = eval(src);
      window.__seen = [];
      window.__recording = true;
      const tick = () => {  // a read that fails mid-render is kept as its error, and the reading goes on
        if (!window.__recording) return;
        try { window.__seen.push(read()); } catch (e) { window.__seen.push({error: String(e)}); }
        setTimeout(tick, 30);
      };
      tick();
    }""", snapshot)
    for k in range(1, moves + 1):
        page.mouse.move(x + 3 * k, y)
        page.wait_for_timeout(60)
    page.wait_for_timeout(60)  # the last move's picture
    seen = page.evaluate("() => { window.__recording = false; return window.__seen.slice(1); }")
    failed = [s["error"] for s in seen if "error" in s]
    assert len(failed) <= 2, failed  # a read or two during a redraw, not a broken page
    return [s for s in seen if "error" not in s]


def test_a_held_drag_bends_and_breaks_the_path_before_release_and_the_release_draws_the_cores_path(app_url):
    with chromium_page() as page:
        open_drawn(page, app_url + "/?lr=0.3")
        before = page.evaluate(SEEN)
        assert before["previews"] == 0 and before["readout"] == "visible"
        (x, y), (left, right) = grab(page, "run0-gd-lr")
        page.mouse.move(x, y)
        page.mouse.down()
        seen = held_drag(page, x, y, SEEN)  # from η = 0.3 up past 0.5, where GD on this quadratic breaks
        # before the release: the path changed at many positions, the page did not rerun
        labels = [s["label"] for s in seen]
        assert len(set(labels)) >= 6 and len({s["line"] for s in seen}) >= 6
        assert "1. Gradient descent η=0.5" in labels and labels[-1] != "1. Gradient descent η=0.5"
        assert all(s["printed"] == before["printed"] for s in seen)
        assert before["plotly_lines"] >= CONTOUR_SHADES + 1  # the contour's shades and the path
        assert all(s["plotly_lines"] == before["plotly_lines"] for s in seen)  # the contour stays
        # its losses are the released value's: hidden from the first picture on (a read can come before it)
        drawn = [s for s in seen if s["previews"]]
        assert len(drawn) >= len(seen) - 2 and all(s["readout"] == "hidden" for s in drawn)
        # past 0.5 the drawn path leaves the plot: its line reaches the window's edge, 3 plot-heights away
        assert float(labels[-1].split("η=")[1]) > 0.5
        page.mouse.up()
        wait_ready(page)
        page.wait_for_function("(b) => document.querySelector('[class*=\"st-key-printed\"] code').innerText !== b",
                               arg=before["printed"], timeout=20_000)
        wait_ready(page)
        lr = slider_value(page, "run0-gd-lr")
        assert lr > 0.5
        after = page.evaluate(SEEN)
        assert after["previews"] == 0 and after["readout"] == "visible"
        assert after["label"] == f"1. Gradient descent η={lr:g}" == labels[-1]
        xs, ys = page.evaluate(FINAL_PATH)
        exact = run("gd", SURFACES["quadratic"], epochs=20, lr=lr).points
        shown = np.array([xs, ys], dtype=float).T
        drawn, left = until_it_leaves(exact, SURFACES["quadratic"].bounds)
        assert left is not None  # it leaves the plot for good: drawn to the edge, then not at all
        assert np.allclose(shown, drawn, rtol=1e-12, atol=0, equal_nan=True)
        # play and the scrubber still work, and the contour stays
        lines = after["plotly_lines"]
        page.locator(".st-key-contour .tc-play").click()
        page.wait_for_function("() => document.querySelector('.st-key-contour .tc-readout')"
                               ".textContent.startsWith('epoch 20')", timeout=20_000)
        page.locator(".st-key-contour .tc-epoch").focus()
        page.keyboard.press("Home")
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        assert re.match(r"epoch 10\D", page.locator(".st-key-contour .tc-readout").text_content())
        assert page.evaluate(SEEN)["plotly_lines"] == lines


def test_a_drag_of_gamma_back_to_where_it_began_puts_the_picture_back(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?optimizer=momentum&lr=0.1&momentum=0.5&epochs=40")
        wait_ready(page)
        page.wait_for_timeout(500)
        before = page.evaluate(SEEN)
        (x, y), _ = grab(page, "run0-momentum-momentum")
        page.mouse.move(x, y)
        page.mouse.down()
        lines = set()
        for dx in (10, 20, 30, 40, 30, 20, 10, 0):
            page.mouse.move(x + dx, y)
            page.wait_for_timeout(120)
            lines.add(page.evaluate(SEEN)["line"])
        assert len(lines) >= 4  # γ's path changed on the way
        assert slider_value(page, "run0-momentum-momentum") == 0.5
        page.mouse.up()
        page.wait_for_timeout(800)
        after = page.evaluate(SEEN)
        # no new value, no rerun: the released picture is back as it was
        assert after == before


def test_a_long_run_drawn_as_lines_follows_the_drag_too(app_url):
    with chromium_page() as page:
        page.goto(app_url + "/?epochs=300&lr=0.1&optimizer2=adam&lr2=0.1")
        wait_ready(page)
        page.wait_for_timeout(500)
        x, y = hold(page, "run0-gd-lr")
        pictures = set()
        for k in range(1, 8):
            page.mouse.move(x + 4 * k, y)
            page.wait_for_timeout(120)
            seen = page.evaluate(SEEN)
            pictures.add((seen["label"], seen["line"]))
        page.mouse.up()
        assert len(pictures) >= 4 and all(line for _, line in pictures)


# in 3D the drag's picture is a canvas over the scene too (the run's own path hidden meanwhile)
SEEN_3D = """() => {
  const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const preview = gd.querySelector('canvas.drag-preview');
  const path = gd._fullData.find((t) => t.meta === 'path0');
  return {label: gd.querySelector('.legend text.legendtext').textContent, line: preview ? preview.toDataURL() : null,
          hidden: Array.from(path.z).every((z) => z === null),
          printed: document.querySelector('[class*="st-key-printed"] code').innerText};
}"""


def test_a_held_drag_in_the_3d_view_moves_the_path_and_the_release_draws_the_cores_path(app_url):
    from figures.surface3d import heights, in_view

    with chromium_page() as page:
        open_drawn(page, app_url + "/?lr=0.3&view3d=1")
        before = page.evaluate(SEEN_3D)
        x, y = hold(page, "run0-gd-lr")
        seen = held_drag(page, x, y, SEEN_3D)
        assert len({s["label"] for s in seen}) >= 6 and len({s["line"] for s in seen}) >= 6  # before the release
        assert all(s["line"] and s["hidden"] for s in seen[-3:])  # drawn by the canvas, not twice
        assert all(s["printed"] == before["printed"] for s in seen)  # and with no rerun
        page.mouse.up()
        page.wait_for_function("(b) => document.querySelector('[class*=\"st-key-printed\"] code').innerText !== b",
                               arg=before["printed"], timeout=20_000)
        wait_ready(page)
        lr = slider_value(page, "run0-gd-lr")
        xs, ys = page.evaluate(FINAL_PATH)
        zs = page.evaluate("() => Array.from(document.querySelector('.st-key-contour .js-plotly-plot')"
                           "._fullData.find((t) => t.meta === 'path0').z)")
        exact = run("gd", SURFACES["quadratic"], epochs=20, lr=lr)
        drawn = in_view(SURFACES["quadratic"], exact.points, exact.losses, heights(SURFACES["quadratic"])[3])
        assert np.allclose(np.array([xs, ys, zs], dtype=float).T, drawn, rtol=1e-12, atol=0, equal_nan=True)


EYE = """() => {
  const e = document.querySelector('.st-key-contour .js-plotly-plot')._fullLayout.scene._scene.getCamera().eye;
  return [e.x, e.y, e.z].map((v) => v.toFixed(3)).join(','); }"""


def settled_eye(page) -> list[float]:
    """The scene's camera once the hand's last move has been applied (two reads 150 ms apart agree)."""
    seen = page.evaluate(EYE)
    for _ in range(20):
        page.wait_for_timeout(150)
        now, seen = seen, page.evaluate(EYE)
        if now == seen:
            break
    return [float(v) for v in seen.split(",")]


def same_camera(a: list[float], b: list[float]) -> bool:
    """Where the hand left it, give or take a rounding (a camera put back to the figure's moves by far more)."""
    return all(abs(x - y) <= 0.005 for x, y in zip(a, b))


def test_a_drag_in_3d_keeps_the_camera_the_hand_turned(app_url):
    """After a change of η (a new figure), the teacher turns the surface and drags η again: the scene stays
    turned while the preview draws, after the release and after the next change."""
    with chromium_page() as page:
        page.goto(app_url + "/?lr=0.3&view3d=1")
        wait_ready(page)
        x, y = hold(page, "run0-gd-lr")
        page.mouse.move(x - 30, y, steps=5)
        page.mouse.up()
        page.wait_for_function(READOUT_SHOWN)
        wait_ready(page)
        before = page.evaluate(EYE)
        box = page.locator(".st-key-contour .gl-container canvas").first.bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + 150, cy + 30, steps=15)
        page.mouse.up()
        turned = settled_eye(page)
        assert not same_camera(turned, [float(v) for v in before.split(",")])
        x, y = hold(page, "run0-gd-lr")
        page.mouse.move(x + 20, y, steps=4)
        page.wait_for_function("() => !!document.querySelector('.st-key-contour canvas.drag-preview')")
        page.wait_for_timeout(300)  # the restyle that empties the run's own path
        assert same_camera(settled_eye(page), turned)
        page.mouse.up()
        page.wait_for_function("() => !document.querySelector('.st-key-contour canvas.drag-preview')", timeout=20_000)
        wait_ready(page)
        assert same_camera(settled_eye(page), turned)


# the value under the hand and the index of the current-epoch marker the preview draws (null: none)
MARKER = """() => { const live = window.__liveDrag; const run = live.saved && [...live.saved.runs.values()][0];
  return {drawn: live.drawn || '', at: run ? run.at : 'no preview'}; }"""


@pytest.mark.parametrize("view3d", ["0", "1"])
def test_a_drag_past_where_the_run_leaves_shows_no_marker_at_the_last_epoch_as_the_release_does(app_url, view3d):
    """At epoch 20, a drag of η past 0.5 (where GD leaves the plot before epoch 20): the release's figure has no
    current-epoch marker there, only the ✕ where it left; the 3D preview kept one on the last point in the box."""
    with chromium_page() as page:
        open_drawn(page, f"{app_url}/?lr=0.45&view3d={view3d}")
        page.locator(".st-key-contour .tc-epoch").focus()
        page.keyboard.press("End")
        expect(page.locator(".st-key-contour .tc-readout")).to_contain_text("epoch 20")
        x, y = hold(page, "run0-gd-lr")
        seen = [s for s in held_drag(page, x, y, MARKER, moves=30) if "η=" in s["drawn"]]
        page.mouse.up()
        lrs = [float(s["drawn"].split("η=")[1]) for s in seen]
        assert min(lrs) <= 0.5 < max(lrs), lrs  # the hand crossed 0.5 (where the run swings but stays)
        assert all((s["at"] is None) == (lr > 0.5) for s, lr in zip(seen, lrs)), seen


ARROWS_SEEN = """() => { const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const arrows = [...gd.querySelectorAll('.scatterlayer .trace')].filter((g) => g.__data__[0].trace.meta === 'arrows');
  return {drawn: window.__liveDrag.drawn || '', arrows: arrows.map((g) => g.style.visibility)}; }"""


def test_a_drag_hides_the_arrows_of_the_released_values_and_the_release_draws_them_again(app_url):
    """With the optimizer's arrows on, a held drag moved the path while the arrows stayed at the old η's point."""
    with chromium_page() as page:
        open_drawn(page, app_url + "/?lr=0.3&vectors=1")
        before = page.evaluate(ARROWS_SEEN)
        shown = before["arrows"]
        assert len(shown) >= 2 and set(shown) == {""}  # the step and −g (and −v where a run has a velocity)
        x, y = hold(page, "run0-gd-lr")
        seen = [s for s in held_drag(page, x, y, ARROWS_SEEN) if "η=" in s["drawn"]]
        assert seen and all(s["arrows"] == ["hidden"] * len(shown) for s in seen), seen
        page.mouse.up()
        page.wait_for_function("() => !document.querySelector('.st-key-contour canvas.drag-preview')", timeout=20_000)
        wait_ready(page)
        assert page.evaluate(ARROWS_SEEN)["arrows"] == shown


ARROWS_3D = """() => { const gd = document.querySelector('.st-key-contour .js-plotly-plot');
  const arrows = gd.data.filter((t) => t.meta === 'arrows');
  return {drawn: window.__liveDrag.drawn || '',
          arrows: arrows.map((t) => Array.from(t.x).some((v) => v !== null))}; }"""


def test_a_drag_in_3d_hides_the_arrows_of_the_released_values_too(app_url):
    with chromium_page() as page:
        open_drawn(page, app_url + "/?lr=0.3&vectors=1&view3d=1")
        shown = page.evaluate(ARROWS_3D)["arrows"]
        assert len(shown) >= 2 and shown[:2] == [True, True]  # the step and −g drawn (GD has no v)
        x, y = hold(page, "run0-gd-lr")
        seen = [s for s in held_drag(page, x, y, ARROWS_3D) if "η=" in s["drawn"]]
        assert seen and all(not any(s["arrows"]) for s in seen), seen
        page.mouse.up()
        page.wait_for_function("() => !document.querySelector('.st-key-contour canvas.drag-preview')", timeout=20_000)
        wait_ready(page)
        assert page.evaluate(ARROWS_3D)["arrows"] == shown


# the readout under the chart: whether it is shown, and each run's "(n) loss" with whether it is shown
LOSSES_SEEN = """() => {
  const readout = document.querySelector('.st-key-contour .tc-readout');
  return {readout: getComputedStyle(readout).visibility, head: readout.firstChild.textContent,
          previews: document.querySelectorAll('.st-key-contour .drag-preview').length,
          losses: [...readout.querySelectorAll('.tc-loss')]
            .map((s) => [s.textContent, getComputedStyle(s).visibility])};
}"""


def test_a_drag_of_one_of_several_runs_keeps_the_epoch_and_the_others_losses_in_the_readout(app_url):
    """A teacher's trial: holding a slider, the whole readout ('epoch 0, f: (1) … (2) …') went until release. Only
    the dragged run's loss is the released value's: the epoch and the other runs' losses stay."""
    with chromium_page() as page:
        open_drawn(page, app_url + "/?preset=gd_vs_momentum")
        before = page.evaluate(LOSSES_SEEN)
        assert before["readout"] == "visible" and len(before["losses"]) == 4
        (x, y), _ = grab(page, "run1-gd-lr")  # run 2's η
        page.mouse.move(x, y)
        page.mouse.down()
        seen = [s for s in held_drag(page, x, y, LOSSES_SEEN, moves=6) if s["previews"]]
        assert seen
        for s in seen:
            assert s["readout"] == "visible" and s["head"] == before["head"]
            shown = [visibility for _, visibility in s["losses"]]
            assert shown == ["visible", "hidden", "visible", "visible"], s
            assert [t for t, _ in s["losses"]] == [t for t, _ in before["losses"]]
        page.mouse.up()
        wait_ready(page)
        page.wait_for_function(READOUT_SHOWN)
        after = page.evaluate(LOSSES_SEEN)
        assert all(visibility == "visible" for _, visibility in after["losses"])
