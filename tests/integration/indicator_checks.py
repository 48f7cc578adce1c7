"""The stored weekly indicators and a full recomputation from the signals, in one shape."""

from __future__ import annotations

from datetime import date

import pandas as pd

from signals.engine.indicators import weekly_indicators
from signals.services.indicators import load_indicator_frame, load_signal_frame
from signals.services.rules_config import load_rules


def stored_indicators(session) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frame = load_indicator_frame(session, None, date(2000, 1, 3), date(2100, 1, 4))
    return frame.sort_values(["wijk_code", "week_start"]).reset_index(drop=True)


def recomputed_indicators(session) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frame = weekly_indicators(load_signal_frame(session, None, None, None), load_rules(session))
    return frame.sort_values(["wijk_code", "week_start"]).reset_index(drop=True)
