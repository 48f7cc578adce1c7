"""Read area boundaries with GDAL (pyogrio): GeoJSON, TopoJSON, zipped Shapefile, GeoPackage.

Every file ends as plain rows of text attributes plus a GeoJSON geometry in WGS84, simplified
for the map with the shared borders kept (a coverage simplification). The coordinate system
comes from the file; an undeclared projected file is only taken as RD New when every
coordinate lies inside RD New's Dutch extent, and that assumption is reported.
"""

from __future__ import annotations

import io
import json
import math
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
import shapely.geometry
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from signals.errors import FieldError, ValidationError
from signals.services.textfiles import check_size

GEO_EXTENSIONS = (".geojson", ".json", ".topojson", ".zip", ".gpkg", ".shp")
MAX_GEO_BYTES = 250 * 1024 * 1024  # a detailed national buurt file is well over 50 MB
MAX_FEATURES = 50_000
MAX_ZIP_ENTRIES = 200
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200  # a plain shapefile compresses ~3-10x; far beyond that is a zip bomb
MAP_TOLERANCE_DEGREES = 0.00005  # about 4-5 m: invisible on a wijk map, much lighter
KNOWN_CRS = {
    "EPSG:28992": "RD New",
    "EPSG:31370": "Belgian Lambert 72",
    "EPSG:3812": "Belgian Lambert 2008",
    "EPSG:4326": "WGS84",
}
# RD New's extent for the Netherlands (EPSG area of use, in metres).
RD_EXTENT = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
_WGS84 = CRS.from_epsg(4326)


@dataclass(frozen=True)
class GeoTable:
    columns: list[str]
    rows: list[dict[str, str]]
    geometries: list[dict[str, Any] | None]
    crs_note: str
    layer: str | None = None


def is_geodata(filename: str, data: bytes) -> bool:
    return filename.lower().endswith(GEO_EXTENSIONS) or data[:4] == b"PK\x03\x04"


def list_layers(filename: str, data: bytes) -> list[str]:
    """The layer names of a file (a GeoPackage or TopoJSON may hold several)."""
    with _opened(filename, data) as path:
        return [str(name) for name, _ in _layers(path)]


def read_columns(filename: str, data: bytes, layer: str | None = None) -> list[str]:
    """The attribute columns only (no geometry read): for choosing columns."""
    check_size(data, MAX_GEO_BYTES)
    with _opened(filename, data) as path:
        layer = _chosen_layer(path, layer)
        info = _call(lambda: pyogrio.read_info(path, layer=layer), filename)
    return [str(c) for c in info["fields"]]


def read_geodata(filename: str, data: bytes, layer: str | None = None,
                 crs: str | None = None,
                 tolerance: float = MAP_TOLERANCE_DEGREES) -> GeoTable:
    check_size(data, MAX_GEO_BYTES)
    with _opened(filename, data) as path:
        layer = _chosen_layer(path, layer)
        info = _call(lambda: pyogrio.read_info(path, layer=layer), filename)
        if int(info.get("features") or 0) > MAX_FEATURES:
            raise _error(f"Het bestand bevat {info['features']} gebieden; de grens is "
                         f"{MAX_FEATURES}.")
        meta, _fids, wkb, values = _call(lambda: pyogrio.raw.read(path, layer=layer), filename)
    columns = [str(c) for c in meta["fields"]]
    if not len(wkb) or not columns:
        raise _error(f"De {_kind(filename)} bevat geen gebieden met eigenschappen (code en "
                     "naam).")
    rows = [{c: _text(v[i]) for c, v in zip(columns, values, strict=True)}
            for i in range(len(wkb))]
    geoms = shapely.from_wkb(wkb) if wkb is not None else np.full(len(rows), None)
    _check_polygons(geoms)
    source, note = _source_crs(meta.get("crs"), geoms, crs)
    return GeoTable(columns, rows, _to_geojson(geoms, source, tolerance), note, layer)


