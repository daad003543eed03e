"""Share the current view: a "copy link" button, share links as plain URLs (no third-party scripts), and
the PNG share card."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

# The button copies the page's own address (the URL already holds the view); text set as textContent.
_COPY_JS = """export default function ({parentElement, data}) {
  let b = parentElement.querySelector("button");
  if (!b) {
    b = document.createElement("button");
    b.type = "button";
    b.className = "pm-copy";
    b.style.cssText = "font:inherit;padding:0.35rem 0.75rem;border:1px solid rgba(49,51,63,0.2);" +
      "border-radius:0.5rem;background:#fff;cursor:pointer";
    b.addEventListener("click", async () => {
      const url = location.href;
      try { await navigator.clipboard.writeText(url); b.textContent = "Link copied"; }
      catch (e) { window.prompt("Copy this link", url); }
      b.dataset.copied = url;
      b.dataset.busy = "1";
      setTimeout(() => { delete b.dataset.busy; b.textContent = data.label; }, 2500);
    });
    parentElement.append(b);
  }
  if (!b.dataset.busy) b.textContent = data.label;  // a rerun just after a copy keeps "Link copied" showing
}
"""
_COPY = st.components.v2.component("petitionmap_copy_link", js=_COPY_JS)


def page_url(base: str | None, path: str, params: dict[str, str]) -> str | None:
    """The absolute address of a page with its query (None without the app's own address)."""
    if not base:
        return None
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{parts.scheme}://{parts.netloc}/{path.lstrip('/')}" + (f"?{query}" if query else "")


def share_links(url: str, text: str) -> list[tuple[str, str]]:
    """(site, link) to share a URL with a line of text: plain links, each site's own share address."""
    q = lambda s: quote(s, safe="")  # noqa: E731
    return [
        ("Email", f"mailto:?subject={q(text)}&body={q(text + chr(10) + chr(10) + url)}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={q(text + ' ' + url)}"),
        ("X", f"https://twitter.com/intent/tweet?text={q(text)}&url={q(url)}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={q(url)}"),
        ("WhatsApp", f"https://wa.me/?text={q(text + ' ' + url)}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={q(url)}"),
    ]


def copy_button(key: str = "copy_link", label: str = "Copy link") -> None:
    _COPY(key=key, data={"label": label})


def show(text: str, path: str, params: dict[str, str], card: tuple[str, Callable[[], bytes]] | None = None) -> None:
    """The share row: copy link, a link per site, and the card's download (name, bytes callable)."""
    # Its content runs only when opened: the link, code and download bundles stay off the first view.
    box = st.popover("Share", icon=":material/share:", key="share", on_change="rerun")
    if not box.open:
        return
    with box:
        copy_button()
        url = page_url(st.context.url, path, params)
        if url:
            st.caption("Share this view:")
            with st.container(horizontal=True):
                for site, link in share_links(url, text):
                    st.link_button(site, link)
            embed = page_url(st.context.url, "/", {"petition": params.get("petition", ""), "embed": "map"})
            st.caption("Embed the map on a web page:")
            st.code(f'<iframe src="{embed}" width="400" height="500" style="border:0" '
                    f'title="Petition map"></iframe>', language="html")
        if card is not None:
            name, data = card
            st.download_button("Share card (PNG, 1200 × 630)", data, file_name=name, mime="image/png",
                               on_click="ignore", icon=":material/image:")
