"""The fictitious Flemish demo gemeente Scheldevoorde (NIS 46999): six areas with the
municipality's own codes, delivered as a Belgian Lambert 72 GeoJSON with Statbel-style
gemeente columns and loaded through the ordinary area import; plus its own key figures,
half a year of signals (a call to gather at the Scheldekaai this week), and a coordinator
for Scheldevoorde only, so Flanders works end to end next to Lindeveen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.db.models import Setting, Signal, User, Wijk
from signals.domain import Role
from signals.localtime import monday_of, today_local
from signals.services.actor import Actor, authorise
from signals.services.data_version import bump
from signals.services.demo.loader import DEMO_SETTING, _insert_signals, _new_user
from signals.services.demo.municipality import DemoWijk
from signals.services.demo.people import DemoUser, key_figures
from signals.services.demo.scenarios import WEEKS, Episode, Town, generate
from signals.services.indicators import rebuild_indicators
from signals.services.rules_config import load_rules
from signals.services.wijken import WijkImportResult, import_wijken

FLEMISH_GEMEENTE = ("46999", "Scheldevoorde")
FLEMISH_AREAS = (("SCH01", "Centrum"), ("SCH02", "Scheldekaai"), ("SCH03", "Kouter"),
                 ("SCH04", "Heide"), ("SCH05", "Molenveld"), ("SCH06", "Ter Beke"))
FLEMISH_WIJKEN = (
    DemoWijk("SCH01", "Centrum", "druk", 4, 2.5),
    DemoWijk("SCH02", "Scheldekaai", "oproep", 4, 0.8),
    DemoWijk("SCH03", "Kouter", "normaal", 3, 0.7),
    DemoWijk("SCH04", "Heide", "rustig", 3, 0.1),
    DemoWijk("SCH05", "Molenveld", "normaal", 3, 0.6),
    DemoWijk("SCH06", "Ter Beke", "normaal", 2, 0.4),
)
FLEMISH_COORDINATOR = "coordinator_schelde"
FLEMISH_KEY_FIGURE = "sleutelfiguur_schelde"


def flemish_episodes() -> list[Episode]:
    """Scheldekaai: unrest among young people around a derby, then a call to gather."""
    kaai, theme = "SCH02", "voetbal"
    return [
        *(Episode(kaai, o, "onvrede", (0, 2), theme) for o in (4, 3, 2)),
        *(Episode(kaai, o, "spanning_groepen", (0, 3), theme) for o in (2, 1)),
        Episode(kaai, 1, "geruchten_desinformatie", (1, 2), theme, (True, False)),
        Episode(kaai, 0, "oproep_mobilisatie", (1, 3), theme, (False, True),
                action_in_days=9),
    ]


SCHELDEVOORDE = Town(FLEMISH_WIJKEN, flemish_episodes, weeks=26, id_prefix="demo-vl",
                     user_prefix="sfs", demo_account=FLEMISH_KEY_FIGURE)


@dataclass(frozen=True)
class FlemishResult:
    areas: WijkImportResult
    users_created: int
    signals_created: int
ORIGIN_L72 = (128_000.0, 196_000.0)  # open land in East Flanders; the gemeente is invented
CELL = 900.0


def flemish_geojson() -> bytes:
    features = []
    for index, (code, name) in enumerate(FLEMISH_AREAS):
        x = ORIGIN_L72[0] + (index % 3) * CELL
        y = ORIGIN_L72[1] + (index // 3) * CELL
        geometry = json.loads(shapely.to_geojson(shapely.box(x, y, x + CELL, y + CELL)))
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "code": code, "naam": name, "CD_MUNTY_REFNIS": FLEMISH_GEMEENTE[0],
            "TX_MUNTY_DESCR_NL": FLEMISH_GEMEENTE[1]}})
    return json.dumps({"type": "FeatureCollection", "features": features,
                       "crs": {"type": "name",
                               "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}}}).encode()


def load_flemish_demo(session: Session, actor: Actor, seed: int = 2026,
                      today: date | None = None) -> FlemishResult:
    """Scheldevoorde's areas, people and signals; safe to repeat (keyed on external ids).
    Its weeks end with Lindeveen's demo week when that is loaded, else this week."""
    actor = authorise(session, actor, Role.BEHEERDER)
    areas = import_wijken(session, actor, "scheldevoorde.geojson", flemish_geojson())
    today = today or today_local()
    stored = session.get(Setting, DEMO_SETTING)
    anchor = (date.fromisoformat(stored.value["anchor"])  # type: ignore[index]
              if stored is not None else monday_of(today))
    wijk_ids = dict(session.execute(select(Wijk.code, Wijk.id).where(
        Wijk.code.in_([w.code for w in FLEMISH_WIJKEN]))).all())
    # In the network since the history starts, as in Lindeveen.
    since = datetime.combine(anchor - timedelta(weeks=WEEKS), time(), UTC)
    people = [*key_figures(seed, SCHELDEVOORDE),
              DemoUser(FLEMISH_COORDINATOR, Role.COORDINATOR, None, tuple(wijk_ids))]
    users = {u.username: u for u in session.scalars(select(User))}
    created = 0
    for person in people:
        if person.username not in users:
            users[person.username] = _new_user(session, person, since)
            created += 1
    session.flush()
    existing = set(session.scalars(select(Signal.external_id).where(
        Signal.external_id.like(f"{SCHELDEVOORDE.id_prefix}-{seed}-%"))))
    new = [s for s in generate(seed, anchor, today, SCHELDEVOORDE)
           if s.external_id not in existing]
    _insert_signals(session, new, wijk_ids, users)
    if new:
        rebuild_indicators(session, load_rules(session), wijk_ids=wijk_ids.values())
        bump(session, wijk_ids.values())
    return FlemishResult(areas, created, len(new))
