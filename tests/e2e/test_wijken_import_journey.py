"""Browser journey: a beheerder imports a Flemish gemeente's own areas (unknown columns, Belgian
Lambert 72), maps the columns, checks the changes, imports, and sees both gemeenten on the map.
Screenshots (1366 px and a 390 x 844 phone) go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import login, open_page, screenshot, wait_until_ready
from tests.integration.geofiles import ANTWERP_L72, geojson_bytes, squares

MAP_TIMEOUT_MS = 20_000
FIELDS = {"Sleutel": ["ANT01", "ANT02", "ANT03", "ANT04"],
          "Omschrijving": ["Centrum", "Zurenborg", "Het Eilandje", "Borgerhout"]}


def _choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option[:6])
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(800)  # the rerun starts
    wait_until_ready(page)


def test_beheerder_maps_columns_imports_and_sees_the_map(app_server, browser_page,
                                                         tmp_path: Path) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    upload = tmp_path / "antwerpen_gebieden.geojson"
    upload.write_bytes(geojson_bytes(FIELDS, squares(ANTWERP_L72, 4, 600),
                                     "urn:ogc:def:crs:EPSG::31370"))
    login(page, app_server, "beheerder")
    open_page(page, "Wijken beheren")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    page.get_by_text("De kolommen zijn niet herkend").wait_for()
    wait_until_ready(page)
    _choose(page, "Codekolom", "Sleutel")
    _choose(page, "Naamkolom", "Omschrijving")
    page.get_by_role("textbox", name="Gemeente (optioneel)").fill("11002")
    page.get_by_role("textbox", name="Gemeente (optioneel)").press("Enter")
    wait_until_ready(page)
    page.get_by_role("button", name="Wijzigingen bekijken").click()
    page.get_by_text("4 nieuw").wait_for()
    wait_until_ready(page)
    assert page.get_by_text("Coördinatenstelsel: Belgian Lambert 72 (EPSG:31370)").count() == 1
    page.get_by_role("button", name="Importeren", exact=True).scroll_into_view_if_needed()
    screenshot(page, "wijken_import_kolommen_1366")
    page.get_by_role("button", name="Importeren", exact=True).click()
    page.get_by_text("Gebieden geïmporteerd: 4 nieuw").wait_for()

    open_page(page, "Overzicht")
    page.get_by_label("Gemeente", exact=True).wait_for()
    _choose(page, "Gemeente", "Gemeente 11002")
    page.locator(".maplibregl-canvas").first.wait_for(timeout=MAP_TIMEOUT_MS)
    page.wait_for_timeout(1500)
    screenshot(page, "overzicht_kaart_antwerpen_1366")
    assert page.get_by_text("Centrum (Gemeente 11002)").count() >= 1  # a shared name
    page.set_viewport_size({"width": 390, "height": 844})
    wait_until_ready(page)
    page.locator(".maplibregl-canvas").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    screenshot(page, "overzicht_kaart_antwerpen_390")
