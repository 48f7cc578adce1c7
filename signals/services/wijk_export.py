"""Export the areas for GIS: a WGS84 GeoJSON FeatureCollection, optionally with a week's phase.

Only areas in the actor's scope, active ones only; properties are code, name and gemeente
(and the effective phase of the chosen week), never anything about a person.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from signals.domain import Role
from signals.engine.weeks import week_label
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.phases import phase_table, scoped_wijken


def wijken_feature_collection(session: Session, actor: Actor, week: date | None = None,
                              gemeente_code: str | None = None) -> dict:
    """The active areas in the actor's scope (of one gemeente, if given) as a WGS84
    FeatureCollection; audited, as every export."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    wijken = [w for w in scoped_wijken(session, actor, None) if w.retired_at is None
              and (gemeente_code is None or (w.gemeente and w.gemeente.code == gemeente_code))]
    phases = _phases(session, actor, week) if week is not None else {}
    features = []
    for wijk in wijken:
        properties = {"code": wijk.code, "naam": wijk.name,
                      "gemeente_code": wijk.gemeente.code if wijk.gemeente else None,
                      "gemeente": wijk.gemeente.name if wijk.gemeente else None}
        if week is not None:
            properties |= {"week": week_label(week), **phases.get(wijk.code, {})}
        features.append({"type": "Feature", "id": wijk.code, "geometry": wijk.geometry,
                         "properties": properties})
    audit.record(session, actor, "wijken_export", "wijk", None,
                 {"gebieden": len(features), "week": week_label(week) if week else None,
                  "gemeente": gemeente_code})
    return {"type": "FeatureCollection", "name": "wijksignalen_gebieden",
            "features": features}


def wijken_geojson_file(session: Session, actor: Actor, week: date | None = None,
                        gemeente_code: str | None = None) -> tuple[bytes, int]:
    """The export as UTF-8 GeoJSON bytes, and the number of areas in it."""
    collection = wijken_feature_collection(session, actor, week, gemeente_code)
    return (json.dumps(collection, ensure_ascii=False).encode("utf-8"),
            len(collection["features"]))


def _phases(session: Session, actor: Actor, week: date) -> dict[str, dict]:
    table = phase_table(session, actor, week, week)
    return {row.wijk_code: {"fase": int(row.effective_phase), "fase_naam": row.effective_name,
                            "nafase": bool(row.nafase)}
            for row in table.itertuples()}


