"""The transactional outbox: queue alerts in the caller's transaction; lease, mark, retry.

Queueing is an INSERT that skips a row whose idempotency key (alert and recipient) already
exists, so saving the same change twice, or two app servers seeing the same rise, queue one
alert. A worker leases due rows with `claim` (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED;
SQLite, whose writers are serial: one UPDATE that takes only rows without a live lease), and
records `sending` before it hands a row to a channel (see alert_worker.py for the crash
trade-off).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pandas as pd
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from signals.db.models import AlertOutbox, User, Wijk, utcnow
from signals.domain import Role
from signals.errors import FieldError, NotFoundError, ValidationError
from signals.localtime import LOCAL_TZ
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.alert_subscriptions import Recipient
from signals.services.alert_types import ALERT_TYPES

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUS_LABELS = {QUEUED: "In wachtrij", SENDING: "Bezig", SENT: "Verzonden",
                 FAILED: "Mislukt"}
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
KEEP_DELIVERED = timedelta(days=90)
DIGEST_HOUR = 8  # a daily overview goes out at 08:00 Europe/Amsterdam


@dataclass(frozen=True)
class Queued:
    alert_type: str
    wijk_id: int | None
    user_id: int | None
    channel: str
    key: str
    payload: dict
    digest: bool = False


def queue(session: Session, items: Iterable[Queued], now: datetime | None = None) -> int:
    """Insert the alerts not queued before (by key); returns how many were offered."""
    now = now or utcnow()
    rows = [{"alert_type": i.alert_type, "wijk_id": i.wijk_id, "user_id": i.user_id,
             "channel": i.channel, "idempotency_key": i.key[:200], "payload": i.payload,
             "digest": i.digest, "status": QUEUED, "attempts": 0,
             "next_attempt_at": next_digest_time(now) if i.digest else now,
             "created_at": now, "updated_at": now} for i in items]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(make(AlertOutbox).on_conflict_do_nothing(
        index_elements=["idempotency_key"]), rows)
    return len(rows)


def for_recipients(alert_type: str, wijk_id: int | None, key: str,
                   recipients: list[Recipient], payload_for: dict[Role, dict]) -> list[Queued]:
    """One e-mail row per recipient; the payload is chosen by the recipient's role."""
    return [Queued(alert_type, wijk_id, r.user_id, "email", f"{key}:u{r.user_id}",
                   payload_for[r.role], r.digest) for r in recipients if r.role in payload_for]


def next_digest_time(now: datetime) -> datetime:
    local = now.astimezone(LOCAL_TZ)
    at = datetime.combine(local.date(), time(DIGEST_HOUR), tzinfo=LOCAL_TZ)
    return at if at > local else datetime.combine(local.date() + timedelta(days=1),
                                                   time(DIGEST_HOUR), tzinfo=LOCAL_TZ)


