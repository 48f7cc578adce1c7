"""A retention purge stays a purge, on SQLite and PostgreSQL.

The purge clears every column retention_rules.py marks as purged (signal text, account
links, history authors and text, link authors, the actor of old audit events), and
re-importing the original file afterwards neither restores nor updates the purged signal.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from signals.db.models import AuditEvent, Signal, SignalHistory, SignalLink, User, utcnow
from signals.db.uow import read_session, run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.retention import purge
from signals.services.retention_rules import purged_columns
from signals.services.review import link_signals
from signals.services.signal_history import TEXT_FIELDS, add_history
from signals.services.signal_import import preview_import
from tests.integration.signal_world import TODAY, counts, make_world
from tests.integration.test_signal_import import csv_bytes, do_import, row

FULL = row(category="oproep_mobilisatie", subtype="Flyer bij de moskee",
           action_date="14-03-2026", action_place="Marktplein bij Jan de Vries",
           description="Jan de Vries roept op tot protest", severity="4")
COLUMNS = list(FULL)
LATER = utcnow() + timedelta(days=400)  # past the retention of everything made now


def _imported_world(engine):  # type: ignore[no-untyped-def]
    world = make_world(engine)
    data = csv_bytes([FULL, row(external_id="x-2", description="Tweede melding")], COLUMNS)
    do_import(engine, world.coord_a, data)
    with read_session(engine) as session:
        first, second = session.scalars(select(Signal.id).order_by(Signal.id)).all()

    def coordinator_work(session) -> None:  # type: ignore[no-untyped-def]
        link_signals(session, world.coord_a, first, second)
        add_history(session, world.coord_a, first, "bewerkt", "description", "oud", "nieuw")
        add_history(session, world.coord_a, first, "notitie", note="Gesproken met Jan")

    run_write(engine, coordinator_work)
    return world, data, first


def test_purge_clears_every_column_the_rules_mark_as_purged(engine) -> None:
    world, _data, first = _imported_world(engine)

    def recent_event(session) -> None:  # type: ignore[no-untyped-def]
        session.add(AuditEvent(at=LATER, user_id=world.coord_a.user_id, username="coord_noord",
                               action="signaal_bekeken", object_type="signal",
                               object_id=str(first)))

    run_write(engine, recent_event)
    with read_session(engine) as session:
        before = session.get(Signal, first)
        assert all(getattr(before, c) is not None for c in purged_columns("signals"))
    result = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, now=LATER))
    assert result.signals == 2 and result.audit_events > 0
    with read_session(engine) as session:
        signal = session.get(Signal, first)
        assert {c: getattr(signal, c) for c in purged_columns("signals")} == dict.fromkeys(
            purged_columns("signals"))
        assert (signal.category, signal.severity, signal.reporter_role) == (
            "oproep_mobilisatie", 4, "jongerenwerker")
        history = session.scalars(select(SignalHistory)).all()
        assert history and all(h.user_id is None and h.note is None for h in history)
        assert all(h.old_value is None and h.new_value is None
                   for h in history if h.field in TEXT_FIELDS)
        assert session.scalars(select(SignalLink.created_by_id)).all() == [None]
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "signal")).all()
        old = [e for e in events if e.at < LATER - timedelta(days=1)
               and e.action != "bewaartermijn_opgeschoond"]  # the purge itself, just now
        assert old and all(e.user_id is None and e.username is None for e in old)
        recent = [e for e in events if e.action == "signaal_bekeken"]
        assert [(e.user_id, e.username) for e in recent] == [
            (world.coord_a.user_id, "coord_noord")]  # within the retention period: kept
        logins = session.scalars(select(User.username).where(
            User.id == world.kf_a.user_id)).all()
        assert logins == ["kf_noord"]  # the account itself is not touched


def test_reimporting_the_old_file_never_restores_a_purged_signal(engine) -> None:
    world, data, first = _imported_world(engine)
    run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, now=LATER))
    with read_session(engine) as session:
        purged = session.get(Signal, first)
        purged_state = (purged.version, purged.purged_at)
        preview = preview_import(session, world.coord_a, "signalen.csv", data, today=TODAY)
    assert preview.ok and preview.summary.purged_rows == (2, 3)
    assert (preview.summary.created, preview.summary.updated) == (0, 0)
    assert "opgeschoond" in preview.summary.purged_message()
    before = counts(engine)
    summary = do_import(engine, world.coord_a, data)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 0)
    assert summary.purged_rows == (2, 3)
    after = counts(engine)
    assert after == before | {"audit": before["audit"] + 1}  # only the import's audit event
    with read_session(engine) as session:
        signal = session.get(Signal, first)
        assert {c: getattr(signal, c) for c in purged_columns("signals")} == dict.fromkeys(
            purged_columns("signals"))
        assert (signal.version, signal.purged_at) == purged_state


def test_a_purged_signal_is_skipped_even_when_only_a_code_changes(engine) -> None:
    world, _data, first = _imported_world(engine)
    run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, now=LATER))
    run_write(engine, lambda s: s.execute(update(Signal).values(severity=4)))
    changed = csv_bytes([row(severity="5", reporter="kf_noord2")])
    summary = do_import(engine, world.coord_a, changed)
    assert (summary.updated, summary.purged_rows) == (0, (2,))
    with read_session(engine) as session:
        signal = session.get(Signal, first)
        assert (signal.severity, signal.reporter_id) == (4, None)
