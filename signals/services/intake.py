"""Intake by key figures: log a signal, the weekly nul-melding, and their own signals.

A key figure sees and edits only their own signals, and only while the status is `nieuw`;
a signal of someone else is reported as not found, so its existence is not revealed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import cache

import pandas as pd
from sqlalchemy import (
    BindParameter,
    Executable,
    Insert,
    Row,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from signals.db.models import (
    AuditEvent,
    CategoryRow,
    Signal,
    SignalFeedback,
    SignalHistory,
    Theme,
    User,
    Wijk,
    signal_theme,
    user_wijk,
    utcnow,
)
from signals.db.uow import precompile, reads_before_write
from signals.domain import (
    CATEGORY_BY_CODE,
    NUL_MELDING,
    REPORTER_STATUS_LABELS,
    STATUS_LABELS,
    Role,
    Status,
)
from signals.errors import (
    ConflictError,
    DomainError,
    FieldError,
    NotFoundError,
    ValidationError,
)
from signals.services import audit
from signals.services.actor import Actor, authorise, forget_authorised
from signals.services.indicator_sync import mark_touched, prepare_settle
from signals.services.pii import PiiConfirmation, PiiMatch, require_confirmed
from signals.services.pii import values as pii_values
from signals.services.plain_text import normalise_newlines
from signals.services.signal_draft import (
    SignalDraft,
    Vocabulary,
    check_draft,
    dutch_date,
    effective_severity,
    is_call,
    load_vocabulary,
    reference,
    today_local,
)
from signals.services.signal_history import (
    add_history,
    add_history_now,
    prepare_history_now,
    record_confirmation,
)

REPORTING_ROLES = (Role.SLEUTELFIGUUR, Role.COORDINATOR, Role.BEHEERDER)
CONFLICT_MESSAGE = ("Deze melding is intussen door iemand anders gewijzigd. Uw wijziging is "
                    "niet opgeslagen; open de melding opnieuw en kijk wat er veranderd is.")
CHANGED_MESSAGE = ("Er veranderde intussen iets aan uw account, de wijk of de categorieën. Er "
                   "is niets opgeslagen; probeer het opnieuw.")
NOT_EDITABLE = ("Deze melding wordt al beoordeeld (status: {status}) en kan niet meer worden "
                "gewijzigd. Neem zo nodig contact op met uw coördinator.")
# The draft attributes stored one-to-one on Signal (themes and severity are handled apart).
_PLAIN_FIELDS = ("wijk_id", "observed_on", "category", "source", "online", "platform", "reach",
                 "reliability", "polarisation", "action_date")
_TEXT_FIELDS = ("description", "subtype", "action_place")


@dataclass(frozen=True)
class SavedSignal:
    id: int
    reference: str
    version: int


@dataclass(frozen=True)
class NulMeldingResult:
    created: bool
    reference: str
    week: str  # "week 11"
    wijk_name: str


@dataclass(frozen=True)
class OwnSignal:
    id: int
    reference: str
    version: int
    status: str
    draft: SignalDraft

    @property
    def editable(self) -> bool:
        return self.status == Status.NIEUW and self.draft.category != NUL_MELDING


def create_signal(session: Session, actor: Actor, draft: SignalDraft,
                  confirmation: PiiConfirmation | None = None,
                  today: date | None = None) -> SavedSignal:
    """Check and store a new signal; personal data must be gone or confirmed first.

    The reads and checks run before the writes, outside SQLite's write turn when this is the
    first thing the transaction does (uow.reads_before_write). The INSERT itself verifies
    in the transaction that what they relied on still holds (the account, its role and
    wijk, the open wijk, the active category and themes); if not, the checks run again
    inside the transaction and refuse with the current reason.
    """
    with reads_before_write(session) as reader:
        plan = _plan_new(reader, actor, draft, confirmation, today)
        _prepare_writes(reader, plan)
    now = utcnow()
    # PostgreSQL: the theme, history and audit rows go in the INSERT's statement (one round
    # trip); SQLite runs in-process, where separate statements cost no round trips.
    together = session.get_bind().dialect.name == "postgresql"
    signal_id = _insert_new(session, plan, now, together)
    if signal_id is None:  # something changed since the reads: decide again, inside
        _remembered(session).forget()
        forget_authorised(session)
        plan = _plan_new(session, actor, draft, confirmation, today, remembered=False)
        signal_id = _insert_new(session, plan, now, together)
        if signal_id is None:  # PostgreSQL: changed again between two statements
            raise ConflictError(CHANGED_MESSAGE)
    draft, actor = plan.draft, plan.actor
    mark_touched(session, ((draft.wijk_id, draft.observed_on),))
    if not together:
        if draft.themes:
            session.connection().execute(_INSERT_THEME, [
                {"signal_id": signal_id, "theme_code": code} for code in sorted(draft.themes)])
        add_history_now(session, actor, signal_id, _CREATED, "status", None, _NIEUW, at=now)
        audit.record_now(session, actor, _REPORTED_ACTION, "signal", signal_id,
                         _audit_details(draft), at=now)
    if plan.found and confirmation is not None:
        record_confirmation(session, actor, signal_id, plan.found, confirmation.reason)
    return SavedSignal(signal_id, reference(signal_id), 1)


_CREATED, _NIEUW = "aangemaakt", Status.NIEUW.value
_REPORTED_ACTION = "signaal_gemeld"  # the audit action (its Dutch label: audit_labels.py)


def _audit_details(draft: SignalDraft) -> dict[str, object]:
    return {"wijk_id": draft.wijk_id, "categorie": draft.category}


@dataclass(frozen=True)
class _NewSignal:
    """A checked new signal and what the checks read (verified again by the INSERT)."""

    actor: Actor  # as the database knew it
    draft: SignalDraft  # normalised
    severity: int
    default_severity: int | None  # the category's, when the severity came from it
    found: dict[str, list[PiiMatch]]


def _plan_new(session: Session, actor: Actor, draft: SignalDraft,
              confirmation: PiiConfirmation | None, today: date | None,
              remembered: bool = True) -> _NewSignal:
    """Authorise (always read), normalise and check a new signal.

    With ``remembered`` the wijk and the vocabulary come from what this process read last
    (``_Remembered``): the INSERT verifies them in the transaction anyway. A refusal is
    never based on them: the checks then run again on fresh reads.
    """
    actor = authorise(session, actor, *REPORTING_ROLES)
    draft = _normalised(draft)
    if remembered:
        known = _remembered(session)
        try:
            return _checked(actor, draft, confirmation, today, known.wijk(session, draft.wijk_id),
                            known.vocabulary(session))
        except DomainError:
            known.forget()
    return _checked(actor, draft, confirmation, today, _wijk_row(session, draft.wijk_id),
                    load_vocabulary(session))


def _checked(actor: Actor, draft: SignalDraft, confirmation: PiiConfirmation | None,
             today: date | None, wijk: Row | None, vocabulary: Vocabulary) -> _NewSignal:
    _check_wijk(actor, draft.wijk_id, wijk)
    _check(draft, vocabulary, today)
    found = require_confirmed(draft.free_text(), confirmation)
    default = vocabulary.categories[draft.category] if draft.severity is None else None
    return _NewSignal(actor, draft, effective_severity(draft, vocabulary), default, found)


class _Remembered:
    """The wijken and vocabulary of one database as this process last read them.

    Used only for the checks before a new signal's INSERT, which verifies in its own
    transaction what they said (open wijk, active category and default severity, active
    themes); when that fails, the save reads them again. Saves two queries per save.
    """

    def __init__(self) -> None:
        self._wijken: dict[int, Row | None] = {}
        self._vocabulary: Vocabulary | None = None

    def wijk(self, session: Session, wijk_id: int) -> Row | None:
        if wijk_id not in self._wijken:
            self._wijken[wijk_id] = _wijk_row(session, wijk_id)
        return self._wijken[wijk_id]

    def vocabulary(self, session: Session) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary(session)
        return self._vocabulary

    def forget(self) -> None:
        self._wijken.clear()
        self._vocabulary = None


_REMEMBERED: dict[object, _Remembered] = {}


def _remembered(session: Session) -> _Remembered:
    url = session.get_bind().url
    known = _REMEMBERED.get(url)
    if known is None:
        known = _REMEMBERED[url] = _Remembered()
    return known


_PREPARED: set[tuple] = set()  # (database URL, INSERT shape) compiled in this process


def _prepare_writes(session: Session, plan: _NewSignal) -> None:
    """Before the write turn, once per process and shape: compile the statements the save
    will run and load what the settle step needs, so a process's first save does not do
    that inside SQLite's write turn while other writers wait."""
    engine = session.get_bind()
    together = engine.dialect.name == "postgresql"
    statement, values = _insert_new_statement(plan, utcnow(), together)
    if (engine.url, statement) in _PREPARED:
        return
    prepare_settle(session)
    precompile(engine, statement, values)
    if not together:
        precompile(engine, _INSERT_THEME, [{"signal_id": 0, "theme_code": ""}])
        prepare_history_now(engine)
        audit.prepare_record_now(engine)
    _PREPARED.add((engine.url, statement))


