"""AppTest: the Overzicht for coordinators (own wijken) and beheerders (all), on the demo."""

from __future__ import annotations

import json

from sqlalchemy import select

from signals.db.models import User
from signals.domain import NAFASE_COLOUR
from tests.ui.helpers import logged_in, open_page, run_page_as
from tests.ui.signal_helpers import query

PAGE = "pages/overzicht.py"
HOVER_NAME_AND_PHASE = "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"


def _overview(username: str, password: str | None = None):  # type: ignore[no-untyped-def]
    return open_page(logged_in(username, password), PAGE)


def _wijk_table(at):  # type: ignore[no-untyped-def]
    """The table of all wijken (the risk calendar's table may come first)."""
    return next(d.value for d in at.dataframe if "wijk_naam" in d.value.columns)


def _markdown(at) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(m.value for m in at.markdown)



def _wijk_table(at):  # type: ignore[no-untyped-def]
    """The 'Alle wijken' table (the coming 14 days' moments come before it)."""
    return next(d.value for d in at.dataframe if "wijk_naam" in d.value.columns)

def test_coordinator_sees_own_wijken_by_urgency_with_alerts(demo_database) -> None:
    at = _overview("coordinator")
    assert at.title[0].value == "Overzicht"
    assert [s.value for s in at.subheader][:2] == ["Nieuw in fase 2 of hoger", "Zicht verloren"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Fase 3 of hoger"] == "1" and metrics["Nafase"] == "1"
    table = _wijk_table(at)
    assert len(table) == 10 and table.iloc[0]["wijk_naam"] == "Spoorzone"
    phases = table.set_index("wijk_naam")["fase"]
    assert phases["Spoorzone"] == "Fase 3 · Dreigende escalatie"
    assert phases["Centrum"] == "Fase 1 · Sluimerend ongenoegen"
    # Silence is never shown as plain "Rust".
    assert phases["Vogelwijk"] == "Onvoldoende zicht"
    assert "Nafase" in table.set_index("wijk_naam").loc["Molenwijk", "vlaggen"]
    links = [(link.label, link.proto.query_string) for link in at.get("page_link")]
    assert ("Spoorzone: van fase 2 naar fase 3", "wijk=WK990105") in links
    assert ("Vogelwijk", "wijk=WK990108") in links
    assert any(c.value.startswith("Onvoldoende zicht al") for c in at.caption)
    tiles = {query for label, query in links if label == "Open wijkprofiel"}
    assert len(tiles) == 10  # every wijk opens its own profile
    text = _markdown(at)
    assert ":red-badge[:material/campaign: Fase 3 · Dreigende escalatie]" in text
    assert ":violet-badge[:material/healing: Nafase]" in text


def test_map_shows_wijken_by_phase_label_and_never_a_person(demo_database) -> None:
    at = _overview("coordinator")
    chart = at.get("plotly_chart")[0].proto
    spec = json.loads(chart.spec)
    style = spec["layout"]["map"]["style"]
    # Off by default: no background tiles and no font server, so no outside request.
    assert "glyphs" not in style and "http" not in json.dumps(style)
    areas = [t for t in spec["data"] if t["type"] == "choroplethmap"]
    shown = {}  # wijk name -> the phase label its hover shows, read from the trace data
    for trace in areas:
        assert trace["hovertemplate"] == HOVER_NAME_AND_PHASE
        assert [f["id"] for f in trace["geojson"]["features"]] == trace["locations"]
        for name, label in trace["customdata"]:
            assert label == trace["name"]  # the legend entry is the phase label
            shown[name] = label
    assert len(shown) == sum(len(t["locations"]) for t in areas) == 10
    assert shown["Spoorzone"] == "Fase 3 · Dreigende escalatie"
    assert shown["Centrum"] == "Fase 1 · Sluimerend ongenoegen"
    assert shown["Vogelwijk"].startswith("Onvoldoende zicht")
    # The nafase outline is a purple line: on the map and, as its sample, in the legend.
    (outline,) = [t for t in spec["data"] if t.get("mode") == "lines"]
    assert outline["name"] == "Nafase (paarse rand)" and outline["showlegend"]
    assert outline["line"]["color"] == NAFASE_COLOUR and outline["meta"] == ["Molenwijk"]
    # The names are written on the map, each at a point inside its own area.
    (names,) = [t for t in spec["data"] if t.get("mode") == "text"]
    assert names["mode"] == "text" and sorted(names["text"]) == sorted(shown)
    # One legend: the map's own (the phase badges are not repeated under it).
    assert "Fase 4 ·" not in _markdown(at)  # no wijk is in fase 4: only a legend would say it
    # A click on an area is a point selection that reruns the page.
    assert list(chart.selection_mode) and chart.id
    features = [f for t in areas for f in t["geojson"]["features"]]
    assert all(set(f["properties"]) == {"wijk_code", "wijk_naam", "gemeente_code",
                                        "gemeente_naam", "label_point"} for f in features)
    people = [name for (name,) in query(demo_database, select(User.username).where(
        User.role == "sleutelfiguur"))]
    text = json.dumps(spec)
    assert len(people) > 30 and not [p for p in people if p in text]


def test_scope_coordinator_zuid_and_beheerder(demo_database) -> None:
    zuid = _overview("coordinator_zuid", "demo-coordinator-2026")
    assert set(_wijk_table(zuid)["wijk_naam"]) == {
        "Industrieterrein Noord", "Buitenhof", "Zuiderpark", "Nieuwland"}
    beheerder = _overview("beheerder")
    assert len(_wijk_table(beheerder)) == 12
    # A strip of four wijken in a row: a low, wide map, not a tall one with empty bands.
    strip = json.loads(zuid.get("plotly_chart")[0].proto.spec)["layout"]["height"]
    whole = json.loads(beheerder.get("plotly_chart")[0].proto.spec)["layout"]["height"]
    assert strip < 0.8 * whole


def test_manager_has_no_overview(demo_database) -> None:
    at = run_page_as(logged_in("manager"), "pages/overzicht.py")
    assert not any(t.value == "Overzicht" for t in at.title)
    assert not at.dataframe or "wijk_naam" not in at.dataframe[0].value.columns
