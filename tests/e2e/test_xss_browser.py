"""Browser security checks in headless Chromium against a real `streamlit run` server.

1. XSS: a beheerder imports wijken whose names are script, image-onerror and
   javascript-link payloads through the real upload form; then every page the beheerder can
   open is visited. No script may run (no dialog, no marker set by an injected handler), no
   injected <img>/<script>/javascript: link may exist in the DOM, and the names must be
   visible as literal text.
2. Each demo role sees no administration pages; the beheerder sees all of them.
3. Logging out ends the session; a reload does not bring it back.
4. The upload endpoint refuses a request without the XSRF token.
5. Markup in stored text: a username, wijk names, category and theme labels and
   descriptions full of markdown, HTML links and bare URLs. Every page (including the
   Plotly map, heatmap and trend chart) shows them as literal text: no link to the
   attacker's site, no bold "vet" made from markdown or HTML.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from signals.db.engine import make_engine
from signals.db.models import CategoryRow, Credential, Signal, Theme, User, Wijk
from signals.db.uow import run_write
from signals.services.passwords import hash_password
from tests.e2e.conftest import (
    dataframe_text,
    login,
    screenshot,
    serve_demo_copy,
    wait_until_ready,
)

PAYLOADS = {
    "WK990113": "<script>window.__xss=(window.__xss||0)+1;alert(1)</script>",
    "WK990114": "<img src=x onerror=\"window.__xss=(window.__xss||0)+1;alert(1)\">",
    "WK990115": "[x](javascript:window.__xss=1)",
    "WK990116": "Robert'); DROP TABLE signals;--",
}
BEHEER_TITLES = ["Gebruikers", "Wijken beheren", "Categorieën en thema's", "Faseregels",
                 "Bewaartermijn", "Auditlog"]
INJECTED = "img[src='x'], a[href^='javascript'], [onerror]"


def _csv() -> bytes:
    lines = ["wijk_code;wijk_naam"]
    lines += [f'{code};"{name.replace(chr(34), chr(34) * 2)}"' for code, name in PAYLOADS.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _nav_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    nav = page.locator('[data-testid="stSidebarNav"]')
    # A link's text is "<icon ligature>\n\n<title>"; keep the title.
    texts = nav.get_by_role("link").all_inner_texts() if nav.count() else []
    return [t.strip().splitlines()[-1].strip() for t in texts]


def _go(page, title: str) -> None:  # type: ignore[no-untyped-def]
    wait_until_ready(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title,
                                                             exact=True).click()
    page.wait_for_timeout(200)  # let the rerun start before waiting for it to end
    wait_until_ready(page)


def _all_cells(page, index: int = 0) -> set[str]:  # type: ignore[no-untyped-def]
    """Every cell text of a (virtualised) dataframe: read, scroll down, read again."""
    cells = set(dataframe_text(page, index))
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.hover()
    for _ in range(5):
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(200)
        cells |= set(grid.locator("td").all_text_contents())
    return cells


def _injected_inline_scripts(page) -> int:  # type: ignore[no-untyped-def]
    """Inline scripts inside the app's content (Streamlit's own scripts live in <head>)."""
    return page.evaluate(
        "() => document.querySelectorAll('[data-testid=\"stApp\"] script').length")


@pytest.fixture
def watched_page(browser_page):  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_page.dialogs = dialogs
    return browser_page


def test_payload_wijk_names_never_run_in_the_browser(app_server, watched_page, tmp_path) -> None:
    page = watched_page
    login(page, app_server, "beheerder")
    _go(page, "Wijken beheren")
    upload = tmp_path / "wijken.csv"
    upload.write_bytes(_csv())
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(upload)
    page.get_by_text("wijken.csv").wait_for()
    wait_until_ready(page)
    page.get_by_role("button", name="Wijzigingen bekijken").click()
    page.get_by_text("4 nieuw").wait_for()
    wait_until_ready(page)
    page.get_by_role("button", name="Importeren", exact=True).scroll_into_view_if_needed()
    page.get_by_role("button", name="Importeren", exact=True).click()
    page.get_by_text("Gebieden geïmporteerd: 4 nieuw").wait_for()
    wait_until_ready(page)
    cells = _all_cells(page)
    for name in PAYLOADS.values():
        assert name in cells, name
    visited = []
    for title in _nav_titles(page):
        _go(page, title)
        page.wait_for_timeout(300)  # give any injected handler time to fire
        visited.append(title)
        found = page.locator(INJECTED).evaluate_all(
            "els => els.map(e => e.outerHTML.slice(0, 300) + ' @ ' + (e.parentElement ? "
            "e.parentElement.outerHTML.slice(0, 200) : ''))")
        assert not found, (title, found)
        assert _injected_inline_scripts(page) == 0, title
        assert page.evaluate("() => window.__xss === undefined"), title
    screenshot(page, "xss_wijken_beheren")
    assert not page.dialogs, page.dialogs
    assert {"Wijken", "Wijken beheren", "Gebruikers"} <= set(visited)
    _go(page, "Wijken beheren")
    page.get_by_role("heading", name="Wijken beheren").wait_for()
    page.locator('[data-baseweb="tab"], [role="tab"]').filter(has_text="Hernoemen").first.click()
    page.locator('[data-testid="stSelectbox"]').first.click()
    option = page.get_by_role("option", name=f"WK990113 · {PAYLOADS['WK990113']}")
    assert option.count() == 1  # the payload is plain option text
    page.keyboard.press("Escape")
    assert not page.dialogs


@pytest.mark.parametrize("username", ["sleutelfiguur", "coordinator", "manager"])
def test_no_role_but_beheerder_sees_administration(app_server, browser_page,
                                                   username: str) -> None:
    login(browser_page, app_server, username)
    titles = _nav_titles(browser_page)
    assert not set(BEHEER_TITLES) & set(titles), titles
    assert "Ingelogd als" in browser_page.locator('[data-testid="stSidebar"]').inner_text()


def test_beheerder_sees_every_administration_page(app_server, browser_page) -> None:
    login(browser_page, app_server, "beheerder")
    assert set(BEHEER_TITLES) <= set(_nav_titles(browser_page))


def test_logout_ends_the_session(app_server, browser_page) -> None:
    page = browser_page
    login(page, app_server, "manager")
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("Gebruikersnaam").wait_for()
    page.reload()
    wait_until_ready(page)
    assert page.get_by_label("Gebruikersnaam").count() == 1
    assert page.get_by_text("Ingelogd als").count() == 0


def test_upload_without_xsrf_token_is_refused(app_server) -> None:
    request = urllib.request.Request(f"{app_server}/_stcore/upload_file/sessie/bestand",
                                     data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


HOSTILE_USER = "**VET**[klik](https://evil.example/u)www.evil.nl"
HOSTILE_PASSWORD = "vijandig-maar-lang-wachtwoord-2026"
_MARKUP = ' <a href="https://evil.example/{0}">link</a> www.evil.nl **vet** <b>vet</b>'
_FOUND_MARKUP = """() => {
    const href = a => (a.getAttribute('href') || '') + (a.getAttribute('xlink:href') || '');
    const links = [...document.querySelectorAll('a')].filter(a => /evil/.test(href(a)));
    const bold = [...document.querySelectorAll('[data-testid="stApp"] :is(strong, b, em)')]
        .filter(e => /^\\s*vet\\s*$/i.test(e.textContent));
    return [...links, ...bold].map(e => e.outerHTML.slice(0, 200));
}"""


def _store_hostile_text(url: str) -> None:
    def work(session) -> None:  # type: ignore[no-untyped-def]
        for table, column, tag in ((Wijk, Wijk.name, "w"), (CategoryRow, CategoryRow.label, "c"),
                                   (Theme, Theme.label, "t")):
            session.execute(update(table).values({column: column + _MARKUP.format(tag)}))
        session.execute(update(Signal).where(Signal.description.is_not(None))
                        .values(description=Signal.description + _MARKUP.format("d")))
        user = User(username=HOSTILE_USER, role="beheerder", active=True)
        user.credential = Credential(password_hash=hash_password(HOSTILE_PASSWORD))
        session.add(user)

    engine = make_engine(url)
    run_write(engine, work)
    engine.dispose()


@pytest.fixture(scope="module")
def hostile_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[str]:
    yield from serve_demo_copy(demo_template, tmp_path_factory.mktemp("hostile"),
                               _store_hostile_text)


def test_stored_markup_is_plain_text_on_every_page(hostile_server, watched_page) -> None:
    page = watched_page
    login(page, hostile_server, HOSTILE_USER, HOSTILE_PASSWORD)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"Ingelogd als {HOSTILE_USER}" in sidebar
    visited = []
    for title in _nav_titles(page):
        _go(page, title)
        page.wait_for_timeout(800)  # Plotly draws after the script run
        visited.append(title)
        assert page.evaluate(_FOUND_MARKUP) == [], title
        if title == "Weekbeeld":
            heatmap = page.locator(".js-plotly-plot").first.inner_text()
            assert '<a href="https://evil.example/w">link</a>' in heatmap
    screenshot(page, "xss_stored_markup")
    assert {"Overzicht", "Wijkprofiel", "Weekbeeld", "Duiding", "Wijken"} <= set(visited)
    assert not page.dialogs