_INSERT_THEME = insert(signal_theme)


def _insert_new(session: Session, plan: _NewSignal, now: datetime,
                together: bool = False) -> int | None:
    """INSERT the signal if what the plan read still holds; its id, else None. With
    ``together`` its theme, history and audit rows are in the same statement."""
    statement, values = _insert_new_statement(plan, now, together)
    return session.connection().execute(statement, values).scalar()


def _insert_new_statement(plan: _NewSignal, now: datetime,
                          together: bool = False) -> tuple[Executable, dict]:
    actor, draft = plan.actor, plan.draft
    shape = (actor.user_id is not None, not actor.sees_all_wijken,
             plan.default_severity is not None, len(draft.themes))
    statement = _insert_with_rows(*shape) if together else _insert_statement(*shape)
    values = {f"v_{name}": getattr(draft, name) for name in _PLAIN_FIELDS}
    values |= {f"v_{name}": getattr(draft, name) or None for name in _TEXT_FIELDS}
    values |= {
        "v_external_id": f"ws-{uuid.uuid4().hex}", "v_reporter_id": actor.user_id,
        "v_created_by_id": actor.user_id, "v_status": Status.NIEUW.value,
        "v_severity": plan.severity, "v_created_at": now, "v_updated_at": now, "v_version": 1,
        "role": actor.role.value, "username": actor.username,
        "default_severity": plan.default_severity, "details": _audit_details(draft)}
    values |= {f"theme{n}": code for n, code in enumerate(sorted(draft.themes))}
    return statement, values


