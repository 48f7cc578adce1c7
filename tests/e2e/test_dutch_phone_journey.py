"""Browser journey: nothing fetched from outside and no English upload texts on the desktop;
on a phone the menu closes after a page is picked and Mijn meldingen shows the status."""

from __future__ import annotations

from signals.services.demo.people import DEMO_PASSWORDS
from tests.e2e.conftest import login, open_page, screenshot, wait_until_ready

IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


def test_desktop_is_dutch_and_fetches_nothing_from_outside(app_server, browser_page) -> None:
    page = browser_page
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((app_server, "data:", "blob:")) else None)
    login(page, app_server, "coordinator")
    open_page(page, "Importeren en exporteren")
    zone = page.locator("[data-testid='stFileUploaderDropzone']")
    assert zone.get_by_text("Bestand kiezen").count() == 0  # the Dutch text is CSS content
    button = zone.locator("button p")
    assert button.evaluate("e => getComputedStyle(e, '::after').content") == '"Bestand kiezen"'
    assert button.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # "Upload" hidden
    note = zone.locator("[data-testid='stFileUploaderDropzoneInstructions'] span")
    assert "per bestand" in note.evaluate("e => getComputedStyle(e, '::after').content")
    # The "⋮" menu (Print, Record screen, Made with Streamlit) is gone.
    assert page.locator("[data-testid='stMainMenu']").count() == 0
    screenshot(page, "walkthrough/e2e-importeren-desktop")
    assert outside == [], outside  # the favicon is our own file, no font server


def test_on_a_phone_the_menu_closes_after_picking_a_page(browser, app_server) -> None:  # type: ignore[no-untyped-def]
    # Streamlit folds the sidebar after a menu click on a phone (it reads the user agent).
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=IPHONE_UA,
                                  is_mobile=True, has_touch=True, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    page = context.new_page()
    try:
        page.goto(app_server)
        wait_until_ready(page)
        page.get_by_label("Gebruikersnaam").fill("sleutelfiguur")
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORDS["sleutelfiguur"])
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("heading", name="Signaal melden").wait_for()
        wait_until_ready(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar]').dataset.collapsed"
            " === 'false'")
        page.locator("[data-testid='stSidebarNavLink']").filter(has_text="Mijn meldingen").click()
        page.get_by_role("heading", name="Mijn meldingen").wait_for()
        wait_until_ready(page)
        assert sidebar.get_attribute("data-collapsed") == "true"
        # The status column is on screen without scrolling sideways.
        header = page.locator("[data-testid='stDataFrame'] th").filter(has_text="Status").first
        header.wait_for(state="attached")
        box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
        cells = page.locator("[data-testid='stDataFrame'] th").all_text_contents()
        assert cells.index("Status") <= 2 and box is not None and box["width"] <= 390
        screenshot(page, "walkthrough/e2e-mijn-meldingen-phone")
    finally:
        context.close()
