"""The link is the state: for random states, state → link → state is the identity."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

from optimizers import OPTIMIZERS
from ui.presets import PRESETS
from ui.link import from_query, to_query
from ui.state import (CONSTANT, LANGUAGES, MAX_RUNS, SETTINGS, AppState, Run, hideable, schedule_kinds,
                      schedule_params, spec_of, surface_keys, surface_of, within_data)
from tests.test_app import lines

FORMULAS = ["x1^2 + 3*x2^2", "sin(x1)*cos(x2) + 0.1*(x1^2 + x2^2)", "abs(x1) + x2^4"]


def value_of(p):
    """A valid value of a hyperparameter, from its registry entry."""
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "int":
        return st.integers(int(p.low), min(int(p.high), 10_000))
    low, high = p.slider
    return st.floats(low, high, allow_nan=False).filter(lambda v: bool(p.is_valid(v)))


@st.composite
def runs(draw, optimizers=tuple(OPTIMIZERS)):
    count = draw(st.integers(1, MAX_RUNS))
    result = []
    for _ in range(count):
        optimizer = draw(st.sampled_from(optimizers))
        values = {p.name: draw(value_of(p)) for p in OPTIMIZERS[optimizer].hyperparameters}
        schedules = {}
        for p in OPTIMIZERS[optimizer].hyperparameters:
            kind = draw(st.sampled_from(schedule_kinds(p) or (CONSTANT,)))
            schedules[p.name] = (kind, {q.name: draw(value_of(q)) for q in schedule_params(p, kind)})
        result.append(Run.of(optimizer, schedules, **values))
    return tuple(result)


def number(field):
    parse = spec_of(field).parse
    if parse.integer:
        return st.integers(int(parse.low), int(parse.high))
    return st.floats(parse.low, parse.high, allow_nan=False)


@st.composite
def states(draw):
    fields = {f.name: f for f in SETTINGS}
    lo = draw(st.one_of(st.none(), st.floats(1e-6, 10.0)))
    bounds_x1 = sorted(draw(st.lists(st.floats(-100, 100), min_size=2, max_size=2, unique=True)))
    bounds_x2 = sorted(draw(st.lists(st.floats(-100, 100), min_size=2, max_size=2, unique=True)))
    state = AppState(
        lang=draw(st.sampled_from(LANGUAGES)),
        preset=draw(st.one_of(st.none(), st.sampled_from(list(PRESETS)))),
        hide=tuple(draw(st.lists(st.sampled_from(hideable()), unique=True, max_size=3))),
        surface=draw(st.sampled_from(surface_keys())),
        formula=draw(st.sampled_from(FORMULAS)),
        bounds=(tuple(bounds_x1), tuple(bounds_x2)),
        data_n=draw(number(fields["data_n"])),
        data_noise=draw(number(fields["data_noise"])),
        epochs=draw(number(fields["epochs"])),
        x1=draw(st.one_of(st.none(), number(fields["x1"]))),
        x2=draw(st.one_of(st.none(), number(fields["x2"]))),
        runs=draw(runs()),
        net_runs=draw(runs()),  # SGD's seed is net_seed; the page's own seed is net_init
        net_steps=draw(number(fields["net_steps"])),
        net_target=draw(number(fields["net_target"])),
        net_init=draw(number(fields["net_init"])),
        map_optimizer=draw(st.sampled_from(list(OPTIMIZERS))),
        map_lr_min=lo,
        map_lr_max=None if lo is None else lo * draw(st.floats(1.01, 100)),
        map_log=draw(st.booleans()),
        loss_by_examples=draw(st.booleans()),
    )
    return replace(state, runs=within_data(state.runs, surface_of(state)))  # no minibatch larger than the data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states())
def test_state_to_link_to_state_is_the_identity(state):
    query = to_query(state)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    back, problems = from_query(query)
    assert not problems, problems
    assert back == state


def test_a_preset_link_opens_the_experiment_and_the_link_keeps_it():
    state, problems = from_query({"preset": "gd_06"})
    assert not problems and PRESETS["gd_06"].is_shown_by(state) and state.preset == "gd_06"
    assert to_query(state)["preset"] == "gd_06"
    nudged, _ = from_query({**to_query(state), "lr": "0.5"})  # a changed view keeps the lesson's name
    assert nudged.preset == "gd_06" and nudged.runs[0].values["lr"] == 0.5
    assert not PRESETS["gd_06"].is_shown_by(nudged)


@pytest.mark.parametrize("edit", [{"epochs": "50"}, {"lr": "0.45"}, {"momentum3": "0.7"}, {"x1": "-3"},
                                   {"optimizer2": "adam"}, {"lr": "0.45", "epochs": "30", "lang": "zh"}])
def test_an_edited_preset_link_is_the_preset_with_those_fields_changed(edit):
    """Teachers make links by editing links: ?preset=gd_vs_momentum&epochs=50 keeps all four runs."""
    preset = PRESETS["gd_vs_momentum"].apply(AppState())
    state, problems = from_query({"preset": "gd_vs_momentum", **edit})
    assert not problems and state.preset == "gd_vs_momentum"
    expected = dict(surface=preset.surface, epochs=preset.epochs, x1=preset.x1, x2=preset.x2, lang="en")
    expected.update({k: (int(v) if k == "epochs" else float(v) if k == "x1" else v) for k, v in edit.items()
                     if k in ("epochs", "x1", "lang")})
    assert {k: getattr(state, k) for k in expected} == expected
    runs = list(preset.runs)
    if "lr" in edit:
        runs[0] = runs[0].with_value("lr", float(edit["lr"]))
    if "momentum3" in edit:  # run 3 is momentum (run 2 is GD, which has no γ)
        runs[2] = runs[2].with_value("momentum", float(edit["momentum3"]))
    if "optimizer2" in edit:  # run 2 is the one the link names; run 1 stays the preset's; no run 3 or 4
        runs = [runs[0], Run.of("adam")]
    assert state.runs == tuple(runs)
    assert from_query(to_query(state))[0] == state  # and the app's own link of it says the same


def test_a_preset_link_whose_view_went_back_to_a_default_keeps_the_default():
    """The app writes what differs from the preset: a start put back to the surface's own is written."""
    state = replace(PRESETS["gd_vs_momentum"].apply(AppState()), x1=None, x2=None, epochs=20)
    query = to_query(state)
    assert query["x1"] == "" and from_query(query)[0] == state


