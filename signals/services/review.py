"""Duiding: coordinators weigh the signals of their own wijken.

A queue with filters, sorting and paging; a detail view (audited); status, severity and
reliability changes with a note and an append-only history; links between related signals.
Every change names the version the coordinator saw: a stale version raises ConflictError,
so nobody overwrites someone else's assessment silently. Reporters appear only by role type.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from signals.db.models import Signal, SignalHistory, SignalLink, User, Wijk
from signals.domain import (
    CATEGORIES,
    CATEGORY_BY_CODE,
    NUL_MELDING,
    RELIABILITIES,
    REPORTER_ROLES,
    ROLE_LABELS,
    STATUS_LABELS,
    STATUS_TRANSITIONS,
    THEMES,
    Role,
    Status,
)
from signals.errors import ConflictError, FieldError, NotFoundError, ValidationError
from signals.localtime import today_local
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.pii import PiiConfirmation, require_confirmed
from signals.services.plain_text import text_problem
from signals.services.settings import review_settings
from signals.services.signal_draft import dutch_date, reference
from signals.services.signal_filter import SignalFilter
from signals.services.signal_history import add_history, record_confirmation

REVIEW_ROLES = (Role.COORDINATOR, Role.BEHEERDER)
OPEN_STATUSES = (Status.NIEUW.value, Status.IN_DUIDING.value)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CONFLICT_MESSAGE = (
    "Iemand anders heeft deze melding opgeslagen nadat u hem opende (u zag versie {seen}, "
    "nu is het versie {now}). Uw wijziging is niet opgeslagen. Laad de melding opnieuw, "
    "bekijk de nieuwe stand en pas zo nodig opnieuw aan.")
NOT_FOUND = "Melding {reference} bestaat niet of valt buiten uw wijken."
SORTS: dict[str, tuple[str, tuple]] = {
    "nieuwste": ("Nieuwste eerst", (Signal.observed_on.desc(), Signal.id.desc())),
    "oudste": ("Oudste eerst", (Signal.observed_on.asc(), Signal.id.asc())),
    "ernst": ("Hoogste ernst eerst", (Signal.severity.desc(), Signal.observed_on.desc(),
                                      Signal.id.desc())),
    "wijk": ("Wijk", (Wijk.name.asc(), Signal.observed_on.desc(), Signal.id.desc())),
    "status": ("Status", (Signal.status.asc(), Signal.observed_on.desc(), Signal.id.desc())),
    "gemeld": ("Laatst gemeld", (Signal.created_at.desc(), Signal.id.desc())),
}
QUEUE_COLUMNS = ["id", "referentie", "datum", "wijk", "categorie", "ernst", "betrouwbaarheid",
                 "status", "themas", "melder", "online", "actiedatum", "beschrijving",
                 "reported_on", "days_open", "overdue"]


@dataclass(frozen=True)
class QueuePage:
    rows: pd.DataFrame
    total: int
    page: int
    pages: int
    overdue_days: int = 14  # open longer than this is "te lang open"


@dataclass(frozen=True)
class SignalDetail:
    id: int
    reference: str
    version: int
    wijk_id: int
    wijk_code: str
    wijk_name: str
    observed_on: date
    created_at: datetime
    reporter: str  # role type label, never a name
    category: str
    subtype: str
    severity: int
    source: str
    online: bool
    platform: str | None
    platform_name: str | None  # "Telegram", when the import named it
    reach: str
    reliability: str
    polarisation: str
    action_date: date | None
    action_place: str
    status: str
    description: str
    themes: tuple[str, ...]
    allowed_statuses: tuple[str, ...]
    history: pd.DataFrame
    links: pd.DataFrame


@dataclass(frozen=True)
class Assessment:
    """What a coordinator changes in one save; None means "leave as is"."""

    status: str | None = None
    severity: int | None = None
    reliability: str | None = None
    note: str = ""


def review_queue(session: Session, actor: Actor, flt: SignalFilter, sort: str = "nieuwste",
                 page: int = 1, page_size: int = 50, today: date | None = None) -> QueuePage:
    """One page of the queue. Each row says since when it was reported ("open sinds") and,
    for an open signal, whether it has waited longer than the configured number of days."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    if not flt.categories:  # nul-meldingen need no assessment; ask for them explicitly
        flt = replace(flt, categories=tuple(c.code for c in CATEGORIES if c.code != NUL_MELDING))
    base = flt.apply(select(Signal.id).join(Wijk, Wijk.id == Signal.wijk_id), actor)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    order = SORTS.get(sort, SORTS["nieuwste"])[1]
    query = flt.apply(
        select(Signal, Wijk.name.label("wijk_name")).join(Wijk, Wijk.id == Signal.wijk_id)
        .options(selectinload(Signal.themes)), actor)
    result = session.execute(query.order_by(*order).offset((page - 1) * page_size)
                             .limit(page_size)).all()
    overdue_days = review_settings(session).overdue_days
    today = today or today_local()
    rows = [_queue_row(signal, wijk_name, today, overdue_days) for signal, wijk_name in result]
    return QueuePage(pd.DataFrame(rows, columns=QUEUE_COLUMNS), total, page, pages,
                     overdue_days)


