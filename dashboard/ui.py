"""Pieces several pages draw: the petition picker, the header, progress bars, URL state."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import streamlit as st

from dashboard import cache
from petitions.api import parse_source
from petitions.loader import Loaded
from petitions.model import DEBATE_THRESHOLD, RESPONSE_THRESHOLD, Petition, PetitionError

DEFAULT_PETITION = "239406"
# URL query parameters that carry the view; each page keeps the ones it uses.
URL_KEYS = ("petition", "view", "metric", "area", "scheme", "c")


def url_default(key: str, default: str, allowed: list[str] | tuple[str, ...] | dict | None = None) -> None:
    """Seed a widget's session value from the URL once (so shared links restore the view)."""
    if key in st.session_state:
        return
    value = st.query_params.get(key, default)
    st.session_state[key] = value if allowed is None or value in allowed else default


def remember_constituency() -> None:
    """Seed the constituency choice ("c"): this page's, else the URL's, else the one chosen on another page.

    Re-assigning it before the widget exists keeps it when a page with another "c" widget takes over.
    """
    st.session_state["c"] = (st.session_state.get("c") or st.query_params.get("c")
                             or st.session_state.get("selected", ""))


def sync_url(**values: str | None) -> None:
    """Write the current view to the URL so it can be shared."""
    wanted = {k: v for k, v in values.items() if v}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def petition_picker() -> Loaded | None:
    """Sidebar: a box for a number or URL, and a list to choose from. Returns the loaded petition.

    A bad entry shows a message under the box and the last good petition stays.
    """
    url_default("petition", DEFAULT_PETITION)
    with st.sidebar:
        st.text_input("Petition number or link", key="petition_input", on_change=_typed,
                      placeholder="e.g. 239406 or https://petition.parliament.uk/petitions/239406")
        if st.session_state.get("petition_error"):
            st.error(st.session_state["petition_error"], icon=":material/error:")
        items, live = cache.choices()
        labels = {str(i.id): f"{i.action[:70]} ({i.signature_count:,})" for i in items}
        current = str(st.session_state["petition"])
        options = list(labels) if current in labels else [current, *labels]
        st.session_state["petition_choice"] = current
        st.selectbox("…or choose " + ("an open petition" if live else "a saved petition"), options,
                     key="petition_choice", on_change=_chosen,
                     format_func=lambda k: labels.get(k, f"Petition {k}"))
    try:
        return cache.petition(str(st.session_state["petition"]))
    except PetitionError as exc:
        st.session_state["petition_error"] = str(exc)
        fallback = st.session_state.get("last_good")
        if fallback and fallback != st.session_state["petition"]:
            st.session_state["petition"] = fallback
            return cache.petition(fallback)
        return None


def require_petition() -> Loaded:
    """The picked petition; without one the page says what to do and stops."""
    loaded = petition_picker()
    if loaded is None:
        st.error("No petition to show. Enter a petition number or link in the sidebar.")
        st.stop()
    return loaded


def header(p: Petition, loaded: Loaded) -> None:
    """Title, state, dates, official link; background, response and debate in expanders."""
    st.session_state["last_good"] = str(p.id) if loaded.origin != "file" else st.session_state.get("last_good")
    st.title(p.action)
    bits = [f"**{p.state.replace('_', ' ').capitalize()}**", f"Petition {p.id}"]
    if p.opened_at:
        bits.append(f"opened {fmt_date(p.opened_at)}")
    if p.closed_at:
        bits.append(f"{'closed' if p.state == 'closed' else 'closes'} {fmt_date(p.closed_at)}")
    if p.parliament:
        bits.append(f"{p.parliament} parliament")
    st.markdown(" · ".join(bits) + f" · [View on petition.parliament.uk]({p.url})")
    if loaded.note:
        st.info(loaded.note, icon=":material/cloud_off:")
    with st.expander("Background and details"):
        st.write(p.background or "—")
        if p.additional_details:
            st.write(p.additional_details)
    if p.rejection:
        st.warning(f"Rejected: {p.rejection}")
    if p.government_response:
        r = p.government_response
        with st.expander(f"Government response ({fmt_date(r.responded_on)})"):
            st.markdown(f"**{r.summary}**")
            st.write(r.details)
    if p.debate:
        d = p.debate
        with st.expander(f"Debate ({fmt_date(d.debated_on)})"):
            st.write(d.overview or "—")
            for label, link in (("Transcript", d.transcript_url), ("Video", d.video_url)):
                if link:
                    st.markdown(f"[{label}]({link})")


