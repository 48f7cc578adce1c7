"""A few weekly indicator rows computed directly from a few signals, without pandas.

Saving one signal changes two rows, (wijk, W) and (wijk, W+1), which read the signals of
weeks W-1 .. W+1 of one wijk: a few dozen signals. The vectorised engine (indicators.py)
spends milliseconds on frame and array set-up for that; this module computes the same
columns with plain Python in microseconds. It follows indicators.py column for column
(see its module docstring for their meaning), and the tests compare the two on the whole
demo. Keep them in step: change one, change both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from signals.domain import (
    CALL_TO_ACTION,
    CATEGORIES,
    DEFAULT_REACH,
    DEFAULT_RELIABILITY,
    DISORDER,
    NUL_MELDING,
    SEVERE_CATEGORIES,
    WEERBAARHEID,
    Status,
)
from signals.engine.encoding import MAX_SEVERITY, REACH_CODES, RELIABILITY_CODES
from signals.engine.indicators import COUNT_COLUMNS
from signals.engine.rules import Rules
from signals.engine.weeks import TIMEZONE

WEEK = timedelta(weeks=1)
_ZONE = ZoneInfo(TIMEZONE)
_NO_OFFSET = timedelta(0)
_DEFAULT_SEVERITY = {c.code: c.default_severity for c in CATEGORIES}
_UNREST = frozenset(c.code for c in CATEGORIES if c.unrest)
_COUNTED_CODES = tuple(name[2:] for name in COUNT_COLUMNS)  # n_<code>, nul-melding excluded
_NO_ACTION_LIMIT = 32767  # the engine's int16 action offset: farther away counts as none
# Plain strings: an enum member's .value is a descriptor call, and these run per signal.
_NIET_BEVESTIGD = Status.NIET_BEVESTIGD.value
_GEVERIFIEERD = Status.GEVERIFIEERD.value


class SignalFacts(NamedTuple):
    """What the indicators read of one signal; the engine's SIGNAL_COLUMNS, typed.

    A named tuple: a save builds one per signal of three weeks, and a frozen dataclass
    costs several times as much to build.
    """

    wijk_id: int
    observed_on: date
    created_at: datetime | None
    reporter_id: int | None
    category: str
    severity: int | None
    reliability: str | None
    reach: str | None
    online: bool
    status: str
    action_date: date | None
    themes: frozenset[str]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def indicator_rows(signals: Iterable[SignalFacts], keys: Iterable[tuple[int, date]],
                   rules: Rules) -> list[dict]:
    """The rows (wijk_id, week_start Monday) of ``keys`` that exist, as column dicts.

    ``signals`` must hold every signal of those wijken in weeks W-1 .. W of each key
    (more is fine). A row exists when its wijk has a signal in that week or the week before.
    """
    by_week: dict[tuple[int, date], list[SignalFacts]] = defaultdict(list)
    mondays: dict[date, date] = {}  # many signals share a date
    for signal in signals:
        day = signal.observed_on
        week = mondays.get(day)
        if week is None:
            week = mondays[day] = monday(day)
        by_week[(signal.wijk_id, week)].append(signal)
    rows = []
    for wijk_id, week in sorted(set(keys)):
        this, last = by_week.get((wijk_id, week), []), by_week.get((wijk_id, week - WEEK), [])
        if this or last:
            rows.append(_row(wijk_id, week, this, last, rules))
    return rows


def _row(wijk_id: int, week: date, this: Sequence[SignalFacts], last: Sequence[SignalFacts],
         rules: Rules) -> dict:
    kept = [s for s in this if not _ignored(s, rules)]
    counted = [s for s in kept if s.category != NUL_MELDING]
    both = counted + [s for s in last if not _ignored(s, rules) and s.category != NUL_MELDING]
    categories = Counter(s.category for s in kept)
    row: dict = {"wijk_id": wijk_id, "week_start": week,
                 "n_signals": len(counted), "n_nul": categories[NUL_MELDING]}
    row.update({f"n_{code}": categories[code] for code in _COUNTED_CODES})
    row["score"] = _score(this, counted, rules)
    row["reporters"] = _distinct(this)
    unrest = [s for s in both if s.category in _UNREST]
    severe = [s for s in both if s.category in SEVERE_CATEGORIES]
    row.update(unrest_n_2w=len(unrest), unrest_reporters_2w=_distinct(unrest),
               unrest_offline_reporters_2w=_distinct([s for s in unrest if not s.online]),
               severe_n_2w=len(severe), severe_reporters_2w=_distinct(severe),
               severe_verified_2w=sum(
                   1 for s in severe if s.status == _GEVERIFIEERD
                   and _severity(s) >= rules.phase2_verified_min_severity))
    row.update(_sustained_theme([s for s in counted if s.category in _UNREST],
                                [s for s in both[len(counted):] if s.category in _UNREST]))
    calls = [s for s in both if _call_counts(s, week, rules.call_horizon_days)]
    row.update(call_n=len(calls), call_verified=_any_verified(calls),
               call_reporters=_distinct(calls),
               call_offline_reporters=_distinct([s for s in calls if not s.online]))
    disorder = [s for s in counted if s.category == DISORDER
                and _severity(s) >= rules.phase4_min_severity]
    row.update(disorder_n=len(disorder), disorder_verified=_any_verified(disorder),
               disorder_reporters=_distinct(disorder),
               online_n=sum(1 for s in counted if s.online),
               on_time_n=sum(1 for s in kept if _on_time(s, rules.timeliness_days)),
               top_themes=_top_themes(counted))
    return row


def _sustained_theme(this: Sequence[SignalFacts], last: Sequence[SignalFacts]) -> dict:
    """theme_n_2w and theme_reporters_2w: the themes of unrest signals in both weeks."""
    best = (0, 0)
    for theme in {t for s in this for t in s.themes} & {t for s in last for t in s.themes}:
        about = [s for s in (*this, *last) if theme in s.themes]
        best = max(best, (len(about), _distinct(about)))
    return {"theme_n_2w": best[0], "theme_reporters_2w": best[1]}


def _ignored(signal: SignalFacts, rules: Rules) -> bool:
    return rules.ignore_niet_bevestigd and signal.status == _NIET_BEVESTIGD


def _distinct(signals: Iterable[SignalFacts]) -> int:
    return len({s.reporter_id for s in signals if s.reporter_id is not None})


def _any_verified(signals: Iterable[SignalFacts]) -> bool:
    return any(s.status == _GEVERIFIEERD for s in signals)


def _severity(signal: SignalFacts) -> int:
    if signal.severity is None:
        return _DEFAULT_SEVERITY.get(signal.category, 1)
    return min(max(round(signal.severity), 0), MAX_SEVERITY)


def _weight(signal: SignalFacts, rules: Rules) -> float:
    """Rule 1: severity x reliability weight x reach weight (unknown codes: the defaults)."""
    reliability = signal.reliability if signal.reliability in RELIABILITY_CODES \
        else DEFAULT_RELIABILITY
    reach = signal.reach if signal.reach in REACH_CODES else DEFAULT_REACH
    return float(_severity(signal)) * rules.reliability_weights[reliability] \
        * rules.reach_weights[reach]


def _score(this: Sequence[SignalFacts], counted: Sequence[SignalFacts], rules: Rules) -> float:
    """Rules 1 and 3: a reporter's largest signal counts fully, the others repeat_weight."""
    r = rules.repeat_weight
    positive = {id(s): _weight(s, rules) for s in counted if s.category != WEERBAARHEID}
    score = sum(w * (r if s.reporter_id is not None else 1.0)
                for s in counted if (w := positive.get(id(s))) is not None)
    largest: dict[int, float] = {}
    for s in this:  # every signal of a known reporter takes part, weight 0 if not positive
        if s.reporter_id is not None:
            largest[s.reporter_id] = max(largest.get(s.reporter_id, 0.0),
                                         positive.get(id(s), 0.0))
    score += (1 - r) * sum(largest.values())
    weerbaarheid = sum(1 for s in counted if s.category == WEERBAARHEID)
    return score - rules.weerbaarheid_weight * weerbaarheid


