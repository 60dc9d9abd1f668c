"""The baseline of benchmarks/live.py: the least a Streamlit page can do on a key press
(one slider, one three-point Plotly chart)."""

import plotly.graph_objects as go
import streamlit as st

value = st.slider("value", 0.0, 1.0, 0.5, 0.01, key="value")
st.plotly_chart(go.Figure(go.Scatter(x=[0, 1, 2], y=[0, value, 1])), key="chart")
