"""Scheduled alerts: the weekly overview (managers get the suppressed report PDF) and the
key figures' reminder, each once per week, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import select

from signals.db.models import AlertOutbox
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
