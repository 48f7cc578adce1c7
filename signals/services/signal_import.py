"""Import signals from CSV/XLSX (docs/formats.md): all-or-nothing, idempotent on external_id.

The same plan backs the preview and the import: every bad row is reported with its row
number and column, and nothing is stored unless the whole file is valid. Writes are bulk
statements (no ORM object per row), so 100k rows import in seconds.

Defaults for a new signal: severity = the category's default, source, reach, reliability
and polarisation from signals/domain.py DEFAULT_*, online = no (yes when a platform is
given), status = nieuw. For an existing external_id an empty cell keeps the stored value.
A row without external_id is always a new signal (it gets a generated one). A row whose
external_id names a signal purged by retention is skipped and listed in the summary: a purge
is irreversible, so an old file can never bring back its description or reporter.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from signals.db.bulk import one_of
from signals.db.models import (
    Signal,
    SignalHistory,
    Wijk,
    signal_theme,
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
from signals.services.actor import Actor, authorise
from signals.services.bulk_signal_writes import (
    STORED,
    TEXT_COLUMNS,
    insert_signals,
    register_reporters,
    update_signals,
)
from signals.services.gc_pause import paused_gc
from signals.services.import_reporters import (
    KnownUser,
    ReporterRules,
    confirmation_error,
    load_users,
    normalise,
)
from signals.services.indicator_sync import settle
from signals.services.indicators import rebuild_from_memory
from signals.services.pii import (
    CONFIRMED_ACTION,
    PII_LABELS,
    PiiMatch,
    check_reason,
    describe,
    kinds,
    might_contain,
    scan,
)
from signals.services.plain_text import shown
from signals.services.settings import import_settings
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
MAX_FILENAME = 150  # characters of the upload's name kept in history notes and the audit log
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
    purged_rows: tuple[int, ...] = ()  # file rows of purged signals, skipped
    new_reporter_limit: int = 50  # more new reporters than this need a confirmation

    @property
    def needs_reporter_confirmation(self) -> bool:
        return len(self.new_reporters) > self.new_reporter_limit

    def purged_message(self) -> str | None:
        """Dutch notice for the preview, the result and the CLI; None when nothing skipped."""
        if not self.purged_rows:
            return None
        listed = ", ".join(str(r) for r in self.purged_rows[:20])
        more = f" en {len(self.purged_rows) - 20} meer" if len(self.purged_rows) > 20 else ""
        return (f"{len(self.purged_rows)} rijen overgeslagen (rij {listed}{more}): deze "
                "meldingen zijn volgens de bewaartermijn opgeschoond. Een opgeschoonde melding "
                "wordt nooit hersteld of bijgewerkt.")


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
    purged: list[int] = field(default_factory=list)
    new_reporter_limit: int = 50

    def summary(self) -> ImportSummary:
        rows = {row for row, _, _ in self.personal}
        return ImportSummary(self.filename, len(self.raw), len(self.new), len(self.changed),
                             self.unchanged, tuple(sorted(self.new_reporters)),
                             self.without_external_id, len(rows), tuple(self.purged),
                             self.new_reporter_limit)


@paused_gc()
def preview_import(session: Session, actor: Actor, filename: str, data: bytes,
                   progress: Progress | None = None, today: date | None = None,
                   limit: int = MAX_UPLOAD_BYTES) -> ImportPreview:
    """What an import would do, with every problem; stores nothing."""
    actor = authorise(session, actor, *IMPORT_ROLES)
    filename = shown(filename, MAX_FILENAME)
    try:
        plan = _plan(session, actor, filename, data, progress, today, limit)
    except ValidationError as exc:
        return ImportPreview(None, pd.DataFrame(), tuple(exc.errors), _personal_frame([]))
    width = len(plan.header)
    sample = pd.DataFrame([(row + [""] * width)[:width] for row in plan.raw[:20]],
                          columns=plan.header)
    return ImportPreview(plan.summary(), sample, tuple(plan.errors),
                         _personal_frame(plan.personal))


@paused_gc()
def import_signals(session: Session, actor: Actor, filename: str, data: bytes,
                   pii_reason: str | None = None, progress: Progress | None = None,
                   today: date | None = None, limit: int = MAX_UPLOAD_BYTES,
                   confirm_new_reporters: bool = False) -> ImportSummary:
    """Import the whole file or nothing; personal data needs `pii_reason` to go in, and
    more new reporters than the configured limit need `confirm_new_reporters`."""
    actor = authorise(session, actor, *IMPORT_ROLES)
    filename = shown(filename, MAX_FILENAME)  # stored in history and audit: printable only
    plan = _plan(session, actor, filename, data, progress, today, limit)
    if plan.errors:
        raise ValidationError(plan.errors)
    if len(plan.new_reporters) > plan.new_reporter_limit and not confirm_new_reporters:
        raise ValidationError([confirmation_error(len(plan.new_reporters),
                                                  plan.new_reporter_limit)])
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
    reporters = register_reporters(session, plan.new_reporters)
    created_ids, inserted = insert_signals(session, actor, filename, plan.new, reporters)
    _report(progress, 0.8, "Bestaande meldingen bijwerken")
    update_signals(session, actor, filename, plan.changed, reporters)
    _confirm_personal_data(session, actor, plan, created_ids, pii_reason)
    _report(progress, 0.9, "Weekcijfers bijwerken")
    with rebuild_from_memory(session, inserted):  # the new rows are not read back
        settle(session)  # the weekly aggregates of the touched wijk-weeks, before the audit row
    summary = plan.summary()
    audit.record(session, actor, "signalen_import", "signal", None, {
        "bestand": filename[:200], "rijen": summary.rows, "nieuw": summary.created,
        "bijgewerkt": summary.updated, "ongewijzigd": summary.unchanged,
        "nieuwe_melders": len(summary.new_reporters),
        "opgeschoond_overgeslagen": len(summary.purged_rows),
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
    table = read_table(filename, data, limit)
    header, raw = table.header, table.rows
    vocabulary = load_vocabulary(session)
    wijken = dict(session.execute(select(Wijk.code, Wijk.id)  # retired areas take no signals
                                  .where(Wijk.retired_at.is_(None))).all())
    _report(progress, 0.2, "Rijen controleren")
    parsed = parse_rows(header, raw, wijken, vocabulary.themes, table.lines, table.header_line)
    plan = _Plan(filename, header, raw, errors=list(parsed.errors),
                 new_reporter_limit=import_settings(session).max_new_reporters)
    bad_rows = {e.row for e in plan.errors}
    _report(progress, 0.35, "Vergelijken met de database")
    existing = _existing(session, [r["external_id"] for r in parsed.rows if r["external_id"]])
    for values in parsed.rows:
        values["reporter"] = normalise(values["reporter"])
    users = load_users(session, {r["reporter"] for r in parsed.rows if r["reporter"]})
    checker = _Checker(vocabulary, today or today_local())
    reporters = ReporterRules(session, users, {i: c for c, i in wijken.items()})
    for values in parsed.rows:
        values["wijk_id"] = wijken.get(values["wijk_code"] or "")
        if values["row"] in bad_rows:
            continue
        _plan_row(plan, actor, values, existing.get(values["external_id"] or ""), users,
                  checker, reporters)
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
              users: dict[str, KnownUser], checker: _Checker,
              reporters: ReporterRules) -> None:
    row = values["row"]
    if not actor.sees_all_wijken:
        outside = [w for w in (values["wijk_id"], old["wijk_id"] if old else None)
                   if w is not None and w not in actor.wijk_ids]
        if outside:
            plan.errors.append(FieldError("wijk_code", "u mag alleen importeren in uw eigen "
                                                       "wijken; deze melding valt erbuiten", row))
            return
    if old is not None and old["purged_at"] is not None:
        plan.purged.append(row)  # a purge is irreversible: never restore its fields
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
    reporter_errors = reporters.errors(merged, old, row)
    if reporter_errors:
        plan.errors.extend(reporter_errors)
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
            users: dict[str, KnownUser], vocabulary: Vocabulary) -> dict[str, Any]:
    """The row's values, with the stored value (update) or the default (new) where empty."""
    merged = values.copy()
    if old is None:
        for key in _KEEP_OR_DEFAULT:
            if merged[key] is None:  # the fixed defaults first: no call per empty cell
                merged[key] = _DEFAULTS[key] if key in _DEFAULTS \
                    else _default(key, values, vocabulary)
    else:
        for key in _KEEP_OR_DEFAULT:
            if merged[key] is None:
                merged[key] = old[key]
        if values["severity"] is None and values["category"] != old["category"]:
            merged["severity"] = vocabulary.categories.get(values["category"], old["severity"])
    if values["platform"] is None:  # the name follows its platform: kept or empty with it
        merged["platform_name"] = values["platform_name"] or (old or {}).get("platform_name")
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
    """Scan the text that would be stored anew; text already stored was checked before.

    Each distinct text is scanned once: files repeat texts (places, subtypes)."""
    found: dict[str, list[PiiMatch]] = {}
    candidates = [(merged, None) for merged in plan.new] + plan.changed
    for merged, old in candidates:
        for column in TEXT_COLUMNS:
            text = merged[column]
            if not text or (old is not None and text == old[column]):
                continue
            matches = found.get(text)
            if matches is None:
                matches = found[text] = scan(text) if might_contain(text) else []
            if matches:
                plan.personal.append((merged["row"], column, matches))
    plan.personal.sort(key=lambda item: item[0])


