"""The map of the wijken by effective phase: names on the areas, one legend, click to open.

Everything on the map is drawn in the browser from the page's own data: the blank style
has no glyph server (MapLibre then draws the names with the browser's own fonts) and no
tiles, so the map tells no outside server anything. A background map is only added when a
beheerder chose one (`signals.services.settings.map_settings`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from signals.domain import NAFASE_COLOUR, PHASES
from signals.services.settings import TileSource
from signals.ui.charts import DUTCH_NUMBERS, FONT
from signals.ui.phase_badges import BLIND_COLOUR, phase_label
from signals.ui.safe import map_label_text, plotly_text

NAFASE_LEGEND = "Nafase (paarse rand)"
# The narrowest map the layout gives (a 390 px phone minus the page margins): the zoom is
# chosen so the whole scope fits there; wider screens show a little more around it.
FIT_WIDTH_PX = 330
FIT_HEIGHT_PX = 340
LABEL_COLOUR = "#1a1a1a"


def blank_style(tiles: TileSource | None = None) -> dict:
    """A MapLibre style: white, or the chosen tiles. No "glyphs" URL on purpose (local
    fonts). The empty source is needed: Plotly drops an empty `sources`, and without one
    the style never settles after an update, which leaves hover and click dead."""
    sources: dict = {"leeg": {"type": "geojson",
                              "data": {"type": "FeatureCollection", "features": []}}}
    layers: list[dict] = [{"id": "achtergrond", "type": "background",
                           "paint": {"background-color": "#ffffff"}}]
    if tiles is not None:
        sources["tegels"] = {"type": "raster", "tiles": [tiles.url], "tileSize": 256,
                             "attribution": tiles.attribution, "maxzoom": tiles.max_zoom}
        layers.append({"id": "tegels", "type": "raster", "source": "tegels",
                       "paint": {"raster-opacity": 0.8}})
    return {"id": "wijksignalen", "version": 8, "sources": sources, "layers": layers}


def phase_map(geojson: dict, rows: pd.DataFrame, tiles: TileSource | None = None,
              height: int = 460) -> go.Figure | None:
    """Choropleth of the wijken by effective phase (None when no wijk has a geometry).

    `rows` has wijk_code, wijk_naam, effective_phase, onvoldoende_zicht, nafase. One trace
    per phase label (its legend entry), a purple outline over the wijken in nafase (its
    legend entry is a sample of that line), and the names at a point inside each area. Hover
    shows the wijk name and phase label, never a person; a click selects the area's code
    (`location`).
    """
    by_code = {f["id"]: f for f in geojson["features"]}
    data = rows[rows["wijk_code"].isin(list(by_code))]
    if data.empty:
        return None
    labels = [phase_label(int(p), bool(b)) for p, b in
              zip(data["effective_phase"], data["onvoldoende_zicht"], strict=True)]
    data = data.assign(fase=labels)
    order = [(phase_label(p.level), p.colour) for p in reversed(PHASES)]
    order.append((phase_label(0, True), BLIND_COLOUR))
    traces = [_area(data[data["fase"] == label], by_code, label, colour)
              for label, colour in order if (data["fase"] == label).any()]
    after = data[data["nafase"].astype(bool)]
    if len(after):
        traces.append(_outline(after, by_code))
    names = _names(data, by_code)
    if names["text"]:  # the service places names on maps of up to a few hundred areas
        traces.append(names)
    west, south, east, north = _bounds([by_code[c] for c in data["wijk_code"]])
    layout = {"height": height, "font": FONT, "separators": DUTCH_NUMBERS,
              "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
              "map": {"style": blank_style(tiles), "zoom": fit_zoom(west, south, east, north),
                      "center": {"lon": (west + east) / 2, "lat": (south + north) / 2}},
              "legend": {"orientation": "h", "yanchor": "top", "y": -0.01, "xanchor": "left",
                         "x": 0}}
    return go.Figure({"data": traces, "layout": layout})


def _area(part: pd.DataFrame, by_code: dict, name: str, colour: str) -> dict:
    codes = list(part["wijk_code"])
    return {"type": "choroplethmap", "name": name, "showlegend": True, "showscale": False,
            "geojson": {"type": "FeatureCollection", "features": [by_code[c] for c in codes]},
            "locations": codes, "z": [1] * len(codes),
            "colorscale": [[0, colour], [1, colour]], "marker": {
                "opacity": 0.85, "line": {"color": "white", "width": 1.5}},
            "customdata": [[plotly_text(n), f] for n, f in zip(part["wijk_naam"], part["fase"],
                                                               strict=True)],
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"}


def _outline(after: pd.DataFrame, by_code: dict) -> dict:
    """The purple edge of the wijken in nafase, as lines: drawn over the fill, and its
    legend entry is a purple line, the sample of the outline."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for code in after["wijk_code"]:
        for ring in _rings(by_code[code]["geometry"]):
            lon += [float(x) for x, _ in ring] + [None]
            lat += [float(y) for _, y in ring] + [None]
    return {"type": "scattermap", "mode": "lines", "name": NAFASE_LEGEND, "showlegend": True,
            "lon": lon, "lat": lat, "line": {"color": NAFASE_COLOUR, "width": 4},
            "hoverinfo": "skip", "meta": [plotly_text(n) for n in after["wijk_naam"]]}


def _rings(geometry: dict) -> list[list]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _names(data: pd.DataFrame, by_code: dict) -> dict:
    """The wijk names as text at a point inside each area (clicks go to the area below)."""
    placed = [(map_label_text(name), by_code[code]["properties"].get("label_point"))
              for code, name in zip(data["wijk_code"], data["wijk_naam"], strict=True)]
    placed = [(name, point) for name, point in placed if point]
    return {"type": "scattermap", "mode": "text", "name": "Wijknamen", "showlegend": False,
            "hoverinfo": "skip", "text": [name for name, _ in placed],
            "lon": [point[0] for _, point in placed], "lat": [point[1] for _, point in placed],
            "textfont": {"size": 11, "color": LABEL_COLOUR}}


def _bounds(features: list[dict]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: object) -> None:
        if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        elif isinstance(coords, list | tuple):
            for part in coords:
                walk(part)

    for feature in features:
        walk(feature["geometry"].get("coordinates", []))
    return min(xs), min(ys), max(xs), max(ys)


def fit_zoom(west: float, south: float, east: float, north: float) -> float:
    """A zoom level that fits the bounds in the narrowest map (a phone).

    MapLibre's world is 512 pixels wide at zoom 0 and doubles with every zoom level.
    """
    lon_span = max(east - west, 1e-4)
    lat_span = max(north - south, 1e-4) / math.cos(math.radians((north + south) / 2))
    zoom_lon = math.log2(FIT_WIDTH_PX / 512 * 360 / lon_span)
    zoom_lat = math.log2(FIT_HEIGHT_PX / 512 * 360 / lat_span)
    return max(min(zoom_lon, zoom_lat) - 0.1, 1.0)


def map_aspect(geojson: dict) -> float:
    """Height over width of the wijken's bounds as drawn (Web Mercator, near enough)."""
    west, south, east, north = _bounds(geojson["features"])
    lat_span = max(north - south, 1e-4) / math.cos(math.radians((north + south) / 2))
    return lat_span / max(east - west, 1e-4)


__all__ = ["NAFASE_LEGEND", "blank_style", "fit_zoom", "map_aspect", "phase_map"]
