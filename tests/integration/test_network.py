"""The key-figure network: scope of coordinators and managers, activation codes, feedback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from signals.db.models import (
    ActivationCode,
    AuditEvent,
    Credential,
    Signal,
    SignalFeedback,
    User,
)
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import NotFoundError, PermissionDeniedError, ValidationError
from signals.services import activation, network, network_admin, signal_feedback
from signals.services.actor import SYSTEM_ACTOR
from signals.services.auth import login
from signals.services.intake import own_signals
from signals.services.pii import PersonalDataError
from signals.services.retention import purge
from signals.services.settings import update_network
from tests.security.factories import make_signal, make_user, make_wijken

NEW_PASSWORD = "mijn-eigen-lange-zin-2026"
TODAY = date(2026, 11, 25)  # a Wednesday


def _world(engine):
    ids = make_wijken(engine, "WK000101", "WK000102", "WK000103")
    coord = make_user(engine, "coord.noord", Role.COORDINATOR, ("WK000101", "WK000102"))
    other = make_user(engine, "coord.zuid", Role.COORDINATOR, ("WK000103",))
    return ids, coord, other


def _actions(engine) -> list[str]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_coordinator_adds_moves_and_deactivates_only_in_their_wijken(engine) -> None:
    _ids, coord, other = _world(engine)
    issued = run_write(engine, lambda s: network_admin.add_key_figure(
        s, coord, "jw.noord", "jongerenwerker", ["WK000101"]))
    assert issued.username == "jw.noord" and len(issued.code) == 19
    with pytest.raises(ValidationError):  # not one of theirs
        run_write(engine, lambda s: network_admin.add_key_figure(
            s, coord, "jw.zuid", "jongerenwerker", ["WK000103"]))
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: network_admin.move_key_figure(s, coord, "jw.noord",
                                                                  "WK000103"))
    with pytest.raises(NotFoundError):  # another coordinator's key figure does not exist
        run_write(engine, lambda s: network_admin.deactivate_key_figure(s, other, "jw.noord"))
    with pytest.raises(NotFoundError):
        run_write(engine, lambda s: network_admin.move_key_figure(s, other, "jw.noord",
                                                                  "WK000103"))
    with read_session(engine) as session:
        assert network.network_overview(session, other, TODAY).key_figures.empty
    run_write(engine, lambda s: network_admin.move_key_figure(s, coord, "jw.noord", "WK000102"))
    run_write(engine, lambda s: network_admin.deactivate_key_figure(s, coord, "jw.noord"))
    with read_session(engine) as session:
        user = session.scalar(select(User).where(User.username == "jw.noord"))
        assert [w.code for w in user.wijken] == ["WK000102"]
        assert not user.active and user.deactivated_at is not None
    assert {"sleutelfiguur_toegevoegd", "sleutelfiguur_verplaatst",
            "sleutelfiguur_gedeactiveerd"} <= set(_actions(engine))


def test_a_key_figure_shared_with_another_coordinator_is_left_to_the_beheerder(engine) -> None:
    _ids, coord, _other = _world(engine)
    make_user(engine, "gedeeld", Role.SLEUTELFIGUUR, ("WK000101", "WK000103"))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: network_admin.deactivate_key_figure(s, coord, "gedeeld"))


def test_activation_code_is_hashed_single_use_and_expires(engine) -> None:
    _ids, coord, _other = _world(engine)
    issued = run_write(engine, lambda s: network_admin.add_key_figure(
        s, coord, "docent.a", "docent", ["WK000101"]))
    with read_session(engine) as session:
        row = session.scalar(select(ActivationCode))
        assert row.code_hash == activation.code_hash(issued.code) != issued.code
        assert issued.code.replace("-", "") not in row.code_hash
        assert row.expires_at - row.created_at == timedelta(days=7)
    with pytest.raises(ValidationError):  # the password policy applies
        run_write(engine, lambda s: activation.activate(s, issued.code, "kort", "kort"))
    typed = issued.code.lower().replace("-", " ")  # as typed on a phone
    assert run_write(engine, lambda s: activation.activate(s, typed, NEW_PASSWORD,
                                                           NEW_PASSWORD)) == "docent.a"
    assert login(engine, "docent.a", NEW_PASSWORD).role is Role.SLEUTELFIGUUR
    with pytest.raises(ValidationError):  # used once
        run_write(engine, lambda s: activation.activate(s, issued.code, NEW_PASSWORD + "x",
                                                        NEW_PASSWORD + "x"))
    with pytest.raises(ValidationError):  # activated: no second code from the coordinator
        run_write(engine, lambda s: network_admin.new_activation_code(s, coord, "docent.a"))
    late = run_write(engine, lambda s: network_admin.add_key_figure(
        s, coord, "docent.b", "docent", ["WK000101"]))
    eight_days = datetime.now(UTC) + timedelta(days=8)
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: activation.activate(s, late.code, NEW_PASSWORD,
                                                        NEW_PASSWORD, now=eight_days))
    fresh = run_write(engine, lambda s: network_admin.new_activation_code(s, coord, "docent.b"))
    with pytest.raises(ValidationError):  # the new code withdrew the old one
        run_write(engine, lambda s: activation.activate(s, late.code, NEW_PASSWORD,
                                                        NEW_PASSWORD))
    run_write(engine, lambda s: activation.activate(s, fresh.code, NEW_PASSWORD, NEW_PASSWORD))
    with read_session(engine) as session:
        hashes = list(session.scalars(select(Credential.password_hash)
                                      .where(Credential.password_hash.is_not(None))))
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert "account_geactiveerd" in _actions(engine)


def test_overview_rates_gaps_and_dormant_key_figures(engine) -> None:
    ids, coord, _other = _world(engine)
    start = datetime(2026, 8, 1, tzinfo=UTC)
    active = make_user(engine, "actief", Role.SLEUTELFIGUUR, ("WK000101",),
                       reporter_role="wijkagent")
    make_user(engine, "stil", Role.SLEUTELFIGUUR, ("WK000101",), reporter_role="docent")

    def backdate(session) -> None:
        for user in session.scalars(select(User).where(User.role == "sleutelfiguur")):
            user.active_since = start
    run_write(engine, backdate)
    monday = date(2026, 11, 23)
    for k in (1, 2, 3):  # three of the last four complete weeks
        make_signal(engine, ids["WK000101"], active, monday - timedelta(weeks=k))

    def entered_on_time(session) -> None:
        for signal in session.scalars(select(Signal)):
            signal.created_at = datetime.combine(signal.observed_on, datetime.min.time(),
                                                 UTC) + timedelta(hours=12)
    run_write(engine, entered_on_time)
    run_write(engine, lambda s: network_admin.set_desired_mix(
        s, coord, "WK000101", {"jongerenwerker": 1, "wijkagent": 1}))
    with read_session(engine) as session:
        overview = network.network_overview(session, coord, TODAY)
    wijk = overview.wijken.set_index("wijk_code").loc["WK000101"]
    assert wijk["active"] == 2 and wijk["network_gap"]  # minimum 3
    assert "geen jongerenwerker" in wijk["gaps"] and "wijkagent" not in wijk["gaps"]
    assert wijk["rate_4w"] == pytest.approx(3 / 8) and wijk["dormant"] == 1
    people = overview.key_figures.set_index("username")
    assert people.loc["actief", "rate_4w"] == pytest.approx(0.75)
    assert people.loc["actief", "timely_4w"] == pytest.approx(0.75)
    assert people.loc["stil", "rate_13w"] == 0 and bool(people.loc["stil", "dormant"])
    assert not people.loc["actief", "dormant"]
    run_write(engine, lambda s: update_network(s, SYSTEM_ACTOR, 2, 4))
    with read_session(engine) as session:
        summary = network.monthly_summary(session, coord, TODAY)
        counts = network.key_figure_counts(session, coord).set_index("wijk_code")
    assert not counts.loc["WK000101", "network_gap"] and counts.loc["WK000102", "network_gap"]
    text = summary.text()
    assert "geen jongerenwerker" in text and "stil" in text and "Meldpercentage" in text


def test_a_manager_sees_only_suppressed_counts_and_no_individuals(engine) -> None:
    _ids, coord, _other = _world(engine)
    manager = make_user(engine, "manager.a", Role.MANAGER)
    for n in range(2):
        make_user(engine, f"sf.{n}", Role.SLEUTELFIGUUR, ("WK000101",))
    with read_session(engine) as session:
        counts = network.network_counts(session, manager, TODAY)
        with pytest.raises(PermissionDeniedError):
            network.network_overview(session, manager, TODAY)
        with pytest.raises(PermissionDeniedError):
            network.network_counts(session, coord, TODAY)
    assert set(counts.columns) == {"wijk_naam", "active", "network_gap", "rate_4w"}
    assert set(counts["active"]) == {"<5"} and counts["rate_4w"].isna().all()
    assert "sf.0" not in counts.to_string()
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: network_admin.add_key_figure(s, manager, "x.y.z", "docent",
                                                                 ["WK000101"]))


def test_feedback_is_checked_and_shown_only_to_the_reporter(engine) -> None:
    ids, coord, other = _world(engine)
    reporter = make_user(engine, "melder.a", Role.SLEUTELFIGUUR, ("WK000101",))
    colleague = make_user(engine, "melder.b", Role.SLEUTELFIGUUR, ("WK000101",))
    signal_id = make_signal(engine, ids["WK000101"], reporter, TODAY)
    with pytest.raises(PersonalDataError):
        run_write(engine, lambda s: signal_feedback.save_feedback(
            s, coord, signal_id, "Bel Jan op 06-12345678"))
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: signal_feedback.save_feedback(s, coord, signal_id,
                                                                  "Dank\u202e"))
    with pytest.raises(NotFoundError):  # not their wijk
        run_write(engine, lambda s: signal_feedback.save_feedback(s, other, signal_id, "Dank"))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: signal_feedback.save_feedback(s, colleague, signal_id,
                                                                  "Dank"))
    message = "Dank, besproken in het kernteam"
    run_write(engine, lambda s: signal_feedback.save_feedback(s, coord, signal_id, message))
    with read_session(engine) as session:
        mine = own_signals(session, reporter)
        theirs = own_signals(session, colleague)
        assert signal_feedback.feedback_message(session, coord, signal_id) == message
    assert list(mine["terugkoppeling"]) == [message]
    assert list(mine["status"]) == ["in behandeling"]
    assert message not in theirs.to_string()
    with read_session(engine) as session:
        details = list(session.scalars(select(AuditEvent.details).where(
            AuditEvent.action == "terugkoppeling_opgeslagen")))
    assert details and message not in str(details)


def test_the_retention_purge_removes_the_message_to_the_reporter(engine) -> None:
    ids, coord, _other = _world(engine)
    reporter = make_user(engine, "melder.oud", Role.SLEUTELFIGUUR, ("WK000101",))
    old = make_signal(engine, ids["WK000101"], reporter, date.today() - timedelta(days=500))
    recent = make_signal(engine, ids["WK000101"], reporter, date.today())
    for signal_id in (old, recent):
        run_write(engine, lambda s, i=signal_id: signal_feedback.save_feedback(
            s, coord, i, "Dank voor uw melding"))
    run_write(engine, lambda s: purge(s, SYSTEM_ACTOR))
    with read_session(engine) as session:
        kept = list(session.scalars(select(SignalFeedback.signal_id)))
    assert kept == [recent]
