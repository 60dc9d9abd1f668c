"""A value from the link is text wherever a page shows it: every field of the link, on every page,
with markdown, HTML and newline payloads, renders as text, never as a link, an image or a heading.

The fields come from the app's own declarations (ui/state.py): the state's settings, and the runs'
fields (`optimizer`, every hyperparameter, its `_schedule` and the schedule's parameters) with the
suffixes of runs 2-4 and the network page's prefix. A hyperparameter is read only when the run's
optimizer has it, and a schedule's parameter only when the link names that schedule, so each payload
goes out in a few links whose runs are chosen to read every run field at every suffix. What the page
shows is rendered as CommonMark with raw HTML escaped and bare addresses linked, as the browser's
markdown (GitHub-flavoured, without HTML) does."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from tests.pages import page_test
from ui.i18n import t
from ui.session import as_text
from ui.link import NET, run_fields
from ui.state import MAX_RUNS, OPTIMIZERS, SETTINGS, schedule_kinds, schedule_params, suffix

PAGES = ["explorer", "stability", "basins", "race", "network"]
PAYLOADS = {
    "link": "\n\n**[Log in again](http://127.0.0.1:9/a)**",
    "image": "\n\n![i](http://127.0.0.1:9/p.png)",
    "heading": "\n\n# Heading",
    "setext": "Heading\n===\n",
    "img_html": "<img src=http://127.0.0.1:9/x.png>",
    "a_html": "<a href=http://127.0.0.1:9/>x</a>",
    "backticks": "`` ` ``[Log in again](http://127.0.0.1:9/b)`",
    "autolink": "<http://127.0.0.1:9/auto>",
    "bare": "http://127.0.0.1:9/bare www.127.0.0.1.example",
    "formula_www": "x1*www.evil.example",  # a formula's refusal quotes its part
    "controls": "a\tb\r# Heading\u2028\u202e\x00",  # a lone \r ends a line too
}
# what a payload must not become outside a code span
SAID = ("127.0.0.1", "Log in again", "Heading", "evil.example")
# Streamlit's markdown: no raw HTML, GitHub's bare-address links
MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")


def run_contexts() -> list[tuple[str, dict]]:
    """Runs (optimizer, {hyperparameter: schedule kind, or None for the payload}) in which, together,
    every run field is read with the payload: found greedily from the registry."""
    candidates = []
    for name, spec in OPTIMIZERS.items():
        scheduled = [p for p in spec.hyperparameters if schedule_kinds(p)]
        candidates.append((name, {p.name: None for p in scheduled}))
        for k in range(1, max((len(schedule_kinds(p)) for p in scheduled), default=1)):
            candidates.append((name, {p.name: schedule_kinds(p)[k % len(schedule_kinds(p))] for p in scheduled}))
    wanted, chosen = run_fields(), []
    while wanted:
        best = max(candidates, key=lambda c: len(read_in(c) & wanted))
        assert read_in(best) & wanted, f"no run reads {sorted(wanted)}"
        chosen.append(best)
        wanted -= read_in(best)
    return chosen


def read_in(context: tuple[str, dict]) -> set[str]:
    """The run fields (without prefix and suffix) that a run of `context` reads."""
    name, kinds = context
    fields = set()
    for p in OPTIMIZERS[name].hyperparameters:
        fields.add(p.name)
        if p.name in kinds:
            kind = kinds[p.name]
            fields |= {p.name + "_schedule"} if kind is None else {p.name + "_" + q.name
                                                                   for q in schedule_params(p, kind)}
    return fields


def run_link(context: tuple[str, dict], prefix: str, end: str, payload: str) -> tuple[dict, set[str]]:
    """One run's fields in a link, each read field at `payload`, and the fields that take it."""
    name, kinds = context
    query = {prefix + "optimizer" + end: name}
    for field in read_in(context):
        query[prefix + field + end] = payload
    for p, kind in kinds.items():
        if kind is not None:
            query[prefix + p + "_schedule" + end] = kind
    return query, set(query) - {prefix + "optimizer" + end} - {prefix + p + "_schedule" + end
                                                                for p, kind in kinds.items() if kind}


