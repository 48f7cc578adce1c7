"""Browser journey (headless Chromium): a coordinator adds a key figure, who activates the
account on a phone with the one-time link, reports a signal and reads the coordinator's
feedback in Mijn meldingen. Screenshots at 1366 wide and 390x844 go to tests/artifacts/."""

from __future__ import annotations

import re

from tests.e2e.conftest import (
    READY_TIMEOUT_MS,
    login,
    open_page,
    screenshot,
    wait_until_ready,
)

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
USERNAME = "jw.spoorzone"
PASSWORD = "fietsen langs de haven 42"
FEEDBACK = "Dank, besproken in het kernteam."


def _context(browser, viewport: dict, phone: bool = False):  # type: ignore[no-untyped-def]
    extra = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if phone else {}
    context = browser.new_context(viewport=viewport, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam", **extra)
    page = context.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    return context, page


def _choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option[:6])
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_ready(page)


def _add_key_figure(page, base_url: str) -> str:  # type: ignore[no-untyped-def]
    login(page, base_url, "coordinator")
    open_page(page, "Netwerk")
    page.get_by_role("heading", name="Netwerk", exact=True).wait_for()
    page.get_by_role("textbox", name="Gebruikersnaam").fill(USERNAME)
    _choose(page, "Rol", "Jongerenwerker")
    _choose(page, "Wijken", "Spoorzone")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Toevoegen en activatiecode maken").click()
    page.get_by_text(f"Activatiecode voor {USERNAME}").wait_for()
    wait_until_ready(page)
    screenshot(page, "netwerk_code_1366")
    link = page.locator('[data-testid="stCode"]').nth(1).inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/activeren\?code=[A-Z0-9-]{19}", link), link
    return link


def test_a_new_key_figure_activates_on_a_phone_reports_and_reads_feedback(
        app_server, browser) -> None:
    desk, office = _context(browser, DESK)
    link = _add_key_figure(office, app_server)

    phone, page = _context(browser, PHONE, phone=True)
    page.goto(link)
    wait_until_ready(page)
    page.get_by_role("heading", name="Account activeren").wait_for()
    assert "code=" not in page.url  # the code leaves the address bar
    page.get_by_role("textbox", name="Nieuw wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal wachtwoord").fill(PASSWORD)
    screenshot(page, "activeren_390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.get_by_role("button", name="Wachtwoord instellen").click()
    page.get_by_text("Uw account is geactiveerd").wait_for()
    page.get_by_label("Gebruikersnaam").fill(USERNAME)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Signaal melden").wait_for()
    wait_until_ready(page)

    _choose(page, "Categorie *", "Onvrede / klachten")
    page.get_by_label("Beschrijving *").fill(
        "Bij het buurthuis klagen jongeren dat de avondopenstelling stopt.")
    page.get_by_label("Beschrijving *").press("Tab")
    wait_until_ready(page)
    page.get_by_role("button", name="Signaal opslaan").click()
    confirmation = page.get_by_text(re.compile(r"Uw referentienummer is WS-\d{6}"))
    confirmation.wait_for()
    reference = re.search(r"WS-\d{6}", confirmation.inner_text()).group(0)

    open_page(office, "Duiding")
    office.get_by_label("typ het referentienummer").fill(reference)
    office.get_by_label("typ het referentienummer").press("Enter")
    wait_until_ready(office)
    office.get_by_label("Bericht aan de melder").fill(FEEDBACK)
    office.get_by_role("button", name="Bericht opslaan").click()
    office.get_by_text("Bericht aan de melder opgeslagen.").wait_for()
    wait_until_ready(office)
    screenshot(office, "duiding_terugkoppeling_1366")
    desk.close()

    page.goto(f"{app_server}/mijn_meldingen")
    wait_until_ready(page)
    page.get_by_role("heading", name="Mijn meldingen").wait_for()
    page.get_by_text(FEEDBACK).wait_for()
    assert f"{reference}" in page.get_by_text(FEEDBACK).inner_text()
    screenshot(page, "mijn_meldingen_terugkoppeling_390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    phone.close()
