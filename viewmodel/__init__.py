"""The view model: plain functions from the app's state to what its pages show (no Streamlit)."""
