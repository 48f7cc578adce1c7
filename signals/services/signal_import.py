"""Import signals from CSV/XLSX (docs/formats.md): all-or-nothing, idempotent on external_id.

The same plan backs the preview and the import: every bad row is reported with its row
number and column, and nothing is stored unless the whole file is valid. Writes are bulk
statements (no ORM object per row), so 100k rows import in seconds.

Defaults for a new signal: severity = the category's default, source, reach, reliability
and polarisation from signals/domain.py DEFAULT_*, online = no (yes when a platform is
given), status = nieuw. For an existing external_id an empty cell keeps the stored value.
A row without external_id is always a new signal (it gets a generated one).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from signals.db.models import (
    Credential,
    Signal,
    SignalHistory,
    User,
    UTCDateTime,
    Wijk,
    signal_theme,
    user_wijk,
    utcnow,
)
from signals.domain import (
    DEFAULT_POLARISATION,
    DEFAULT_REACH,
    DEFAULT_RELIABILITY,
    DEFAULT_SOURCE,
    NUL_MELDING,
    Role,
    Status,
)
from signals.errors import FieldError, ValidationError
from signals.services import audit
from signals.services.actor import Actor
from signals.services.indicators import rebuild_indicators, refresh_indicators
from signals.services.pii import (
    CONFIRMED_ACTION,
    PII_LABELS,
    PiiMatch,
    check_reason,
    describe,
    kinds,
    might_contain,
    scan_fields,
)
from signals.services.signal_draft import (
    MAX_SUBTYPE,
    Vocabulary,
    code_problems,
    date_problems,
    load_vocabulary,
    text_problems,
    today_local,
)
from signals.services.signal_rows import IMPORT_COLUMNS, parse_rows, read_table
from signals.services.textfiles import MAX_UPLOAD_BYTES

IMPORT_ROLES = (Role.COORDINATOR, Role.BEHEERDER)
CHUNK = 5000
REFRESH_LIMIT = 400  # more touched wijk-weeks than this: rebuild those wijken at once
STORED = ("wijk_id", "observed_on", "reporter_id", "reporter_role", "category", "subtype",
          "severity", "source", "online", "platform", "reach", "reliability", "polarisation",
          "action_date", "action_place", "status", "description")
TEXT_COLUMNS = ("description", "action_place", "subtype")
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ImportSummary:
    filename: str
    rows: int
    created: int
    updated: int
    unchanged: int
    new_reporters: tuple[str, ...]
    without_external_id: int
    personal_data_rows: int


@dataclass(frozen=True)
class ImportPreview:
    summary: ImportSummary | None
    sample: pd.DataFrame
    errors: tuple[FieldError, ...]
    personal_data: pd.DataFrame  # rij, kolom, soort, waarde

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"rij": e.row, "kolom": e.field, "melding": e.message}
                             for e in self.errors], columns=["rij", "kolom", "melding"])


@dataclass
class _Plan:
    filename: str
    header: list[str]
    raw: list[list[str]]
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    new_reporters: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    personal: list[tuple[int, str, list[PiiMatch]]] = field(default_factory=list)
    without_external_id: int = 0

    def summary(self) -> ImportSummary:
        rows = {row for row, _, _ in self.personal}
        return ImportSummary(self.filename, len(self.raw), len(self.new), len(self.changed),
                             self.unchanged, tuple(sorted(self.new_reporters)),
                             self.without_external_id, len(rows))


def preview_import(session: Session, actor: Actor, filename: str, data: bytes,
                   progress: Progress | None = None, today: date | None = None,
                   limit: int = MAX_UPLOAD_BYTES) -> ImportPreview:
    """What an import would do, with every problem; stores nothing."""
    actor.require_role(*IMPORT_ROLES)
    try:
        plan = _plan(session, actor, filename, data, progress, today, limit)
    except ValidationError as exc:
        return ImportPreview(None, pd.DataFrame(), tuple(exc.errors), _personal_frame([]))
    width = len(plan.header)
    sample = pd.DataFrame([(row + [""] * width)[:width] for row in plan.raw[:20]],
                          columns=plan.header)
    return ImportPreview(plan.summary(), sample, tuple(plan.errors),
                         _personal_frame(plan.personal))


def import_signals(session: Session, actor: Actor, filename: str, data: bytes,
                   pii_reason: str | None = None, progress: Progress | None = None,
                   today: date | None = None, limit: int = MAX_UPLOAD_BYTES) -> ImportSummary:
    """Import the whole file or nothing; personal data needs `pii_reason` to go in."""
    actor.require_role(*IMPORT_ROLES)
    plan = _plan(session, actor, filename, data, progress, today, limit)
    if plan.errors:
        raise ValidationError(plan.errors)
    if plan.personal:
        if not pii_reason:
            raise ValidationError([
                FieldError(column, describe(matches), row)
                for row, column, matches in plan.personal])
        check_reason(pii_reason)
    _report(progress, 0.6, "Opslaan")
    if session.get_bind().dialect.name == "sqlite":
        # A bigger page cache for this connection: the indexes of a big import stay in memory.
        session.connection().exec_driver_sql("PRAGMA cache_size=-65536")
    reporters = _register_reporters(session, plan.new_reporters)
    created_ids = _insert_new(session, actor, plan, reporters)
    _report(progress, 0.8, "Bestaande meldingen bijwerken")
    _update_changed(session, actor, plan, reporters)
    _confirm_personal_data(session, actor, plan, created_ids, pii_reason)
    _report(progress, 0.9, "Weekcijfers bijwerken")
    _refresh(session, plan)
    summary = plan.summary()
    audit.record(session, actor, "signalen_import", "signal", None, {
        "bestand": filename[:200], "rijen": summary.rows, "nieuw": summary.created,
        "bijgewerkt": summary.updated, "ongewijzigd": summary.unchanged,
        "nieuwe_melders": len(summary.new_reporters),
        "persoonsgegevens_bevestigd": summary.personal_data_rows})
    _report(progress, 1.0, "Klaar")
    return summary


def _report(progress: Progress | None, fraction: float, text: str) -> None:
    if progress is not None:
        progress(fraction, text)


# --- planning -----------------------------------------------------------------------------

def _plan(session: Session, actor: Actor, filename: str, data: bytes,
          progress: Progress | None, today: date | None, limit: int) -> _Plan:
    _report(progress, 0.05, "Bestand lezen")
    header, raw = read_table(filename, data, limit)
    vocabulary = load_vocabulary(session)
    wijken = dict(session.execute(select(Wijk.code, Wijk.id)  # retired areas take no signals
                                  .where(Wijk.retired_at.is_(None))).all())
    _report(progress, 0.2, "Rijen controleren")
    parsed = parse_rows(header, raw, wijken, vocabulary.themes)
    plan = _Plan(filename, header, raw, errors=list(parsed.errors))
    bad_rows = {e.row for e in plan.errors}
    _report(progress, 0.35, "Vergelijken met de database")
    existing = _existing(session, [r["external_id"] for r in parsed.rows if r["external_id"]])
    users = _users(session, {r["reporter"] for r in parsed.rows if r["reporter"]})
    checker = _Checker(vocabulary, today or today_local())
    for values in parsed.rows:
        values["wijk_id"] = wijken.get(values["wijk_code"] or "")
        if values["row"] in bad_rows:
            continue
        _plan_row(plan, actor, values, existing.get(values["external_id"] or ""), users,
                  checker)
    _fill_new_reporter_roles(plan)
    _personal_data(plan)
    plan.errors.sort(key=lambda e: (e.row or 0, IMPORT_COLUMNS.index(e.field)
                                    if e.field in IMPORT_COLUMNS else -1))
    return plan


class _Checker:
    """check_draft for many rows: each distinct combination of codes or dates once."""

    def __init__(self, vocabulary: Vocabulary, today: date) -> None:
        self.vocabulary = vocabulary
        self.today = today
        self.codes: dict[tuple, list[tuple[str, str]]] = {}
        self.dates: dict[tuple, list[tuple[str, str]]] = {}

    def problems(self, m: dict[str, Any]) -> list[tuple[str, str]]:
        key = (m["category"], m["severity"], m["themes"], m["source"], m["reach"],
               m["reliability"], m["polarisation"], m["platform"], m["online"])
        codes = self.codes.get(key)
        if codes is None:
            codes = self.codes[key] = code_problems(*key, self.vocabulary)
        key = (m["observed_on"], m["action_date"])
        dates = self.dates.get(key)
        if dates is None:
            dates = self.dates[key] = date_problems(*key, self.today)
        description, subtype, place = m["description"] or "", m["subtype"] or "", \
            m["action_place"] or ""
        if len(description) <= MAX_SUBTYPE and len(subtype) <= MAX_SUBTYPE \
                and len(place) <= MAX_SUBTYPE:
            return codes + dates  # short texts always pass the length checks
        texts = text_problems(m["category"], description, subtype, place,
                              require_description=False)
        return [*codes, *dates, *texts]


def _plan_row(plan: _Plan, actor: Actor, values: dict[str, Any], old: dict[str, Any] | None,
              users: dict[str, tuple[int, str | None]], checker: _Checker) -> None:
    row = values["row"]
    if not actor.sees_all_wijken:
        outside = [w for w in (values["wijk_id"], old["wijk_id"] if old else None)
                   if w is not None and w not in actor.wijk_ids]
        if outside:
            plan.errors.append(FieldError("wijk_code", "u mag alleen importeren in uw eigen "
                                                       "wijken; deze melding valt erbuiten", row))
            return
    if old is None and values["reporter"] is None:
        plan.errors.append(FieldError("reporter", "verplicht; vul de gebruikersnaam van de "
                                                  "melder in", row))
        return
    merged = _merged(values, old, users, checker.vocabulary)
    problems = checker.problems(merged)
    if problems:
        plan.errors.extend(FieldError(column, message, row) for column, message in problems)
        return
    if merged["reporter_id"] is None and merged["reporter"] is not None:
        reporter = plan.new_reporters.setdefault(
            values["reporter"], {"reporter_role": merged["reporter_role"], "wijken": set()})
        reporter["wijken"].add(merged["wijk_id"])
        reporter["reporter_role"] = reporter["reporter_role"] or merged["reporter_role"]
    if old is None:
        if values["external_id"] is None:
            plan.without_external_id += 1
            merged["external_id"] = f"imp-{uuid.uuid4().hex}"
        plan.new.append(merged)
    elif _differs(merged, old):
        plan.changed.append((merged, old))
    else:
        plan.unchanged += 1


def _fill_new_reporter_roles(plan: _Plan) -> None:
    """A new reporter's rows without a role get the role the file gives elsewhere."""
    for merged in [*plan.new, *(new for new, _ in plan.changed)]:
        if merged["reporter"] in plan.new_reporters and merged["reporter_role"] is None:
            merged["reporter_role"] = plan.new_reporters[merged["reporter"]]["reporter_role"]


