"""Ask the class: the store keeps one answer per session, refuses a flood, forgets after 24 hours and
survives a restart; the truth is read from the numbers; the pages show a teacher the answers and the
reveal, and a student (or a wrong key) never the answers before it."""

from __future__ import annotations

from dataclasses import replace

import base64
import json
import os
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from classroom.store import LIFETIME, MAX_TRIES, Store
from classroom.truth import OUTCOMES
from ui.classroom import SESSION
from views.question import PENDING
from ui.i18n import t as words
from ui.link import from_query, to_query
from ui.presets import PRESETS
from ui.state import AppState, Run, surface_of
from viewmodel.classroom import answers_figure, question_query, question_state, trajectory, truth_of, truth_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def db(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'class.db'}")


def ask(db: Store, state: AppState | None = None, kind: str = "outcome", run: int = 0, epoch: int = 20, **kw):
    state = state or AppState()
    return db.ask(kind, question_query(state, ()), run, epoch, truth_of(state, kind, run, epoch), **kw)


# --- the store ---------------------------------------------------------------------------------------


def test_a_second_answer_from_a_session_replaces_its_first(db):
    code, _ = ask(db)
    assert db.answer(code, "s1", choice="diverges") == "recorded"
    assert db.answer(code, "s2", choice="stalls") == "recorded"
    assert db.answer(code, "s1", choice="converges") == "recorded"
    assert db.count(code) == 2
    assert sorted(a.choice for a in db.answers(code)) == ["converges", "stalls"]


def test_a_session_that_answers_too_often_is_refused_and_its_last_answer_counts(db):
    code, _ = ask(db)
    said = [db.answer(code, "flood", choice=OUTCOMES[i % 4]) for i in range(1000)]
    assert said[:MAX_TRIES] == ["recorded"] * MAX_TRIES
    assert set(said[MAX_TRIES:]) == {"too_many"}
    assert db.count(code) == 1 and db.answers(code)[0].choice == OUTCOMES[(MAX_TRIES - 1) % 4]
    assert db.answer(code, "other", choice="stalls") == "recorded"  # the others are not held back


def test_only_the_key_reveals_and_then_the_answers_close(db):
    code, key = ask(db)
    assert db.is_teacher(code, key)
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    for wrong in (None, "", tampered, "x" * 32, key + "x"):
        assert not db.is_teacher(code, wrong) and not db.reveal(code, wrong)
    assert not db.question(code).revealed
    assert db.reveal(code, key) and db.question(code).revealed
    assert db.answer(code, "late", choice="stalls") == "closed"


def test_the_browser_that_asked_or_brought_a_key_is_the_teachers_without_the_key(db):
    """The projector's address bar holds no key: the browser that asked is known by its session word, as is one
    that opened a teacher's link once; a student's browser, which saw the projected address, is not."""
    code, key = ask(db, browser="teacher")
    assert db.is_teacher(code, browser="teacher") and not db.is_teacher(code, browser="student")
    assert not db.reveal(code, browser="student") and not db.question(code).revealed
    assert db.is_teacher(code, key, browser="laptop")  # the teacher's link, opened on another device
    assert db.is_teacher(code, browser="laptop")  # which is the teacher's from then on (a reload has no key)
    assert not db.is_teacher(code, key[:-1] + ("A" if key[-1] != "A" else "B"), browser="student")
    assert not db.is_teacher(code, browser="student")  # a wrong key adopts nothing
    assert not db.is_teacher("AAAAAAAAAAAA", key, browser="teacher")  # the key of another question
    assert db.reveal(code, browser="teacher") and db.question(code).revealed


def test_a_reloaded_teachers_browser_gets_a_new_key_for_another_device_and_no_one_else_does(db):
    code, key = ask(db, browser="teacher")
    assert db.new_key(code, "student") is None
    again = db.new_key(code, "teacher")
    assert again and again != key and db.is_teacher(code, again) and db.is_teacher(code, key)  # both keys open it
    with db.engine.connect() as conn:
        dump = json.dumps([list(r) for r in conn.exec_driver_sql("select * from class_teachers").all()])
    assert again not in dump and "teacher" not in dump  # hashes only


def test_the_key_is_not_stored_and_codes_are_long_random_words(db):
    codes = [ask(db) for _ in range(20)]
    assert len({c for c, _ in codes}) == 20
    assert all(len(c) == 12 and len(k) == 32 for c, k in codes)  # 72 and 192 random bits
    with db.engine.connect() as conn:
        dump = json.dumps([list(r) for r in conn.exec_driver_sql("select * from class_questions").all()])
    assert not any(k in dump for _, k in codes)


