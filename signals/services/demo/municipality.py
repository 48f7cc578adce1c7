"""The fictitious demo gemeente Lindeveen (CBS-style code 9901): wijken and generated polygons."""

from __future__ import annotations

import random
from dataclasses import dataclass

GRID_COLUMNS, GRID_ROWS = 4, 3
ORIGIN_LON, ORIGIN_LAT = 5.30, 52.00  # somewhere plausible; the town does not exist
CELL_LON, CELL_LAT = 0.030, 0.019


@dataclass(frozen=True)
class DemoWijk:
    code: str
    name: str
    profile: str  # which story the wijk tells; see scenarios.py
    key_figures: int
    weekly_rate: float  # mean unrest signals per week outside episodes


DEMO_GEMEENTE_CODE = "GM9901"
DEMO_GEMEENTE_NAME = "Lindeveen"
DEMO_WIJKEN: tuple[DemoWijk, ...] = (
    DemoWijk("WK990101", "Centrum", "druk", 5, 6.0),
    DemoWijk("WK990102", "Oude Haven", "normaal", 3, 0.9),
    DemoWijk("WK990103", "Molenwijk", "escalatie", 4, 0.7),
    DemoWijk("WK990104", "Bloemenbuurt", "normaal", 3, 0.8),
    DemoWijk("WK990105", "Spoorzone", "oproep", 4, 0.8),
    DemoWijk("WK990106", "De Horst", "online_oproep", 3, 0.7),
    DemoWijk("WK990107", "Kerkebuurt", "normaal", 3, 0.7),
    DemoWijk("WK990108", "Vogelwijk", "stil", 3, 0.6),
    DemoWijk("WK990109", "Industrieterrein Noord", "normaal", 2, 0.3),
    DemoWijk("WK990110", "Buitenhof", "rustig", 3, 0.08),
    DemoWijk("WK990111", "Zuiderpark", "normaal", 3, 0.8),
    DemoWijk("WK990112", "Nieuwland", "jaarwisseling", 4, 0.9),
)


def grid_geometries(seed: int) -> list[dict]:
    """Tiling polygons on a jittered grid: neighbours share vertices, so the map has no gaps."""
    rng = random.Random(seed)
    points = {
        (i, j): (
            ORIGIN_LON + i * CELL_LON + _jitter(rng, i, GRID_COLUMNS) * CELL_LON,
            ORIGIN_LAT + j * CELL_LAT + _jitter(rng, j, GRID_ROWS) * CELL_LAT,
        )
        for i in range(GRID_COLUMNS + 1)
        for j in range(GRID_ROWS + 1)
    }
    cells = []
    for j in range(GRID_ROWS - 1, -1, -1):  # north to south, so WK..01 is top-left
        for i in range(GRID_COLUMNS):
            ring = [points[(i, j)], points[(i + 1, j)], points[(i + 1, j + 1)],
                    points[(i, j + 1)], points[(i, j)]]
            cells.append({"type": "Polygon",
                          "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]})
    return cells


def _jitter(rng: random.Random, index: int, last: int) -> float:
    # The outer boundary gets some jitter too, but never enough to fold a cell.
    return rng.uniform(-0.18, 0.18) if 0 <= index <= last else 0.0
