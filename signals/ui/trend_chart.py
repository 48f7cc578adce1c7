"""The Wijkprofiel trend: phase band, stacked counts with score and EARS bound, reporting rate.

Built as one plain dict and validated once: make_subplots and per-trace row/col updates
cost several hundred milliseconds per page run, the dict a few. Three stacked panels share
one category x axis (ISO weeks); the score has its own axis on the right of the middle panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from signals.domain import NAFASE_COLOUR
from signals.ui.chart_style import bar_marker, week_axis
from signals.ui.charts import DUTCH_NUMBERS, FONT, PHASE_SCALE, Z_RANGE, phase_cells
from signals.ui.phase_badges import BLIND_COLOUR, phase_label
from signals.ui.safe import plotly_text

BAND, COUNTS, RATE = (0.87, 1.0), (0.3, 0.79), (0.0, 0.2)


def wijk_trend_figure(trend: pd.DataFrame, stacks: pd.DataFrame, stack_title: str) -> go.Figure:
    """`trend`: one wijk's phase table (a row per week, in order); `stacks`: week, group, n."""
    x = [str(w) for w in trend["week"]]
    data = [_phase_band(trend, x), *_bars(stacks, x), *_score(trend, x), _rate(trend, x)]
    layout = {
        "barmode": "stack", "height": 640, "font": FONT, "separators": DUTCH_NUMBERS,
        "template": "plotly_white", "hovermode": "x unified",
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},  # room for the tool bar on a phone
        "legend": {"orientation": "h", "y": -0.14, "x": 0},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": x,
                  **week_axis(x), "anchor": "y4"},
        "yaxis": {"domain": BAND, "showticklabels": False, "fixedrange": True},
        "yaxis2": {"domain": COUNTS, "title": {"text": "signalen"}, "rangemode": "tozero"},
        "yaxis3": {"overlaying": "y2", "side": "right", "title": {"text": "score"},
                   "showgrid": False, "rangemode": "tozero", "tickmode": "auto",
                   "nticks": 6},
        "yaxis4": {"domain": RATE, "title": {"text": "%"}, "range": [0, 105]},
        "annotations": [_title(BAND[1], "Fase per week (? = onvoldoende zicht)"),
                        _title(COUNTS[1], f"Signalen per {stack_title.lower()} en score"),
                        _title(RATE[1], "Meldingspercentage sleutelfiguren (stippellijn 50%: "
                                        "daaronder onvoldoende zicht)")],
        "shapes": [_threshold(x), *_nafase(trend, x)],
    }
    if trend["nafase"].any():
        first = x[int(np.argmax(trend["nafase"].to_numpy()))]
        layout["annotations"].append({"x": first, "xref": "x", "y": COUNTS[1], "yref": "paper",
                                      "text": "Nafase", "showarrow": False, "xanchor": "left",
                                      "yanchor": "top", "font": {"color": NAFASE_COLOUR}})
    return go.Figure({"data": data, "layout": layout})


def _title(top: float, text: str) -> dict:
    return {"text": text, "x": 0.5, "xref": "paper", "y": top + 0.005, "yref": "paper",
            "xanchor": "center", "yanchor": "bottom", "showarrow": False,
            "font": {"size": 14}}


def _phase_band(trend: pd.DataFrame, x: list[str]) -> dict:
    blind = (trend["visibility"] == "onvoldoende").to_numpy()
    phases = trend["effective_phase"].astype(int).to_numpy()
    z, text = phase_cells(phases, blind)
    hover = [f"{phase_label(int(p), bool(b))}<br>voorstel fase {int(v)}"
             for p, v, b in zip(phases, trend["phase"], blind, strict=True)]
    return {"type": "heatmap", "name": "Fase", "x": x, "y": ["fase"], "z": [z.tolist()],
            **Z_RANGE, "colorscale": PHASE_SCALE, "showscale": False,
            "text": [text.tolist()], "texttemplate": "%{text}", "customdata": [hover],
            "hovertemplate": "%{customdata}<extra></extra>", "xgap": 1, "yaxis": "y"}


def _bars(stacks: pd.DataFrame, x: list[str]) -> list[dict]:
    if stacks.empty:
        return []
    totals = stacks.groupby("group")["n"].sum().sort_values(ascending=False)
    wide = stacks.pivot_table(index="week", columns="group", values="n", aggfunc="sum")
    wide = wide.reindex(index=x).fillna(0)
    # Category and theme labels are stored text: escaped, and never part of a template.
    return [{"type": "bar", "name": plotly_text(group), "x": x, "y": wide[group].tolist(),
             "marker": bar_marker(i), "yaxis": "y2",
             "hovertemplate": "%{fullData.name}: %{y}<extra></extra>"}
            for i, group in enumerate(totals.index)]


def _score(trend: pd.DataFrame, x: list[str]) -> list[dict]:
    traces = [
        {"type": "scatter", "name": "Gewogen score", "x": x, "y": trend["score"].round(1).tolist(),
         "mode": "lines+markers", "line": {"color": "#263238", "width": 2.5}, "yaxis": "y3",
         "hovertemplate": "score %{y:.1f}<extra></extra>"},
        {"type": "scatter", "name": "Bovengrens eigen basislijn (EARS)", "x": x,
         "y": trend["upperbound"].round(1).tolist(), "mode": "lines", "yaxis": "y3",
         "line": {"color": "#c62828", "width": 1.5, "dash": "dash"},
         "hovertemplate": "bovengrens %{y:.1f}<extra></extra>"},
    ]
    alarms = trend[trend["alarm"]]
    if len(alarms):
        traces.append({"type": "scatter", "name": "Alarm (boven bovengrens)",
                       "x": [str(w) for w in alarms["week"]],
                       "y": alarms["score"].round(1).tolist(), "mode": "markers",
                       "marker": {"symbol": "triangle-up", "size": 12, "color": "#c62828"},
                       "yaxis": "y3", "hovertemplate": "alarm<extra></extra>"})
    return traces


def _rate(trend: pd.DataFrame, x: list[str]) -> dict:
    blind = (trend["visibility"] == "onvoldoende").to_numpy()
    return {"type": "scatter", "name": "Meldingspercentage", "x": x,
            "y": (trend["reporting_rate"] * 100).round(0).tolist(), "mode": "lines+markers",
            "line": {"color": "#1565c0"}, "yaxis": "y4",
            "marker": {"color": np.where(blind, BLIND_COLOUR, "#1565c0").tolist(),
                       "symbol": np.where(blind, "x", "circle").tolist(), "size": 8},
            "hovertemplate": "%{y:.0f}% van de sleutelfiguren meldde<extra></extra>"}


def _threshold(x: list[str]) -> dict:
    return {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y4", "y0": 50,
            "y1": 50, "line": {"dash": "dot", "color": BLIND_COLOUR, "width": 1}}


def _nafase(trend: pd.DataFrame, x: list[str]) -> list[dict]:
    """Purple shading over the nafase weeks, across the counts and the rate panels."""
    return [{"type": "rect", "xref": "x", "x0": i - 0.5, "x1": i + 0.5, "yref": "paper",
             "y0": RATE[0], "y1": COUNTS[1], "fillcolor": NAFASE_COLOUR, "opacity": 0.13,
             "line": {"width": 0}, "layer": "below"}
            for i, flag in enumerate(trend["nafase"]) if flag]
