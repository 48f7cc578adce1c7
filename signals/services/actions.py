"""Actions per wijk: what was done after a signal or a phase decision, and when.

Coordinators log and see actions in their own wijken, beheerders in all; managers get
counts per type and phase only, never a description. A description is short and may not
hold personal data (the personal-data check refuses it outright: there is no reason to
name a person in what the gemeente did). Every write is audited and raises the wijk's
data version, so the Wijkprofiel shows the action on its next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from signals.db.models import PhaseDecision, User, Wijk, WijkAction
from signals.domain import ACTION_STATUSES, PHASES, Role
from signals.engine.weeks import week_label
from signals.errors import FieldError, NotFoundError, ValidationError
from signals.localtime import monday_of, today_local
from signals.services import audit
from signals.services.action_types import action_type_labels
from signals.services.actor import Actor, authorise
from signals.services.data_version import bump
from signals.services.phases import compute_phases, scoped_wijken
from signals.services.pii import require_confirmed
from signals.services.plain_text import normalise_newlines, text_problem

MIN_DESCRIPTION, MAX_DESCRIPTION = 5, 500
MAX_DAYS_AHEAD = 366  # planning further ahead belongs in a policy plan, not here
LIST_COLUMNS = ["id", "action_date", "week", "action_type", "type_label", "status",
                "description", "phase", "decision_id", "created_by"]
COUNT_COLUMNS = ["action_type", "type_label", "phase", "phase_name", "gepland", "uitgevoerd",
                 "total"]


@dataclass(frozen=True)
class ActionInput:
    wijk_code: str
    action_type: str
    action_date: date
    status: str
    description: str
    decision_id: int | None = None


def log_action(session: Session, actor: Actor, draft: ActionInput,
               today: date | None = None) -> int:
    """Store an action for a wijk in the actor's scope; returns its id."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    (wijk,) = scoped_wijken(session, actor, [draft.wijk_code])
    description = _checked(session, draft, today or today_local())
    decision = _decision(session, wijk, draft.decision_id)
    phase = decision.decided_phase if decision else _phase_in_force(session, wijk,
                                                                     draft.action_date)
    action = WijkAction(wijk_id=wijk.id, action_type=draft.action_type,
                        action_date=draft.action_date, status=draft.status,
                        description=description, phase=phase,
                        decision_id=decision.id if decision else None,
                        created_by_id=actor.user_id)
    session.add(action)
    session.flush()
    bump(session, [wijk.id])
    audit.record(session, actor, "actie_vastgelegd", "wijk", wijk.code,
                 {"actie": action.id, "type": draft.action_type, "status": draft.status,
                  "datum": draft.action_date.isoformat(), "fase": phase})
    return action.id


def set_action_status(session: Session, actor: Actor, action_id: int, status: str,
                      today: date | None = None) -> None:
    """Mark a planned action as done (or back to planned)."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    action = session.get(WijkAction, action_id)
    if action is None:
        raise NotFoundError("Deze actie bestaat niet (meer).")
    actor.require_wijk(action.wijk_id)
    if status not in ACTION_STATUSES:
        raise ValidationError([FieldError("status", "kies gepland of uitgevoerd")])
    if status == "uitgevoerd" and action.action_date > (today or today_local()):
        raise ValidationError([FieldError("status", "een actie in de toekomst is nog niet "
                                                    "uitgevoerd")])
    if action.status == status:
        return
    action.status = status
    bump(session, [action.wijk_id])
    audit.record(session, actor, "actie_status_gewijzigd", "wijk_actie", action.id,
                 {"status": status})


def wijk_actions(session: Session, actor: Actor, wijk_code: str, first: date,
                 last: date) -> pd.DataFrame:
    """The actions of one wijk dated first..last (inclusive, any days), oldest first.

    The plain list the Wijkprofiel and the wijk dossier show; coordinators and beheerders.
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    (wijk,) = scoped_wijken(session, actor, [wijk_code])
    author = aliased(User)
    rows = session.execute(
        select(WijkAction.id, WijkAction.action_date, WijkAction.action_type,
               WijkAction.status, WijkAction.description, WijkAction.phase,
               WijkAction.decision_id, author.username)
        .outerjoin(author, author.id == WijkAction.created_by_id)
        .where(WijkAction.wijk_id == wijk.id, WijkAction.action_date >= first,
               WijkAction.action_date <= last)
        .order_by(WijkAction.action_date, WijkAction.id)).all()
    labels = action_type_labels(session)
    frame = pd.DataFrame(rows, columns=["id", "action_date", "action_type", "status",
                                        "description", "phase", "decision_id", "created_by"])
    frame["week"] = [week_label(monday_of(d)) for d in frame["action_date"]]
    frame["type_label"] = [labels.get(t, t) for t in frame["action_type"]]
    frame["decision_id"] = frame["decision_id"].astype("Int64")
    return frame[LIST_COLUMNS]


