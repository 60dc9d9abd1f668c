"""Typed formulas through the pages (AppTest): refusals in the page's language, and
starts where f is not finite, on every page that shows the surface."""

import numpy as np
import pytest

from surfaces.formula import BOUND_LIMIT, DEFAULT_BOUNDS, MAX_LENGTH, FormulaError
from tests.pages import chart, charts, open_page
from tests.test_figures import array
from tests.test_app import lines
from ui.i18n import explain, t
from ui.labels import surface_name
from ui.state import custom_surface

FREEZING = "((((3^64)^64)^64)^64)^64*x1"
AXIS_START = {"surface": "custom", "formula": "1/x1 + 1/x2", "x1": "0", "x2": "1"}


@pytest.mark.parametrize("page", ["explorer", "stability"])  # the network page has no surface
@pytest.mark.parametrize("lang, says", [("en", "not finite at the start (0, 1)"), ("zh", "初始点 (0, 1) 处不是有限值")])
def test_a_start_on_an_axis_of_1_over_x_is_a_warning_on_every_page(page, lang, says):
    at = open_page(page, {**AXIS_START, "lang": lang})
    assert any(says in w.value for w in at.warning), [w.value for w in at.warning]
    assert not any("nan" in e.value for e in at.error)  # a diverged run says when, not "nan"


# 147 characters, within every limit of the text, but 155 NumPy operations for f and ∇f
COSTLY = "(" + "+".join(f"sin({k}*x1*x2+x1^{k})" for k in range(1, 9)) + ")^3"


@pytest.mark.parametrize("lang, says", [("en", "beyond the range of floating-point numbers"),
                                        ("zh", "超出了浮点数的范围")])
def test_the_freezing_link_is_refused_in_the_page_language_and_falls_back(lang, says):
    at = open_page("explorer", {"surface": "custom", "formula": FREEZING, "lang": lang})
    assert any(says in w.value and "Traceback" not in w.value for w in at.warning), [w.value for w in at.warning]
    assert FREEZING not in str(dict(at.query_params))
    assert len(lines(at)) == 1  # the default formula's run is shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_hand_typed_plus_in_a_links_formula_is_said_to_be_written_2b(lang):
    """`?formula=x1^4-x1^2+x2^2` typed into the address: the + arrives as a space ("syntax error at column 11", and
    no word why). The warning says how to write it; a formula refused for another reason does not say so."""
    at = open_page("explorer", {"surface": "custom", "formula": "x1^4-x1^2 x2^2", "lang": lang})
    hint = "%2B"  # in either language's sentence
    assert any(hint in w.value for w in at.warning), (hint, [w.value for w in at.warning])
    assert len(lines(at)) == 1  # the default formula's run
    at = open_page("explorer", {"surface": "custom", "formula": "x1^4-x1^2 *", "lang": lang})
    assert at.warning and not any(hint in w.value for w in at.warning), [w.value for w in at.warning]


@pytest.mark.parametrize("text, lang, says", [
    ("0^x1 + x2^2", "en", "the gradient of f is undefined wherever f is defined"),
    ("0^x1 + x2^2", "zh", "在 f 有定义的地方，f 的梯度都没有定义"),
    ("log(-x1^2-1)+x2", "zh", "f 在整个绘图范围内都没有有限值"),
    (FREEZING, "zh", "第 4 列的常数超出了浮点数的范围"),
    (COSTLY, "en", "operations per point, more than the 150"),
    (COSTLY, "zh", "次运算，超过了保证页面流畅的 150 次"),
])
def test_a_refused_typed_formula_says_why_in_the_page_language_and_keeps_the_plot(text, lang, says):
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lang": lang})
    before = lines(at)
    at.text_input(key="formula").set_value(text).run()
    assert not at.exception
    assert any(says in e.value for e in at.error), [e.value for e in at.error]
    assert lines(at) == before


@pytest.mark.parametrize("lang, says", [("en", "The formula box was left empty: keeping `x1^2 + x2^2`."),
                                        ("zh", "公式输入框是空的：保留 `x1^2 + x2^2`。")])
def test_an_emptied_formula_box_shows_the_formula_in_use_again_and_says_so_once(lang, says):
    """An emptied box stayed empty beside "the plot keeps the previous formula", and that error stayed on the page
    through every later change (a new teacher's trial)."""
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lang": lang})
    before = lines(at)
    at.text_input(key="formula").set_value("  ").run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == [says] and at.text_input(key="formula").value == "x1^2 + x2^2"
    assert lines(at) == before
    at.number_input(key="x1").set_value(-1.0).run()  # said once
    assert not at.info and not at.error and at.text_input(key="formula").value == "x1^2 + x2^2"


