"""Simultaneous users: headless Chromium sessions open the dashboards at the same moment.

    .venv/bin/python benchmarks/simultaneous_users.py                 # the 1M SQLite dataset
    .venv/bin/python benchmarks/simultaneous_users.py --database-url postgresql+psycopg://.../wijk_bench_1m

Starts one `streamlit run` server (tests/e2e/conftest.py ``start_server``) on a dataset made
by benchmarks/generate.py, then ``--sessions`` browser sessions: one headless Chromium
with a browser context per session (own cookies, own Streamlit session; ten separate
browsers alone saturated the two cores of the benchmark machine), as several roles:
coordinator (20 wijken), coordinator_groot (100 wijken), beheerder (all wijken) and manager.
All sessions wait at a barrier before every step and then act at once:

1. log in; the landing page is the Overzicht (coordinators, beheerders) or the Weekbeeld
   (managers): the first run of a fresh server, so the data caches are cold;
2. open the Wijkprofiel (managers: Mijn account) through the sidebar, cold;
3. the Overzicht (managers: Weekbeeld) again, warm;
4. the Wijkprofiel (managers: Mijn account) again, warm.

A step ends when the page is ready: its last element is visible and the script no longer
runs (``wait_until_ready``). The time includes the browser's own rendering: on this
machine the browsers share the cores with the server. Reported: p50, p95 and max per
step, and the p95 over all overview and profile openings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate import password_of  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    start_server,
)

DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parent / 'data' / 'signals-1m-500.db'}"
STEP_TIMEOUT_MS = 180_000  # nothing waits forever
ROLES = ("coordinator", "beheerder", "manager", "coordinator_groot")
# page title in the sidebar -> the page's last element
PAGES = {
    "Overzicht": "Klik op een rij om het wijkprofiel te openen.",
    "Wijkprofiel": "Signalen in week",
    "Weekbeeld": "Veranderingen sinds vorige week",
    "Mijn account": "Wachtwoord wijzigen",
}
STEPS = {  # role -> landing page, then the pages of steps 2-4
    "coordinator": ("Overzicht", ["Wijkprofiel", "Overzicht", "Wijkprofiel"]),
    "coordinator_groot": ("Overzicht", ["Wijkprofiel", "Overzicht", "Wijkprofiel"]),
    "beheerder": ("Overzicht", ["Wijkprofiel", "Overzicht", "Wijkprofiel"]),
    "manager": ("Weekbeeld", ["Mijn account", "Weekbeeld", "Mijn account"]),
}
ROUNDS = ("cold", "cold", "warm", "warm")


@dataclass(frozen=True)
class Timing:
    session: int
    username: str
    step: int
    page: str
    seconds: float


READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


async def wait_for_page(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """The page's last element (never on the page before it) is visible, and the run over
    (as tests/e2e/conftest.py ``wait_until_ready``, with the benchmark's longer timeout)."""
    await page.get_by_text(PAGES[title]).first.wait_for(timeout=STEP_TIMEOUT_MS)
    await page.wait_for_selector(READY, timeout=STEP_TIMEOUT_MS)
    await page.wait_for_selector('[data-testid="stMain"]', state="visible",
                                 timeout=STEP_TIMEOUT_MS)


async def open_page(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Through the sidebar, as tests/e2e/conftest.py ``open_page`` (a URL load would start
    a new Streamlit session)."""
    name = re.compile(rf"(^|\s){re.escape(title)}$")
    await page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name).click()


async def session(number: int, username: str, base_url: str, browser,  # type: ignore[no-untyped-def]
                  barrier: asyncio.Barrier, timings: list[Timing], failures: list[str]) -> None:
    """One user in its own browser context (own cookies, own Streamlit session)."""
    landing, steps = STEPS[username]
    try:
        context = await browser.new_context(viewport={"width": 1400, "height": 1000},
                                            locale="nl-NL", timezone_id="Europe/Amsterdam")
        page = await context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        await page.goto(base_url)
        await page.wait_for_selector(READY)
        await page.get_by_label("Gebruikersnaam").fill(username)
        await page.get_by_label("Wachtwoord").fill(password_of(username))
        await barrier.wait()
        started = time.perf_counter()
        await page.get_by_role("button", name="Inloggen").click()
        await wait_for_page(page, landing)
        timings.append(Timing(number, username, 1, landing, time.perf_counter() - started))
        for step, title in enumerate(steps, start=2):
            await barrier.wait()
            started = time.perf_counter()
            await open_page(page, title)
            await wait_for_page(page, title)
            timings.append(Timing(number, username, step, title,
                                  time.perf_counter() - started))
        await context.close()
    except Exception as exc:  # noqa: BLE001 - reported, and the others must not wait forever
        message = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        failures.append(f"session {number} ({username}): {message}")
        await barrier.abort()


async def all_sessions(users: list[str], base_url: str, timings: list[Timing],
                       failures: list[str]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                   args=CHROMIUM_ARGS)
        barrier = asyncio.Barrier(len(users))
        await asyncio.gather(*(session(i, u, base_url, browser, barrier, timings, failures)
                               for i, u in enumerate(users)))
        await browser.close()


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine so far (all cores, /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def report(timings: list[Timing], sessions: int) -> None:
    print("\n| step | page | round | n | p50 (s) | p95 (s) | max (s) |")
    print("|---:|---|---|---:|---:|---:|---:|")
    groups: dict[tuple[int, str], list[float]] = {}
    for t in timings:
        groups.setdefault((t.step, t.page), []).append(t.seconds)
    for (step, page), values in sorted(groups.items()):
        label = f"log in, then {page}" if step == 1 else page
        print(f"| {step} | {label} | {ROUNDS[step - 1]} | {len(values)} | "
              f"{statistics.median(values):.2f} | {percentile(values, 95):.2f} | "
              f"{max(values):.2f} |")
    dashboards = [t.seconds for t in timings if t.page in ("Overzicht", "Wijkprofiel")]
    for name in ("cold", "warm"):
        values = [t.seconds for t in timings if t.page in ("Overzicht", "Wijkprofiel")
                  and ROUNDS[t.step - 1] == name]
        print(f"\n{name}: overview and profile openings p95 = {percentile(values, 95):.2f} s "
              f"(n = {len(values)})")
    print(f"all overview and profile openings by {sessions} simultaneous sessions: p95 = "
          f"{percentile(dashboards, 95):.2f} s, max = {max(dashboards, default=float('nan')):.2f}"
          " s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    users = [ROLES[i % len(ROLES)] for i in range(args.sessions)]
    log = Path(tempfile.mkdtemp(prefix="wijk-users-")) / "streamlit.log"
    process, base_url = start_server(args.database_url, log)
    print(f"{args.database_url.split('@')[-1]}: server {base_url}; {args.sessions} sessions "
          f"({', '.join(f'{users.count(r)} {r}' for r in ROLES)}); {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    timings: list[Timing] = []
    failures: list[str] = []
    started, server_cpu, busy = time.perf_counter(), process_cpu(process.pid), machine_cpu()
    try:
        asyncio.run(all_sessions(users, base_url, timings, failures))
        wall = time.perf_counter() - started
        server_cpu, busy = process_cpu(process.pid) - server_cpu, machine_cpu() - busy
    finally:
        process.terminate()
        process.wait(timeout=15)
    print(f"\nrun {wall:.1f} s; CPU seconds used: the app server {server_cpu:.1f}, the whole "
          f"machine {busy:.1f} of {wall * (os.cpu_count() or 1):.1f} available (browsers, "
          "this script and anything else running)")
    for failure in failures:
        print("FAILED:", failure)
    report(timings, args.sessions)
    print(f"server log: {log}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
