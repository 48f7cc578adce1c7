"""Chart styling shared by the dashboards: the category palette and the week axis.

Category colours never reuse a phase colour (green, yellow, orange, red, dark red), the
grey of "Onvoldoende zicht" or the nafase purple: a colour on a chart means a phase only
where it shows a phase. The five colours are blues and a pink from the Okabe-Ito and Tol
colour-blind-safe palettes; past five groups the bars add a fill pattern, so no two groups
look alike, also without colour vision.
"""

from __future__ import annotations

import math

import pandas as pd

CATEGORY_COLOURS = ("#0072B2", "#56B4E9", "#332288", "#CC79A7", "#88CCEE")
PATTERNS = ("", "/", "x", ".", "-", "+")
MAX_WEEK_LABELS = 26  # more labels than this overlap, even at an angle


def bar_marker(index: int) -> dict:
    """The marker of the `index`-th stacked group: a colour, and a pattern past five."""
    colour = CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)]
    shape = PATTERNS[(index // len(CATEGORY_COLOURS)) % len(PATTERNS)]
    marker: dict = {"color": colour}
    if shape:
        marker["pattern"] = {"shape": shape, "fgcolor": "#ffffff", "fgopacity": 0.7,
                             "size": 6}
    return marker


def week_ticks(labels: pd.Series) -> list[str]:
    """'2026-W47' -> 'wk 47', with the year when the weeks span more than one year."""
    years = {str(label)[:4] for label in labels}
    if len(years) > 1:
        return [f"wk {int(str(label)[-2:])} '{str(label)[2:4]}" for label in labels]
    return [f"wk {int(str(label)[-2:])}" for label in labels]


def week_axis(weeks: list[str]) -> dict:
    """Category x-axis ticks for ISO week labels: at most 26 labels (every 2nd week at 52,
    every 4th at 104), always including the last week, angled so they never overlap."""
    step = max(1, math.ceil(len(weeks) / MAX_WEEK_LABELS))
    shown = weeks[::-1][::step][::-1]  # counted back from the newest week
    return {"tickmode": "array", "tickvals": shown,
            "ticktext": week_ticks(pd.Series(shown)),
            "tickangle": -45 if len(shown) > 12 else 0}