class _opened:
    """The upload as a GDAL path in a private temporary directory (zips read in place)."""

    def __init__(self, filename: str, data: bytes) -> None:
        self.filename, self.data = filename, data

    def __enter__(self) -> str:
        self._dir = tempfile.TemporaryDirectory(prefix="wijkgeo-")
        suffix = Path(self.filename).suffix.lower() or ".json"
        if self.data[:4] == b"PK\x03\x04":
            suffix = ".zip"
        target = Path(self._dir.name) / f"upload{suffix}"
        target.write_bytes(self.data)
        if suffix == ".zip":
            return f"/vsizip/{target}/{_shapefile_in_zip(self.data)}"
        if suffix == ".shp":
            raise _error("Een los .shp-bestand is niet genoeg: upload een zip met de .shp, "
                         ".shx, .dbf en .prj samen.")
        return str(target)

    def __exit__(self, *_exc: object) -> None:
        self._dir.cleanup()


def _shapefile_in_zip(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _error("Het zipbestand is beschadigd of geen zip.") from exc
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _error(f"De zip bevat {len(entries)} bestanden; de grens is {MAX_ZIP_ENTRIES}.")
    unzipped = sum(e.file_size for e in entries)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_ZIP_RATIO * max(len(data), 1):
        raise _error("De zip pakt uit tot een onredelijk grote omvang; dit bestand wordt "
                     "geweigerd.")
    if any(e.flag_bits & 0x1 for e in entries):
        raise _error("De zip is met een wachtwoord beveiligd.")
    shapes = [e.filename for e in entries if e.filename.lower().endswith(".shp")
              and not e.filename.startswith("__MACOSX/")]
    if len(shapes) != 1:
        found = ", ".join(shapes) or "geen"
        raise _error(f"De zip moet precies één shapefile (.shp) bevatten; gevonden: {found}.")
    names = {e.filename.lower() for e in entries}
    stem = shapes[0][:-4].lower()
    missing = [ext for ext in (".shx", ".dbf") if stem + ext not in names]
    if missing:
        raise _error(f"De shapefile in de zip mist {', '.join(missing)}.")
    return shapes[0]


def _layers(path: str) -> list[tuple[str, str]]:
    return [(str(n), str(t)) for n, t in _call(lambda: pyogrio.list_layers(path), path)]


def _chosen_layer(path: str, layer: str | None) -> str | None:
    layers = [name for name, _ in _layers(path)]
    if layer is not None:
        if layer not in layers:
            raise _error(f"Laag '{layer}' bestaat niet; lagen in het bestand: "
                         f"{', '.join(layers)}.")
        return layer
    if len(layers) > 1:
        raise ValidationError([FieldError("laag", "Het bestand heeft meerdere lagen: "
                                          f"{', '.join(layers)}. Kies er één (--laag).")])
    return layers[0] if layers else None


def _call(action, filename: str):  # type: ignore[no-untyped-def]
    try:
        return action()
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.CRSError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError) as exc:
        kind = _kind(filename)
        raise _error(f"Het bestand is geen leesbare {kind}. Controleer of het echt een "
                     f"{kind} is en niet beschadigd.") from exc


def _kind(filename: str) -> str:
    lower = filename.lower()
    if ".zip" in lower:
        return "shapefile-zip"
    if lower.endswith(".gpkg"):
        return "GeoPackage"
    if lower.endswith(".topojson"):
        return "TopoJSON"
    return "GeoJSON of TopoJSON"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_polygons(geoms: np.ndarray) -> None:
    errors = []
    for number, geom in enumerate(geoms, start=1):
        if geom is not None and shapely.get_type_id(geom) not in (3, 6):
            errors.append(FieldError("geometrie", f"{geom.geom_type} is geen vlak; alleen "
                                     "Polygon of MultiPolygon", number))
    if errors:
        raise ValidationError(errors[:50])


