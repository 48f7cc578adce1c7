"""Turn the signal frame into compact numpy arrays for the vectorised weekly aggregation.

Every column is converted once, a slice of rows at a time (temporaries stay small). String
columns are factorised and their few distinct values are looked up in Python. Every later
step works on small integer arrays (int8/int16/int32): 10M signals take about 1.4 GB as a
pandas frame with ``str`` columns, and about 190 MB encoded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from signals.domain import (
    CATEGORIES,
    DEFAULT_REACH,
    DEFAULT_RELIABILITY,
    NUL_MELDING,
    REACHES,
    RELIABILITIES,
    SEVERE_CATEGORIES,
    WEERBAARHEID,
    Status,
)
from signals.engine.rules import Rules
from signals.engine.weeks import day_numbers

SIGNAL_COLUMNS: tuple[str, ...] = (
    "wijk_code", "observed_on", "created_at", "reporter_id", "category", "severity",
    "reliability", "reach", "online", "status", "action_date", "themes",
)
CATEGORY_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES)
UNKNOWN_CATEGORY = len(CATEGORY_CODES)  # a code added by an administrator after this release
CATEGORY_INDEX = {code: i for i, code in enumerate(CATEGORY_CODES)}
NUL_INDEX = CATEGORY_INDEX[NUL_MELDING]
WEERBAARHEID_INDEX = CATEGORY_INDEX[WEERBAARHEID]
UNREST = np.array([c.unrest for c in CATEGORIES] + [False])
SEVERE = np.array([c.code in SEVERE_CATEGORIES for c in CATEGORIES] + [False])
_DEFAULT_SEVERITY = np.array([c.default_severity for c in CATEGORIES] + [1], dtype=np.int8)
RELIABILITY_CODES: tuple[str, ...] = tuple(RELIABILITIES)
REACH_CODES: tuple[str, ...] = tuple(REACHES)
MAX_SEVERITY = 5
NO_DAY = np.iinfo(np.int32).min
NO_ACTION = np.iinfo(np.int16).min
OTHER_STATUS, VERIFIED, NOT_CONFIRMED = 0, 1, 2
_STATUS_INDEX = {Status.GEVERIFIEERD.value: VERIFIED, Status.NIET_BEVESTIGD.value: NOT_CONFIRMED}
_RELIABILITY_INDEX = {code: i for i, code in enumerate(RELIABILITY_CODES)}
_REACH_INDEX = {code: i for i, code in enumerate(REACH_CODES)}


@dataclass(frozen=True)
class EncodedSignals:
    """One entry per signal (nul-meldingen included), see :func:`encode_signals`."""

    wijk: np.ndarray  # int16/int32 index into wijk_codes
    wijk_codes: pd.Index
    day: np.ndarray | None  # int32 observed day; None once the week grid is built
    reporter: np.ndarray  # int32 compact reporter index, -1 when unknown (purged)
    n_reporters: int
    category: np.ndarray  # int8 index into CATEGORY_CODES, UNKNOWN_CATEGORY otherwise
    severity: np.ndarray  # int8, 0-5
    reliability: np.ndarray  # int8 index into RELIABILITY_CODES
    reach: np.ndarray  # int8 index into REACH_CODES
    status: np.ndarray  # int8: OTHER_STATUS, VERIFIED or NOT_CONFIRMED
    online: np.ndarray  # bool
    on_time: np.ndarray  # bool: logged within rules.timeliness_days of the observed date
    action_offset: np.ndarray  # int16 days from the Monday of the observed week to the action
    # date, NO_ACTION when there is none (or it is more than 89 years away)
    themes: np.ndarray  # int16/int32 index into theme_combos, -1 when empty
    theme_combos: list[tuple[str, ...]]

    def subset(self, idx: np.ndarray) -> EncodedSignals:
        """The signals at positions ``idx`` (same code tables)."""
        def take(name: str) -> object:
            value = getattr(self, name)
            return value if name in _SHARED or value is None else value[idx]

        return EncodedSignals(**{f.name: take(f.name) for f in fields(self)})


_SHARED = ("wijk_codes", "n_reporters", "theme_combos")
_SLICE = 1 << 20  # rows per slice when converting a column, to bound temporary memory


def check_columns(signals: pd.DataFrame) -> None:
    missing = [c for c in SIGNAL_COLUMNS if c not in signals.columns]
    if missing:
        raise ValueError(f"signal frame lacks columns: {', '.join(missing)}")


def _sliced(values: pd.Series, dtype: type,
            convert: Callable[[pd.Series], np.ndarray]) -> np.ndarray:
    """``convert`` applied slice by slice into one array: temporaries stay slice-sized."""
    out = np.empty(len(values), dtype=dtype)
    for start in range(0, len(values), _SLICE):
        out[start : start + _SLICE] = convert(values.iloc[start : start + _SLICE])
    return out


def factorised(values: pd.Series, table: Mapping[str, int], default: int) -> np.ndarray:
    """int8 code of each value via ``table``; missing and unknown values get ``default``."""
    def convert(part: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(part, use_na_sentinel=True)
        lut = np.array([table.get(u, default) for u in uniques] + [default], dtype=np.int8)
        return lut[codes]  # code -1 (NA) picks the trailing default

    return _sliced(values, np.int8, convert)


def codes_of(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, list]:
    """Codes into the list of distinct values (-1 for missing), slice by slice.

    The codes are int16 when there are fewer than 32767 distinct values, else int32.
    """
    index: dict[object, int] = {}

    def convert(part: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(part, use_na_sentinel=True)
        lut = [index.setdefault(u, len(index)) for u in uniques]
        return np.array([*lut, -1], dtype=np.int32)[codes]

    codes = _sliced(values, np.int32, convert)
    uniques = list(index)
    if sort and uniques:
        order = sorted(range(len(uniques)), key=uniques.__getitem__)
        rank = np.empty(len(uniques) + 1, dtype=np.int32)
        rank[order] = np.arange(len(uniques), dtype=np.int32)
        rank[-1] = -1
        codes, uniques = rank[codes], [uniques[i] for i in order]
    if len(uniques) < np.iinfo(np.int16).max:  # halves the memory of the common case
        codes = codes.astype(np.int16)
    return codes, uniques


def _reporters(values: pd.Series) -> tuple[np.ndarray, int]:
    """Compact reporter indices: small non-negative integer ids as they are, else factorised."""
    if pd.api.types.is_integer_dtype(values.dtype):
        limit = min(4 * len(values) + 1024, 1 << 30)
        ids = _sliced(values, np.int32, lambda part: np.clip(
            part.to_numpy(dtype=np.int64, na_value=-1), -2, limit))
        high = int(ids.max()) if len(ids) else -1
        if -2 not in ids and high < limit and (ids >= 0).sum() == values.notna().sum():
            return ids, high + 1
    codes, uniques = codes_of(values)
    return codes.astype(np.int32), len(uniques)


def _severity(values: pd.Series, category: np.ndarray) -> np.ndarray:
    """int8 severity 0-5; missing values get the category's default severity."""
    out = np.empty(len(values), dtype=np.int8)
    if pd.api.types.is_integer_dtype(values.dtype) and not values.hasnans:
        np.clip(values.to_numpy(), 0, MAX_SEVERITY, out=out, casting="unsafe")
        return out
    raw = values.to_numpy(dtype=np.float64, na_value=np.nan)
    np.clip(np.rint(raw), 0, MAX_SEVERITY, out=out, casting="unsafe")
    missing = np.isnan(raw)
    out[missing] = _DEFAULT_SEVERITY[category[missing]]
    return out


