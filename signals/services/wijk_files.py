"""Parse wijk files: CSV (`wijk_code, wijk_naam`) or a CBS wijk- en buurtkaart GeoJSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from signals.domain import WIJK_CODE_PATTERN
from signals.errors import FieldError, ValidationError
from signals.services.plain_text import shown, text_problem
from signals.services.textfiles import check_size, read_csv

CODE_KEYS = ("wijkcode", "WK_CODE", "wk_code", "statcode")
NAME_KEYS = ("wijknaam", "WK_NAAM", "wk_naam", "statnaam")
GEMEENTE_KEYS = ("gemeentecode", "GM_CODE", "gm_code")
RD_NEW = "EPSG:28992"
MAX_NAME = 200
_CODE = re.compile(WIJK_CODE_PATTERN)


@dataclass(frozen=True)
class WijkRecord:
    code: str
    name: str
    geometry: dict[str, Any] | None = None


def parse_wijk_file(filename: str, data: bytes, gemeente: str | None = None) -> list[WijkRecord]:
    check_size(data)
    if filename.lower().endswith((".geojson", ".json")):
        return parse_geojson(data, gemeente)
    return parse_csv(data)


def parse_csv(data: bytes) -> list[WijkRecord]:
    table = read_csv(data)
    header = table.header
    missing = [c for c in ("wijk_code", "wijk_naam") if c not in header]
    if missing:
        raise ValidationError([FieldError(c, "kolom ontbreekt in de kopregel",
                                          row=table.header_line) for c in missing])
    code_i, name_i = header.index("wijk_code"), header.index("wijk_naam")
    records, numbers, errors = [], [], []
    for row_no, row in zip(table.lines, table.rows, strict=True):
        cells = row + [""] * (len(header) - len(row))
        record = _record(cells[code_i], cells[name_i], None, row_no, errors)
        if record:
            records.append(record)
            numbers.append(row_no)
    return _checked(records, numbers, errors)


def parse_geojson(data: bytes, gemeente: str | None = None) -> list[WijkRecord]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError([FieldError("bestand", f"Geen geldige GeoJSON: {exc}")]) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ValidationError([FieldError("bestand", "Verwacht een GeoJSON FeatureCollection.")])
    transform = _transformer(doc)
    records, numbers, errors = [], [], []
    for number, feature in enumerate(doc.get("features") or [], start=1):
        props = feature.get("properties") or {}
        if gemeente and _first(props, GEMEENTE_KEYS) != gemeente:
            continue
        geometry = feature.get("geometry")
        if geometry is not None and geometry.get("type") not in ("Polygon", "MultiPolygon"):
            errors.append(FieldError("geometry", "alleen Polygon of MultiPolygon", number))
            continue
        if geometry is not None and transform is not None:
            geometry = _reproject(geometry, transform)
        record = _record(_first(props, CODE_KEYS), _first(props, NAME_KEYS), geometry,
                         number, errors)
        if record:
            records.append(record)
            numbers.append(number)
    return _checked(records, numbers, errors)


def _record(code: str, name: str, geometry: dict | None, row: int,
            errors: list[FieldError]) -> WijkRecord | None:
    code, name = (code or "").strip().upper(), (name or "").strip()
    ok = True
    if not _CODE.match(code):
        errors.append(FieldError("wijk_code", f"'{shown(code)}' is geen CBS-wijkcode "
                                              "(WKggggww)", row))
        ok = False
    if not name:
        errors.append(FieldError("wijk_naam", "naam ontbreekt", row))
        ok = False
    elif problem := text_problem(name):
        errors.append(FieldError("wijk_naam", problem, row))
        ok = False
    elif len(name) > MAX_NAME:
        errors.append(FieldError("wijk_naam", f"de naam is {len(name)} tekens; maximaal "
                                              f"{MAX_NAME}", row))
        ok = False
    return WijkRecord(code, name, geometry) if ok else None


def _checked(records: list[WijkRecord], numbers: list[int],
             errors: list[FieldError]) -> list[WijkRecord]:
    seen: set[str] = set()
    for number, record in zip(numbers, records, strict=True):
        if record.code in seen:
            errors.append(FieldError("wijk_code", f"{record.code} komt dubbel voor", number))
        seen.add(record.code)
    if errors:
        raise ValidationError(errors)
    if not records:
        raise ValidationError([FieldError("bestand", "Het bestand bevat geen wijken.")])
    return records


def _first(props: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        if props.get(key) not in (None, ""):
            return str(props[key])
    return ""


def _transformer(doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    """A transformer to WGS84 when the file is in RD New (CBS's usual projection)."""
    crs_name = str(((doc.get("crs") or {}).get("properties") or {}).get("name", ""))
    if "28992" not in crs_name and not _looks_like_rd(doc):
        return None
    from pyproj import Transformer

    return Transformer.from_crs(RD_NEW, "EPSG:4326", always_xy=True)


def _looks_like_rd(doc: dict[str, Any]) -> bool:
    for feature in doc.get("features") or []:
        coords = (feature.get("geometry") or {}).get("coordinates")
        while isinstance(coords, list) and coords and isinstance(coords[0], list):
            coords = coords[0]
        if isinstance(coords, list) and len(coords) >= 2:
            return abs(coords[0]) > 180 or abs(coords[1]) > 90
    return False


def _reproject(geometry: dict[str, Any], transform) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    def ring(points: list[list[float]]) -> list[list[float]]:
        xs, ys = transform.transform([p[0] for p in points], [p[1] for p in points])
        return [[round(x, 6), round(y, 6)] for x, y in zip(xs, ys, strict=True)]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {"type": "MultiPolygon",
            "coordinates": [[ring(r) for r in poly] for poly in geometry["coordinates"]]}
