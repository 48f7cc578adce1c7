"""Persistent weekly indicators: recomputed for the wijk-weeks a change of signals touches.

Phase tables read these rows instead of rescanning all signals, and they survive the
retention purge, so phases stay identical after the details are gone. Writers do not call
this module: indicator_sync.py settles every touched wijk-week before a commit. The rules
are always passed in (rules_config.py loads them and calls the rebuild after a change).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Engine,
    Insert,
    Select,
    and_,
    bindparam,
    delete,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from signals.db.bulk import bulk_insert
from signals.db.models import Setting, Signal, WeeklyIndicator, Wijk, signal_theme
from signals.db.uow import precompile
from signals.domain import NUL_MELDING
from signals.engine.indicator_rows import SignalFacts, indicator_rows, monday
from signals.engine.indicators import INDICATOR_COLUMNS, weekly_indicators
from signals.engine.rules import Rules
from signals.engine.weeks import WEEK_DTYPE
from signals.services.indicator_sync import FEW_WIJKEN

WEEK = timedelta(weeks=1)
# Rows whose inputs reach before this date are frozen: retention removed their reporters.
FROZEN_SETTING = "indicators_frozen_before"
STORED_COLUMNS = [c for c in INDICATOR_COLUMNS if c not in ("wijk_code", "week_start")]
REBUILD_BATCH_WIJKEN = 50


SIGNAL_FRAME_COLUMNS = ["id", "wijk_code", "observed_on", "created_at", "reporter_id",
                        "category", "severity", "reliability", "reach", "online", "status",
                        "action_date"]


def load_signal_frame(session: Session, wijk_ids: Iterable[int] | None,
                      first: date | None, before: date | None) -> pd.DataFrame:
    """Signals in the engine's SIGNAL_COLUMNS shape, observed in [first, before)."""
    return _signal_frame(_signal_rows(session, wijk_ids, first, before),
                         _themes(session, wijk_ids, first, before))


def _signal_rows(session: Session, wijk_ids: Iterable[int] | None, first: date | None,
                 before: date | None, extra: ColumnElement | None = None) -> list:
    """Rows in SIGNAL_FRAME_COLUMNS order (``extra``: one more condition)."""
    query = (select(Signal.id, Wijk.code.label("wijk_code"), Signal.observed_on,
                    Signal.created_at, Signal.reporter_id, Signal.category, Signal.severity,
                    Signal.reliability, Signal.reach, Signal.online, Signal.status,
                    Signal.action_date)
             .join(Wijk, Wijk.id == Signal.wijk_id))
    query = _window(query, wijk_ids, first, before)
    if extra is not None:
        query = query.where(extra)
    return list(session.connection().execute(query).all())


def _signal_frame(rows: list, themes: pd.Series) -> pd.DataFrame:
    """The frame of ``rows`` (SIGNAL_FRAME_COLUMNS order) and their themes by id."""
    frame = _frame(rows, SIGNAL_FRAME_COLUMNS)
    frame["themes"] = themes.reindex(frame["id"]).fillna("").to_numpy()
    frame["observed_on"] = pd.to_datetime(frame["observed_on"])
    frame["action_date"] = pd.to_datetime(frame["action_date"])
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    frame["reporter_id"] = frame["reporter_id"].astype("Int64")
    frame["online"] = frame["online"].astype(bool)
    return frame


def _created_at() -> ColumnElement:
    """Signal.created_at without UTCDateTime's per-row conversion, for the few rows of a
    save: naive values are UTC (SQLite), and indicator_rows takes them so. (The frame of a
    rebuild keeps the conversion: pandas is slow on timestamps with mixed UTC offsets.)"""
    return type_coerce(Signal.created_at, DateTime(timezone=True)).label("created_at")


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    """Rows of a Core query as a frame built column by column: pandas inspects every Row
    object when given rows (seconds per 100k signals), and ORM loading adds as much."""
    if not rows:
        return pd.DataFrame([], columns=columns)
    return pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows, strict=True)),
                                 strict=True)))


def _window(query, wijk_ids, first, before):  # type: ignore[no-untyped-def]
    if wijk_ids is not None:
        query = query.where(Signal.wijk_id.in_(list(wijk_ids)))
    if first is not None:
        query = query.where(Signal.observed_on >= first)
    if before is not None:
        query = query.where(Signal.observed_on < before)
    return query