_KEEP_OR_DEFAULT = ("subtype", "themes", "source", "online", "platform", "reach",
                    "reliability", "polarisation", "action_date", "action_place", "status",
                    "description", "severity")


def _merged(values: dict[str, Any], old: dict[str, Any] | None,
            users: dict[str, tuple[int, str | None]], vocabulary: Vocabulary) -> dict[str, Any]:
    """The row's values, with the stored value (update) or the default (new) where empty."""
    merged = values.copy()
    if old is None:
        for key in _KEEP_OR_DEFAULT:
            if merged[key] is None:
                merged[key] = _default(key, values, vocabulary)
    else:
        for key in _KEEP_OR_DEFAULT:
            if merged[key] is None:
                merged[key] = old[key]
        if values["severity"] is None and values["category"] != old["category"]:
            merged["severity"] = vocabulary.categories.get(values["category"], old["severity"])
    user = users.get(values["reporter"] or "")
    kept = old is not None and values["reporter"] is None  # e.g. purged by retention
    merged["reporter_id"] = old["reporter_id"] if kept else (user[0] if user else None)
    merged["reporter_role"] = values["reporter_role"] or (
        old["reporter_role"] if kept else (user[1] if user else None))
    return merged


def _default(key: str, values: dict[str, Any], vocabulary: Vocabulary) -> Any:
    """The documented defaults of a new signal (signals/domain.py DEFAULT_*)."""
    if key == "severity":
        return 0 if values["category"] == NUL_MELDING \
            else vocabulary.categories.get(values["category"] or "", 1)
    if key == "online":
        return values["platform"] is not None or values["source"] == "online"
    return _DEFAULTS[key]


