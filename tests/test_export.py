"""Export for handouts: the CSV reloads to the same paths, the HTML file holds the figure and no
network reference, and the PyTorch snippet is built from the registry and says where it differs."""

import ast
import math
import re

import numpy as np
import pytest

from figures import PathView, contour_grid, trajectory_figure
from figures.export import paths_csv, read_paths_csv, standalone_html
from optimizers import OPTIMIZERS, Schedule, run
from optimizers.torch_code import lr_scheduler, torch_differences, torch_snippet
from surfaces import SURFACES
from surfaces.formula import compile_formula
from tests.pages import open_page


def test_the_csv_reloads_to_the_same_paths_bit_for_bit():
    surface = SURFACES["quadratic"]
    trajs = [run("gd", surface, lr=0.4), run("gd", surface, lr=0.6, epochs=40), run("adam", surface, lr=0.1)]
    text = paths_csv([(f"run {i}", t.points, t.losses) for i, t in enumerate(trajs)])
    back = read_paths_csv(text)
    assert list(back) == [1, 2, 3]
    for n, traj in enumerate(trajs, 1):
        assert np.array_equal(back[n], traj.points, equal_nan=True)  # a blow-up's NaN reads back as NaN


def test_the_csv_opens_as_utf_8_in_a_spreadsheet_and_keeps_chinese_labels():
    """Excel reads a CSV without the UTF-8 mark as the system's code page: "随机梯度下降" came out garbled."""
    import csv
    import io

    traj = run("sgd", SURFACES["quadratic"], lr=0.1)
    data = paths_csv([("1. 随机梯度下降 η=0.1", traj.points, traj.losses)]).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))  # as a spreadsheet reads it
    assert rows[0]["label"] == "1. 随机梯度下降 η=0.1" and len(rows) == len(traj.points)


def test_the_html_file_holds_the_figure_and_no_network_reference():
    surface = SURFACES["himmelblau"]
    traj = run("momentum", surface, lr=0.01, momentum=0.9)
    html = standalone_html(trajectory_figure(surface, contour_grid(surface),
                                             [PathView("1. Momentum η=0.01", traj.points, "#d62728", traj.losses)]),
                           "Optimizer trajectory explorer", ("Himmelblau: f = (x1**2 + x2 - 11)**2 <&>",
                                                             "1. Momentum η=0.01: epoch 20, x1 3.0, x2 2.0"))
    assert "<title>Optimizer trajectory explorer</title>" in html
    # the formula and the printed lines above the figure, as text (escaped)
    assert "<p style='font:16px sans-serif;margin:4px 0'>Himmelblau: f = (x1**2 + x2 - 11)**2 &lt;&amp;&gt;</p>" in html
    assert html.index("1. Momentum η=0.01: epoch 20") < html.index('id="figure"')
    assert "1. Momentum η=0.01" in html and "Plotly.newPlot" in html
    assert "addFrames" in html  # the epoch animation too
    assert len(html) > 3_000_000  # plotly.js itself is inside
    assert not re.search(r"<script[^>]*\bsrc\s*=", html)  # nothing loaded: no script, style or font from a server
    assert not re.search(r"<link\b", html) and "@import" not in html


class _Numpy:  # numpy in place of torch, to evaluate the snippets' f without torch
    cos, sin, exp, log, sqrt, tan, tanh, sinh, cosh, atan = (np.cos, np.sin, np.exp, np.log, np.sqrt, np.tan,
                                                             np.tanh, np.sinh, np.cosh, np.arctan)


@pytest.mark.parametrize("key", [k for k in SURFACES if k != "regression"])
def test_every_surfaces_code_is_its_f(key):
    surface = SURFACES[key]
    x1, x2 = np.random.default_rng(0).uniform(-2, 2, size=(2, 50))
    value = eval(surface.code, {"torch": _Numpy, "math": math, "x1": x1, "x2": x2})  # our own registry's text
    assert np.allclose(value, surface.f(x1, x2), rtol=1e-12, atol=1e-12)


def test_a_typed_formulas_code_is_its_f():
    text = "sin(x1)*cos(x2) + 0.1*(x1^2 + x2^2) + exp(-x1/3) + pi*abs(x2) + sqrt(x1^2 + 1) + arctan(x2)"
    code = compile_formula(text, ((-3, 3), (-3, 3)))["code"]
    assert "torch.sin" in code and "math.pi" in code and "math.sin" not in code
    x1, x2 = np.random.default_rng(1).uniform(-2, 2, size=(2, 50))
    expected = np.sin(x1) * np.cos(x2) + 0.1 * (x1**2 + x2**2) + np.exp(-x1 / 3) + np.pi * np.abs(x2) \
        + np.sqrt(x1**2 + 1) + np.arctan(x2)
    assert np.allclose(eval(code, {"torch": _Numpy, "math": math, "x1": x1, "x2": x2}), expected, rtol=1e-12)


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_every_optimizers_snippet_is_python_with_its_torch_class_and_our_values(key):
    values = OPTIMIZERS[key].defaults
    code = torch_snippet(key, values, SURFACES["quadratic"].code, (-5.0, -2.0), 20)
    form = OPTIMIZERS[key].torch
    if form is None:  # PyTorch has no such optimizer (Lion): no snippet, the page says so
        assert code is None
        return
    ast.parse(code)
    assert "import math" not in code  # the quadratic's formula does not use it: no unused import
    assert f"torch.optim.{form.cls}([x], " in code and "range(20)" in code and "[-5.0, -2.0]" in code
    for name in form.args(values):
        assert f"{name}=" in code


