"""Weekly indicators per (wijk, ISO week): the input of the phase rules.

``weekly_indicators`` gives one row per wijk-week that has a signal (nul-meldingen included)
in that week or in the week before. The two-week windows (corroboration, calls) reach one
week back. **Row W depends only on the signals observed in weeks W-1 and W.** The DB layer
stores these rows as persistent weekly aggregates. When a signal of week W changes, it
recomputes the rows (wijk, W) and (wijk, W+1) from the signals of weeks W-1 .. W+1. The
rows also depend on the rules ([score], [signals], phase3.call_horizon_days and
phase4.min_severity). Recompute them all when those change.

Column semantics:

* ``n_signals``, ``n_<category>``: signals this week, nul-meldingen excluded. ``n_nul`` counts
  the nul-meldingen. Categories unknown to this release count only in ``n_signals``.
* ``score``: this week's own score (rule 1). Each signal adds severity x reliability weight
  x reach weight. A further signal of the same reporter in the same wijk-week counts only
  ``repeat_weight`` of its weight; the reporter's largest signal counts fully (rule 3).
  Each weerbaarheid signal subtracts ``weerbaarheid_weight``, so the score can be negative
  here. The phase rules add last week's score and floor the sum at 0. ``score +
  weerbaarheid_weight x n_weerbaarheid`` is the score without resilience, which the baseline
  uses (phases.py).
* ``reporters``: distinct reporters with any report this week, the reporting rate of rule 10.
  This includes nul-meldingen and signals that a coordinator marked ``niet_bevestigd``.
* ``unrest_n_2w``/``unrest_reporters_2w``: unrest signals (``Category.unrest``) this and last
  week, and their distinct reporters. ``unrest_offline_reporters_2w`` counts only the
  reporters of unrest signals they did not see online. ``severe_*_2w`` do the same for
  SEVERE_CATEGORIES.
* ``theme_n_2w``/``theme_reporters_2w``: persistence of one theme. Among the themes of the
  unrest signals that occur in *both* this and last week, the largest two-week number of
  unrest signals about one theme, and the most distinct reporters of such a theme (0 when
  no theme runs through both weeks). A build-up is about something and lasts; a noisy week
  spreads over themes, and a one-off (New Year) is over in a week.
* ``call_*``: ``oproep_mobilisatie`` signals observed this or last week whose action date
  lies from this Monday up to this Sunday + ``call_horizon_days``. ``call_verified`` says
  whether any of them is verified. ``call_offline_reporters`` counts the distinct reporters
  who saw the call offline.
* ``disorder_*``: ``ordeverstoring`` of at least ``phase4_min_severity`` this week.
* ``online_n``: signals this week that were seen online. ``on_time_n``: signals and
  nul-meldingen logged (date in Europe/Amsterdam) at most ``timeliness_days`` after their
  observed date.
* ``top_themes``: up to three theme codes by count this week (ties by code), ``;``-joined.

How: the frame is encoded once into small integer arrays (encoding.py). Its rows are laid
out on a (wijk, week) grid (grid.py). Blocks of wijken are aggregated with bincounts and with
one sort of packed (wijk, reporter, week) keys (reporters.py). No Python loop touches
single signals or wijk-weeks.

Signals marked ``niet_bevestigd`` count nowhere except ``reporters``, if
``rules.ignore_niet_bevestigd``. Distinct counts skip reporters that retention purged (NA);
their signals still count in every count and in the score.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from signals.domain import CALL_TO_ACTION, DISORDER
from signals.engine.encoding import (
    CATEGORY_CODES,
    CATEGORY_INDEX,
    NO_ACTION,
    NOT_CONFIRMED,
    NUL_INDEX,
    SEVERE,
    SIGNAL_COLUMNS,
    UNKNOWN_CATEGORY,
    UNREST,
    VERIFIED,
    WEERBAARHEID_INDEX,
    EncodedSignals,
    encode_signals,
)
from signals.engine.grid import Block, build_grid
from signals.engine.reporters import ReporterRuns, count_distinct
from signals.engine.rules import Rules
from signals.engine.scoring import ZERO_CLASS, score_classes, signal_classes
from signals.engine.themes import sustained_theme, theme_labels, top_themes
from signals.engine.weeks import WEEK_DTYPE, monday_of_week_number

__all__ = ["SIGNAL_COLUMNS", "INDICATOR_COLUMNS", "COUNT_COLUMNS", "weekly_indicators"]

COUNT_COLUMNS: tuple[str, ...] = tuple(
    f"n_{code}" for i, code in enumerate(CATEGORY_CODES) if i != NUL_INDEX)
INDICATOR_COLUMNS: tuple[str, ...] = (
    "wijk_code", "week_start", "n_signals", "n_nul", *COUNT_COLUMNS, "score", "reporters",
    "unrest_n_2w", "unrest_reporters_2w", "unrest_offline_reporters_2w", "severe_n_2w",
    "severe_reporters_2w", "severe_verified_2w", "theme_n_2w", "theme_reporters_2w", "call_n",
    "call_verified", "call_reporters", "call_offline_reporters", "disorder_n",
    "disorder_verified", "disorder_reporters", "online_n", "on_time_n", "top_themes",
)
_CALL_INDEX = CATEGORY_INDEX[CALL_TO_ACTION]
_DISORDER_INDEX = CATEGORY_INDEX[DISORDER]
# Flags that the distinct-reporter counts OR together per reporter and wijk-week.
ANY, UNREST_BIT, SEVERE_BIT, DISORDER_BIT, OFFLINE_UNREST_BIT = 1, 2, 4, 8, 16


def weekly_indicators(signals: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """One row per (wijk_code, week_start); see the module docstring for every column."""
    if signals.empty:
        return empty_indicators()
    enc = encode_signals(signals, rules)
    grid = build_grid(enc.wijk, enc.day, len(enc.wijk_codes))
    enc = replace(enc, day=None)  # the grid has the weeks now
    out: dict[str, np.ndarray] = {}
    for idx, block in grid.blocks(enc.wijk):
        part = enc if idx is None else enc.subset(idx)
        for name, values in _block_columns(part, block, rules).items():
            if name not in out:  # counts are kept as int32 until the end, to save memory
                count = values.dtype == np.int64 and name != "top_themes"
                dtype = np.int32 if count else values.dtype
                out[name] = np.zeros(grid.n_rows, dtype=dtype)
            out[name][block.rows] = values
    wijk_codes, theme_combos = enc.wijk_codes, enc.theme_combos
    del enc, part
    columns = {"wijk_code": wijk_codes.take(grid.wijk).array,
               "week_start": monday_of_week_number(grid.week).astype("datetime64[D]").astype(
                   WEEK_DTYPE)}
    for name in INDICATOR_COLUMNS[2:]:  # one column at a time, so int32 and int64 never all coexist
        values = out.pop(name)
        columns[name] = values.astype(np.int64) if values.dtype == np.int32 else values
    codes, packed = pd.factorize(columns["top_themes"])  # few distinct top-3 lists
    columns["top_themes"] = pd.Index(theme_labels(packed, theme_combos), dtype="str").take(
        codes).array
    return pd.DataFrame(columns, copy=False)


def _block_columns(enc: EncodedSignals, block: Block, rules: Rules) -> dict[str, np.ndarray]:
    """Every column except wijk_code and week_start for the rows of one block."""
    ignored = (enc.status == NOT_CONFIRMED) & rules.ignore_niet_bevestigd
    counted = ~ignored & (enc.category != NUL_INDEX)
    disorder = counted & (enc.category == _DISORDER_INDEX) & (
        enc.severity >= rules.phase4_min_severity)
    row = block.row
    columns = _category_counts(enc, block, ignored)
    columns.update(_score_and_reporters(enc, block, counted, disorder, rules))
    columns.update(_call_columns(enc, block, counted, rules.call_horizon_days))
    columns["disorder_n"] = block.count(row[disorder])
    columns["disorder_verified"] = block.count(row[disorder & (enc.status == VERIFIED)]) > 0
    columns["online_n"] = block.count(row[counted & enc.online])
    columns["on_time_n"] = block.count(row[~ignored & enc.on_time])
    columns["top_themes"] = top_themes(enc.themes, enc.theme_combos, counted, block)
    columns["theme_n_2w"], columns["theme_reporters_2w"] = sustained_theme(
        enc.themes, enc.theme_combos, counted & UNREST[enc.category], enc.reporter, block)
    return columns


def empty_indicators() -> pd.DataFrame:
    """An indicator frame without rows, with the right columns and dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype="int64") for c in INDICATOR_COLUMNS})
    frame["wijk_code"] = frame["wijk_code"].astype("str")
    frame["week_start"] = frame["week_start"].astype(WEEK_DTYPE)
    frame["score"] = frame["score"].astype("float64")
    frame["top_themes"] = frame["top_themes"].astype("str")
    for c in ("call_verified", "disorder_verified"):
        frame[c] = frame[c].astype(bool)
    return frame