def _themes(session: Session, wijk_ids: Iterable[int] | None, first: date | None,
            before: date | None, extra: ColumnElement | None = None) -> pd.Series:
    query = _window(select(signal_theme.c.signal_id, signal_theme.c.theme_code)
                    .join(Signal, Signal.id == signal_theme.c.signal_id), wijk_ids, first, before)
    if extra is not None:
        query = query.where(extra)
    pairs = _frame(session.connection().execute(query).all(), ["id", "theme"])
    if pairs.empty:
        return pd.Series(dtype="str")
    return join_sorted(pairs)


def join_sorted(pairs: pd.DataFrame) -> pd.Series:
    """Distinct (id, theme) pairs -> each id's themes, sorted and `;`-joined, indexed by id.

    Vectorised: a bit mask of theme codes per id, and one join per distinct mask, instead of
    a Python call per signal (seconds at 100k signals).
    """
    codes, names = pd.factorize(pairs["theme"], sort=True)
    if len(names) > 62:  # more themes than bits: the plain way
        return pairs.sort_values("theme").groupby("id")["theme"].agg(";".join)
    masks = pd.Series(np.left_shift(1, codes.astype(np.int64)),
                      index=pairs["id"].to_numpy()).groupby(level=0).sum()
    distinct, inverse = np.unique(masks.to_numpy(), return_inverse=True)
    texts = [";".join(name for bit, name in enumerate(names) if int(mask) >> bit & 1)
             for mask in distinct]
    return pd.Series(np.array(texts, dtype=object)[inverse], index=masks.index,
                     name="theme", dtype="str").rename_axis("id")


def refresh_indicators(session: Session, touched: Iterable[tuple[int, date]],
                       rules: Rules, limit: date | None) -> int:
    """Recompute the rows a change of signals on these (wijk_id, observed_on) pairs affects.

    A signal of week W feeds rows W and W+1, which need the signals of W-1 .. W+1.
    Pass both the old and the new (wijk, date) of an edited signal, and the frozen limit
    (``frozen_limit``). The caller holds the wijken's locks (``lock_wijken`` or the data
    version bump). The few rows are computed directly (engine/indicator_rows.py), not with
    the vectorised engine, whose set-up costs more than a save. Returns rows written.
    """
    weeks_by_wijk: dict[int, set[date]] = defaultdict(set)
    for wijk_id, observed in touched:
        week = monday(observed)
        weeks_by_wijk[wijk_id] |= {week, week + WEEK}
    keys = sorted((w, d) for w, days in weeks_by_wijk.items() for d in days
                  if limit is None or d >= limit)
    if not keys:
        return 0
    rows = indicator_rows(load_signal_facts(session, keys), keys, rules)
    connection = session.connection()  # Core on the connection: no ORM statement overhead
    # Rows that still exist are replaced in place (one upsert); only the keys that lost
    # every signal are deleted. A new signal leaves none: one statement per save.
    kept = {(row["wijk_id"], row["week_start"]) for row in rows}
    gone = [key for key in keys if key not in kept]
    for wijk_id in sorted({w for w, _ in gone}):
        connection.execute(_DELETE_WEEKS, {"wijk_id": wijk_id,
                                           "weeks": [d for w, d in gone if w == wijk_id]})
    if rows:
        connection.execute(_upsert_rows(connection.dialect.name), rows)
    return len(rows)


_TABLE = WeeklyIndicator.__table__
# Built once: a save runs these, and building and hashing a statement costs more than
# SQLite takes to execute it.
_DELETE_WEEKS = delete(_TABLE).where(
    _TABLE.c.wijk_id == bindparam("wijk_id"),
    _TABLE.c.week_start.in_(bindparam("weeks", expanding=True)))


