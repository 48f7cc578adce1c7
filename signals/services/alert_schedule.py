"""Alerts on a clock, queued by the worker: the daily visibility check, the weekly overview
(Monday from 08:00 Europe/Amsterdam), the monthly network summary (the first Monday of the
month from 08:00) and the key figures' reminder (Thursday from 09:00).

The worker may run every minute; a setting remembers what was queued for which day or week,
so each runs once, and the idempotency keys make even a repeat harmless.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.db.models import Setting, Signal, Wijk, user_wijk, utcnow
from signals.domain import Role
from signals.engine.weeks import week_label
from signals.localtime import LOCAL_TZ, monday_of
from signals.services.actor import SYSTEM_ACTOR, Actor
from signals.services.alert_content import payload
from signals.services.alert_outbox import Queued, queue
from signals.services.alert_subscriptions import recipients
from signals.services.alert_triggers import queue_visibility
from signals.services.alert_types import NETWORK, REMINDER, WEEKLY

STATE_SETTING = "alerts_scheduled"
WEEKLY_AT = (0, time(8))  # Monday 08:00
REMINDER_AT = (3, time(9))  # Thursday 09:00
WEEK = timedelta(weeks=1)
REPORT_ATTACHMENT = "weekrapport"


def run_schedule(session: Session, now: datetime | None = None) -> int:
    """Queue whatever is due now and not queued before; returns the rows offered."""
    local = (now or utcnow()).astimezone(LOCAL_TZ)
    row = session.get(Setting, STATE_SETTING)
    state = dict(row.value) if row is not None and isinstance(row.value, dict) else {}
    before = dict(state)
    today, monday = local.date(), monday_of(local.date())
    label = week_label(monday)
    queued = 0
    if state.get("zicht") != today.isoformat():
        queued += queue_visibility(session, today)
        state["zicht"] = today.isoformat()
    if _after(local, monday, WEEKLY_AT) and state.get("week") != label:
        queued += queue_weekly(session, monday - WEEK)
        state["week"] = label
    month = monday.strftime("%Y-%m")
    if monday.day <= 7 and _after(local, monday, WEEKLY_AT) and state.get("netwerk") != month:
        queued += queue_network(session, monday)
        state["netwerk"] = month
    if _after(local, monday, REMINDER_AT) and state.get("herinnering") != label:
        queued += queue_reminders(session, monday)
        state["herinnering"] = label
    if state != before:
        session.merge(Setting(key=STATE_SETTING, value=state))
    return queued


def queue_weekly(session: Session, week: date) -> int:
    """Last week's overview: per coordinator their wijken; managers the suppressed weekly
    report (its summary in the mail, the PDF attached when the worker sends it)."""
    from signals.services.phases import compute_phases
    from signals.services.weekbeeld import summary_lines, weekbeeld

    people = recipients(session, WEEKLY, None)
    if not people:
        return 0
    label = week_label(week)
    items: list[Queued] = []
    managers = [p for p in people if p.role == Role.MANAGER]
    if managers:
        lines = summary_lines(weekbeeld(session, SYSTEM_ACTOR, week))
        data = payload(f"Weekoverzicht {label}", None, None, lines, "weekbeeld",
                       {"week": label}) | {"attachment": REPORT_ATTACHMENT, "week": label}
        items += [Queued(WEEKLY, None, p.user_id, "email", f"{WEEKLY}:{label}:u{p.user_id}",
                         data, p.digest) for p in managers]
    staff = [p for p in people if p.role != Role.MANAGER]
    if staff:
        wijken = list(session.scalars(select(Wijk).where(Wijk.retired_at.is_(None))))
        table = compute_phases(session, wijken, week, week).sort_values(
            ["effective_phase", "wijk_code"], ascending=[False, True])
        scopes: dict[int, set[int]] = {}
        for user_id, wijk_id in session.execute(select(user_wijk.c.user_id, user_wijk.c.wijk_id)
                                                .where(user_wijk.c.user_id.in_(
                                                    [p.user_id for p in staff]))):
            scopes.setdefault(user_id, set()).add(wijk_id)
        ids = {w.code: w.id for w in wijken}
        for person in staff:
            scope = scopes.get(person.user_id, set()) if person.role == Role.COORDINATOR \
                else set(ids.values())
            mine = table[table["wijk_code"].map(ids).isin(scope)]
            lines = [f"{r.wijk_naam} ({r.wijk_code}): fase {r.effective_phase} "
                     f"({r.effective_name})" for r in mine.itertuples() if r.effective_phase > 0]
            rest = int((mine["effective_phase"] == 0).sum())
            lines.append(f"{rest} wijk(en) in fase 0 (rust)." if rest else "")
            items.append(Queued(WEEKLY, None, person.user_id, "email",
                                f"{WEEKLY}:{label}:u{person.user_id}",
                                payload(f"Weekoverzicht {label}", None, None,
                                        [line for line in lines if line], "overzicht", {}),
                                person.digest))
    return queue(session, items)


def queue_network(session: Session, monday: date) -> int:
    """The monthly network summary per coordinator (their wijken) or beheerder (all), as the
    Netwerk page shows it but without key figures' usernames: a mail is no place for them."""
    from signals.services.network import monthly_summary

    month = monday.strftime("%Y-%m")
    items = []
    for p in recipients(session, NETWORK, None):
        summary = monthly_summary(session, Actor(p.user_id, p.username, p.role), monday,
                                  names=False)
        items.append(Queued(NETWORK, None, p.user_id, "email", f"{NETWORK}:{month}:u{p.user_id}",
                            payload(f"Netwerkoverzicht {summary.month}", None, None,
                                    list(summary.lines), "netwerk", {}), p.digest))
    return queue(session, items)


def queue_reminders(session: Session, monday: date) -> int:
    """Key figures who asked for it and have logged nothing (not even a nul-melding) yet."""
    people = recipients(session, REMINDER, None)
    if not people:
        return 0
    active = set(session.scalars(select(Signal.reporter_id).where(
        Signal.reporter_id.in_([p.user_id for p in people]), Signal.observed_on >= monday)))
    label = week_label(monday)
    lines = ["U heeft deze week nog geen signaal of nul-melding doorgegeven.",
             "Ook 'geen bijzonderheden' helpt: zo weten we dat het rustig is in uw wijk."]
    return queue(session, [
        Queued(REMINDER, None, p.user_id, "email", f"{REMINDER}:{label}:u{p.user_id}",
               payload(f"Herinnering: uw melding voor {label}", None, None, lines, "melden",
                       {}), p.digest)
        for p in people if p.user_id not in active])


def _after(local: datetime, monday: date, at: tuple[int, time]) -> bool:
    weekday, clock = at
    return local >= datetime.combine(monday + timedelta(days=weekday), clock, tzinfo=LOCAL_TZ)
