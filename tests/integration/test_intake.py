"""Intake by key figures on SQLite and PostgreSQL: create, nul-melding, own signals, edits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent, Signal, SignalHistory, WeeklyIndicator
from signals.db.uow import read_session, run_write
from signals.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from signals.services.intake import (
    NulMeldingAfterSignal,
    create_signal,
    own_nul_meldingen,
    own_signal,
    own_signals,
    record_nul_melding,
    update_own_signal,
    withdraw_nul_melding,
)
from signals.services.pii import PersonalDataError, PiiConfirmation
from signals.services.review import Assessment, assess
from tests.integration.signal_world import TODAY, counts, draft, make_world


def _create(engine, actor, d, confirmation=None):
    return run_write(engine, lambda s: create_signal(s, actor, d, confirmation, today=TODAY))


def test_a_key_figure_logs_a_signal_with_a_reference_number(engine) -> None:
    world = make_world(engine)
    saved = _create(engine, world.kf_a, draft(world.wijk_a, themes=("wonen", "azc_asiel")))
    assert saved.reference == f"WS-{saved.id:06d}"
    with read_session(engine) as session:
        signal = session.get(Signal, saved.id)
        assert signal.severity == 1  # the category's default
        assert signal.status == "nieuw" and signal.reporter_role == "jongerenwerker"
        assert sorted(t.code for t in signal.themes) == ["azc_asiel", "wonen"]
        assert signal.external_id and signal.action_date is None
        history = session.scalars(select(SignalHistory.action)
                                  .where(SignalHistory.signal_id == saved.id)).all()
        assert history == ["aangemaakt"]
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "signaal_gemeld")).one()
        assert "parkeer" not in str(event.details)
        week = session.scalars(select(WeeklyIndicator).where(
            WeeklyIndicator.wijk_id == world.wijk_a,
            WeeklyIndicator.week_start == date(2026, 3, 9))).one()
        assert week.n_onvrede == 1


def test_a_call_to_action_keeps_its_date_and_place_and_others_drop_them(engine) -> None:
    world = make_world(engine)
    call = _create(engine, world.kf_a, draft(
        world.wijk_a, category="oproep_mobilisatie", action_date=TODAY + timedelta(days=3),
        action_place="Marktplein", online=True, platform="besloten_groep", source="online"))
    other = _create(engine, world.kf_a, draft(
        world.wijk_a, action_date=TODAY + timedelta(days=3), action_place="Marktplein"))
    with read_session(engine) as session:
        stored = session.get(Signal, call.id)
        assert (stored.severity, stored.action_place) == (4, "Marktplein")
        assert stored.action_date == TODAY + timedelta(days=3)
        assert stored.platform == "besloten_groep" and stored.online
        assert session.get(Signal, other.id).action_date is None


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"observed_on": TODAY + timedelta(days=1)}, "observed_on", "toekomst"),
    ({"description": "  "}, "description", "beschrijf"),
    ({"category": "onzin"}, "category", "onbekende categorie"),
    ({"severity": 9}, "severity", "1 tot en met 5"),
    ({"themes": ("geen_thema",)}, "themes", "onbekend thema"),
    ({"category": "oproep_mobilisatie", "action_date": TODAY - timedelta(days=2)},
     "action_date", "vóór de datum waargenomen"),
    ({"reach": "enorm"}, "reach", "onbekende waarde"),
])
def test_invalid_values_are_refused_with_a_clear_message_and_nothing_stored(
        engine, values, field, words) -> None:
    world = make_world(engine)
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        _create(engine, world.kf_a, draft(world.wijk_a, **values))
    assert [e.field for e in caught.value.errors] == [field]
    assert words in caught.value.errors[0].message
    assert counts(engine) == before


def test_scope_key_figures_only_in_their_own_wijk_and_managers_never(engine) -> None:
    world = make_world(engine)
    before = counts(engine)
    with pytest.raises(PermissionDeniedError):
        _create(engine, world.kf_a, draft(world.wijk_b))
    with pytest.raises(PermissionDeniedError):
        _create(engine, world.manager, draft(world.wijk_a))
    assert counts(engine) == before


def test_personal_data_blocks_saving_until_confirmed_with_a_reason(engine) -> None:
    world = make_world(engine)
    text = "Jan (BSN 111222333, tel. 06-12345678) roept op tot actie."
    before = counts(engine)
    with pytest.raises(PersonalDataError) as caught:
        _create(engine, world.kf_a, draft(world.wijk_a, description=text))
    kinds = {m.kind for m in caught.value.found["description"]}
    assert kinds == {"bsn", "telefoon"}
    assert "BSN" in str(caught.value) and "bevestig" in str(caught.value)
    assert counts(engine) == before
    with pytest.raises(ValidationError, match="reden"):
        _create(engine, world.kf_a, draft(world.wijk_a, description=text),
                PiiConfirmation("ok", frozenset({"111222333", "06-12345678"})))
    with pytest.raises(PersonalDataError):  # confirming only one of the two is not enough
        _create(engine, world.kf_a, draft(world.wijk_a, description=text),
                PiiConfirmation("Nodig voor de politie", frozenset({"111222333"})))
    assert counts(engine) == before
    saved = _create(engine, world.kf_a, draft(world.wijk_a, description=text),
                    PiiConfirmation("Nodig voor de politie",
                                    frozenset({"111222333", "06-12345678"})))
    with read_session(engine) as session:
        entry = session.scalars(select(SignalHistory).where(
            SignalHistory.signal_id == saved.id, SignalHistory.action == "pii_bevestigd")).one()
        assert entry.note == "Nodig voor de politie" and entry.new_value == "bsn,telefoon"
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "pii_bevestigd")).one()
        assert "111222333" not in str(event.details)
        assert event.details["soorten"] == ["bsn", "telefoon"]


def test_a_number_that_fails_the_eleven_test_is_not_personal_data(engine) -> None:
    world = make_world(engine)
    saved = _create(engine, world.kf_a, draft(world.wijk_a,
                                              description="Zaaknummer 123456789 bij de gemeente"))
    assert saved.id


def test_the_nul_melding_is_recorded_once_per_iso_week(engine) -> None:
    world = make_world(engine)

    def nul(day: date):
        return run_write(engine, lambda s: record_nul_melding(s, world.kf_a, world.wijk_a, day))

    first = nul(TODAY)
    again = nul(TODAY + timedelta(days=3))  # Sunday of the same ISO week
    next_week = nul(TODAY + timedelta(days=4))
    assert first.created and not again.created and next_week.created
    assert again.reference == first.reference and again.week == "week 11"
    with read_session(engine) as session:
        stored = session.get(Signal, int(first.reference[3:]))
        assert (stored.category, stored.severity, stored.description) == (
            "geen_bijzonderheden", 0, None)
        week = session.get(WeeklyIndicator, (world.wijk_a, date(2026, 3, 9)))
        assert week.n_nul == 1
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: record_nul_melding(s, world.kf_a, world.wijk_b, TODAY))


def test_a_nul_melding_after_an_own_signal_asks_first_and_can_be_undone(engine) -> None:
    world = make_world(engine)
    real = _create(engine, world.kf_a, draft(world.wijk_a))
    with pytest.raises(NulMeldingAfterSignal) as asked:
        run_write(engine, lambda s: record_nul_melding(s, world.kf_a, world.wijk_a, TODAY))
    assert "Weet u het zeker" in str(asked.value) and real.reference in str(asked.value)
    # Another key figure's signal in the same wijk does not ask.
    other = run_write(engine, lambda s: record_nul_melding(s, world.kf_a2, world.wijk_a, TODAY))
    assert other.created
    nul = run_write(engine, lambda s: record_nul_melding(s, world.kf_a, world.wijk_a, TODAY,
                                                         confirmed=True))
    assert nul.created
    with read_session(engine) as session:
        assert own_nul_meldingen(session, world.kf_a, TODAY) == {world.wijk_a: nul.reference}
        assert session.get(WeeklyIndicator, (world.wijk_a, date(2026, 3, 9))).n_nul == 2
    # Not someone else's, and not after the week is over.
    with pytest.raises(NotFoundError):
        run_write(engine, lambda s: withdraw_nul_melding(s, world.kf_a, world.wijk_a,
                                                         TODAY + timedelta(days=7)))
    undone = run_write(engine, lambda s: withdraw_nul_melding(s, world.kf_a, world.wijk_a,
                                                              TODAY))
    assert undone == nul.reference
    with read_session(engine) as session:
        assert session.get(Signal, int(nul.reference[3:])) is None
        assert session.get(WeeklyIndicator, (world.wijk_a, date(2026, 3, 9))).n_nul == 1
        assert own_nul_meldingen(session, world.kf_a, TODAY) == {}
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "nul_melding_ingetrokken")).one()
        assert event.object_id == str(int(nul.reference[3:]))
    with pytest.raises(NotFoundError):
        run_write(engine, lambda s: withdraw_nul_melding(s, world.kf_a, world.wijk_a, TODAY))


def test_key_figures_see_and_open_only_their_own_signals(engine) -> None:
    world = make_world(engine)
    mine = _create(engine, world.kf_a, draft(world.wijk_a))
    theirs = _create(engine, world.kf_a2, draft(world.wijk_a, description="Iets anders gezien"))
    with read_session(engine) as session:
        table = own_signals(session, world.kf_a)
        assert list(table["id"]) == [mine.id]
        assert table.loc[0, "status"] == "in behandeling" and table.loc[0, "bewerkbaar"]
        with pytest.raises(NotFoundError):
            own_signal(session, world.kf_a, theirs.id)
    with pytest.raises(NotFoundError):
        run_write(engine, lambda s: update_own_signal(
            s, world.kf_a, theirs.id, draft(world.wijk_a), 1, today=TODAY))


def test_editing_an_own_signal_while_new_records_each_change(engine) -> None:
    world = make_world(engine)
    saved = _create(engine, world.kf_a, draft(world.wijk_a, observed_on=TODAY))
    earlier = TODAY - timedelta(days=14)
    updated = run_write(engine, lambda s: update_own_signal(
        s, world.kf_a, saved.id, draft(world.wijk_a, observed_on=earlier, severity=3,
                                       themes=("wonen",), description="Nieuwe tekst hier"),
        saved.version, today=TODAY))
    assert updated.version == saved.version + 1
    with read_session(engine) as session:
        fields = set(session.scalars(select(SignalHistory.field).where(
            SignalHistory.signal_id == saved.id, SignalHistory.action == "bewerkt")))
        assert fields == {"observed_on", "severity", "themes", "description"}
        text_entry = session.scalars(select(SignalHistory).where(
            SignalHistory.field == "description")).one()
        assert text_entry.old_value is None and text_entry.new_value is None
        old_week = session.get(WeeklyIndicator, (world.wijk_a, date(2026, 3, 9)))
        new_week = session.get(WeeklyIndicator, (world.wijk_a, date(2026, 2, 23)))
        assert (old_week is None or old_week.n_onvrede == 0) and new_week.n_onvrede == 1
    with pytest.raises(ConflictError, match="intussen"):  # the version seen is stale
        run_write(engine, lambda s: update_own_signal(
            s, world.kf_a, saved.id, draft(world.wijk_a), saved.version, today=TODAY))


def test_a_signal_under_review_can_no_longer_be_edited(engine) -> None:
    world = make_world(engine)
    saved = _create(engine, world.kf_a, draft(world.wijk_a))
    version = run_write(engine, lambda s: assess(s, world.coord_a, saved.id, saved.version,
                                                 Assessment(status="in_duiding")))
    with read_session(engine) as session:
        assert not own_signal(session, world.kf_a, saved.id).editable
    with pytest.raises(ConflictError, match="al beoordeeld"):
        run_write(engine, lambda s: update_own_signal(
            s, world.kf_a, saved.id, draft(world.wijk_a), version, today=TODAY))


def test_a_themes_only_edit_still_raises_the_version(engine) -> None:
    world = make_world(engine)
    saved = _create(engine, world.kf_a, draft(world.wijk_a))
    updated = run_write(engine, lambda s: update_own_signal(
        s, world.kf_a, saved.id, draft(world.wijk_a, themes=("voetbal",)), saved.version,
        today=TODAY))
    assert updated.version == saved.version + 1


def test_an_edit_keeps_personal_data_that_was_confirmed_before(engine) -> None:
    world = make_world(engine)
    text = "Oproep via @actiegroep_noord om zaterdag te komen."
    saved = _create(engine, world.kf_a, draft(world.wijk_a, description=text),
                    PiiConfirmation("Account van de groep, niet van een persoon"))
    updated = run_write(engine, lambda s: update_own_signal(
        s, world.kf_a, saved.id, draft(world.wijk_a, description=text, severity=2),
        saved.version, today=TODAY))
    assert updated.version == saved.version + 1
