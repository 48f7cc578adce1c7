"""AppTest: login gate, and the wijken page with its 8-week counts within the user's scope."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.helpers import APP, TIMEOUT, logged_in, open_page


def test_nobody_gets_past_the_login(demo_database) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    assert not at.dataframe


def test_wrong_password_gives_one_generic_message(demo_database) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.text_input[0].input("coordinator")
    at.text_input[1].input("fout-wachtwoord")
    at.button[0].click()
    at.run()
    assert "Inloggen mislukt" in at.error[0].value
    assert not at.dataframe


def test_beheerder_sees_every_demo_wijk_with_weekly_counts(demo_database) -> None:
    at = open_page(logged_in("beheerder"), "pages/wijken.py")
    table = at.dataframe[0].value
    assert len(table) == 12
    assert "Centrum" in set(table["wijk_naam"])
    week_columns = [c for c in table.columns if c.startswith("20")]
    assert len(week_columns) == 8
    busy = table.set_index("wijk_naam").loc["Centrum", "totaal"]
    calm = table.set_index("wijk_naam").loc["Buitenhof", "totaal"]
    assert busy > calm


def test_coordinator_sees_only_their_wijken(demo_database) -> None:
    at = open_page(logged_in("coordinator_zuid", "demo-coordinator-2026"), "pages/wijken.py")
    names = set(at.dataframe[0].value["wijk_naam"])
    assert names == {"Industrieterrein Noord", "Buitenhof", "Zuiderpark", "Nieuwland"}
