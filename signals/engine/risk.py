"""Risk moments as context for the proposal: a reason line, and an optional small weight.

The caller (the phase service) passes, as plain data, the wijk-weeks whose coming 14 days
(from the week's Monday) hold a moment on the risicokalender, with a short text naming the
moments. Every such row gets the line "Risicomoment binnen 14 dagen: ...". With
``rules.risk_moment_weight`` above 0 the score of those wijk-weeks is compared with its
thresholds (phase 1, the EARS bound and the minimum excess of phase 2) as if it were that
many points higher; the reporter and corroboration conditions stay, so a moment alone never
raises a phase. The shown score is the real one; the line says when the weight decided.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RISK_COLUMNS = ("wijk_code", "week_start", "moments")


def risk_grid(risk: pd.DataFrame | None, wijken: pd.Index, mondays: np.ndarray,
              day_numbers: np.ndarray | None) -> np.ndarray:
    """(weeks x wijken) flags: a risk moment in the coming 14 days of that wijk-week.

    ``day_numbers`` are the rows' Monday day numbers (same order as ``risk``).
    """
    grid = np.zeros((len(mondays), len(wijken)), dtype=bool)
    if risk is None or risk.empty or day_numbers is None:
        return grid
    t = (day_numbers - mondays[0]) // 7 if len(mondays) else day_numbers
    col = wijken.get_indexer(risk["wijk_code"].astype(str))
    inside = (t >= 0) & (t < len(mondays)) & (col >= 0)
    grid[t[inside], col[inside]] = True
    return grid


def risk_line(moments: str, weight: float, raised_from: int, phase: int) -> str:
    """The reason line of one wijk-week with a moment ahead; "" without one."""
    if not moments:
        return ""
    line = f"Risicomoment binnen 14 dagen: {moments}."
    if phase > raised_from:
        points = f"{weight:g}".replace(".", ",")
        line += (f" Het telt mee met {points} punt{'' if weight == 1 else 'en'} bij de "
                 f"scoredrempels en geeft de doorslag voor fase {phase} (anders "
                 f"{raised_from}).")
    return line


def append_line(reasons: str, line: str) -> str:
    if not line:
        return reasons
    separator = " " if reasons.rstrip().endswith(".") or not reasons else ". "
    return f"{reasons.rstrip()}{separator}{line}"
