"""Browser journeys (headless Chromium): a coordinator acts on the call in Spoorzone, and a
manager downloads the weekly PDF. Screenshots of each page go to tests/artifacts/."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.e2e.conftest import login, open_page, screenshot, wait_until_ready

MAP_TIMEOUT_MS = 20_000


def test_coordinator_goes_from_the_overview_to_spoorzone_and_decides(app_server,
                                                                     browser_page) -> None:
    page = browser_page
    login(page, app_server, "coordinator")
    open_page(page, "Overzicht")
    page.get_by_role("heading", name="Nieuw in fase 2 of hoger").wait_for()
    page.locator(".maplibregl-canvas").first.wait_for(timeout=MAP_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # let the map paint its polygons
    screenshot(page, "overzicht_coordinator")

    page.get_by_role("link", name="Spoorzone: van fase 2 naar fase 3").click()
    wait_until_ready(page)
    page.get_by_text("Spoorzone · week").first.wait_for()
    wait_until_ready(page)  # the profile's run has started; let it finish
    assert "wijk=WK990105" in page.url
    assert page.get_by_text("Effectief: Fase 3 · Dreigende escalatie").count() >= 1
    assert page.get_by_text("Driehoeksoverleg", exact=False).count() >= 1
    screenshot(page, "wijkprofiel_spoorzone")

    page.get_by_role("textbox", name="Reden (verplicht: beeld, oordeel, besluit)").fill(
        "Oproep geverifieerd met de wijkagent; driehoek geïnformeerd.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Besluit vastgelegd voor week").wait_for()
    wait_until_ready(page)
    assert page.get_by_text("besluit fase 3 door coordinator").count() >= 1
    screenshot(page, "wijkprofiel_besluit")


def test_manager_downloads_the_weekly_pdf(app_server, browser_page) -> None:
    page = browser_page
    login(page, app_server, "manager")
    open_page(page, "Weekbeeld")
    page.get_by_text("Weekrapport", exact=True).wait_for()
    page.get_by_text("Fase per wijk, laatste 12 weken").wait_for()
    page.wait_for_timeout(1000)  # the heatmap
    screenshot(page, "weekbeeld_manager")
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF downloaden").click()
    data = download.value.path().read_bytes()
    assert download.value.suggested_filename.startswith("weekrapport-")
    assert download.value.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Weekrapport Wijksignalen" in text and "Spoorzone" in text and "<5" in text
