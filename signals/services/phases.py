"""Phase use cases: proposed phases from the stored weekly indicators, and decisions (rule 12).

The effective phase of a wijk-week is the latest coordinator decision for it, else the
proposal. Decisions are append-only, so the whole history stays visible; a proposal is
never adjusted by a decision of an earlier week (each week is weighed on its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from signals.db.models import PhaseDecision, User, Wijk, user_wijk
from signals.domain import PHASES, Role
from signals.engine.phases import propose_phases
from signals.engine.rules import Rules
from signals.engine.weeks import week_label, week_range
from signals.errors import ConflictError, FieldError, NotFoundError, ValidationError
from signals.localtime import monday_of
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.alert_triggers import queue_for_decision
from signals.services.indicators import load_indicator_frame
from signals.services.plain_text import text_problem
from signals.services.risk_context import risk_weeks
from signals.services.rules_config import load_rules
from signals.services.wijken import display_names

DEFAULT_WEEKS = 12
MIN_REASON_LENGTH = 10


@dataclass(frozen=True)
class DecisionResult:
    decision_id: int
    wijk_code: str
    week: str
    proposed_phase: int
    decided_phase: int


def default_period(weeks: int = DEFAULT_WEEKS, today: date | None = None) -> tuple[date, date]:
    """The last `weeks` ISO weeks up to and including the current one (Mondays)."""
    last = monday_of(today)
    return last - timedelta(weeks=weeks - 1), last


def phase_table(session: Session, actor: Actor, first: date, last: date,
                wijk_codes: list[str] | None = None, rules: Rules | None = None) -> pd.DataFrame:
    """Proposed and effective phase per wijk x week, within the actor's wijken.

    Not for managers: they get suppressed aggregates from the weekly-report services.
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    return compute_phases(session, scoped_wijken(session, actor, wijk_codes), first, last, rules)


def scoped_wijken(session: Session, actor: Actor, wijk_codes: list[str] | None) -> list[Wijk]:
    """The requested wijken (each must be in scope), or every wijk the actor may see."""
    actor = authorise(session, actor)
    if not wijk_codes:
        query = select(Wijk).where(Wijk.retired_at.is_(None)).order_by(Wijk.code)
        if not actor.sees_all_wijken:
            query = query.where(Wijk.id.in_(actor.wijk_ids))
        return list(session.scalars(query))
    wijken = list(session.scalars(select(Wijk).where(Wijk.code.in_(wijk_codes))
                                  .order_by(Wijk.code)))
    unknown = sorted(set(wijk_codes) - {w.code for w in wijken})
    if unknown:
        raise NotFoundError(f"Onbekende wijkcode(s): {', '.join(unknown)}.")
    for wijk in wijken:
        actor.require_wijk(wijk.id)
    return wijken


def compute_phases(session: Session, wijken: list[Wijk], first: date, last: date,
                   rules: Rules | None = None) -> pd.DataFrame:
    """Unscoped computation; callers check access first."""
    if first > last:
        raise ValidationError([FieldError("periode", "de beginweek ligt na de eindweek")])
    rules = rules or load_rules(session)
    ids = [w.id for w in wijken]
    warm_first = first - timedelta(weeks=rules.warmup_weeks)
    indicators = load_indicator_frame(session, ids, warm_first, last)
    expected = expected_reporters(session, wijken)
    # Warm-up weeks too: a week raised by a risk moment decays into the weeks after it.
    risk = risk_weeks(session, wijken, monday_of(warm_first), monday_of(last))
    table = propose_phases(indicators, expected, week_range(pd.Timestamp(first),
                                                            pd.Timestamp(last)), rules, risk)
    names = pd.Series(display_names(wijken), dtype="str")
    table.insert(1, "wijk_naam", table["wijk_code"].map(names))
    return _with_decisions(session, table, wijken, first, last)


def expected_reporters(session: Session, wijken: list[Wijk]) -> pd.Series:
    """Active key figures per wijk (rule 10): silent ones count until they are deactivated."""
    rows = session.execute(
        select(user_wijk.c.wijk_id, func.count())
        .join(User, User.id == user_wijk.c.user_id)
        .where(User.role == Role.SLEUTELFIGUUR.value, User.active.is_(True),
               user_wijk.c.wijk_id.in_([w.id for w in wijken]))
        .group_by(user_wijk.c.wijk_id)).all()
    counts = dict(rows)
    return pd.Series({w.code: counts.get(w.id, 0) for w in wijken}, dtype="int64")


def _with_decisions(session: Session, table: pd.DataFrame, wijken: list[Wijk], first: date,
                    last: date) -> pd.DataFrame:
    latest = latest_decisions(session, [w.id for w in wijken], first, last)
    table = table.merge(latest, on=["wijk_code", "week_start"], how="left")
    table["decided_phase"] = table["decided_phase"].astype("Int64")
    table["effective_phase"] = table["decided_phase"].fillna(table["phase"]).astype("int64")
    table["effective_name"] = [PHASES[p].name for p in table["effective_phase"]]
    table["decision_id"] = table["decision_id"].astype("Int64")
    return table


