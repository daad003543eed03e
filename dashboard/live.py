"""Live mode for open petitions: a fragment that fetches the petition again every minute and reruns alone.

The API client keeps each document for its max-age (60 s on petition.parliament.uk), so a shorter
interval (settings' live_every, for tests) only re-reads the same copy. Every fetch is stored as a
snapshot by the loader, which is what the Trends page and the projections read.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard import cache, ui
from petitions import loader
from petitions.live import gainers, hour_apart
from petitions.model import PetitionError
from petitions.settings import current
from petitions.store import store_errors


def show(pid: int, names: dict[str, str]) -> None:
    """The live panel; it reruns on its own every minute, the rest of the page stays as it is."""
    @st.fragment(run_every=current().live_every)
    def panel() -> None:
        with st.container(key="live", border=True):
            try:
                loaded = loader.load_id(pid, api=cache.api(), store=cache.store())
            except PetitionError as exc:
                st.warning(f"Live updates paused: {ui.md_escape(str(exc))}", icon=":material/sync_problem:")
                return
            p = loaded.petition
            age = (datetime.now(UTC) - loaded.as_of).total_seconds() if loaded.as_of else None
            st.markdown(f"**Live** · {p.signature_count:,} signatures · "
                        + (f"updated {max(age, 0):.0f} s ago" if age is not None else "update time unknown")
                        + f" · refreshes every {current().live_every:.0f} s")
            top = _gainers(pid)
            if top is not None and len(top):
                st.markdown("Gaining most in the last hour: " + ", ".join(
                    f"**{ui.md_escape(names.get(c, c))}** (+{g:,})" for c, g in zip(top["ons_code"], top["gained"])))
            elif loaded.origin == "live":
                st.caption("Seats gaining most in the last hour show once snapshots an hour apart are stored.")
    panel()


def _gainers(pid: int):
    saved = cache.store()
    if saved is None:
        return None
    try:
        pair = hour_apart(saved.snapshots(pid))
        return gainers(saved.counts(pid, list(pair)), *pair) if pair else None
    except store_errors():  # a locked or broken store only hides this line
        return None