def progress(p: Petition) -> None:
    """Progress toward 10,000 (Government response) and 100,000 (considered for debate)."""
    st.metric("Signatures", f"{p.signature_count:,}")
    for threshold, goal, reached_at in (
        (RESPONSE_THRESHOLD, "a Government response", p.response_threshold_reached_at),
        (DEBATE_THRESHOLD, "being considered for a debate in Parliament", p.debate_threshold_reached_at),
    ):
        done = p.signature_count >= threshold
        if done:
            when = f" on {fmt_date(reached_at)}" if reached_at else ""
            text = f"✓ {threshold:,} reached{when}: {goal}"
        else:
            text = f"{p.signature_count:,} of {threshold:,} for {goal}"
        st.progress(min(p.signature_count / threshold, 1.0), text=text)
    milestones = []
    if p.government_response_at or p.government_response:
        day = p.government_response.responded_on if p.government_response else p.government_response_at
        milestones.append(f"Government responded on {fmt_date(day)}")
    if p.scheduled_debate_date and not p.debate:
        milestones.append(f"Debate scheduled for {fmt_date(p.scheduled_debate_date)}")
    if p.debate and p.debate.debated_on:
        milestones.append(f"Debated on {fmt_date(p.debate.debated_on)}")
    for line in milestones:
        st.markdown(f"- {line}")


def mp_text(row) -> str:
    """The MP as published with the petition; a null MP means the seat was vacant."""
    if row["mp"]:
        return str(row["mp"])
    if row["listed"]:
        return "No MP (seat vacant)"
    return "MP not listed (no signatures recorded here)"


def place(row) -> str:
    """'South West, England'; just 'Scotland' where region and nation are one."""
    return row["nation"] if row["region"] == row["nation"] else f"{row['region']}, {row['nation']}"


def fmt_date(value: date | datetime | None) -> str:
    return f"{value:%-d %B %Y}" if value else "date unknown"


def _typed() -> None:
    text = st.session_state.get("petition_input", "").strip()
    if not text:
        return
    try:
        where = parse_source(text)
        if isinstance(where, Path):
            raise PetitionError("enter a petition number or a petition.parliament.uk link")
        cache.petition(str(where))
    except PetitionError as exc:
        st.session_state["petition_error"] = str(exc)
        return
    st.session_state["petition_error"] = ""
    _switch(str(where))


def _chosen() -> None:
    st.session_state["petition_error"] = ""
    _switch(st.session_state["petition_choice"])


def _switch(pid: str) -> None:
    if pid != st.session_state.get("petition"):
        st.session_state["petition"] = pid
        st.session_state.pop("c", None)
        st.session_state.pop("selected", None)
PAGES = Path(__file__).resolve().parent / "views"


def open_petition(pid: str, code: str | None = None) -> None:
    """Go to the petition page showing this petition."""
    _switch(pid)
    params = {"petition": pid} | ({"c": code} if code else {})
    if code:
        st.session_state["c"] = code
    st.switch_page(PAGES / "petition.py", query_params=params)


def markdown_table(frame, columns: dict[str, str]) -> str:
    """A Markdown table of some columns; text is escaped (names come from the petition's data)."""
    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:,.2f}"
        if isinstance(value, int) or hasattr(value, "dtype"):
            return f"{int(value):,}"
        return re.sub(r"([\\`*_{}\[\]()#+\-.!|$<>~&])", r"\\\1", str(value)).replace("\n", " ")
    columns = {k: v for k, v in columns.items() if k in frame}
    head = "| " + " | ".join(columns.values()) + " |\n|" + "".join(
        " ---: |" if frame[c].dtype.kind in "if" else " --- |" for c in columns) + "\n"
    return head + "".join("| " + " | ".join(cell(v) for v in row) + " |\n"
                          for row in frame[list(columns)].itertuples(index=False))