def _category_counts(enc: EncodedSignals, block: Block,
                     ignored: np.ndarray) -> dict[str, np.ndarray]:
    """n_signals, n_nul and n_<code> in one bincount over (row, category)."""
    keep = ~ignored
    slots = UNKNOWN_CATEGORY + 1
    table = np.bincount(block.row[keep] * slots + enc.category[keep],
                        minlength=block.n_rows * slots).reshape(block.n_rows, slots)
    counts = {"n_signals": table.sum(axis=1) - table[:, NUL_INDEX], "n_nul": table[:, NUL_INDEX]}
    for i, code in enumerate(CATEGORY_CODES):
        if i != NUL_INDEX:
            counts[f"n_{code}"] = table[:, i]
    return counts


def _score_and_reporters(enc: EncodedSignals, block: Block, counted: np.ndarray,
                         disorder: np.ndarray, rules: Rules) -> dict[str, np.ndarray]:
    """Score (rules 1 and 3) and every distinct-reporter count, from one sort of the runs.

    With r = repeat_weight, a reporter's signals in a wijk-week count max + r x (sum - max).
    Summed over reporters this is r x (all weights) + (1 - r) x (each reporter's max).
    Signals without a known reporter count fully. Each weerbaarheid signal subtracts
    ``weerbaarheid_weight``.
    """
    classes = score_classes(rules)
    weerbaarheid = counted & (enc.category == WEERBAARHEID_INDEX)
    positive = counted & ~weerbaarheid
    cls = np.where(positive, signal_classes(enc), ZERO_CLASS)
    weight = classes.value[cls]
    unrest, severe = counted & UNREST[enc.category], counted & SEVERE[enc.category]
    flags = (ANY | unrest * UNREST_BIT | severe * SEVERE_BIT | disorder * DISORDER_BIT
             | (unrest & ~enc.online) * OFFLINE_UNREST_BIT)
    runs = ReporterRuns.build(block, enc.wijk, enc.reporter, enc.n_reporters,
                              flags.astype(np.uint8), classes.rank[cls], classes.rank_bits)
    r = rules.repeat_weight
    weight[enc.reporter >= 0] *= r
    score = block.count(block.row, weight) + (1 - r) * runs.top_weights(classes.rank_value)
    score -= rules.weerbaarheid_weight * block.count(block.row[weerbaarheid])
    return {
        "score": score,
        "reporters": runs.count(ANY),
        "unrest_n_2w": block.two_weeks(block.count(block.row[unrest])),
        "unrest_reporters_2w": runs.count_two_weeks(UNREST_BIT),
        "unrest_offline_reporters_2w": runs.count_two_weeks(OFFLINE_UNREST_BIT),
        "severe_n_2w": block.two_weeks(block.count(block.row[severe])),
        "severe_reporters_2w": runs.count_two_weeks(SEVERE_BIT),
        "severe_verified_2w": block.two_weeks(block.count(block.row[
            severe & (enc.status == VERIFIED)
            & (enc.severity >= rules.phase2_verified_min_severity)])),
        "disorder_reporters": runs.count(DISORDER_BIT),
    }


def _call_columns(enc: EncodedSignals, block: Block, counted: np.ndarray,
                  horizon: int) -> dict[str, np.ndarray]:
    """Calls observed this or last week with an action date in [Monday, Sunday + horizon]."""
    idx = np.flatnonzero(counted & (enc.category == _CALL_INDEX))
    offset = enc.action_offset[idx].astype(np.int64)  # days after the observed week's Monday
    parts = []
    for shift in (0, 1):  # a call counts for the week it was observed in and the next one
        start = 7 * shift  # this row's Monday, in days after the observed week's Monday
        sel = idx[(offset != NO_ACTION) & (offset >= start) & (offset <= start + 6 + horizon)]
        parts.append((block.row[sel] + shift, sel))  # row + 1 is the next week (grid.py)
    row = np.concatenate([p[0] for p in parts])
    sel = np.concatenate([p[1] for p in parts])
    rep, offline = enc.reporter[sel], ~enc.online[sel]
    return {
        "call_n": block.count(row),
        "call_verified": block.count(row[enc.status[sel] == VERIFIED]) > 0,
        "call_reporters": count_distinct(row, rep, block.n_rows),
        "call_offline_reporters": count_distinct(row[offline], rep[offline], block.n_rows),
    }
