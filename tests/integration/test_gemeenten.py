"""Several gemeenten in one deployment: names, scope, retired areas, and the GIS export."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import ValidationError
from signals.services import dashboard
from signals.services.actor import SYSTEM_ACTOR
from signals.services.audit_log import AuditFilter, query_audit
from signals.services.intake import create_signal
from signals.services.signal_draft import SignalDraft
from signals.services.wijk_export import wijken_feature_collection, wijken_geojson_file
from signals.services.wijken import ImportOptions, import_wijken
from tests.integration.geofiles import AMSTERDAM_RD, ANTWERP_L72, geojson_bytes, squares
from tests.security.factories import make_user

DUTCH = {"WK_CODE": ["WK0363AA", "WK0363AB"], "WK_NAAM": ["Centrum", "Noord"],
         "GM_NAAM": ["Amsterdam"] * 2}
FLEMISH = {"code": ["ANT01", "ANT02"], "naam": ["Centrum", "Zuid"]}


def _load_two_gemeenten(engine) -> None:  # type: ignore[no-untyped-def]
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "nl.geojson", geojson_bytes(
        DUTCH, squares(AMSTERDAM_RD, 2, 500), "EPSG:28992")))
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "be.geojson", geojson_bytes(
        FLEMISH, squares(ANTWERP_L72, 2, 500), "EPSG:31370"), ImportOptions(gemeente="11002")))


def test_a_name_used_in_two_gemeenten_shows_its_gemeente(engine) -> None:
    _load_two_gemeenten(engine)
    with read_session(engine) as session:
        names = dashboard.scope_wijken(session, SYSTEM_ACTOR).set_index("wijk_code")
    assert names.loc["WK0363AA", "wijk_naam"] == "Centrum (Amsterdam)"
    assert names.loc["ANT01", "wijk_naam"] == "Centrum (Gemeente 11002)"
    assert names.loc["WK0363AB", "wijk_naam"] == "Noord"  # unique names stay plain


def test_a_coordinator_of_one_gemeente_sees_only_its_areas_on_the_map(engine) -> None:
    _load_two_gemeenten(engine)
    coordinator = make_user(engine, "coord_antwerpen", Role.COORDINATOR, ("ANT01", "ANT02"))
    with read_session(engine) as session:
        features = dashboard.wijk_geojson(session, coordinator)["features"]
    assert {f["properties"]["gemeente_code"] for f in features} == {"11002"}


def test_a_retired_area_leaves_current_views_and_takes_no_signals(engine) -> None:
    _load_two_gemeenten(engine)
    reporter = make_user(engine, "melder", Role.SLEUTELFIGUUR, ("WK0363AB",))
    one_left = {k: v[:1] for k, v in DUTCH.items()}
    data = geojson_bytes(one_left, squares(AMSTERDAM_RD, 1, 500), "EPSG:28992")
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "nl2.geojson", data,
                                              retire=["WK0363AB"]))
    with read_session(engine) as session:
        codes = set(dashboard.scope_wijken(session, SYSTEM_ACTOR)["wijk_code"])
        wijk_id = dashboard.scoped_wijken(session, SYSTEM_ACTOR, ["WK0363AB"])[0].id
    assert "WK0363AB" not in codes and "WK0363AA" in codes
    with pytest.raises(ValidationError) as caught:
        run_write(engine, lambda s: create_signal(s, reporter, SignalDraft(
            wijk_id=wijk_id, observed_on=date.today(), category="onvrede")))
    assert "ingetrokken" in str(caught.value)


def test_gis_export_is_wgs84_with_code_name_gemeente_and_the_weeks_phase(engine) -> None:
    _load_two_gemeenten(engine)
    collection = run_write(engine, lambda s: wijken_feature_collection(
        s, SYSTEM_ACTOR, date(2026, 11, 23)))
    by_code = {f["id"]: f for f in collection["features"]}
    ant = by_code["ANT01"]
    expected = {"code": "ANT01", "naam": "Centrum", "gemeente_code": "11002",
                "week": "2026-W48", "fase": 0}
    assert expected.items() <= ant["properties"].items()
    lon, lat = ant["geometry"]["coordinates"][0][0]
    assert 4.3 < lon < 4.5 and 51.1 < lat < 51.3


def test_the_flemish_demo_loads_through_the_import_and_lands_in_flanders(engine) -> None:
    from signals.services.demo.flemish import load_flemish_demo

    first = run_write(engine, lambda s: load_flemish_demo(s, SYSTEM_ACTOR))
    again = run_write(engine, lambda s: load_flemish_demo(s, SYSTEM_ACTOR))
    assert (first.areas.created, again.areas.created, again.areas.unchanged) == (6, 0, 6)
    assert first.signals_created > 100 and first.users_created == 20
    assert (again.signals_created, again.users_created) == (0, 0)
    with read_session(engine) as session:
        names = dashboard.scope_wijken(session, SYSTEM_ACTOR)
        features = dashboard.wijk_geojson(session, SYSTEM_ACTOR)["features"]
    assert set(names["gemeente"]) == {"Scheldevoorde"}
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    assert 3.5 < lon < 4.5 and 50.8 < lat < 51.3


def test_the_flemish_coordinator_sees_scheldevoorde_only_and_its_call(engine) -> None:
    from signals.db.models import User
    from signals.services.auth import actor_from_user
    from signals.services.demo.flemish import FLEMISH_COORDINATOR, load_flemish_demo

    run_write(engine, lambda s: load_flemish_demo(s, SYSTEM_ACTOR))
    _load_two_gemeenten(engine)  # a second and third gemeente in the same deployment
    with read_session(engine) as session:
        coordinator = actor_from_user(session.scalars(select(User).where(
            User.username == FLEMISH_COORDINATOR)).one())
        rows = dashboard.overview(session, coordinator).wijken.set_index("wijk_code")
        exported = wijken_feature_collection(session, coordinator)
    assert set(rows.index) == {"SCH01", "SCH02", "SCH03", "SCH04", "SCH05", "SCH06"}
    assert rows.loc["SCH02", "phase"] >= 2  # the call to gather at the Scheldekaai
    assert {f["properties"]["gemeente"] for f in exported["features"]} == {"Scheldevoorde"}


def test_gis_export_from_the_ui_keeps_to_the_users_scope_and_chosen_gemeente(engine) -> None:
    _load_two_gemeenten(engine)
    coordinator = make_user(engine, "coord_ant01", Role.COORDINATOR, ("ANT01",))
    data, count = run_write(engine, lambda s: wijken_geojson_file(s, coordinator))
    assert count == 1 and [f["id"] for f in json.loads(data)["features"]] == ["ANT01"]
    # Another gemeente's code gives nothing outside the scope, never more.
    _, outside = run_write(engine, lambda s: wijken_geojson_file(s, coordinator, None, "0363"))
    assert outside == 0
    data, count = run_write(engine, lambda s: wijken_geojson_file(
        s, SYSTEM_ACTOR, None, "11002"))
    assert {f["properties"]["gemeente_code"] for f in json.loads(data)["features"]} == {
        "11002"} and count == 2
    with read_session(engine) as session:
        logged = query_audit(session, SYSTEM_ACTOR, AuditFilter(action="wijken_export"))
    assert len(logged) == 3 and set(logged["gebruiker"]) >= {"coord_ant01"}


def test_map_data_of_one_gemeente_and_names_only_where_they_fit(engine, monkeypatch) -> None:
    _load_two_gemeenten(engine)
    with read_session(engine) as session:
        antwerp = dashboard.wijk_geojson(session, SYSTEM_ACTOR, "11002")["features"]
        monkeypatch.setattr(dashboard, "MAX_MAP_LABELS", 3)
        everything = dashboard.wijk_geojson(session, SYSTEM_ACTOR)["features"]
    assert [f["id"] for f in antwerp] == ["ANT01", "ANT02"]
    lon, lat = antwerp[0]["properties"]["label_point"]
    assert 4.3 < lon < 4.5 and 51.1 < lat < 51.3
    assert len(everything) == 4 and not [f for f in everything
                                         if "label_point" in f["properties"]]
