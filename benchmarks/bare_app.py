"""A bare Streamlit page (one line of text): the yardstick for how fast Streamlit itself shows something."""

import streamlit as st

st.write("Bare Streamlit page")
