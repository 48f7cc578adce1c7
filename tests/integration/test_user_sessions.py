"""Database sessions on SQLite and PostgreSQL: the token is stored only as a hash, every
login gets a new token, a one-time code only works in the browser it was made for, and a
password change, disabling or a role change revokes the user's sessions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from signals.db.models import UserSession, utcnow
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.services import settings, user_sessions, users
from signals.services.actor import SYSTEM_ACTOR
from signals.services.user_sessions import SessionStatus, hash_token
from tests.security.factories import PASSWORD, make_user

BROWSER, OTHER_BROWSER = "binding-van-deze-browser", "binding-van-een-andere-browser"
NEW_PASSWORD = "een nieuwe zin van woorden 2026"


def _login(engine, actor, binding: str = BROWSER, target: str = "wijkprofiel?wijk=WK990105",
           previous: str | None = None) -> tuple[str, str]:
    code = run_write(engine, lambda s: user_sessions.begin_login(s, actor, binding, target))
    result = run_write(engine, lambda s: user_sessions.redeem(s, code, binding, previous))
    assert result is not None
    return result


def _status(engine, token: str, now=None) -> SessionStatus:
    with read_session(engine) as session:
        return user_sessions.check(session, token, now).status


def _rows(engine) -> list[UserSession]:
    with read_session(engine) as session:
        return list(session.scalars(select(UserSession)))


def test_the_database_holds_only_a_hash_of_the_token(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    token, target = _login(engine, coordinator)
    assert target == "wijkprofiel?wijk=WK990105"
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    [row] = _rows(engine)
    assert row.token_hash == hash_token(token) and row.token_hash != token
    assert row.handoff_hash is None and row.binding_hash is None
    assert token not in repr([getattr(row, c.key) for c in UserSession.__table__.columns])
    assert _status(engine, token) is SessionStatus.ACTIVE
    assert _status(engine, row.token_hash) is SessionStatus.UNKNOWN  # the hash is no key


def test_every_login_gets_a_new_token_and_ends_the_browsers_old_session(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    first, _ = _login(engine, coordinator)
    second, _ = _login(engine, coordinator, previous=first)
    assert first != second
    assert _status(engine, first) is SessionStatus.ENDED
    assert _status(engine, second) is SessionStatus.ACTIVE


def test_a_code_works_once_and_only_in_its_own_browser(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    code = run_write(engine, lambda s: user_sessions.begin_login(s, coordinator, BROWSER, ""))
    # Login CSRF: an attacker's code, opened in the victim's browser, is refused...
    assert run_write(engine, lambda s: user_sessions.redeem(s, code, OTHER_BROWSER)) is None
    # ...and spent: not even the right browser can use it afterwards.
    assert run_write(engine, lambda s: user_sessions.redeem(s, code, BROWSER)) is None
    late = run_write(engine, lambda s: user_sessions.begin_login(s, coordinator, BROWSER, ""))
    later = utcnow() + timedelta(seconds=user_sessions.HANDOFF_SECONDS + 1)
    assert run_write(engine, lambda s: user_sessions.redeem(s, late, BROWSER, now=later)) is None
    assert all(row.token_hash is None for row in _rows(engine))


def test_idle_timeout_and_absolute_lifetime_follow_the_settings(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    run_write(engine, lambda s: settings.update_security(s, SYSTEM_ACTOR, 5, 15, 30, 2))
    token, _ = _login(engine, coordinator)
    start = utcnow()
    assert _status(engine, token, start + timedelta(minutes=29)) is SessionStatus.ACTIVE
    assert _status(engine, token, start + timedelta(minutes=31)) is SessionStatus.IDLE
    moment = start
    for _ in range(4):  # active every 25 minutes: idle never strikes, the lifetime does
        moment += timedelta(minutes=25)
        assert _status(engine, token, moment) is SessionStatus.ACTIVE
        run_write(engine, lambda s, m=moment: user_sessions.touch(s, token, m))
    assert _status(engine, token, start + timedelta(hours=2, seconds=1)) \
        is SessionStatus.EXPIRED


def test_a_password_change_revokes_every_session_of_the_user(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    other = make_user(engine, "ander", Role.MANAGER)
    tokens = [_login(engine, coordinator)[0], _login(engine, coordinator, OTHER_BROWSER)[0]]
    bystander, _ = _login(engine, other)
    users.change_own_password(engine, coordinator, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert [_status(engine, t) for t in tokens] == [SessionStatus.ENDED] * 2
    assert all(r.revoked for r in _rows(engine) if r.user_id == coordinator.user_id)
    assert _status(engine, bystander) is SessionStatus.ACTIVE
    admin = make_user(engine, "beheer", Role.BEHEERDER)
    fresh, _ = _login(engine, coordinator)
    run_write(engine, lambda s: users.reset_password(s, admin, "coord", PASSWORD + " opnieuw"))
    assert _status(engine, fresh) is SessionStatus.ENDED


def test_disabling_a_user_revokes_their_sessions(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    token, _ = _login(engine, coordinator)
    run_write(engine, lambda s: users.disable_user(s, SYSTEM_ACTOR, "coord"))
    assert _status(engine, token) is SessionStatus.ENDED
    run_write(engine, lambda s: users.enable_user(s, SYSTEM_ACTOR, "coord"))
    assert _status(engine, token) is SessionStatus.ENDED  # enabling does not revive it


def test_a_role_change_revokes_the_users_sessions(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    token, _ = _login(engine, coordinator)
    run_write(engine, lambda s: users.change_role(s, SYSTEM_ACTOR, "coord", Role.BEHEERDER))
    assert _status(engine, token) is SessionStatus.ENDED
    with read_session(engine) as session:
        assert session.scalar(select(UserSession.revoked)) is True
    token, _ = _login(engine, make_user(engine, "mgr", Role.MANAGER))
    assert _status(engine, token) is SessionStatus.ACTIVE


def test_logout_revokes_only_that_session(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    phone, _ = _login(engine, coordinator)
    desk, _ = _login(engine, coordinator, OTHER_BROWSER)
    run_write(engine, lambda s: user_sessions.revoke(s, phone))
    assert _status(engine, phone) is SessionStatus.ENDED
    assert _status(engine, desk) is SessionStatus.ACTIVE


def test_ended_sessions_are_deleted_after_a_day(engine) -> None:
    coordinator = make_user(engine, "coord", Role.MANAGER)
    token, _ = _login(engine, coordinator)
    run_write(engine, lambda s: user_sessions.revoke(s, token))
    assert run_write(engine, lambda s: user_sessions.purge_ended(s)) == 0
    later = utcnow() + timedelta(days=2)
    assert run_write(engine, lambda s: user_sessions.purge_ended(s, later)) == 1
    assert _rows(engine) == []