def _call_counts(signal: SignalFacts, week: date, horizon: int) -> bool:
    """A call observed this or last week with its action date in [Monday, Sunday + horizon]."""
    if signal.category != CALL_TO_ACTION or signal.action_date is None:
        return False
    offset = (signal.action_date - monday(signal.observed_on)).days
    if abs(offset) >= _NO_ACTION_LIMIT:
        return False
    start = (week - monday(signal.observed_on)).days  # 0 this week, 7 last week
    return start <= offset <= start + 6 + horizon


def _on_time(signal: SignalFacts, days: int) -> bool:
    """Logged (its date in Amsterdam; a naive time is UTC) within ``days`` of the observed date."""
    logged = signal.created_at
    if logged is None:
        return False
    if logged.tzinfo is None or logged.utcoffset() == _NO_OFFSET:
        # A UTC time: Amsterdam's date is the same day or the next (UTC+1 or +2), so only
        # the boundary day needs the time zone conversion.
        late = (logged.date() - signal.observed_on).days
        if late + 1 <= days:
            return True
        if late > days:
            return False
        logged = logged.replace(tzinfo=UTC)
    return (logged.astimezone(_ZONE).date() - signal.observed_on).days <= days


def _top_themes(counted: Sequence[SignalFacts], k: int = 3) -> str:
    counts = Counter(theme for s in counted for theme in s.themes)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ";".join(theme for theme, _ in ranked[:k])