def test_questions_and_answers_are_deleted_after_a_day(db):
    old, _ = ask(db, now=1_000_000.0, browser="teacher")
    db.answer(old, "s", choice="stalls", now=1_000_010.0)
    assert db.question(old, now=1_000_000.0 + LIFETIME - 1) is not None
    assert db.question(old, now=1_000_000.0 + LIFETIME + 1) is None  # not shown once it is a day old
    ask(db, now=1_000_000.0 + LIFETIME + 5)  # asking purges
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from class_questions").scalar() == 1
        assert conn.exec_driver_sql("select count(*) from class_answers").scalar() == 0
        assert conn.exec_driver_sql("select count(*) from class_teachers").scalar() == 0  # its teacher's browser too


def test_an_answer_that_is_not_one_of_the_choices_is_refused(db):
    code, _ = ask(db)
    for choice in ("<b>yes</b>", "", "DIVERGES", None):
        assert db.answer(code, "s", choice=choice) == "invalid"
    assert db.answer(code, "s", point=(0.0, 0.0)) == "invalid"  # an outcome question takes a choice
    assert db.answer(code, "x" * 33, choice="stalls") == "invalid"
    where, _ = ask(db, kind="position", epoch=3)
    for point in ((float("nan"), 0.0), (1e300, 0.0), (1.0,), ("a", "b")):
        assert db.answer(where, "s", point=point) == "invalid"
    assert db.count(code) == 0 and db.count(where) == 0


def test_unknown_and_malformed_codes_find_nothing(db):
    assert db.question("AAAAAAAAAAAA") is None
    for bad in (None, "", "short", "'; drop table class_answers; --", "A" * 13):
        assert db.question(bad) is None
        assert db.answer(bad, "s", choice="stalls") == "closed"


def test_answers_survive_a_new_store_on_the_same_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'class.db'}"
    code, key = ask(Store(url))
    Store(url).answer(code, "s1", choice="diverges")
    again = Store(url)  # a restarted server: the schema is there, nothing is created twice
    assert again.count(code) == 1 and again.is_teacher(code, key)


# --- the truth, read from the numbers ---------------------------------------------------------------


@pytest.mark.parametrize("preset, run, expected", [
    ("gd_04", 0, "oscillates"),  # §7.4: η = 0.4 converges, x2 × −0.6 each epoch: it zigzags across at first
    ("momentum_04", 0, "oscillates"),  # its lesson: x2 changes sign 11 times in 20 epochs, swinging across
    ("gd_06", 0, "diverges"),  # η = 0.6 diverges along x2
    ("momentum_06", 0, "oscillates"),  # momentum at η = 0.6 swings across the valley and converges
    ("plateau", 0, "stalls"),  # GD crawls on the plateau
    ("ravine", 0, "oscillates"),  # GD zigzags down the ravine
    ("ravine", 1, "converges"),  # momentum goes along it
])
def test_the_truth_of_a_preset_run_is_its_lesson(preset, run, expected):
    state = PRESETS[preset].apply(AppState())
    assert truth_of(state, "outcome", run, state.epochs)["outcome"] == expected


@pytest.mark.parametrize("lr", [0.3, 0.35, 0.4])
def test_momentum_that_swings_across_the_valley_oscillates_and_the_reveal_says_how_often(lr):
    """Momentum (γ = 0.5) from §7.4's start: x1 goes one way, x2 swings across 0 ten times or more, the first swing
    as wide as half the path's length in x1. The class sees a zigzag: "converges smoothly" (a teacher's reveal at
    η = 0.35) marked the students who said it oscillates wrong. The reveal counts the swings across the minimum, as
    the lesson does: at η = 0.4 its "x2 changes sign 11 times", where counting across the end (x2 = 0.0012) said 10."""
    state = AppState(surface="quadratic", epochs=20, x1=-5.0, x2=-2.0, runs=(Run.of("momentum", lr=lr, momentum=0.5),))
    points = trajectory(state, 0).points
    sign_changes = int((np.diff(np.sign(points[:, 1])) != 0).sum())
    assert sign_changes >= 9 and not (np.diff(np.sign(points[:, 0])) != 0).any()
    truth = truth_of(state, "outcome", 0, 20)
    assert truth["outcome"] == "oscillates" and truth["axis"] == "x2" and truth["crossings"] == sign_changes
    assert f"swung across the minimum {sign_changes} times along x2" in truth_text(truth, "en")
    assert f"来回越过最小值点 {sign_changes} 次" in truth_text(truth, "zh")
    if lr == 0.4:
        assert sign_changes == 11 and "x2 changes sign 11 times" in PRESETS["momentum_04"].lesson("en")


