"""Benchmark the area import: a generated national-size file into a fresh SQLite database.

    .venv/bin/python benchmarks/wijken_import.py --level wijken    # ~3,300 CBS wijken
    .venv/bin/python benchmarks/wijken_import.py --level buurten   # ~14,000 CBS buurten
    .venv/bin/python benchmarks/wijken_import.py --level wijken --format gpkg

The file is a coverage in RD New covering the Netherlands' extent: a grid of cells whose
borders are densified and wobbled by a function of the position only, so neighbours keep
sharing their vertices (as in the real CBS file). Each cell has about `--vertices` points.
Measured in one process per run: writing the file (not counted), then the service as the UI
and CLI call it (read with GDAL, reproject, simplify, validate, plan, store), the stored
JSON size, the peak resident memory of the process (ru_maxrss, includes GDAL), and the time
to build the map's data (all areas with their label points, as the Overzicht asks for it).
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from signals.db.engine import make_engine  # noqa: E402
from signals.db.models import Wijk  # noqa: E402
from signals.db.uow import read_session, run_write  # noqa: E402
from signals.services import dashboard  # noqa: E402
from signals.services.actor import SYSTEM_ACTOR  # noqa: E402
from signals.services.schema import upgrade_schema  # noqa: E402
from signals.services.wijken import import_wijken  # noqa: E402

LEVELS = {"wijken": (3_300, "WK", 2), "buurten": (14_000, "BU", 4)}
GEMEENTEN = 342
ORIGIN, WIDTH, HEIGHT = (13_000.0, 306_000.0), 265_000.0, 300_000.0


def coverage(count: int, vertices: int) -> list[shapely.Polygon]:
    columns = math.ceil(math.sqrt(count * WIDTH / HEIGHT))
    rows = math.ceil(count / columns)
    size_x, size_y = WIDTH / columns, HEIGHT / rows
    step = 4 * (size_x + size_y) / 2 / max(vertices, 4)
    cells = [shapely.box(ORIGIN[0] + c * size_x, ORIGIN[1] + r * size_y,
                         ORIGIN[0] + (c + 1) * size_x, ORIGIN[1] + (r + 1) * size_y)
             for r in range(rows) for c in range(columns)][:count]
    cells = shapely.segmentize(np.array(cells), step)

    def wobble(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        return np.column_stack((x + 0.08 * step * np.sin(y / 37.0),
                                y + 0.08 * step * np.sin(x / 41.0)))

    return list(shapely.transform(cells, wobble))


def codes(count: int, prefix: str, width: int) -> tuple[list[str], list[str]]:
    per = math.ceil(count / GEMEENTEN)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out, gemeenten = [], []
    for i in range(count):
        gm, n = 1 + i // per, i % per
        suffix = ""
        for _ in range(width):
            suffix, n = alphabet[n % 36] + suffix, n // 36
        out.append(f"{prefix}{gm:04d}{suffix}")
        gemeenten.append(f"GM{gm:04d}")
    return out, gemeenten


def write_file(path: Path, level: str, vertices: int, driver: str) -> int:
    count, prefix, width = LEVELS[level]
    code_list, gemeenten = codes(count, prefix, width)
    names = [f"Gebied {c[-width:]}" for c in code_list]
    geoms = coverage(count, vertices)
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array(geoms, dtype=object)),
                      [np.array(v, dtype=object) for v in (code_list, names, gemeenten)],
                      fields=[f"{prefix}_CODE", f"{prefix}_NAAM", "GM_CODE"],
                      geometry_type="Polygon", crs="EPSG:28992", driver=driver)
    return int(sum(shapely.get_num_coordinates(geoms)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--level", choices=list(LEVELS), default="wijken")
    parser.add_argument("--vertices", type=int, default=120)
    parser.add_argument("--format", choices=("geojson", "gpkg"), default="geojson")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{args.level}.{args.format}"
        points = write_file(path, args.level, args.vertices,
                            "GeoJSON" if args.format == "geojson" else "GPKG")
        data = path.read_bytes()
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade_schema(engine)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        result = run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, path.name, data))
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with read_session(engine) as session:
            stored = [w.geometry for w in session.scalars(select(Wijk))]
            total = session.scalar(select(func.count()).select_from(Wijk))
        stored_points = sum(shapely.get_num_coordinates(shapely.geometry.shape(g))
                            for g in stored)
        start = time.perf_counter()
        with read_session(engine) as session:  # the map's data, label points included
            features = dashboard.wijk_geojson(session, SYSTEM_ACTOR)["features"]
        map_seconds = time.perf_counter() - start
        print(f"{args.level} ({args.format}): {total} areas ({result.created} new), "
              f"file {len(data) / 1_048_576:.1f} MB, {points:,} vertices in, "
              f"{stored_points:,} stored after simplification; import {seconds:.1f} s; "
              f"peak RSS {peak / 1024:.0f} MB (before import {before / 1024:.0f} MB); "
              f"map data of {len(features)} areas {map_seconds:.1f} s")


if __name__ == "__main__":
    main()
