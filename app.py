"""Wijksignalen entry point: page config, login gate, and navigation by role (the only router).

Each role is given only its own pages, as listed in `signals.navigation`; the services check
role and wijk scope again.
"""

import streamlit as st

from signals.domain import ROLE_LABELS, Role
from signals.navigation import LOGIN, PageSpec, menu_for
from signals.ui.session import logout, optional_actor

st.set_page_config(page_title="Wijksignalen", page_icon=":material/sensors:", layout="wide")


def _page(spec: PageSpec) -> st.Page:
    return st.Page(spec.script, title=spec.title, icon=spec.icon, url_path=spec.key)


def pages_for(role: Role) -> dict[str, list[st.Page]]:
    return {section: [_page(p) for p in specs] for section, specs in menu_for(role).items()}


actor = optional_actor()
if actor is None:
    navigation = st.navigation([_page(LOGIN)], position="hidden")
else:
    with st.sidebar:
        st.text(f"Ingelogd als {actor.username} · {ROLE_LABELS[actor.role]}")  # plain text
        if st.button("Uitloggen", icon=":material/logout:"):
            logout()
            st.rerun()
    # expanded: a beheerder has more pages than the collapsed menu shows.
    navigation = st.navigation(pages_for(actor.role), expanded=True)
navigation.run()
