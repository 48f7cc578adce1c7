"""Chart style: category colours never mean a phase, and week labels never crowd."""

from __future__ import annotations

import pandas as pd
import pytest

from signals.domain import NAFASE_COLOUR, PHASES
from signals.ui.chart_style import CATEGORY_COLOURS, bar_marker, week_axis
from signals.ui.phase_badges import BLIND_COLOUR
from signals.ui.trend_chart import _bars


def _weeks(n: int) -> list[str]:
    mondays = pd.date_range("2025-01-06", periods=n, freq="7D")
    return [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in mondays]


def test_category_colours_are_not_phase_colours() -> None:
    reserved = {p.colour.lower() for p in PHASES} | {NAFASE_COLOUR.lower(), BLIND_COLOUR.lower()}
    assert not {c.lower() for c in CATEGORY_COLOURS} & reserved
    # Thirteen categories: every group looks different (colour, or colour plus pattern).
    styles = {(m["color"], m.get("pattern", {}).get("shape", "")) for m in map(bar_marker,
                                                                              range(13))}
    assert len(styles) == 13


def test_the_wijk_profile_bars_use_the_category_palette() -> None:
    stacks = pd.DataFrame({"week": ["2026-W01"] * 2, "group": ["Geruchten", "Onvrede"],
                           "n": [3, 1]})
    bars = _bars(stacks, ["2026-W01"])
    assert [b["marker"]["color"] for b in bars] == list(CATEGORY_COLOURS[:2])


@pytest.mark.parametrize("n", [4, 12, 26, 52, 104, 37])
def test_week_labels_are_thinned_and_keep_the_newest_week(n: int) -> None:
    weeks = _weeks(n)
    axis = week_axis(weeks)
    assert len(axis["tickvals"]) <= 26 and axis["tickvals"][-1] == weeks[-1]
    assert len(axis["ticktext"]) == len(axis["tickvals"])
    if n <= 26:
        assert axis["tickvals"] == weeks
