"""Shareable links: a page's URL with the query parameters that reproduce the view.

Whoever opens the link logs in first and then sees only what their own role and wijken
allow (the page and the services check again). The copy button is Streamlit's own code
block button: no script of ours touches the clipboard or the cookie.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode, urlsplit

import streamlit as st

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def page_url(page_key: str, params: dict[str, str]) -> str:
    """The absolute URL of a page (relative when there is no browser, as in AppTest)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    path = f"/{base}/{page_key}" if base else f"/{page_key}"
    query = f"?{urlencode(params)}" if params else ""
    current = st.context.url
    origin = ""
    if current:
        parts = urlsplit(current)
        origin = f"{parts.scheme}://{parts.netloc}"
    return f"{origin}{path}{query}"


def copy_link(page_key: str, params: dict[str, str]) -> None:
    with st.popover("Link kopiëren", icon=":material/link:"):
        st.caption("Kopieer de link met de knop rechts in het vak. Wie de link opent, logt "
                   "eerst in en ziet alleen wat zijn eigen rol toestaat.")
        st.code(page_url(page_key, params), language=None, wrap_lines=True)


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(text: str) -> date | None:
    """The Monday of "JJJJ-Www", or None when the text is not a week."""
    match = ISO_WEEK.fullmatch(text.strip())
    if not match:
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
