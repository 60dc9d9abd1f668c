"""docs/experiments.md, the inventory of the seeds' experiments, against the app.

Every link in it opens its page with no warning about the link; every line a row quotes in the
textbook's format is printed by the row's links; a link spelled out beside a preset shows that
preset (whose lesson tests/test_presets.py checks); and what the note says of any other link is
computed here from the link's own state (CLAIMS). Decimal numbers the note quotes come from a
preset's lesson, a printed line, the links themselves or a claim checked here."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest

from models import mlp
from optimizers import Trajectory, run
from optimizers.maps import default_lr_range
from optimizers.stability import stable_lr_limit
from optimizers.train import TrainResult, train
from surfaces.critical import critical_points
from tests.pages import page_test
from tests.test_app import lines, SEED_001_EXERCISE, SEED_004_RAMP, plain_line
from tests.test_presets import q, runs_of, sign_changes, stable_at
from ui.i18n import TABLES, t
from ui.presets import PRESETS
from ui.results import result_line
from ui.link import NET, from_query
from ui.state import SETTINGS, AppState, run_hyper, spec_of, suffix, surface_of

DOC = Path(__file__).resolve().parents[1] / "docs" / "experiments.md"
SEEDS = ("000", "001", "002", "003", "004")
MINIBATCH = ("?surface=regression&optimizer=sgd&batch_size=10", "?preset=minibatch", "?preset=minibatch_lr")
MINIBATCH_DECAY = ("?surface=regression&epochs=50&optimizer=sgd&lr=1&batch_size=10&optimizer2=sgd&lr2=1&batch_size2=10"
                   "&lr_schedule2=step&lr_decay2=0.1&lr_every2=10")
PAGES = {"": "explorer", "/stability": "stability", "/network": "network"}
LINK = re.compile(r"`([?/][^`]*)`")
PRINTED = re.compile(r"`(epoch \d+, x1 \S+, x2 \S+)`")
DECIMAL = re.compile(r"(?<![§\d.])\d+\.\d+")  # not a section: §7.2


# --- the note -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    seed: str
    experiment: str
    claim: str  # what the seed shows or claims
    links: tuple[str, ...]
    shows: str  # what the app shows

    @property
    def printed(self) -> list[str]:
        """The lines in the textbook's format the row quotes, from the seed or from the app."""
        return PRINTED.findall(self.claim + self.shows)

    @property
    def presets(self) -> list[str]:
        return [link.removeprefix("?preset=") for link in self.links if link.startswith("?preset=")]



BEYOND = "beyond"  # the section of the presets that no seed has (the optimizers after the textbook)


