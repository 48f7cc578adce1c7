"""Browser journey: the coordinator's map shows the wijk names, a click on an area opens its
profile, the map fits a phone, and no request leaves the app's own host (the background map
is off by default). Screenshots at 1366 px and 390x844 go to tests/artifacts/."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.e2e.conftest import login, open_page, screenshot, wait_until_ready

MAP_TIMEOUT_MS = 20_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The label trace of the map and where a name sits on screen, read from Plotly and MapLibre.
LABEL_POSITION = """(name) => {
    const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    const names = gd.data.find(t => t.mode === 'text');
    const i = names.text.indexOf(name);
    const map = gd._fullLayout.map._subplot.map;
    const pt = map.project([names.lon[i], names.lat[i]]);
    const box = map.getCanvas().getBoundingClientRect();
    return {x: box.left + pt.x, y: box.top + pt.y, names: names.text};
}"""


def _show_map(page) -> None:  # type: ignore[no-untyped-def]
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    page.locator(".maplibregl-canvas").first.wait_for(timeout=MAP_TIMEOUT_MS)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # let the map paint its polygons and names


def test_map_names_click_through_phone_fit_and_no_outside_requests(app_server,
                                                                   browser_page) -> None:
    page = browser_page
    outside: list[str] = []
    page.context.on("request", lambda r: outside.append(r.url) if urlparse(r.url).scheme in (
        "http", "https", "ws", "wss") and urlparse(r.url).hostname not in LOCAL_HOSTS else None)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, app_server, "coordinator")
    open_page(page, "Overzicht")
    _show_map(page)
    spoorzone = page.evaluate(LABEL_POSITION, "Spoorzone")
    assert {"Spoorzone", "Molenwijk", "Centrum"} <= set(spoorzone["names"])
    page.locator('[data-testid="stPlotlyChart"]').first.screenshot(
        path=str(screenshot(page, "kaart_1366").with_name("kaart_1366_map.png")))

    # Hover first: Plotly selects what the pointer is over, as a user's click would.
    page.mouse.move(spoorzone["x"] - 4, spoorzone["y"] + 4)
    page.mouse.move(spoorzone["x"], spoorzone["y"] + 8)
    page.wait_for_timeout(300)
    page.mouse.click(spoorzone["x"], spoorzone["y"] + 8)
    page.wait_for_url("**/wijkprofiel?wijk=WK990105", timeout=MAP_TIMEOUT_MS)
    wait_until_ready(page)
    page.get_by_text("Spoorzone · week").first.wait_for()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_server}/overzicht")
    wait_until_ready(page)
    _show_map(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.screenshot(path=str(screenshot(page, "kaart_390").with_name("kaart_390_map.png")))
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Every name's point lies inside the visible map: nothing of the scope is cut off.
    canvas = page.locator(".maplibregl-canvas").first.bounding_box()
    for name in spoorzone["names"]:
        where = page.evaluate(LABEL_POSITION, name)
        assert canvas["x"] <= where["x"] <= canvas["x"] + canvas["width"], name
        assert canvas["y"] <= where["y"] <= canvas["y"] + canvas["height"], name
    assert outside == []
