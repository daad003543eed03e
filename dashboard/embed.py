"""The embed view (`/?petition=ID&embed=map`), for an iframe on a campaign site: the map, the count, the
progress bar, "data as of …" and, for open petitions, a link to sign. Nothing else: no sidebar, no menu."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, ui
from dashboard.components.mapview import map_element
from petitions.api import parse_source
from petitions.model import DEBATE_THRESHOLD, RESPONSE_THRESHOLD, Petition, PetitionError

# Streamlit's own header, toolbar and padding take room an iframe does not have.
_CSS = ("<style>header[data-testid='stHeader'],[data-testid='stToolbar'],[data-testid='stSidebar'],"
        "[data-testid='stSidebarCollapsedControl']{display:none!important}"
        ".block-container,[data-testid='stMainBlockContainer']{padding:0.5rem 0.75rem!important}</style>")


def wanted() -> bool:
    """True for ?embed=map. Streamlit keeps `embed` (its own ?embed=true) out of st.query_params, so the
    value is read from the query the browser sent."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    with ctx.session_state.query_params() as params:
        value = params._query_params.get("embed")
    return (value[-1] if isinstance(value, list) and value else value) == "map"


def goal(p: Petition) -> tuple[float, str]:
    """The progress bar toward the next threshold, and its words."""
    for threshold, what in ((RESPONSE_THRESHOLD, "a Government response"), (DEBATE_THRESHOLD, "a debate")):
        if p.signature_count < threshold:
            return p.signature_count / threshold, f"{p.signature_count / threshold:.0%} of the {threshold:,} for {what}"
    return 1.0, f"{DEBATE_THRESHOLD:,} reached: considered for a debate"


def show() -> None:
    st.html(_CSS)
    try:
        loaded = cache.petition(int(parse_source(st.query_params.get("petition", ""))))
        result = cache.join(loaded.petition)
    except PetitionError as exc:
        st.error(f"This map cannot be shown: {ui.md_escape(str(exc))}", icon=":material/error:")
        return
    p = loaded.petition
    values, sentence = cache.values(p, result)
    with st.container(key="embed"):
        map_element(key="map", geometry=cache.geometry_urls(result.cset), values=values, height=210,
                    state={"view": "map", "metric": "signatures", "scheme": "quantiles", "area": "UK"},
                    summary=sentence, label=f"Map of where petition {p.id} is signed")
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**{p.signature_count:,} signatures**")
            if p.sign_url:
                st.link_button("Sign this petition", p.sign_url, type="primary", icon=":material/draw:")
        share, words = goal(p)
        st.progress(min(share, 1.0), text=words)
        when = loaded.as_of or p.updated_at
        st.caption(f"Petition {p.id} · data as of {when:%-d %b %Y %H:%M} UTC" if when else f"Petition {p.id}")