_DEFAULTS: dict[str, Any] = {
    "subtype": None, "themes": (), "source": DEFAULT_SOURCE, "platform": None,
    "reach": DEFAULT_REACH, "reliability": DEFAULT_RELIABILITY,
    "polarisation": DEFAULT_POLARISATION, "action_date": None, "action_place": None,
    "status": Status.NIEUW.value, "description": None,
}


def _differs(merged: dict[str, Any], old: dict[str, Any]) -> bool:
    return any(merged[k] != old[k] for k in STORED) or \
        tuple(sorted(merged["themes"])) != old["themes"]


def _personal_data(plan: _Plan) -> None:
    """Scan the text that would be stored anew; text already stored was checked before."""
    candidates = [(merged, None) for merged in plan.new] + plan.changed
    for merged, old in candidates:
        texts = {c: merged[c] for c in TEXT_COLUMNS
                 if merged[c] and (old is None or merged[c] != old[c]) and might_contain(merged[c])}
        for column, matches in scan_fields(texts).items():
            plan.personal.append((merged["row"], column, matches))
    plan.personal.sort(key=lambda item: item[0])


def _personal_frame(personal: list[tuple[int, str, list[PiiMatch]]]) -> pd.DataFrame:
    return pd.DataFrame([{"rij": row, "kolom": column, "soort": PII_LABELS[m.kind],
                          "waarde": m.value}
                         for row, column, matches in personal for m in matches],
                        columns=["rij", "kolom", "soort", "waarde"])


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing(session: Session, external_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Stored signals by external_id, with their themes, in the shape of a merged row."""
    found: dict[str, dict[str, Any]] = {}
    columns = [Signal.id, Signal.external_id, Signal.version,
               *(getattr(Signal, c) for c in STORED)]
    for chunk in _chunks(sorted(set(external_ids))):
        for row in session.execute(select(*columns).where(Signal.external_id.in_(chunk))):
            found[row.external_id] = dict(row._mapping) | {"themes": ()}
    by_id = {values["id"]: values for values in found.values()}
    for chunk in _chunks(sorted(by_id)):
        pairs = session.execute(select(signal_theme.c.signal_id, signal_theme.c.theme_code)
                                .where(signal_theme.c.signal_id.in_(chunk))
                                .order_by(signal_theme.c.theme_code))
        for signal_id, code in pairs:
            by_id[signal_id]["themes"] += (code,)
    return found


def _users(session: Session, usernames: set[str]) -> dict[str, tuple[int, str | None]]:
    users: dict[str, tuple[int, str | None]] = {}
    for chunk in _chunks(sorted(usernames)):
        for row in session.execute(select(User.username, User.id, User.reporter_role)
                                   .where(User.username.in_(chunk))):
            users[row.username] = (row.id, row.reporter_role)
    return users


# --- writing ------------------------------------------------------------------------------

def _register_reporters(session: Session, new: dict[str, dict[str, Any]]) -> dict[str, int]:
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
    _bulk_insert(session, user_wijk, [
        {"user_id": by_name[name], "wijk_id": wijk_id}
        for name in names for wijk_id in sorted(new[name]["wijken"])])
    return by_name


def _signal_row(values: dict[str, Any], reporters: dict[str, int]) -> dict[str, Any]:
    row = {c: values[c] for c in STORED}
    if row["reporter_id"] is None and values["reporter"] is not None:
        row["reporter_id"] = reporters[values["reporter"]]
    return row


def _insert_new(session: Session, actor: Actor, plan: _Plan,
                reporters: dict[str, int]) -> dict[int, int]:
    """Bulk insert; returns file row number -> new signal id."""
    if not plan.new:
        return {}
    now = utcnow()
    rows = [_signal_row(values, reporters) | {
        "external_id": values["external_id"], "created_at": now, "updated_at": now,
        "created_by_id": actor.user_id, "version": 1} for values in plan.new]
    # A Core executemany on the table (the ORM bulk path splits rows by their None values
    # into many small statements), then the new ids in one query: every id above the
    # highest one before the insert, matched on the (unique) external_id.
    table = Signal.__table__
    before = session.scalar(select(func.max(table.c.id))) or 0
    _bulk_insert(session, table, rows)
    wanted = {values["external_id"] for values in plan.new}
    by_external = {external_id: signal_id for signal_id, external_id in session.execute(
        select(table.c.id, table.c.external_id).where(table.c.id > before))
        if external_id in wanted}
    ids = [by_external[values["external_id"]] for values in plan.new]
    created = {values["row"]: signal_id for values, signal_id in zip(plan.new, ids, strict=True)}
    themes = [{"signal_id": signal_id, "theme_code": code}
              for values, signal_id in zip(plan.new, ids, strict=True)
              for code in values["themes"]]
    if themes:
        _bulk_insert(session, signal_theme, themes)
    _creation_history(session, actor, plan.filename, now, before, wanted)
    return created


def _bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """A bulk insert on the driver itself (SQLite executemany, PostgreSQL COPY).

    Core's per-row parameter processing doubled the cost of 100k-row imports. SQLite gets
    the values the way SQLAlchemy stores them (ISO dates, UTC timestamps as text, booleans
    as 0/1); PostgreSQL gets COPY, and psycopg adapts the Python values itself.
    """
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("sqlite", "postgresql") or not rows:
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    values = [[row[c] for row in rows] for c in columns]
    if dialect.name == "sqlite":
        for position, name in enumerate(columns):
            convert = _sqlite_converter(table.c[name].type)
            if convert is not None:  # once per distinct value: dates and timestamps repeat
                stored = {v: convert(v) for v in set(values[position]) if v is not None}
                stored[None] = None
                values[position] = [stored[v] for v in values[position]]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if dialect.name == "postgresql":  # COPY: far fewer round trips than executemany
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, \
                cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in zip(*values, strict=True):
                copy.write_row(row)
        return
    placeholder = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (f"INSERT INTO {quote(table.name)} ({names}) "  # noqa: S608 - schema names
                 f"VALUES ({', '.join([placeholder] * len(columns))})")
    connection.exec_driver_sql(statement, list(zip(*values, strict=True)))


def _sqlite_converter(column_type: object) -> Callable[[Any], Any] | None:
    if isinstance(column_type, UTCDateTime):
        return lambda v: v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(column_type, Date):
        return date.isoformat
    if isinstance(column_type, Boolean):
        return int
    return None


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


def _update_changed(session: Session, actor: Actor, plan: _Plan,
                    reporters: dict[str, int]) -> None:
    if not plan.changed:
        return
    now = utcnow()
    table = Signal.__table__
    statement = (update(table).where(table.c.id == bindparam("b_id"),
                                     table.c.version == bindparam("b_version"))
                 .values(**{c: bindparam(c) for c in STORED},
                         version=bindparam("new_version"), updated_at=bindparam("now")))
    params = [_signal_row(new, reporters) | {"b_id": old["id"], "b_version": old["version"],
                                             "new_version": old["version"] + 1, "now": now}
              for new, old in plan.changed]
    session.connection().execute(statement, params)
    changed_themes = [(new, old) for new, old in plan.changed
                      if tuple(sorted(new["themes"])) != old["themes"]]
    for chunk in _chunks([old["id"] for _, old in changed_themes]):
        session.execute(delete(signal_theme).where(signal_theme.c.signal_id.in_(chunk)))
    themes = [{"signal_id": old["id"], "theme_code": code}
              for new, old in changed_themes for code in new["themes"]]
    if themes:
        session.execute(insert(signal_theme), themes)
    session.execute(insert(SignalHistory.__table__),
                    list(_update_history(actor, plan, reporters, now)))


def _update_history(actor: Actor, plan: _Plan, reporters: dict[str, int],
                    now: datetime) -> Iterable[dict[str, Any]]:
    note = f"import {plan.filename}"[:200]
    for new, old in plan.changed:
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


def _confirm_personal_data(session: Session, actor: Actor, plan: _Plan,
                           created: dict[int, int], reason: str | None) -> None:
    if not plan.personal or not reason:
        return
    ids = created | {new["row"]: old["id"] for new, old in plan.changed}
    by_row: dict[int, dict[str, list[PiiMatch]]] = defaultdict(dict)
    for row, column, matches in plan.personal:
        if row in ids:
            by_row[row][column] = matches
    now = utcnow()
    session.execute(insert(SignalHistory.__table__), [
        {"signal_id": ids[row], "at": now, "user_id": actor.user_id, "action": CONFIRMED_ACTION,
         "field": ",".join(sorted(found))[:40], "old_value": None,
         "new_value": ",".join(kinds(found))[:200], "note": reason.strip()}
        for row, found in by_row.items()])
    all_kinds = sorted({k for found in by_row.values() for k in kinds(found)})
    audit.record(session, actor, CONFIRMED_ACTION, "signal", None,
                 {"bestand": plan.filename[:200], "rijen": len(by_row), "soorten": all_kinds})


def _refresh(session: Session, plan: _Plan) -> None:
    touched = {(v["wijk_id"], v["observed_on"]) for v in plan.new}
    for new, old in plan.changed:
        touched |= {(new["wijk_id"], new["observed_on"]), (old["wijk_id"], old["observed_on"])}
    weeks = {(w, d.toordinal() - d.weekday()) for w, d in touched}
    if len(weeks) > REFRESH_LIMIT:
        # Rows W and W+1 of every touched week W: only that period is recomputed.
        mondays = [date.fromordinal(day) for _, day in weeks]
        rebuild_indicators(session, wijk_ids=sorted({w for w, _ in touched}),
                           first=min(mondays), last=max(mondays) + timedelta(weeks=1))
    elif touched:
        refresh_indicators(session, touched)
