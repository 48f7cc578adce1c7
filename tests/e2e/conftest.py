"""End-to-end harness: a real `streamlit run` server on a copy of the demo, driven by Playwright
in Debian's headless Chromium (never a browser download of Playwright's own).

Use `app_server` (base URL; one server per test module) and `browser_page` (a fresh page),
then `login(page, base_url, username)` and `wait_until_ready(page)`. Screenshots go to
tests/artifacts/ via `screenshot(page, name)`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from signals.config import PROJECT_ROOT
from signals.services.demo.people import DEMO_PASSWORDS

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
READY_TIMEOUT_MS = 30_000

E2E_FOLDER = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every browser test is e2e and slow; under xdist (--dist loadgroup) one worker runs a
    whole module, so its module-scoped server and browser start once."""
    for item in items:
        if item.path.is_relative_to(E2E_FOLDER):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group(f"e2e-{item.path.stem}"))


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Chromium is required in CI for browser tests but missing at {CHROMIUM}")
    pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(base_url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {base_url}")


def start_server(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run server.py` (app.py plus the session routes) on a free port."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "server.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(base_url, process)
    except Exception:
        process.terminate()
        raise
    return process, base_url


def serve_demo_copy(demo_template: Path, folder: Path,
                    prepare: Callable[[str], None] | None = None) -> Iterator[str]:
    """A server on a private copy of the demo (after `prepare(url)`, if given); yields its
    base URL and stops it afterwards. For module-scoped server fixtures."""
    database = folder / "demo.db"
    shutil.copy(demo_template, database)
    url = f"sqlite:///{database}"
    if prepare is not None:
        prepare(url)
    process, base_url = start_server(url, folder / "streamlit.log")
    yield base_url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def app_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_chromium()
    yield from serve_demo_copy(demo_template, tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser_page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    yield page
    context.close()


def wait_until_ready(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished running and the page content is visible."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=READY_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stMain"]', state="visible", timeout=READY_TIMEOUT_MS)


def login(page, base_url: str, username: str, password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url)
    wait_until_ready(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password or DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Ingelogd als").wait_for()
    wait_until_ready(page)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_page(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Navigate inside the session via the sidebar (a URL load would start a new session).

    Streamlit hides the navigation when a role has a single page; that page is then open.
    """
    nav = page.locator('[data-testid="stSidebarNav"]')
    if nav.count():
        # Names carry the icon's ligature text ("map Wijken"); anchor on the title's end so
        # "Wijken" does not also match "Wijken beheren".
        name = re.compile(rf"(^|\s){re.escape(title)}$")
        nav.get_by_role("link", name=name).click()
        wait_until_ready(page)


def dataframe_text(page, index: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
    """Cell texts of an st.dataframe, read from the grid's accessible (hidden) table."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.locator("td").first.wait_for(state="attached")
    return grid.locator("td").all_text_contents()
