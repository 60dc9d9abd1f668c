"""The app's pages, built once per run so that pages can switch to each other."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

from . import explorer, network, stability

_pages: dict[str, st.Page] = {}


def build(lang: str) -> list[st.Page]:
    _pages.clear()
    _pages["explorer"] = st.Page(explorer.render, title=t(lang, "page_explorer"), icon=":material/explore:",
                                 url_path="explorer", default=True)
    _pages["stability"] = st.Page(stability.render, title=t(lang, "page_stability"), icon=":material/grid_on:",
                                  url_path="stability")
    _pages["network"] = st.Page(network.render, title=t(lang, "page_network"), icon=":material/hub:",
                                url_path="network")
    return list(_pages.values())


def page(name: str) -> st.Page:
    return _pages[name]


def name_of(page: st.Page) -> str:
    """The name under which `page` (st.navigation's choice) was built."""
    return next((name for name, p in _pages.items() if p is page), "explorer")
