"""AppTest: every page refuses the roles the page registry does not allow on it.

AppTest runs page scripts directly after the login, so these runs exercise each page's own
guard for pages that the router would not even offer the role.
"""

from __future__ import annotations

import pytest

from signals.domain import Role
from signals.navigation import PAGES
from tests.ui.helpers import logged_in, open_page, run_page_as

NO_ACCESS = "U heeft geen toegang tot deze pagina."
DEMO_USER = {Role.SLEUTELFIGUUR: "sleutelfiguur", Role.COORDINATOR: "coordinator",
             Role.MANAGER: "manager", Role.BEHEERDER: "beheerder"}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_pages_outside_the_registry_refuse_the_role(demo_database, role: Role) -> None:
    at = logged_in(DEMO_USER[role])
    refused = [spec for spec in PAGES.values() if role not in spec.roles]
    for spec in refused:
        page = run_page_as(at, spec.script)
        assert [e.value for e in page.error] == [NO_ACCESS], spec.key
        assert not page.dataframe and not page.button and not page.file_uploader, spec.key
    if role == Role.BEHEERDER:
        assert [s.key for s in refused] == ["melden", "mijn_meldingen"]


def test_a_key_figure_gets_the_melden_page(demo_database) -> None:
    at = open_page(logged_in("sleutelfiguur"), PAGES["melden"].script)
    assert not at.error and [t.value for t in at.title] == ["Signaal melden"]
