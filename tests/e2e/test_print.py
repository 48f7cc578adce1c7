"""Printing a page from the browser: no sidebar, the whole page, the trend chart whole."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.e2e.conftest import ARTIFACTS, login, screenshot, wait_until_ready


def test_printed_wijkprofiel_has_no_sidebar_and_keeps_the_chart(app_server, browser_page
                                                                ) -> None:
    page = browser_page
    login(page, f"{app_server}/wijkprofiel?wijk=WK990105", "coordinator")
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    wait_until_ready(page)
    page.emulate_media(media="print")
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    overflow = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).overflow")
    assert overflow == "visible"  # the whole page prints, not only the first screen
    chart = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    main = page.locator('[data-testid="stMain"]').bounding_box()
    assert chart is not None and main is not None
    assert chart["x"] + chart["width"] <= main["x"] + main["width"] + 1  # not cut off
    screenshot(page, "wijkprofiel_print")
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "wijkprofiel_print.pdf").write_bytes(data)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 1 and pages[0].mediabox.width > pages[0].mediabox.height  # landscape
    text = "\n".join(p.extract_text() for p in pages)
    assert "Wijkprofiel" in text and "Uitloggen" not in text  # the sidebar is not printed