_INSERTED = (*_PLAIN_FIELDS, *_TEXT_FIELDS, "external_id", "reporter_id", "created_by_id",
             "status", "severity", "created_at", "updated_at", "version")


@cache
def _insert_statement(user: bool, scoped: bool, default_severity: bool,
                      themes: int) -> Insert:
    """INSERT … SELECT the values WHERE the plan's reads still hold … RETURNING the id.

    Built once per shape: building and compiling it costs more than running it.
    """
    table, users, wijken = Signal.__table__, User.__table__, Wijk.__table__
    values = _VALUES
    wijk_id, user_id = values["wijk_id"], values["reporter_id"]
    category = CategoryRow.__table__
    holds = [
        exists().where(wijken.c.id == wijk_id, wijken.c.retired_at.is_(None)),
        exists().where(category.c.code == values["category"], category.c.active.is_(True),
                       *([category.c.default_severity == bindparam("default_severity")]
                         if default_severity else [])),
    ]
    if user:
        holds.append(exists().where(users.c.id == user_id, users.c.active.is_(True),
                                    users.c.role == bindparam("role"),
                                    users.c.username == _USERNAME))
    if user and scoped:
        holds.append(exists().where(user_wijk.c.user_id == user_id,
                                    user_wijk.c.wijk_id == wijk_id))
    if themes:
        theme = Theme.__table__
        holds.append(select(func.count()).where(
            theme.c.code.in_(_themes(themes)),
            theme.c.active.is_(True))
            .scalar_subquery() == themes)
    reporter_role = select(users.c.reporter_role).where(users.c.id == user_id) \
        .scalar_subquery()
    names = [*_INSERTED, "reporter_role"]
    source = select(*(values[name] for name in _INSERTED), reporter_role).where(*holds)
    return insert(table).from_select(names, source).returning(table.c.id)


_VALUES = {name: bindparam(f"v_{name}", type_=Signal.__table__.c[name].type)
           for name in _INSERTED}
_USERNAME = bindparam("username", type_=String(80))


@cache
def _themes(count: int) -> list[BindParameter]:
    return [bindparam(f"theme{n}", type_=String(40)) for n in range(count)]


