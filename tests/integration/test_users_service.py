"""User administration: validation, scope per role, guards, and an audit trail per change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent, Credential, User
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import NotFoundError, PermissionDeniedError, ValidationError
from signals.services import users
from signals.services.actor import SYSTEM_ACTOR
from signals.services.auth import LoginFailedError, login
from tests.security.factories import PASSWORD, make_user, make_wijken

NEW_PASSWORD = "een-ander-lang-wachtwoord-7"


def _actions(engine) -> list[str]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _login(engine, username: str, password: str):
    return login(engine, username, password)


def test_add_list_and_log_in(engine) -> None:
    make_wijken(engine, "WK000101", "WK000102")
    beheerder = make_user(engine, "beheer.1", Role.BEHEERDER)
    run_write(engine, lambda s: users.add_user(s, beheerder, "jw-noord", Role.SLEUTELFIGUUR,
                                               PASSWORD, ["wk000102"], "jongerenwerker"))
    with read_session(engine) as session:
        table = users.list_users(session, beheerder).set_index("gebruikersnaam")
        credential = session.scalar(select(Credential).join(User)
                                    .where(User.username == "jw-noord"))
    assert table.loc["jw-noord", "rol"] == "Sleutelfiguur"
    assert table.loc["jw-noord", "rol_type"] == "Jongerenwerker"
    assert table.loc["jw-noord", "wijken"] == "WK000102"
    assert bool(table.loc["jw-noord", "actief"]) and bool(table.loc["jw-noord", "kan_inloggen"])
    assert "password_hash" not in table.columns
    assert credential.password_hash.startswith("$argon2id$")
    assert _login(engine, "jw-noord", PASSWORD).role is Role.SLEUTELFIGUUR
    assert "gebruiker_toegevoegd" in _actions(engine)


@pytest.mark.parametrize("bad", ["ab", "Hoofdletter", "met spatie", "<script>", "x" * 41,
                                 "robert'); drop table users;--", "[x](javascript:alert(1))"])
def test_usernames_outside_the_pattern_are_refused(engine, bad: str) -> None:
    make_wijken(engine, "WK000101")
    with pytest.raises(ValidationError) as error:
        run_write(engine, lambda s: users.add_user(s, SYSTEM_ACTOR, bad, Role.COORDINATOR,
                                                   PASSWORD, ["WK000101"]))
    assert error.value.errors[0].field == "Gebruikersnaam"


def test_every_problem_of_a_new_user_is_reported_at_once(engine) -> None:
    make_user(engine, "bestaat", Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        run_write(engine, lambda s: users.add_user(s, SYSTEM_ACTOR, "bestaat", "koning",
                                                   "kort", ["WK999999"], None))
    fields = {e.field for e in error.value.errors}
    assert {"Gebruikersnaam", "Rol", "Wachtwoord"} <= fields


@pytest.mark.parametrize(("role", "wijken", "reporter_role", "field"), [
    (Role.SLEUTELFIGUUR, [], "docent", "Wijken"),
    (Role.SLEUTELFIGUUR, ["WK000101"], None, "Functie"),
    (Role.SLEUTELFIGUUR, ["WK000101"], "astronaut", "Functie"),
    (Role.COORDINATOR, [], None, "Wijken"),
    (Role.COORDINATOR, ["WK000101"], "docent", "Functie"),
    (Role.MANAGER, ["WK000101"], None, "Wijken"),
    (Role.COORDINATOR, ["WK000199"], None, "Wijken"),
])
def test_role_and_scope_must_fit(engine, role, wijken, reporter_role, field) -> None:
    make_wijken(engine, "WK000101")
    with pytest.raises(ValidationError) as error:
        run_write(engine, lambda s: users.add_user(s, SYSTEM_ACTOR, "nieuw", role, PASSWORD,
                                                   wijken, reporter_role))
    assert [e.field for e in error.value.errors] == [field]


def test_disable_ends_login_and_enable_restores_it(engine) -> None:
    make_wijken(engine, "WK000101")
    beheerder = make_user(engine, "beheer.1", Role.BEHEERDER)
    make_user(engine, "coord", Role.COORDINATOR, ("WK000101",))
    run_write(engine, lambda s: users.disable_user(s, beheerder, "coord"))
    with pytest.raises(LoginFailedError):
        _login(engine, "coord", PASSWORD)
    run_write(engine, lambda s: users.enable_user(s, beheerder, "coord"))
    assert _login(engine, "coord", PASSWORD).username == "coord"
    assert {"gebruiker_uitgeschakeld", "gebruiker_ingeschakeld"} <= set(_actions(engine))


def test_beheerder_cannot_disable_self_or_the_last_beheerder(engine) -> None:
    only = make_user(engine, "enige", Role.BEHEERDER)
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: users.disable_user(s, only, "enige"))
    with pytest.raises(PermissionDeniedError, match="laatste actieve beheerder"):
        run_write(engine, lambda s: users.disable_user(s, SYSTEM_ACTOR, "enige"))
    make_user(engine, "tweede", Role.BEHEERDER)
    run_write(engine, lambda s: users.disable_user(s, SYSTEM_ACTOR, "enige"))


def test_assign_wijken_changes_scope_on_next_load(engine) -> None:
    make_wijken(engine, "WK000101", "WK000102")
    coordinator = make_user(engine, "coord", Role.COORDINATOR, ("WK000101",))
    run_write(engine, lambda s: users.assign_wijken(s, SYSTEM_ACTOR, "coord",
                                                    ["WK000102", "WK000101"]))
    with read_session(engine) as session:
        assert users.user_wijk_codes(session, SYSTEM_ACTOR, "coord") == ["WK000101", "WK000102"]
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: users.assign_wijken(s, SYSTEM_ACTOR, "coord", []))
    with pytest.raises(NotFoundError):
        run_write(engine, lambda s: users.assign_wijken(s, SYSTEM_ACTOR, "niemand", []))
    assert coordinator.wijk_ids  # the old Actor object is a snapshot, the DB is the truth


def test_reset_password_lifts_lockout_and_replaces_the_old_one(engine) -> None:
    make_user(engine, "manager1", Role.MANAGER)
    for _ in range(5):
        with pytest.raises(LoginFailedError):
            _login(engine, "manager1", "fout")
    run_write(engine, lambda s: users.reset_password(s, SYSTEM_ACTOR, "manager1", NEW_PASSWORD))
    assert _login(engine, "manager1", NEW_PASSWORD).role is Role.MANAGER
    with pytest.raises(LoginFailedError):
        _login(engine, "manager1", PASSWORD)
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: users.reset_password(s, SYSTEM_ACTOR, "manager1",
                                                         "wachtwoord123"))


def test_change_own_password(engine) -> None:
    me = make_user(engine, "manager1", Role.MANAGER)
    with pytest.raises(ValidationError) as wrong:
        users.change_own_password(engine, me, "fout", NEW_PASSWORD, NEW_PASSWORD)
    assert wrong.value.errors[0].field == "Huidig wachtwoord"
    with pytest.raises(ValidationError) as weak:
        users.change_own_password(engine, me, PASSWORD, "Welkom2026!", "Welkom2026?")
    messages = str(weak.value)
    assert "minstens 12" in messages and "voorspelbaar" in messages
    assert "komt niet overeen" in messages
    users.change_own_password(engine, me, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert _login(engine, "manager1", NEW_PASSWORD).username == "manager1"
    actions = _actions(engine)
    assert "wachtwoord_wijzigen_mislukt" in actions and "wachtwoord_gewijzigd" in actions


def test_system_actor_has_no_own_password(engine) -> None:
    with pytest.raises(PermissionDeniedError):
        users.change_own_password(engine, SYSTEM_ACTOR, "a", "b", "b")


@pytest.mark.parametrize("role", [Role.SLEUTELFIGUUR, Role.COORDINATOR, Role.MANAGER])
def test_only_beheerders_administer_users(engine, role: Role) -> None:
    make_wijken(engine, "WK000101")
    someone = make_user(engine, "iemand", role, ("WK000101",) if role != Role.MANAGER else ())
    attempts = [
        lambda s: users.list_users(s, someone),
        lambda s: users.add_user(s, someone, "nieuw", Role.BEHEERDER, PASSWORD),
        lambda s: users.disable_user(s, someone, "iemand"),
        lambda s: users.enable_user(s, someone, "iemand"),
        lambda s: users.assign_wijken(s, someone, "iemand", ["WK000101"]),
        lambda s: users.reset_password(s, someone, "iemand", NEW_PASSWORD),
        lambda s: users.set_email(s, someone, "iemand", "a@b.nl"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError):
            run_write(engine, attempt)


def test_email_links_are_unique_and_validated(engine) -> None:
    make_user(engine, "een", Role.MANAGER)
    make_user(engine, "twee", Role.MANAGER)
    run_write(engine, lambda s: users.set_email(s, SYSTEM_ACTOR, "een", "Een@Gemeente.nl"))
    with pytest.raises(ValidationError, match="al gekoppeld"):
        run_write(engine, lambda s: users.set_email(s, SYSTEM_ACTOR, "twee", "een@gemeente.nl"))
    with pytest.raises(ValidationError, match="geen geldig"):
        run_write(engine, lambda s: users.set_email(s, SYSTEM_ACTOR, "twee",
                                                    "<script>@x.nl"))
