"""Small area files in every supported format and CRS, generated here (no third-party data)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyproj import Transformer

# Amsterdam centre in RD New; Antwerp in Belgian Lambert 72 (and its Lambert 2008 twin).
AMSTERDAM_RD = (121_000.0, 487_000.0)
ANTWERP_L72 = (152_000.0, 212_000.0)


def squares(origin: tuple[float, float], count: int, size: float) -> list[shapely.Polygon]:
    """A row of touching squares: a small coverage with shared borders."""
    x, y = origin
    return [shapely.box(x + i * size, y, x + (i + 1) * size, y + size) for i in range(count)]


def write_layer(path: Path, fields: dict[str, list], geoms: list, crs: str | None,
                driver: str, layer: str | None = None) -> Path:
    columns = list(fields)
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array(geoms, dtype=object)),
                      [np.array(fields[c], dtype=object) for c in columns], fields=columns,
                      geometry_type="Polygon", crs=crs, driver=driver, layer=layer)
    return path


def geojson_bytes(fields: dict[str, list], geoms: list, crs: str | None) -> bytes:
    """GeoJSON with a crs member only when `crs` is given (GDAL writes none for WGS84)."""
    features = [{"type": "Feature",
                 "properties": {k: v[i] for k, v in fields.items()},
                 "geometry": json.loads(shapely.to_geojson(geom))}
                for i, geom in enumerate(geoms)]
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc).encode()


def shapefile_zip(tmp: Path, fields: dict[str, list], geoms: list, crs: str | None,
                  folder: str = "wijken/") -> bytes:
    write_layer(tmp / "gebieden.shp", fields, geoms, crs, "ESRI Shapefile")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in tmp.glob("gebieden.*"):
            archive.write(part, folder + part.name)
    return buffer.getvalue()


def geopackage(tmp: Path, layers: dict[str, tuple[dict[str, list], list]],
               crs: str) -> bytes:
    path = tmp / "gebieden.gpkg"
    for name, (fields, geoms) in layers.items():
        write_layer(path, fields, geoms, crs, "GPKG", layer=name)
    return path.read_bytes()


def topojson_bytes(object_name: str, fields: dict[str, list],
                   geoms: list[shapely.Polygon]) -> bytes:
    """Unquantised TopoJSON: one arc per polygon ring (enough for GDAL's reader)."""
    arcs, geometries = [], []
    for i, geom in enumerate(geoms):
        arcs.append([list(p) for p in geom.exterior.coords])
        geometries.append({"type": "Polygon", "arcs": [[i]],
                           "properties": {k: v[i] for k, v in fields.items()}})
    doc = {"type": "Topology", "arcs": arcs,
           "objects": {object_name: {"type": "GeometryCollection", "geometries": geometries}}}
    return json.dumps(doc).encode()


def to_wgs84(geoms: list, crs: str) -> list:
    transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return [shapely.transform(g, lambda xy: np.column_stack(
        transformer.transform(xy[:, 0], xy[:, 1]))) for g in geoms]


def centre(geometry: dict) -> tuple[float, float]:
    point = shapely.geometry.shape(geometry).centroid
    return point.x, point.y
