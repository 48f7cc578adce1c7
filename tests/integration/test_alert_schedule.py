"""Scheduled alerts: the weekly overview (managers get the suppressed report PDF), the
key figures' reminder, each once per week, and the monthly network summary, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select, update

from signals.db.models import AlertOutbox, User
from signals.db.uow import read_session, run_write
from signals.localtime import LOCAL_TZ
from signals.services import alert_triggers
from signals.services.alert_schedule import run_schedule
from signals.services.alert_subscriptions import save_my_alerts
from signals.services.alert_worker import run_once
from signals.services.intake import record_nul_melding
from tests.integration.alert_servers import make_certificate, start_smtp
from tests.integration.signal_world import TODAY, make_world

THURSDAY_10 = datetime.combine(TODAY, time(10), tzinfo=LOCAL_TZ)  # TODAY is a Thursday
FIRST_MONDAY = date(2026, 4, 6)  # the first Monday of April 2026


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    inbox, controller, _env = start_smtp(*make_certificate(tmp_path), monkeypatch)
    yield inbox
    controller.stop()


def test_weekly_overview_and_reminder_are_queued_once_and_sent(engine, smtp,
                                                               monkeypatch) -> None:
    monkeypatch.setattr(alert_triggers, "today_local", lambda: TODAY)
    world = make_world(engine)
    for actor, address, choices in (
            (world.manager, "m@gemeente.test", {}),
            (world.coord_a, "a@gemeente.test", {"weekoverzicht": ("direct", None)}),
            (world.kf_a, "kf.a@gemeente.test", {"herinnering": ("direct", None)}),
            (world.kf_b, "kf.b@gemeente.test", {"herinnering": ("direct", None)})):
        run_write(engine, lambda s, a=actor, e=address, c=choices: save_my_alerts(s, a, e, c))
    run_write(engine, lambda s: record_nul_melding(s, world.kf_b, world.wijk_b, today=TODAY))

    run_write(engine, lambda s: run_schedule(s, THURSDAY_10))
    run_write(engine, lambda s: run_schedule(s, THURSDAY_10))  # a second run queues nothing
    with read_session(engine) as s:
        rows = [(r.alert_type, r.user_id) for r in s.scalars(
            select(AlertOutbox).where(AlertOutbox.alert_type != "zicht"))]
    assert sorted(rows) == sorted([("weekoverzicht", world.manager.user_id),
                                   ("weekoverzicht", world.coord_a.user_id),
                                   ("herinnering", world.kf_a.user_id)])  # kf_b reported

    assert run_once(engine, scan=False).failed == 0
    mails = {to[0]: m for to, m in smtp.messages}
    report = mails["m@gemeente.test"]
    assert report["Subject"] == "Wijksignalen: Weekoverzicht 2026-W10"
    pdf = next(part for part in report.walk() if part.get_content_type() == "application/pdf")
    assert pdf.get_filename() == "weekrapport-2026-W10.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF")
    assert "Herinnering" in mails["kf.a@gemeente.test"]["Subject"]
    assert "kf.b@gemeente.test" not in mails


def test_network_summary_is_queued_on_the_first_monday_once_without_usernames(
        engine, smtp, monkeypatch) -> None:
    monkeypatch.setattr(alert_triggers, "today_local", lambda: FIRST_MONDAY)
    world = make_world(engine)
    run_write(engine, lambda s: save_my_alerts(s, world.coord_a, "a@gemeente.test", {}))
    run_write(engine, lambda s: s.execute(update(User).where(User.role == "sleutelfiguur")
                                          .values(active_since=datetime(2026, 1, 5, tzinfo=UTC))))

    def network_rows() -> list[tuple[int | None, str]]:
        with read_session(engine) as s:
            return [(r.user_id, r.idempotency_key) for r in s.scalars(
                select(AlertOutbox).where(AlertOutbox.alert_type == "netwerk"))]

    early = datetime.combine(FIRST_MONDAY, time(7, 59), tzinfo=LOCAL_TZ)
    run_write(engine, lambda s: run_schedule(s, early))
    assert network_rows() == []
    for hour in (8, 9):  # the second run the same month queues nothing
        at = datetime.combine(FIRST_MONDAY, time(hour), tzinfo=LOCAL_TZ)
        run_write(engine, lambda s, at=at: run_schedule(s, at))
    assert network_rows() == [(world.coord_a.user_id, f"netwerk:2026-04:u{world.coord_a.user_id}")]
    second = datetime.combine(date(2026, 5, 11), time(9), tzinfo=LOCAL_TZ)  # May 4 was first
    run_write(engine, lambda s: run_schedule(s, second))
    assert len(network_rows()) == 1  # a new month, but not its first Monday

    assert run_once(engine, scan=False).failed == 0
    mails = {to[0]: m for to, m in smtp.messages}
    text = mails["a@gemeente.test"].get_payload(decode=True).decode()
    assert mails["a@gemeente.test"]["Subject"] == "Wijksignalen: Netwerkoverzicht april 2026"
    assert "3 slapende sleutelfiguren" in text and "Noord 2, Zuid 1" in text
    assert "Meldpercentage" in text
    assert not any(name in text for name in ("kf_noord", "kf_zuid"))
