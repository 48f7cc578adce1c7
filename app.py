"""Wijksignalen entry point: page config, login gate, and navigation by role (the only router).

Each role is given only its own pages; the services check role and wijk scope again.
"""

import streamlit as st

from signals.domain import ROLE_LABELS, Role
from signals.ui.session import logout, optional_actor

st.set_page_config(page_title="Wijksignalen", page_icon=":material/sensors:", layout="wide")

# (file, title, icon, url path)
PAGE_SPECS = {
    "melden": ("pages/melden.py", "Signaal melden", ":material/add_circle:"),
    "mijn_meldingen": ("pages/mijn_meldingen.py", "Mijn meldingen", ":material/list:"),
    "overzicht": ("pages/overzicht.py", "Overzicht", ":material/dashboard:"),
    "wijkprofiel": ("pages/wijkprofiel.py", "Wijkprofiel", ":material/monitoring:"),
    "duiding": ("pages/duiding.py", "Duiding", ":material/fact_check:"),
    "importeren": ("pages/importeren.py", "Importeren en exporteren", ":material/upload_file:"),
    "wijken": ("pages/wijken.py", "Wijken", ":material/map:"),
    "weekbeeld": ("pages/weekbeeld.py", "Weekbeeld", ":material/calendar_month:"),
    "terugblik": ("pages/terugblik.py", "Terugblik", ":material/history_edu:"),
    "beheer_gebruikers": ("pages/beheer_gebruikers.py", "Gebruikers", ":material/group:"),
    "beheer_wijken": ("pages/beheer_wijken.py", "Wijken beheren", ":material/edit_location:"),
    "beheer_categorieen": ("pages/beheer_categorieen.py", "Categorieën en thema's",
                           ":material/category:"),
    "beheer_regels": ("pages/beheer_regels.py", "Faseregels", ":material/rule:"),
    "beheer_bewaren": ("pages/beheer_bewaren.py", "Bewaartermijn", ":material/auto_delete:"),
    "beheer_audit": ("pages/beheer_audit.py", "Auditlog", ":material/history:"),
    "account": ("pages/account.py", "Mijn account", ":material/person:"),
}
NAVIGATION_BY_ROLE: dict[Role, dict[str, list[str]]] = {
    Role.SLEUTELFIGUUR: {"Signalen": ["melden", "mijn_meldingen"], "Account": ["account"]},
    Role.COORDINATOR: {
        "Signalen": ["overzicht", "wijkprofiel", "duiding", "importeren", "wijken",
                     "terugblik"],
        "Account": ["account"],
    },
    Role.MANAGER: {"Signalen": ["weekbeeld"], "Account": ["account"]},
    Role.BEHEERDER: {
        "Signalen": ["overzicht", "wijkprofiel", "weekbeeld", "duiding", "importeren", "wijken",
                     "terugblik"],
        "Beheer": ["beheer_gebruikers", "beheer_wijken", "beheer_categorieen", "beheer_regels",
                   "beheer_bewaren", "beheer_audit"],
        "Account": ["account"],
    },
}


def pages_for(role: Role) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for section, keys in NAVIGATION_BY_ROLE[role].items():
        sections[section] = [st.Page(PAGE_SPECS[k][0], title=PAGE_SPECS[k][1],
                                     icon=PAGE_SPECS[k][2], url_path=k) for k in keys]
    return sections


actor = optional_actor()
if actor is None:
    navigation = st.navigation([st.Page("pages/login.py", title="Inloggen",
                                        icon=":material/login:", url_path="login")],
                               position="hidden")
else:
    with st.sidebar:
        st.caption(f"Ingelogd als **{actor.username}** · {ROLE_LABELS[actor.role]}")
        if st.button("Uitloggen", icon=":material/logout:"):
            logout()
            st.rerun()
    # expanded: a beheerder has more pages than the collapsed menu shows.
    navigation = st.navigation(pages_for(actor.role), expanded=True)
navigation.run()
