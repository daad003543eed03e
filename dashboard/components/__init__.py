"""The dashboard's own Streamlit components (custom components v2, drawn in the page, no iframe)."""