def _days32(values: pd.Series, utc: bool = False) -> np.ndarray:
    """Day numbers as int32 (NO_DAY for NaT).

    With ``utc``, naive timestamps are taken as UTC: the logged time is stored in UTC, and
    its day is the day in Amsterdam.
    """
    naive = pd.api.types.is_datetime64_any_dtype(values.dtype) and not isinstance(
        values.dtype, pd.DatetimeTZDtype)

    def convert(part: pd.Series) -> np.ndarray:
        days = day_numbers(part.dt.tz_localize("UTC") if utc and naive else part)
        return np.where(days == np.iinfo(np.int64).min, NO_DAY, days)

    return _sliced(values, np.int32, convert)


def _on_time(created: pd.Series, observed: np.ndarray, days: int) -> np.ndarray:
    logged = _days32(created, utc=True)
    logged[logged == NO_DAY] = np.iinfo(np.int32).max  # never logged: never on time
    return logged <= observed + np.int32(days)


def _action_offsets(action: pd.Series, observed: np.ndarray) -> np.ndarray:
    """Days from the Monday of the observed week to the action date, as int16."""
    days = _days32(action)
    out = np.empty(len(days), dtype=np.int16)
    for start in range(0, len(days), _SLICE):
        part, seen = days[start : start + _SLICE], observed[start : start + _SLICE]
        offset = part.astype(np.int64) - (seen - (seen + 3) % 7)  # 1970-01-01 was a Thursday
        far = (part == NO_DAY) | (np.abs(offset) >= np.iinfo(np.int16).max)
        out[start : start + _SLICE] = np.where(far, NO_ACTION, offset)
    return out


def encode_signals(signals: pd.DataFrame, rules: Rules) -> EncodedSignals:
    """Encode the columns of :data:`SIGNAL_COLUMNS`; raises ValueError on missing values."""
    check_columns(signals)
    wijk, wijk_codes = codes_of(signals["wijk_code"], sort=True)
    if (wijk < 0).any():
        raise ValueError("signal frame has rows without wijk_code")
    day = _days32(signals["observed_on"])
    if (day == NO_DAY).any():
        raise ValueError("signal frame has rows without observed_on")
    category = factorised(signals["category"], CATEGORY_INDEX, UNKNOWN_CATEGORY)
    reporter, n_reporters = _reporters(signals["reporter_id"])
    themes, combos = codes_of(signals["themes"])
    return EncodedSignals(
        wijk=wijk,
        wijk_codes=pd.Index(wijk_codes, dtype="str"),
        day=day,
        reporter=reporter,
        n_reporters=n_reporters,
        category=category,
        severity=_severity(signals["severity"], category),
        reliability=factorised(signals["reliability"], _RELIABILITY_INDEX,
                               _RELIABILITY_INDEX[DEFAULT_RELIABILITY]),
        reach=factorised(signals["reach"], _REACH_INDEX, _REACH_INDEX[DEFAULT_REACH]),
        status=factorised(signals["status"], _STATUS_INDEX, OTHER_STATUS),
        online=signals["online"].to_numpy(dtype=bool, na_value=False),
        on_time=_on_time(signals["created_at"], day, rules.timeliness_days),
        action_offset=_action_offsets(signals["action_date"], day),
        themes=themes,
        theme_combos=split_themes(combos),
    )


def split_themes(uniques: Sequence[object]) -> list[tuple[str, ...]]:
    """Theme codes of each distinct ``;``-joined themes value (sorted, no duplicates)."""
    return [tuple(sorted({t.strip() for t in str(u).split(";")} - {""})) for u in uniques]
