"""Plotly figures of the dashboards. Every figure shows wijken and weeks, never a person.

Phase colours always come with the phase number or name in the figure (cell text, legend
or hover), so no figure relies on colour alone.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from signals.domain import NAFASE_COLOUR, PHASES
from signals.ui.chart_style import week_axis
from signals.ui.phase_badges import BLIND_COLOUR, phase_colour, phase_label
from signals.ui.safe import plotly_text

FONT = {"family": "Source Sans Pro, sans-serif", "size": 13}
DUTCH_NUMBERS = ",."  # decimal comma, thousands dot
# Discrete steps for z in [-1.5, 4.5]: -1 is a blind phase 0 ("Onvoldoende zicht", grey),
# 0-4 the phases. Stops must never decrease (plotly.js rejects the scale otherwise), hence
# exact fractions.
_STEPS = [BLIND_COLOUR] + [p.colour for p in PHASES]
PHASE_SCALE = [[(i + edge) / len(_STEPS), colour] for i, colour in enumerate(_STEPS)
               for edge in (0, 1)]
Z_RANGE = {"zmin": -1.5, "zmax": len(PHASES) - 0.5}


def phase_cells(phases: np.ndarray, blind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Heatmap z (-1 for a blind phase 0) and cell text ("2", or "2?" when blind)."""
    phases = np.asarray(phases, dtype=int)
    blind = np.asarray(blind, dtype=bool)
    z = np.where(blind & (phases == 0), -1, phases)
    text = np.where(blind, np.char.add(phases.astype(str), "?"), phases.astype(str))
    return z, text
NO_MAP_BAR = {"displayModeBar": False}


# --- Map ------------------------------------------------------------------------------


def _bounds(geojson: dict) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: object) -> None:
        if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        elif isinstance(coords, list | tuple):
            for part in coords:
                walk(part)

    for feature in geojson["features"]:
        walk(feature["geometry"].get("coordinates", []))
    return min(xs), min(ys), max(xs), max(ys)


def _zoom(west: float, south: float, east: float, north: float, height: int = 380) -> float:
    """A zoom level that fits the bounds in a map of about 520 x `height` pixels.

    MapLibre's world is 512 pixels wide at zoom 0 and doubles with every zoom level.
    """
    lon_span = max(east - west, 1e-4)
    lat_span = max(north - south, 1e-4) / math.cos(math.radians((north + south) / 2))
    zoom_lon = math.log2(520 / 512 * 360 / lon_span)
    zoom_lat = math.log2(height / 512 * 360 / lat_span)
    return max(min(zoom_lon, zoom_lat) - 0.2, 1.0)


def map_aspect(geojson: dict) -> float:
    """Height over width of the wijken's bounds as drawn (Web Mercator, near enough)."""
    west, south, east, north = _bounds(geojson)
    lat_span = max(north - south, 1e-4) / math.cos(math.radians((north + south) / 2))
    return lat_span / max(east - west, 1e-4)


def phase_map(geojson: dict, rows: pd.DataFrame, height: int = 440) -> go.Figure | None:
    """Choropleth of the wijken by effective phase (None when no wijk has a geometry).

    `rows` has wijk_code, wijk_naam, effective_phase, onvoldoende_zicht, nafase. One trace
    per phase label (its legend entry), each with only its own wijken's geometry, plus a
    purple outline over the wijken in nafase. The blank "white-bg" style needs no map tiles
    from the internet, so the map also renders offline and tells no tile server anything.
    Hover shows the wijk name and phase label, never a person.
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
        outline = _area(after, by_code, "Nafase (paarse rand)", "rgba(0,0,0,0)")
        outline["marker"]["line"] = {"color": NAFASE_COLOUR, "width": 4}
        outline["hoverinfo"] = "skip"
        traces.append(outline)
    west, south, east, north = _bounds(geojson)
    layout = {"height": height, "font": FONT, "separators": DUTCH_NUMBERS,
              "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
              "map": {"style": "white-bg",
                      "zoom": _zoom(west, south, east, north, height=height - 60),
                      "center": {"lon": (west + east) / 2, "lat": (south + north) / 2}},
              "legend": {"orientation": "h", "yanchor": "top", "y": -0.02, "xanchor": "left",
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


# --- Weekbeeld heatmap ------------------------------------------------------------------


def phase_heatmap(heatmap: pd.DataFrame, blind: pd.DataFrame,
                  nafase: pd.DataFrame) -> go.Figure:
    """Wijk x week of effective phases; every cell shows its phase number.

    A week with onvoldoende zicht reads "0?" (grey when phase 0: silence is not "Rust");
    nafase weeks get a purple outline.
    """
    weeks = [str(c) for c in heatmap.columns]
    names = [plotly_text(n) for n in heatmap.index]  # wijk names are stored text
    z, text = phase_cells(heatmap.to_numpy(), blind.to_numpy())
    rows, cols = np.nonzero(nafase.to_numpy())
    # One marker trace instead of a shape per cell: shapes are validated one by one.
    outline = {"type": "scatter", "mode": "markers", "name": "Nafase",
               "x": [weeks[j] for j in cols], "y": [names[i] for i in rows],
               "marker": {"symbol": "square-open", "color": NAFASE_COLOUR,
                          "size": min(20, max(8, 700 // max(len(weeks), 1))),
                          "line": {"width": 3, "color": NAFASE_COLOUR}},
               "hoverinfo": "skip", "showlegend": bool(len(rows))}
    trace = {"type": "heatmap", "z": z, "x": weeks, "y": names, **Z_RANGE,
             "colorscale": PHASE_SCALE, "xgap": 1, "ygap": 1, "text": text,
             "texttemplate": "%{text}",
             "hovertemplate": "<b>%{y}</b><br>%{x}: fase %{text}<extra></extra>",
             "colorbar": {"title": {"text": "Fase"}, "tickvals": list(range(-1, len(PHASES))),
                          "ticktext": ["? Onvoldoende zicht"]
                          + [f"{p.level} {p.name}" for p in PHASES], "thickness": 14}}
    layout = {"height": max(260, 26 * len(names) + 90), "font": FONT,
              "separators": DUTCH_NUMBERS, "template": "plotly_white",
              "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
              "margin": {"l": 10, "r": 10, "t": 60, "b": 40},
              "xaxis": {**week_axis(weeks), "side": "top"},
              "yaxis": {"autorange": "reversed"}}
    return go.Figure({"data": [trace, outline], "layout": layout})


__all__ = ["NO_MAP_BAR", "phase_colour", "phase_heatmap", "phase_map"]
