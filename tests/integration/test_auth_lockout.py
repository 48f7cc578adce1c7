"""Login: argon2id re-hash, lockout (configurable), one message for every failure, OIDC
mapping by e-mail, and every attempt in the audit log."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import select

from signals.config import PROJECT_ROOT
from signals.db.models import AuditEvent, Credential, User, utcnow
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.services import passwords, settings, users
from signals.services.actor import SYSTEM_ACTOR
from signals.services.auth import LOGIN_FAILED, LoginFailedError, idle_expired, login, login_email
from tests.security.factories import PASSWORD, make_user


def _fail(engine, username: str, password: str, now=None) -> str:
    with pytest.raises(LoginFailedError) as error:
        login(engine, username, password, now=now)
    return str(error.value)


def _credential(engine, username: str) -> Credential:
    with read_session(engine) as session:
        return session.scalar(select(Credential).join(User).where(User.username == username))


def test_unknown_user_wrong_password_and_locked_give_the_same_message(engine) -> None:
    make_user(engine, "coord", Role.MANAGER)
    messages = {_fail(engine, "niemand", PASSWORD), _fail(engine, "coord", "fout")}
    for _ in range(4):
        _fail(engine, "coord", "fout")
    messages.add(_fail(engine, "coord", PASSWORD))  # locked now
    assert messages == {LOGIN_FAILED}


def test_five_failures_lock_even_the_right_password_until_the_period_ends(engine) -> None:
    make_user(engine, "coord", Role.MANAGER)
    start = utcnow()
    for minute in range(5):
        _fail(engine, "coord", "fout", now=start + timedelta(minutes=minute))
    locked = _credential(engine, "coord").locked_until
    assert locked == start + timedelta(minutes=4 + 15)
    _fail(engine, "coord", PASSWORD, now=start + timedelta(minutes=18))
    actor = login(engine, "coord", PASSWORD, now=start + timedelta(minutes=20))
    assert actor.username == "coord"
    assert _credential(engine, "coord").failed_logins == 0


def test_four_failures_then_success_resets_the_counter(engine) -> None:
    make_user(engine, "coord", Role.MANAGER)
    for _ in range(4):
        _fail(engine, "coord", "fout")
    login(engine, "coord", PASSWORD)
    for _ in range(4):
        _fail(engine, "coord", "fout")
    assert login(engine, "coord", PASSWORD).username == "coord"


def test_lockout_is_configurable_in_the_settings_table(engine) -> None:
    make_user(engine, "coord", Role.MANAGER)
    run_write(engine, lambda s: settings.update_security(s, SYSTEM_ACTOR, 3, 60, 30))
    start = utcnow()
    for _ in range(3):
        _fail(engine, "coord", "fout", now=start)
    _fail(engine, "coord", PASSWORD, now=start + timedelta(minutes=59))
    assert login(engine, "coord", PASSWORD, now=start + timedelta(minutes=61))


def test_every_attempt_is_audited_without_the_password(engine) -> None:
    make_user(engine, "coord", Role.MANAGER)
    _fail(engine, "niemand", "geheim-wachtwoord-x")
    _fail(engine, "coord", "geheim-wachtwoord-y")
    login(engine, "coord", PASSWORD)
    with read_session(engine) as session:
        events = list(session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(["login", "login_mislukt"])).order_by(AuditEvent.id)))
    assert [(e.username, e.action) for e in events] == [
        ("niemand", "login_mislukt"), ("coord", "login_mislukt"), ("coord", "login")]
    assert all("geheim" not in str(e.details) and PASSWORD not in str(e.details)
               for e in events)


def test_the_app_hashes_with_rfc_9106_parameters_the_suite_with_cheap_ones() -> None:
    assert passwords.PRODUCTION_PARAMETERS == profiles.RFC_9106_LOW_MEMORY
    fresh_process = subprocess.run(
        [sys.executable, "-c", "from signals.services import passwords as p; "
                               "print(p.current_parameters() == p.PRODUCTION_PARAMETERS)"],
        capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert fresh_process.stdout.strip() == "True"
    assert passwords.current_parameters().memory_cost < 1024  # this test process


def test_hash_is_upgraded_when_the_parameters_change(engine, production_password_hashing) -> None:
    make_user(engine, "coord", Role.MANAGER)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)

    def downgrade(session) -> None:
        session.scalar(select(Credential).join(User).where(User.username == "coord")
                       ).password_hash = weak

    run_write(engine, downgrade)
    login(engine, "coord", PASSWORD)
    upgraded = _credential(engine, "coord").password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$")
    assert "$m=65536,t=3,p=4$" in upgraded  # RFC 9106 (low memory), as in production
    assert login(engine, "coord", PASSWORD).username == "coord"


def test_disabled_accounts_and_accounts_without_password_cannot_log_in(engine) -> None:
    make_user(engine, "zonder", Role.MANAGER, password=None)
    make_user(engine, "uit", Role.MANAGER)
    make_user(engine, "beheer", Role.BEHEERDER)
    run_write(engine, lambda s: users.disable_user(s, SYSTEM_ACTOR, "uit"))
    assert _fail(engine, "zonder", "") == LOGIN_FAILED
    assert _fail(engine, "uit", PASSWORD) == LOGIN_FAILED


def test_oidc_identity_maps_by_email_and_the_role_is_ours(engine) -> None:
    make_user(engine, "mgr", Role.MANAGER)
    run_write(engine, lambda s: users.set_email(s, SYSTEM_ACTOR, "mgr", "mgr@gemeente.nl"))
    actor = login_email(engine, "MGR@Gemeente.nl")
    assert (actor.username, actor.role) == ("mgr", Role.MANAGER)
    with pytest.raises(LoginFailedError):
        login_email(engine, "onbekend@gemeente.nl")
    run_write(engine, lambda s: users.disable_user(s, SYSTEM_ACTOR, "mgr"))
    with pytest.raises(LoginFailedError):
        login_email(engine, "mgr@gemeente.nl")


def test_idle_expiry_is_strictly_after_the_limit() -> None:
    assert not idle_expired(0.0, 30 * 60, 30)
    assert idle_expired(0.0, 30 * 60 + 1, 30)
