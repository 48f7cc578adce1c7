"""The risicokalender: upcoming moments that may meet fierce reactions, per wijk or for a
whole gemeente (a council decision, an information evening, an announced demonstration, a
calendar moment, the action date of a call).

Coordinators enter moments for their own wijken, or for the gemeente their wijken belong
to; beheerders for any. A verified call to action with an action date appears on the
calendar by itself (read from the signal, never copied). Place and subject are short
texts that pass the personal-data and control-character checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from signals.db.models import Gemeente, RiskMoment, Signal, Wijk
from signals.domain import CALL_TO_ACTION, RISK_KINDS, Role, Status
from signals.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from signals.localtime import today_local
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.dashboard import theme_labels
from signals.services.data_version import bump
from signals.services.phases import scoped_wijken
from signals.services.pii import require_confirmed
from signals.services.plain_text import text_problem
from signals.services.wijken import display_names

HORIZON_DAYS = 14  # "the coming 14 days": the Overzicht and the phase reasons
MAX_TEXT = 200
PAST_DAYS = 30  # a moment may be entered afterwards, within a month
WHOLE_GEMEENTE = "Hele gemeente"
CALL_KIND = "actiedatum_oproep"
COLUMNS = ["id", "moment_date", "kind", "kind_label", "wijk_code", "wijk_naam", "gemeente",
           "theme", "place", "subject", "notified", "from_signal"]


@dataclass(frozen=True)
class MomentInput:
    moment_date: date
    kind: str
    wijk_code: str | None  # None: the whole gemeente
    theme: str | None = None
    place: str = ""
    subject: str = ""
    notified: bool | None = None  # announced demonstrations only
    gemeente_code: str | None = None  # for a whole-gemeente moment; default: the actor's


def add_moment(session: Session, actor: Actor, draft: MomentInput,
               today: date | None = None) -> int:
    """Store a moment on the calendar; returns its id."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    place, subject = _checked(session, draft, today or today_local())
    wijk, gemeente = _where(session, actor, draft)
    moment = RiskMoment(moment_date=draft.moment_date, kind=draft.kind,
                        wijk_id=wijk.id if wijk else None,
                        gemeente_id=gemeente.id if gemeente else None, theme=draft.theme,
                        place=place or None, subject=subject or None,
                        notified=draft.notified if draft.kind == "demonstratie" else None,
                        created_by_id=actor.user_id)
    session.add(moment)
    session.flush()
    bump(session, _affected(session, wijk, gemeente))
    audit.record(session, actor, "risicomoment_toegevoegd", "risicomoment", moment.id,
                 {"soort": draft.kind, "datum": draft.moment_date.isoformat(),
                  "wijk": wijk.code if wijk else None,
                  "gemeente": gemeente.code if gemeente else None})
    return moment.id


def remove_moment(session: Session, actor: Actor, moment_id: int) -> None:
    """Delete a moment entered by mistake (in scope); audited."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    moment = session.get(RiskMoment, moment_id)
    if moment is None:
        raise NotFoundError("Dit moment staat niet (meer) op de kalender.")
    if moment.wijk_id is not None:
        actor.require_wijk(moment.wijk_id)
    else:
        _require_gemeente(actor, moment.gemeente_id, _actor_gemeenten(session, actor))
    wijk = session.get(Wijk, moment.wijk_id) if moment.wijk_id else None
    gemeente = session.get(Gemeente, moment.gemeente_id) if moment.gemeente_id else None
    session.delete(moment)
    bump(session, _affected(session, wijk, gemeente))
    audit.record(session, actor, "risicomoment_verwijderd", "risicomoment", moment_id)


def upcoming_moments(session: Session, actor: Actor, first: date | None = None,
                     days: int = HORIZON_DAYS,
                     wijk_codes: list[str] | None = None) -> pd.DataFrame:
    """Moments dated first..first+days (inclusive) for the actor's wijken, their gemeenten,
    and the action dates of verified calls in those wijken; soonest first."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    first = first or today_local()
    last = first + timedelta(days=days)
    wijken = scoped_wijken(session, actor, wijk_codes)
    names = display_names(wijken)
    by_id = {w.id: w for w in wijken}
    gemeente_ids = {w.gemeente_id for w in wijken if w.gemeente_id is not None}
    gemeente_names = dict(session.execute(select(Gemeente.id, Gemeente.name)).all())
    themes = theme_labels(session)
    def where(wijk: Wijk | None, gemeente_id: int | None) -> dict:
        if wijk is None:
            return {"wijk_code": None, "wijk_naam": WHOLE_GEMEENTE,
                    "gemeente": gemeente_names.get(gemeente_id, "")}
        return {"wijk_code": wijk.code, "wijk_naam": names[wijk.code],
                "gemeente": gemeente_names.get(wijk.gemeente_id, "")}

    rows = []
    for m in session.scalars(select(RiskMoment).where(
            RiskMoment.moment_date >= first, RiskMoment.moment_date <= last,
            or_(RiskMoment.wijk_id.in_(list(by_id)),
                RiskMoment.wijk_id.is_(None) & RiskMoment.gemeente_id.in_(gemeente_ids)))):
        rows.append({"id": m.id, "moment_date": m.moment_date, "kind": m.kind,
                     **where(by_id.get(m.wijk_id) if m.wijk_id else None, m.gemeente_id),
                     "theme": themes.get(m.theme or "", m.theme or ""), "place": m.place or "",
                     "subject": m.subject or "", "notified": m.notified, "from_signal": False})
    for signal_id, day, wijk_id, place in session.execute(
            select(Signal.id, Signal.action_date, Signal.wijk_id, Signal.action_place)
            .where(Signal.category == CALL_TO_ACTION,
                   Signal.status == Status.GEVERIFIEERD.value,
                   Signal.action_date >= first, Signal.action_date <= last,
                   Signal.wijk_id.in_(list(by_id)))):
        rows.append({"id": None, "moment_date": day, "kind": CALL_KIND,
                     **where(by_id[wijk_id], None), "theme": "", "place": place or "",
                     "subject": f"geverifieerde oproep (signaal {signal_id})",
                     "notified": None, "from_signal": True})
    for row in rows:
        row["kind_label"] = RISK_KINDS.get(row["kind"], row["kind"])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["id"] = frame["id"].astype("Int64")
    return frame.sort_values(["moment_date", "wijk_naam"], kind="stable").reset_index(
        drop=True)


