"""The fictitious Flemish demo gemeente Scheldevoorde (NIS 46999): six areas with the
municipality's own codes, delivered as a Belgian Lambert 72 GeoJSON with Statbel-style
gemeente columns and loaded through the ordinary area import, so Flanders works end to end."""

from __future__ import annotations

import json

import shapely
from sqlalchemy.orm import Session

from signals.services.actor import Actor
from signals.services.wijken import WijkImportResult, import_wijken

FLEMISH_GEMEENTE = ("46999", "Scheldevoorde")
FLEMISH_AREAS = (("SCH01", "Dorpskern"), ("SCH02", "Scheldekaai"), ("SCH03", "Kouter"),
                 ("SCH04", "Heide"), ("SCH05", "Molenveld"), ("SCH06", "Ter Beke"))
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


def load_flemish_demo(session: Session, actor: Actor) -> WijkImportResult:
    return import_wijken(session, actor, "scheldevoorde.geojson", flemish_geojson())
