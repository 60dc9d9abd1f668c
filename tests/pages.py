"""One page of the app on its own under AppTest (AppTest.switch_page only knows file pages)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

SCRIPT = """
from ui import session
from views import {page}

session.begin()
state = session.sidebar("{page}")
session.show_link_problems(state.lang)
session.reveal_button(state.lang)
{page}.render()
session.finish()
"""


# the explorer's panels that are drawn only while open (their expanders' keys)
PANELS = ("export_open", "exercise_open", "ask_open", "loss_open", "eigen_open")


def page_test(page: str, query: dict | None = None, timeout: float = 120, opened: tuple[str, ...] = ()) -> AppTest:
    """An AppTest of views/<page>.py with the sidebar, for the given query string (not yet run); `opened`: the
    keys of the panels (expanders drawn only while open) that the user has opened."""
    at = AppTest.from_string(SCRIPT.format(page=page), default_timeout=timeout)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    for key in opened:
        at.session_state[key] = True
    return at


def open_page(page: str, query: dict | None = None, opened: tuple[str, ...] = ()) -> AppTest:
    at = page_test(page, query, opened=opened)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def printed(at) -> list[str]:
    """Each run's printed line on the page (a code span in the block printed<i>), in order."""
    found = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if str(getattr(child, "key", "") or "").startswith("printed"):
                found.append(child.markdown[0].value.strip("`"))
            else:
                walk(child)

    walk(at.main)
    return found


def charts(at: AppTest) -> dict[str, dict]:
    """What each chart component (ui/chart.py) on the page was given, by key: its figure (without
    the contour's traces, which go apart), its controls' words and options."""
    given = (component_data(element.proto) for element in at.get("bidi_component"))
    return {data["key"]: data for data in given if "figure" in data}


def component_data(proto, **json_options) -> dict:
    """What a component element was given: JSON bytes (ui/browser.py packed) or, for Streamlit's own, JSON."""
    return json.loads(proto.bytes or proto.json or "{}", **json_options)


def chart(at: AppTest, key: str = "contour") -> dict:
    """What the chart component `key` was given (see charts)."""
    try:
        return charts(at)[key]
    except KeyError:
        raise LookupError(f"no chart {key!r} on the page") from None


def covering_pairs(first, second) -> list[tuple]:
    """Pairs in which every item of `first` and every item of `second` appears at least once: a page
    shown for each of these meets every optimizer and every surface (their every combination is
    tested on the core, without the page)."""
    first, second = list(first), list(second)
    return [(first[i % len(first)], second[i % len(second)]) for i in range(max(len(first), len(second)))]
