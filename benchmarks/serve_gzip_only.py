"""The dashboard behind the gzip middleware alone, without dashboard/preload.py (no TCP_NODELAY, no redirect
of `/`, no preload hints): the browser benchmark's "before" arm for starting the first view sooner."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.compress import StaticGzip

app = st.App(Path(__file__).parents[1] / "dashboard" / "app.py", middleware=[Middleware(StaticGzip)])
