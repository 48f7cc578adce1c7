"""Form drafts on SQLite and PostgreSQL: one per user and form, never another user's, gone
after saving or discarding, and after 7 days (also deleted by the retention purge)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from signals.db.models import FormDraft, utcnow
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.services import retention
from signals.services.actor import SYSTEM_ACTOR
from signals.services.form_drafts import (
    DRAFT_DAYS,
    discard_draft,
    load_draft,
    purge_stale_drafts,
    save_draft,
)
from tests.security.factories import make_user

TEXT = {"description": "Onrust bij het winkelcentrum", "category": "onvrede"}


def _load(engine, actor, form: str = "melden", now=None):  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        return load_draft(session, actor, form, now)


def _count(engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(FormDraft)) or 0


def test_a_draft_is_only_ever_read_back_by_its_own_user(engine) -> None:
    owner = make_user(engine, "melder", Role.MANAGER)
    other = make_user(engine, "ander", Role.MANAGER)
    run_write(engine, lambda s: save_draft(s, owner, "melden", TEXT))
    assert _load(engine, owner) == TEXT
    assert _load(engine, other) is None
    assert _load(engine, owner, "bewerken:12") is None  # per form, too
    changed = {**TEXT, "description": "Meer onrust"}
    run_write(engine, lambda s: save_draft(s, owner, "melden", changed))
    assert _load(engine, owner) == changed and _count(engine) == 1


def test_discarding_removes_the_draft(engine) -> None:
    owner = make_user(engine, "melder", Role.MANAGER)
    run_write(engine, lambda s: save_draft(s, owner, "melden", TEXT))
    run_write(engine, lambda s: discard_draft(s, owner, "melden"))
    assert _load(engine, owner) is None and _count(engine) == 0


def test_a_draft_expires_after_seven_days_and_the_purge_deletes_it(engine) -> None:
    owner = make_user(engine, "melder", Role.MANAGER)
    old = utcnow() - timedelta(days=DRAFT_DAYS, minutes=1)
    run_write(engine, lambda s: save_draft(s, owner, "melden", TEXT, now=old))
    run_write(engine, lambda s: save_draft(s, owner, "bewerken:3", TEXT))
    assert _load(engine, owner) is None
    assert _load(engine, owner, "bewerken:3") == TEXT
    run_write(engine, lambda s: retention.purge(s, SYSTEM_ACTOR))
    assert _count(engine) == 1
    later = utcnow() + timedelta(days=DRAFT_DAYS + 1)
    assert run_write(engine, lambda s: purge_stale_drafts(s, later)) == 1
