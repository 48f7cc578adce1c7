"""Duiding on SQLite and PostgreSQL: queue, detail, assessment, links, optimistic locking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent, SignalHistory, SignalLink, WeeklyIndicator
from signals.db.uow import read_session, run_write
from signals.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from signals.services.intake import create_signal
from signals.services.pii import PersonalDataError, PiiConfirmation
from signals.services.review import (
    Assessment,
    assess,
    link_candidates,
    link_signals,
    review_queue,
    signal_detail,
    unlink_signals,
)
from signals.services.signal_draft import reference
from signals.services.signal_filter import SignalFilter
from tests.integration.signal_world import TODAY, counts, draft, make_world


def _create(engine, actor, d):
    return run_write(engine, lambda s: create_signal(s, actor, d, today=TODAY))


def _seed(engine, world):
    """Five signals: three in Noord (two themes), two in Zuid."""
    return [
        _create(engine, world.kf_a, draft(world.wijk_a, themes=("azc_asiel",), severity=2)),
        _create(engine, world.kf_a2, draft(world.wijk_a, category="symbolen",
                                           observed_on=TODAY - timedelta(days=20))),
        _create(engine, world.kf_a, draft(world.wijk_a, category="oproep_mobilisatie",
                                          themes=("azc_asiel", "wonen"),
                                          action_date=TODAY + timedelta(days=2))),
        _create(engine, world.kf_b, draft(world.wijk_b, severity=5, category="ordeverstoring")),
        _create(engine, world.kf_b, draft(world.wijk_b, category="weerbaarheid",
                                          observed_on=TODAY - timedelta(days=3))),
    ]


def _queue(engine, actor, flt: SignalFilter | None = None, **kw):
    with read_session(engine) as session:
        return review_queue(session, actor, flt or SignalFilter(), **kw)


def test_the_queue_shows_only_the_coordinators_wijken_with_filters(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    assert set(_queue(engine, world.coord_a).rows["id"]) == {x.id for x in s}
    assert set(_queue(engine, world.coord_b).rows["id"]) == {s[3].id, s[4].id}
    assert set(_queue(engine, world.beheerder).rows["id"]) == {x.id for x in s}
    # asking for another wijk never widens the scope
    assert _queue(engine, world.coord_b, SignalFilter(wijk_ids=(world.wijk_a,))).total == 0
    by_theme = _queue(engine, world.coord_a, SignalFilter(themes=("azc_asiel",)))
    assert set(by_theme.rows["id"]) == {s[0].id, s[2].id}
    by_category = _queue(engine, world.coord_a, SignalFilter(categories=("symbolen",)))
    assert list(by_category.rows["id"]) == [s[1].id]
    period = SignalFilter(date_from=TODAY - timedelta(days=5), date_to=TODAY - timedelta(days=1))
    assert list(_queue(engine, world.coord_a, period).rows["id"]) == [s[4].id]
    assert _queue(engine, world.coord_a, SignalFilter(statuses=("gesloten",))).total == 0


def test_the_queue_sorts_and_pages(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    by_severity = _queue(engine, world.coord_a, sort="ernst")
    assert by_severity.rows.loc[0, "id"] == s[3].id
    oldest = _queue(engine, world.coord_a, sort="oudste")
    assert oldest.rows.loc[0, "id"] == s[1].id
    second = _queue(engine, world.coord_a, sort="oudste", page=2, page_size=2)
    assert (second.total, second.pages, second.page, len(second.rows)) == (5, 3, 2, 2)


def test_reporters_are_shown_by_role_type_never_by_name(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    rows = _queue(engine, world.coord_a).rows
    assert set(rows["melder"]) == {"Jongerenwerker", "Wijkagent", "Docent"}
    assert not rows.astype(str).apply(lambda c: c.str.contains("kf_")).any().any()
    detail = run_write(engine, lambda x: signal_detail(x, world.coord_a, s[0].id))
    assert detail.reporter == "Jongerenwerker"
    assert "kf_noord" not in detail.history.to_string()
    assert detail.history.loc[0, "wie"] == "melder (Jongerenwerker)"


def test_each_detail_view_is_audited_and_out_of_scope_is_refused(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    detail = run_write(engine, lambda x: signal_detail(x, world.coord_a, s[2].id))
    assert detail.category == "oproep_mobilisatie" and detail.themes == ("azc_asiel", "wonen")
    assert set(detail.allowed_statuses) == {"in_duiding", "geverifieerd", "niet_bevestigd",
                                            "gesloten"}
    with read_session(engine) as session:
        views = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "signaal_bekeken")).all()
        assert [(v.object_id, v.username) for v in views] == [(str(s[2].id), "coord_noord")]
    with pytest.raises(NotFoundError) as outside:  # as if it did not exist
        run_write(engine, lambda x: signal_detail(x, world.coord_b, s[0].id))
    for actor in (world.manager, world.kf_a):
        with pytest.raises(PermissionDeniedError):
            run_write(engine, lambda x, a=actor: signal_detail(x, a, s[0].id))
        with pytest.raises(PermissionDeniedError):
            _queue(engine, actor)
    with pytest.raises(NotFoundError) as missing:
        run_write(engine, lambda x: signal_detail(x, world.coord_a, 99999))
    assert str(outside.value).replace(reference(s[0].id), "X") == \
        str(missing.value).replace(reference(99999), "X")


def test_status_severity_and_reliability_changes_keep_a_history(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    call = s[2]
    v2 = run_write(engine, lambda x: assess(x, world.coord_a, call.id, call.version,
                                            Assessment(status="in_duiding")))
    v3 = run_write(engine, lambda x: assess(
        x, world.coord_a, call.id, v2, Assessment(status="geverifieerd", severity=5,
                                                  reliability="hoog",
                                                  note="Bevestigd door de wijkagent")))
    assert (v2, v3) == (call.version + 1, call.version + 2)
    detail = run_write(engine, lambda x: signal_detail(x, world.coord_a, call.id))
    assert (detail.status, detail.severity, detail.reliability) == ("geverifieerd", 5, "hoog")
    changes = detail.history[detail.history["actie"] == "beoordeeld"]
    assert list(changes["veld"]) == ["status", "status", "severity", "reliability"]
    assert list(changes["wie"].unique()) == ["coord_noord"]
    assert set(changes["notitie"].iloc[1:]) == {"Bevestigd door de wijkagent"}
    with read_session(engine) as session:
        week = session.get(WeeklyIndicator, (world.wijk_a, date(2026, 3, 9)))
        assert week.call_verified
    with pytest.raises(ValidationError, match="van 'Geverifieerd' naar 'Nieuw' kan niet"):
        run_write(engine, lambda x: assess(x, world.coord_a, call.id, v3,
                                           Assessment(status="nieuw")))


@pytest.mark.parametrize(("change", "field", "words"), [
    (Assessment(status="bestaat_niet"), "status", "kan niet"),
    (Assessment(severity=3), "note", "toelichting"),
    (Assessment(severity=7, note="x"), "severity", "1 tot en met 5"),
    (Assessment(reliability="zeker", note="x"), "reliability", "onbekende waarde"),
    (Assessment(), "note", "niets gewijzigd"),
])
def test_invalid_assessments_are_refused_and_nothing_changes(engine, change, field,
                                                             words) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        run_write(engine, lambda x: assess(x, world.coord_a, s[0].id, s[0].version, change))
    assert caught.value.errors[0].field == field and words in caught.value.errors[0].message
    assert counts(engine) == before


def test_two_coordinators_saving_the_same_signal_the_second_gets_a_conflict(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    seen = run_write(engine, lambda x: signal_detail(x, world.coord_a, s[3].id)).version
    also_seen = run_write(engine, lambda x: signal_detail(x, world.coord_b, s[3].id)).version
    run_write(engine, lambda x: assess(x, world.coord_a, s[3].id, seen,
                                       Assessment(status="geverifieerd")))
    with pytest.raises(ConflictError) as caught:
        run_write(engine, lambda x: assess(x, world.coord_b, s[3].id, also_seen,
                                           Assessment(status="niet_bevestigd")))
    assert "Iemand anders" in str(caught.value) and "niet opgeslagen" in str(caught.value)
    detail = run_write(engine, lambda x: signal_detail(x, world.coord_b, s[3].id))
    assert detail.status == "geverifieerd"


def test_a_note_with_personal_data_needs_confirmation(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    note = "Gebeld met melder op 06-12345678"
    with pytest.raises(PersonalDataError):
        run_write(engine, lambda x: assess(x, world.coord_a, s[0].id, s[0].version,
                                           Assessment(note=note)))
    run_write(engine, lambda x: assess(x, world.coord_a, s[0].id, s[0].version,
                                       Assessment(note=note),
                                       PiiConfirmation("Nummer van de wijkagent, dienstelijk")))
    with read_session(engine) as session:
        actions = session.scalars(select(SignalHistory.action).where(
            SignalHistory.signal_id == s[0].id).order_by(SignalHistory.id)).all()
        assert actions == ["aangemaakt", "notitie", "pii_bevestigd"]


def test_related_signals_are_linked_once_lower_id_first(engine) -> None:
    world = make_world(engine)
    s = _seed(engine, world)
    with read_session(engine) as session:
        candidates = link_candidates(session, world.coord_a, s[2].id)
        assert s[0].id in set(candidates["id"]) and s[3].id not in set(candidates["id"])
    run_write(engine, lambda x: link_signals(x, world.coord_a, s[2].id, s[0].id))
    with read_session(engine) as session:
        link = session.scalars(select(SignalLink)).one()
        assert (link.signal_id, link.related_id) == (s[0].id, s[2].id)
    with pytest.raises(ValidationError, match="al gekoppeld"):
        run_write(engine, lambda x: link_signals(x, world.coord_a, s[0].id, s[2].id))
    with pytest.raises(ValidationError, match="zichzelf"):
        run_write(engine, lambda x: link_signals(x, world.coord_a, s[0].id, s[0].id))
    with pytest.raises(NotFoundError):
        run_write(engine, lambda x: link_signals(x, world.coord_b, s[3].id, s[0].id))
    detail = run_write(engine, lambda x: signal_detail(x, world.coord_a, s[0].id))
    assert list(detail.links["id"]) == [s[2].id]
    run_write(engine, lambda x: unlink_signals(x, world.coord_a, s[0].id, s[2].id))
    detail = run_write(engine, lambda x: signal_detail(x, world.coord_a, s[0].id))
    assert detail.links.empty
    assert {"gekoppeld", "ontkoppeld"} <= set(detail.history["actie"])