def action_counts(session: Session, actor: Actor, first: date, last: date) -> pd.DataFrame:
    """Actions per type and phase dated first..last: counts only, never a description.

    Managers and beheerders count the whole gemeente, coordinators their own wijken.
    These are the gemeente's own actions, not signals about residents, so the counts are
    not suppressed (docs/privacy.md).
    """
    actor = authorise(session, actor, Role.MANAGER, Role.COORDINATOR, Role.BEHEERDER)
    query = (select(WijkAction.action_type, WijkAction.phase, WijkAction.status, func.count())
             .where(WijkAction.action_date >= first, WijkAction.action_date <= last)
             .group_by(WijkAction.action_type, WijkAction.phase, WijkAction.status))
    if not actor.sees_all_wijken:
        query = query.where(WijkAction.wijk_id.in_(sorted(actor.wijk_ids)))
    frame = pd.DataFrame(session.execute(query).all(),
                         columns=["action_type", "phase", "status", "n"])
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("phase", "gepland",
                                                                  "uitgevoerd", "total")
                                          else "str") for c in COUNT_COLUMNS})
    wide = frame.pivot_table(index=["action_type", "phase"], columns="status", values="n",
                             aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(ACTION_STATUSES), fill_value=0).reset_index()
    labels = action_type_labels(session)
    wide["type_label"] = [labels.get(t, t) for t in wide["action_type"]]
    wide["phase_name"] = [PHASES[int(p)].name for p in wide["phase"]]
    wide["total"] = wide["gepland"] + wide["uitgevoerd"]
    wide = wide.sort_values(["phase", "total", "type_label"], ascending=[False, False, True])
    return wide[COUNT_COLUMNS].reset_index(drop=True).astype(
        {"phase": "int64", "gepland": "int64", "uitgevoerd": "int64", "total": "int64"})


def decision_choices(session: Session, actor: Actor, wijk_code: str,
                     limit: int = 12) -> dict[int, str]:
    """The wijk's latest phase decisions an action can follow from: id -> Dutch label."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    (wijk,) = scoped_wijken(session, actor, [wijk_code])
    rows = session.execute(
        select(PhaseDecision.id, PhaseDecision.week_start, PhaseDecision.decided_phase)
        .where(PhaseDecision.wijk_id == wijk.id)
        .order_by(PhaseDecision.decided_at.desc(), PhaseDecision.id.desc()).limit(limit)).all()
    return {decision_id: f"week {int(week_label(week)[-2:])} ({week:%Y}): fase {phase} "
                         f"{PHASES[phase].name}"
            for decision_id, week, phase in rows}


def _checked(session: Session, draft: ActionInput, today: date) -> str:
    description = normalise_newlines(draft.description or "").strip()
    errors = []
    if draft.action_type not in action_type_labels(session):
        errors.append(FieldError("action_type", "kies een type actie uit de lijst"))
    if draft.status not in ACTION_STATUSES:
        errors.append(FieldError("status", "kies gepland of uitgevoerd"))
    elif draft.status == "uitgevoerd" and draft.action_date > today:
        errors.append(FieldError("status", "een actie in de toekomst is nog niet uitgevoerd; "
                                           "kies gepland"))
    if draft.action_date > today + timedelta(days=MAX_DAYS_AHEAD):
        errors.append(FieldError("action_date", "kies een datum binnen een jaar"))
    if not MIN_DESCRIPTION <= len(description) <= MAX_DESCRIPTION:
        errors.append(FieldError("description", f"beschrijf de actie in {MIN_DESCRIPTION} tot "
                                                f"{MAX_DESCRIPTION} tekens"))
    elif problem := text_problem(description, multiline=True):
        errors.append(FieldError("description", problem))
    if errors:
        raise ValidationError(errors)
    require_confirmed({"description": description}, None)  # never a person in an action
    return description


def _decision(session: Session, wijk: Wijk, decision_id: int | None) -> PhaseDecision | None:
    if decision_id is None:
        return None
    decision = session.get(PhaseDecision, decision_id)
    if decision is None or decision.wijk_id != wijk.id:
        raise ValidationError([FieldError("decision_id", "dit fasebesluit hoort niet bij "
                                                         "deze wijk")])
    return decision


def _phase_in_force(session: Session, wijk: Wijk, day: date) -> int:
    """The effective phase of the action's week (this week's for a planned action)."""
    monday = min(monday_of(day), monday_of())
    table = compute_phases(session, [wijk], monday, monday)
    return int(table["effective_phase"].iloc[0])
