"""The app's pages, built once per run so that pages can switch to each other.

Each session keeps its own pages (in its session state): sessions run in threads of one
process, and a module-level table would hand one student's pages to another's run."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.i18n import t

from . import basins, explorer, network, question, race, stability

PAGES = "pages"  # the session-state key of this session's pages
ALIAS = "explorer_link"  # /explorer, which goes to the explorer at /


def build(lang: str, asking: bool = False) -> list[st.Page]:
    """The pages; a question to the class (`asking`) is the only page its link opens."""
    pages = st.session_state[PAGES] = {}
    if asking:
        pages["question"] = st.Page(question.render, title=t(lang, "ask_title"), icon=":material/quiz:",
                                    url_path="ask", default=True)
        return list(pages.values())
    pages["explorer"] = st.Page(explorer.render, title=t(lang, "page_explorer"), icon=":material/explore:",
                                 url_path="home", default=True)  # served at /: its url_path names it only
    # /explorer?…, the path the menu's name suggests, reaches the explorer too (redirect: Streamlit serves a
    # default page only at /, and said "Page not found" there)
    pages[ALIAS] = st.Page(explorer.render, title=t(lang, "page_explorer"), url_path="explorer", visibility="hidden")
    pages["stability"] = st.Page(stability.render, title=t(lang, "page_stability"), icon=":material/grid_on:",
                                  url_path="stability")
    pages["basins"] = st.Page(basins.render, title=t(lang, "page_basins"), icon=":material/water_drop:",
                               url_path="basins")
    pages["race"] = st.Page(race.render, title=t(lang, "page_race"), icon=":material/sports_score:",
                             url_path="race")
    pages["network"] = st.Page(network.render, title=t(lang, "page_network"), icon=":material/hub:",
                                url_path="network")
    return list(pages.values())


def page(name: str) -> st.Page:
    return st.session_state[PAGES][name]


def name_of(page: st.Page) -> str:
    """The name under which `page` (st.navigation's choice) was built in this session."""
    return next((name for name, p in st.session_state[PAGES].items() if p is page), "explorer")


def tab_title(chosen: st.Page, lang: str) -> str:
    """The browser tab's title, in the page's language: the app's name, after the page's on every page but its
    first (a tab, a bookmark and a screen reader's list of windows tell the pages apart)."""
    app = t(lang, "app_title")
    return app if name_of(chosen) in ("explorer", ALIAS) else f"{chosen.title} · {app}"


def redirect(chosen: st.Page) -> None:
    """/explorer?… becomes /?…, the explorer's own address (the rest of this run is not drawn)."""
    if name_of(chosen) == ALIAS:
        st.switch_page(page("explorer"), query_params=st.query_params.to_dict())


def follow_requests() -> None:
    """After a page is drawn: the switch a page asked for (it opens the explorer, with the view it set)."""
    if session.explorer_asked():
        st.switch_page(page("explorer"), query_params=session.link())
