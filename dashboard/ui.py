"""Pieces several pages draw: the petition picker, the header, progress bars, URL state."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlencode, urlsplit

import streamlit as st

from dashboard import cache
from petitions.api import parse_source
from petitions.loader import Loaded
from petitions.model import DEBATE_THRESHOLD, GENERAL_ELECTIONS, RESPONSE_THRESHOLD, Petition, PetitionError
from petitions.offline import CURRENT_PARLIAMENT
from petitions.settings import current

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
    """Sidebar: a box for a number or link, and a list to choose from. Returns the loaded petition.

    A bad entry shows a message under the box and the last good petition stays. Only petition numbers
    and links are read here (the URL's ?petition= too): the page never opens a file a visitor names.
    """
    url_default("petition", DEFAULT_PETITION)
    pid = _current_id()
    with st.sidebar:
        st.text_input("Petition number or link", key="petition_input", on_change=_typed,
                      placeholder="e.g. 239406 or https://petition.parliament.uk/petitions/239406")
        message = st.empty()
        items, live = cache.choices()
        labels = {str(i.id): f"{i.action[:70]} ({i.signature_count:,})" for i in items}
        current = str(pid) if pid else ""
        options = list(labels) if current in labels or not current else [current, *labels]
        if current:
            st.session_state["petition_choice"] = current
        else:
            st.session_state.pop("petition_choice", None)
        st.selectbox("…or choose " + ("an open petition" if live else "a saved petition"), options,
                     key="petition_choice", on_change=_chosen, index=None if not current else 0,
                     format_func=lambda k: labels.get(k, f"Petition {k}"))
    loaded = None
    if pid is not None:
        try:
            loaded = _usable(pid)
        except PetitionError as exc:
            st.session_state["petition_error"] = str(exc)
            fallback = st.session_state.get("last_good")
            if fallback and fallback != str(pid):
                st.session_state["petition"] = fallback
                try:
                    loaded = _usable(int(fallback))
                except PetitionError:
                    loaded = None
    if st.session_state.get("petition_error"):
        message.error(md_escape(st.session_state["petition_error"]), icon=":material/error:")
    return loaded


def require_petition() -> Loaded:
    """The picked petition; without one the page says why and what to do, and stops."""
    loaded = petition_picker()
    if loaded is None:
        why = st.session_state.get("petition_error")
        st.error(("No petition to show" + (f": {md_escape(why)}" if why else "") + ". Enter a petition number "
                  "or link in the sidebar."), icon=":material/error:")
        st.stop()
    return loaded


def plain_text(text: str) -> None:
    """Document text as plain text, one element per paragraph: never Markdown, HTML, links or maths."""
    for para in re.split(r"\n\s*\n", str(text).strip()):
        if para.strip():
            st.text(para.strip())


def plain_title(text: str) -> None:
    """A page title from document text, shown as typed: Markdown escaped (st.html would load its sanitiser's
    30 kB bundle on the page's first view)."""
    st.markdown(f"# {md_escape(text)}")


def facts(p: Petition, today: date | None = None) -> list[str]:
    """The official page's facts about a petition, as its lines word them (no document text in them)."""
    lines = []
    period = p.parliament_period
    if period == CURRENT_PARLIAMENT:
        elected = fmt_date(GENERAL_ELECTIONS[-1])
        lines.append(f"This petition was submitted during the current Parliament (elected {elected})")
    elif period:
        lines.append(f"This petition was submitted during the {period} Parliament")
    if p.state == "closed":
        ran = p.ran_for_months
        lines.append("This petition is closed" + (f" · This petition ran for {ran} month{'s' if ran != 1 else ''}"
                                                  if ran else ""))
    elif p.state == "open" and p.deadline:
        left = (p.deadline - (today or date.today())).days
        when = (f"{left:,} day{'s' if left != 1 else ''} left" if left >= 0 else
                "the deadline has passed since this copy was saved")
        lines.append(f"This petition is open · Deadline {fmt_date(p.deadline)} · {when}")
    elif p.state == "rejected":
        lines.append("This petition was rejected")
    return lines


def header(p: Petition, loaded: Loaded) -> None:
    """Title, the official page's facts, links, and why the data is not live (when it is not)."""
    st.session_state["last_good"] = str(p.id) if loaded.origin != "file" else st.session_state.get("last_good")
    plain_title(p.action)
    for line in facts(p):
        st.markdown(line)
    with st.container(horizontal=True):
        st.link_button("View on petition.parliament.uk", p.url, icon=":material/open_in_new:")
        if p.sign_url:
            st.link_button("Sign this petition", p.sign_url, type="primary", icon=":material/draw:")
    if loaded.note:
        st.info(md_escape(loaded.note), icon=":material/cloud_off:")


def details(p: Petition) -> None:
    """Below the progress bars: background, rejection, the Government response, the debate outcome, business."""
    with st.expander("Background and details"):
        plain_text(p.background or "—")
        if p.additional_details:
            plain_text(p.additional_details)
    if p.rejection:
        st.markdown("**Why it was rejected**")
        plain_text(p.rejection)
    if p.government_response:
        r = p.government_response
        st.markdown(f"**Government responded** · This response was given on {fmt_date(r.responded_on)}")
        plain_text(r.summary)
        if r.details:
            with st.expander("Read the response in full"):
                plain_text(r.details)
    outcome_section(p)
    business(p)


def outcome_section(p: Petition) -> None:
    """The debate outcome: debated on, scheduled for, not debated (with the committee's reasons) or awaiting."""
    o = p.outcome
    if o.kind == "none":
        return
    st.markdown(f"**{o.text}**")
    if o.kind == "not_debated" and o.reasons:
        plain_text(o.reasons)
    elif o.kind == "debated" and p.debate and p.debate.overview:
        with st.expander("What was said"):
            plain_text(p.debate.overview)
    links = (("Watch the debate", o.video_url), ("Read the transcript", o.transcript_url),
             ("Read the research", o.debate_pack_url))
    found = [(label, url) for label, url in links if url and _official_link(url)]
    with st.container(horizontal=True):
        for label, url in found:
            st.link_button(label, url, icon=":material/open_in_new:")


def business(p: Petition) -> None:
    """Departments, topics and other parliamentary business, when the document has them."""
    if p.departments:
        plain_text("Government department: " + ", ".join(d.name for d in p.departments))
    if p.topics:
        plain_text("Topics: " + ", ".join(p.topics))
    if p.other_business:
        with st.expander(f"Other parliamentary business ({len(p.other_business):,})"):
            for item in p.other_business:
                plain_text(item.subject + (f" · {fmt_date(item.created_at)}" if item.created_at else ""))
                plain_text(item.body)


def _official_link(url: str | None) -> bool:
    """Links from a document are followed only to web pages (never javascript: or data: URLs)."""
    return bool(url) and urlsplit(url).scheme == "https"


_MARKUP = re.compile(r"([\\`*_\[\]<>!$~&:#|{}])")
_LINK_LIKE = re.compile(r"(?i)(https?|ftp|mailto|www)(\\?[:.])")


def md_escape(text: str) -> str:
    """Text placed inside Markdown (a title, a message) shown as typed, on one line: no emphasis, links,
    images, maths, HTML, headings, lists or Streamlit directives; bare URLs and e-mail addresses are not
    turned into links (a word joiner (U+2060) after the scheme or @ stops the auto-linker)."""
    one = " ".join(str(text).split())
    one = _MARKUP.sub(r"\\\1", one)
    one = re.sub(r"^([0-9]+)([.)])", r"\1\\\2", one)
    one = re.sub(r"^([-+=>])", r"\\\1", one)
    one = _LINK_LIKE.sub("\\1\u2060\\2", one)
    return one.replace("@", "@\u2060")


def progress(p: Petition) -> None:
    """Progress toward 10,000 (Government response) and 100,000 (considered for debate)."""
    st.subheader(f"{p.signature_count:,} signatures", anchor=False)  # not st.metric: 60 kB more on a first view
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
    if p.outcome.kind in ("debated", "scheduled", "not_debated"):
        milestones.append(p.outcome.text)
    for line in milestones:
        st.markdown(f"- {line}")


# Column labels in sentence case; acronyms and figures as people write them.
LABELS = {"ons_code": "ONS code", "mp": "MP", "per_1000": "Per 1,000 residents", "index": "Index vs UK",
          "rank_rate": "Rank per resident", "share": "Share of signatures", "growth_per_1000": "Growth per 1,000",
          "count_to": "Now", "count_from": "Before", "fetched_at": "Fetched at (UTC)", "updated_at": "Updated at (UTC)",
          "constituency_total": "Sum of constituencies", "signature_count": "Signatures", "snapshot_id": "Snapshot"}


def column_config(frame, **labels: str) -> dict:
    """st.dataframe column settings: every header in sentence case, every count with thousands separators."""
    config = {}
    for name in frame.columns:
        label = labels.get(name) or LABELS.get(name) or str(name).replace("_", " ").capitalize()
        kind = getattr(frame[name], "dtype", None)
        if kind is not None and kind.kind in "iu":
            config[name] = st.column_config.NumberColumn(label, format="localized")
        elif kind is not None and kind.kind == "f":
            config[name] = st.column_config.NumberColumn(label, format="%.4f" if name == "share" else "%.2f")
        else:
            config[name] = st.column_config.Column(label)
    return config


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
        st.session_state["petition_error"] = ""  # an emptied box clears the old message
        return
    try:
        where = parse_source(text)  # numbers and links only: never a file
        _usable(int(where))
    except PetitionError as exc:
        st.session_state["petition_error"] = str(exc)
        return
    st.session_state["petition_error"] = ""
    _switch(str(where))


def _usable(pid: int) -> Loaded:
    """The petition, loaded and joinable (a list of codes that match no constituency is refused here)."""
    loaded = cache.petition(pid)
    cache.join(loaded.petition)
    return loaded


def _current_id() -> int | None:
    """The petition to show, canonical (0239406 is 239406); a bad ?petition= is refused with its reason."""
    raw = str(st.session_state.get("petition", ""))
    try:
        pid = parse_source(raw)
    except PetitionError as exc:
        st.session_state["petition_error"] = f"the link's petition is refused: {exc}"
        fallback = st.session_state.get("last_good")
        st.session_state["petition"] = fallback or ""
        return int(fallback) if fallback else None
    st.session_state["petition"] = str(pid)
    return int(pid)


def _chosen() -> None:
    st.session_state["petition_error"] = ""
    _switch(st.session_state["petition_choice"])


def _switch(pid: str) -> None:
    if pid != st.session_state.get("petition"):
        st.session_state["petition"] = pid
        st.session_state.pop("c", None)
        st.session_state.pop("selected", None)
PAGES = current().pages


def map_link(pid: int, code: str | None = None) -> str:
    """The petition page's own address for a petition (and a selected constituency), for links in tables."""
    return f"/petition?{urlencode({'petition': pid} | ({'c': code} if code else {}))}"


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
        return md_escape(str(value))
    columns = {k: v for k, v in columns.items() if k in frame}
    head = "| " + " | ".join(columns.values()) + " |\n|" + "".join(
        " ---: |" if frame[c].dtype.kind in "if" else " --- |" for c in columns) + "\n"
    return head + "".join("| " + " | ".join(cell(v) for v in row) + " |\n"
                          for row in frame[list(columns)].itertuples(index=False))
