"""AppTest: the login session. Forged session state grants nothing; idle timeout, lockout,
disabling and password changes end sessions; the role is re-read on every run.

AppTest runs app.py (the router and login gate) on a fresh test; after a login it runs the
page scripts directly, so those runs exercise each page's own guard (current_actor /
require_role). `_app_with_token` starts a fresh app.py run for a session token.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from signals.config import PROJECT_ROOT
from signals.db.engine import default_engine
from signals.db.models import User, utcnow
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.services import settings, users
from signals.services.actor import SYSTEM_ACTOR
from signals.ui import session as ui_session
from tests.ui.helpers import APP, TIMEOUT, logged_in, open_page

NO_ACCESS = "U heeft geen toegang tot deze pagina."
FORGED = {"_auth_token": "vervalst-token", "role": "beheerder", "_auth_role": "beheerder",
          "user_role": "beheerder", "actor": "beheerder", "_auth_last_seen": 10.0**12,
          "username": "beheerder", "logged_in": True, "authenticated": True}


def _user_id(username: str) -> int:
    with read_session(default_engine()) as session:
        return session.scalar(select(User.id).where(User.username == username))


def _app_with_token(token: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if token is not None:
        at.session_state[ui_session.TOKEN_KEY] = token
    return at.run()


def _on_login_page(at: AppTest) -> bool:
    return [t.label for t in at.text_input][:2] == ["Gebruikersnaam", "Wachtwoord"] \
        and not at.dataframe


def _signed_in_as(at: AppTest) -> str:
    return at.sidebar.text[0].value if at.sidebar.text else ""


def _token(at: AppTest) -> str:
    return at.session_state[ui_session.TOKEN_KEY]


def test_forged_session_state_does_not_log_anyone_in(demo_database) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in {**FORGED, "_auth_user_id": _user_id("beheerder")}.items():
        at.session_state[key] = value
    at.run()
    assert _on_login_page(at) and not _signed_in_as(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(PROJECT_ROOT / "pages/beheer_gebruikers.py"))  # not even routed


def test_forged_role_and_user_id_in_a_real_session_grant_nothing(demo_database) -> None:
    at = logged_in("sleutelfiguur")
    for key, value in {**FORGED, "_auth_user_id": _user_id("beheerder")}.items():
        if key != "_auth_token":
            at.session_state[key] = value
    forged = {**FORGED, "_auth_user_id": _user_id("beheerder"), "_auth_token": _token(at)}
    for page in ("beheer_gebruikers", "beheer_wijken", "beheer_categorieen", "beheer_regels",
                 "beheer_bewaren", "beheer_audit"):
        # The router never offers these pages to a key figure; run each script directly so
        # its own guard is what is tested.
        direct = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"),
                                   default_timeout=TIMEOUT)
        for key, value in forged.items():
            direct.session_state[key] = value
        direct.run()
        assert [e.value for e in direct.error] == [NO_ACCESS], page
        assert not direct.dataframe and not direct.text_area
    assert "Sleutelfiguur" in _signed_in_as(_app_with_token(_token(at)))


def test_a_token_that_was_never_issued_is_refused(demo_database) -> None:
    token = _token(logged_in("beheerder"))
    assert "Beheerder" in _signed_in_as(_app_with_token(token))
    for forged in (token + "x", token[:-1], "", "None", token.upper()):
        assert _on_login_page(_app_with_token(forged))


def test_idle_timeout_logs_out_with_a_notice(demo_database, monkeypatch) -> None:
    now = [utcnow()]
    monkeypatch.setattr(ui_session, "now", lambda: now[0])
    at = open_page(logged_in("coordinator"), "pages/account.py")
    now[0] += timedelta(minutes=29)
    at.run()
    assert at.title[0].value == "Mijn account"
    now[0] += timedelta(minutes=30, seconds=1)
    at.run()
    assert not at.title and "30 minuten zonder activiteit" in at.warning[0].value
    assert ui_session.TOKEN_KEY not in at.session_state


def test_idle_timeout_follows_the_setting(demo_database, monkeypatch) -> None:
    run_write(default_engine(), lambda s: settings.update_security(s, SYSTEM_ACTOR, 5, 15, 60))
    now = [utcnow()]
    monkeypatch.setattr(ui_session, "now", lambda: now[0])
    at = open_page(logged_in("manager"), "pages/account.py")
    now[0] += timedelta(minutes=45)
    at.run()
    assert at.title[0].value == "Mijn account"
    now[0] += timedelta(minutes=61)
    at.run()
    assert "60 minuten zonder activiteit" in at.warning[0].value


def test_five_failures_lock_the_account_in_the_ui(demo_database) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    messages = []
    for password in ["fout"] * 5 + ["demo-manager-2026"]:
        at.text_input[0].input("manager")
        at.text_input[1].input(password)
        at.button[0].click()
        at.run()
        messages.append(at.error[0].value)
    assert len(set(messages)) == 1 and "Inloggen mislukt" in messages[0]
    assert ui_session.TOKEN_KEY not in at.session_state


def test_disabling_a_user_ends_their_open_session(demo_database) -> None:
    at = open_page(logged_in("coordinator"), "pages/account.py")
    run_write(default_engine(), lambda s: users.disable_user(s, SYSTEM_ACTOR, "coordinator"))
    at.run()
    assert not at.title and at.warning
    assert ui_session.TOKEN_KEY not in at.session_state


def test_a_role_change_ends_the_session(demo_database) -> None:
    """The role is re-read on every run, and a change of role (even one made directly in
    the database) ends the session: the user logs in again under the new role."""
    at = open_page(logged_in("coordinator"), "pages/account.py")
    token = _token(at)
    assert "Coördinator" in _signed_in_as(_app_with_token(token))

    def demote(session) -> None:
        user = session.scalar(select(User).where(User.username == "coordinator"))
        user.role, user.wijken = Role.MANAGER.value, []

    run_write(default_engine(), demote)
    at.run()
    assert not at.title and "Uw sessie is beëindigd" in at.warning[0].value
    assert _on_login_page(_app_with_token(token))
    assert "Manager" in _signed_in_as(_app_with_token(_token(logged_in("coordinator"))))


@pytest.mark.parametrize("username", ["<script>alert(1)</script>", "[x](javascript:alert(1))",
                                      "Robert'); DROP TABLE users;--"])
def test_payload_usernames_on_the_login_form_just_fail(demo_database, username) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input[0].input(username)
    at.text_input[1].input("x")
    at.button[0].click()
    at.run()
    assert "Inloggen mislukt" in at.error[0].value and not at.exception
    assert _token(logged_in("beheerder"))  # the users table is intact
