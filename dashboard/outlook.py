"""'Where it is going': the current signing rate and the projections, beside the progress bars."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import cache
from petitions.model import Petition
from petitions.projection import Outlook, Projection, Rate, duration_text, outlook


def when(value: datetime) -> str:
    return f"{value:%-d %b %Y %H:%M} UTC"


def day(value: datetime) -> str:
    return f"{value:%-d %b %Y}"


def rate_text(rate: Rate | None, window: str) -> str:
    if rate is None:
        return f"— over the {window} (no stored snapshots that far apart)"
    return f"{rate.per_hour:,.0f} an hour over the {window}"


def projection_text(x: Projection) -> str:
    """One line per threshold, as a campaigner would say it."""
    goal = f"{x.threshold:,}"
    if x.status == "reached":
        took = f", {duration_text(x.took)} after it opened" if x.took is not None else ""
        return f"✓ {goal} reached" + (f" on {day(x.reached_at)}{took}" if x.reached_at else " (date not published)")
    if x.status == "closed":
        return f"{goal}: the petition closed before reaching it"
    if x.status == "no_history":
        return f"{goal}: a projection needs two stored snapshots (keep this page open, or track the petition)"
    if x.status == "not_growing":
        return f"{goal}: no projection, the count is not rising in the stored history"
    span = _range(x)
    if x.status == "not_before_close":
        close = f" on {day(x.closes)}" if x.closes else ""
        chance = (f"; at the fastest recent rate by {when(x.earliest)}" if x.earliest and x.closes
                  and x.earliest <= x.closes else "")
        return f"{goal}: at this rate, not before it closes{close}{chance}"
    if x.eta is None:
        return f"{goal}: no projection"
    return f"{goal}: at this rate about {when(x.eta)}{span}"


def _range(x: Projection) -> str:
    if x.earliest is None or x.earliest == x.latest:
        return ""
    late = f"{when(x.latest)}" if x.latest else "perhaps never, if it keeps slowing down"
    return f" (plausible range {when(x.earliest)} to {late})"


def show(p: Petition, history: Outlook | None = None) -> Outlook | None:
    """Draw the block; returns the outlook (None when no history store is available)."""
    if history is None:
        snaps = cache.snapshots(p.id, (str(p.updated_at), p.signature_count))
        if snaps is None:
            return None
        history = outlook(p, snaps)
    with st.container(key="outlook"):
        st.markdown("**Where it is going**")
        if p.state == "open":
            st.markdown(f"Signing now: {rate_text(history.last_hour, 'last hour')} · "
                        f"{rate_text(history.last_day, 'last day')}")
        for line in (projection_text(x) for x in history.projections):
            st.markdown(f"- {line}")
        if history.recent is not None and any(x.status in ("projected", "not_before_close")
                                              for x in history.projections):
            st.caption(f"At this rate: {history.recent.per_hour:,.0f} an hour, the average from "
                       f"{when(history.recent.start)} to {when(history.recent.end)} in the stored snapshots. "
                       "The range runs from the fastest to the slowest recent rates (and the slowing down, when "
                       "there is one): petitions usually sign fastest early on.")
    return history
