"""The page registry is the one source of page access: the router menu and every page guard."""

from __future__ import annotations

from signals.config import PROJECT_ROOT
from signals.domain import Role
from signals.navigation import LOGIN, PAGES, may_open, menu_for


def test_every_page_script_is_registered_and_exists() -> None:
    scripts = {f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py")}
    assert scripts == {spec.script for spec in PAGES.values()} | {LOGIN.script}


def test_every_page_guards_itself_with_its_own_registry_entry() -> None:
    for key, spec in PAGES.items():
        source = (PROJECT_ROOT / spec.script).read_text(encoding="utf-8")
        assert f'require_page("{key}")' in source, key
        assert "require_role(" not in source and "current_actor(" not in source, key


def test_menus_follow_the_roles() -> None:
    keys = {role: [p.key for ps in menu_for(role).values() for p in ps] for role in Role}
    assert keys[Role.SLEUTELFIGUUR] == ["melden", "mijn_meldingen", "account"]
    assert keys[Role.MANAGER] == ["weekbeeld", "account"]
    assert keys[Role.COORDINATOR] == ["overzicht", "wijkprofiel", "duiding", "importeren",
                                      "wijken", "risicokalender", "terugblik", "account"]
    assert set(keys[Role.BEHEERDER]) == set(PAGES) - {"melden", "mijn_meldingen"}
    assert list(menu_for(Role.BEHEERDER)) == ["Signalen", "Beheer", "Account"]


def test_only_key_figures_log_signals() -> None:
    assert [r for r in Role if may_open(r, "melden")] == [Role.SLEUTELFIGUUR]
    assert [r for r in Role if may_open(r, "mijn_meldingen")] == [Role.SLEUTELFIGUUR]
