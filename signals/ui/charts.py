"""Plotly figures of the dashboards. Every figure shows wijken and weeks, never a person.

Phase colours always come with the phase number or name in the figure (cell text, legend
or hover), so no figure relies on colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from signals.domain import NAFASE_COLOUR, PHASES
from signals.ui.chart_style import week_axis
from signals.ui.phase_badges import BLIND_COLOUR, phase_colour
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


__all__ = ["NO_MAP_BAR", "phase_colour", "phase_heatmap"]
