"""Wijksignalen entry point: page config, login gate, and navigation by role (the only router).

Each role is given only its own pages, as listed in `signals.navigation`; the services check
role and wijk scope again.
"""

import streamlit as st

from signals.config import PROJECT_ROOT
from signals.domain import ROLE_LABELS, Role
from signals.navigation import LOGIN, PAGES, PageSpec, menu_for
from signals.ui import routing
from signals.ui.session import logout, optional_actor, remember_target

# A local image: a material or emoji page icon makes the browser fetch the favicon from a
# font server or CDN, and nothing may be fetched from outside.
FAVICON = PROJECT_ROOT / "assets" / "favicon.png"
st.set_page_config(page_title="Wijksignalen", page_icon=str(FAVICON), layout="wide")


def _page(spec: PageSpec) -> st.Page:
    return st.Page(spec.script, title=spec.title, icon=spec.icon, url_path=spec.key)


def pages_for(role: Role) -> dict[str, list[st.Page]]:
    """The role's menu, plus hidden pages for every other URL (see signals.ui.routing)."""
    menu = {section: [_page(p) for p in specs] for section, specs in menu_for(role).items()}
    others = [routing.hidden(lambda: routing.go_to_start(role, None), routing.START_PATH,
                             default=True),
              routing.hidden(lambda: routing.go_to_start(role, None), LOGIN.key)]
    others += [routing.hidden(lambda: routing.go_to_start(role, routing.NO_ACCESS_NOTICE), key)
               for key, spec in PAGES.items() if role not in spec.roles]
    unknown = routing.unknown_page_for(routing.all_page_keys())
    if unknown:
        start = routing.start_page(role)
        others.append(routing.hidden(lambda: routing.show_not_found(start), unknown))
    return {"": others, **menu}


def logged_out_pages() -> list[st.Page]:
    """The login, under its own URL and under every page's URL, so a deep link is kept."""
    pages = [routing.hidden(LOGIN.script, routing.START_PATH, default=True), _page(LOGIN)]
    pages += [routing.hidden(LOGIN.script, key) for key in PAGES]
    unknown = routing.unknown_page_for(routing.all_page_keys())
    if unknown:
        pages.append(routing.hidden(lambda: routing.show_not_found(None), unknown))
    return pages


actor = optional_actor()
if actor is None:
    navigation = st.navigation(logged_out_pages(), position="hidden")
    if navigation.url_path in PAGES:
        remember_target(navigation.url_path)
else:
    with st.sidebar:
        st.text(f"Ingelogd als {actor.username} · {ROLE_LABELS[actor.role]}")  # plain text
        if st.button("Uitloggen", icon=":material/logout:"):
            logout()
            st.rerun()
    # expanded: a beheerder has more pages than the collapsed menu shows.
    navigation = st.navigation(pages_for(actor.role), expanded=True)
    routing.show_route_notice()
navigation.run()