def test_a_start_where_f_is_undefined_takes_no_step():
    """log(x1) at x1 < 0: 1/x1 exists but f does not, so the run cannot move there."""
    at = open_page("explorer", {"surface": "custom", "formula": "log(x1)", "x1": "-0.6", "x2": "3"})
    assert any("not finite at the start (-0.6, 3)" in w.value for w in at.warning)
    # the textbook's 6 decimals, as every other printed line (a trial: "x1 -0.95, x2 2.43" read as less precise)
    assert lines(at) == ["epoch 0, x1 -0.600000, x2 3.000000 (f is not defined here: the run stops)"]


def test_a_plot_range_the_formula_cannot_live_on_is_named_as_the_range():
    at = open_page("explorer", {"surface": "custom", "formula": "log(x1)"})
    at.number_input(key="bound_x1_max").set_value(-0.5).run()
    assert any(e.value.startswith("Not applied to this range: f has no finite value") for e in at.error)
    assert at.number_input(key="bound_x1_max").value == 5.0  # the plot kept its range


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_plot_range_names_its_box_and_the_boxes_show_the_range_in_use_again(lang):
    """A trial: x2 from −1e6 only reddened its box (Streamlit's own limit), and a refused x1 from = 30 stayed in its
    box, so that every later edit, of x2 too, was refused again with 'each range needs from < to'."""
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lang": lang})
    at.number_input(key="bound_x2_min").set_value(-1e6).run()
    assert [e.value for e in at.error] == [t(lang, "bounds_refused", error=explain(lang, FormulaError(
        "bad_bounds", {"limit": BOUND_LIMIT})))]
    assert at.number_input(key="bound_x2_min").value == -5
    at.number_input(key="bound_x1_min").set_value(30.0).run()
    assert [e.value for e in at.error] == [t(lang, "bounds_order", axis="x1", low=30, high=5)]
    assert at.number_input(key="bound_x1_min").value == -5 and at.session_state["state"].bounds == DEFAULT_BOUNDS
    at.number_input(key="bound_x2_max").set_value(6.0).run()  # the next edit stands on its own
    assert not at.error and at.session_state["state"].bounds == ((-5, 5), (-5, 6))


@pytest.mark.parametrize("lang, says", [("en", "so the start moved to ({x1:g}, {x2:g})"),
                                        ("zh", "初始点已移到有定义的 ({x1:g}, {x2:g})")])
