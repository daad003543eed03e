"""The dashboard as served: dashboard/app.py inside an st.App whose middleware starts the first view sooner
(dashboard/preload.py: `/` redirected to /petition, the map element's bundle and script preloaded) and sends
the static files gzipped, each compressed once (dashboard/compress.py), over connections that send at once
(nodelay below). `petitionmap run`, `make run`, the browser tests and the browser benchmark all start this
file with `streamlit run dashboard/serve.py`."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.compress import StaticGzip
from dashboard.preload import FirstView, nodelay_connections

nodelay_connections()


def map_script() -> list[str]:
    from dashboard.components.mapview import script_url

    return [script_url()]


app = st.App(Path(__file__).with_name("app.py"),
             middleware=[Middleware(FirstView, extra=map_script), Middleware(StaticGzip)])