def prepare_refresh(engine: Engine, rules: Rules) -> None:
    """Compile ``refresh_indicators``'s statements for a save ahead (uow.precompile)."""
    precompile(engine, _facts_query(1, 1), {"wijk0": 0, "first0": None, "before0": None})
    week = date(2000, 1, 3)  # a Monday; the row's values do not matter, its columns do
    fact = SignalFacts(0, week, None, None, NUL_MELDING, 0, None, None, False, "nieuw", None,
                       frozenset())
    rows = indicator_rows([fact], [(0, week), (0, week + WEEK)], rules)
    precompile(engine, _upsert_rows(engine.dialect.name), rows)


@cache
def _upsert_rows(dialect: str) -> Insert:
    """INSERT the rows, or UPDATE the stored row of the same wijk-week; built once."""
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(_TABLE)
    return statement.on_conflict_do_update(
        index_elements=[_TABLE.c.wijk_id, _TABLE.c.week_start],
        set_={name: statement.excluded[name] for name in STORED_COLUMNS})


def load_signal_facts(session: Session, keys: list[tuple[int, date]]) -> list[SignalFacts]:
    """The signals rows ``keys`` (wijk_id, Monday) read: weeks W-1 and W of each key."""
    spans = _merged_spans([(d - WEEK, d + WEEK) for _, d in keys])
    wijk_ids = sorted({w for w, _ in keys})
    few = len(wijk_ids) <= FEW_WIJKEN
    parameters: dict[str, object] = {f"wijk{n}": w for n, w in enumerate(wijk_ids)} if few \
        else {"wijk_ids": wijk_ids}
    for number, (first, before) in enumerate(spans):
        parameters |= {f"first{number}": first, f"before{number}": before}
    fields: dict[int, tuple] = {}
    themes: dict[int, set[str]] = defaultdict(set)
    # all(): the driver fetches the rows at once instead of one fetchone() per row.
    query = _facts_query(len(spans), len(wijk_ids) if few else 0)
    for row in session.connection().execute(query, parameters).all():
        signal_id, theme = row[0], row[12]
        if signal_id not in fields:
            fields[signal_id] = row[1:12]
        if theme is not None:
            themes[signal_id].add(theme)
    return [SignalFacts(*values, frozenset(themes[signal_id]) if signal_id in themes
                        else _NO_THEMES)
            for signal_id, values in fields.items()]


_NO_THEMES: frozenset[str] = frozenset()


@cache
def _facts_query(spans: int, wijken: int) -> Select:
    """The signals of the given wijken observed in ``spans`` date ranges, with their themes:
    ``wijken`` wijken in the parameters ``wijk0``, ``wijk1``, …, or (0) any number in the
    expanding ``wijk_ids``."""
    ids = [bindparam(f"wijk{n}") for n in range(wijken)] if wijken \
        else bindparam("wijk_ids", expanding=True)
    return (select(Signal.id, Signal.wijk_id, Signal.observed_on, _created_at(),
                   Signal.reporter_id, Signal.category, Signal.severity, Signal.reliability,
                   Signal.reach, Signal.online, Signal.status, Signal.action_date,
                   signal_theme.c.theme_code)
            .outerjoin(signal_theme, signal_theme.c.signal_id == Signal.id)
            .where(Signal.wijk_id.in_(ids),
                   or_(*(and_(Signal.observed_on >= bindparam(f"first{n}"),
                              Signal.observed_on < bindparam(f"before{n}"))
                         for n in range(spans)))))