def test_the_snippet_says_where_pytorch_differs():
    d = {k: o.defaults for k, o in OPTIMIZERS.items()}
    assert torch_differences("gd", d["gd"]) == ()
    assert torch_differences("adam", d["adam"]) == () and torch_differences("adadelta", d["adadelta"]) == ()
    assert torch_differences("momentum", d["momentum"]) == ()  # d = 0: PyTorch's SGD(momentum) gives our points
    assert torch_differences("momentum", {**d["momentum"], "dampening": 0.5}) == ("dampening",)
    assert torch_differences("momentum", {**d["momentum"], "bias_correction": True}) == ("bias_correction",)
    assert torch_differences("nesterov", d["nesterov"]) == ("nesterov",)
    assert torch_differences("adagrad", d["adagrad"]) == ("eps",) == torch_differences("rmsprop", d["rmsprop"])
    assert torch_differences("sgd", d["sgd"]) == ("noise",) and torch_differences("sgd", {**d["sgd"], "noise": 0}) == ()
    ramp = (("momentum", "linear", (("ramp", 10), ("final", 0.9))),)
    assert torch_differences("momentum", d["momentum"], ramp) == ("schedule",)  # PyTorch has no γ scheduler
    decay = (("lr", "exponential", (("decay", 0.5),)),)
    assert torch_differences("gd", d["gd"], decay) == ()  # an η schedule: ExponentialLR
    assert torch_snippet("gd", d["gd"], SURFACES["regression"].code, (0, 0), 20) is None  # data: no formula


def test_the_page_offers_the_files_and_each_runs_code_in_both_languages():
    at = open_page("explorer", {"optimizer": "momentum", "lr": "0.4", "momentum": "0.5", "dampening": "0.5",
                                "optimizer2": "adam", "lr2": "0.1"}, opened=("export_open",))
    assert not [c for c in at.code if c.language == "python"]  # shown on demand: the page loads no highlighter
    for i in range(2):
        at.toggle(key=f"export_torch_show{i}").set_value(True).run()
    codes = [c.value for c in at.code if c.language == "python"]
    assert len(codes) == 2 and "torch.optim.SGD" in codes[0] and "torch.optim.Adam" in codes[1]
    assert [w.value for w in at.toggle if w.key.startswith("export_torch_show")] == [True, True]
    # each control names its run: a screen reader's list of controls does not read four alike
    assert [w.label for w in at.toggle if w.key.startswith("export_torch_show")] == [
        "Show run 1's PyTorch code", "Show run 2's PyTorch code"]
    assert [b.label for b in at.get("download_button") if b.proto.label.endswith("PyTorch script")] == [
        "Download run 1's PyTorch script", "Download run 2's PyTorch script"]
    captions = [c.value for c in at.caption]
    assert any("its buffer starts at g" in c for c in captions)
    assert any("PyTorch's form is the same as ours" in c for c in captions)
    zh = open_page("explorer", {"lang": "zh", "optimizer": "nesterov"}, opened=("export_open",))
    assert any("前瞻点" in c.value for c in zh.caption)
    hidden = open_page("explorer", {"hide": "lr"}, opened=("export_open",))  # an exercise: the code gives η away
    assert not [c for c in hidden.code if c.language == "python"]
    assert not [w for w in hidden.toggle if w.key.startswith("export_torch_show")]


def test_each_runs_snippet_has_its_download_and_the_html_says_the_formula():
    from tests.pages import open_page

    at = open_page("explorer", {"optimizer": "gd", "lr": "0.4", "optimizer2": "momentum", "lr2": "0.4"},
                   opened=("export_open",))
    keys = [b.proto.id for b in at.get("download_button")]
    assert sum("export_torch0" in k for k in keys) == 1 and sum("export_torch1" in k for k in keys) == 1
    from views.explorer import export_lines
    from viewmodel.trajectories import compute
    from ui.link import from_query
    from ui.labels import run_label
    from ui.state import surface_spec
    from figures import PathView

    s, _ = from_query({"optimizer": "gd", "lr": "0.4"})
    traj = compute("gd", surface_spec(s), s.start_point, s.epochs, s.runs[0].hyper)
    lines = export_lines(s, [PathView(run_label(1, s.runs[0], "en"), traj.points, "#000", traj.losses)], [traj], "en")
    assert lines == ("Ill-conditioned quadratic 0.1·x1² + 2·x2²: f(x1, x2) = 0.1 * x1**2 + 2.0 * x2**2",
                     "1. Gradient descent η=0.4: epoch 20, x1 -0.943467, x2 -0.000073")


