"""Browser journey: after a phase-3 decision, a coordinator logs an action in Spoorzone,
sees it as a marker on the trend and in the list, and finds it in the wijk dossier PDF.
Screenshots at 1366 wide and on a phone
(390 x 844) go to tests/artifacts/."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.e2e.conftest import login, screenshot, wait_until_ready


def choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an option of an st.selectbox: type to filter, then Enter."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    box.press("Enter")
    page.wait_for_function("([label, option]) => document.querySelector("
                           "`input[aria-label='${label}']`)?.value === option",
                           arg=[label, option])


DESCRIPTION = "Driehoek bijeen over de oproep; extra toezicht op de actiedatum."


def test_coordinator_logs_an_action_after_a_phase_3_decision(app_server, browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, app_server, "coordinator")
    page.goto(f"{app_server}/wijkprofiel?wijk=WK990105")
    wait_until_ready(page)
    page.get_by_text("Spoorzone · week").first.wait_for()
    wait_until_ready(page)

    # The proposal is phase 3; the coordinator confirms it.
    assert page.get_by_label("Fase", exact=True).input_value().startswith("3 · Dreigende")
    page.get_by_role("textbox", name="Reden (verplicht: beeld, oordeel, besluit)").fill(
        "Oproep geverifieerd met de wijkagent; driehoek geïnformeerd.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Besluit vastgelegd voor week").wait_for()
    wait_until_ready(page)

    choose(page, "Type actie", "Driehoeksoverleg")
    followed = page.get_by_label("Volgt uit fasebesluit", exact=True)
    assert followed.input_value().endswith("fase 3 Dreigende escalatie")  # the decision
    page.get_by_role("textbox", name="Korte omschrijving").fill(DESCRIPTION)
    page.get_by_role("button", name="Actie vastleggen").click()
    page.get_by_text("De actie is vastgelegd.").wait_for()
    wait_until_ready(page)

    page.locator(".legendtext", has_text="Actie uitgevoerd").first.wait_for()
    assert page.locator("g.scatterlayer path.point").count() > 0
    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.locator("td", has_text=DESCRIPTION))
    grid.first.wait_for(state="attached")
    cells = grid.first.locator("td").all_text_contents()
    assert DESCRIPTION in cells and "Driehoeksoverleg" in cells

    with page.expect_download() as download:
        page.get_by_role("button", name="Wijkdossier (PDF) voor de driehoek").click()
    assert download.value.suggested_filename.startswith("wijkdossier-WK990105-")
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(" ".join(sheet.extract_text() for sheet in pdf.pages).split())
    assert "Driehoeksoverleg" in text and DESCRIPTION in text
    legend = page.locator(".legendtext", has_text="Actie uitgevoerd").first
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1200)  # the chart re-lays out
        legend.scroll_into_view_if_needed()
        page.get_by_text("Fase per week (? = onvoldoende zicht)").scroll_into_view_if_needed()
        screenshot(page, f"wijkprofiel_actie_trend_{width}")
        page.get_by_text("De actie is vastgelegd.").scroll_into_view_if_needed()
        screenshot(page, f"wijkprofiel_actie_lijst_{width}")
