"""Optimizer trajectory explorer: page navigation and the shared sidebar.

    streamlit run app.py
"""

import streamlit as st

from ui import session
from views import navigation

st.set_page_config(page_title="Optimizer trajectory explorer", page_icon="⛰️", layout="wide")

state = session.begin()
session.page_style(state)
asking = bool(state.ask)  # a question to the class: its page alone
page = st.navigation(navigation.build(state.lang, asking), position="hidden" if asking else "sidebar")
state = session.sidebar(navigation.name_of(page))
session.show_link_problems(state.lang)
session.reveal_button(state.lang)
session.close_sidebar_on_phone()
page.run()
navigation.follow_requests()

session.finish()