@cache
def _insert_with_rows(user: bool, scoped: bool, default_severity: bool,
                      themes: int) -> Select:
    """``_insert_statement`` with the signal's theme rows, its "aangemaakt" history row and
    its audit row as data-modifying CTEs (PostgreSQL): one statement. They select from the
    inserted row, so when the INSERT's check fails, nothing is written at all."""
    signal = _insert_statement(user, scoped, default_severity, themes).cte("new_signal")
    new_id, at, user_id = signal.c.id, _VALUES["created_at"], _VALUES["reporter_id"]
    history, events = SignalHistory.__table__, AuditEvent.__table__
    writes = [
        insert(history).from_select(
            ["signal_id", "at", "user_id", "action", "field", "new_value"],
            select(new_id, at, user_id, literal(_CREATED), literal("status"),
                   literal(_NIEUW))).cte("new_history"),
        insert(events).from_select(
            ["at", "user_id", "username", "action", "object_type", "object_id", "details"],
            select(at, user_id, _USERNAME, literal(_REPORTED_ACTION), literal("signal"),
                   cast(new_id, String(80)),
                   bindparam("details", type_=events.c.details.type))).cte("new_audit"),
    ]
    if themes:
        theme = Theme.__table__
        writes.append(insert(signal_theme).from_select(
            ["signal_id", "theme_code"],
            select(new_id, theme.c.code).select_from(signal).join(theme, true())
            .where(theme.c.code.in_(_themes(themes))))
            .cte("new_themes"))
    return select(new_id).add_cte(*writes)


class NulMeldingAfterSignal(DomainError):
    """A nul-melding while the key figure reported a real signal in that wijk this week."""

    def __init__(self, wijk_name: str, signal_reference: str) -> None:
        super().__init__(f"U meldde deze week in {wijk_name} al een signaal ({signal_reference}). "
                         "Weet u het zeker dat er niets bijzonders is?")
        self.signal_reference = signal_reference


def _week_of(today: date) -> tuple[date, date, str]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=7), f"week {today.isocalendar().week}"


def _own_this_week(actor: Actor, wijk_id: int, monday: date, next_monday: date,
                   nul: bool) -> Select:
    kind = Signal.category == NUL_MELDING if nul else Signal.category != NUL_MELDING
    return select(Signal.id).where(
        Signal.reporter_id == actor.user_id, Signal.wijk_id == wijk_id, kind,
        Signal.observed_on >= monday, Signal.observed_on < next_monday
    ).order_by(Signal.id.desc()).limit(1)


def record_nul_melding(session: Session, actor: Actor, wijk_id: int,
                       today: date | None = None, confirmed: bool = False) -> NulMeldingResult:
    """The weekly "nothing special" report; a second one in the same ISO week is not stored.

    After the key figure's own real signal in that wijk and week it is stored only when
    `confirmed` (NulMeldingAfterSignal asks first): "nothing special" would contradict it.
    """
    actor = authorise(session, actor, Role.SLEUTELFIGUUR)
    wijk = _require_wijk(session, actor, wijk_id)
    today = today or today_local()
    monday, next_monday, week = _week_of(today)
    existing = session.scalar(_own_this_week(actor, wijk_id, monday, next_monday, nul=True))
    if existing is not None:
        return NulMeldingResult(False, reference(existing), week, wijk.name)
    real = session.scalar(_own_this_week(actor, wijk_id, monday, next_monday, nul=False))
    if real is not None and not confirmed:
        raise NulMeldingAfterSignal(wijk.name, reference(real))
    saved = create_signal(session, actor, SignalDraft(wijk_id=wijk_id, observed_on=today,
                                                      category=NUL_MELDING, severity=0),
                          today=today)
    return NulMeldingResult(True, saved.reference, week, wijk.name)


def own_nul_meldingen(session: Session, actor: Actor,
                      today: date | None = None) -> dict[int, str]:
    """This ISO week's own nul-meldingen: wijk id -> reference (the ones that can be undone)."""
    actor = authorise(session, actor, Role.SLEUTELFIGUUR)
    monday, next_monday, _ = _week_of(today or today_local())
    rows = session.execute(select(Signal.wijk_id, Signal.id).where(
        Signal.reporter_id == actor.user_id, Signal.category == NUL_MELDING,
        Signal.observed_on >= monday, Signal.observed_on < next_monday)).all()
    return {wijk_id: reference(signal_id) for wijk_id, signal_id in rows}


