"""The dashboard as served: dashboard/app.py inside an st.App whose middleware sends the static files
gzipped, each compressed once (dashboard/compress.py). `petitionmap run`, `make run`, the browser tests and the
browser benchmark all start this file with `streamlit run dashboard/serve.py`."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.compress import StaticGzip

app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(StaticGzip)])
