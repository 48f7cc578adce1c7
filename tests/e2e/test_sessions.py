"""Sessions in a real browser: a login survives a reload, a deep link survives the login, a
cookie from before a logout or past its idle timeout is refused, a half-typed signal comes
back after a reload, and the session cookie is HttpOnly and SameSite=Lax.

The server is `streamlit run server.py` (app.py plus the session routes) on a copy of the
demo; this module starts its own so it can age sessions in that database.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from signals.db.engine import make_engine
from signals.db.models import FormDraft, User, UserSession, utcnow
from signals.db.uow import read_session, run_write
from signals.services.demo.people import DEMO_PASSWORDS
from signals.ui.session_routes import SESSION_COOKIE
from tests.e2e.conftest import (
    READY_TIMEOUT_MS,
    _require_chromium,
    screenshot,
    start_server,
    wait_until_ready,
)

pytestmark = pytest.mark.e2e

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DEEP_LINK = "wijkprofiel?wijk=WK990102"
HALF_TYPED = "Groepje jongeren hangt elke avond bij de bushalte; bewoners voelen zich onveilig."


@pytest.fixture(scope="module")
def server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of a fresh server on a copy of the demo."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("sessions")
    database = folder / "demo.db"
    shutil.copy(demo_template, database)
    url = f"sqlite:///{database}"
    process, base_url = start_server(url, folder / "streamlit.log")
    yield base_url, url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _page(browser, viewport=DESK):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    return context, page


def _log_in_here(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Fill the login form on the page that is open (any URL while logged out)."""
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Ingelogd als").wait_for()
    wait_until_ready(page)