def _merged_spans(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Half-open date ranges, overlapping or adjacent ones merged."""
    merged: list[tuple[date, date]] = []
    for first, before in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], before))
        else:
            merged.append((first, before))
    return merged


def lock_wijken(session: Session, wijk_ids: Iterable[int]) -> None:
    """Serialise recomputations of the same wijken until this transaction ends (PostgreSQL).

    Without it, two transactions that save signals in one wijk-week at the same time each
    read the signals before the other's commit, and the second one's delete-and-insert
    either fails on the primary key or stores rows without the first one's signal. The
    lock waits for the other transaction, after which (READ COMMITTED) the next statement
    sees its signals. FOR NO KEY UPDATE does not conflict with the key-share locks of
    foreign keys; ids in order, so two writers never deadlock. SQLite ignores it: its
    write transactions (BEGIN IMMEDIATE) are serial already.
    """
    ids = sorted(set(wijk_ids))
    if ids and session.get_bind().dialect.name != "sqlite":
        session.execute(select(Wijk.id).where(Wijk.id.in_(ids)).order_by(Wijk.id)
                        .with_for_update(key_share=True))


def rebuild_indicators(session: Session, rules: Rules,
                       wijk_ids: Iterable[int] | None = None, first: date | None = None,
                       last: date | None = None) -> int:
    """Recompute every row (after bulk loads or a change of rules), a batch of wijken at a time.

    With ``first``/``last`` (Mondays) only the rows of those weeks are replaced, from the
    signals of weeks first-1 .. last (row W depends on weeks W-1 and W), so a bulk import
    of one period costs that period, not the wijken's whole history.
    """
    limit = frozen_limit(session)
    if limit is not None and (first is None or first < limit):
        first = limit  # purged weeks keep the aggregates computed before the purge
    ids = list(wijk_ids) if wijk_ids is not None else list(session.scalars(select(Wijk.id)))
    written = 0
    for start in range(0, len(ids), REBUILD_BATCH_WIJKEN):
        batch = ids[start:start + REBUILD_BATCH_WIJKEN]
        lock_wijken(session, batch)
        stale = delete(WeeklyIndicator).where(WeeklyIndicator.wijk_id.in_(batch))
        if first is not None:
            stale = stale.where(WeeklyIndicator.week_start >= first)
        if last is not None:
            stale = stale.where(WeeklyIndicator.week_start <= last)
        session.execute(stale)
        frame = _batch_frame(session, batch, first and first - WEEK, last and last + WEEK)
        indicators = weekly_indicators(frame, rules)
        if first is not None:
            indicators = indicators[indicators["week_start"] >= pd.Timestamp(first)]
        if last is not None:
            indicators = indicators[indicators["week_start"] <= pd.Timestamp(last)]
        written += _insert_rows(session, indicators)
    return written


# Key in Session.info: the InsertedSignals of a bulk import, while it settles.
INSERTED_SIGNALS = "indicators_inserted_signals"


@dataclass(frozen=True)
class InsertedSignals:
    """Signals this transaction has just inserted, as written, for the rebuild to take from
    memory instead of reading them back (most of a big import's weekly step).

    ``rows`` holds per wijk_id the tuples (id, observed_on, created_at, reporter_id,
    category, severity, reliability, reach, online, status, action_date, themes), themes as
    a tuple of codes; the ids are those the database gave these rows.
    """

    rows: dict[int, list[tuple]]
    ids: frozenset[int]


@contextmanager
def rebuild_from_memory(session: Session, inserted: InsertedSignals | None) -> Iterator[None]:
    """While this block runs, ``rebuild_indicators`` takes these signals from memory."""
    if inserted is None or not inserted.ids:
        yield
        return
    session.info[INSERTED_SIGNALS] = inserted
    try:
        yield
    finally:
        session.info.pop(INSERTED_SIGNALS, None)


def _batch_frame(session: Session, wijk_ids: list[int], first: date | None,
                 before: date | None) -> pd.DataFrame:
    """load_signal_frame, with the signals just inserted taken from memory (same frame)."""
    inserted: InsertedSignals | None = session.info.get(INSERTED_SIGNALS)
    if inserted is None:
        return load_signal_frame(session, wijk_ids, first, before)
    # Other signals of the window: everything outside the inserted id range, and whatever
    # another transaction committed inside it meanwhile (PostgreSQL: ids interleave).
    low, high = min(inserted.ids), max(inserted.ids)
    outside = ~Signal.id.between(low, high)
    rows = _signal_rows(session, wijk_ids, first, before, outside)
    themes = [_themes(session, wijk_ids, first, before, outside)]
    inside = select(Signal.id).where(Signal.id.between(low, high))
    strangers = sorted(set(session.connection().execute(
        _window(inside, wijk_ids, first, before)).scalars().all()) - inserted.ids)
    if strangers:
        others = Signal.id.in_(strangers)
        rows += _signal_rows(session, wijk_ids, first, before, others)
        themes.append(_themes(session, wijk_ids, first, before, others))
    codes = {wijk_id: code for code, wijk_id in _wijk_ids_by_code(session).items()}
    ids: list[int] = []
    joined: list[str] = []
    for wijk_id in wijk_ids:
        code = codes[wijk_id]
        for row in inserted.rows.get(wijk_id, ()):
            observed = row[1]
            if (first is None or observed >= first) and (before is None or observed < before):
                rows.append((row[0], code, *row[1:11]))
                if row[11]:
                    ids.append(row[0])
                    joined.append(";".join(sorted(row[11])))
    themes.append(pd.Series(joined, index=pd.Index(ids, name="id"), name="theme", dtype="str"))
    return _signal_frame(rows, pd.concat([t for t in themes if not t.empty]) if any(
        not t.empty for t in themes) else pd.Series(dtype="str"))


def freeze_before(session: Session, cutoff: date) -> None:
    """Called by the retention purge: never recompute rows that read purged signals."""
    setting = session.get(Setting, FROZEN_SETTING)
    if setting is None:
        session.add(Setting(key=FROZEN_SETTING, value=cutoff.isoformat()))
    elif date.fromisoformat(str(setting.value)) < cutoff:
        setting.value = cutoff.isoformat()


def frozen_limit(session: Session) -> date | None:
    """First Monday whose row reads no purged signal (row W reads weeks W-1 and W)."""
    return frozen_monday(session.scalar(select(Setting.value)
                                        .where(Setting.key == FROZEN_SETTING)))


def frozen_monday(value: object) -> date | None:
    """``frozen_limit`` of the stored setting's value (None: nothing is frozen)."""
    if value is None:
        return None
    cutoff = date.fromisoformat(str(value))
    return cutoff - timedelta(days=cutoff.weekday()) + WEEK


def _insert_rows(session: Session, indicators: pd.DataFrame,
                 codes: dict[str, int] | None = None) -> int:
    if indicators.empty:
        return 0
    codes = codes if codes is not None else _wijk_ids_by_code(session)
    # Column-wise tolist() yields plain Python values for every DB driver; DataFrame.to_dict
    # plus per-value numpy conversion cost a third of every single-signal save.
    columns = {name: indicators[name].tolist() for name in STORED_COLUMNS}
    columns["wijk_id"] = indicators["wijk_code"].map(codes).tolist()
    columns["week_start"] = indicators["week_start"].dt.date.tolist()
    names = list(columns)
    records = [dict(zip(names, values, strict=True))
               for values in zip(*columns.values(), strict=True)]
    bulk_insert(session, WeeklyIndicator.__table__, records)
    return len(records)


def _wijk_ids_by_code(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Wijk.code, Wijk.id)).all())


