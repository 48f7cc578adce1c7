"""SQL-injection and markup payloads are data: stored and returned verbatim, on SQLite and
PostgreSQL, and never change a query's meaning."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from signals.db.models import AuditEvent, Signal, User, Wijk
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import ValidationError
from signals.services import wijk_admin
from signals.services.actor import SYSTEM_ACTOR
from signals.services.audit_log import AuditFilter, query_audit
from signals.services.auth import LoginFailedError, login
from signals.services.users import add_user
from signals.services.wijken import import_wijken
from tests.security.factories import PASSWORD, make_signal, make_user, make_wijken

PAYLOADS = [
    "Robert'); DROP TABLE signals;--",
    "' OR '1'='1",
    "x\"; DELETE FROM users WHERE \"1\"=\"1",
    "1; UPDATE users SET role='beheerder'",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "=HYPERLINK(\"http://evil\")",
    "Zuid — ‘quotes’ «» ü ẞ 🚨",
    "%' OR 1=1 --",
    "\\'; SELECT pg_sleep(5); --",
]


def _csv(names: list[str]) -> bytes:
    lines = ["wijk_code;wijk_naam"]
    for i, name in enumerate(names):
        escaped = name.replace('"', '""')
        lines.append(f'WK0001{i:02d};"{escaped}"')
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_wijk_names_are_stored_verbatim(engine) -> None:
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "w.csv", _csv(PAYLOADS)))
    with read_session(engine) as session:
        stored = dict(session.execute(select(Wijk.code, Wijk.name)).all())
        assert session.scalar(select(func.count()).select_from(Signal)) == 0  # table exists
    assert [stored[f"WK0001{i:02d}"] for i in range(len(PAYLOADS))] == PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rename_stores_verbatim(engine, payload: str) -> None:
    wijk = make_wijken(engine, "WK000101")["WK000101"]
    reporter = make_user(engine, "sf_noord", Role.SLEUTELFIGUUR, ("WK000101",), password=None)
    make_signal(engine, wijk, reporter, date(2026, 1, 5))
    run_write(engine, lambda s: wijk_admin.rename_wijk(s, SYSTEM_ACTOR, "WK000101", payload))
    with read_session(engine) as session:
        assert session.scalar(select(Wijk.name)) == " ".join(payload.split())
        # The payloads try to drop signals, delete users and promote them: all still as before.
        users = session.execute(select(User.username, User.role)).all()
        assert users == [("sf_noord", "sleutelfiguur")]
        assert session.scalar(select(func.count()).select_from(Signal)) == 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_with_payloads_fails_and_is_logged_verbatim(engine, payload: str) -> None:
    make_user(engine, "beheer", Role.BEHEERDER)
    for username, password in ((payload, PASSWORD), ("beheer", payload)):
        with pytest.raises(LoginFailedError):
            login(engine, username, password)
    with read_session(engine) as session:
        names = set(session.scalars(select(AuditEvent.username)))
        filtered = query_audit(session, SYSTEM_ACTOR, AuditFilter(username=payload))
        assert session.scalar(select(User.role).where(User.username == "beheer")) == "beheerder"
    assert payload[:80] in names
    assert list(filtered["gebruiker"]) == [payload[:80]]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_usernames_are_refused_before_the_database(engine, payload: str) -> None:
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: add_user(s, SYSTEM_ACTOR, payload, Role.MANAGER, PASSWORD))


def test_control_characters_in_a_wijk_file_are_a_validation_error(engine) -> None:
    data = b"wijk_code,wijk_naam\nWK000101,Noord\x00oost\n"
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "w.csv", data))
