"""AppTest: Mijn account shows who you are and your wijken, and changes your own password
(current password needed, policy enforced, other sessions ended, this one kept)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from signals.db.engine import default_engine
from signals.services.auth import LoginFailedError, login
from signals.ui import session as ui_session
from tests.ui.helpers import APP, TIMEOUT, logged_in, open_page

NEW = "mijn-nieuwe-zin-voor-2027"


def _account(username: str) -> AppTest:
    return open_page(logged_in(username), "pages/account.py")


def _change(at: AppTest, current: str, new: str, repeat: str) -> AppTest:
    at.text_input[0].input(current)
    at.text_input[1].input(new)
    at.text_input[2].input(repeat)
    at.button(key="FormSubmitter:wachtwoord-Wachtwoord wijzigen").click()
    return at.run()


def test_coordinator_sees_their_wijken_and_manager_sees_all(demo_database) -> None:
    at = _account("coordinator_zuid")
    assert "coordinator\\_zuid" in at.markdown[0].value
    assert set(at.dataframe[0].value["Wijk"]) == {"Industrieterrein Noord", "Buitenhof",
                                                 "Zuiderpark", "Nieuwland"}
    at = _account("manager")
    assert not at.dataframe and "alle wijken" in at.caption[0].value


def test_change_password_keeps_this_session_and_ends_the_others(demo_database) -> None:
    other = open_page(logged_in("coordinator"), "pages/wijken.py")
    at = _account("coordinator")
    at = _change(at, "demo-coordinator-2026", NEW, NEW)
    assert "gewijzigd" in at.success[0].value
    assert login(default_engine(), "coordinator", NEW).username == "coordinator"
    try:
        login(default_engine(), "coordinator", "demo-coordinator-2026")
        raise AssertionError("old password still works")
    except LoginFailedError:
        pass
    at.run()
    assert at.title[0].value == "Mijn account"  # this session continues
    other.run()
    assert not other.dataframe and "wachtwoord is gewijzigd" in other.warning[0].value
    assert ui_session.TOKEN_KEY not in other.session_state


def test_wrong_current_password_counts_towards_the_lockout(demo_database) -> None:
    at = _account("manager")
    for _ in range(5):
        at = _change(at, "fout", NEW, NEW)
        assert "Huidig wachtwoord" in at.error[0].value
    at = _change(at, "demo-manager-2026", NEW, NEW)
    assert "Huidig wachtwoord" in at.error[0].value  # locked, even with the right one
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    fresh.text_input[0].input("manager")
    fresh.text_input[1].input("demo-manager-2026")
    fresh.button[0].click()
    fresh.run()
    assert "Inloggen mislukt" in fresh.error[0].value


def test_policy_problems_are_all_listed(demo_database) -> None:
    at = _change(_account("manager"), "demo-manager-2026", "welkom123", "welkom1234")
    text = at.error[0].value
    assert "3 problemen" in text
    assert "12 tekens" in text and "voorspelbaar" in text and "komt niet overeen" in text
