"""Browser journey (headless Chromium): a key figure logs a call to action on a phone, and a
coordinator finds it in the Duiding queue and verifies it. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from datetime import timedelta

from signals.services.demo.people import DEMO_PASSWORDS
from signals.services.signal_draft import today_local
from tests.e2e.conftest import (
    READY_TIMEOUT_MS,
    dataframe_text,
    login,
    open_page,
    screenshot,
    wait_until_ready,
)

PHONE = {"width": 390, "height": 844}


def _phone_login(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """The login form, then the first page of the role (the sidebar is folded on a phone)."""
    page.goto(base_url)
    wait_until_ready(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Signaal melden").wait_for()
    wait_until_ready(page)


def _choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an option of an st.selectbox: type to filter the list, then click the option."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option[:6])
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_ready(page)


def test_a_key_figure_logs_a_call_on_a_phone_and_a_coordinator_verifies_it(
        app_server, browser) -> None:
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                has_touch=True, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = phone.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    _phone_login(page, app_server, "sleutelfiguur")
    assert page.viewport_size == PHONE

    _choose(page, "Categorie *", "Oproep / mobilisatie")
    page.get_by_label("Actieplek (waar?)").wait_for()
    page.get_by_label("Beschrijving *").fill(
        "In de appgroep van de hangjongeren wordt opgeroepen om vrijdagavond naar het "
        "station te komen en 'het zelf op te lossen'.")
    page.get_by_label("Beschrijving *").press("Tab")
    wait_until_ready(page)
    action_day = (today_local() + timedelta(days=1)).strftime("%d%m%Y")
    page.get_by_role("spinbutton", name="day, Actiedatum (wanneer is de actie?)").click()
    page.keyboard.type(action_day)  # day, month and year segments advance by themselves
    page.keyboard.press("Tab")
    wait_until_ready(page)
    page.get_by_label("Actieplek (waar?)").fill("Stationsplein")
    page.get_by_label("Actieplek (waar?)").press("Tab")
    wait_until_ready(page)
    screenshot(page, "melden_telefoon_ingevuld")
    page.get_by_role("button", name="Signaal opslaan").click()
    confirmation = page.get_by_text(re.compile(r"Uw referentienummer is WS-\d{6}"))
    confirmation.wait_for()
    reference = re.search(r"WS-\d{6}", confirmation.inner_text()).group(0)
    wait_until_ready(page)
    screenshot(page, "melden_telefoon_opgeslagen")
    # nothing on the phone page is wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    phone.close()

    desk = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL",
                               timezone_id="Europe/Amsterdam")
    page = desk.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    login(page, app_server, "coordinator")
    open_page(page, "Duiding")
    page.get_by_role("heading", name="Duiding").wait_for()
    assert reference in " ".join(dataframe_text(page, 0))  # new call in the queue
    page.get_by_text("Exporteren (precies deze filter)").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporteer als CSV").click()
    exported = download.value.path().read_bytes()
    assert exported.startswith(b"\xef\xbb\xbfexternal_id;observed_on;wijk_code")
    lines = exported.decode("utf-8-sig").splitlines()
    assert any("Stationsplein" in line and ";nieuw;" in line for line in lines)
    assert not any(";gesloten;" in line for line in lines)  # the queue shows open ones only
    page.get_by_label("typ het referentienummer").fill(reference)
    page.get_by_label("typ het referentienummer").press("Enter")
    wait_until_ready(page)
    page.get_by_role("button", name="Beoordeling opslaan").wait_for()
    facts = " ".join(dataframe_text(page, 1))
    assert "Stationsplein" in facts and "Nieuw" in facts
    _choose(page, "Nieuwe status", "Geverifieerd")
    page.get_by_role("button", name="Beoordeling opslaan").click()
    page.get_by_text(f"Beoordeling van {reference} opgeslagen.").wait_for()
    wait_until_ready(page)
    tables = page.locator('[data-testid="stDataFrame"]').count()
    history = " ".join(dataframe_text(page, tables - 1))
    assert "geverifieerd" in history and "coordinator" in history
    screenshot(page, "duiding_geverifieerd")
    desk.close()