def test_hide_names_link_fields_and_unknown_ones_are_refused():
    state, problems = from_query({"hide": "lr,momentum"})
    assert state.hide == ("lr", "momentum") and state.hidden("lr") and not state.hidden("epochs") and not problems
    assert from_query({"hide": "all"})[0].hidden("epochs")
    state, problems = from_query({"hide": "lr,nonsense"})
    assert state.hide == () and problems[0].field == "hide"
    assert replace(state, hide=("lr",)).hidden("lr")


def test_hide_all_keeps_the_language_and_no_empty_boxes():
    from tests.pages import open_page

    at = open_page("explorer", {"hide": "all"})
    assert at.selectbox(key="lang").value == "en"  # a student can still switch language
    assert not at.slider and not at.select_slider and not at.number_input
    # no box left empty (a run's, without its controls); the boxes fold the printed lines and the loss until the
    # prediction
    assert [e.label for e in at.expander] == ["Where each run ends (open it after your prediction)",
                                              "The loss per epoch (open it after your prediction)"]
    assert lines(at) == ["epoch 20, x1 -0.943467, x2 -0.000073"]


def test_a_link_naming_only_later_runs_keeps_run_1_and_their_places():
    """?optimizer2=… without run 1's fields: run 1 is the default run and the others stay runs 2–4
    (they moved up one place, and run 1's GD was gone)."""
    state, problems = from_query({"optimizer2": "momentum", "optimizer3": "adam", "optimizer4": "nesterov"})
    assert not problems
    assert [r.optimizer for r in state.runs] == ["gd", "momentum", "adam", "nesterov"]
    net, _ = from_query({"net_optimizer2": "adam"})
    assert net.net_runs[0] == AppState().net_runs[0] and net.net_runs[1].optimizer == "adam"


def test_only_a_batch_the_link_asked_for_is_named_when_the_data_is_smaller():
    """SGD's default batch of 10 on 5 points is fitted silently; a batch_size=8 in the link is named."""
    state, problems = from_query({"surface": "regression", "data_n": "5", "optimizer": "sgd"})
    assert not problems and state.runs[0].values["batch_size"] == 5
    state, problems = from_query({"surface": "regression", "data_n": "5", "optimizer": "sgd", "batch_size": "8"})
    assert [p.field for p in problems] == ["batch_size"] and state.runs[0].values["batch_size"] == 5