@pytest.mark.parametrize("optimizer, lr, expected", [
    ("gd", 0.5, "stalls"), ("momentum", 0.75, "stalls"),  # on the limit (2/λ; 2(1 + γ)/λ): it swings, no wider
    ("gd", 0.502, "diverges"), ("momentum", 0.76, "diverges"),  # just past it: the swing grows
    ("momentum", 0.7502, "diverges"),  # by 0.01% an epoch: the theory says so, and the page's red message
])
def test_a_run_on_its_stability_limit_stalls_and_one_just_past_it_diverges(optimizer, lr, expected):
    """Momentum on its limit swings out to |x2| = 6, higher than it began, and stays there: it did not diverge,
    as GD on its own limit does not."""
    hyper = {"lr": lr, **({"momentum": 0.5} if optimizer == "momentum" else {})}
    state = AppState(surface="quadratic", epochs=20, x1=-5.0, x2=-2.0, runs=(Run.of(optimizer, **hyper),))
    assert truth_of(state, "outcome", 0, 20)["outcome"] == expected


def test_a_run_that_settles_on_a_saddle_stalls():
    state = AppState(surface="saddle", x1=-4.5, x2=0.0, epochs=50)  # on the ridge: GD goes to the saddle
    truth = truth_of(state, "outcome", 0, 50)
    assert truth["outcome"] == "stalls" and truth["why"] == "pass"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_that_stops_where_a_typed_f_is_undefined_stalls_and_the_reveal_says_it_stopped(lang):
    """The explorer says such a run stopped and did not blow up; the class's truth said 'diverges'."""
    state = AppState(surface="custom", formula="(x1-1)^2+x2^2+log(x1+3)", x1=-1.0, x2=2.0,
                     runs=(Run.of("gd", lr=2.0),))
    assert np.isnan(trajectory(state, 0).points[-1]).all()  # it stopped on its way
    truth = truth_of(state, "outcome", 0, 20)
    assert truth == {"outcome": "stalls", "why": "stopped"}
    assert truth_text(truth, lang) == words(lang, "ask_truth_why", truth=words(lang, "outcome_stalls"),
                                            why=words(lang, "ask_why_stopped"))


def test_the_truth_of_a_position_is_the_runs_point_at_that_epoch():
    state = PRESETS["gd_04"].apply(AppState())
    truth = truth_of(state, "position", 0, 7)
    assert truth["point"] == pytest.approx(trajectory(state, 0).points[7].tolist(), abs=0)
    assert truth_of(PRESETS["gd_06"].apply(AppState()), "position", 0, 20)["point"] is not None
    assert "x1 = " in truth_text(truth, "en") and "，" not in truth_text(truth, "en")


def test_the_truths_words_exist_in_both_languages():
    for preset in ("gd_04", "gd_06", "plateau"):
        truth = truth_of(PRESETS[preset].apply(AppState()), "outcome", 0, 20)
        en, zh = truth_text(truth, "en"), truth_text(truth, "zh")
        assert en != zh and "{" not in en + zh


# --- the link ---------------------------------------------------------------------------------------


def test_a_questions_link_is_its_code_and_the_view_is_the_questions(db):
    state = PRESETS["gd_06"].apply(AppState())
    code, key = ask(db, state)
    # the key is read from a teacher's link and never written to the address bar, which the projector shows
    assert to_query(AppState(ask=code, key=key, lang="zh")) == {"ask": code, "lang": "zh"}
    read, problems = from_query({"ask": code, "key": key})
    assert not problems and (read.ask, read.key) == (code, key)
    assert question_state(db.question(code)).runs == state.runs


def test_a_malformed_code_or_key_in_the_link_is_refused_with_a_reason():
    _, problems = from_query({"ask": "<b>x</b>", "key": "short"})
    assert {p.field for p in problems} == {"ask", "key"} and {p.reason for p in problems} == {"invalid"}


def test_an_exercises_hidden_values_stay_hidden_in_the_question(db):
    state = PRESETS["momentum_06"].apply(AppState())
    code, _ = db.ask("outcome", question_query(state, ("lr",)), 0, 20, truth_of(state, "outcome", 0, 20))
    assert "0.6" not in json.dumps(db.question(code).query)  # packed, as an exercise link packs them
    view = question_state(db.question(code))
    assert view.hide == ("lr",) and view.runs == state.runs


