"""Audit log: filters, export with neutralised formulas, export audited, append-only API,
and no description text anywhere in the log."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import PermissionDeniedError
from signals.services import audit_log
from signals.services.actor import SYSTEM_ACTOR, Actor
from signals.services.audit_log import AuditFilter, export_audit_csv, query_audit
from signals.services.retention import purge
from tests.security.factories import make_signal, make_user, make_wijken

PAYLOAD = "=HYPERLINK(\"http://evil.example\",\"klik\")"


def _event(engine, at: datetime, username: str, action: str, details=None) -> None:
    actor = Actor(user_id=None, username=username, role=Role.BEHEERDER)

    def work(session) -> None:
        session.add(AuditEvent(at=at, user_id=actor.user_id, username=username, action=action,
                               details=details))

    run_write(engine, work)


def _seed(engine) -> None:
    _event(engine, datetime(2026, 3, 1, 22, 30, tzinfo=UTC), "anna", "login")  # 23:30 NL
    _event(engine, datetime(2026, 3, 2, 8, 0, tzinfo=UTC), "bob", "export", {"rijen": 3})
    _event(engine, datetime(2026, 3, 5, 8, 0, tzinfo=UTC), PAYLOAD, "login_mislukt",
           {"geblokkeerd": False})


def test_filters_by_amsterdam_day_user_and_action(engine) -> None:
    _seed(engine)
    with read_session(engine) as session:
        day = query_audit(session, SYSTEM_ACTOR, AuditFilter(date(2026, 3, 1), date(2026, 3, 1)))
        assert list(day["gebruiker"]) == ["anna"]
        assert list(query_audit(session, SYSTEM_ACTOR, AuditFilter(username="bob"))["actie"]) \
            == ["export"]
        failed = query_audit(session, SYSTEM_ACTOR, AuditFilter(action="login_mislukt"))
        assert list(failed["gebruiker"]) == [PAYLOAD]
        everything = query_audit(session, SYSTEM_ACTOR)
        assert list(everything["gebruiker"]) == [PAYLOAD, "bob", "anna"]  # newest first
        assert set(audit_log.audit_actions(session, SYSTEM_ACTOR)) == {
            "login", "export", "login_mislukt"}


def test_export_neutralises_formulas_and_is_itself_audited(engine) -> None:
    _seed(engine)
    data = run_write(engine, lambda s: export_audit_csv(s, SYSTEM_ACTOR))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert {r["gebruiker"] for r in rows} == {"anna", "bob", "'" + PAYLOAD}
    assert rows[-1]["tijdstip"] == "01-03-2026 23:30:00"
    with read_session(engine) as session:
        last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert (last.action, last.object_type, last.details["rijen"]) == (
        "export", "audit_events", 3)


@pytest.mark.parametrize("role", [Role.SLEUTELFIGUUR, Role.COORDINATOR, Role.MANAGER])
def test_only_beheerders_read_the_log(engine, role: Role) -> None:
    make_wijken(engine, "WK000101")
    someone = make_user(engine, "iemand", role, () if role == Role.MANAGER else ("WK000101",))
    for attempt in (lambda s: query_audit(s, someone), lambda s: export_audit_csv(s, someone),
                    lambda s: audit_log.audit_actions(s, someone)):
        with pytest.raises(PermissionDeniedError):
            run_write(engine, attempt)


def test_the_service_offers_no_way_to_change_or_delete_events() -> None:
    public = {name for name in dir(audit_log) if not name.startswith("_")}
    assert not {n for n in public if n.startswith(("delete", "update", "remove", "purge"))}


def test_no_description_text_reaches_the_audit_log(engine) -> None:
    secret = "ZEER-GEHEIME-OMSCHRIJVING"
    ids = make_wijken(engine, "WK000101")
    reporter = make_user(engine, "sf1", Role.SLEUTELFIGUUR, ("WK000101",))
    make_signal(engine, ids["WK000101"], reporter, date(2020, 1, 6), description=secret,
                note=secret)
    run_write(engine, lambda s: purge(s, SYSTEM_ACTOR))
    run_write(engine, lambda s: export_audit_csv(s, SYSTEM_ACTOR))
    with read_session(engine) as session:
        events = list(session.scalars(select(AuditEvent)))
    assert events
    assert all(secret not in f"{e.details} {e.object_id} {e.username}" for e in events)