def _queue_row(signal: Signal, wijk_name: str, today: date, overdue_days: int) -> dict:
    reported = signal.created_at.astimezone(AMSTERDAM).date()
    age = max(0, (today - reported).days)
    return {
        "id": signal.id, "referentie": reference(signal.id),
        "datum": dutch_date(signal.observed_on), "wijk": wijk_name,
        "categorie": _category_label(signal.category), "ernst": signal.severity,
        "betrouwbaarheid": RELIABILITIES.get(signal.reliability, signal.reliability),
        "status": _status_label(signal.status),
        "themas": ", ".join(THEMES.get(t.code, t.label) for t in signal.themes),
        "melder": reporter_label(signal.reporter_role),
        "online": "ja" if signal.online else "nee",
        "actiedatum": dutch_date(signal.action_date) if signal.action_date else "",
        "beschrijving": (signal.description or "")[:120],
        "reported_on": dutch_date(reported), "days_open": age,
        "overdue": signal.status in OPEN_STATUSES and age > overdue_days,
    }


def status_choices(detail: SignalDetail) -> list[str]:
    """The statuses the form offers: the current one first, then every allowed next one."""
    return [detail.status, *detail.allowed_statuses]


def assessment_from_form(detail: SignalDetail, status: str, severity: int, reliability: str,
                         note: str) -> Assessment:
    """What actually changed in the form: unchanged fields stay None (a nul-melding keeps
    severity 0 whatever the slider shows)."""
    return Assessment(
        status=status if status != detail.status else None,
        severity=severity if severity != detail.severity and detail.category != NUL_MELDING
        else None,
        reliability=reliability if reliability != detail.reliability else None, note=note)


def signal_detail(session: Session, actor: Actor, signal_id: int,
                  record_view: bool = True) -> SignalDetail:
    """One signal with history and links; each opening is audited ("signaal_bekeken")."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    signal = _visible(session, actor, signal_id)
    if record_view:
        audit.record(session, actor, "signaal_bekeken", "signal", signal.id)
    current = Status(signal.status)
    return SignalDetail(
        id=signal.id, reference=reference(signal.id), version=signal.version,
        wijk_id=signal.wijk_id, wijk_code=signal.wijk.code, wijk_name=signal.wijk.name,
        observed_on=signal.observed_on, created_at=signal.created_at,
        reporter=reporter_label(signal.reporter_role), category=signal.category,
        subtype=signal.subtype or "", severity=signal.severity, source=signal.source,
        online=bool(signal.online), platform=signal.platform,
        platform_name=signal.platform_name, reach=signal.reach,
        reliability=signal.reliability, polarisation=signal.polarisation,
        action_date=signal.action_date, action_place=signal.action_place or "",
        status=signal.status, description=signal.description or "",
        themes=tuple(t.code for t in signal.themes),
        allowed_statuses=tuple(s.value for s in Status if s in STATUS_TRANSITIONS[current]),
        history=_history(session, signal), links=_links(session, actor, signal.id))


def assess(session: Session, actor: Actor, signal_id: int, expected_version: int,
           change: Assessment, confirmation: PiiConfirmation | None = None) -> int:
    """Apply a coordinator's status/severity/reliability change; returns the new version."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    signal = _visible(session, actor, signal_id)
    if signal.version != expected_version:
        raise ConflictError(CONFLICT_MESSAGE.format(seen=expected_version, now=signal.version))
    changes = _validated_changes(signal, change)
    note = change.note.strip()
    found = require_confirmed({"note": note}, confirmation)
    for column, (_old, new) in changes.items():
        setattr(signal, column, new)
    if changes:
        try:
            session.flush()
        except StaleDataError as exc:
            raise ConflictError(CONFLICT_MESSAGE.format(seen=expected_version,
                                                        now="nieuwer")) from exc
    for column, (old, new) in changes.items():
        add_history(session, actor, signal.id, "beoordeeld", column, old, new, note or None)
    if not changes:
        add_history(session, actor, signal.id, "notitie", note=note)
    if found and confirmation is not None:
        record_confirmation(session, actor, signal.id, found, confirmation.reason)
    audit.record(session, actor, "signaal_beoordeeld", "signal", signal.id,
                 {"velden": sorted(changes), **({"status": signal.status}
                                                if "status" in changes else {})})
    return signal.version


