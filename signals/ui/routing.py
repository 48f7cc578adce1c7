"""What the router does with URLs a role has no page for: deep links and unknown pages.

Streamlit answers a URL outside the pages given to `st.navigation` with an English "Page
not found" box. So the router also registers hidden pages: while logged out, every page
URL shows the login (and remembers the link); when logged in, a page of another role
goes to the start page with a Dutch message, and an unknown URL gets a Dutch page. The
default page (the root URL) is a hidden one too: Streamlit serves its default page only at
the root, so a link to the start page under its own name would not be found.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from signals.domain import Role
from signals.navigation import ACTIVATE, LOGIN, PAGES, PageSpec, menu_for

ROUTE_NOTICE_KEY = "_route_notice"
LOGGED_IN_ACTIVATION = ("U bent al ingelogd. Log eerst uit om met een activatielink een "
                        "ander account te activeren.")
NO_ACCESS_NOTICE = "U heeft geen toegang tot de gevraagde pagina; u bent naar uw startpagina " \
                   "gebracht."
URL_PATH = re.compile(r"^[A-Za-z0-9_.~-]{1,80}$")


def start_page(role: Role) -> PageSpec:
    return next(iter(menu_for(role).values()))[0]


def requested_path() -> str | None:
    """The page name in the URL the browser asked for, if Streamlit passed one."""
    ctx = get_script_run_ctx()
    name = getattr(getattr(ctx, "pages_manager", None), "intended_page_name", None)
    return name if isinstance(name, str) and URL_PATH.fullmatch(name) else None


START_PATH = "start"  # the root URL; every real page keeps its own URL, even the start page


def hidden(run: Callable[[], None] | str, url_path: str, default: bool = False) -> st.Page:
    return st.Page(run, title=url_path, url_path=url_path, visibility="hidden",
                   default=default)


def unknown_page_for(known: set[str]) -> str | None:
    """The requested path when no page answers it (it then gets the Dutch not-found page)."""
    path = requested_path()
    return path if path and path not in known else None


def show_not_found(start: PageSpec | None) -> None:
    st.title("Pagina niet gevonden")
    st.warning("Deze pagina bestaat niet (meer). Controleer de link, of ga naar de startpagina.")
    if start is None:
        st.page_link(LOGIN.script, label="Naar de startpagina", icon=":material/home:")
    else:
        st.page_link(start.script, label=f"Naar de startpagina ({start.title})",
                     icon=":material/home:")


def go_to_start(role: Role, notice: str | None) -> None:
    if notice:
        st.session_state[ROUTE_NOTICE_KEY] = notice
    st.switch_page(start_page(role).script)


def show_route_notice() -> None:
    notice = st.session_state.pop(ROUTE_NOTICE_KEY, None)
    if isinstance(notice, str):
        st.warning(notice)


def all_page_keys() -> set[str]:
    return {*PAGES, LOGIN.key, ACTIVATE.key, START_PATH}
