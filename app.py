"""Placeholder page until the explorer lands: the first textbook experiment."""

import streamlit as st

from optimizers import run

st.title("Optimizer trajectory explorer")
st.code(run("gd", "quadratic", lr=0.4).line())
