"""The explorer page: the contour with every run's path, the textbook lines, the loss,
the update rules and the momentum weights. It only wires state to the core and
to the figure builders."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import numpy as np
import streamlit as st

from figures import (EigenCurve, PathView, WeightCurve, effective_window, eigen_error_figure, loss_figure,
                     momentum_weights, schedule_figure, scheduled_weights, trajectory_figure, weights_figure)
from figures.export import paths_csv, standalone_html
from figures.internals import InternalsCurve, InternalsLabels, internals_figure
from figures.surface3d import surface3d_figure
from figures.palette import run_colour
from figures.trajectories import FitPanel, background_traces, until_it_leaves
from optimizers import OPTIMIZERS, Schedule, Trajectory, examples_per_step
from optimizers.stability import Readout, eigen_errors, readout
from optimizers.torch_code import torch_differences, torch_snippet
from surfaces.critical import critical_points, loss_floor
from surfaces.formula import jump_over_pole
from surfaces.surface import undefined_at
from ui import classroom, session
from ui.i18n import t
from ui.chart import plot
from ui.live import follow_drags
from ui.labels import (hyper_label, hyper_short, hyper_symbol, not_a_list, optimizer_note, rule_latex, run_label,
                       surface_name)
from ui.presets import PRESETS
from ui.results import (SENTENCE_GAP, axes_note, latex_number, readout_text, result_line, schedule_latex,
                        window_text)
from ui.state import CONSTANT, CUSTOM, AppState, Run, surface_of, surface_spec
from viewmodel.runs import file_stem
from viewmodel.trajectories import (chart_words, compute, contour, drag_labels, drag_paths, figure_labels, grid,
                                    inside_of, theory_of)

CHART_KEY = "contour"  # one chart component for the 2D and the 3D view: the epoch stays when the view turns
# presenting: the figure's height before the room of Plotly's own epoch slider goes (ui/chart.py), so that the
# plot fills a 768-px projector with its epoch controls still on screen
PRESENT_HEIGHT = 680


def epoch_in_link(state: AppState) -> dict:
    """The contour chart's epoch and link: it opens at the link's epoch, and the epoch it rests at goes into the link
    (a teacher's link brings the class to the epoch the teacher stopped at)."""
    return {"epoch": state.epoch or 0, "on_epoch": lambda: session.set_epoch_from_chart(CHART_KEY)}


def projected(state: AppState) -> dict:
    """Presenting: the chart's words as large as the page's (a teacher's trial read its 14-px legend as unchanged), and
    the chart as tall as the screen leaves (a 1920 × 1080 projector showed it 514 px tall over 300 px of nothing)."""
    return {"text": session.PRESENT_TYPE, "fill": True} if state.presenting else {}


def drag_controls(state: AppState, spec: tuple, lang: str) -> list[dict]:
    """Every slider whose drag the paths follow: the run's η, γ, β or ρ, where it is shown."""
    data = surface_of(state).examples is not None
    controls = []
    for i, r in enumerate(state.runs):
        hidden = frozenset(q.name for q in OPTIMIZERS[r.optimizer].hyperparameters if state.hidden_in(i)(q.name))
        for p in OPTIMIZERS[r.optimizer].hyperparameters:
            if not (p.live and p.applies_on(data)) or p.name in hidden:
                continue
            hyper = tuple((k, None if k == p.name else v) for k, v in r.hyper)
            paths = drag_paths(r.optimizer, spec, state.start_point, state.epochs, hyper, r.schedules, p.name,
                               state.view3d)
            labels = drag_labels(i + 1, r, p.name, tuple(paths["values"]), lang, hidden, data)
            # nothing here depends on the slider's own value: after a release the element is the same,
            # and Streamlit sends it again only as a reference
            controls.append(dict(paths, key=session.hyper_key("runs", i, r.optimizer, p.name), run=i, log=p.log,
                                 labels=labels))
    return controls


def divergence_message(n: int, traj: Trajectory, surface, lang: str) -> str:
    """Why run n stopped; a blow-up that left the plot epochs before says when, as the chart's ✕ does."""
    bound = surface.divergence_bound
    epoch = int(traj.diverged_at)
    point = traj.points[epoch]
    before = traj.points[epoch - 1] if epoch > 0 else point
    if undefined_at(before, traj.losses[epoch - 1], bound):
        # a typed f: the run stepped where f is not defined (log of a negative number); it did not blow up
        key = "run_starts_undefined" if epoch == 1 else "left_domain"  # at its start it took no step
        return t(lang, key, n=n, epoch=epoch - 1, x1=float(before[0]), x2=float(before[1]))
    if not np.isfinite(point).all():
        coord = "x1" if not np.isfinite(point[0]) else "x2"
        text = t(lang, "diverged_nonfinite", n=n, epoch=epoch, coord=coord)
    else:
        coord = "x1" if abs(point[0]) > bound else "x2"
        text = t(lang, "diverged_bound", n=n, epoch=epoch, coord=coord, bound=bound)
    left = until_it_leaves(traj.points, surface.bounds)[1]
    return text + (t(lang, "left_before", epoch=left) if left is not None and left < epoch else "")


def leaving_message(n: int, traj: Trajectory, bounds, lang: str, status: str | None = None,
                    secret: bool = False) -> tuple[str, bool] | None:
    """A run still finite but outside the plot at the end, higher than it began (or going downhill all the way
    since it left: f is lower out there, e.g. 1/x1 or x1 + x2^2): the message, and whether it says the run diverges.
    `status`: the linear theory's (Readout.status). "stable": the error shrinks (momentum near γ = 1 swings far
    out before it comes back); "edge": it neither shrinks nor grows (it swings out to a width it keeps); neither
    is called diverging. `secret`: an exercise hides a value, so the theory is not named."""
    (a, b), (c, d) = bounds
    x1, x2 = traj.points[:, 0], traj.points[:, 1]
    outside = (x1 < a) | (x1 > b) | (x2 < c) | (x2 > d)
    if not outside[-1] or outside.all():  # inside at the end, or never in the plot (a start far out)
        return None
    epoch = int(len(outside) - np.argmin(outside[::-1]))  # the start of the last stretch outside
    coord, value = ("x1", x1[-1]) if x1[-1] < a or x1[-1] > b else ("x2", x2[-1])
    if not traj.losses[-1] > traj.losses[0]:
        since = traj.losses[epoch - 1:]
        if not np.isfinite(since).all() or (np.diff(since) > 0).any():
            return None  # a swing out and back, or a stop where f is undefined (said elsewhere): no message
        return t(lang, "leaving_downhill", n=n, epoch=epoch, coord=coord, value=abs(float(value)),
                 f=float(traj.losses[-1]), last=len(outside) - 1), False
    if status is None and _coming_back(traj.points[epoch:], traj.losses[epoch:], bounds):
        # no theory to say so (a typed f): thrown out, near log(x1^2 + x2^2)'s pole, and on its way back
        return t(lang, "leaving_returning", n=n, epoch=epoch, coord=coord, value=abs(float(value)),
                 last=len(outside) - 1), False
    bounded = status in ("stable", "edge")
    key = "diverging" if not bounded else "leaving" if secret else f"leaving_{status}"
    return t(lang, key, n=n, epoch=epoch, coord=coord, value=abs(float(value)), last=len(outside) - 1), not bounded


def _coming_back(points: np.ndarray, losses: np.ndarray, bounds) -> bool:
    """Outside the plot since `points[0]`: on every step since, f fell and the run came closer to the plot."""
    (a, b), (c, d) = bounds
    x1, x2 = points[:, 0], points[:, 1]
    away = np.maximum.reduce([a - x1, x1 - b, c - x2, x2 - d])  # how far outside the plot's box
    return len(points) > 1 and bool(np.isfinite(losses).all() and (np.diff(losses) < 0).all()
                                    and (np.diff(away) < 0).all())


def stability_readout(run_: Run, surface, analysis: Readout | None, lang: str,
                      hidden=lambda name: False) -> str | None:
    """On quadratics: the stable range of η and the contraction per epoch along each eigenvalue (`analysis`:
    theory_of the run)."""
    if not surface.is_quadratic or any(hidden(p.name) for p in OPTIMIZERS[run_.optimizer].hyperparameters):
        return None  # an exercise that hides η or γ: the stable range would give the answer away
    if run_.varies:
        spec = OPTIMIZERS[run_.optimizer]
        symbols = t(lang, "list_separator").join(hyper_short(lang, spec.hyperparameter(name))
                                                 for name, _, _ in run_.schedules)
        return t(lang, "readout_scheduled", symbols=symbols)
    values = run_.values
    size = examples_per_step(run_.optimizer, surface, **values)
    minibatch = size is not None and "batch_size" in values
    text = analysis and readout_text(analysis, values["lr"], values.get("dampening", 0.0), lang)
    if text and minibatch and size < surface.examples.n:
        text += SENTENCE_GAP[lang] + t(lang, "readout_minibatch", size=size, n=surface.examples.n)
    return text


def rule_values(run_: Run, lang: str, hidden=lambda name: False, data: bool = False) -> str:
    """The run's values under its rule, as inline formulas that wrap in a narrow column."""
    spec = OPTIMIZERS[run_.optimizer]
    parts = []
    for p in spec.hyperparameters:
        if not p.applies_on(data):
            continue
        value = run_.values[p.name]
        if p.kind == "bool":  # in words, as text: "bc = off" in a formula's type said nothing
            word = "?" if hidden(p.name) else t(lang, "switch_on" if value else "switch_off")
            parts.append(t(lang, "setting_is", name=hyper_label(lang, p), value=word))
            continue
        parts.append(f"${hyper_symbol(lang, p)} = {'?' if hidden(p.name) else latex_number(value)}$")
    return t(lang, "list_separator").join(parts)


def show_preset(state: AppState, lang: str) -> None:
    """The experiment's lesson card; once the view differs from it, a note and a way back. In an exercise
    the card is folded: its title alone names the values the students are to predict."""
    preset = PRESETS.get(state.preset)
    if preset is None:
        return
    if state.hide:  # predict first, then read the lesson
        with st.expander(t(lang, "lesson_reveal")):
            lesson_card(state, preset, lang)
    else:
        lesson_card(state, preset, lang)


def lesson_card(state: AppState, preset, lang: str) -> None:
    title = f"**{preset.title(lang)}**"
    if preset.is_shown_by(state):
        lesson = f"{title} — {preset.lesson(lang)}  \n{t(lang, 'source', source=preset.cite(lang))}"
        st.info(lesson, icon=":material/menu_book:")
        return
    st.info(f"{title} — {t(lang, 'preset_changed')}", icon=":material/edit:")
    st.button(t(lang, "preset_reset"), key="preset_reset", on_click=session.load_preset, args=(preset.key,))


def show_results(state: AppState, trajs: list[Trajectory], lang: str) -> None:
    """Where each run ends, its theory and its messages; folded in an exercise (they would tell the answer)."""
    surface = surface_of(state)
    if not surface.in_plot(state.start_point):  # a typed 99999: the chart showed nothing, and nothing said why
        (a, b), (c, d) = surface.bounds
        x1, x2 = state.start_point
        first, second = surface.axis_names
        st.info(t(lang, "start_outside", x1=f"{x1:g}", x2=f"{x2:g}", a=a, b=b, c=c, d=d, first=first, second=second),
                icon=":material/open_with:")
    if state.hide:
        with st.expander(t(lang, "results_reveal")):
            run_results(state, trajs, lang)
    else:
        st.markdown(f"**{t(lang, 'results')}**")
        run_results(state, trajs, lang)


def run_results(state: AppState, trajs: list[Trajectory], lang: str) -> None:
    surface = surface_of(state)
    preset = PRESETS.get(state.preset)
    expected = preset.expected if preset and preset.is_shown_by(state) else ()
    for i, (run_, traj) in enumerate(zip(state.runs, trajs)):
        color = run_colour(i)
        line = result_line(traj, lang)
        label = run_label(i + 1, run_, lang, state.hidden_in(i), surface.examples is not None)
        st.markdown(f"<span style='color:{color};font-size:1.3em'>●</span> {label}", unsafe_allow_html=True)
        with st.container(key=f"printed{i}"):  # a code span: st.code would load a syntax highlighter (0.3 s a page)
            st.markdown(f"`{line + axes_note(surface.axis_names, lang)}`")
        if i < len(expected) and expected[i]:
            verdict = t(lang, "matches") if line == expected[i] else t(lang, "differs")
            # not a caption: its grey would fade the code span to 3:1 (WCAG asks 4.5), the digits a student compares
            st.markdown(t(lang, "expected", line=expected[i], verdict=verdict))
        analysis = theory_of(run_, surface, state.start_point)
        if theory := stability_readout(run_, surface, analysis, lang, state.hidden_in(i)):
            st.caption(theory)
        if jump := jump_over_pole(surface, traj.points):
            st.warning(t(lang, "jumped_pole", n=i + 1, epoch=jump[0], pole=jump[1]), icon=":material/swap_horiz:")
        if traj.diverged_at >= 0:
            st.error(divergence_message(i + 1, traj, surface, lang), icon=":material/error:")
            continue
        status = analysis.status if analysis else None
        if left := leaving_message(i + 1, traj, surface.bounds, lang, status, state.hides_a_value_of(i)):
            text, diverging = left
            if diverging:
                st.error(text, icon=":material/trending_up:")
            else:
                st.warning(text, icon=":material/open_in_full:")


def described(title: str, labels, lang: str) -> str:
    """A chart's text alternative: its title and the runs it draws."""
    return t(lang, "chart_runs", title=title, runs=t(lang, "items_separator").join(labels))


@contextlib.contextmanager
def after_prediction(state: AppState, title: str, reveal: str, name: str, lang: str):
    """A chart that tells how the runs end: under its `title`, or in an exercise folded under `reveal` until the
    students have made their prediction (drawn only once opened, session.panel). Yields whether to draw it."""
    if not state.hide:
        st.markdown(f"**{title}**")
        yield True
        return
    with session.panel(t(lang, reveal), name, lang) as box:
        yield box.open


def show_internals(paths: list[PathView], insides, optimizers, lang: str) -> None:
    """|g|, |v|, |step| per epoch for every run, and the effective rates of the adaptive methods."""
    st.markdown(f"**{t(lang, 'internals_title')}**")
    curves = [InternalsCurve(p.label, p.color, inside.gradients, inside.steps,
                             velocity=inside.state.get(spec.velocity),
                             rates=inside.effective_rates if spec.scaled else None)
              for p, inside, spec in zip(paths, insides, optimizers)]
    labels = InternalsLabels(*(t(lang, "internals_" + k) for k in ("gradient", "velocity", "step", "rate", "lengths")),
                             epoch=t(lang, "epoch"), styles=t(lang, "internals_styles"),
                             rate_styles=t(lang, "internals_rate_styles"))
    plot("internals", internals_figure(curves, labels), lang,
         description=described(t(lang, "internals_title"), [p.label for p in paths], lang))


def export_lines(state: AppState, paths: list[PathView], trajs: list[Trajectory], lang: str) -> tuple[str, ...]:
    """What the offline HTML file says above its figure: the surface and its formula, each run's line."""
    surface = surface_of(state)
    formula = state.formula if state.surface == CUSTOM else (surface.code or "").replace("torch.", "").replace(
        "math.", "")
    head = surface_name(lang, state.surface) + (f": f(x1, x2) = {formula}" if formula else "")
    return (head, *(f"{p.label}: {result_line(tr, lang)}" for p, tr in zip(paths, trajs)))


def show_export(state: AppState, paths: list[PathView], figure, lang: str, lines: tuple[str, ...] = ()) -> None:
    """For handouts: the paths as CSV, the interactive figure as one HTML file, each run as PyTorch code.
    The files are made only when their button is pressed. Not in an exercise (hidden values). Drawn only while
    open (session.panel)."""
    if state.hide:
        return
    with st.container(key="export"), session.panel(t(lang, "export_title"), "export_open", lang) as panel:
        if not panel.open:
            return
        st.caption(t(lang, "export_png_present" if state.presenting else "export_png"))
        left, right = st.columns(2)
        stem = file_stem(state)  # not "paths.csv" for every view: a second download was "paths (1).csv"
        with left:
            st.download_button(t(lang, "export_csv"), lambda: paths_csv([(p.label, p.points, p.losses) for p in paths]),
                               file_name=f"{stem}.csv", mime="text/csv", key="export_csv", on_click="ignore")
        with right:
            st.download_button(t(lang, "export_html"), lambda: standalone_html(figure, t(lang, "app_title"), lines),
                               file_name=f"{stem}.html", mime="text/html", key="export_html", on_click="ignore")
        surface = surface_of(state)
        for i, (run_, path) in enumerate(zip(state.runs, paths)):
            if state.hides_a_value_of(i):
                continue  # an exercise: the code would give the hidden values away
            st.markdown(path.label)
            code = torch_snippet(run_.optimizer, run_.values, surface.code, state.start_point, state.epochs,
                                 run_.schedules)
            if code is None:
                st.caption(t(lang, "torch_no_formula" if not surface.code else "torch_no_optimizer"))
                continue
            # on demand (see the printed lines); each control names its run, for a screen reader's list of controls
            if st.toggle(t(lang, "export_torch_show", n=i + 1), key=f"export_torch_show{i}"):
                st.code(code, language="python")
            own = file_stem(replace(state, runs=(run_,)))
            st.download_button(t(lang, "export_torch", n=i + 1), lambda code=code: code, file_name=f"{own}_pytorch.py",
                               mime="text/x-python", key=f"export_torch{i}", on_click="ignore")
            reasons = torch_differences(run_.optimizer, run_.values, run_.schedules, state.epochs)
            st.caption(t(lang, "torch_agrees") if not reasons else
                       SENTENCE_GAP[lang].join(t(lang, "torch_differs_" + r) for r in reasons))


def show_rules(state: AppState, lang: str) -> None:
    st.markdown(f"**{t(lang, 'rule_title')}**")
    examples = surface_of(state).examples
    for i, run_ in enumerate(state.runs):
        st.markdown(run_label(i + 1, run_, lang, state.hidden_in(i), examples is not None))
        if state.hidden_in(i)("optimizer"):
            st.caption(t(lang, "rule_hidden"))
            continue
        scheduled = [name for name, _, _ in run_.schedules if not state.hidden_in(i)(name)]
        rule = rule_latex(lang, run_.optimizer, scheduled, data=examples is not None)
        st.latex(r"\begin{aligned}" + rule.replace(r"\\", r"\\[2pt]") + r"\end{aligned}")
        st.markdown(rule_values(run_, lang, state.hidden_in(i), examples is not None))
        if any(p.applies != "always" for p in OPTIMIZERS[run_.optimizer].hyperparameters):
            # SGD: say which noise this surface gives it
            st.caption(t(lang, "noise_minibatch", n=examples.n) if examples is not None else t(lang, "noise_gaussian"))
        for name in scheduled:
            kind, params = run_.schedule(name)
            symbol = hyper_symbol(lang, OPTIMIZERS[run_.optimizer].hyperparameter(name))
            st.latex(schedule_latex(symbol, kind, params, lang))
        if note := optimizer_note(lang, run_.optimizer):
            st.caption(note)


def show_schedules(state: AppState, paths: list[PathView], lang: str) -> None:
    """For runs with a schedule: the value each epoch's update uses (η_t, γ_t), a chart per symbol."""
    charts: dict[str, list] = {}
    for i, (run_, path) in enumerate(zip(state.runs, paths)):
        spec = OPTIMIZERS[run_.optimizer]
        for name, kind, params in run_.schedules:
            if state.hidden_in(i)(name):
                continue  # an exercise hides it: its curve would give it away
            symbol = hyper_short(lang, spec.hyperparameter(name))
            table = Schedule(kind, run_.values[name], **dict(params)).table(state.epochs)
            charts.setdefault(symbol, []).append((path.label, table, path.color))
    for symbol, curves in charts.items():
        st.markdown(f"**{t(lang, 'schedule_title', symbol=symbol)}**")
        plot(f"schedule.{symbol}", schedule_figure(curves, f"{symbol}ₜ", t(lang, "epoch")), lang,
             description=described(t(lang, "schedule_title", symbol=symbol), [c[0] for c in curves], lang))


def show_momentum_weights(state: AppState, lang: str) -> None:
    """The weights (1 − d)·γᵏ of every run that keeps a momentum (γ, or β1 in Adam), one curve each."""
    st.markdown(f"**{t(lang, 'momentum_title')}**")
    curves, lines, hidden = [], [], False
    for i, run_ in enumerate(state.runs):
        spec = OPTIMIZERS[run_.optimizer]
        if state.hidden_in(i)("optimizer"):  # with a curve or without, the run would tell whether it keeps one
            hidden = True
            continue
        if not spec.momentum:
            continue
        if state.hidden_in(i)(spec.momentum) or (spec.damping and state.hidden_in(i)(spec.damping)):
            hidden = True  # the curve would give the hidden γ away
            continue
        gamma, symbol = run_.values[spec.momentum], spec.hyperparameter(spec.momentum).short
        scale = 1 - run_.values[spec.damping] if spec.damping else 1.0
        label = run_label(i + 1, run_, lang, state.hidden_in(i))
        kind, params = run_.schedule(spec.momentum)
        if kind != CONSTANT:  # γ_t changes: the weights at the last epoch, from the schedule's values
            gammas = Schedule(kind, gamma, **params).table(state.epochs)
            weights = scheduled_weights(gammas, 1 - gammas if spec.damping == spec.momentum else scale)
            curves.append(WeightCurve(label, gamma, run_colour(i), symbol, scale, tuple(weights)))
            w0, w1, w2 = 100 * np.append(weights, [0.0, 0.0])[:3]
            lines.append(t(lang, "momentum_run_scheduled", label=label, w0=w0, w1=w1, w2=w2, symbol=symbol,
                           epoch=state.epochs, total=100 * weights.sum()))
            continue
        curves.append(WeightCurve(label, gamma, run_colour(i), symbol, scale))
        window = effective_window(gamma)
        w0, w1, w2 = 100 * momentum_weights(gamma, 3, scale)
        # beside a scheduled run's sum over the epochs, the same sum: like compared with like
        recent = 100 * momentum_weights(gamma, state.epochs, scale).sum()
        lines.append(t(lang, "momentum_run", label=label, w0=w0, w1=w1, w2=w2, symbol=symbol, epoch=state.epochs,
                       recent=recent, total=100 * scale * window if np.isfinite(window) else np.inf,
                       window=window_text(window) if np.isfinite(window) else t(lang, "never")))
    if not curves:
        st.caption(t(lang, "momentum_hidden" if hidden else "momentum_none"))
        return
    st.write(t(lang, "momentum_text"))
    st.markdown("\n".join(f"- {not_a_list(line)}" for line in lines))  # "- 3. Momentum": one marker
    plot("weights", weights_figure(curves, t(lang, "weights_x"), t(lang, "weights_y"), epochs=state.epochs,
                                   before=t(lang, "weights_before", epochs=state.epochs)), lang,
         description=described(t(lang, "momentum_title"), lines, lang))


def show_eigen_errors(state: AppState, surface, paths: list[PathView], lang: str) -> None:
    """On a quadratic: each run's error along each eigenvector of the Hessian per epoch, beside the theory's
    rate (not for a run whose η or γ an exercise hides: the rate would give it away)."""
    if not surface.is_quadratic or not surface.minima:
        return
    with after_prediction(state, t(lang, "eigen_title"), "eigen_reveal", "eigen_open", lang) as drawn:
        if drawn:
            eigen_errors_chart(state, surface, paths, lang)


def eigen_errors_chart(state: AppState, surface, paths: list[PathView], lang: str) -> None:
    lams = surface.hessian_eigenvalues
    curves, hidden, without = [], [], []
    for i, (run_, path) in enumerate(zip(state.runs, paths)):
        secret = state.hides_a_value_of(i)
        r = None if secret or run_.varies else readout(run_.optimizer, {**run_.values, "noise": 0.0}, lams)
        curves.append(EigenCurve(path.label, path.color, eigen_errors(surface, path.points),
                                 tuple(rho for _, rho in r.rates) if r and r.rates else None))
        if curves[-1].rates is None:
            (hidden if secret else without).append(t(lang, "run_n", n=i + 1))
    # the words say what is drawn: "dashed" only beside a dashed line, and why a run has none
    dashed = any(c.rates is not None for c in curves)
    st.write(t(lang, "eigen_text") + (SENTENCE_GAP[lang] + t(lang, "eigen_dashed") if dashed else ""))
    for key, runs in (("eigen_hidden", hidden), ("eigen_no_theory", without)):
        if runs:
            st.caption(t(lang, key, runs=t(lang, "list_separator").join(runs)))
    plot("eigen", eigen_error_figure(curves, lams, [t(lang, "eigen_panel", lam=lam) for lam in lams],
                                     t(lang, "epoch"), t(lang, "eigen_y"), t(lang, "eigen_theory")), lang,
         description=described(t(lang, "eigen_title"), [c.label for c in curves], lang))


def show_formula(state: AppState, surface, surface_grid, lang: str) -> None:
    """f, and for a typed f its gradient and the share of the plot where it is not defined. Presenting, in
    the narrow column beside the chart: inline, so that a long f wraps after a + or an = instead of scrolling."""
    formulas = [surface.latex, *([surface.extra["gradient_latex"]] if state.surface == CUSTOM else [])]
    if state.presenting:
        with st.container(key="shown_formula"):  # not "formula": the typed formula's box has that key
            for formula in formulas:  # \left( … \right) would hold its inside on one line; a line may break
                inline = formula.replace(r"\left(", "(").replace(r"\right)", ")").replace(",", r",\allowbreak ")
                st.markdown(f"${inline}$")  # after a comma too
    else:
        for formula in formulas:
            st.latex(formula)
    if state.surface == CUSTOM:
        undefined = float(np.isnan(surface_grid[2]).mean())
        if undefined > 0:
            st.info(t(lang, "undefined_share", share=100 * undefined), icon=":material/info:")


def render() -> None:
    state = session.state()
    lang = state.lang
    surface = surface_of(state)
    spec = surface_spec(state)
    if not state.presenting:
        st.title(t(lang, "app_title"))
        st.caption(t(lang, "app_caption"))

    trajs = [compute(r.optimizer, spec, state.start_point, state.epochs, r.hyper, r.schedules) for r in state.runs]
    data = surface.examples is not None
    # no arrows for a run whose values an exercise hides: with the trail, its next step would show where it goes
    insides = [inside_of(r.optimizer, spec, state.start_point, state.epochs, r.hyper, r.schedules)
               if state.vectors and not state.hides_a_value_of(i) else None for i, r in enumerate(state.runs)]
    paths = [PathView(run_label(i + 1, r, lang, state.hidden_in(i), data), tr.points, run_colour(i), tr.losses,
                      steps=inside and inside.steps, gradients=inside and inside.gradients,
                      velocities=inside and inside.state.get(OPTIMIZERS[r.optimizer].velocity))
             for i, (r, tr, inside) in enumerate(zip(state.runs, trajs, insides))]
    surface_grid = grid(spec)
    png = None if state.presenting else "trajectories"  # presenting, its button took a third row of a 768-px screen
    told = export_lines(state, paths, trajs, lang)  # the surface, then each run's line: the charts' text alternative
    # an exercise folds the results (they tell the answer): the chart's text alternative, said on focus, too
    ends = t(lang, "ends_folded") if state.hide else t(lang, "items_separator").join(told[1:])
    secret_surface = state.hidden("surface") or state.hidden("formula")  # an exercise: not even to a screen reader
    where = t(lang, "this_surface") if secret_surface else told[0]
    # the chart with its play controls beside the lesson and the printed lines: one screen on a projector;
    # presenting, the sliders a drag follows are there too (the sidebar stays closed), the chart wider
    chart, results = st.container(key="chart_row").columns([3, 1] if state.presenting else [3, 2], gap="medium")
    with results if state.presenting else chart:  # presenting: the chart's column is the chart's alone
        show_formula(state, surface, surface_grid, lang)
    with chart:
        fit = FitPanel(surface.examples.x, surface.examples.y) if surface.examples is not None else None
        words = chart_words(lang, surface)
        if state.view3d:  # turned by a drag: no click to set the start
            # presenting, 40 px less than the 2D view: its legend's rows sit over the scene, and with four runs
            # the play buttons were cut off at the foot of a 768 px projector
            figure = surface3d_figure(surface, paths, figure_labels(lang, surface),
                                      height=PRESENT_HEIGHT - 40 if state.presenting else 540,
                                      critical=critical_points(surface))
            plot(CHART_KEY, figure, lang, words, contour_traces=1, trail=bool(state.hide), png=png,
                 first=True, description=t(lang, "chart_alt", surface=where, lines=ends), **epoch_in_link(state),
                 **projected(state))
        else:
            lines = contour(spec)
            figure = trajectory_figure(surface, surface_grid, paths, figure_labels(lang, surface),
                                       critical=critical_points(surface), equal_axes=state.equal_axes, fit=fit,
                                       contour=lines, height=PRESENT_HEIGHT if state.presenting else 540)
            plot(CHART_KEY, figure, lang, words, contour_traces=background_traces(lines), trail=bool(state.hide),
                 png=png, first=True, clickable="plane",
                 on_click=lambda: session.set_start_from_click(CHART_KEY),
                 description=t(lang, "chart_alt", surface=where, lines=ends), **epoch_in_link(state),
                 **projected(state))
            session.control("equal_axes", t(lang, "equal_axes"))
        session.control("view3d", t(lang, "view3d"))
        session.control("vectors", t(lang, "vectors"))
        if state.vectors:
            secret = [str(i + 1) for i in range(len(state.runs)) if state.hides_a_value_of(i)]
            if len(secret) < len(state.runs):
                st.caption(t(lang, "vectors_note"))
            if secret:
                st.caption(t(lang, "vectors_hidden", runs=t(lang, "list_separator").join(secret)))
    with results:
        if state.presenting:
            session.live_controls(lang)
        show_preset(state, lang)
        show_results(state, trajs, lang)
    left, right = st.columns(2)
    with left:
        by_examples = data and state.loss_by_examples
        floor, at_minimum = loss_floor(surface)
        title = t(lang, "loss_title_examples" if by_examples else "loss_title" if at_minimum else "loss_title_plot")
        with after_prediction(state, title, "loss_reveal", "loss_open", lang) as drawn:
            if drawn:
                per_step = [examples_per_step(r.optimizer, surface, **r.values)
                            for r in state.runs] if by_examples else None
                plot("losses", loss_figure([(p.label, tr.losses, p.color) for p, tr in zip(paths, trajs)],
                                           floor, t(lang, "loss_axis" if at_minimum else "loss_axis_plot"),
                                           t(lang, "examples_axis" if by_examples else "epoch"), x_per_epoch=per_step),
                     lang, description=t(lang, "loss_alt", title=title, lines=ends))
                for i, tr in enumerate(trajs):
                    # f unbounded below (x1 + x2^2); not a run at the minimum, below Newton's f* by a rounding
                    if (below := np.flatnonzero(tr.losses < floor - 1e-9 * max(1.0, abs(floor)))).size:
                        st.caption(t(lang, "loss_below_floor", n=i + 1, epoch=int(below[0]), floor=floor))
                if data:
                    session.control("loss_by_examples", t(lang, "loss_by_examples"),
                                    help=t(lang, "loss_by_examples_help", n=surface.examples.n))
        shown = [(p, inside, OPTIMIZERS[r.optimizer])
                 for r, p, inside in zip(state.runs, paths, insides) if inside is not None]
        if shown:  # not for a run whose values an exercise hides: GD's effective rate is its η
            show_internals(*zip(*shown), lang)
        show_schedules(state, paths, lang)
    with right:
        show_rules(state, lang)
    show_momentum_weights(state, lang)
    if not secret_surface:  # "on a quadratic" would tell what the exercise hides
        show_eigen_errors(state, surface, paths, lang)
    show_export(state, paths, figure, lang, told)
    session.exercise_builder(lang)
    classroom.ask_panel(lang)
    # last: the paths a drag shows are computed after everything the page shows is sent
    follow_drags(CHART_KEY, drag_controls(state, spec, lang))
