"""Optimizer trajectory explorer: page navigation and the shared sidebar.

    streamlit run app.py
"""

import streamlit as st

from ui import session
from ui.i18n import t
from views import explorer

st.set_page_config(page_title="Optimizer trajectory explorer", page_icon="⛰️", layout="wide")

session.init_from_url()
state = session.sidebar()

page = st.navigation([st.Page(explorer.render, title=t(state.lang, "page_explorer"), icon=":material/explore:", url_path="explorer", default=True)])
page.run()

session.sync_url()