def load_indicator_frame(session: Session, wijk_ids: Iterable[int] | None,
                         first: date, last: date) -> pd.DataFrame:
    """Stored rows for weeks first..last (Mondays, inclusive) in the engine's column shape.

    A Core query (no ORM row loading) into typed columns (no dtype inference): the phase
    table of 3,300 wijken reads 86k rows x 33 columns, and this is most of its time.
    """
    table = WeeklyIndicator.__table__
    query = (select(Wijk.code.label("wijk_code"),
                    *(table.c[name] for name in ("week_start", *STORED_COLUMNS)))
             .join(Wijk, Wijk.id == table.c.wijk_id)
             .where(table.c.week_start >= first, table.c.week_start <= last))
    if wijk_ids is not None:
        query = query.where(table.c.wijk_id.in_(list(wijk_ids)))
    rows = session.connection().execute(query).all()
    names = ["wijk_code", "week_start", *STORED_COLUMNS]
    columns = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else {
        name: () for name in names}
    frame = pd.DataFrame({name: _typed(name, values) for name, values in columns.items()})
    return frame[list(INDICATOR_COLUMNS)]


def _typed(name: str, values: tuple) -> pd.Series | np.ndarray:
    if name == "wijk_code":
        return pd.Series(values, dtype="str")
    if name == "top_themes":
        return pd.Series(values, dtype="object").fillna("").astype("str")
    if name == "week_start":
        return pd.to_datetime(pd.Series(values, dtype="object")).astype(WEEK_DTYPE)
    if name == "score":
        return np.asarray(values, dtype="float64")
    if name in ("call_verified", "disorder_verified"):
        return np.asarray(values, dtype=bool)
    return np.asarray(values, dtype="int64")