def _personal_frame(personal: list[tuple[int, str, list[PiiMatch]]]) -> pd.DataFrame:
    return pd.DataFrame([{"rij": row, "kolom": column, "soort": PII_LABELS[m.kind],
                          "waarde": m.value}
                         for row, column, matches in personal for m in matches],
                        columns=["rij", "kolom", "soort", "waarde"])


def _existing(session: Session, external_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Stored signals by external_id, with their themes, in the shape of a merged row."""
    if not external_ids:
        return {}
    names = ["id", "external_id", "version", "purged_at", *STORED]
    connection = session.connection()  # Core rows: the ORM layer doubled this step
    rows = connection.execute(select(*(Signal.__table__.c[name] for name in names))
                              .where(one_of(session, Signal.external_id, external_ids))).all()
    found = {row[1]: dict(zip(names, row, strict=True)) for row in rows}
    if not found:
        return found
    for values in found.values():
        values["themes"] = ()
    by_id = {values["id"]: values for values in found.values()}
    pairs = connection.execute(select(signal_theme.c.signal_id, signal_theme.c.theme_code)
                               .where(one_of(session, signal_theme.c.signal_id, list(by_id)))
                               .order_by(signal_theme.c.theme_code)).all()
    for signal_id, code in pairs:
        by_id[signal_id]["themes"] += (code,)
    return found


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
