"""The demo story: the coordinator subscribed to Spoorzone gets a mail when a key figure
corroborates this week's call, with a link to the wijk profile and no description text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from signals.db.models import User
from signals.db.uow import run_write
from signals.services import alert_triggers
from signals.services.alert_subscriptions import save_my_alerts
from signals.services.alert_worker import run_once
from signals.services.auth import actor_from_user
from signals.services.intake import create_signal
from signals.services.signal_draft import SignalDraft
from tests.conftest import DEMO_TODAY
from tests.integration.alert_servers import make_certificate, start_smtp

SPOORZONE = "WK990105"
TEXT = "Groepsapp roept op om zaterdag bij het station te verzamelen."


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    inbox, controller, _env = start_smtp(*make_certificate(tmp_path), monkeypatch)
    yield inbox
    controller.stop()


def test_the_spoorzone_coordinator_gets_a_mail_when_the_call_is_corroborated(
        demo_engine, smtp, monkeypatch) -> None:
    monkeypatch.setattr(alert_triggers, "today_local", lambda: DEMO_TODAY)

    def actors(session):
        users = {u.username: u for u in session.scalars(select(User).where(
            User.username.in_(["coordinator", "sleutelfiguur"])))}
        wijk = next(w for w in users["sleutelfiguur"].wijken if w.code == SPOORZONE)
        return actor_from_user(users["coordinator"]), actor_from_user(users["sleutelfiguur"]), \
            wijk.id

    coordinator, key_figure, spoorzone = run_write(demo_engine, actors)
    run_write(demo_engine, lambda s: save_my_alerts(
        s, coordinator, "coordinator@lindeveen.test",
        {"oproep": ("direct", [SPOORZONE]), "fase": ("direct", [SPOORZONE])}))
    call = SignalDraft(wijk_id=spoorzone, observed_on=DEMO_TODAY, category="oproep_mobilisatie",
                       description=TEXT, action_date=DEMO_TODAY + timedelta(days=2))
    run_write(demo_engine, lambda s: create_signal(s, key_figure, call, today=DEMO_TODAY))
    assert run_once(demo_engine, scan=False).failed == 0
    subjects = {m["Subject"]: m for _, m in smtp.messages}
    mail = subjects["Wijksignalen: Spoorzone: oproep tot actie bevestigd"]
    assert mail["To"] == "coordinator@lindeveen.test"
    body = mail.get_payload(decode=True).decode()
    assert "/wijkprofiel?wijk=WK990105" in body and TEXT not in body
    assert all("Spoorzone" in subject for subject in subjects)  # only the chosen wijk
