"""Dashboard services on the demo (SQLite and PostgreSQL): overview, profile, scope, version."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from signals.db.models import Signal, User, Wijk
from signals.db.uow import read_session, run_write
from signals.errors import NotFoundError, PermissionDeniedError
from signals.services import dashboard
from signals.services.actor import SYSTEM_ACTOR
from signals.services.auth import actor_from_user
from signals.services.data_version import data_version
from signals.services.intake import create_signal
from signals.services.phases import record_decision
from signals.services.signal_draft import SignalDraft
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY
THIS_WEEK, FIRST_26 = date(2026, 11, 16), date(2026, 5, 25)


@pytest.fixture
def demo(demo_engine):
    return demo_engine


def _actor(engine, username: str):
    with read_session(engine) as session:
        return actor_from_user(session.scalar(select(User).where(User.username == username)))


def _overview(engine, username: str) -> dashboard.Overview:
    with read_session(engine) as session:
        return dashboard.overview(session, _actor(engine, username), THIS_WEEK)


def test_overview_tells_the_demo_stories_most_urgent_first(demo) -> None:
    overview = _overview(demo, "coordinator")
    rows = overview.wijken.set_index("wijk_naam")
    assert len(rows) == 10 and overview.wijken.iloc[0]["wijk_naam"] == "Spoorzone"
    spoor = rows.loc["Spoorzone"]
    assert (spoor.effective_phase, spoor.phase, spoor.previous_phase) == (3, 3, 2)
    assert pd_isna(spoor.decided_phase)  # proposed, not yet decided
    assert overview.new_alerts.iloc[0]["wijk_naam"] == "Spoorzone"
    assert (overview.new_alerts["effective_phase"] >= 2).all()
    assert rows.loc["Molenwijk", "nafase"] and rows.loc["Molenwijk", "effective_phase"] >= 1
    assert rows.loc["Centrum", "effective_phase"] == 1 and not rows.loc["Centrum", "alarm"]
    vogel = overview.sight_lost.set_index("wijk_naam").loc["Vogelwijk"]
    assert vogel.onvoldoende_zicht and vogel.sight_weeks >= 5 and vogel.effective_phase == 0
    assert rows.loc["Buitenhof", "effective_phase"] == 0
    assert not rows.loc["Buitenhof", "onvoldoende_zicht"]
    urgency = list(overview.wijken["urgency"])
    assert urgency == sorted(urgency, reverse=True)
    # Silent wijken rank above calm ones: silence is never plain "Rust".
    names = list(overview.wijken["wijk_naam"])
    assert names.index("Vogelwijk") < names.index("Buitenhof")
    # One demo load per backend serves the read-only checks below.
    _scope_and_roles(demo)
    _map_in_scope_without_persons(demo)


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _scope_and_roles(demo) -> None:
    zuid = _overview(demo, "coordinator_zuid")
    assert set(zuid.wijken["wijk_code"]) == {"WK990109", "WK990110", "WK990111", "WK990112"}
    assert len(_overview(demo, "beheerder").wijken) == 12
    for username in ("manager", "sleutelfiguur"):
        with pytest.raises(PermissionDeniedError), read_session(demo) as session:
            dashboard.overview(session, _actor(demo, username), THIS_WEEK)


def test_profile_trend_with_categories_themes_and_signals(demo) -> None:
    coordinator = _actor(demo, "coordinator")
    with read_session(demo) as session:
        trend = dashboard.wijk_trend(session, coordinator, "WK990103", FIRST_26, THIS_WEEK)
        themes = dashboard.theme_counts(session, coordinator, "WK990103", FIRST_26, THIS_WEEK)
        labels = dashboard.category_columns(session)
        signals = dashboard.week_signals(session, coordinator, "WK990105", THIS_WEEK)
    assert len(trend) == 26 and list(trend["week"])[-1] == "2026-W47"
    escalation = trend.set_index("week").loc["2026-W43"]
    assert escalation.phase == 4 and escalation.n_ordeverstoring >= 2
    assert escalation.decided_phase == 4  # the demo coordinator confirmed it
    assert labels["n_ordeverstoring"] == "Ordeverstoring en schade"
    azc = themes[themes["theme"] == "Azc en asiel"]
    assert azc["n"].sum() >= 10 and set(themes.columns) == {"week_start", "theme", "n"}
    assert "Oproep / mobilisatie" in set(signals["category"])
    assert signals["action_place"].notna().any()
    # The list shows role types, never who reported, and no description text.
    assert not {"reporter_id", "description", "created_by_id"} & set(signals.columns)
    assert set(signals["reporter_role"]) <= {"Wijkagent", "Jongerenwerker", "Docent",
                                             "Religieus leider", "Ondernemer",
                                             "Bewoner (vrijwilliger)", "Opbouwwerker",
                                             "Handhaver (boa)", "Overig", "Onbekend"}
    _profile_refusals(demo)


def _profile_refusals(demo) -> None:
    zuid = _actor(demo, "coordinator_zuid")
    with read_session(demo) as session:
        for call in (dashboard.wijk_trend, dashboard.theme_counts):
            with pytest.raises(PermissionDeniedError):
                call(session, zuid, "WK990105", FIRST_26, THIS_WEEK)
        with pytest.raises(PermissionDeniedError):
            dashboard.week_signals(session, zuid, "WK990105", THIS_WEEK)
        with pytest.raises(NotFoundError):
            dashboard.wijk_trend(session, zuid, "WK000000", FIRST_26, THIS_WEEK)


def _map_in_scope_without_persons(demo) -> None:
    with read_session(demo) as session:
        mine = dashboard.wijk_geojson(session, _actor(demo, "coordinator_zuid"))
        everything = dashboard.wijk_geojson(session, SYSTEM_ACTOR)
    assert {f["id"] for f in mine["features"]} == {"WK990109", "WK990110", "WK990111",
                                                   "WK990112"}
    assert len(everything["features"]) == 12
    assert all(set(f["properties"]) == {"wijk_code", "wijk_naam", "gemeente_code",
                                        "gemeente_naam", "label_point"}
               for f in everything["features"])


def test_decisions_and_signal_changes_move_the_data_version(demo) -> None:
    def version() -> str:
        with read_session(demo) as session:
            return data_version(session)

    first = version()
    assert version() == first  # stable while nothing changes
    coordinator = _actor(demo, "coordinator")
    run_write(demo, lambda s: record_decision(s, coordinator, "WK990105", THIS_WEEK, 2,
                                              "Oproep ingetrokken volgens de wijkagent.",
                                              today=TODAY))
    after_decision = version()
    assert after_decision != first
    # The decision is the effective phase; the proposal stays visible next to it.
    spoor = _overview(demo, "coordinator").wijken.set_index("wijk_code").loc["WK990105"]
    assert (spoor.phase, spoor.decided_phase, spoor.effective_phase) == (3, 2, 2)

    def verify_one(session) -> None:
        signal = session.scalars(select(Signal).where(Signal.status != "geverifieerd")).first()
        signal.status = "geverifieerd"

    run_write(demo, verify_one)
    assert version() != after_decision


def test_a_save_moves_the_version_of_its_wijk_only(demo) -> None:
    """Caches of users who do not see the changed wijk stay valid."""
    with read_session(demo) as session:
        spoorzone, buitenhof = (session.scalar(select(Wijk.id).where(Wijk.code == code))
                                for code in ("WK990105", "WK990111"))

    def versions() -> tuple[str, str, str]:
        with read_session(demo) as session:
            return (data_version(session, [spoorzone]), data_version(session, [buitenhof]),
                    data_version(session))

    before = versions()
    key_figure = _actor(demo, "sleutelfiguur")
    run_write(demo, lambda s: create_signal(s, key_figure, SignalDraft(
        wijk_id=spoorzone, observed_on=TODAY, category="onvrede",
        description="Bewoners praten over de plannen.")))
    after = versions()
    assert after[0] != before[0] and after[2] != before[2]
    assert after[1] == before[1]


def test_week_caption_is_dutch() -> None:
    assert dashboard.week_caption(THIS_WEEK) == "week 47 (16-11-2026 t/m 22-11-2026)"


def _rd_square(code: str, name: str, x: float, y: float) -> dict:
    ring = [[x, y], [x + 800, y], [x + 800, y + 600], [x, y + 600], [x, y]]
    return {"type": "Feature", "properties": {"WK_CODE": code, "WK_NAAM": name},
            "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]}}


def test_map_works_with_an_imported_cbs_wijkkaart(engine) -> None:
    from signals.services.wijken import import_wijken
    from signals.ui.phase_map import phase_map

    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
           "features": [_rd_square("WK036300", "Burgwallen-Oude Zijde", 121000, 487000),
                        _rd_square("WK036301", "Burgwallen-Nieuwe Zijde", 121800, 487000)]}
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "wijkbuurtkaart.geojson",
                                              json.dumps(doc).encode()))
    with read_session(engine) as session:
        overview = dashboard.overview(session, SYSTEM_ACTOR, THIS_WEEK)
        geojson = dashboard.wijk_geojson(session, SYSTEM_ACTOR)
    figure = phase_map(geojson, overview.wijken)
    assert figure is not None
    center = figure.layout.map.center
    assert 4.85 < center.lon < 4.95 and 52.35 < center.lat < 52.40  # Amsterdam, WGS84
    assert figure.layout.map.zoom > 10
    assert "glyphs" not in figure.layout.map.style  # names drawn locally, no font server
    assert not [s for s in figure.layout.map.style["sources"].values() if s["type"] == "raster"]
    # No key figures yet: silence, shown as such and never as plain "Rust".
    areas, names = figure.data
    assert areas.name == "Onvoldoende zicht (geen onrust gemeld)"
    assert set(areas.locations) == {"WK036300", "WK036301"}
    # Each name sits inside its own area (label points come from the service).
    lon = dict(zip(names.text, names.lon, strict=True))
    assert set(lon) == {"Burgwallen-Oude Zijde", "Burgwallen-Nieuwe Zijde"}
    assert 4.85 < lon["Burgwallen-Oude Zijde"] < lon["Burgwallen-Nieuwe Zijde"] < 4.95