def links(payload: str, lang: str | None = None) -> list[tuple[dict, set[str]]]:
    """Links that together give `payload` to every field of the link, each with the fields that read it:
    the settings and the runs' optimizers in the first, then the runs' fields, each context at every
    suffix. `lang`: the page's language, instead of the payload."""
    settings = {f.name: payload for f in SETTINGS}
    if lang:
        settings["lang"] = lang
    result = [({**settings, **{prefix + "optimizer" + suffix(i): payload for prefix in ("", NET)
                               for i in range(MAX_RUNS)}}, set(settings) | {
        prefix + "optimizer" + suffix(i) for prefix in ("", NET) for i in range(MAX_RUNS)})]
    contexts = run_contexts()
    for j in range(max(len(contexts), MAX_RUNS)):
        query, read = dict(settings), set(settings)
        for prefix in ("", NET):
            for i in range(MAX_RUNS):
                q, r = run_link(contexts[(i + j) % len(contexts)], prefix, suffix(i), payload)
                query.update(q)
                read |= r
        result.append((query, read))
    if lang:
        for _, read in result:
            read.discard("lang")
    return result


def every_field() -> set[str]:
    runs = {"optimizer", *run_fields()}
    return {f.name for f in SETTINGS} | {prefix + f + suffix(i) for prefix in ("", NET) for f in runs
                                         for i in range(MAX_RUNS)}


def test_the_links_give_every_field_of_the_declarations_a_payload():
    read = set().union(*(r for _, r in links("x")))
    assert read == every_field()
    assert len(read) > 200  # the settings, and the runs' fields at four suffixes with and without net_


_COMPONENTS = []  # Streamlit's registry of installed components, found by the first run


def run_page(page: str, query: dict):
    """The page for `query`, run once. Every run shares the first run's component registry: finding the
    installed components again (all packages' metadata) would be most of each run's time."""
    at = page_test(page, query)
    if _COMPONENTS and hasattr(at, "_bidi_component_manager"):
        at._bidi_component_manager = _COMPONENTS[0]
    at.run()
    if not _COMPONENTS and getattr(at, "_bidi_component_manager", None) is not None:
        _COMPONENTS.append(at._bidi_component_manager)
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at) -> list[str]:
    """Every text of the page that is rendered as markdown."""
    return [e.value for kind in ("markdown", "caption", "warning", "info", "error", "success", "title", "header",
                                 "subheader") for e in getattr(at, kind)]


def outside_code(html: str) -> str:
    return re.sub(r"<code>.*?</code>", "", html, flags=re.S)


def check_text(texts: list[str]) -> None:
    for text in texts:
        html = MARKDOWN.render(text)
        for tag in re.findall(r"<(?:a|img|h[1-6])\b[^>]*>(?:.*?</(?:a|h[1-6])>)?", html, flags=re.S):
            assert not any(s in tag for s in SAID), (text, html)
        assert "<img" not in html and "<a href=\"http://127" not in html, (text, html)
        assert not any(s in outside_code(html) for s in SAID), (text, html)


def check_warned(at, read: set[str], lang: str) -> None:
    """Every field that read the payload is named in a warning (the test is not empty)."""
    warnings = [w.value for w in at.warning]
    formula = t(lang, "url_formula", value="\0", valid="").split("\0")[0]
    missing = [f for f in sorted(read) if not any(f"`{f}=" in w or (f == "formula" and w.startswith(formula))
                                                  for w in warnings)]
    assert not missing, (missing, warnings)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("page", PAGES)
def test_every_link_field_with_markup_renders_as_text(page, payload):
    for query, read in links(payload):
        at = run_page(page, query)
        check_text(shown(at))
        check_warned(at, read, "en")


@pytest.mark.parametrize("page", PAGES)
def test_the_chinese_page_shows_link_values_as_text_too(page):
    for query, read in links(PAYLOADS["link"], lang="zh"):
        at = run_page(page, query)
        check_text(shown(at))
        check_warned(at, read, "zh")


@pytest.mark.parametrize("value, text", [
    ("\n\n**[Log in again](http://127.0.0.1:9/a)**", "\\n\\n**[Log in again](http://127.0.0.1:9/"),
    ("a`b", "aˋb"),
    ("\t\r\u2028\u202e\x00", "\\t\\r\\u2028\\u202e\\u0000"),
    ("x" * 50, "x" * 40),
    ("\n" * 30, "\\n" * 20),
    ("x" + "\n" * 30, "x" + "\\n" * 19),  # never half of one
    ("零一 中文", "零一 中文"),
])
def test_a_link_value_is_one_line_of_text_for_a_code_span(value, text):
    assert as_text(value) == text