# torch.optim.lr_scheduler's factors at its epoch e (0, 1, …), written from PyTorch's documentation
TORCH_FACTORS = {
    "ExponentialLR": lambda e, gamma: gamma**e,
    "StepLR": lambda e, step_size, gamma: gamma ** (e // step_size),
    "CosineAnnealingLR": lambda e, T_max: (1 + math.cos(math.pi * e / T_max)) / 2,
    "LinearLR": lambda e, start_factor, end_factor, total_iters:
        start_factor + (end_factor - start_factor) * min(e, total_iters) / total_iters,
}


@pytest.mark.parametrize("kind, params", [("exponential", {"decay": 0.5}), ("step", {"decay": 0.3, "every": 4}),
                                          ("cosine", {}), ("warmup", {"ramp": 5}), ("warmup", {"ramp": 2})])
def test_each_eta_schedule_is_the_torch_scheduler_the_snippet_names(kind, params):
    """The snippet steps the scheduler after each epoch: its epoch e is our t − 1, and η_t must be equal."""
    epochs = 12
    call = lr_scheduler(kind, params, epochs)
    name, args = re.fullmatch(r"(\w+)\(optimizer, (.*)\)", call).groups()
    kwargs = {k: ast.literal_eval(v) for k, v in (a.split("=") for a in args.split(", "))}
    ours = Schedule(kind, 0.4, **params).table(epochs)
    theirs = [0.4 * TORCH_FACTORS[name](t - 1, **kwargs) for t in range(1, epochs + 1)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-14)
    code = torch_snippet("gd", {"lr": 0.4}, SURFACES["quadratic"].code, (-5.0, -2.0), epochs,
                         (("lr", kind, tuple(params.items())),))
    ast.parse(code)
    assert f"scheduler = torch.optim.lr_scheduler.{call}" in code and "    scheduler.step()" in code
    assert code.index("optimizer.step()") < code.index("scheduler.step()")


def test_the_export_and_ask_panels_are_drawn_only_while_open_and_keep_their_state_across_a_language_switch():
    """Their 15 elements cost each key press a little though no one sees them folded; a click on the title draws
    them (and the file's content is made only on the download's own click)."""
    at = open_page("explorer", {"optimizer": "gd", "lr": "0.4"})
    titles = [e.label for e in at.expander]
    assert "Export for handouts" in titles and "Ask the class" in titles
    assert not at.get("download_button") and not [b for b in at.button if b.key == "ask_button"]
    at.session_state["export_open.en"] = True  # a click on its title (ui/session.py panel)
    at.run()
    assert len(at.get("download_button")) == 3 and not [b for b in at.button if b.key == "ask_button"]
    at.session_state["ask_open.en"] = True
    at.run()
    at.selectbox(key="lang").set_value("zh").run()  # the same panels, open, in the other language
    assert not at.exception and len(at.get("download_button")) == 3 and at.button(key="ask_button")
    at.session_state["export_open.zh"] = False  # a click on its title
    at.run()
    assert not at.get("download_button") and at.button(key="ask_button")


@pytest.mark.parametrize("query, reason", [
    ({"surface": "regression", "optimizer": "sgd"}, "this surface is the regression's data, not a formula to write"),
    ({"optimizer": "lion"}, "torch.optim has no such optimizer"),
])
def test_a_run_without_a_pytorch_snippet_says_which_reason_holds(query, reason):
    """The note said "no such optimizer, or no formula" for SGD on the regression, where PyTorch has SGD."""
    at = open_page("explorer", query, opened=("export_open",))
    (note,) = [c.value for c in at.caption if c.value.startswith("No PyTorch snippet")]
    assert note == f"No PyTorch snippet: {reason}."


def test_a_handouts_files_are_named_after_the_view_so_a_second_views_do_not_become_copies():
    """Every view's files were paths.csv, trajectories.html and run1_pytorch.py: a second download became
    "paths (1).csv" and no one could tell the files apart."""
    from dataclasses import replace

    from ui.link import from_query
    from ui.presets import PRESETS
    from ui.state import AppState
    from viewmodel.runs import file_stem

    state, _ = from_query({"optimizer": "gd", "lr": "0.4", "optimizer2": "momentum", "lr2": "0.4", "epochs": "30"})
    assert file_stem(state) == "quadratic_gd-lr0.4_momentum-lr0.4-momentum0.5_30-epochs"
    other, _ = from_query({"surface": "himmelblau", "optimizer": "adam", "lr": "0.1"})
    assert file_stem(other) == "himmelblau_adam-lr0.1-beta10.9-beta20.999_20-epochs"
    assert all(c.isalnum() or c in "._-" for c in file_stem(state) + file_stem(other))  # safe on every system
    # two runs that differ in β1 only (the Adam lesson's) get two names: they were both "…adam-0.4…"
    adam = PRESETS["adam"].apply(AppState())
    stems = [file_stem(replace(adam, runs=(r,))) for r in adam.runs]
    assert len(set(stems)) == len(stems)
