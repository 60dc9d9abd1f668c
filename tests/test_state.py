"""The state's transitions as plain functions, without Streamlit: what a change of surface, a preset
or a new run does to the rest of the view."""

from ui.link import from_query
from ui.presets import PRESETS
from ui.state import AppState, Run, surface_of


def test_a_new_surface_starts_from_its_own_start_with_its_own_eta_and_map_range():
    state = AppState(x1=1.0, x2=2.0, map_lr_min=0.01, map_lr_max=0.5, runs=(Run.of("gd", lr=0.6),))
    moved = state.changed(surface="himmelblau")
    assert (moved.x1, moved.x2) == (None, None) and moved.start_point == surface_of(moved).start
    assert moved.map_lr is None  # the map takes the new surface's own η range
    assert moved.runs[0].values["lr"] != 0.6  # GD's η: the surface's own
    kept = state.changed(surface="himmelblau", x1=0.5, x2=0.5, runs=state.runs)
    assert kept.start_point == (0.5, 0.5) and kept.runs == state.runs  # what the change names is kept


def test_fewer_epochs_than_the_one_the_chart_rests_at_move_it_to_the_last():
    state = AppState(epoch=15)
    assert state.changed(epochs=10).epoch == 10 and state.changed(epochs=30).epoch == 15
    assert AppState().changed(epochs=10).epoch is None
    assert from_query({"epochs": "10", "epoch": "15"})[0].epoch == 10  # 20 epochs later would show 15, never seen
    assert from_query({"preset": "gd_06", "epoch": "7"})[0].epoch == 7  # a link's epoch beside its experiment


def test_a_preset_sets_the_view_and_keeps_the_language_and_the_hidden_controls():
    state = AppState(lang="zh", hide=("lr",), epochs=7, epoch=5)
    shown = PRESETS["momentum_06"].apply(state)
    assert shown.lang == "zh" and shown.hide == ("lr",) and shown.preset == "momentum_06"
    assert shown.epoch is None  # a new lesson from its first epoch
    assert PRESETS["momentum_06"].is_shown_by(shown)
    assert not PRESETS["momentum_06"].is_shown_by(shown.changed(epochs=21))


def test_a_run_with_a_batch_larger_than_the_data_takes_the_whole_data():
    state = AppState(surface="regression", data_n=5)
    sgd = state.with_run(0, Run.of("sgd", batch_size=10))
    assert sgd.runs[0].values["batch_size"] == 5
    assert state.changed(data_n=3).with_run(0, Run.of("sgd", batch_size=4)).runs[0].values["batch_size"] == 3


def test_the_sidebar_turns_the_presentation_layout_on_and_off():
    """The projector's layout was reached only by typing view=present into the link."""
    from tests.pages import open_page

    at = open_page("explorer", {"lr": "0.4", "lang": "zh"})
    assert at.toggle(key="present").label.startswith("演示布局") and not at.toggle(key="present").value
    at.toggle(key="present").set_value(True).run()
    assert at.session_state["state"].presenting and at.query_params["view"] == "present"
    at.toggle(key="present").set_value(False).run()
    assert not at.session_state["state"].presenting and "view" not in at.query_params
