"""Browser smoke test: the app starts, the login works, and the demo wijken are listed."""

from __future__ import annotations

from tests.e2e.conftest import dataframe_text, login, open_page, screenshot, wait_until_ready


def test_health_login_and_wijken_listed(app_server, browser_page) -> None:
    page = browser_page
    login(page, app_server, "beheerder")
    open_page(page, "Wijken")
    page.get_by_text("Aantal signalen per ISO-week").wait_for()
    cells = dataframe_text(page)
    screenshot(page, "wijken_beheerder")
    for name in ("Centrum", "Molenwijk", "Spoorzone", "Buitenhof"):
        assert name in cells


def test_wrong_password_stays_on_login(app_server, browser_page) -> None:
    page = browser_page
    page.goto(app_server)
    wait_until_ready(page)
    page.get_by_label("Gebruikersnaam").fill("manager")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Inloggen mislukt").wait_for()
    assert page.get_by_text("Ingelogd als").count() == 0
