"""Each page speaks one language: no English word in the Chinese page's visible text
(other than formulas and the textbook's printed line), and no Chinese in the English page.

The pages run under AppTest; every element's text is read (titles, markdown, captions,
alerts, code, widget labels, options as displayed, help, expander labels, the words of
LaTeX, and the figures' titles, legends, hover texts and buttons)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from classroom.store import Store, database_url
from optimizers import OPTIMIZERS
from surfaces import SURFACES
from surfaces.formula import FUNCTIONS
from surfaces.regression import regression_surface
from tests.pages import PANELS, component_data, open_page, page_test
from ui.browser import PLOTLY_JS
from ui.chart import PLOTLY_WORDS, in_language
from ui.i18n import EN, TABLES, t
from ui.labels import (axis_names, hyper_label, hyper_short, hyper_symbol, optimizer_name, optimizer_note,
                       rule_latex, schedule_name, schedule_param_label, surface_name)
from ui.presets import PRESETS
from ui.state import CUSTOM, schedule_kinds, schedule_params, surface_keys

# Latin words a Chinese page may show, each because a Chinese text writes it so
ALLOWED = {
    *FUNCTIONS, "pi",  # the formula language the user types (sin, log, …), shown in the formula help
    "PyTorch",  # a library's name, as the seeds write it
    "arXiv",  # where a paper a lesson cites is found: arXiv:1711.05101
    "MSE",  # the seeds' own abbreviation of the mean squared error
    "CSV", "HTML", "PNG",  # file formats, named so in Chinese too
}
PRINTED_LINE = re.compile(r"\bepoch \d+,")  # the textbook's printed line: `epoch N, x1 …, x2 …`
SUBSCRIPTS = re.compile(r"λ(max|min)")  # λmax, λmin: symbols of a formula
TOKEN = re.compile(r"[A-Za-z0-9]+")
# proper names that the registries' own Chinese names keep (AdaGrad 算法, Beale 函数, Nesterov 动量法), as the
# Chinese textbook writes them: a new entry's Chinese name says which of its words stay Latin
ALLOWED |= {word for entry in (*OPTIMIZERS.values(), *SURFACES.values())
            for word in TOKEN.findall(entry.words.get("zh", {}).get("name", ""))}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# ASCII punctuation before or after a Chinese character (a comma or colon also across a space): Chinese
# text uses ：，（）；、 (a bracket after a space may open a formula's tuple: "初始点 (0, 1)")
HALF_WIDTH = re.compile(r"[\u3400-\u9fff][,:;()?!]|[,:;?!] ?[\u3400-\u9fff]|[()][\u3400-\u9fff]")
INLINE_MATH = re.compile(r"\$[^$\n]+\$")
LATEX_WORDS = re.compile(r"\\(?:text|mathrm|textrm|operatorname|mbox)\{([^{}]*)\}")
HTML_TAG = re.compile(r"<[^>]*>")
# the element types whose text `visible_text` reads; any other type fails the test until it is read too
LINK = re.compile(r"(https?://|/\?)\S*$")
TEXT_FIELDS = ("body", "label", "help", "placeholder", "code_text")
KNOWN = {"title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error", "success", "code",
         "latex", "selectbox", "select_slider", "slider", "number_input", "text_input", "checkbox", "toggle", "button",
         "download_button", "plotly_chart", "empty", "bidi_component", "multiselect", "radio",
         "metric", "html", "image"}  # empty: a cleared progress bar


def figure_text(spec: str) -> list[str]:
    """What a reader of a Plotly figure sees: titles, legend entries, hover texts, annotations, buttons."""
    fig = json.loads(spec)
    texts = []

    def titles(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key == "title":  # Plotly's tags (<br>, <sub>) are markup, not words
                    texts.append(HTML_TAG.sub(" ", value.get("text", "") if isinstance(value, dict) else str(value)))
                elif key in ("label", "prefix") and isinstance(value, str):
                    texts.append(value.replace("<br>", " "))  # Plotly's line break
                elif key == "annotations":
                    texts.extend(a.get("text", "") for a in value)
                else:
                    titles(value)
        elif isinstance(obj, list):
            for item in obj:
                titles(item)

    titles(fig.get("layout", {}))
    for trace in fig.get("data", []):
        if trace.get("showlegend", trace.get("type") == "scatter"):
            texts.append(trace.get("name", ""))
        if "hovertemplate" in trace:
            texts.append(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>|<br>", " ", trace["hovertemplate"]))
        titles(trace.get("colorbar", {}))
    return texts


def visible_text(at) -> list[str]:
    """Every text of the page, with LaTeX reduced to its words (the rest is formula)."""
    texts = []

    def walk(node):
        children = getattr(node, "children", None)
        if children is not None:  # a block: an expander or a tab has a label
            if isinstance(getattr(node, "label", None), str):
                texts.append(node.label)
            for child in children.values():
                walk(child)
            return
        kind = node.type
        assert kind in KNOWN, f"the page shows a {kind}: read its text in visible_text"
        proto = node.proto
        if kind == "plotly_chart":
            texts.extend(figure_text(proto.spec))
            return
        if kind == "html":  # the page's style sheet (app.py's session.page_style)
            return
        if kind == "image":  # a QR code: its caption (its title for screen readers is the same words)
            texts.extend(img.caption for img in proto.imgs)
            return
        if kind == "code" and (proto.language == "python" or LINK.match(proto.code_text)):
            return  # the PyTorch snippet, a link: code, in no page language
        if kind == "bidi_component":
            data = component_data(proto)
            texts.extend(data.get("labels", []))  # the drag preview: the legend's labels while a slider is held
            if "figure" in data:  # the chart component: its figure and its controls' words
                texts.extend(figure_text(json.dumps(data["figure"])))
                texts.extend(" ".join(v) if isinstance(v, list) else v for v in data["words"].values())  # axes: a list
            return
        if kind == "selectbox" and proto.label == EN["language"]:
            return  # the language picker names each language in itself, so that either reader finds theirs
        for name in TEXT_FIELDS:
            value = getattr(proto, name, "") if name in proto.DESCRIPTOR.fields_by_name else ""
            if kind == "latex" and name == "body":
                value = " ".join(LATEX_WORDS.findall(value))
            elif kind == "markdown" and name == "body":  # inline formulas ($\eta = 0.4$): only their words
                value = INLINE_MATH.sub(lambda m: " " + " ".join(LATEX_WORDS.findall(m.group(0))) + " ", value)
            texts.append(HTML_TAG.sub(" ", value))
        if "options" in proto.DESCRIPTOR.fields_by_name:
            texts.extend(proto.options)

    walk(at._tree)
    return [text for text in texts if text]


def english_words(text: str) -> list[str]:
    """The Latin words (two letters or more) of `text` that a Chinese page must not show."""
    return [token for token in TOKEN.findall(text)
            if sum(c.isalpha() for c in token) >= 2 and token.rstrip("0123456789") not in ALLOWED]


def wrong_language(lang: str, texts: list[str], echoes=()) -> list[str]:
    """The texts that break `lang`, each with what is wrong (the user's own echoed text excepted)."""
    wrong = []
    for text in texts:
        for echo in echoes:
            text = text.replace(echo, " ")
        text = SUBSCRIPTS.sub(" ", PRINTED_LINE.sub(" ", text))
        if lang == "en":
            found = CJK.findall(text)
        else:
            found = english_words(text) + HALF_WIDTH.findall(text)
        if found:
            wrong.append(f"{found} in {text!r}")
    return sorted(set(wrong))


def visit(page: str, lang: str, query: dict | None = None):
    """`page` in `lang`, with the panels drawn only while open opened: their words are the page's too."""
    return open_page(page, {"lang": lang, **(query or {})}, opened=PANELS)


# --- the pages, in every state a visit can show ----------------------------------------------

def off_default(p) -> str:
    """A valid value of hyperparameter p other than its default, as a link writes it (so that its
    label and its place in the rule are shown)."""
    if p.kind == "bool":
        return "false" if p.default else "true"
    if p.kind == "int":
        return str(int(p.default) + 3)  # a seed, a batch of 13 of the 100 points
    lo, hi = p.slider
    return f"{(lo * hi) ** 0.5 if p.log else (lo + hi) / 2:.3g}"


# every optimizer of the registry, four to a link, with every setting but η, γ, β, ρ off its default
ALL_RUNS = [{key: value for i, name in enumerate(group)
             for key, value in {f"optimizer{i + 1 if i else ''}": name,
                                **{f"{p.name}{i + 1 if i else ''}": off_default(p)
                                   for p in OPTIMIZERS[name].hyperparameters if not p.live}}.items()}
            for group in (list(OPTIMIZERS)[j:j + 4] for j in range(0, len(OPTIMIZERS), 4))]


def test_the_runs_cover_every_optimizer():
    assert {v for q in ALL_RUNS for k, v in q.items() if k.startswith("optimizer")} == set(OPTIMIZERS)


def surfaces_texts(lang):
    for key in surface_keys():
        query = {"surface": key, "optimizer": "momentum", "epochs": "30"}
        if key == CUSTOM:  # undefined where x1 < 0: the page says so
            query |= {"formula": "log(x1) + x2^2", "x1": "2", "x2": "1"}
        yield visible_text(visit("explorer", lang, query))


def optimizers_texts(lang):
    for query in ALL_RUNS:
        for surface in ("quadratic", "regression"):
            yield visible_text(visit("explorer", lang, {**query, "surface": surface}))


TYPED = ["x1 + * x2", "x1.real", "abc + x1", "foo(x1)", "x1 $ 2", "x1 < x2", "0^x1 + x2^2"]


def formula_texts(lang):
    at = visit("explorer", lang, {"surface": "custom", "formula": "x1^2 + x2^2"})
    for text in TYPED:
        at.text_input(key="formula").set_value(text).run()
        assert at.error, text
        yield visible_text(at)
    at = visit("explorer", lang, {"surface": "custom", "formula": "log(x1)"})
    at.number_input(key="bound_x1_max").set_value(-0.5).run()
    assert at.error
    yield visible_text(at)


BAD_LINKS = [{"lr": "fast"}, {"lr": "-1"}, {"epochs": "1e9"}, {"optimizer": "momentum", "bias_correction": "maybe"},
             {"surface": "custom", "bounds": "1,2"}, {"surface": "custom", "formula": "x1 + * x2"},
             {"surface": "custom", "formula": "x" * 201}, {"map_lr_min": "2", "map_lr_max": "1"},
             {"lr_schedule": "step", "lr_decay": "0", "lr_every": "0"}]


def link_texts(lang):
    for query in BAD_LINKS:
        at = visit("explorer", lang, query)
        assert at.warning, query
        yield visible_text(at)


def stability_texts(lang):
    for query in ({}, {"map_optimizer": "gd"}, {"map_optimizer": "adam", "surface": "rosenbrock"}):
        yield visible_text(visit("stability", lang, query))


def basins_texts(lang):
    for query in ({}, {"surface": "pits", "optimizer2": "momentum"}, {"surface": "rastrigin"}):
        yield visible_text(visit("basins", lang, query))


def race_texts(lang):
    for query in ({}, {"surface": "rosenbrock", "epochs": "50"}):
        yield visible_text(visit("race", lang, query))


def view3d_texts(lang):
    yield visible_text(visit("explorer", lang, {"view3d": "1", "optimizer2": "adam"}))
    yield visible_text(visit("explorer", lang, {"vectors": "1", "optimizer": "adagrad", "optimizer2": "momentum"}))


def network_texts(lang):
    at = page_test("network", {"lang": lang, "net_steps": "500"})
    at.run()
    yield visible_text(at)
    at.button(key="net_preset").click().run()
    yield visible_text(at)


def schedule_texts(lang):
    """Every kind of schedule with its controls, formula, chart and readout; on the network page too."""
    for kind in schedule_kinds(OPTIMIZERS["gd"].hyperparameter("lr")):
        yield visible_text(visit("explorer", lang, {"lr_schedule": kind}))
    yield visible_text(visit("explorer", lang, {"optimizer": "momentum", "momentum_schedule": "linear",
                                                "optimizer2": "rmsprop", "gamma_schedule2": "linear",
                                                "optimizer3": "adam", "beta1_schedule3": "linear",
                                                "optimizer4": "adadelta", "rho_schedule4": "linear"}))
    at = page_test("network", {"lang": lang, "net_steps": "300", "net_lr_schedule": "step"})
    at.run()
    yield visible_text(at)


def preset_texts(lang):
    at = visit("explorer", lang)
    for key in PRESETS:
        at.selectbox(key=f"preset_pick.{lang}").set_value(key).run()
        yield visible_text(at)
    at.slider(key="epochs").set_value(7).run()  # changed: the lesson says so
    yield visible_text(at)


def class_texts(lang):
    """Asking the class: the panel, the teacher's and a student's pages, before and after the reveal, for
    both kinds of question."""
    for kind in ("outcome", "position"):
        teacher = visit_app({"lang": lang, "lr": "0.6"})
        teacher.radio(key=f"ask_kind.{lang}").set_value(kind).run()
        yield visible_text(teacher)
        if kind == "position":  # at epoch 5 GD at η = 0.6 is off the plot (the teacher is told so); epoch 1 is offered
            teacher.number_input(key=f"ask_epoch.20.{lang}").set_value(5).run()
            assert teacher.warning
            yield visible_text(teacher)
            teacher.number_input(key=f"ask_epoch.20.{lang}").set_value(1).run()
        teacher.button(key="ask_button").click().run()
        yield visible_text(teacher)
        student = visit_app({"lang": lang, "ask": teacher.session_state["state"].ask})
        yield visible_text(student)
        if kind == "outcome":
            student.button(key="ask_send").click().run()  # nothing picked
            yield visible_text(student)
            student.radio[0].set_value("stalls")
            student.button(key="ask_send").click().run()
            assert student.success
            yield visible_text(student)
        else:  # a tapped point, as the chart would send it
            Store(database_url()).answer(teacher.session_state["state"].ask, "tap", point=(0.5, -0.5))
        teacher.button(key="ask_reveal").click().run()
        yield visible_text(teacher)
        yield visible_text(student.run())
    yield visible_text(visit_app({"lang": lang, "ask": "AAAAAAAAAAAA"}))


def visit_app(query: dict) -> AppTest:
    """The whole app (its navigation opens a question's page), at `query`, its panels opened."""
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.query_params.update(query)
    for key in PANELS:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# what the user typed, echoed back in the messages: their text, not the page's words
ECHOES = [f"`{field}={value[:40]}`" for query in BAD_LINKS for field, value in query.items()] + \
         [f"`{value[:40]}`" for query in BAD_LINKS for value in query.values()] + \
         sorted({quoted for text in TYPED for part in (text, *re.findall(r"\w+|\S", text))
                 for quoted in (repr(part), f"`{part}`")}, key=len, reverse=True)  # quoted, or in a code span

SCENARIOS = {"surfaces": surfaces_texts, "optimizers": optimizers_texts, "typed formulas": formula_texts,
             "bad links": link_texts, "stability map": stability_texts, "basins": basins_texts, "race": race_texts,
             "3d view": view3d_texts,
             "small network": network_texts,
             "schedules": schedule_texts, "presets": preset_texts, "ask the class": class_texts}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_visible_text_is_in_the_page_language(scenario, lang):
    texts = [text for page in SCENARIOS[scenario](lang) for text in page]
    assert len(texts) > 20  # the pages were read
    assert wrong_language(lang, texts, ECHOES) == []


def test_plotlys_own_words_are_handed_to_it_in_chinese_under_the_text_plotly_writes():
    """Plotly looks a word up by its English text: each must be Plotly's own, or Plotly keeps its English."""
    source = PLOTLY_JS.read_text(encoding="utf-8")
    for word in PLOTLY_WORDS:
        assert f'"{t("en", word)}"' in source, word
    dictionary = in_language({"displayModeBar": False}, "zh")["locales"]["zh"]["dictionary"]
    assert dictionary == {t("en", word): t("zh", word) for word in PLOTLY_WORDS}
    assert all(english != chinese for english, chinese in dictionary.items())
    assert in_language({"displayModeBar": False}, "en") == {"displayModeBar": False}


def test_every_registry_word_has_a_chinese_translation():
    """Registry entries carry English; a new one without a translation shows English on the Chinese page."""
    texts = [surface_name("zh", key) for key in surface_keys()]
    texts += [name for surface in (*SURFACES.values(), regression_surface()) for name in axis_names("zh", surface)]
    for key, spec in OPTIMIZERS.items():
        texts += [optimizer_name("zh", key), optimizer_note("zh", key), *LATEX_WORDS.findall(rule_latex("zh", key))]
        for p in spec.hyperparameters:
            short = hyper_short("zh", p) if p.kind != "bool" else ""  # a switch is named by its label
            texts += [hyper_label("zh", p), short, *LATEX_WORDS.findall(hyper_symbol("zh", p))]
            for kind in schedule_kinds(p):
                texts += [schedule_name("zh", kind),
                          *(schedule_param_label("zh", kind, q) for q in schedule_params(p, kind))]
    assert wrong_language("zh", texts) == []


def test_the_checks_catch_what_they_are_for():
    assert wrong_language("zh", ["未应用：syntax error at column 5", "bc = off", "出处: 7.4 节", "seed=3",
                                 "d2l 7.4", "(λmax = 4)", "×0.92, 沿 λ"]) == sorted([
        "['syntax', 'error', 'at', 'column'] in '未应用：syntax error at column 5'", "['bc', 'off'] in 'bc = off'",
        "['处:'] in '出处: 7.4 节'", "['seed'] in 'seed=3'", "['d2l'] in 'd2l 7.4'",
        "[', 沿'] in '×0.92, 沿 λ'"])
    assert wrong_language("zh", ["epoch 20, x1 -0.943467, x2 -0.000073", "log10(f − f*)", "Adam 算法"]) == []
    assert wrong_language("en", ["Run 1", "运行 1", "η（x）"]) == ["['运', '行'] in '运行 1'",
                                                                "['（', '）'] in 'η（x）'"]


def test_both_tables_have_the_same_keys_and_fields():
    en, zh = TABLES["en"], TABLES["zh"]
    for key in en.keys() & zh.keys():
        assert set(re.findall(r"{(\w+)", en[key])) == set(re.findall(r"{(\w+)", zh[key])), key
    # keys only in ZH translate registry entries (whose English is the registry's); none only in EN
    assert sorted(en.keys() - zh.keys()) == []
