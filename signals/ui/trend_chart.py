"""The Wijkprofiel trend: phase band, stacked counts with score and EARS bound, reporting rate.

Actions logged for the wijk appear as markers in a lane under the phase band, on the same
week axis, so one can see what was done and what happened next.

Built as one plain dict and validated once: make_subplots and per-trace row/col updates
cost several hundred milliseconds per page run, the dict a few. Three stacked panels share
one category x axis (ISO weeks); the score has its own axis on the right of the middle panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from signals.domain import NAFASE_COLOUR
from signals.ui.charts import DUTCH_NUMBERS, FONT, PHASE_SCALE, Z_RANGE, phase_cells, week_ticks
from signals.ui.phase_badges import BLIND_COLOUR, phase_label
from signals.ui.safe import plotly_text

BAND, COUNTS, RATE = (0.87, 1.0), (0.3, 0.79), (0.0, 0.2)
PALETTE = px.colors.qualitative.Safe + px.colors.qualitative.Pastel


ACTION_LANE, PHASE_LANE = "acties", "fase"
ACTION_SYMBOLS = {"uitgevoerd": ("diamond", "Actie uitgevoerd"),
                  "gepland": ("diamond-open", "Actie gepland")}


def wijk_trend_figure(trend: pd.DataFrame, stacks: pd.DataFrame, stack_title: str,
                      actions: pd.DataFrame | None = None) -> go.Figure:
    """`trend`: one wijk's phase table (a row per week, in order); `stacks`: week, group, n;
    `actions`: the wijk's actions (week, type_label, status, action_date), may be empty."""
    x = [str(w) for w in trend["week"]]
    markers = _action_markers(actions, x)
    data = [_phase_band(trend, x, lane=bool(markers)), *markers, *_bars(stacks, x),
            *_score(trend, x), _rate(trend, x)]
    layout = {
        "barmode": "stack", "height": 640, "font": FONT, "separators": DUTCH_NUMBERS,
        "template": "plotly_white", "hovermode": "x unified",
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "legend": {"orientation": "h", "y": -0.14, "x": 0},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": x,
                  "tickmode": "array", "tickvals": x, "ticktext": week_ticks(pd.Series(x)),
                  "tickangle": -45, "anchor": "y4"},
        "yaxis": {"domain": BAND, "showticklabels": bool(markers), "fixedrange": True,
                  "type": "category", "categoryorder": "array",
                  "categoryarray": [ACTION_LANE, PHASE_LANE] if markers else [PHASE_LANE]},
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


def _phase_band(trend: pd.DataFrame, x: list[str], lane: bool = False) -> dict:
    """The phase cells; with `lane`, an empty row under them holds the action markers (a
    heatmap row of its own keeps both rows the same height)."""
    blind = (trend["visibility"] == "onvoldoende").to_numpy()
    phases = trend["effective_phase"].astype(int).to_numpy()
    z, text = phase_cells(phases, blind)
    hover = [f"{phase_label(int(p), bool(b))}<br>voorstel fase {int(v)}"
             for p, v, b in zip(phases, trend["phase"], blind, strict=True)]
    rows = {"y": [PHASE_LANE], "z": [z.tolist()], "text": [text.tolist()],
            "customdata": [hover]}
    if lane:
        empty = [None] * len(x)
        rows = {"y": [ACTION_LANE, PHASE_LANE], "z": [empty, z.tolist()],
                "text": [[""] * len(x), text.tolist()], "customdata": [[""] * len(x), hover]}
    return {"type": "heatmap", "name": "Fase", "x": x, **rows, **Z_RANGE,
            "colorscale": PHASE_SCALE, "showscale": False, "texttemplate": "%{text}",
            "hovertemplate": "%{customdata}<extra></extra>", "hoverongaps": False,
            "xgap": 1, "yaxis": "y"}


def _action_markers(actions: pd.DataFrame | None, x: list[str]) -> list[dict]:
    """One marker per week and status in the action lane; the hover lists the types."""
    if actions is None or actions.empty:
        return []
    shown = actions[actions["week"].isin(x)]
    traces = []
    for status, (symbol, name) in ACTION_SYMBOLS.items():
        rows = shown[shown["status"] == status]
        if rows.empty:
            continue
        weeks = [w for w in x if w in set(rows["week"])]
        hover = ["<br>".join(plotly_text(f"{pd.Timestamp(r.action_date):%d-%m} {r.type_label}")
                             for r in rows[rows["week"] == w].itertuples()) for w in weeks]
        counts = [int((rows["week"] == w).sum()) for w in weeks]
        traces.append({
            "type": "scatter", "name": name, "x": weeks, "y": [ACTION_LANE] * len(weeks),
            "mode": "markers+text", "yaxis": "y", "customdata": hover,
            "text": [str(n) if n > 1 else "" for n in counts], "textposition": "middle right",
            "marker": {"symbol": symbol, "size": 13, "color": "#37474f",
                       "line": {"width": 2, "color": "#37474f"}},
            "hovertemplate": f"{name}:<br>%{{customdata}}<extra></extra>"})
    return traces


def _bars(stacks: pd.DataFrame, x: list[str]) -> list[dict]:
    if stacks.empty:
        return []
    totals = stacks.groupby("group")["n"].sum().sort_values(ascending=False)
    wide = stacks.pivot_table(index="week", columns="group", values="n", aggfunc="sum")
    wide = wide.reindex(index=x).fillna(0)
    # Category and theme labels are stored text: escaped, and never part of a template.
    return [{"type": "bar", "name": plotly_text(group), "x": x, "y": wide[group].tolist(),
             "marker": {"color": PALETTE[i % len(PALETTE)]}, "yaxis": "y2",
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
