"""AppTest: two gemeenten in one deployment (Lindeveen + the Flemish demo), the GIS export on
Wijken, and the background map a beheerder may switch on (off by default)."""

from __future__ import annotations

import json

from sqlalchemy import create_engine

from signals.db.uow import run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.demo.flemish import load_flemish_demo
from tests.ui.helpers import download, logged_in, open_page, record_media_managers


def _with_scheldevoorde(url: str) -> None:
    engine = create_engine(url)
    try:
        run_write(engine, lambda s: load_flemish_demo(s, SYSTEM_ACTOR))
    finally:
        engine.dispose()


def test_wijken_filters_per_gemeente_and_exports_the_chosen_one(demo_database,
                                                                 monkeypatch) -> None:
    _with_scheldevoorde(demo_database)
    managers = record_media_managers(monkeypatch)
    at = open_page(logged_in("beheerder"), "pages/wijken.py")
    table = at.dataframe[0].value
    assert len(table) == 18
    # Both gemeenten have a "Centrum": each is shown with its gemeente.
    assert {"Centrum (Lindeveen)", "Centrum (Scheldevoorde)"} <= set(table["wijk_naam"])
    choice = at.selectbox(key="wijken_gemeente")
    assert choice.options == ["Alle gemeenten", "Lindeveen", "Scheldevoorde"]
    choice.select("46999").run()
    table = at.dataframe[0].value
    assert set(table["wijk_code"]) == {f"SCH0{i}" for i in range(1, 7)}
    exported = json.loads(download(at, managers, "gis_export"))
    assert {f["properties"]["gemeente"] for f in exported["features"]} == {"Scheldevoorde"}
    lon, lat = exported["features"][0]["geometry"]["coordinates"][0][0]
    assert 3.5 < lon < 4.5 and 50.8 < lat < 51.3  # WGS84, in Flanders


def test_coordinator_exports_only_their_wijken_and_sees_no_gemeente_choice(
        demo_database, monkeypatch) -> None:
    _with_scheldevoorde(demo_database)
    managers = record_media_managers(monkeypatch)
    at = open_page(logged_in("coordinator_zuid", "demo-coordinator-2026"), "pages/wijken.py")
    assert not at.get("selectbox")  # one gemeente in scope: nothing to choose
    at.checkbox(key="gis_fase").check().run()
    exported = json.loads(download(at, managers, "gis_export"))
    names = {f["properties"]["naam"] for f in exported["features"]}
    assert names == {"Industrieterrein Noord", "Buitenhof", "Zuiderpark", "Nieuwland"}
    assert all("fase" in f["properties"] for f in exported["features"])


def test_overzicht_of_the_flemish_coordinator_maps_scheldevoorde(demo_database) -> None:
    _with_scheldevoorde(demo_database)
    at = open_page(logged_in("coordinator_schelde", "demo-coordinator-2026"),
                   "pages/overzicht.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    (names,) = [t for t in spec["data"] if t.get("mode") == "text"]
    # Within a scope of one gemeente the name is plain again.
    assert sorted(names["text"]) == ["Centrum", "Heide", "Kouter", "Molenveld",
                                     "Scheldekaai", "Ter Beke"]
    center = spec["layout"]["map"]["center"]
    assert 3.5 < center["lon"] < 4.5 and 50.8 < center["lat"] < 51.3  # zoomed to its scope


def test_background_map_is_off_until_a_beheerder_chooses_one(demo_database) -> None:
    at = open_page(logged_in("beheerder"), "pages/overzicht.py")
    style = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["map"]["style"]
    assert "http" not in json.dumps(style)
    at = open_page(at, "pages/beheer_wijken.py")
    at.radio[0].set_value("pdok_grijs")
    at.button[-1].click().run()
    assert not at.exception
    at = open_page(at, "pages/overzicht.py")
    style = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["map"]["style"]
    (tiles,) = [s for s in style["sources"].values() if s["type"] == "raster"]
    assert tiles["tiles"][0].startswith("https://service.pdok.nl/")
    assert "Kadaster" in tiles["attribution"]