def _validated_changes(signal: Signal, change: Assessment) -> dict[str, tuple]:
    errors: list[FieldError] = []
    changes: dict[str, tuple] = {}
    if change.status is not None and change.status != signal.status:
        current = Status(signal.status)
        if change.status not in {s.value for s in STATUS_TRANSITIONS[current]}:
            errors.append(FieldError("status", f"van '{_status_label(signal.status)}' naar "
                                               f"'{_status_label(change.status)}' kan niet"))
        else:
            changes["status"] = (signal.status, change.status)
    if change.severity is not None and change.severity != signal.severity:
        if signal.category == NUL_MELDING:
            errors.append(FieldError("severity", "een nul-melding heeft altijd ernst 0"))
        elif not 1 <= change.severity <= 5:
            errors.append(FieldError("severity", "kies een ernst van 1 tot en met 5"))
        else:
            changes["severity"] = (signal.severity, change.severity)
    if change.reliability is not None and change.reliability != signal.reliability:
        if change.reliability not in RELIABILITIES:
            errors.append(FieldError("reliability", f"onbekende waarde '{change.reliability}'"))
        else:
            changes["reliability"] = (signal.reliability, change.reliability)
    if problem := text_problem(change.note, multiline=True):
        errors.append(FieldError("note", problem))
    needs_note = bool({"severity", "reliability"} & changes.keys()) or not changes
    if needs_note and not change.note.strip() and not errors:
        message = ("geef een toelichting bij het aanpassen van ernst of betrouwbaarheid"
                   if changes else "er is niets gewijzigd; pas iets aan of schrijf een notitie")
        errors.append(FieldError("note", message))
    if errors:
        raise ValidationError(errors)
    return changes


def link_signals(session: Session, actor: Actor, signal_id: int, other_id: int) -> None:
    """Link two related signals (stored once, lower id first); both must be visible."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    if signal_id == other_id:
        raise ValidationError([FieldError("koppeling", "een melding kan niet aan zichzelf "
                                                       "worden gekoppeld")])
    first, second = sorted((signal_id, other_id))
    _visible(session, actor, first)
    _visible(session, actor, second)
    if session.get(SignalLink, (first, second)) is not None:
        raise ValidationError([FieldError("koppeling", f"{reference(first)} en "
                                                       f"{reference(second)} zijn al gekoppeld")])
    session.add(SignalLink(signal_id=first, related_id=second, created_by_id=actor.user_id))
    add_history(session, actor, signal_id, "gekoppeld", "koppeling", None, reference(other_id))
    add_history(session, actor, other_id, "gekoppeld", "koppeling", None, reference(signal_id))
    audit.record(session, actor, "signalen_gekoppeld", "signal", signal_id,
                 {"met": other_id})


def unlink_signals(session: Session, actor: Actor, signal_id: int, other_id: int) -> None:
    actor = authorise(session, actor, *REVIEW_ROLES)
    first, second = sorted((signal_id, other_id))
    _visible(session, actor, first)
    _visible(session, actor, second)
    link = session.get(SignalLink, (first, second))
    if link is None:
        raise NotFoundError("Deze koppeling bestaat niet (meer).")
    session.delete(link)
    add_history(session, actor, signal_id, "ontkoppeld", "koppeling", reference(other_id), None)
    add_history(session, actor, other_id, "ontkoppeld", "koppeling", reference(signal_id), None)
    audit.record(session, actor, "signalen_ontkoppeld", "signal", signal_id,
                 {"met": other_id})


def _visible(session: Session, actor: Actor, signal_id: int) -> Signal:
    """The signal, if it exists and is in the actor's wijken. Missing and out of scope
    answer alike, so the existence of someone else's signal cannot be probed."""
    signal = session.get(Signal, signal_id,
                         options=[selectinload(Signal.themes), selectinload(Signal.wijk)])
    if signal is None or not (actor.sees_all_wijken or signal.wijk_id in actor.wijk_ids):
        raise NotFoundError(NOT_FOUND.format(reference=reference(signal_id)))
    return signal