@functools.cache
def rows() -> tuple[Row, ...]:
    found, seed = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):  # a seed's section, or the presets beyond the seeds
            seed = m[1] if (m := re.match(r"## Seed (\d{3})", line)) else None
            seed = BEYOND if line.startswith("## Beyond") else seed
        elif seed and line.startswith("| ") and not line.startswith("| Experiment"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert len(cells) == 4, f"a row of seed {seed} needs 4 cells: {line}"
            found.append(Row(seed, cells[0], cells[1], tuple(LINK.findall(cells[2])), cells[3]))
    return tuple(found)


def links() -> list[str]:
    """Every link of the note, once."""
    return list(dict.fromkeys(link for row in rows() for link in row.links))


def rows_with(link: str) -> list[Row]:
    return [row for row in rows() if link in row.links]


def said(link: str, *words: str) -> list[str]:
    """What a claim quotes must be in the note, in a row listing the link."""
    for word in words:
        assert any(word in row.shows for row in rows_with(link)), f"the note does not say {word!r} of {link}"
    return list(words)


# --- what a link opens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    link: str
    page: str
    query: dict[str, str]
    state: AppState
    problems: tuple

    @property
    def runs(self) -> list[Trajectory]:
        return trajectories(self.link)

    @property
    def start(self) -> tuple[float, float]:
        return self.state.start_point


@functools.cache
def opened(link: str) -> Opened:
    path, _, text = link.partition("?")
    query = dict(parse_qsl(text, keep_blank_values=True))
    state, problems = from_query(query)
    return Opened(link, PAGES[path], query, state, tuple(problems))


@functools.cache
def trajectories(link: str) -> list[Trajectory]:
    """The explorer's runs of a link, through the core."""
    return runs_of(opened(link).state)


@functools.cache
def trained(optimizer: str, hyper: tuple, schedules: tuple, steps: int, target: float, init: int) -> TrainResult:
    """A network run of the network page, through the core."""
    return train(optimizer, mlp.loss_and_grad, mlp.initial(init), steps=steps, target=target or None,
                 **run_hyper(optimizer, hyper, schedules))


def network_runs(s: AppState) -> list[TrainResult]:
    return [trained(r.optimizer, r.hyper, r.schedules, s.net_steps, s.net_target, s.net_init) for r in s.net_runs]


@functools.cache
def page(link: str):
    """The link's page under AppTest, run once."""
    o = opened(link)
    at = page_test(o.page, o.query)
    at.run()
    return at


def held(s: AppState) -> dict[str, str]:
    """Every link field with the value the state holds, defaults included."""
    values = {f.name: spec_of(f).show(getattr(s, f.name)) for f in SETTINGS if getattr(s, f.name) not in (None, ())}
    for prefix, runs in (("", s.runs), (NET, s.net_runs)):
        for i, r in enumerate(runs):
            end = suffix(i)
            values[prefix + "optimizer" + end] = r.optimizer
            values.update({prefix + name + end: str(value) for name, value in r.hyper})
            for name, kind, params in r.schedules:
                values[prefix + name + "_schedule" + end] = kind
                values.update({prefix + name + "_" + p + end: str(value) for p, value in params})
    return values


def same(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return a.lower() == b.lower()


LINK_PROBLEM = tuple(text.split("{")[0] for table in TABLES.values() for key, text in table.items()
                     if key.startswith("url_"))


# --- what the note says of the links that are not presets -------------------------------------------


def windows(o: Opened, totals: list[str]) -> list[str]:
    """The weights panel names each run's 1/(1 − γ) and what the weights add up to."""
    gammas = [r.values["momentum"] for r in o.state.runs]
    panel = " ".join(m.value for m in page(o.link).markdown if "all together" in m.value)
    quoted = []
    for gamma, total in zip(gammas, totals):
        window = f"1/(1 − γ) = {1 / (1 - gamma):g}"  # the presets' γ: 2, 10
        assert window in panel and f"all together (without end) {total}" in panel, panel
        assert f"{100 / (1 - gamma):.0f}%" == total
        quoted += [total]
    return quoted


def ewma(o: Opened):
    return said(o.link, "1/(1 − γ) = 2", "1/(1 − γ) = 10", *windows(o, ["200%", "1000%"]))


def camel(o: Opened):
    points = critical_points(surface_of(o.state))
    kinds = [p.kind for p in points]
    signs = {"global_minimum": {True}, "minimum": {True}, "maximum": {False}, "saddle": {True, False}}
    for p in points:  # seed 001's rule: all positive a minimum, all negative a maximum, mixed a saddle
        assert {bool(v > 0) for v in p.eigenvalues} == signs[p.kind]
    return said(o.link, f"{kinds.count('global_minimum')} global minima", f"{kinds.count('minimum')} local minima",
                f"{kinds.count('saddle')} saddle points", f"{kinds.count('maximum')} maxima")


def typed_gd_against_sgd(o: Opened):
    assert o.state.surface == "custom" and o.state.formula == "x1^2+3*x2^2"
    gd, sgd = o.runs
    assert (np.diff(gd.losses) < 0).all() and sign_changes(gd.points[:, 0]) == sign_changes(gd.points[:, 1]) == 0
    rises = int((np.diff(sgd.losses) > 0).sum())
    assert rises > 0 and sgd.losses[-1] < sgd.losses[0] / 100  # winding, yet downhill on the whole
    return said(o.link, f"rises on {rises} of the {o.state.epochs} epochs",
                f"x2 changes sign {sign_changes(sgd.points[:, 1])} times")


def bowl_learning_rates(o: Opened):
    small, textbook, high, too_high = o.runs
    assert abs(small.points[-1, 0]) > 3 and small.diverged_at < 0  # far from 0 after 20 epochs
    for tr, lr in ((high, 0.45), (too_high, 0.55)):
        assert np.allclose(tr.points[1:, 1] / tr.points[:-1, 1], 1 - lr * 4)  # x2's factor per epoch
        assert sign_changes(tr.points[:, 1]) == o.state.epochs
    assert high.losses[-1] < high.losses[0] < too_high.losses[-1]  # hovering in, swinging out
    assert [r.values["lr"] for r in o.state.runs] == [0.01, 0.1, 0.45, 0.55]
    return said(o.link, q(small.points[-1, 0], 3), "×−0.8", "×−1.2", q(too_high.points[-1, 1], 1))


def bowl_map(o: Opened):
    s = o.state
    surface = surface_of(s)
    assert (s.surface, s.map_optimizer) == ("bowl", "gd")
    limit = stable_lr_limit("gd", 0.0, max(surface.hessian_eigenvalues))
    lo, hi = default_lr_range(surface)
    assert limit == 0.5 and lo < limit < hi  # the map's η axis has the limit inside
    assert list(stable_at("gd", surface, s.start_point, [0.49, 0.51])) == [True, False]
    return said(o.link, "η < 0.5 = 2/λmax")


def fifth_of_eta(o: Opened):
    slow, fast = o.runs
    steps = [r.values["lr"] / (1 - r.values["momentum"]) for r in o.state.runs]
    assert steps == pytest.approx([0.8, 0.8])
    assert fast.points[:, 0].max() > 0 > slow.points[:, 0].max()  # only γ = 0.9 passes the minimum
    return said(o.link, *windows(o, ["200%", "1000%"]), "is 0.8 for both", q(fast.points[-1, 0], 3),
                q(slow.points[-1, 0], 3))


def momentum_sweep(o: Opened):
    ends = [tr.losses[-1] for tr in o.runs]
    assert [r.values["momentum"] for r in o.state.runs] == [0.1, 0.5, 0.9]
    assert ends[0] > ends[1] > ends[2]  # the smaller the momentum, the slower
    rises = int((np.diff(o.runs[2].losses) > 0).sum())
    assert rises > 0 == int((np.diff(o.runs[0].losses) > 0).sum())
    return said(o.link, f"after {o.state.epochs} epochs", *(q(e, 3) for e in ends), f"rises on {rises} epochs")


def momentum_map(o: Opened):
    s = o.state
    surface = surface_of(s)
    lam = max(surface.hessian_eigenvalues)
    limits = [stable_lr_limit("momentum", g, lam) for g in (0.5, 0.9)]
    assert s.map_optimizer == "momentum" and limits == pytest.approx([0.75, 0.95])
    # between the two limits: unstable at γ = 0.5, stable at γ = 0.9
    assert not stable_at("momentum", surface, s.start_point, [0.85], momentum=0.5)[0]
    assert stable_at("momentum", surface, s.start_point, [0.85], momentum=0.9)[0]
    return said(o.link, *(f"{v:g} at γ = {g}" for v, g in zip(limits, (0.5, 0.9))))


def adagrad_against_rmsprop(o: Opened):
    ada, rms = o.runs
    assert abs(rms.points[-1, 0]) < abs(ada.points[-1, 0]) / 100
    return said(o.link, q(ada.points[-1, 0], 3), q(rms.points[-1, 0], 3))


def adagrad_rates(o: Opened):
    *smooth, zigzag = o.runs
    for tr in smooth:
        assert (np.diff(tr.losses) <= 0).all() and sign_changes(tr.points[:, 0]) == sign_changes(tr.points[:, 1]) == 0
    assert sign_changes(zigzag.points[:, 0]) == sign_changes(zigzag.points[:, 1]) == o.state.epochs
    assert int((np.diff(zigzag.losses) > 0).sum()) == 1
    return said(o.link, "both coordinates change sign every epoch", "the loss rises once")


def rmsprop_settings(o: Opened):
    ends = [tr.losses[-1] for tr in o.runs]
    assert ends[0] > ends[1] and ends[0] > ends[2]  # both changes fall faster than η = 0.01, γ = 0.9
    third = o.runs[2]
    assert (np.diff(third.losses) <= 0).all()
    return said(o.link, q(ends[0], 2), q(ends[1], 2), q(ends[2], 3),
                f"x2 changes sign {sign_changes(third.points[:, 1])} times")


def adam_rates(o: Opened):
    rises = [int((np.diff(tr.losses) > 0).sum()) for tr in o.runs]
    gaps = [float(np.hypot(*tr.points[-1])) for tr in o.runs]
    assert rises[0] == rises[1] == 0 < rises[2] < rises[3]
    assert min(gaps[:2]) > 2 > 0.1 > max(gaps[2:])
    return said(o.link, q(o.runs[0].points[-1, 0], 3), q(o.runs[1].points[-1, 0], 3),
                f"rises on {rises[2]} and {rises[3]} epochs")


def momentum_zero_is_gd(o: Opened):
    gd, momentum = o.runs
    assert o.state.runs[1].values["momentum"] == 0
    assert np.array_equal(gd.points, momentum.points)
    return said(o.link, "point for point")


def lr_decay_link(o: Opened):
    # the link for the exercise; tests/test_app.py checks its line against a plain loop
    assert o.query == SEED_001_EXERCISE
    assert o.state.runs == PRESETS["lr_decay"].state.runs[1:]  # the preset's second run
    return said(o.link, q(o.runs[0].points[-1, 0], 3))


def ramp_link(o: Opened):
    # the link for seed 004; tests/test_app.py checks its lines against a plain loop
    assert o.query == SEED_004_RAMP
    return []


def ramp_to_99(o: Opened):
    to_90, to_99 = o.runs
    r = o.state.runs[1]
    gammas = run_hyper(r.optimizer, r.hyper, r.schedules)["momentum"].table(o.state.epochs)
    assert gammas[0] == 0.5 and np.allclose(gammas[10:], 0.99)
    v = [0.0, 0.0]

    def momentum(x, g, t):  # γ_t = 0.5 + 0.49·min(t − 1, 10)/10, η = 0.1
        gamma = 0.5 + (0.99 - 0.5) * min(t - 1, 10) / 10
        v[:] = [gamma * vi + 0.1 * gi for vi, gi in zip(v, g)]
        return [xi - vi for xi, vi in zip(x, v)]

    assert to_99.line() == plain_line(momentum, o.state.epochs)
    farthest = [tr.points[:, 0].max() for tr in (to_99, to_90)]
    assert farthest[0] > farthest[1] > 0
    assert np.hypot(*to_99.points[-1]) > np.hypot(*to_90.points[-1])
    return said(o.link, f"x1 up to {q(farthest[0], 2)} against {q(farthest[1], 2)}", f"after {o.state.epochs} epochs")


def bias_correction(o: Opened):
    plain, corrected = o.runs
    gamma = o.state.runs[1].values["momentum"]
    first = [np.abs(tr.points[1] - tr.points[0]) for tr in (plain, corrected)]
    assert np.allclose(first[1], first[0] / (1 - gamma))
    rises = int((np.diff(corrected.losses) > 0).sum())
    assert corrected.losses[1] > corrected.losses[0]  # the first step overshoots
    assert t("en", "readout_bias_correction") in [c.value for c in page(o.link).caption]
    return said(o.link, f"x2 moves {q(first[1][1], 1)} instead of {q(first[0][1], 1)}", f"rises on {rises} epochs")


TORCH_STOP = 7837  # the seed's script run with torch (tests/test_network.py)


def minibatch_link(o: Opened):
    """The page says which noise SGD feels here, and a batch of 10 is not gradient descent's path."""
    (sgd,) = o.runs
    assert any("drawn at random without replacement" in c.value for c in page(o.link).caption)
    gd = run("gd", surface_of(o.state), start=o.start, epochs=o.state.epochs, lr=o.state.runs[0].values["lr"])
    assert not np.allclose(sgd.points, gd.points)
    return said(o.link, "drawn without replacement")


def minibatch_decay(o: Opened):
    """§7.3's exercise on true minibatches: η × 1/10 after every pass over the data (10 steps of 10 of 100)."""
    constant, decayed = o.runs
    n, size = surface_of(o.state).examples.n, o.state.runs[1].values["batch_size"]
    etas = run_hyper("sgd", o.state.runs[1].hyper, o.state.runs[1].schedules)["lr"].table(o.state.epochs)
    assert np.allclose(etas, 0.1 ** (np.arange(o.state.epochs) // (n // size)))  # a tenth after every pass
    floor = surface_of(o.state).floor()
    swing = [float((tr.losses[-10:] - floor).max()) for tr in (constant, decayed)]
    assert swing[1] < swing[0] / 10
    return said(o.link, f"{swing[1]:.3g}", f"{swing[0]:.3g}")


def seed_003_network(o: Opened):
    s = o.state
    assert (s.net_runs, s.net_steps, s.net_target, s.net_init) == (AppState.net_runs, 10_000, 0.005, 99)
    result, = network_runs(s)
    assert int(result.stopped_at[0]) == TORCH_STOP
    return said(o.link, f"step {TORCH_STOP}")


CLAIMS = {
    MINIBATCH[0]: minibatch_link,
    MINIBATCH_DECAY: minibatch_decay,
    "?optimizer=momentum&lr=0.4&momentum=0.5&optimizer2=momentum&lr2=0.4&momentum2=0.9": ewma,
    "?surface=camel": camel,
    "?surface=custom&formula=x1^2%2B3*x2^2&x1=-5&x2=-2&optimizer=gd&lr=0.1&optimizer2=sgd&lr2=0.1":
        typed_gd_against_sgd,
    "?surface=bowl&optimizer=gd&lr=0.01&optimizer2=gd&lr2=0.1&optimizer3=gd&lr3=0.45&optimizer4=gd&lr4=0.55":
        bowl_learning_rates,
    "/stability?surface=bowl&map_optimizer=gd": bowl_map,
    "?optimizer=momentum&lr=0.4&momentum=0.5&optimizer2=momentum&lr2=0.08&momentum2=0.9": fifth_of_eta,
    "?optimizer=momentum&lr=0.08&momentum=0.1&optimizer2=momentum&lr2=0.08&momentum2=0.5&optimizer3=momentum"
    "&lr3=0.08&momentum3=0.9&epochs=60": momentum_sweep,
    "/stability?map_optimizer=momentum": momentum_map,
    "?optimizer=adagrad&lr=0.4&optimizer2=rmsprop&lr2=0.4&gamma2=0.9": adagrad_against_rmsprop,
    "?optimizer=adagrad&lr=0.4&optimizer2=adagrad&lr2=2&optimizer3=adagrad&lr3=6": adagrad_rates,
    "?optimizer=rmsprop&lr=0.01&gamma=0.9&optimizer2=rmsprop&lr2=0.01&gamma2=0.99&optimizer3=rmsprop&lr3=0.05"
    "&gamma3=0.9&epochs=100": rmsprop_settings,
    "?optimizer=adam&lr=0.01&optimizer2=adam&lr2=0.03&optimizer3=adam&lr3=0.1&optimizer4=adam&lr4=0.4&epochs=100":
        adam_rates,
    "?optimizer=gd&lr=0.4&optimizer2=momentum&lr2=0.4&momentum2=0": momentum_zero_is_gd,
    "?optimizer=gd&lr=0.4&lr_schedule=exponential&lr_decay=0.1": lr_decay_link,
    "?optimizer=momentum&lr=0.1&momentum=0.5&momentum_schedule=linear&momentum_final=0.9&momentum_ramp=10": ramp_link,
    "?optimizer=momentum&lr=0.1&momentum=0.5&momentum_schedule=linear&momentum_final=0.9&momentum_ramp=10"
    "&optimizer2=momentum&lr2=0.1&momentum2=0.5&momentum_schedule2=linear&momentum_final2=0.99&momentum_ramp2=10"
    "&epochs=60": ramp_to_99,
    "?optimizer=momentum&lr=0.4&momentum=0.5&optimizer2=momentum&lr2=0.4&momentum2=0.5&bias_correction2=true":
        bias_correction,
    "/network": seed_003_network,
    "/network?net_optimizer=momentum&net_lr=0.01&net_momentum=0.9&net_dampening=0.9&net_steps=10000"
    "&net_target=0.005&net_init=99": seed_003_network,
}


@functools.cache
def claimed(link: str) -> tuple[str, ...]:
    return tuple(CLAIMS[link](opened(link)))


# --- the tests ----------------------------------------------------------------------------------------


def test_the_note_has_every_seed_every_preset_and_the_minibatch_links():
    assert sorted({row.seed for row in rows()} - {BEYOND}) == list(SEEDS)
    assert all(row.links for row in rows())
    listed = {p for row in rows() for p in row.presets}
    assert set(PRESETS) <= listed  # a new preset gets a row
    assert listed <= set(PRESETS)
    assert all(any(link in row.links for row in rows() if row.seed == "001") for link in MINIBATCH)
    assert set(CLAIMS) <= set(links())


@pytest.mark.parametrize("link", links())
def test_the_link_reads_without_problems_and_every_field_counts(link):
    o = opened(link)
    assert not o.problems, o.problems
    holds = held(o.state)
    ignored = {name: value for name, value in o.query.items() if name not in holds or not same(value, holds[name])}
    assert not ignored, f"fields the state does not hold: {ignored}"


@pytest.mark.parametrize("link", links())
def test_the_link_opens_its_page_without_a_warning_about_it(link):
    o = opened(link)
    at = page(link)
    assert not at.exception, [e.value for e in at.exception]
    about_link = [m.value for m in [*at.warning, *at.error] if m.value.startswith(LINK_PROBLEM)]
    assert not about_link
    if o.page != "network":
        assert not at.warning, [w.value for w in at.warning]
    if o.page == "explorer":  # the printed lines are the core's
        shown = lines(at)
        assert len(shown) == len(o.runs)
        assert all(line.startswith(result_line(tr, o.state.lang)) for line, tr in zip(shown, o.runs))
    if o.page == "network":
        messages = " ".join(m.value for m in [*at.success, *at.warning])
        for result in network_runs(o.state):
            stop = int(result.stopped_at[0])
            assert stop < 0 or f"at step {stop}," in messages


@pytest.mark.parametrize("row", [row for row in rows() if row.printed], ids=lambda row: row.experiment[:40])
def test_the_lines_a_row_quotes_are_printed_by_its_links(row):
    printed = {tr.line() for link in row.links if opened(link).page == "explorer" for tr in opened(link).runs}
    missing = [line for line in row.printed if line not in printed]
    assert not missing, f"no link of the row prints {missing}"


@pytest.mark.parametrize("link", [link for link in links() if not link.startswith("?preset=")])
def test_a_link_shows_a_preset_of_its_row_or_its_claims_are_checked(link):
    presets = [PRESETS[p] for row in rows_with(link) for p in row.presets if p in PRESETS]
    if link in CLAIMS:
        claimed(link)
    else:
        assert any(p.is_shown_by(opened(link).state) for p in presets), f"{link} is neither a preset nor checked"


@pytest.mark.parametrize("row", rows(), ids=lambda row: f"{row.seed} {row.experiment[:40]}")
def test_the_numbers_a_row_quotes_come_from_a_lesson_a_line_a_link_or_a_claim(row):
    sources = [PRESETS[p].lesson("en") for p in row.presets if p in PRESETS]
    sources += row.printed + list(row.links) + [word for link in row.links if link in CLAIMS
                                                for word in claimed(link)]
    vouched = set(DECIMAL.findall(" ".join(sources)))
    unvouched = [n for n in DECIMAL.findall(row.shows) if n not in vouched]
    assert not unvouched, f"numbers nothing here computes: {unvouched}"


def test_the_weights_panel_compares_a_constant_and_a_ramped_momentum_over_the_same_epochs():
    """momentum_ramp: the ramped γ's weights add up to 798% over its 20 epochs; the constant γ = 0.9's
    sum over the same 20 epochs is 878% (its 1000% is without end), and the panel says both."""
    at = page("?preset=momentum_ramp")
    panel = " ".join(m.value for m in at.markdown if "epochs" in m.value and "%" in m.value)
    assert "over these 20 epochs 878%, all together (without end) 1000%" in panel, panel
    assert "798% over these 20 epochs" in panel, panel
