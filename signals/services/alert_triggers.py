"""Alerts caused by a change, queued in the same transaction as the change.

`queue_for_changes` runs from the settle step (indicator_sync.py) after the weekly
aggregates of the touched wijk-weeks are recomputed; `queue_for_decision` from
phases.record_decision; `queue_visibility` from the worker, once a day. Each alert has an
idempotency key, so re-evaluating the same situation never queues it twice, and a rolled
back transaction takes its alerts with it.

Kept cheap for the save path: nothing runs unless someone has an alert address (or the
webhook is configured), and only wijk-weeks of the last two weeks are looked at (a bulk
import of history raises no alerts).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from signals.db.models import Signal, User, WeeklyIndicator, Wijk
from signals.domain import CATEGORY_BY_CODE, Role, Status
from signals.engine.phases import NOT_VISIBLE as ENGINE_NOT_VISIBLE
from signals.engine.weeks import week_label
from signals.localtime import monday_of, today_local
from signals.services.alert_channels import webhook_configured
from signals.services.alert_content import payload, wijk_page
from signals.services.alert_outbox import Queued, for_recipients, queue
from signals.services.alert_subscriptions import recipients
from signals.services.alert_types import CALL, DECISION, NOT_VISIBLE, PHASE, SEVERE

WEEK = timedelta(weeks=1)
SEVERE_MIN = 4
_STAFF = (Role.COORDINATOR, Role.BEHEERDER)
# Whether an active account has an alert address (the settle step reads it with the bump).
ANYONE_ADDRESSED = exists().where(User.alert_email.is_not(None), User.active.is_(True))


def queue_for_changes(session: Session, touched: Iterable[tuple[int, date]],
                      addressed: bool | None = None) -> None:
    """Phase rises, severe signals and corroborated calls among these (wijk, date) places.

    ``addressed``: ``ANYONE_ADDRESSED`` as the caller read it in this transaction (None:
    read it here when needed).
    """
    first = monday_of(today_local()) - WEEK
    recent = {(w, d) for w, d in touched if d >= first}
    if not recent:
        return
    heard = listening(session) if addressed is None else addressed or webhook_configured()
    if not heard:
        return
    weeks = {(w, monday_of(d)) for w, d in recent}
    wijken = {w.id: w for w in session.scalars(
        select(Wijk).where(Wijk.id.in_({w for w, _ in weeks})))}
    _phase_rises(session, wijken, weeks)
    _calls(session, wijken, weeks)
    _severe(session, wijken, recent)


def queue_for_decision(session: Session, decided_by: int | None, wijk: Wijk, monday: date,
                       decision_id: int, decided_phase: int) -> None:
    """A phase decision: tell the other coordinators of the wijk; a rise is a phase alert."""
    if not listening(session):
        return
    label = week_label(monday)
    items = []
    for person in recipients(session, DECISION, wijk.id):
        if person.user_id == decided_by:
            continue
        page, params = wijk_page(person.role, wijk.code, label)
        data = payload(f"{wijk.name}: fasebesluit fase {decided_phase} voor {label}",
                       wijk.code, wijk.name,
                       [f"Wijk: {wijk.name} ({wijk.code})", f"Week: {label}",
                        f"Een andere coördinator legde fase {decided_phase} vast. De reden "
                        "staat bij het besluit in het wijkprofiel."],
                       page, params, decided_phase)
        items += for_recipients(DECISION, wijk.id, f"{DECISION}:{decision_id}", [person],
                                {person.role: data})
    queue(session, items)
    if monday >= monday_of(today_local()) - WEEK:  # a decision about an old week: no rise
        _phase_rises(session, {wijk.id: wijk}, {(wijk.id, monday)})


def queue_visibility(session: Session, today: date | None = None) -> int:
    """"Onvoldoende zicht" in both of the last two completed weeks; once per wijk and week."""
    from signals.services.phases import compute_phases

    if not listening(session):
        return 0
    last = monday_of(today or today_local()) - WEEK
    wijken = list(session.scalars(select(Wijk).where(Wijk.retired_at.is_(None))))
    if not wijken:
        return 0
    table = compute_phases(session, wijken, last - WEEK, last)
    blind = table[table["visibility"] == ENGINE_NOT_VISIBLE].groupby("wijk_code").size()
    by_code = {w.code: w for w in wijken}
    items = []
    label = week_label(last)
    for code in blind[blind == 2].index:
        wijk = by_code[str(code)]
        lines = [f"Wijk: {wijk.name} ({wijk.code})",
                 f"Weken: {week_label(last - WEEK)} en {label}",
                 "Minder dan de helft van de sleutelfiguren meldde; de fase zegt dan weinig. "
                 "Neem contact op met de sleutelfiguren."]
        items += _for_staff(session, NOT_VISIBLE, wijk, f"{NOT_VISIBLE}:{wijk.id}:{label}",
                            f"{wijk.name}: onvoldoende zicht, twee weken op rij", lines, label)
    return queue(session, items)


def listening(session: Session) -> bool:
    """Whether anyone could receive an alert: one cheap query, or the webhook setting."""
    return webhook_configured() or bool(session.scalar(select(ANYONE_ADDRESSED)))


def _phase_rises(session: Session, wijken: dict[int, Wijk],
                 weeks: set[tuple[int, date]]) -> None:
    from signals.services.phases import compute_phases
    from signals.services.weekbeeld import manager_reason

    if not webhook_configured():  # the phase table is the costly part: only for listeners
        wijken = {i: w for i, w in wijken.items() if recipients(session, PHASE, i)}
        weeks = {(i, m) for i, m in weeks if i in wijken}
    if not wijken:
        return
    mondays = sorted({m for _, m in weeks})
    table = compute_phases(session, list(wijken.values()), mondays[0] - WEEK, mondays[-1])
    table["level"] = table[["phase", "effective_phase"]].max(axis=1)
    by_code = {w.code: w for w in wijken.values()}
    items: list[Queued] = []
    for _, row in table.iterrows():
        wijk = by_code[str(row["wijk_code"])]
        monday = pd.Timestamp(row["week_start"]).date()
        if (wijk.id, monday) not in weeks:
            continue
        before = table[(table["wijk_code"] == row["wijk_code"])
                       & (table["week_start"] == pd.Timestamp(monday - WEEK))]
        previous = int(before["effective_phase"].iloc[0]) if len(before) else 0
        level = int(row["level"])
        if level < 2 or level <= previous:
            continue
        label = week_label(monday)
        how = (f"voorgesteld fase {int(row['phase'])}, vastgesteld fase "
               f"{int(row['effective_phase'])}" if not pd.isna(row["decided_phase"])
               else f"voorgesteld fase {int(row['phase'])}, nog geen besluit")
        head = [f"Wijk: {wijk.name} ({wijk.code})", f"Week: {label}",
                f"Fase: {level} ({how}); vorige week fase {previous}"]
        key = f"{PHASE}:{wijk.id}:{label}:{level}"
        title = f"{wijk.name} stijgt naar fase {level}"
        items += _for_staff(session, PHASE, wijk, key, title,
                            [*head, f"Redenen: {row['reasons']}"], label, level,
                            manager_lines=[*head, f"Redenen: {manager_reason(row)}"])
    queue(session, items)


def _calls(session: Session, wijken: dict[int, Wijk], weeks: set[tuple[int, date]]) -> None:
    """A call to action counted in a touched week (action date within the horizon) that is
    verified or seen by two key figures: the aggregates already say so."""
    rows = session.execute(select(WeeklyIndicator.wijk_id, WeeklyIndicator.week_start,
                                  WeeklyIndicator.call_verified, WeeklyIndicator.call_reporters)
                           .where(WeeklyIndicator.wijk_id.in_(wijken),
                                  WeeklyIndicator.call_n > 0)).all()
    items: list[Queued] = []
    for wijk_id, monday, verified, reporters in rows:
        if (wijk_id, monday) not in weeks or not (verified or reporters >= 2):
            continue
        wijk, label = wijken[wijk_id], week_label(monday)
        why = "geverifieerd" if verified else f"gezien door {reporters} sleutelfiguren"
        lines = [f"Wijk: {wijk.name} ({wijk.code})", f"Week: {label}",
                 f"Oproep tot actie met een actiedatum binnen 14 dagen, {why}."]
        state = "geverifieerd" if verified else "bevestigd"
        items += _for_staff(session, CALL, wijk, f"{CALL}:{wijk_id}:{label}:{state}",
                            f"{wijk.name}: oproep tot actie {state}", lines, label,
                            roles=_STAFF)
    queue(session, items)


def _severe(session: Session, wijken: dict[int, Wijk], places: set[tuple[int, date]]) -> None:
    rows = session.execute(select(Signal.id, Signal.wijk_id, Signal.observed_on,
                                  Signal.category, Signal.severity)
                           .where(Signal.wijk_id.in_(wijken), Signal.severity >= SEVERE_MIN,
                                  Signal.observed_on.in_({d for _, d in places}),
                                  Signal.status != Status.NIET_BEVESTIGD.value)).all()
    items: list[Queued] = []
    for signal_id, wijk_id, observed, category, severity in rows:
        if (wijk_id, observed) not in places:
            continue
        wijk = wijken[wijk_id]
        kind = CATEGORY_BY_CODE[category].label if category in CATEGORY_BY_CODE else category
        lines = [f"Wijk: {wijk.name} ({wijk.code})", f"Datum: {observed:%d-%m-%Y}",
                 f"Categorie: {kind}", f"Ernst: {severity}"]
        data = payload(f"{wijk.name}: signaal met ernst {severity}", wijk.code, wijk.name,
                       lines, "duiding", {"signaal": str(signal_id)})
        items += for_recipients(SEVERE, wijk_id, f"{SEVERE}:{signal_id}",
                                recipients(session, SEVERE, wijk_id),
                                {role: data for role in _STAFF})
    queue(session, items)


def _for_staff(session: Session, alert_type: str, wijk: Wijk, key: str, title: str,
               lines: list[str], label: str, phase: int | None = None,
               manager_lines: list[str] | None = None,
               roles: tuple[Role, ...] = (Role.COORDINATOR, Role.BEHEERDER, Role.MANAGER),
               ) -> list[Queued]:
    """E-mail rows for the subscribers, and one webhook row with the manager's wording."""
    safe = manager_lines if manager_lines is not None else lines
    per_role = {}
    for role in roles:
        page, params = wijk_page(role, wijk.code, label)
        per_role[role] = payload(title, wijk.code, wijk.name,
                                 safe if role == Role.MANAGER else lines, page, params, phase)
    items = for_recipients(alert_type, wijk.id, key, recipients(session, alert_type, wijk.id),
                           per_role)
    if webhook_configured() and alert_type in (PHASE, NOT_VISIBLE):
        page, params = wijk_page(Role.MANAGER, wijk.code, label)
        items.append(Queued(alert_type, wijk.id, None, "webhook", f"{key}:webhook",
                         payload(title, wijk.code, wijk.name, safe, page, params, phase)))
    return items

