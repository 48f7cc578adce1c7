"""The bulk writes of a signal import: Core statements on the driver, no ORM object per row.

New signals go in with one bulk insert (PostgreSQL COPY, SQLite executemany), changed ones
with one executemany UPDATE that matches each row's version, and the history rows are
written alongside. Every write reports the (wijk, date) places it touched to
indicator_sync, which recomputes the weekly aggregates before the commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from signals.db.bulk import bulk_insert, insert_columns
from signals.db.models import (
    Credential,
    Signal,
    SignalHistory,
    User,
    signal_theme,
    user_wijk,
    utcnow,
)
from signals.domain import Role
from signals.errors import ConflictError
from signals.services.actor import Actor
from signals.services.indicator_sync import mark_touched
from signals.services.indicators import InsertedSignals

CHUNK = 5000
STORED = ("wijk_id", "observed_on", "reporter_id", "reporter_role", "category", "subtype",
          "severity", "source", "online", "platform", "platform_name", "reach", "reliability",
          "polarisation",
          "action_date", "action_place", "status", "description")
TEXT_COLUMNS = ("description", "action_place", "subtype")
# (new values, stored values) of each changed signal, as the import plan holds them.
Changed = list[tuple[dict[str, Any], dict[str, Any]]]
IMPORT_CONFLICT = ("Tijdens de import heeft iemand anders een of meer van deze meldingen "
                   "gewijzigd (rij {rows}). Er is niets opgeslagen; importeer het bestand "
                   "opnieuw, dan wordt de nieuwe stand vergeleken.")


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def register_reporters(session: Session, new: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Unknown reporters become key figures of their rows' wijken, without a password."""
    if not new:
        return {}
    names = sorted(new)
    now = utcnow()
    users = User.__table__
    ids = session.execute(insert(users).returning(users.c.id, sort_by_parameter_order=True), [
        {"username": name, "role": Role.SLEUTELFIGUUR.value, "active": True,
         "reporter_role": new[name]["reporter_role"], "created_at": now} for name in names
    ]).scalars().all()
    by_name = dict(zip(names, ids, strict=True))
    session.execute(insert(Credential.__table__), [
        {"user_id": by_name[name], "password_hash": None, "failed_logins": 0}
        for name in names])
    bulk_insert(session, user_wijk, [
        {"user_id": by_name[name], "wijk_id": wijk_id}
        for name in names for wijk_id in sorted(new[name]["wijken"])])
    return by_name


def _signal_row(values: dict[str, Any], reporters: dict[str, int]) -> dict[str, Any]:
    row = {c: values[c] for c in STORED}
    if row["reporter_id"] is None and values["reporter"] is not None:
        row["reporter_id"] = reporters[values["reporter"]]
    return row


def insert_signals(session: Session, actor: Actor, filename: str, new: list[dict[str, Any]],
                   reporters: dict[str, int]) -> tuple[dict[int, int], InsertedSignals | None]:
    """Bulk insert; returns file row number -> new signal id, and the rows as written for
    the weekly rebuild."""
    if not new:
        return {}, None
    now = utcnow()
    # Column by column, no dict per row, in file order. (Sorting by wijk and date saved
    # PostgreSQL a sixth of the COPY, but cost the client as much: the row dicts are then
    # visited out of memory order.)
    columns = {c: [values[c] for values in new] for c in STORED}
    columns["reporter_id"] = [
        reporters[values["reporter"]] if stored is None and values["reporter"] is not None
        else stored for stored, values in zip(columns["reporter_id"], new, strict=True)]
    count = len(new)
    columns |= {"external_id": [values["external_id"] for values in new],
                "created_at": [now] * count, "updated_at": [now] * count,
                "created_by_id": [actor.user_id] * count, "version": [1] * count}
    # A bulk insert on the driver (the ORM bulk path splits rows by their None values into
    # many small statements), then the new ids in one query: every id above the highest
    # one before the insert, matched on the (unique) external_id.
    table = Signal.__table__
    before = session.scalar(select(func.max(table.c.id))) or 0
    insert_columns(session, table, columns)
    mark_touched(session, set(zip(columns["wijk_id"], columns["observed_on"], strict=True)))
    wanted = set(columns["external_id"])
    by_external = {external_id: signal_id for signal_id, external_id in
                   session.connection().execute(select(table.c.id, table.c.external_id)
                                                .where(table.c.id > before)).all()
                   if external_id in wanted}
    ids = [by_external[external_id] for external_id in columns["external_id"]]
    created = {values["row"]: signal_id for values, signal_id in zip(new, ids, strict=True)}
    themes = [{"signal_id": signal_id, "theme_code": code}
              for values, signal_id in zip(new, ids, strict=True)
              for code in values["themes"]]
    if themes:
        bulk_insert(session, signal_theme, themes)
    _creation_history(session, actor, filename, now, before, wanted)
    return created, _inserted(columns, ids, new, now)