def test_an_exercise_link_packs_its_values_out_of_sight_and_reads_back():
    state, _ = from_query({"optimizer": "momentum", "lr": "0.45", "momentum": "0.55", "hide": "lr,momentum",
                           "lang": "zh"})
    query = to_query(state)
    assert set(query) == {"exercise", "lang"} and query["lang"] == "zh"  # the language stays readable
    assert not any(word in query["exercise"] for word in ("0.45", "0.55", "lr", "momentum"))
    assert from_query(query) == (state, [])


@pytest.mark.parametrize("word", ["", "abc", "eNpLTEo2MDAwMDAwNDA0MTEwMAYAKnQEeA", "%%%", "x" * 20_000,
                                  "eNptVMuO4zgM_Jr2ZdCGSFGvgw6zjf0OQx2rEwOOnbGc"])
def test_a_broken_exercise_link_is_refused_with_a_message(word):
    state, problems = from_query({"exercise": word})
    assert [p.field for p in problems] == ["exercise"] and problems[0].reason == "invalid"
    assert state == AppState()


def test_an_unknown_optimizer_takes_the_default_and_keeps_the_runs_other_fields():
    """?optimizer=foo&lr=0.2 ran GD at the default η 0.4, saying nothing of lr; lr=abc went unreported."""
    state, problems = from_query({"optimizer": "foo", "lr": "0.2"})
    assert [p.field for p in problems] == ["optimizer"]
    assert state.runs[0].optimizer == AppState().runs[0].optimizer and state.runs[0].values["lr"] == 0.2
    state, problems = from_query({"optimizer": "foo", "lr": "abc", "epochs": "-5"})
    assert {p.field for p in problems} == {"optimizer", "lr", "epochs"}
    state, problems = from_query({"optimizer2": "foo", "lr2": "0.3"})  # a second run the link meant
    assert [p.field for p in problems] == ["optimizer2"]
    assert len(state.runs) == 2 and state.runs[1].values["lr"] == 0.3


def test_a_link_that_names_this_computer_is_told_from_one_a_phone_can_open():
    from ui.link import this_computer

    assert [this_computer(u) for u in ("http://localhost:8501/?ask=ab", "http://127.0.0.1:8611/", "http://[::1]:80/",
                                       "http://app.localhost/", "http://127.1.2.3/", "http://0.0.0.0:8501/")] == \
        ["localhost", "127.0.0.1", "::1", "app.localhost", "127.1.2.3", "0.0.0.0"]
    assert [this_computer(u) for u in ("http://192.168.1.20:8501/?ask=ab", "https://class.example.org/", "/?ask=ab",
                                       "http://localhost.example.org/")] == [None] * 4


@pytest.mark.parametrize("query, runs", [
    ({"optimizer": "gd", "optimizer3": "adam", "lr3": "0.1"}, ["gd", "adam"]),  # a gap in the numbers: read
    ({"preset": "gd_vs_momentum", "optimizer3": "adam", "lr3": "0.1"}, ["gd", "adam"]),
])
def test_a_link_whose_run_numbers_skip_one_reads_every_field_and_says_nothing_was_ignored(query, runs):
    """The check for fields no run reads once counted the runs made (2) against the link's numbers (3): it said
    `optimizer3=adam` was ignored while the page ran Adam at η 0.1 as run 2."""
    state, problems = from_query(query)
    assert problems == [] and [r.optimizer for r in state.runs] == runs and state.runs[1].values["lr"] == 0.1


def test_a_field_for_a_run_and_its_optimizer_that_does_not_have_it_is_reported_once():
    _, problems = from_query({"optimizer": "gd", "optimizer4": "lion", "gamma4": "0.5"})
    assert [(p.field, p.valid.key) for p in problems] == [("gamma4", "url_not_for")]


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_nan_for_any_hyperparameter_is_no_number_not_out_of_range(optimizer):
    """`?lr=nan` said "outside (0, ∞)" where `?x1=nan` said "not a number" (a new teacher's trial)."""
    for p in OPTIMIZERS[optimizer].hyperparameters:
        if p.kind == "bool":
            continue
        _, problems = from_query({"optimizer": optimizer, p.name: "nan"})
        assert [(q.field, q.reason) for q in problems] == [(p.name, "not_number")], (optimizer, p.name)