def claim(session: Session, worker: str, limit: int, channels: Iterable[str],
          lease: timedelta = LEASE, now: datetime | None = None) -> list[int]:
    """Lease up to `limit` due rows; ids in queue order. Commit to publish the lease.

    `worker` must be unique per batch (alert_worker.py adds a random part to host and pid),
    so the rows this call leased are exactly those carrying it."""
    now = now or utcnow()
    due = and_(AlertOutbox.status.in_([QUEUED, SENDING]), AlertOutbox.next_attempt_at <= now,
               AlertOutbox.channel.in_(list(channels)),
               or_(AlertOutbox.claimed_until.is_(None), AlertOutbox.claimed_until < now))
    pick = select(AlertOutbox.id).where(due).order_by(AlertOutbox.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(pick.with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(AlertOutbox).where(AlertOutbox.id.in_(ids)).values(
                claimed_by=worker, claimed_until=now + lease))
        return ids
    # SQLite: one writer at a time (BEGIN IMMEDIATE), and the WHERE repeats the lease test,
    # so a second worker can never take a row whose lease is live.
    session.execute(update(AlertOutbox).where(AlertOutbox.id.in_(pick.scalar_subquery()))
                    .values(claimed_by=worker, claimed_until=now + lease)
                    .execution_options(synchronize_session=False))
    return list(session.scalars(select(AlertOutbox.id).where(AlertOutbox.claimed_by == worker)
                                .order_by(AlertOutbox.id)))


def mark_sending(session: Session, ids: list[int], worker: str,
                 lease: timedelta = LEASE) -> list[AlertOutbox]:
    """Record the attempt before sending, and renew the lease for the hand-over (a long
    batch must not let the lease of the mail in flight run out); only rows still held."""
    rows = list(session.scalars(select(AlertOutbox).where(
        AlertOutbox.id.in_(ids), AlertOutbox.claimed_by == worker).order_by(AlertOutbox.id)))
    for row in rows:
        row.status = SENDING
        row.attempts += 1
        row.claimed_until = utcnow() + lease
    return rows


def mark_sent(session: Session, ids: list[int]) -> None:
    now = utcnow()
    rows = list(session.scalars(select(AlertOutbox).where(AlertOutbox.id.in_(ids))))
    for row in rows:
        row.status, row.sent_at, row.last_error = SENT, now, None
        row.claimed_by = row.claimed_until = None
        audit.record(session, _WORKER_ACTOR, "melding_verzonden", "alert_outbox", row.id,
                     {"type": row.alert_type, "kanaal": row.channel, "poging": row.attempts})


def mark_failed(session: Session, ids: list[int], error: str) -> None:
    """Back off exponentially (1, 2, 4 ... minutes, at most 6 hours); fail for good after
    MAX_ATTEMPTS. The error text is the channel's, never the alert's content."""
    now = utcnow()
    for row in session.scalars(select(AlertOutbox).where(AlertOutbox.id.in_(ids))):
        row.last_error = error[:500]
        row.claimed_by = row.claimed_until = None
        if row.attempts >= MAX_ATTEMPTS:
            row.status = FAILED
        else:
            row.status = QUEUED
            row.next_attempt_at = now + min(timedelta(minutes=2 ** (row.attempts - 1)),
                                            timedelta(hours=6))


def retry(session: Session, actor: Actor, outbox_id: int) -> None:
    """A beheerder sends a failed alert again (audited)."""
    actor = authorise(session, actor, Role.BEHEERDER)
    row = session.get(AlertOutbox, outbox_id)
    if row is None:
        raise NotFoundError(f"Melding {outbox_id} bestaat niet (meer).")
    if row.status != FAILED:
        raise ValidationError([FieldError("status", "alleen een mislukte melding kan opnieuw")])
    row.status, row.attempts, row.next_attempt_at = QUEUED, 0, utcnow()
    row.claimed_by = row.claimed_until = None
    audit.record(session, actor, "melding_opnieuw", "alert_outbox", row.id)


def outbox_rows(session: Session, actor: Actor, status: str | None = None,
                limit: int = 500) -> pd.DataFrame:
    """The outbox for the beheerder page, newest first; no payload beyond wijk and type."""
    actor = authorise(session, actor, Role.BEHEERDER)
    query = (select(AlertOutbox.id, AlertOutbox.created_at, AlertOutbox.alert_type,
                    Wijk.code, User.username, AlertOutbox.channel, AlertOutbox.status,
                    AlertOutbox.attempts, AlertOutbox.next_attempt_at, AlertOutbox.sent_at,
                    AlertOutbox.last_error)
             .outerjoin(Wijk, Wijk.id == AlertOutbox.wijk_id)
             .outerjoin(User, User.id == AlertOutbox.user_id)
             .order_by(AlertOutbox.id.desc()).limit(limit))
    if status:
        query = query.where(AlertOutbox.status == status)
    frame = pd.DataFrame(session.execute(query).all(), columns=[
        "id", "aangemaakt", "melding", "wijk_code", "ontvanger", "kanaal", "status",
        "pogingen", "volgende_poging", "verzonden", "fout"])
    frame["melding"] = frame["melding"].map(lambda c: ALERT_TYPES[c].label
                                            if c in ALERT_TYPES else c)
    frame["status"] = frame["status"].map(STATUS_LABELS)
    frame["ontvanger"] = frame["ontvanger"].fillna("(webhook)")
    for column in ("aangemaakt", "volgende_poging", "verzonden"):
        frame[column] = [None if pd.isna(v) else v.astimezone(LOCAL_TZ).replace(tzinfo=None)
                         for v in frame[column]]
    return frame


def status_counts(session: Session, actor: Actor) -> dict[str, int]:
    actor = authorise(session, actor, Role.BEHEERDER)
    rows = session.execute(select(AlertOutbox.status, func.count())
                           .group_by(AlertOutbox.status)).all()
    return {status: dict(rows).get(status, 0) for status in STATUS_LABELS}


def purge_delivered(session: Session, now: datetime | None = None) -> int:
    """Delete rows sent or failed for good more than KEEP_DELIVERED ago (docs/privacy.md)."""
    cutoff = (now or utcnow()) - KEEP_DELIVERED
    result = session.execute(delete(AlertOutbox).where(
        AlertOutbox.status.in_([SENT, FAILED]), AlertOutbox.updated_at < cutoff))
    return int(result.rowcount or 0)


# The worker acts as the system; its audit rows name it so.
_WORKER_ACTOR = Actor(user_id=None, username="meldingen", role=Role.BEHEERDER, is_system=True)