# --- the figures ------------------------------------------------------------------------------------


def test_the_reveal_marks_the_right_bar_and_draws_the_taps_with_the_true_point(db):
    state = PRESETS["gd_04"].apply(AppState())
    code, _ = ask(db, state)
    for i, choice in enumerate(["oscillates", "oscillates", "diverges"]):  # gd_04 zigzags as it converges
        db.answer(code, f"s{i}", choice=choice)
    q = db.question(code)
    bars = go.Figure(answers_figure(q, question_state(q), db.answers(code), "en").to_dict()).data[0]
    assert list(bars.x) == [0, 2, 0, 1] and bars.text[1] == "2 ✓"
    code, _ = ask(db, state, "position", epoch=5)
    rng = np.random.default_rng(0)
    for i in range(8):
        db.answer(code, f"s{i}", point=tuple(rng.normal(size=2)))
    q = db.question(code)
    fig = go.Figure(answers_figure(q, question_state(q), db.answers(code), "zh").to_dict())
    names = [tr.name for tr in fig.data]
    assert "全班点的位置" in names and "最多人点的区域" in names
    star = next(tr for tr in fig.data if tr.name == "第 5 次迭代时的位置")
    assert [star.x[0], star.y[0]] == pytest.approx(q.truth["point"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_settled_run_still_far_from_the_minimum_counts_stalls_right_too(db, lang):
    """The default question, GD at η 0.4: it zigzags, then converges, but crawls along x1 and ends at x1 = −0.943,
    18% of its start's distance from the minimum; a student who answered "stalls (not settled)" was told "not this
    time" for what the printout shows. Both are right now, and the reveal says why; a run at its minimum is not."""
    from optimizers import run
    from surfaces import SURFACES
    from viewmodel.classroom import was_right

    code, _ = ask(db, AppState())
    for i, choice in enumerate(["oscillates", "stalls", "converges"]):
        db.answer(code, f"s{i}", choice=choice)
    q = db.question(code)
    points = run("gd", SURFACES["quadratic"], epochs=20, lr=0.4).points
    remaining = np.hypot(*points[-1]) / np.hypot(*points[0])
    assert q.truth["outcome"] == "oscillates" and q.truth["also"] == "stalls"
    assert q.truth["remaining"] == pytest.approx(remaining) and 0.17 < remaining < 0.18
    assert [was_right(q, c) for c in OUTCOMES] == [c in ("oscillates", "stalls") for c in OUTCOMES]
    text = truth_text(q.truth, lang)
    assert f"{remaining:.0%}" in text and words(lang, "outcome_stalls") in text
    bars = go.Figure(answers_figure(q, question_state(q), db.answers(code), lang).to_dict()).data[0]
    assert [label.endswith("✓") for label in bars.text] == [c in ("oscillates", "stalls") for c in OUTCOMES]
    # momentum at η 0.4 reaches the minimum by epoch 20: only its own outcome is right
    near = truth_of(PRESETS["momentum_04"].apply(AppState()), "outcome", 0, 20)
    assert "also" not in near and words(lang, "outcome_stalls") not in truth_text(near, lang)


# --- the pages, through AppTest -----------------------------------------------------------------------

APP = os.path.join(ROOT, "app.py")


def app(query: dict, browser: AppTest | None = None) -> AppTest:
    """The app at `query`, with the explorer's "Make an exercise" and "Ask the class" panels and a teacher's "Your link
    for another browser" opened (each is drawn only while open); in the same browser as the page `browser` (a reload,
    a second tab), or a new one."""
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.session_state["exercise_open"] = at.session_state["ask_open"] = at.session_state["ask_link_open"] = True
    if browser is not None:  # the word that ui/classroom.py derives from the browser's cookie
        at.session_state[SESSION] = browser.session_state[SESSION]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_teacher_asks_students_answer_and_the_reveal_shows_the_truth_on_both_sides(lang):
    teacher = app({"lr": "0.6", "lang": lang})
    teacher.button(key="ask_button").click().run()
    assert not teacher.exception
    s = teacher.session_state["state"]
    assert s.ask and s.key and dict(teacher.query_params) == {"ask": s.ask, **({"lang": lang} if lang != "en" else {})}
    assert teacher.metric[0].value == "0" and teacher.toggle(key="present")  # the teacher's may present
    # the projector names the choices the phones offer (a teacher's trial: the class saw only "What will run 1 do?")
    offered = [words(lang, "outcome_" + k) for k in OUTCOMES]
    assert any(all(choice in e.value for choice in offered) for e in teacher.markdown)
    students = [app({"ask": s.ask, "lang": lang}) for _ in range(3)]
    for student, choice in zip(students, ["diverges", "diverges", "stalls"]):
        assert not student.metric and not [b for b in student.button if b.key == "ask_reveal"]  # no answers shown
        assert not [w for w in student.toggle if w.key == "present"]  # nothing for a student's phone to project
        student.button(key="ask_send").click().run()  # nothing picked: nothing sent
        assert student.warning and not student.success
        student.radio[0].set_value(choice)  # sent with its button
        student.button(key="ask_send").click().run()
        assert len(student.success) == 1  # "answer recorded"
    teacher.run()
    assert teacher.metric[0].value == "3"
    teacher.button(key="ask_reveal").click().run()
    right = "diverges" if lang == "en" else "发散"
    assert right in teacher.success[0].value
    for student in students:
        student.run()
        assert right in student.success[0].value and student.info  # the truth, and their own answer
    teacher.button(key="ask_close").click().run()
    back = teacher.session_state["state"]
    assert back.ask is None and back.runs[0].values["lr"] == 0.6 and teacher.button(key="ask_button")


def test_a_tampered_key_shows_a_students_page():
    teacher = app({"lr": "0.6"})
    teacher.button(key="ask_button").click().run()
    s = teacher.session_state["state"]
    wrong = s.key[:-2] + ("AA" if not s.key.endswith("AA") else "BB")
    other = app({"ask": s.ask, "key": wrong})
    assert not other.metric and not [b for b in other.button if b.key == "ask_reveal"]
    assert other.radio  # a student's page: the question to answer


def test_a_question_that_is_gone_says_so_and_leads_back():
    at = app({"ask": "AAAAAAAAAAAA", "lang": "zh"})
    assert "24 小时" in at.warning[0].value
    at.button[0].click().run()
    assert at.session_state["state"].ask is None and not at.exception


def test_an_exercises_question_hides_its_values_from_the_students():
    teacher = app({"preset": "momentum_06"})
    teacher.multiselect(key="exercise_hide.en").set_value(["lr1"]).run()
    teacher.button(key="ask_button").click().run()
    student = app({"ask": teacher.session_state["state"].ask})
    shown = " ".join(str(m.value) for m in student.markdown)
    assert "η=?" in shown and "0.6" not in shown


def test_the_reveal_shows_the_hidden_values_and_the_runs_whole_path_on_both_sides():
    """Before the reveal the class sees "η=?" and the start; after it, teacher and student see η = 0.6 and the
    run's whole path (the outcome to see happen), beside the bars of the answers."""
    teacher = app({"preset": "momentum_06"})
    teacher.multiselect(key="exercise_hide.en").set_value(["lr1"]).run()
    teacher.button(key="ask_button").click().run()
    student = app({"ask": teacher.session_state["state"].ask})
    assert not [c for c in student.get("plotly_chart") if "ask_path" in c.proto.id]
    teacher.button(key="ask_reveal").click().run()
    student.run()
    for page in (teacher, student):
        shown = " ".join(str(m.value) for m in page.markdown)
        assert "η=0.6" in shown and "η=?" not in shown
        path, = [c for c in page.get("plotly_chart") if "ask_path" in c.proto.id]
        trace, = [d for d in json.loads(path.proto.spec)["data"] if d.get("mode") == "lines+markers"]
        x = trace["x"]  # Plotly's typed array: base64 of little-endian floats
        assert len(np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"])) == 21  # epochs 0 to 20


def test_a_browsers_word_is_its_xsrf_token_whatever_the_mask():
    from ui.classroom import browser_token

    first = browser_token("2|ec73b946|475e963d7126ab26fdcc78f864ae61ea|1796208676")
    again = browser_token("2|a058fd2d|0b75d2563d0def4db1e73c9328852581|1796208676")  # the next page load
    assert first == again == "ab2d2f7b9d55126011bfc1be88ddd8ac"
    for bad in (None, "", "1|x", "2|zz|yy|1", "2||ab|1"):
        assert browser_token(bad) is None


def test_the_question_being_made_outlives_a_folded_panel_and_a_switch_of_language():
    """The teacher picks a run, a kind and an epoch, folds the panel and opens it again, then switches language:
    the same question, and the exercise made above it too, is still there to ask."""
    teacher = app({"optimizer": "gd", "lr": "0.4", "optimizer2": "momentum", "epochs": "30"})
    teacher.multiselect(key="exercise_hide.en").set_value(["lr2"]).run()
    teacher.selectbox(key="ask_run.en").set_value(1).run()
    teacher.radio(key="ask_kind.en").set_value("position").run()
    teacher.number_input(key="ask_epoch.30.en").set_value(7).run()
    teacher.session_state["ask_open.en"] = teacher.session_state["exercise_open.en"] = False
    teacher.run()
    assert not [r for r in teacher.radio if r.key == "ask_kind.en"]  # folded: not drawn
    assert not [m for m in teacher.multiselect if m.key == "exercise_hide.en"]
    teacher.session_state["ask_open.en"] = teacher.session_state["exercise_open.en"] = True
    teacher.run()
    assert teacher.multiselect(key="exercise_hide.en").value == ["lr2"]
    asked = ("position", 1, 7)
    assert (teacher.radio(key="ask_kind.en").value, teacher.selectbox(key="ask_run.en").value,
            teacher.number_input(key="ask_epoch.30.en").value) == asked
    teacher.selectbox(key="lang").set_value("zh").run()
    assert not teacher.exception
    assert (teacher.radio(key="ask_kind.zh").value, teacher.selectbox(key="ask_run.zh").value,
            teacher.number_input(key="ask_epoch.30.zh").value) == asked
    assert teacher.multiselect(key="exercise_hide.zh").value == ["lr2"]
    teacher.button(key="ask_button").click().run()
    from ui.classroom import store

    question = store().question(teacher.session_state["state"].ask)
    assert (question.kind, question.run, question.epoch) == asked
    assert from_query(question.query)[0].hide == ("lr2",)  # the exercise's η of run 2 stays hidden


def test_a_presenting_teachers_question_keeps_the_projectors_layout_on_reload():
    teacher = app({"lr": "0.6", "view": "present", "lang": "zh"})
    teacher.button(key="ask_button").click().run()
    s = teacher.session_state["state"]
    assert dict(teacher.query_params) == {"ask": s.ask, "lang": "zh", "view": "present"}  # no key on the projector
    reloaded = app(dict(teacher.query_params), browser=teacher)
    assert reloaded.session_state["state"].presenting and reloaded.metric  # the teacher's page, presenting
    assert reloaded.toggle(key="present").value  # with its way out of the projector's layout (it needed the key)
    assert from_query(dict(teacher.query_params))[0] == replace(AppState(), ask=s.ask, lang="zh", view="present")
    photographed = app(dict(teacher.query_params))  # the projected address, in a student's browser
    assert not photographed.metric and not [b for b in photographed.button if b.key == "ask_reveal"]


def test_the_teachers_link_for_another_device_opens_the_teachers_page_there_and_leaves_no_key_in_its_address():
    teacher = app({"lr": "0.6"})
    teacher.button(key="ask_button").click().run()
    s = teacher.session_state["state"]
    link = teacher.code[-1].value  # in the folded "Your link for another browser"
    assert f"ask={s.ask}" in link and f"key={s.key}" in link
    laptop = app(dict(parse_qsl(urlsplit(link).query)))
    assert laptop.metric and dict(laptop.query_params) == {"ask": s.ask}  # the teacher's page; the key kept inside
    reloaded = app({"ask": s.ask}, browser=laptop)  # and so after a reload, with no key in the address
    assert reloaded.metric and [b for b in reloaded.button if b.key == "ask_reveal"]
    again = reloaded.code[-1].value  # a reloaded page holds no key: it makes another for the next device
    assert f"ask={s.ask}" in again and "key=" in again and f"key={s.key}" not in again
    assert app(dict(parse_qsl(urlsplit(again).query))).metric


def test_the_apps_answer_stays_folded_until_the_teacher_shows_it():
    """On a projector the class sees the panel: the app's answer is not said before the question is asked, unless
    the teacher asks to see it; shown, it stays shown in the other language."""
    teacher = app({"lr": "0.6"})
    assert not [c for c in teacher.caption if "The app's answer" in c.value]
    teacher.toggle(key="ask_show_truth.en").set_value(True).run()
    assert [c for c in teacher.caption if "The app's answer" in c.value and "diverges" in c.value]
    teacher.selectbox(key="lang").set_value("zh").run()
    assert teacher.toggle(key="ask_show_truth.zh").value
    assert [c for c in teacher.caption if "应用的答案" in c.value and "发散" in c.value]


def test_a_students_pick_outlives_a_switch_of_language_before_it_is_sent():
    teacher = app({"lr": "0.6"})
    teacher.button(key="ask_button").click().run()
    student = app({"ask": teacher.session_state["state"].ask})
    student.radio[0].set_value("diverges").run()
    student.selectbox(key="lang").set_value("zh").run()
    assert not student.exception and student.radio[0].value == "diverges"
    assert "发散" in student.radio[0].options
    student.button(key="ask_send").click().run()
    assert len(student.success) == 1


def test_a_remembered_question_forgets_a_run_that_is_gone():
    teacher = app({"optimizer": "gd", "optimizer2": "momentum"})
    teacher.selectbox(key="ask_run.en").set_value(1).run()
    teacher.multiselect(key="exercise_hide.en").set_value(["lr1", "lr2"]).run()
    teacher.selectbox(key="lang").set_value("zh").run()
    state = teacher.session_state["state"]
    teacher.session_state["state"] = state.changed(runs=state.runs[:1])
    teacher.selectbox(key="lang").set_value("en").run()
    assert not teacher.exception
    assert teacher.multiselect(key="exercise_hide.en").value == ["lr1"]
    assert not [s for s in teacher.selectbox if s.key == "ask_run.en"]  # one run: nothing to choose


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_position_off_the_plot_cannot_be_asked_and_the_teacher_is_told_why(lang):
    """GD at η = 0.6 swings x2 by ×(−1.4) an epoch from −2: 2.8 at epoch 1, inside the plot's ±3; −3.92 at epoch 2,
    where no student's tap can be (the class taps on the plot)."""
    teacher = app({"optimizer": "gd", "lr": "0.6", "lang": lang})
    teacher.radio(key=f"ask_kind.{lang}").set_value("position").run()
    box = teacher.number_input(key=f"ask_epoch.20.{lang}")
    # the epoch offered first is the last one up to 5 that the class can tap (5 was refused as soon as it showed)
    assert box.value == 1 and not teacher.warning and not teacher.button(key="ask_button").disabled
    steady = app({"optimizer": "gd", "lr": "0.1", "lang": lang})  # a run that stays on the plot: epoch 5
    steady.radio(key=f"ask_kind.{lang}").set_value("position").run()
    assert steady.number_input(key=f"ask_epoch.20.{lang}").value == 5
    teacher.number_input(key=f"ask_epoch.20.{lang}").set_value(2).run()
    assert [w.value for w in teacher.warning] == [words(lang, "ask_off_plot", n=1, epoch=2)]
    assert teacher.button(key="ask_button").disabled  # AppTest, as a browser, cannot press it
    teacher.number_input(key=f"ask_epoch.20.{lang}").set_value(0).run()  # past the epochs: held to them, and said
    assert teacher.number_input(key=f"ask_epoch.20.{lang}").value == 1  # in the page's language (Streamlit's own
    assert [w.value for w in teacher.warning] == [  # box's min and max: red words in English)
        words(lang, "number_clamped", name=words(lang, "ask_epoch"), value="0", low="1", high="20", used="1")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_student_without_a_pointer_types_where_the_run_will_be(lang):
    """The tapping question by keyboard or screen reader: two boxes, the plot's range; the point typed is the
    answer sent, ringed on the chart as a tap is."""
    teacher = app({"preset": "momentum_06", "lang": lang})
    teacher.radio(key=f"ask_kind.{lang}").set_value("position").run()
    teacher.button(key="ask_button").click().run()
    code = teacher.session_state["state"].ask
    student = app({"ask": code, "lang": lang})
    send = student.button(key="ask_send")
    assert send.disabled  # nothing tapped or typed yet, and the page says why Send is grey (a trial found no word)
    no_point = words(lang, "ask_no_point", first="x1", second="x2")
    assert no_point in [c.value for c in student.caption]
    x1, x2 = (student.number_input(key=f"ask_tap.{code}.{name}") for name in ("x1", "x2"))
    (a, b), (c, d) = surface_of(teacher.session_state["state"]).bounds
    assert (x1.value, x2.value) == (None, None)
    x1.set_value(b + 100).run()  # past the plot's range: held to it, and said in the page's language
    assert student.number_input(key=f"ask_tap.{code}.x1").value == b
    assert [w.value for w in student.warning] == [words(lang, "number_clamped", name="x1", value=f"{b + 100:g}",
                                                       low=f"{a:g}", high=f"{b:g}", used=f"{b:g}")]
    student.number_input(key=f"ask_tap.{code}.x1").set_value(a - 1)  # both boxes past the plot before one run:
    student.number_input(key=f"ask_tap.{code}.x2").set_value(d + 1).run()  # both said (only the last one was)
    assert [w.value for w in student.warning] == [
        words(lang, "number_clamped", name=name, value=f"{v:g}", low=f"{lo:g}", high=f"{hi:g}", used=f"{u:g}")
        for name, v, lo, hi, u in (("x1", a - 1, a, b, a), ("x2", d + 1, c, d, d))]
    # emptied again, or -1e400 typed (no number reaches the server): Send went grey without a word
    student.number_input(key=f"ask_tap.{code}.x2").set_value(None)
    student.number_input(key=f"ask_tap.{code}.x1").set_value(-1.25).run()
    assert student.button(key="ask_send").disabled  # one coordinate is not a point
    assert no_point in [c.value for c in student.caption]
    assert [w.value for w in student.warning] == [words(lang, "number_none", name="x2", low=f"{c:g}", high=f"{d:g}")]
    student.number_input(key=f"ask_tap.{code}.x2").set_value(0.5).run()
    assert student.session_state["class_tap"] == [-1.25, 0.5]  # the chart rings it
    assert no_point not in [c.value for c in student.caption]
    student.button(key="ask_send").click().run()
    assert len(student.success) == 1 and not student.exception
    teacher.run()
    assert teacher.metric[0].value == "1"
    teacher.button(key="ask_reveal").click().run()
    student.run()
    mine = " ".join(i.value for i in student.info)
    assert "x1 = -1.25" in mine and "x2 = 0.5" in mine, mine  # the answer sent is the point typed
    (a, b), (c, d) = surface_of(teacher.session_state["state"]).bounds  # and what "right" means, said
    within = words(lang, "ask_within", radius=f"{0.1 * max(b - a, d - c):.3g}")
    assert within in [c.value for c in student.caption] and within in [c.value for c in teacher.caption]



def test_a_tapped_point_is_sent_and_drawn_as_the_students_own_at_the_reveal():
    """The chart's tap (ui/chart.py clicked_point, a tuple) was kept as it came: sent and checked, but the reveal drew
    only a list as the student's own point (a review)."""
    def tap():  # the component's click and its callback, as a tap on the chart makes them
        from types import SimpleNamespace

        import streamlit as st

        from ui.state import AppState
        from views import question

        st.session_state[question.TAP] = {"click": {"x": -1.25, "y": 0.5}}
        question._tap(SimpleNamespace(code="C"), AppState())

    tapped = AppTest.from_function(tap).run()
    point = tapped.session_state[PENDING]
    assert point == [-1.25, 0.5] and tapped.session_state["ask_tap.C.x1"] == -1.25

    teacher = app({"preset": "momentum_06"})
    teacher.radio(key="ask_kind.en").set_value("position").run()
    teacher.button(key="ask_button").click().run()
    student = app({"ask": teacher.session_state["state"].ask})
    student.session_state[PENDING] = point
    student.run()
    student.button(key="ask_send").click().run()
    teacher.run()
    teacher.button(key="ask_reveal").click().run()
    student.run()
    figures = [json.loads(chart.proto.spec) for chart in student.get("plotly_chart")]
    names = [trace.get("name") for figure in figures for trace in figure["data"]]
    assert words("en", "ask_mine") in names, names


def test_the_classs_taps_are_drawn_over_the_true_point_not_under_it():
    """A trial: a student's tap at (-1.4, -0.7), the truth (-1.368, -0.694), lay hidden under the truth's star."""
    from figures.classroom import tap_figure

    names = dict(density="density", taps="taps", path="path", truth="truth", mine="mine", start="start")
    taps = [(-1.4, -0.7), (0.5, 0.5), (1, 1), (2, 2), (-2, 1), (3, -1)]
    data = tap_figure([], ((-5, 5), (-5, 5)), (-5, -2), taps=taps, path=[(-5, -2), (-1.368, -0.694)],
                      truth=(-1.368, -0.694), words=names).to_dict()["data"]
    order = [trace.get("name") for trace in data]
    assert order.index("density") < order.index("path") < order.index("truth") < order.index("taps")
    # a tap held to the plot's edge (2.5 typed past it) is drawn whole, not cut in half by the plot's border (a trial)
    assert next(trace for trace in data if trace.get("name") == "taps")["cliponaxis"] is False