def _source_crs(declared: str | None, geoms: np.ndarray,
                override: str | None) -> tuple[CRS, str]:
    if override:
        try:
            chosen = CRS.from_user_input(override)
        except CRSError as exc:
            raise ValidationError([FieldError("crs", f"'{override}' is geen bekend "
                                              "coördinatenstelsel.")]) from exc
        return chosen, f"{_crs_label(chosen)} (opgegeven)"
    bounds = _bounds(geoms)
    crs = CRS.from_user_input(declared) if declared else None
    # GDAL reports WGS84 for every GeoJSON without a crs member, so metres there are undeclared.
    if crs is not None and not (crs.is_geographic and not _fits_degrees(bounds)):
        return crs, _crs_label(crs)
    if bounds is None or _fits_degrees(bounds):
        return _WGS84, "WGS84" if crs is not None else "aangenomen: WGS84"
    if _inside(bounds, RD_EXTENT):
        return CRS.from_epsg(28992), "aangenomen: RD New (EPSG:28992)"
    raise ValidationError([FieldError("crs", (
        "Het bestand noemt geen coördinatenstelsel en de coördinaten liggen niet in "
        "Nederland (RD New). Geef het stelsel op, bijvoorbeeld --crs EPSG:31370 (Belgian "
        "Lambert 72), EPSG:3812 (Lambert 2008) of EPSG:28992 (RD New); in het scherm: kies "
        "het coördinatenstelsel."))])


def _crs_label(crs: CRS) -> str:
    code = crs.to_epsg()
    key = f"EPSG:{code}" if code else ""
    return f"{KNOWN_CRS[key]} ({key})" if key in KNOWN_CRS else (f"{crs.name} ({key})"
                                                                   if key else crs.name)


def _bounds(geoms: np.ndarray) -> tuple[float, float, float, float] | None:
    present = geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms
    if not len(present):
        return None
    box = shapely.total_bounds(present)
    return None if np.isnan(box).any() else tuple(float(v) for v in box)  # type: ignore[return-value]


def _fits_degrees(bounds: tuple[float, float, float, float] | None) -> bool:
    return bounds is None or _inside(bounds, (-180.0, -90.0, 180.0, 90.0))


def _inside(bounds: tuple[float, float, float, float],
            extent: tuple[float, float, float, float]) -> bool:
    return (bounds[0] >= extent[0] and bounds[1] >= extent[1]
            and bounds[2] <= extent[2] and bounds[3] <= extent[3])


def _to_geojson(geoms: np.ndarray, source: CRS, tolerance: float) -> list[dict | None]:
    present = ~shapely.is_missing(geoms)
    result: list[dict | None] = [None] * len(geoms)
    if not present.any():
        return result
    shapes = geoms[present]
    if not source.equals(_WGS84):
        transformer = Transformer.from_crs(source, _WGS84, always_xy=True)
        shapes = shapely.transform(shapes, lambda xy: np.column_stack(
            transformer.transform(xy[:, 0], xy[:, 1])))
    if not np.isfinite(shapely.total_bounds(shapes)).all():
        raise ValidationError([FieldError("crs", "De coördinaten passen niet bij het "
                                          "coördinatenstelsel van het bestand.")])
    shapes = shapely.make_valid(shapes)
    shapes = _polygonal(shapes)
    if tolerance > 0:
        shapes = shapely.coverage_simplify(shapes, tolerance)
    shapes = shapely.set_precision(shapes, 1e-6)
    texts = shapely.to_geojson(shapes)
    for index, text in zip(np.flatnonzero(present), texts, strict=True):
        result[int(index)] = json.loads(text)
    return result


def _polygonal(shapes: np.ndarray) -> np.ndarray:
    """make_valid may return a collection with stray lines; keep its polygons only."""
    out = shapes.copy()
    for index in np.flatnonzero(shapely.get_type_id(shapes) == 7):
        parts = shapely.get_parts(shapes[index])
        out[index] = shapely.union_all(parts[shapely.get_type_id(parts) >= 3])
    return out


def _error(message: str) -> ValidationError:
    return ValidationError([FieldError("bestand", message)])


def label_points(geometries: list[dict]) -> list[tuple[float, float]]:
    """A point inside each (WGS84 GeoJSON) area where its name can go: never in a hole or
    outside a concave area, unlike the centroid."""
    # shape() reads the coordinate lists directly: a JSON text round trip took 4x as long.
    points = shapely.point_on_surface([shapely.geometry.shape(g) for g in geometries])
    return [(round(float(x), 6), round(float(y), 6)) for x, y in shapely.get_coordinates(points)]
