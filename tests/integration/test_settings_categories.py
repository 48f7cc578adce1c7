"""Categories, themes and wijk names (beheer): validation, audit, and refusal for others.

Runs on SQLite only: categories and themes are reference tables that the shared
PostgreSQL test database keeps between tests.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent, CategoryRow, Theme, Wijk
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import NotFoundError, PermissionDeniedError, ValidationError
from signals.services import categories, wijk_admin
from signals.services.actor import SYSTEM_ACTOR
from tests.security.factories import make_user, make_wijken

INJECTION = "Robert'); DROP TABLE signals;--"


def test_category_label_and_severity_change_is_audited(sqlite_engine) -> None:
    run_write(sqlite_engine, lambda s: categories.update_category(
        s, SYSTEM_ACTOR, "symbolen", "  Symbolen,   leuzen ", 3))
    with read_session(sqlite_engine) as session:
        row = session.get(CategoryRow, "symbolen")
        event = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "categorie_gewijzigd"))
    assert (row.label, row.default_severity) == ("Symbolen, leuzen", 3)
    assert event.details["oud"]["standaard_ernst"] == 2


@pytest.mark.parametrize(("label", "severity"), [("", 2), ("x" * 101, 2), ("ok", 6),
                                                 ("a\u202eb", 2), ("ok", -1)])
def test_bad_category_values_are_refused(sqlite_engine, label, severity) -> None:
    with pytest.raises(ValidationError):
        run_write(sqlite_engine, lambda s: categories.update_category(
            s, SYSTEM_ACTOR, "symbolen", label, severity))


def test_themes_can_be_added_and_switched_off_but_not_duplicated(sqlite_engine) -> None:
    run_write(sqlite_engine, lambda s: categories.add_theme(s, SYSTEM_ACTOR, "windmolens",
                                                            "Windmolens"))
    with pytest.raises(ValidationError, match="bestaat al"):
        run_write(sqlite_engine, lambda s: categories.add_theme(s, SYSTEM_ACTOR, "windmolens",
                                                                "Nogmaals"))
    with pytest.raises(ValidationError):
        run_write(sqlite_engine, lambda s: categories.add_theme(s, SYSTEM_ACTOR, "<b>x</b>",
                                                                "x"))
    run_write(sqlite_engine, lambda s: categories.set_theme_active(s, SYSTEM_ACTOR,
                                                                   "windmolens", False))
    with read_session(sqlite_engine) as session:
        assert "windmolens" not in set(categories.list_themes(session, active_only=True)["code"])
        assert not session.get(Theme, "windmolens").active
    with pytest.raises(NotFoundError):
        run_write(sqlite_engine, lambda s: categories.set_theme_active(s, SYSTEM_ACTOR,
                                                                       "bestaat_niet", True))


def test_injection_text_is_stored_verbatim_as_a_theme_label(sqlite_engine) -> None:
    run_write(sqlite_engine, lambda s: categories.add_theme(s, SYSTEM_ACTOR, "test_thema",
                                                            INJECTION))
    with read_session(sqlite_engine) as session:
        assert session.get(Theme, "test_thema").label == INJECTION
        assert categories.list_categories(session).shape[0] == 13  # signals table intact


def test_wijk_rename(sqlite_engine) -> None:
    make_wijken(sqlite_engine, "WK000101")
    run_write(sqlite_engine, lambda s: wijk_admin.rename_wijk(s, SYSTEM_ACTOR, "wk000101",
                                                              INJECTION))
    with read_session(sqlite_engine) as session:
        assert session.scalar(select(Wijk.name)) == INJECTION
        overview = wijk_admin.wijk_overview(session, SYSTEM_ACTOR)
    assert list(overview["wijk_naam"]) == [INJECTION]
    with pytest.raises(ValidationError):
        run_write(sqlite_engine, lambda s: wijk_admin.rename_wijk(s, SYSTEM_ACTOR,
                                                                  "WK000101", "  "))
    with pytest.raises(NotFoundError):
        run_write(sqlite_engine, lambda s: wijk_admin.rename_wijk(s, SYSTEM_ACTOR,
                                                                  "WK999999", "x"))


@pytest.mark.parametrize("role", [Role.SLEUTELFIGUUR, Role.COORDINATOR, Role.MANAGER])
def test_only_beheerders_change_reference_data(sqlite_engine, role: Role) -> None:
    make_wijken(sqlite_engine, "WK000101")
    someone = make_user(sqlite_engine, "iemand", role,
                        () if role == Role.MANAGER else ("WK000101",))
    attempts = [
        lambda s: categories.update_category(s, someone, "symbolen", "x", 1),
        lambda s: categories.add_theme(s, someone, "nieuw_thema", "x"),
        lambda s: categories.set_theme_active(s, someone, "overig", False),
        lambda s: wijk_admin.rename_wijk(s, someone, "WK000101", "x"),
        lambda s: wijk_admin.wijk_overview(s, someone),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError):
            run_write(sqlite_engine, attempt)