def latest_decisions(session: Session, wijk_ids: list[int], first: date,
                     last: date) -> pd.DataFrame:
    newest = (select(PhaseDecision.wijk_id, PhaseDecision.week_start,
                     func.max(PhaseDecision.id).label("id"))
              .where(PhaseDecision.wijk_id.in_(wijk_ids), PhaseDecision.week_start >= first,
                     PhaseDecision.week_start <= last)
              .group_by(PhaseDecision.wijk_id, PhaseDecision.week_start).subquery())
    decider = aliased(User)
    rows = session.execute(
        select(Wijk.code, PhaseDecision.week_start, PhaseDecision.id, PhaseDecision.decided_phase,
               PhaseDecision.reason, decider.username, PhaseDecision.decided_at)
        .join(newest, newest.c.id == PhaseDecision.id)
        .join(Wijk, Wijk.id == PhaseDecision.wijk_id)
        .outerjoin(decider, decider.id == PhaseDecision.decided_by_id)).all()
    frame = pd.DataFrame(rows, columns=["wijk_code", "week_start", "decision_id",
                                        "decided_phase", "decision_reason", "decided_by",
                                        "decided_at"])
    frame["week_start"] = pd.to_datetime(frame["week_start"]).astype("datetime64[us]")
    frame["wijk_code"] = frame["wijk_code"].astype("str")
    return frame


def record_decision(session: Session, actor: Actor, wijk_code: str, week: date,
                    decided_phase: int, reason: str, seen_decision_id: int | None = None,
                    today: date | None = None) -> DecisionResult:
    """Confirm or override the proposed phase of one wijk-week, with a required reason.

    `seen_decision_id` is the latest decision the user saw; if another was recorded since,
    this raises ConflictError instead of silently replacing it.
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    # Locked until commit (PostgreSQL; SQLite writers are serial): a second decision made
    # at the same moment waits, then sees this one and gets the ConflictError below.
    wijk = session.scalar(select(Wijk).where(Wijk.code == wijk_code)
                          .with_for_update(key_share=True))
    if wijk is None:
        raise NotFoundError(f"Onbekende wijk {wijk_code}.")
    actor.require_wijk(wijk.id)
    monday = monday_of(week)
    _validate_decision(monday, decided_phase, reason, today)
    current = latest_decisions(session, [wijk.id], monday, monday)
    current_id = int(current["decision_id"].iloc[0]) if len(current) else None
    if current_id != seen_decision_id:
        raise ConflictError("Er is intussen een ander besluit voor deze wijk en week vastgelegd. "
                            "Bekijk het nieuwe besluit en probeer het opnieuw.")
    proposed = int(compute_phases(session, [wijk], monday, monday)["phase"].iloc[0])
    decision = PhaseDecision(wijk_id=wijk.id, week_start=monday, proposed_phase=proposed,
                             decided_phase=decided_phase, reason=reason.strip(),
                             decided_by_id=actor.user_id)
    session.add(decision)
    session.flush()
    audit.record(session, actor, "fasebesluit", "wijk", wijk.code,
                 {"week": week_label(monday), "voorgesteld": proposed, "besluit": decided_phase})
    queue_for_decision(session, actor.user_id, wijk, monday, decision.id, decided_phase)
    return DecisionResult(decision.id, wijk.code, week_label(monday), proposed, decided_phase)


def _validate_decision(monday: date, phase: int, reason: str, today: date | None) -> None:
    errors = []
    if phase not in range(len(PHASES)):
        errors.append(FieldError("fase", "kies een fase van 0 tot en met 4"))
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        errors.append(FieldError("reden", f"geef een reden van minstens {MIN_REASON_LENGTH} "
                                          "tekens (BOB: beeld, oordeel, besluit)"))
    elif problem := text_problem(reason, multiline=True):
        errors.append(FieldError("reden", problem))
    this_week = default_period(1, today)[1]
    if monday > this_week:
        errors.append(FieldError("week", "een besluit over een toekomstige week kan niet"))
    if errors:
        raise ValidationError(errors)


def decision_history(session: Session, actor: Actor, wijk_code: str) -> pd.DataFrame:
    """Every decision for a wijk, newest first."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    wijk = session.scalar(select(Wijk).where(Wijk.code == wijk_code))
    if wijk is None:
        raise NotFoundError(f"Onbekende wijk {wijk_code}.")
    actor.require_wijk(wijk.id)
    decider = aliased(User)
    rows = session.execute(
        select(PhaseDecision.week_start, PhaseDecision.proposed_phase,
               PhaseDecision.decided_phase, PhaseDecision.reason, decider.username,
               PhaseDecision.decided_at)
        .outerjoin(decider, decider.id == PhaseDecision.decided_by_id)
        .where(PhaseDecision.wijk_id == wijk.id)
        .order_by(PhaseDecision.decided_at.desc(), PhaseDecision.id.desc())).all()
    frame = pd.DataFrame(rows, columns=["week_start", "proposed_phase", "decided_phase",
                                        "reason", "decided_by", "decided_at"])
    frame.insert(0, "week", [week_label(pd.Timestamp(d)) for d in frame["week_start"]])
    return frame
