"""Evaluations after the nafase: the gemeente's own lessons, per wijk and escalation.

When a wijk's nafase has ended, its coordinator is asked for a short structured
evaluation: what signalled it first, and what to keep and what to change. The lead time
(weeks the tool proposed phase 2 or higher before the escalation) and the actions taken
are computed, never typed. Texts pass the personal-data and control-character checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from signals.db.models import NafaseEvaluation, User, Wijk
from signals.domain import Role
from signals.engine.weeks import week_label
from signals.errors import ConflictError, FieldError, ValidationError
from signals.services import audit
from signals.services.actions import wijk_actions
from signals.services.actor import Actor, authorise
from signals.services.data_version import bump
from signals.services.phases import default_period, phase_table, scoped_wijken
from signals.services.pii import require_confirmed
from signals.services.plain_text import normalise_newlines, text_problem
from signals.services.terugblik import escalation_lead_times

LOOKBACK_WEEKS = 52
MIN_TEXT, MAX_TEXT = 5, 1000
FIELDS = ("first_signal", "keep", "change")
COLUMNS = ["wijk_code", "wijk_naam", "nafase_end", "escalation_week", "lead_weeks",
           "first_signal", "keep", "change", "actions", "created_by"]


@dataclass(frozen=True)
class EndedNafase:
    wijk_code: str
    nafase_end: date  # Monday of the last nafase week
    escalation_week: date | None  # Monday of the week phase 4 started
    lead_weeks: int | None
    actions: pd.DataFrame  # the wijk's actions from the first phase >= 2 week to the end


def pending_evaluation(session: Session, actor: Actor, wijk_code: str,
                       today: date | None = None) -> EndedNafase | None:
    """The latest ended nafase of the wijk (within a year) that has no evaluation yet."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    (wijk,) = scoped_wijken(session, actor, [wijk_code])
    first, last = default_period(LOOKBACK_WEEKS, today)
    table = phase_table(session, actor, first, last, [wijk_code]).sort_values("week_start")
    nafase = table["nafase"].to_numpy(dtype=bool)
    ended = np.flatnonzero(nafase[:-1] & ~nafase[1:])
    if not len(ended):
        return None
    end = pd.Timestamp(table["week_start"].iloc[ended[-1]]).date()
    done = session.scalar(select(NafaseEvaluation.id).where(
        NafaseEvaluation.wijk_id == wijk.id, NafaseEvaluation.nafase_end == end))
    if done is not None:
        return None
    return nafase_context(session, actor, wijk_code, end, table)


def nafase_context(session: Session, actor: Actor, wijk_code: str, end: date,
                   table: pd.DataFrame | None = None) -> EndedNafase:
    """The escalation before the nafase ending in week `end`, its lead time and the
    actions taken; `table` is the wijk's phase table when the caller has it."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    if table is None:
        table = phase_table(session, actor, end - timedelta(weeks=LOOKBACK_WEEKS), end,
                            [wijk_code])
    before = table[table["week_start"] <= pd.Timestamp(end)].sort_values("week_start")
    leads = escalation_lead_times(before, before.set_index("wijk_code")["wijk_naam"]
                                  .drop_duplicates())
    escalation, lead = None, None
    if len(leads):
        last = leads["week"].iloc[-1]
        escalation = date.fromisocalendar(int(last[:4]), int(last[-2:]), 1)
        lead = int(leads["weken_vooraf"].iloc[-1])
    start = (escalation or end) - timedelta(weeks=lead or 0)
    actions = wijk_actions(session, actor, wijk_code, start, end + timedelta(days=6))
    return EndedNafase(wijk_code, end, escalation, lead, actions)


def record_evaluation(session: Session, actor: Actor, wijk_code: str, nafase_end: date,
                      first_signal: str, keep: str, change: str,
                      today: date | None = None) -> int:
    """Store the evaluation of the wijk's ended nafase; one per nafase."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    texts = _checked({"first_signal": first_signal, "keep": keep, "change": change})
    pending = pending_evaluation(session, actor, wijk_code, today)
    if pending is None or pending.nafase_end != nafase_end:
        raise ConflictError("Deze nafase is al geëvalueerd of nog niet afgelopen. Vernieuw de "
                            "pagina.")
    wijk = session.scalar(select(Wijk).where(Wijk.code == wijk_code))
    evaluation = NafaseEvaluation(wijk_id=wijk.id, nafase_end=nafase_end,  # type: ignore[union-attr]
                                  escalation_week=pending.escalation_week,
                                  lead_weeks=pending.lead_weeks, created_by_id=actor.user_id,
                                  **texts)
    session.add(evaluation)
    session.flush()
    bump(session, [evaluation.wijk_id])
    audit.record(session, actor, "evaluatie_vastgelegd", "wijk", wijk_code,
                 {"nafase_einde": week_label(nafase_end), "weken_vooraf": pending.lead_weeks})
    return evaluation.id


def evaluations(session: Session, actor: Actor) -> pd.DataFrame:
    """Every evaluation in the actor's wijken, newest first, with the actions taken."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    author = aliased(User)
    query = (select(NafaseEvaluation, Wijk.code, Wijk.name, author.username)
             .join(Wijk, Wijk.id == NafaseEvaluation.wijk_id)
             .outerjoin(author, author.id == NafaseEvaluation.created_by_id)
             .order_by(NafaseEvaluation.nafase_end.desc(), NafaseEvaluation.id.desc()))
    if not actor.sees_all_wijken:
        query = query.where(NafaseEvaluation.wijk_id.in_(sorted(actor.wijk_ids)))
    rows = []
    for evaluation, code, name, username in session.execute(query).all():
        start = (evaluation.escalation_week or evaluation.nafase_end) - timedelta(
            weeks=evaluation.lead_weeks or 0)
        done = wijk_actions(session, actor, code, start,
                            evaluation.nafase_end + timedelta(days=6))
        listed = ", ".join(f"{d:%d-%m} {t}" for d, t in zip(done["action_date"],
                                                            done["type_label"], strict=True))
        rows.append((code, name, evaluation.nafase_end, evaluation.escalation_week,
                     evaluation.lead_weeks, evaluation.first_signal, evaluation.keep,
                     evaluation.change, listed, username))
    return pd.DataFrame(rows, columns=COLUMNS)


def _checked(texts: dict[str, str]) -> dict[str, str]:
    cleaned = {k: normalise_newlines(v or "").strip() for k, v in texts.items()}
    errors = []
    for name, value in cleaned.items():
        if not MIN_TEXT <= len(value) <= MAX_TEXT:
            errors.append(FieldError(name, f"gebruik {MIN_TEXT} tot {MAX_TEXT} tekens"))
        elif problem := text_problem(value, multiline=True):
            errors.append(FieldError(name, problem))
    if errors:
        raise ValidationError(errors)
    require_confirmed(cleaned, None)
    return cleaned
