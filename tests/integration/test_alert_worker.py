"""The outbox worker on SQLite and PostgreSQL: a crash mid-batch and two workers at once
still deliver every alert exactly once to a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from signals.config import PROJECT_ROOT
from signals.db.engine import make_engine
from signals.db.models import AlertOutbox
from signals.db.uow import read_session, run_write
from signals.services.alert_content import message_id, payload
from signals.services.alert_outbox import MAX_ATTEMPTS, Queued, queue
from signals.services.alert_subscriptions import save_my_alerts
from signals.services.alert_worker import run_once
from tests.integration.alert_servers import free_port, make_certificate, start_smtp
from tests.integration.signal_world import make_world

ALERTS = 24


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp(certificate, monkeypatch):
    inbox, controller, env = start_smtp(*certificate, monkeypatch)
    yield inbox, env
    controller.stop()


def queue_alerts(engine, n: int) -> list[str]:
    world = make_world(engine)
    run_write(engine, lambda s: save_my_alerts(s, world.coord_a, "a@gemeente.test", {}))
    keys = [f"test:{i}:u{world.coord_a.user_id}" for i in range(n)]
    items = [Queued("fase", world.wijk_a, world.coord_a.user_id, "email", key,
                    payload(f"Melding {i}", "WK099001", "Noord", [], "wijkprofiel",
                            {"wijk": "WK099001"}, 2)) for i, key in enumerate(keys)]
    run_write(engine, lambda s: queue(s, items))
    return keys


def statuses(engine) -> list[str]:
    with read_session(engine) as s:
        return list(s.scalars(select(AlertOutbox.status)
                              .where(AlertOutbox.idempotency_key.like("test:%"))
                              .order_by(AlertOutbox.id)))


def test_two_workers_at_once_send_every_alert_exactly_once(engine, smtp) -> None:
    inbox, _env = smtp
    keys = queue_alerts(engine, ALERTS)
    engines = [make_engine(engine.url.render_as_string(hide_password=False)) for _ in range(2)]
    start = threading.Barrier(2)

    def work(own) -> None:
        start.wait()
        run_once(own, batch=3, scan=False)

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for own in engines:
        own.dispose()
    assert sorted(inbox.message_ids()) == sorted(message_id(k) for k in keys)
    assert statuses(engine) == ["sent"] * ALERTS


def test_a_worker_killed_mid_batch_resumes_and_sends_each_alert_once(engine, smtp) -> None:
    inbox, env = smtp
    keys = queue_alerts(engine, 6)
    command = [sys.executable, "-m", "signals", "notify", "--lease-seconds", "1"]
    environment = {**os.environ, **env,
                   "DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    worker = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def crash_on_third(number: int) -> str | None:
        if number == 3:  # the worker dies while the server holds its third mail
            os.kill(worker.pid, signal.SIGKILL)
            return "451 4.3.0 Probeer het later opnieuw"
        return None

    inbox.on_message = crash_on_third
    worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    assert len(inbox.messages) == 2
    assert statuses(engine).count("sending") == 1  # recorded before the hand-over
    inbox.on_message = None
    time.sleep(1.2)  # the dead worker's lease runs out
    restarted = subprocess.run(command, cwd=PROJECT_ROOT, env=environment,
                               capture_output=True, text=True, timeout=60)
    assert restarted.returncode == 0, restarted.stderr
    assert "Verzonden: 4." in restarted.stdout
    assert sorted(inbox.message_ids()) == sorted(message_id(k) for k in keys)
    assert statuses(engine) == ["sent"] * 6


def test_a_daily_overview_bundles_a_recipients_alerts_into_one_mail(engine, smtp) -> None:
    inbox, _env = smtp
    world = make_world(engine)
    run_write(engine, lambda s: save_my_alerts(s, world.coord_a, "a@gemeente.test", {}))
    items = [Queued("ernstig", world.wijk_a, world.coord_a.user_id, "email", f"digest:{i}",
                    payload(f"Noord: signaal met ernst {4 + i % 2}", "WK099001", "Noord", [],
                            "duiding", {"signaal": str(i)}), digest=True) for i in range(3)]
    yesterday = datetime.now(UTC) - timedelta(days=1)  # its 08:00 has passed: due now
    run_write(engine, lambda s: queue(s, items, now=yesterday))
    assert run_once(engine, scan=False).sent == 3
    assert len(inbox.messages) == 1
    to, mail = inbox.messages[0]
    assert to == ["a@gemeente.test"]
    assert mail["Subject"] == "Wijksignalen: dagelijks overzicht (3 meldingen)"
    body = mail.get_payload(decode=True).decode()
    assert all(f"/duiding?signaal={i}" in body for i in range(3))


def test_an_unreachable_server_is_retried_with_backoff_then_fails_for_good(
        engine, smtp, monkeypatch) -> None:
    monkeypatch.setenv("WIJKSIGNALEN_SMTP_PORT", str(free_port()))  # nothing listens there
    queue_alerts(engine, 1)
    result = run_once(engine, scan=False)
    assert (result.sent, result.failed) == (0, 1)
    with read_session(engine) as s:
        row = s.scalar(select(AlertOutbox))
        assert (row.status, row.attempts) == ("queued", 1)
        assert "ConnectionRefusedError" in row.last_error
        assert row.next_attempt_at > datetime.now(UTC)
    assert run_once(engine, scan=False).failed == 0  # not due yet
    run_write(engine, lambda s: s.execute(update(AlertOutbox).values(
        attempts=MAX_ATTEMPTS - 1, next_attempt_at=datetime.now(UTC))))
    run_once(engine, scan=False)
    assert statuses(engine) == ["failed"]
