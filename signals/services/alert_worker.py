"""The outbox worker: lease due alerts, send them, mark them sent; retry with backoff.

The scheduled alerts (alert_schedule.py) are queued at the start of every run.

Each mail (one alert, or a recipient's daily overview) goes through three commits:
`sending` (with the attempt counted), the hand-over to the channel, then `sent`. A crash
before the hand-over leaves `sending` with a lease that runs out; the next run sends it.

Delivery is at least once, not exactly once: if the process dies after the SMTP server
accepted a mail but before `sent` is committed (a window of milliseconds), the next run
sends it again. Such a repeat carries the same Message-ID (derived from the idempotency
key) and the webhook the same X-Wijksignalen-Id, so mail clients and receivers can drop it.
Losing an alert silently was judged worse than a rare recognisable duplicate. Two workers
never send the same row: the lease is taken with SKIP LOCKED (PostgreSQL) or a serial
UPDATE (SQLite), and marking checks that the row is still this worker's.
"""

from __future__ import annotations

import os
import smtplib
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from signals.db.models import AlertOutbox, User
from signals.db.uow import run_write
from signals.localtime import LOCAL_TZ
from signals.services.actor import SYSTEM_ACTOR
from signals.services.alert_channels import (
    Mailer,
    WebhookSettings,
    send_webhook,
    smtp_settings,
    webhook_settings,
)
from signals.services.alert_content import email_message, webhook_json
from signals.services.alert_outbox import (
    LEASE,
    claim,
    mark_failed,
    mark_sending,
    mark_sent,
    purge_delivered,
)
from signals.services.alert_schedule import REPORT_ATTACHMENT, run_schedule

BATCH = 50


@dataclass
class WorkerResult:
    sent: int = 0
    failed: int = 0
    email_configured: bool = False
    webhook_configured: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Mail:
    ids: list[int]
    channel: str
    address: str | None
    items: list[tuple[str, dict]]
    alert_type: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def run_once(engine: Engine, batch: int = BATCH, lease: timedelta = LEASE,
             scan: bool = True) -> WorkerResult:
    """Send everything that is due now, then return (`python -m signals notify`)."""
    smtp, hook = smtp_settings(), webhook_settings()
    result = WorkerResult(email_configured=smtp is not None,
                          webhook_configured=hook is not None)
    if scan:
        run_write(engine, lambda s: (run_schedule(s), purge_delivered(s)))
    channels = [name for name, on in (("email", smtp), ("webhook", hook)) if on]
    if not channels:
        return result
    mailer = Mailer(smtp) if smtp is not None else None
    try:
        while True:
            token = f"{worker_name()}:{uuid.uuid4().hex[:8]}"
            ids = run_write(engine, lambda s, t=token: claim(s, t, batch, channels, lease))
            if not ids:
                return result
            for mail in run_write(engine, lambda s, t=token, i=ids: _prepare(s, i, t)):
                _deliver(engine, mail, token, lease, result, mailer, hook)
    finally:
        if mailer is not None:
            mailer.close()


def run_loop(engine: Engine, interval: float = 15.0, lease: timedelta = LEASE,
             stop: Callable[[], bool] = lambda: False,
             report: Callable[[WorkerResult], None] = lambda _result: None) -> None:
    """`notify --loop`: run, sleep `interval` seconds, repeat until `stop()`."""
    while not stop():
        report(run_once(engine, lease=lease))
        deadline = time.monotonic() + interval
        while not stop() and time.monotonic() < deadline:
            time.sleep(min(0.5, interval))


def _prepare(session: Session, ids: list[int], token: str) -> list[_Mail]:
    """Group the leased batch: one mail per alert, one per recipient's daily overview."""
    rows = list(session.scalars(select(AlertOutbox).where(
        AlertOutbox.id.in_(ids), AlertOutbox.claimed_by == token).order_by(AlertOutbox.id)))
    users = {u.id: u for u in session.scalars(
        select(User).where(User.id.in_({r.user_id for r in rows if r.user_id})))}
    mails: list[_Mail] = []
    overviews: dict[int, list] = {}
    for row in rows:
        if row.channel == "email" and row.digest and row.user_id:
            overviews.setdefault(row.user_id, []).append(row)
            continue
        mails.append(_Mail([row.id], row.channel, _address(users.get(row.user_id)),
                           [(row.idempotency_key, row.payload)], row.alert_type))
    for user_id, group in overviews.items():
        mails.append(_Mail([r.id for r in group], "email", _address(users.get(user_id)),
                           [(r.idempotency_key, r.payload) for r in group], "overzicht"))
    reports: dict[str, bytes] = {}
    for mail in mails:
        for _key, data in mail.items:
            if data.get("attachment") == REPORT_ATTACHMENT:
                week = str(data.get("week"))
                if week not in reports:
                    reports[week] = _weekly_report(session, week)
                mail.attachments.append((f"weekrapport-{week}.pdf", reports[week]))
    return mails


def _weekly_report(session: Session, week: str) -> bytes:
    """The managers' weekly report PDF, suppressed like on screen (weekbeeld.py)."""
    from signals.services.report_pdf import render_pdf
    from signals.services.weekbeeld import weekbeeld

    monday = date.fromisocalendar(int(week[:4]), int(week[-2:]), 1)
    return render_pdf(weekbeeld(session, SYSTEM_ACTOR, monday), datetime.now(LOCAL_TZ), 12)


def _address(user: User | None) -> str | None:
    return user.alert_email if user is not None and user.active else None


def _deliver(engine: Engine, mail: _Mail, token: str, lease: timedelta, result: WorkerResult,
             mailer: Mailer | None, hook: WebhookSettings | None) -> None:
    held = run_write(engine, lambda s: [r.id for r in mark_sending(s, mail.ids, token, lease)])
    if sorted(held) != sorted(mail.ids):
        return  # the lease ran out and another worker took (part of) it: leave it to them
    try:
        if mail.channel == "webhook" and hook is not None:
            key, data = mail.items[0]
            send_webhook(hook, key, webhook_json(key, mail.alert_type, data))
        elif mail.address is None or mailer is None:
            raise ValueError("de ontvanger heeft geen meldingsadres meer of is niet actief")
        else:
            mailer.send(email_message(mailer.smtp.sender, mail.address, mail.items,
                                      mail.attachments))
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        run_write(engine, lambda s: mark_failed(s, mail.ids, error))
        result.failed += len(mail.ids)
        result.errors.append(error)
        return
    run_write(engine, lambda s: mark_sent(s, mail.ids))
    result.sent += len(mail.ids)