def _checked(session: Session, draft: MomentInput, today: date) -> tuple[str, str]:
    place, subject = (draft.place or "").strip(), (draft.subject or "").strip()
    errors = []
    if draft.kind not in RISK_KINDS:
        errors.append(FieldError("kind", "kies een soort moment uit de lijst"))
    if draft.theme is not None and draft.theme not in theme_labels(session):
        errors.append(FieldError("theme", "kies een thema uit de lijst"))
    if draft.moment_date < today - timedelta(days=PAST_DAYS):
        errors.append(FieldError("moment_date", f"kies een datum vanaf {PAST_DAYS} dagen "
                                                "geleden"))
    if draft.moment_date > today + timedelta(days=366):
        errors.append(FieldError("moment_date", "kies een datum binnen een jaar"))
    for name, value in (("place", place), ("subject", subject)):
        if len(value) > MAX_TEXT:
            errors.append(FieldError(name, f"gebruik hoogstens {MAX_TEXT} tekens"))
        elif problem := text_problem(value):
            errors.append(FieldError(name, problem))
    if errors:
        raise ValidationError(errors)
    require_confirmed({"place": place, "subject": subject}, None)
    return place, subject


def _where(session: Session, actor: Actor,
           draft: MomentInput) -> tuple[Wijk | None, Gemeente | None]:
    if draft.wijk_code:
        (wijk,) = scoped_wijken(session, actor, [draft.wijk_code])
        return wijk, None
    allowed = _actor_gemeenten(session, actor)
    if draft.gemeente_code:
        gemeente = session.scalar(select(Gemeente).where(Gemeente.code == draft.gemeente_code))
        if gemeente is None:
            raise NotFoundError(f"Onbekende gemeente {draft.gemeente_code}.")
        _require_gemeente(actor, gemeente.id, allowed)
        return None, gemeente
    if len(allowed) != 1:
        raise ValidationError([FieldError("gemeente_code", "kies de gemeente")])
    return None, session.get(Gemeente, next(iter(allowed)))


def _actor_gemeenten(session: Session, actor: Actor) -> set[int]:
    query = select(Wijk.gemeente_id).where(Wijk.gemeente_id.is_not(None)).distinct()
    if not actor.sees_all_wijken:
        query = query.where(Wijk.id.in_(sorted(actor.wijk_ids)))
    return set(session.scalars(query))


def _affected(session: Session, wijk: Wijk | None, gemeente: Gemeente | None) -> list[int]:
    if wijk is not None:
        return [wijk.id]
    if gemeente is None:
        return []
    return list(session.scalars(select(Wijk.id).where(Wijk.gemeente_id == gemeente.id)))


def _require_gemeente(actor: Actor, gemeente_id: int | None, allowed: set[int]) -> None:
    if not actor.sees_all_wijken and gemeente_id not in allowed:
        raise PermissionDeniedError("U heeft geen toegang tot deze gemeente.")
