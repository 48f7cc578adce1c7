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
    whole module, so its module-scoped server starts once (the scheduler in tests/conftest.py
    keeps a module together: the xdist_group mark alone no longer does with pytest 9)."""
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
    """Start `streamlit run server.py` (app.py plus the session routes) on a free port, with
    the suite's cheap password hashing (see streamlit_server.py)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.streamlit_server", "run", str(PROJECT_ROOT / "server.py"),
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


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium per pytest worker; every test still gets its own context (cookies,
    storage and cache of its own), so sharing the process shares no state."""
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


# Set by the page when the script-run state of the app changes (see rerun_after).
_WATCH_SCRIPT_RUN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__scriptRunSeen = false;
    const watcher = new MutationObserver(() => {
        window.__scriptRunSeen = true;
        watcher.disconnect();
    });
    watcher.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def rerun_after(page, action: Callable[[], object]) -> None:  # type: ignore[no-untyped-def]
    """Do `action` (a click on a widget or a page link) and wait for the script run it starts
    to end. Right after a click the app still reads "notRunning", so wait_until_ready alone
    could return before the run began; a fixed pause is too long or, on a busy machine, too
    short. Here the app's run state must change first, then come back to rest."""
    wait_until_ready(page)
    page.evaluate(_WATCH_SCRIPT_RUN)
    action()
    page.wait_for_function("() => window.__scriptRunSeen === true", timeout=READY_TIMEOUT_MS)
    wait_until_ready(page)


# Every element has left its loading placeholder, every Plotly chart is drawn, and every map
# in a chart has loaded its data and stopped moving (MapLibre, reached through Plotly).
_CHARTS_DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]') &&
    [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => {
        const gd = chart.querySelector('.js-plotly-plot');
        if (!gd || !gd._fullLayout || !gd.querySelector('.main-svg')) return false;
        const maps = (gd._fullLayout._subplots.map || []).map(
            id => gd._fullLayout[id] && gd._fullLayout[id]._subplot
                  && gd._fullLayout[id]._subplot.map);
        return maps.every(m => m && m.loaded() && m.areTilesLoaded() && !m.isMoving());
    })"""


def wait_for_charts(page, timeout: float = READY_TIMEOUT_MS) -> None:  # type: ignore[no-untyped-def]
    """After a script run: wait until the page's charts and maps are drawn."""
    wait_until_ready(page)
    page.wait_for_function(_CHARTS_DRAWN, timeout=timeout)


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
