"""The page registry: every page, its script, its menu entry and the roles allowed on it.

The single source of truth for the router in `app.py` (which pages a role gets in its menu)
and for the page guards (`signals.ui.session.require_page`). Pure data, no Streamlit, so the
access matrix can be read and tested without running the app. The services check the role
again; a page guard is only a courtesy for pages reached by URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from signals.domain import Role

ALL_ROLES = frozenset(Role)
REVIEWERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})
ADMIN = frozenset({Role.BEHEERDER})


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the URL path
    script: str  # relative to the project root, as Streamlit expects it
    title: str  # menu label (Dutch)
    icon: str
    section: str  # menu section (Dutch)
    roles: frozenset[Role]


LOGIN = PageSpec("login", "pages/login.py", "Inloggen", ":material/login:", "", ALL_ROLES)

# Menu order within a section follows this order.
PAGES: dict[str, PageSpec] = {p.key: p for p in (
    PageSpec("melden", "pages/melden.py", "Signaal melden", ":material/add_circle:",
             "Signalen", frozenset({Role.SLEUTELFIGUUR})),
    PageSpec("mijn_meldingen", "pages/mijn_meldingen.py", "Mijn meldingen", ":material/list:",
             "Signalen", frozenset({Role.SLEUTELFIGUUR})),
    PageSpec("overzicht", "pages/overzicht.py", "Overzicht", ":material/dashboard:",
             "Signalen", REVIEWERS),
    PageSpec("wijkprofiel", "pages/wijkprofiel.py", "Wijkprofiel", ":material/monitoring:",
             "Signalen", REVIEWERS),
    PageSpec("weekbeeld", "pages/weekbeeld.py", "Weekbeeld", ":material/calendar_month:",
             "Signalen", frozenset({Role.MANAGER, Role.BEHEERDER})),
    PageSpec("duiding", "pages/duiding.py", "Duiding", ":material/fact_check:",
             "Signalen", REVIEWERS),
    PageSpec("importeren", "pages/importeren.py", "Importeren en exporteren",
             ":material/upload_file:", "Signalen", REVIEWERS),
    PageSpec("wijken", "pages/wijken.py", "Wijken", ":material/map:", "Signalen", REVIEWERS),
    PageSpec("risicokalender", "pages/risicokalender.py", "Risicokalender",
             ":material/event_upcoming:", "Signalen", REVIEWERS),
    PageSpec("terugblik", "pages/terugblik.py", "Terugblik", ":material/history_edu:",
             "Signalen", REVIEWERS),
    PageSpec("beheer_gebruikers", "pages/beheer_gebruikers.py", "Gebruikers",
             ":material/group:", "Beheer", ADMIN),
    PageSpec("beheer_wijken", "pages/beheer_wijken.py", "Wijken beheren",
             ":material/edit_location:", "Beheer", ADMIN),
    PageSpec("beheer_categorieen", "pages/beheer_categorieen.py", "Categorieën en thema's",
             ":material/category:", "Beheer", ADMIN),
    PageSpec("beheer_regels", "pages/beheer_regels.py", "Faseregels", ":material/rule:",
             "Beheer", ADMIN),
    PageSpec("beheer_bewaren", "pages/beheer_bewaren.py", "Bewaartermijn",
             ":material/auto_delete:", "Beheer", ADMIN),
    PageSpec("beheer_audit", "pages/beheer_audit.py", "Auditlog", ":material/history:",
             "Beheer", ADMIN),
    PageSpec("account", "pages/account.py", "Mijn account", ":material/person:",
             "Account", ALL_ROLES),
)}


def menu_for(role: Role) -> dict[str, list[PageSpec]]:
    """The pages `role` may open, grouped by menu section, in registry order."""
    sections: dict[str, list[PageSpec]] = {}
    for page in PAGES.values():
        if role in page.roles:
            sections.setdefault(page.section, []).append(page)
    return sections


def may_open(role: Role, key: str) -> bool:
    return role in PAGES[key].roles


def script(key: str) -> str:
    """The script path of a page, for st.switch_page and st.page_link."""
    return PAGES[key].script