def _inserted(columns: dict[str, list[Any]], ids: list[int], new: list[dict[str, Any]],
              now: datetime) -> InsertedSignals:
    by_wijk: dict[int, list[tuple]] = defaultdict(list)
    names = ("wijk_id", "observed_on", "reporter_id", "category", "severity", "reliability",
             "reach", "online", "status", "action_date")
    for signal_id, values, (wijk_id, observed, reporter_id, *rest) in zip(
            ids, new, zip(*(columns[name] for name in names), strict=True), strict=True):
        by_wijk[wijk_id].append((signal_id, observed, now, reporter_id, *rest,
                                 values["themes"]))
    return InsertedSignals(dict(by_wijk), frozenset(ids))


def _creation_history(session: Session, actor: Actor, filename: str, now: datetime,
                      before: int, external_ids: set[str]) -> None:
    """One "aangemaakt" row per new signal, written by the database (INSERT ... SELECT)."""
    history, signals = SignalHistory.__table__, Signal.__table__
    source = select(
        signals.c.id, literal(now, history.c.at.type), literal(actor.user_id, Integer),
        literal("aangemaakt"), literal("status"), signals.c.status,
        literal(f"import {filename}"[:200]),
    ).where(signals.c.id > before, signals.c.created_at == literal(now, signals.c.created_at.type))
    if len(external_ids) < CHUNK:  # others may insert concurrently (PostgreSQL)
        source = source.where(signals.c.external_id.in_(sorted(external_ids)))
    session.execute(insert(history).from_select(
        ["signal_id", "at", "user_id", "action", "field", "new_value", "note"], source))


def update_signals(session: Session, actor: Actor, filename: str, changed: Changed,
                   reporters: dict[str, int]) -> None:
    """Optimistic updates (each row only at the version the plan read), themes, history."""
    if not changed:
        return
    now = utcnow()
    table = Signal.__table__
    statement = (update(table).where(table.c.id == bindparam("b_id"),
                                     table.c.version == bindparam("b_version"))
                 .values(**{c: bindparam(c) for c in STORED},
                         version=bindparam("new_version"), updated_at=bindparam("now")))
    params = [_signal_row(new, reporters) | {"b_id": old["id"], "b_version": old["version"],
                                             "new_version": old["version"] + 1, "now": now}
              for new, old in changed]
    updated = session.connection().execute(statement, params).rowcount
    if updated != len(params):
        _raise_conflict(session, changed, now)
    mark_touched(session, {place for new, old in changed for place in (
        (new["wijk_id"], new["observed_on"]), (old["wijk_id"], old["observed_on"]))})
    changed_themes = [(new, old) for new, old in changed
                      if tuple(sorted(new["themes"])) != old["themes"]]
    for chunk in chunks([old["id"] for _, old in changed_themes]):
        session.execute(delete(signal_theme).where(signal_theme.c.signal_id.in_(chunk)))
    themes = [{"signal_id": old["id"], "theme_code": code}
              for new, old in changed_themes for code in new["themes"]]
    if themes:
        session.execute(insert(signal_theme), themes)
    session.execute(insert(SignalHistory.__table__),
                    list(_update_history(actor, filename, changed, reporters, now)))


def _raise_conflict(session: Session, changed: Changed, now: datetime) -> None:
    """Someone saved some of these signals after the file was compared: nothing is stored.

    A row this import wrote has its new version and this import's timestamp; the others
    name the file rows in the message."""
    table = Signal.__table__
    expected = {old["id"]: (new["row"], old["version"] + 1) for new, old in changed}
    rows = []
    for chunk in chunks(sorted(expected)):
        for signal_id, version, updated_at in session.execute(
                select(table.c.id, table.c.version, table.c.updated_at)
                .where(table.c.id.in_(chunk))):
            if (version, updated_at) != (expected[signal_id][1], now):
                rows.append(expected[signal_id][0])
    listed = ", ".join(str(row) for row in sorted(rows)[:20]) or "onbekend"
    raise ConflictError(IMPORT_CONFLICT.format(rows=listed))


def _update_history(actor: Actor, filename: str, changed: Changed, reporters: dict[str, int],
                    now: datetime) -> Iterable[dict[str, Any]]:
    note = f"import {filename}"[:200]
    for new, old in changed:
        new_row = _signal_row(new, reporters)
        changes = [(c, old[c], new_row[c]) for c in STORED if new_row[c] != old[c]]
        if tuple(sorted(new["themes"])) != old["themes"]:
            changes.append(("themes", ";".join(old["themes"]), ";".join(sorted(new["themes"]))))
        for column, before, after in changes:
            text = column in TEXT_COLUMNS
            yield {"signal_id": old["id"], "at": now, "user_id": actor.user_id,
                   "action": "import", "field": column,
                   "old_value": None if text or before is None else str(before)[:200],
                   "new_value": None if text or after is None else str(after)[:200],
                   "note": note}
