"""The one mechanism that keeps the weekly aggregates equal to the signals: a session hook.

Writers never recompute aggregates themselves. After every flush the hook records the
(wijk, observed date) of each new, changed or deleted Signal (the old place too when it
moved); bulk writes that bypass the ORM report theirs with ``mark_touched``. Just before
the transaction commits, ``settle`` recomputes the touched wijk-weeks once, in the same
transaction, so the aggregates commit together with the signals or not at all, and raises
the touched wijken's data version (the dashboards' cache key). Readers
of the aggregates in a writing transaction call ``settle`` first.

The hook listens on every Session; importing the services package registers it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from itertools import chain

from sqlalchemy import ColumnElement, Select, Update, case, event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from signals.db.models import Setting, Signal
from signals.db.uow import precompile

TOUCHED = "indicators_touched"  # key in Session.info: set of (wijk_id, observed_on)
# More touched wijk-weeks than this (a bulk import): rebuild that period of those wijken.
REFRESH_LIMIT = 400
# Up to this many wijken the save's statements name each id (no expanding IN to re-render).
FEW_WIJKEN = 4


def mark_touched(session: Session, places: Iterable[tuple[int, date]]) -> None:
    """Signals at these (wijk_id, observed_on) were written outside the ORM."""
    session.info.setdefault(TOUCHED, set()).update(places)


_READY: set[object] = set()  # database URLs this process prepared the settle step for


def prepare_settle(session: Session) -> None:
    """Load what ``settle`` needs before the transaction writes: a use case calls this in
    its reads before the writes (uow.reads_before_write), so the first save of a process
    does not import modules and parse the rules inside SQLite's write turn."""
    engine = session.get_bind()
    if engine.url in _READY:
        return
    from signals.services import alert_triggers  # noqa: F401
    from signals.services.indicators import prepare_refresh
    from signals.services.rules_config import load_rules

    rules = load_rules(session)  # parsed and remembered by its stamp: settle reads that
    precompile(engine, _bump_returning(engine.dialect.name, 1), {"id0": 0})
    prepare_refresh(engine, rules)
    _READY.add(engine.url)


def settle(session: Session) -> int:
    """Recompute the aggregates of everything touched in this transaction; rows written."""
    # Imported here: importing the services package registers this hook, and a process that
    # only parses a file (the XLSX reader's child) must not load pandas and the engine.
    from signals.services.alert_triggers import queue_for_changes
    from signals.services.indicators import rebuild_indicators, refresh_indicators
    from signals.services.rules_config import rules_at

    session.flush()  # pending ORM changes report their places in after_flush
    touched = session.info.pop(TOUCHED, None)
    if not touched:
        return 0
    wijk_ids = sorted({w for w, _ in touched})
    # First: on PostgreSQL the bump locks the wijken, in id order. It reads the settings
    # and whether anyone has an alert address in the same round trip.
    rules_stamp, limit, addressed = _bump_and_read(session, wijk_ids)
    rules = rules_at(session, rules_stamp)
    weeks = {(w, d - timedelta(days=d.weekday())) for w, d in touched}
    if len(weeks) <= REFRESH_LIMIT:
        written = refresh_indicators(session, touched, rules, limit)
    else:
        # Rows W and W+1 of every touched week W: only that period is recomputed.
        mondays = [d for _, d in weeks]
        written = rebuild_indicators(session, rules, wijk_ids=wijk_ids, first=min(mondays),
                                     last=max(mondays) + timedelta(weeks=1))
    # Alerts commit with the change, or not at all.
    queue_for_changes(session, touched, addressed)
    return written


def _bump_and_read(session: Session, wijk_ids: list[int]) -> tuple[object, date | None, bool]:
    """Raise the wijken's data version; the rules override's ``updated_at``, the frozen
    limit and whether an active account has an alert address, in the same statement."""
    from signals.services.indicators import frozen_monday

    connection = session.connection()
    few = len(wijk_ids) <= FEW_WIJKEN
    parameters = {f"id{n}": i for n, i in enumerate(wijk_ids)} if few else {"ids": wijk_ids}
    row = connection.execute(_bump_returning(connection.dialect.name,
                                             len(wijk_ids) if few else 0), parameters).first()
    if row is None:  # none of the wijken exists (any more): read them apart
        from signals.services.alert_triggers import ANYONE_ADDRESSED

        return (*_settings(session), bool(session.scalar(select(ANYONE_ADDRESSED))))
    stamp, frozen, addressed = row
    return stamp, frozen_monday(frozen), bool(addressed)


@cache
def _bump_returning(dialect: str, wijken: int) -> Update:
    """data_version.bump … RETURNING the three values; built once per dialect and number of
    wijken (0: any number)."""
    from signals.services.alert_triggers import ANYONE_ADDRESSED
    from signals.services.data_version import bump_statement
    from signals.services.indicators import FROZEN_SETTING
    from signals.services.settings import PHASE_RULES

    def setting(key: str, column: ColumnElement) -> ColumnElement:
        return select(column).where(Setting.key == key).scalar_subquery()

    return bump_statement(dialect, wijken).returning(
        setting(PHASE_RULES, Setting.updated_at), setting(FROZEN_SETTING, Setting.value),
        ANYONE_ADDRESSED)


def _settings(session: Session) -> tuple[object, date | None]:
    """The rules override's ``updated_at`` and the frozen limit, in one query."""
    from signals.services.indicators import FROZEN_SETTING, frozen_monday
    from signals.services.settings import PHASE_RULES

    stamp, frozen = None, None
    for key, updated_at, value in session.connection().execute(
            _settings_query(PHASE_RULES, FROZEN_SETTING)):
        if key == PHASE_RULES:
            stamp = updated_at
        else:
            frozen = value
    return stamp, frozen_monday(frozen)


@cache
def _settings_query(rules_key: str, frozen_key: str) -> Select:
    """Built once; the rules text itself is not read (it is cached by its stamp)."""
    return (select(Setting.key, Setting.updated_at,
                   case((Setting.key == frozen_key, Setting.value)))
            .where(Setting.key.in_([rules_key, frozen_key])))


@event.listens_for(Session, "after_flush")
def _record_signal_places(session: Session, _context: object) -> None:
    places = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Signal) and (obj not in session.dirty or session.is_modified(obj)):
            places |= _places(obj)
    if places:
        mark_touched(session, places)


def _places(signal: Signal) -> set[tuple[int, date]]:
    """The signal's (wijk, date) now and, if this flush moved it, before."""
    state = inspect(signal)
    wijk, observed = state.attrs.wijk_id.history, state.attrs.observed_on.history
    now = (signal.wijk_id, signal.observed_on)
    before = (wijk.deleted[0] if wijk.deleted else now[0],
              observed.deleted[0] if observed.deleted else now[1])
    return {p for p in (now, before) if p[0] is not None and p[1] is not None}


@event.listens_for(Session, "before_commit")
def _settle_before_commit(session: Session) -> None:
    settle(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outer transaction: committed or rolled back
        session.info.pop(TOUCHED, None)
