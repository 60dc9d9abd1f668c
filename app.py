"""Optimizer trajectory explorer: page navigation and the shared sidebar.

    streamlit run app.py
"""

import sys

import streamlit as st

from ui import session
from views import navigation

# Each element the script sends wakes the server's event loop, which then holds the GIL until Python's
# switch interval (5 ms) makes it let go: about 70 elements a run waited 0.1-0.25 s in all. 0.5 ms.
sys.setswitchinterval(0.0005)

st.set_page_config(page_icon="⛰️", layout="wide")

state = session.begin()
session.page_style(state)
asking = bool(state.ask)  # a question to the class: its page alone
page = st.navigation(navigation.build(state.lang, asking), position="hidden" if asking else "sidebar")
navigation.redirect(page)
shown = navigation.name_of(page)
st.set_page_config(page_title=navigation.tab_title(page, state.lang))
state = session.sidebar(shown)
session.show_link_problems(state.lang)
session.reveal_button(state.lang)
session.close_sidebar_on_phone(shown)
page.run()
navigation.follow_requests()

session.finish()