def _open(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    wait_until_ready(page)


def _reload(page) -> None:  # type: ignore[no-untyped-def]
    page.reload()
    wait_until_ready(page)


def _on_login_form(page) -> bool:  # type: ignore[no-untyped-def]
    page.get_by_label("Gebruikersnaam").wait_for()
    return page.get_by_text("Ingelogd als").count() == 0


def _selected_wijk(page) -> str:  # type: ignore[no-untyped-def]
    return page.get_by_role("combobox", name="Wijk").input_value() \
        or page.locator('[data-testid="stSelectbox"]').first.inner_text()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_a_reload_keeps_the_login_and_the_page(server, browser, viewport) -> None:
    base_url, _ = server
    context, page = _page(browser, viewport)
    _open(page, f"{base_url}/{DEEP_LINK}")
    _log_in_here(page, "coordinator")
    _reload(page)
    page.get_by_text("Ingelogd als").wait_for()
    assert page.url == f"{base_url}/{DEEP_LINK}"
    page.get_by_role("heading", name="Wijkprofiel").wait_for()
    assert "Horst" in _selected_wijk(page) or "WK990102" in _selected_wijk(page)
    screenshot(page, f"sessions_reload_coordinator_{viewport['width']}")
    context.close()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_a_deep_link_opened_while_logged_out_opens_after_login(server, browser,
                                                               viewport) -> None:
    base_url, _ = server
    context, page = _page(browser, viewport)
    _open(page, f"{base_url}/weekbeeld?week=2026-W40")
    assert _on_login_form(page)
    screenshot(page, f"sessions_deeplink_login_{viewport['width']}")
    _log_in_here(page, "manager")
    # Weekbeeld is the manager's start page, which Streamlit shows at the root URL.
    assert page.url in {f"{base_url}/weekbeeld?week=2026-W40", f"{base_url}/?week=2026-W40"}
    page.get_by_role("heading", name="Weekbeeld").wait_for()
    page.get_by_text("Week 40 (28-09-2026 t/m 04-10-2026)").wait_for()
    screenshot(page, f"sessions_deeplink_manager_{viewport['width']}")
    context.close()


def test_a_deep_link_to_another_roles_page_goes_to_the_start_page(server, browser) -> None:
    base_url, _ = server
    context, page = _page(browser, PHONE)
    _open(page, f"{base_url}/duiding?signaal=12")
    _log_in_here(page, "sleutelfiguur")
    page.get_by_text("U heeft geen toegang tot de gevraagde pagina").wait_for()
    page.get_by_role("heading", name="Signaal melden").wait_for()
    screenshot(page, "sessions_deeplink_sleutelfiguur_no_access_390")
    context.close()


def test_an_unknown_page_gets_a_dutch_message_and_never_page_not_found(server,
                                                                       browser) -> None:
    base_url, _ = server
    context, page = _page(browser)
    _open(page, f"{base_url}/bestaat-niet?x=1")
    page.get_by_role("heading", name="Pagina niet gevonden").wait_for()
    _log_in_here_via_start(page, base_url)
    _open(page, f"{base_url}/bestaat-niet")
    page.get_by_role("heading", name="Pagina niet gevonden").wait_for()
    page.get_by_role("link", name=re.compile("Naar de startpagina")).wait_for()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("You have requested page").count() == 0
    context.close()


def _log_in_here_via_start(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    _open(page, base_url)
    _log_in_here(page, "coordinator")


def test_the_session_cookie_is_httponly_samesite_lax_and_hidden_from_scripts(
        server, browser) -> None:
    base_url, database = server
    context, page = _page(browser)
    _log_in_here_via_start(page, base_url)
    cookie = next(c for c in context.cookies() if c["name"] == SESSION_COOKIE)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")
    engine = make_engine(database)
    with read_session(engine) as session:
        hashes = set(session.scalars(select(UserSession.token_hash)))
    engine.dispose()
    assert cookie["value"] not in hashes  # the database holds only a hash
    context.close()


def test_a_cookie_from_before_logout_is_refused(server, browser) -> None:
    base_url, _ = server
    context, page = _page(browser)
    _log_in_here_via_start(page, base_url)
    stolen = [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("Ingelogd als")).to_have_count(0, timeout=READY_TIMEOUT_MS)
    # The login form shows before the browser has followed the redirect to the end route
    # that drops the cookie: wait for that, within a bound (generous: a loaded CI machine).
    deadline = time.monotonic() + READY_TIMEOUT_MS / 1000
    while [c for c in context.cookies() if c["name"] == SESSION_COOKIE] \
            and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert not [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
    context.close()

    replay_context, replay = _page(browser)
    replay_context.add_cookies(stolen)
    _open(replay, f"{base_url}/overzicht")
    assert _on_login_form(replay)
    replay_context.close()


def test_idle_expiry_logs_out_with_a_dutch_notice(server, browser) -> None:
    base_url, database = server
    context, page = _page(browser, PHONE)
    _open(page, f"{base_url}/account")
    _log_in_here(page, "coordinator_zuid")
    engine = make_engine(database)

    def age(session) -> None:  # 31 minutes without a request
        user_id = session.scalar(select(User.id).where(User.username == "coordinator_zuid"))
        session.execute(update(UserSession).where(UserSession.user_id == user_id).values(
            idle_expires_at=utcnow() - timedelta(minutes=1)))

    run_write(engine, age)
    engine.dispose()
    _reload(page)
    page.get_by_text("U bent uitgelogd na 30 minuten zonder activiteit.").wait_for()
    assert _on_login_form(page)
    screenshot(page, "sessions_idle_notice_390")
    context.close()


def _wait_for_draft(database: str, text: str, timeout: float = 15) -> None:
    engine = make_engine(database)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with read_session(engine) as session:
                drafts = list(session.scalars(select(FormDraft.values)))
            if any(d.get("description") == text for d in drafts):
                return
            time.sleep(0.2)
    finally:
        engine.dispose()
    raise AssertionError("the draft was not stored")


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_a_half_typed_signal_is_restored_after_a_reload(server, browser, viewport) -> None:
    base_url, database = server
    context, page = _page(browser, viewport)
    _open(page, f"{base_url}/melden")
    _log_in_here(page, "sleutelfiguur")
    page.get_by_role("combobox", name="Categorie *").click()
    page.get_by_role("option", name="Onvrede / klachten", exact=True).click()
    wait_until_ready(page)
    page.get_by_label("Beschrijving *").fill(HALF_TYPED)
    page.get_by_label("Beschrijving *").press("Tab")  # a change: the draft is stored
    _wait_for_draft(database, HALF_TYPED)
    _reload(page)
    page.get_by_text("Concept hersteld").wait_for()
    # The notice is drawn before the form, and a restored widget can show its empty default
    # for a moment before the stored value: wait for the values instead of reading them once.
    expect(page.get_by_label("Beschrijving *")).to_have_value(HALF_TYPED,
                                                             timeout=READY_TIMEOUT_MS)
    expect(page.get_by_role("combobox", name="Categorie *")).to_have_value(
        re.compile("Onvrede"), timeout=READY_TIMEOUT_MS)
    screenshot(page, f"sessions_draft_restored_sleutelfiguur_{viewport['width']}")
    page.get_by_role("button", name="Concept weggooien").click()
    expect(page.get_by_label("Beschrijving *")).to_have_value("", timeout=READY_TIMEOUT_MS)
    expect(page.get_by_text("Concept hersteld")).to_have_count(0)
    wait_until_ready(page)
    _reload(page)
    assert page.get_by_text("Concept hersteld").count() == 0
    context.close()