def _history(session: Session, signal: Signal) -> pd.DataFrame:
    rows = session.execute(
        select(SignalHistory, User.username, User.role).outerjoin(
            User, User.id == SignalHistory.user_id)
        .where(SignalHistory.signal_id == signal.id)
        .order_by(SignalHistory.at, SignalHistory.id)).all()
    return pd.DataFrame([{
        "moment": entry.at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M"),
        "wie": _who(entry.user_id, username, role, signal),
        "actie": entry.action, "veld": entry.field or "",
        "oud": entry.old_value or "", "nieuw": entry.new_value or "", "notitie": entry.note or "",
    } for entry, username, role in rows],
        columns=["moment", "wie", "actie", "veld", "oud", "nieuw", "notitie"])


def _who(user_id: int | None, username: str | None, role: str | None, signal: Signal) -> str:
    """Staff by name; the reporter and other key figures only by role type (privacy)."""
    if user_id is None:
        return "systeem"
    if user_id == signal.reporter_id:
        return f"melder ({reporter_label(signal.reporter_role)})"
    if role in (Role.COORDINATOR.value, Role.BEHEERDER.value) and username:
        return username
    return ROLE_LABELS[Role(role)] if role else "onbekend"


def _links(session: Session, actor: Actor, signal_id: int) -> pd.DataFrame:
    rows = session.execute(
        select(SignalLink.signal_id, SignalLink.related_id)
        .where(or_(SignalLink.signal_id == signal_id, SignalLink.related_id == signal_id))).all()
    ids = [b if a == signal_id else a for a, b in rows]
    if not ids:
        return pd.DataFrame(columns=["id", "referentie", "datum", "wijk", "categorie", "status"])
    query = (select(Signal.id, Signal.observed_on, Signal.category, Signal.status, Wijk.name)
             .join(Wijk, Wijk.id == Signal.wijk_id).where(Signal.id.in_(ids))
             .order_by(Signal.observed_on.desc()))
    if not actor.sees_all_wijken:
        query = query.where(Signal.wijk_id.in_(sorted(actor.wijk_ids)))
    return pd.DataFrame([{
        "id": r.id, "referentie": reference(r.id), "datum": dutch_date(r.observed_on),
        "wijk": r.name, "categorie": _category_label(r.category),
        "status": _status_label(r.status)} for r in session.execute(query)],
        columns=["id", "referentie", "datum", "wijk", "categorie", "status"])


def link_candidates(session: Session, actor: Actor, signal_id: int,
                    limit: int = 200) -> pd.DataFrame:
    """Recent signals in the same wijk that could be related (for the link picker)."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    signal = _visible(session, actor, signal_id)
    linked = select(SignalLink.related_id).where(SignalLink.signal_id == signal_id).union(
        select(SignalLink.signal_id).where(SignalLink.related_id == signal_id))
    rows = session.execute(
        select(Signal.id, Signal.observed_on, Signal.category, Signal.status)
        .where(and_(Signal.wijk_id == signal.wijk_id, Signal.id != signal_id,
                    Signal.category != NUL_MELDING, Signal.id.not_in(linked)))
        .order_by(Signal.observed_on.desc(), Signal.id.desc()).limit(limit)).all()
    return pd.DataFrame([{
        "id": r.id, "label": f"{reference(r.id)} · {dutch_date(r.observed_on)} · "
                             f"{_category_label(r.category)} · {_status_label(r.status)}"}
        for r in rows], columns=["id", "label"])


def reporter_label(reporter_role: str | None) -> str:
    return REPORTER_ROLES.get(reporter_role or "", "Onbekend")


def _category_label(code: str) -> str:
    category = CATEGORY_BY_CODE.get(code)
    return category.label if category else code


def _status_label(code: str) -> str:
    try:
        return STATUS_LABELS[Status(code)]
    except ValueError:
        return code
