"""Ask the class: questions about a view, the students' answers and the truth (no Streamlit)."""
