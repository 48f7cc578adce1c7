"""Database look-ups for the signal page tests (AppTest runs against `demo_database`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.db.engine import make_engine
from signals.db.models import AuditEvent, Signal, SignalHistory, User


def query(url: str, statement):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(statement).all()
    finally:
        engine.dispose()


def execute(url: str, statement) -> None:  # type: ignore[no-untyped-def]
    """Arrange a test's starting point with one committed statement."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(statement)
    finally:
        engine.dispose()


def signal_count(url: str) -> int:
    return query(url, select(func.count()).select_from(Signal))[0][0]


def user_id(url: str, username: str) -> int:
    return query(url, select(User.id).where(User.username == username))[0][0]


def latest_signal(url: str) -> Signal:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            return session.scalars(select(Signal).order_by(Signal.id.desc()).limit(1)).one()
    finally:
        engine.dispose()


def history_actions(url: str, signal_id: int) -> list[str]:
    return [r[0] for r in query(url, select(SignalHistory.action).where(
        SignalHistory.signal_id == signal_id).order_by(SignalHistory.id))]


def audit_actions(url: str, action: str) -> list[tuple]:
    return query(url, select(AuditEvent.username, AuditEvent.object_id, AuditEvent.details)
                 .where(AuditEvent.action == action))