def test_a_hyperparameters_count_given_a_fraction_is_told_to_be_whole():
    """`?batch_size=2.5` was "outside [1, 10000]", where `?epochs=2.5` is "a whole number in [1, 1000]"."""
    _, problems = from_query({"surface": "regression", "optimizer": "sgd", "batch_size": "2.5"})
    assert [(p.field, p.reason, p.valid.key) for p in problems] == [("batch_size", "invalid", "valid_whole")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_number_is_told_the_real_reason(lang):
    """`?epochs=2.5` was "outside [1, 1000]" (it is inside, but no count) and `?x1=nan` "outside" (no number)."""
    from tests.pages import open_page
    from ui.i18n import t

    at = open_page("explorer", {"epochs": "2.5", "x1": "nan", "lang": lang})
    said = [w.value for w in at.warning]
    whole = t(lang, "valid_whole", valid="[1, 1000]")
    assert said == [t(lang, "url_invalid", field="epochs", value="2.5", valid=whole),
                    t(lang, "url_not_number", field="x1", value="nan", valid="[-10000, 10000]")], said
    assert at.session_state["state"].epochs == 20 and not at.exception


def test_a_whole_numbers_range_is_told_in_whole_numbers():
    """`?net_init=-3` was "outside [0, 2.14748e+09]" (a second trial)."""
    from tests.pages import open_page
    from ui.i18n import t

    at = open_page("network", {"net_init": "-3"})
    assert [w.value for w in at.warning] == [t("en", "url_out_of_range", field="net_init", value="-3",
                                               valid="[0, 2147483647]")]



@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_number_too_large_to_be_one_and_a_seeds_range_are_said_as_they_are(lang):
    """A student's trial: `?lr=1e400` was "outside (0, ∞)" (it is positive), and a minibatch's seed's range was
    "[0, 4.29497e+09]"."""
    from tests.pages import open_page
    from ui.i18n import t

    at = open_page("explorer", {"lang": lang, "lr": "1e400", "x1": "-" + "9" * 400})
    said = [w.value for w in at.warning]
    shown = "-" + "9" * 39  # a link value is quoted up to 40 characters
    assert said == [t(lang, "url_invalid", field=field, value=value, valid=t(lang, "valid_finite", valid=valid))
                    for field, value, valid in (("x1", shown, "[-10000, 10000]"), ("lr", "1e400", "(0, ∞)"))], said
    at = open_page("explorer", {"lang": lang, "surface": "regression", "optimizer": "sgd", "seed": "-5"})
    assert "[0, 4294967295]" in " ".join(w.value for w in at.warning)

@pytest.mark.parametrize("query", [{}, {"optimizer2": "momentum"}, {"optimizer2": "gd", "lr2": "0.3"},
                                   {"optimizer2": "adam", "lr2": "0.1"}])
def test_a_link_to_another_surface_gives_its_run_1_the_surfaces_own_lr_whatever_runs_it_adds(query):
    """?surface=himmelblau&optimizer2=momentum kept run 1 at the quadratic's η 0.4 (GD diverged from every start of
    the basins), while run 2, and run 1 of ?surface=himmelblau alone, took Himmelblau's 0.01."""
    state, problems = from_query({"surface": "himmelblau", **query})
    alone, _ = from_query({"surface": "himmelblau"})
    assert not problems and state.runs[0] == alone.runs[0] and alone.runs[0].values["lr"] == 0.01
    named, _ = from_query({"surface": "himmelblau", "lr": "0.02", **query})  # an η the link names is kept
    assert named.runs[0].values["lr"] == 0.02
    preset, _ = from_query({"preset": "gd_06", **query})  # and the preset's own, on its own surface
    assert preset.runs[0].values["lr"] == 0.6


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unknown_experiment_is_told_without_the_list_of_every_key(lang):
    """A student's trial: `?preset=unknown` listed all the experiments' keys, a phone's first screen of them."""
    from tests.pages import open_page
    from ui.i18n import t
    from ui.presets import PRESETS

    at = open_page("explorer", {"preset": "unknown", "lang": lang})
    said = [w.value for w in at.warning]
    assert said == [t(lang, "url_unknown_preset", field="preset", value="unknown")]
    assert not any(key in said[0] for key in PRESETS)
    assert at.session_state["state"].preset is None and not at.exception