def withdraw_nul_melding(session: Session, actor: Actor, wijk_id: int,
                         today: date | None = None) -> str:
    """Undo the key figure's own nul-melding of this ISO week in the wijk; its reference.

    Only within the same week: after that the week's reporting rate is settled. The signal
    is deleted (the weekly aggregates follow); the audit log keeps that it was withdrawn.
    """
    actor = authorise(session, actor, Role.SLEUTELFIGUUR)
    wijk = _require_wijk(session, actor, wijk_id)
    monday, next_monday, week = _week_of(today or today_local())
    signal_id = session.scalar(_own_this_week(actor, wijk_id, monday, next_monday, nul=True))
    if signal_id is None:
        raise NotFoundError(f"U heeft in {week} geen nul-melding voor {wijk.name} die u kunt "
                            "intrekken.")
    signal = session.get(Signal, signal_id)
    audit.record(session, actor, "nul_melding_ingetrokken", "signal", signal_id,
                 {"wijk_id": wijk_id, "week": monday.isoformat()})
    session.delete(signal)
    return reference(signal_id)


def own_signals(session: Session, actor: Actor) -> pd.DataFrame:
    """The actor's own signals, newest first, with what became of them in plain Dutch and
    the coordinator's message to them (terugkoppeling); never anyone else's."""
    actor = authorise(session, actor)
    rows = session.execute(
        select(Signal.id, Signal.observed_on, Wijk.name, Signal.category, Signal.severity,
               Signal.status, Signal.description, SignalFeedback.message)
        .join(Wijk, Wijk.id == Signal.wijk_id)
        .outerjoin(SignalFeedback, SignalFeedback.signal_id == Signal.id)
        .where(Signal.reporter_id == actor.user_id)
        .order_by(Signal.observed_on.desc(), Signal.id.desc())).all()
    frame = pd.DataFrame([{
        "id": r.id, "referentie": reference(r.id), "datum": dutch_date(r.observed_on),
        "wijk": r.name, "categorie": CATEGORY_BY_CODE[r.category].label
        if r.category in CATEGORY_BY_CODE else r.category,
        "ernst": r.severity, "status": REPORTER_STATUS_LABELS.get(Status(r.status), r.status),
        "terugkoppeling": r.message or "",
        "beschrijving": (r.description or "")[:120],
        "bewerkbaar": r.status == Status.NIEUW and r.category != NUL_MELDING,
    } for r in rows], columns=["id", "referentie", "datum", "wijk", "categorie", "ernst",
                               "status", "terugkoppeling", "beschrijving", "bewerkbaar"])
    return frame


def own_signal(session: Session, actor: Actor, signal_id: int) -> OwnSignal:
    actor = authorise(session, actor)
    signal = _own(session, actor, signal_id)
    return OwnSignal(signal.id, reference(signal.id), signal.version, signal.status,
                     _draft_of(signal))


def update_own_signal(session: Session, actor: Actor, signal_id: int, draft: SignalDraft,
                      expected_version: int, confirmation: PiiConfirmation | None = None,
                      today: date | None = None) -> SavedSignal:
    """Edit an own signal while it is `nieuw`; stale versions raise ConflictError."""
    actor = authorise(session, actor)
    signal = _own(session, actor, signal_id)
    if signal.version != expected_version:
        raise ConflictError(CONFLICT_MESSAGE)
    if signal.status != Status.NIEUW or signal.category == NUL_MELDING:
        raise ConflictError(NOT_EDITABLE.format(
            status=STATUS_LABELS.get(Status(signal.status), signal.status)))
    draft = _normalised(draft)
    _require_wijk(session, actor, draft.wijk_id)
    vocabulary = load_vocabulary(session)
    _check(draft, vocabulary, today)
    before = _draft_of(signal)
    found = require_confirmed(draft.free_text(), confirmation,
                              already=pii_values(before.free_text()))
    _apply(session, signal, draft, vocabulary)
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(CONFLICT_MESSAGE) from exc
    after = _draft_of(signal)
    changed = [f.name for f in fields(SignalDraft)
               if getattr(before, f.name) != getattr(after, f.name)]
    for name in changed:
        add_history(session, actor, signal.id, "bewerkt", name, getattr(before, name),
                    getattr(after, name))
    if found and confirmation is not None:
        record_confirmation(session, actor, signal.id, found, confirmation.reason)
    audit.record(session, actor, "signaal_bewerkt", "signal", signal.id, {"velden": changed})
    return SavedSignal(signal.id, reference(signal.id), signal.version)