def test_a_formula_undefined_at_the_start_moves_the_start_and_says_so(lang, says):
    typed = "x1*log(x1) + x2^2"  # defined for x1 > 0 only; the start (−2, 1) is not
    moved = custom_surface(typed, DEFAULT_BOUNDS).start
    assert moved[0] > 0
    says = says.format(x1=moved[0], x2=moved[1])
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "x1": "-2", "x2": "1", "lang": lang})
    at.text_input(key="formula").input(typed).run()
    assert not at.exception
    assert any(says in i.value for i in at.info), [i.value for i in at.info]
    assert at.session_state["state"].start_point == moved
    assert not at.warning and not at.error  # the run starts where f is defined, and goes down
    at.run()  # said once
    assert not any(says in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_that_steps_where_f_is_undefined_says_so_not_diverged(lang):
    at = open_page("explorer", {"surface": "custom", "formula": "log(x1)+x2^2", "lang": lang})
    assert [e.value for e in at.error] == [t(lang, "left_domain", n=1, epoch=2, x1=-0.95, x2=2.43)]
    assert lines(at)[0].endswith(t(lang, "line_undefined"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_that_starts_where_f_is_undefined_is_not_said_to_have_stepped_there(lang):
    """log(x1) from x1 = -1: the run takes no step (it read 'stepped at epoch 0 to (-1, 3)')."""
    at = open_page("explorer", {"surface": "custom", "formula": "log(x1)", "x1": "-1", "lang": lang})
    assert [e.value for e in at.error] == [t(lang, "run_starts_undefined", n=1, x1=-1, x2=3)]
    assert lines(at)[0].startswith("epoch 0,") and lines(at)[0].endswith(t(lang, "line_undefined"))


@pytest.mark.parametrize("lang, says", [("en", "The new f takes its own η: run 1 from 0.1 to {new:g}"),
                                        ("zh", "新的 f 使用它自己的 η：运行 1 从 0.1 改为 {new:g}")])
def test_a_typed_formula_that_changes_eta_says_so_once(lang, says):
    """A new f takes its own η (1/x1 from η = 0.1 went to 1 without a word); an exercise's hidden η is not told."""
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lr": "0.1", "lang": lang})
    at.text_input(key="formula").input("0.1*x1^2 + 0.1*x2^2").run()
    new = at.session_state["state"].runs[0].values["lr"]
    assert new != 0.1 and any(i.value.startswith(says.format(new=new)) for i in at.info), [i.value for i in at.info]
    at.run()  # said once
    assert not any("η" in i.value for i in at.info)
    hidden = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lr": "0.1", "hide": "lr"})
    hidden.text_input(key="formula").input("0.1*x1^2 + 0.1*x2^2").run()
    assert hidden.session_state["state"].runs[0].values["lr"] != 0.1  # changed, and not told
    assert not any("its own η" in i.value for i in hidden.info)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("formula", ["0", "x1 + 2*x2"])
def test_a_flat_f_is_not_said_to_take_eta_from_its_curvature(lang, formula):
    """A plane has no curvature: each run takes its optimizer's usual η (GD 0.1, Nesterov half of it), and the page
    said "about 1/L" (a new teacher's trial)."""
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lr": "0.3", "optimizer2": "nesterov",
                                "lr2": "0.3", "momentum2": "0.9", "lang": lang})
    at.text_input(key="formula").input(formula).run()
    assert [r.values["lr"] for r in at.session_state["state"].runs] == [0.1, 0.05]
    runs = t(lang, "list_separator").join(t(lang, "lr_reset_run", n=n, old=0.3, new=new) for n, new in ((1, 0.1),
                                                                                                        (2, 0.05)))
    assert [i.value for i in at.info] == [t(lang, "lr_reset_flat", what=t(lang, "new_f"), runs=runs)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_surface_picked_in_the_menu_says_which_runs_took_its_own_eta(lang):
    """A teacher's η 0.4 became Himmelblau's 0.01 without a word (a new teacher's trial); said once, as a formula's."""
    at = open_page("basins", {"lr": "0.4", "optimizer2": "adam", "lang": lang})
    at.selectbox(key=f"surface.{lang}").select("himmelblau").run()
    new = at.session_state["state"].runs[0].values["lr"]
    assert new != 0.4 and at.session_state["state"].runs[1].values["lr"] == 0.1  # Adam's step is η long anywhere
    runs = t(lang, "lr_reset_run", n=1, old=0.4, new=new)
    assert [i.value for i in at.info] == [t(lang, "lr_reset", what=surface_name(lang, "himmelblau"), runs=runs)]
    at.run()
    assert not at.info


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_that_jumps_over_a_pole_says_so_in_the_page_language(lang):
    """1/x1 + x2^2 at its own η: the run crosses x1 = 0 in one step at epoch 20 and goes on, no error."""
    at = open_page("explorer", {"surface": "custom", "formula": "1/x1+x2^2", "epochs": "200", "lang": lang})
    jumped, left = (w.value for w in at.warning)
    assert jumped == t(lang, "jumped_pole", n=1, epoch=20, pole="x_1 = 0")
    # then 1/x1 falls towards 0 as x1 grows: out of the plot (x1 ≤ 5) at epoch 21, the ✕'s epoch, and on downhill
    assert left.startswith(t(lang, "leaving_downhill", n=1, epoch=21, last=200, coord="x1", value=0, f=0)[:30])
    assert [tr["customdata"] for tr in chart(at)["figure"]["data"] if str(tr.get("meta", "")).startswith("left")] \
        == [[21]]
    assert not at.error and not at.exception
    at = open_page("explorer", {"surface": "custom", "formula": "1/x1+x2^2", "x1": "3", "lang": lang})
    assert not at.warning  # from x1 > 0 it moves away from the pole


def below_floor_captions(at, lang) -> list[str]:
    end = t(lang, "loss_below_floor", n=0, epoch=0, floor=0)[-8:]  # after the numbers: "ves them out."
    return [c.value for c in at.caption if c.value.endswith(end)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_typed_f_charts_its_loss_down_to_its_minimum_and_says_where_f_has_none(lang):
    """The loss chart's zero for a typed f was the lowest f on a 120-point grid, a little above the minimum the
    grid misses: x1^2 + 2 x2^2's converging run fell below it and its line stopped at epoch 36 of 200. Its zero is
    now the lowest minimum Newton finds. Where f has no minimum (x1 + x2^2 falls forever), the title says the
    zero is the plot's lowest f, the chart says when a run goes below it, and the page that it left going downhill."""
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2+2*x2^2", "epochs": "200", "lang": lang})
    loss = array(charts(at)["losses"]["figure"]["data"][0]["y"])
    assert np.isfinite(loss[-1]) and loss[-1] < 1e-12  # drawn to the end, as far down as the run goes
    assert t(lang, "loss_title") in [m.value.strip("*") for m in at.markdown]
    assert charts(at)["losses"]["figure"]["layout"]["yaxis"]["title"]["text"] == t(lang, "loss_axis")
    assert not below_floor_captions(at, lang) and not at.warning
    # the default f, GD at η = 1: it ends at the minimum, a rounding below the f* Newton found; not "below" it
    at = open_page("explorer", {"surface": "custom", "lr": "1", "lang": lang})
    assert not below_floor_captions(at, lang)

    at = open_page("explorer", {"surface": "custom", "formula": "x1+x2^2", "lang": lang})
    floor = custom_surface("x1+x2^2", DEFAULT_BOUNDS).floor()  # the lowest f on the plot's grid: x1 = -5, x2 ≈ 0
    assert floor == pytest.approx(-5, abs=0.01)
    assert t(lang, "loss_title_plot") in [m.value.strip("*") for m in at.markdown]
    assert charts(at)["losses"]["figure"]["layout"]["yaxis"]["title"]["text"] == t(lang, "loss_axis_plot")
    assert below_floor_captions(at, lang) == [t(lang, "loss_below_floor", n=1, epoch=4, floor=floor)]
    assert [w.value for w in at.warning] == [t(lang, "leaving_downhill", n=1, epoch=5, last=20, coord="x1",
                                               value=13.0, f=-13.0)]
    assert not at.error and not at.exception


def test_no_downhill_message_for_a_run_that_was_never_in_the_plot_or_stops_where_f_is_undefined():
    """A start far out (x1 = 50) heading into the bowl was told it 'left the plot at epoch 21' of 20; a run whose
    last point has no f read 'f = nan'."""
    from optimizers import run
    from surfaces.formula import from_formula
    from views.explorer import leaving_message

    bowl = from_formula("x1^2+x2^2")
    far = run("gd", bowl, start=(50.0, 0.0), epochs=20, lr=0.001)
    assert leaving_message(1, far, bowl.bounds, "en") is None
    log = from_formula("x2^2+log(x1+6)")
    stopped = run("gd", log, start=(0.0, 1.0), epochs=20, lr=1)
    assert np.isnan(stopped.losses[-1]) and leaving_message(1, stopped, log.bounds, "en") is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_thrown_out_near_a_point_where_f_has_no_bottom_is_said_to_come_back_not_to_diverge(lang):
    """log(x1^2 + x2^2) has no minimum (f falls without end at the origin): GD at η = 3 steps near it at epoch 9,
    lands at x1 = -29.9, and from there walks back (f falls, the run comes closer). It was called 'diverging:
    moves away from the minimum'."""
    at = open_page("explorer", {"surface": "custom", "formula": "log(x1^2 + x2^2)", "lr": "3", "lang": lang})
    assert not at.error and not at.exception
    assert [w.value for w in at.warning] == [t(lang, "leaving_returning", n=1, epoch=10, last=20, coord="x1",
                                               value=28.849319)]
    # and one that goes on away from the plot is still diverging: the bowl at η = 1.5
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lr": "1.5", "lang": lang})
    assert len(at.error) == 1 and not at.warning


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_formula_longer_than_the_box_takes_is_refused_with_the_reason(lang):
    """A trial: a 300-character formula pasted into the box (max_chars 200) did nothing and said nothing."""
    long = " + ".join(["x1^2"] * 60)  # 417 characters
    at = open_page("explorer", {"surface": "custom", "formula": "x1^2 + x2^2", "lang": lang})
    at.text_input(key="formula").input(long).run()
    assert [e.value for e in at.error] == [t(lang, "formula_error", error=explain(lang, FormulaError(
        "too_long", {"limit": MAX_LENGTH})))]
    assert at.text_input(key="formula").value == long and at.session_state["state"].formula == "x1^2 + x2^2"
