"""Alerts end to end on SQLite and PostgreSQL: queued with the change, sent by the worker to a
real SMTP server (STARTTLS, login) and a real webhook receiver, within scope, never for a
rolled-back change, never with description text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.cli.main import main as cli_main
from signals.db.models import AlertOutbox, AuditEvent
from signals.db.uow import read_session, run_write
from signals.errors import PermissionDeniedError, ValidationError
from signals.services import alert_triggers
from signals.services.alert_subscriptions import recipients, save_my_alerts, update_role_defaults
from signals.services.alert_worker import run_once
from signals.services.indicator_sync import settle
from signals.services.intake import create_signal
from signals.services.phases import record_decision
from tests.integration.alert_servers import make_certificate, start_smtp, start_webhook
from tests.integration.signal_world import TODAY, draft, make_world

SECRET_TEXT = "Omschrijving-die-nooit-in-een-mail-mag"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp(certificate, monkeypatch):
    inbox, controller, _env = start_smtp(*certificate, monkeypatch)
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(alert_triggers, "today_local", lambda: TODAY)


def subscribe(engine, actor, address, **choices):
    run_write(engine, lambda s: save_my_alerts(s, actor, address, choices))


def log_call(engine, actor, wijk_id, **values):
    d = draft(wijk_id, category="oproep_mobilisatie", action_date=TODAY + timedelta(days=3),
              description=SECRET_TEXT, **values)
    return run_write(engine, lambda s: create_signal(s, actor, d, today=TODAY))


def outbox(engine) -> list[tuple[str, str | None, str]]:
    with read_session(engine) as s:
        return [(r.alert_type, r.user_id, r.channel) for r in s.scalars(
            select(AlertOutbox).order_by(AlertOutbox.id))]


def test_a_second_key_figure_corroborates_a_call_and_the_coordinator_gets_a_mail(
        engine, smtp) -> None:
    world = make_world(engine)
    subscribe(engine, world.coord_a, "coord.noord@gemeente.test")
    subscribe(engine, world.coord_b, "coord.zuid@gemeente.test")
    log_call(engine, world.kf_a, world.wijk_a)
    assert not [row for row in outbox(engine) if row[0] == "oproep"]  # one key figure: not yet
    log_call(engine, world.kf_a2, world.wijk_a, online=True, platform="besloten_groep")
    calls = [row for row in outbox(engine) if row[0] == "oproep"]
    assert calls == [("oproep", world.coord_a.user_id, "email")]  # Zuid's coordinator: no

    result = run_once(engine, scan=False)
    assert result.failed == 0
    mails = {m["Subject"]: (to, m) for to, m in smtp.messages}
    to, mail = mails["Wijksignalen: Noord: oproep tot actie bevestigd"]
    assert to == ["coord.noord@gemeente.test"]
    assert all(to == ["coord.noord@gemeente.test"] for to, _ in smtp.messages)
    body = mail.get_payload(decode=True).decode()
    assert "https://wijksignalen.gemeente.test/wijkprofiel?wijk=WK099001" in body
    assert "gezien door 2 sleutelfiguren" in body
    assert SECRET_TEXT not in body and "kf_noord" not in body
    assert mail["Message-ID"].endswith("@wijksignalen>")
    with read_session(engine) as s:
        sent = s.scalars(select(AuditEvent).where(AuditEvent.action == "melding_verzonden")).all()
        assert len(sent) == len(smtp.messages)
        assert all(SECRET_TEXT not in str(e.details) for e in sent)
    assert run_once(engine, scan=False).sent == 0  # nothing twice
    log_call(engine, world.kf_a, world.wijk_a)  # the same call again: no second call alert
    assert [row for row in outbox(engine) if row[0] == "oproep"] == calls


def test_a_rolled_back_change_leaves_no_alert(engine, smtp) -> None:
    world = make_world(engine)
    subscribe(engine, world.coord_a, "coord.noord@gemeente.test")
    with Session(engine) as session:
        create_signal(session, world.kf_a, draft(world.wijk_a, severity=5), today=TODAY)
        settle(session)  # what a commit would do first: the alert is queued in the transaction
        assert session.scalar(select(func.count()).select_from(AlertOutbox)) == 1
        session.rollback()
    assert outbox(engine) == []
    assert run_once(engine, scan=False).sent == 0
    assert smtp.messages == []


def test_severe_signals_and_decisions_reach_only_people_with_the_wijk_in_scope(
        engine, smtp) -> None:
    world = make_world(engine)
    for actor, address in ((world.coord_a, "a@gemeente.test"), (world.coord_b, "b@gemeente.test"),
                           (world.manager, "m@gemeente.test"),
                           (world.beheerder, "beheer@gemeente.test")):
        subscribe(engine, actor, address)
    create = lambda s: create_signal(s, world.kf_b, draft(world.wijk_b, severity=4,  # noqa: E731
                                                          category="bedreiging_intimidatie"),
                                     today=TODAY)
    run_write(engine, create)
    run_write(engine, lambda s: record_decision(s, world.coord_a, "WK099002", TODAY, 1,
                                                "Beeld besproken met de wijkagent.",
                                                today=TODAY))
    rows = outbox(engine)
    severe = {u for t, u, _ in rows if t == "ernstig"}
    assert severe == {world.coord_a.user_id, world.coord_b.user_id}  # beheerder: off by default
    assert {u for t, u, _ in rows if t == "besluit"} == {world.coord_b.user_id}  # not the decider
    create_a = lambda s: create_signal(s, world.kf_a, draft(world.wijk_a, severity=5),  # noqa: E731
                                       today=TODAY)
    run_write(engine, create_a)
    noord = {u for t, u, _ in outbox(engine)[len(rows):]}
    assert world.coord_b.user_id not in noord  # Noord lies outside Zuid's coordinator's scope
    run_once(engine, scan=False)
    assert all(to != ["b@gemeente.test"] or "Noord" not in m["Subject"]
               for to, m in smtp.messages)


def test_a_phase_rise_goes_to_the_webhook_signed_and_to_managers_without_counts(
        engine, smtp, monkeypatch) -> None:
    hooks = next(gen := start_webhook(monkeypatch))
    try:
        world = make_world(engine)
        subscribe(engine, world.manager, "m@gemeente.test")
        subscribe(engine, world.coord_b, "b@gemeente.test")
        run_write(engine, lambda s: record_decision(
            s, world.coord_a, "WK099002", TODAY, 3, "Oproep bevestigd door de wijkagent.",
            today=TODAY))
        result = run_once(engine, scan=False)
        assert result.failed == 0 and hooks.bad_signatures == 0
        assert [h["type"] for h in hooks.received] == ["fase"]
        assert hooks.received[0]["phase"] == 3 and hooks.received[0]["wijk_code"] == "WK099002"
        manager_mail = next(m for to, m in smtp.messages if to == ["m@gemeente.test"])
        body = manager_mail.get_payload(decode=True).decode()
        assert "/weekbeeld?week=2026-W11" in body and "Zuid stijgt naar fase 3" in body
    finally:
        next(gen, None)


def test_role_defaults_apply_until_a_user_chooses_and_wijken_outside_scope_are_refused(
        engine) -> None:
    world = make_world(engine)
    subscribe(engine, world.coord_a, "a@gemeente.test")
    subscribe(engine, world.coord_b, "b@gemeente.test", ernstig=("direct", ["WK099002"]))
    run_write(engine, lambda s: update_role_defaults(s, world.beheerder,
                                                     {"ernstig": {"coordinator": "uit"}}))
    with read_session(engine) as s:
        assert [r.user_id for r in recipients(s, "ernstig", world.wijk_b)] == [
            world.coord_b.user_id]  # coord_a follows the new default: off
    with pytest.raises(ValidationError, match="buiten uw wijken: WK099001"):
        subscribe(engine, world.coord_b, "b@gemeente.test", ernstig=("direct", ["WK099001"]))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: update_role_defaults(s, world.coord_a,
                                                         {"ernstig": {"coordinator": "direct"}}))


def test_notify_without_a_mail_server_says_so_and_keeps_the_mails(app_database,
                                                                  capsys) -> None:
    assert cli_main(["notify"]) == 0
    assert "E-mail is niet ingesteld" in capsys.readouterr().out