def _own(session: Session, actor: Actor, signal_id: int) -> Signal:
    signal = session.get(Signal, signal_id, options=[selectinload(Signal.themes)])
    if signal is None or actor.user_id is None or signal.reporter_id != actor.user_id:
        raise NotFoundError(f"Melding {reference(signal_id)} niet gevonden bij uw meldingen.")
    return signal


def _require_wijk(session: Session, actor: Actor, wijk_id: int) -> Row:
    """The wijk's name, if the actor may report in it; its geometry is not loaded."""
    return _check_wijk(actor, wijk_id, _wijk_row(session, wijk_id))


def _wijk_row(session: Session, wijk_id: int) -> Row | None:
    return session.execute(_WIJK, {"id": wijk_id}).one_or_none()


def _check_wijk(actor: Actor, wijk_id: int, wijk: Row | None) -> Row:
    if wijk is None:
        raise ValidationError([FieldError("wijk_code", "kies een wijk")])
    actor.require_wijk(wijk_id)
    if wijk.retired_at is not None:
        raise ValidationError([FieldError("wijk_code", f"{wijk.name} is ingetrokken en neemt "
                                          "geen nieuwe signalen meer aan")])
    return wijk


_WIJK = select(Wijk.name, Wijk.retired_at).where(Wijk.id == bindparam("id"))


def _normalised(draft: SignalDraft) -> SignalDraft:
    """Action date and place belong to calls only; other fields are trimmed."""
    call = is_call(draft.category)
    return SignalDraft(
        wijk_id=draft.wijk_id, observed_on=draft.observed_on, category=draft.category,
        description=normalise_newlines(draft.description).strip(),
        themes=tuple(dict.fromkeys(draft.themes)),
        severity=draft.severity, subtype=draft.subtype.strip(), source=draft.source,
        online=draft.online, platform=draft.platform if draft.online else None,
        reach=draft.reach, reliability=draft.reliability, polarisation=draft.polarisation,
        action_date=draft.action_date if call else None,
        action_place=draft.action_place.strip() if call else "")


def _check(draft: SignalDraft, vocabulary: Vocabulary, today: date | None) -> None:
    errors = check_draft(draft, vocabulary, today or today_local(), require_description=True)
    if errors:
        raise ValidationError(errors)


def _apply(session: Session, signal: Signal, draft: SignalDraft, vocabulary: Vocabulary) -> None:
    with session.no_autoflush:  # one UPDATE per save, so the version goes up by exactly one
        _assign(session, signal, draft, vocabulary)


def _assign(session: Session, signal: Signal, draft: SignalDraft, vocabulary: Vocabulary) -> None:
    for name in _PLAIN_FIELDS:
        if getattr(signal, name) != getattr(draft, name):
            setattr(signal, name, getattr(draft, name))
    for name in _TEXT_FIELDS:
        value = getattr(draft, name) or None
        if getattr(signal, name) != value:
            setattr(signal, name, value)
    severity = effective_severity(draft, vocabulary)
    if signal.severity != severity:
        signal.severity = severity
    wanted = sorted(draft.themes)
    if [t.code for t in (signal.themes or [])] != wanted:
        signal.themes = list(session.scalars(select(Theme).where(Theme.code.in_(wanted))
                                             .order_by(Theme.code)))
        # Only the association table changes: touch the row so the version goes up too.
        signal.updated_at = utcnow()


def _draft_of(signal: Signal) -> SignalDraft:
    return SignalDraft(
        wijk_id=signal.wijk_id, observed_on=signal.observed_on, category=signal.category,
        description=signal.description or "", themes=tuple(t.code for t in signal.themes),
        severity=signal.severity, subtype=signal.subtype or "", source=signal.source,
        online=bool(signal.online), platform=signal.platform, reach=signal.reach,
        reliability=signal.reliability, polarisation=signal.polarisation,
        action_date=signal.action_date, action_place=signal.action_place or "")

