"""Duiding queue tools on SQLite and PostgreSQL: search in scope, saved filters per user,
the overdue setting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from signals.db.models import Signal
from signals.db.uow import read_session, run_write
from signals.errors import NotFoundError, PermissionDeniedError, ValidationError
from signals.services.intake import create_signal
from signals.services.review import Assessment, assess, review_queue, signal_detail
from signals.services.saved_filters import PRESETS, delete_filter, named_filters, save_filter
from signals.services.settings import update_review
from signals.services.signal_filter import SignalFilter
from tests.integration.signal_world import TODAY, draft, make_world


def _create(engine, actor, d):
    return run_write(engine, lambda s: create_signal(s, actor, d, today=TODAY))


def _ids(engine, actor, flt: SignalFilter, **kw) -> set[int]:
    with read_session(engine) as session:
        return set(review_queue(session, actor, flt, today=TODAY, **kw).rows["id"])


def test_search_matches_reference_description_and_place_case_insensitively_in_scope(
        engine) -> None:
    world = make_world(engine)
    noord = _create(engine, world.kf_a, draft(world.wijk_a, description="Flyers over het AZC "
                                                                       "bij de Bibliotheek"))
    zuid = _create(engine, world.kf_b, draft(world.wijk_b, description="Ook hier: azc-flyers"))
    plein = _create(engine, world.kf_b, draft(
        world.wijk_b, category="oproep_mobilisatie", description="Oproep tot protest",
        action_date=TODAY + timedelta(days=3), action_place="Marktplein Zuid"))
    wildcard = _create(engine, world.kf_b, draft(world.wijk_b, description="100% zeker_niet"))
    accent = _create(engine, world.kf_b, draft(world.wijk_b, description="ÉÉN OPROEP OVER "
                                                                        "OEKRAÏNE"))

    def search(actor, text):  # type: ignore[no-untyped-def]
        return _ids(engine, actor, SignalFilter(text=text))

    assert search(world.coord_a, "azc") == {noord.id, zuid.id}
    assert search(world.coord_a, "bibliotheek") == {noord.id}  # lower against mixed case
    assert search(world.coord_a, "MARKTPLEIN") == {plein.id}  # action place
    assert search(world.coord_a, f"ws-{zuid.id:06d}") >= {zuid.id}  # reference
    assert search(world.coord_b, "azc") == {zuid.id}  # Noord is out of coord_b's scope
    assert search(world.coord_b, f"WS-{noord.id:06d}") == set()
    assert search(world.coord_a, "%") == {wildcard.id}  # a literal %, not a wildcard
    assert search(world.coord_a, "_") == {wildcard.id}
    assert search(world.coord_a, "'; drop table signals; --") == set()
    assert search(world.coord_a, "oekraïne") == {accent.id}  # not only ASCII is lowered
    assert search(world.coord_a, "één oproep") == {accent.id}


def test_saved_filters_belong_to_their_user(engine) -> None:
    world = make_world(engine)
    flt = SignalFilter(statuses=("nieuw",), text="azc", wijk_ids=(world.wijk_b,))
    saved = run_write(engine, lambda s: save_filter(s, world.coord_a, "Zuid azc", flt, "oudste"))
    with read_session(engine) as session:
        mine = named_filters(session, world.coord_a)
        theirs = named_filters(session, world.coord_b)
    assert [f.name for f in mine] == [p.name for p in PRESETS] + ["Zuid azc"]
    assert (mine[-1].filter, mine[-1].sort) == (flt, "oudste")
    assert [f.name for f in theirs] == [p.name for p in PRESETS]
    with pytest.raises(NotFoundError):
        run_write(engine, lambda s: delete_filter(s, world.coord_b, saved.key))
    again = run_write(engine, lambda s: save_filter(s, world.coord_a, "Zuid azc",
                                                    replace(flt, text="wonen")))
    assert again.key == saved.key and again.filter.text == "wonen"  # same name overwrites
    with pytest.raises(ValidationError, match="persoonsgegevens"):
        run_write(engine, lambda s: save_filter(s, world.coord_a, "Bel 0612345678",
                                                SignalFilter()))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: save_filter(s, world.kf_a, "x", SignalFilter()))
    run_write(engine, lambda s: delete_filter(s, world.coord_a, saved.key))
    with read_session(engine) as session:
        assert [f.name for f in named_filters(session, world.coord_a)] == [
            p.name for p in PRESETS]


def test_presets_mine_and_calls_with_an_action_date(engine) -> None:
    world = make_world(engine)
    worked = _create(engine, world.kf_b, draft(world.wijk_b))
    untouched = _create(engine, world.kf_b, draft(world.wijk_b))
    call = _create(engine, world.kf_b, draft(world.wijk_b, category="oproep_mobilisatie",
                                             action_date=TODAY + timedelta(days=1)))
    _create(engine, world.kf_b, draft(world.wijk_b, category="oproep_mobilisatie"))
    with read_session(engine) as session:
        version = signal_detail(session, world.coord_b, worked.id, record_view=False).version
    run_write(engine, lambda s: assess(s, world.coord_b, worked.id, version,
                                       Assessment(status="in_duiding")))
    presets = {p.key: p.filter for p in PRESETS}
    assert _ids(engine, world.coord_b, presets["preset:mijn_open"]) == {worked.id}
    assert _ids(engine, world.coord_a, presets["preset:mijn_open"]) == set()
    assert _ids(engine, world.coord_b, presets["preset:oproepen"]) == {call.id}
    assert untouched.id in _ids(engine, world.coord_b, presets["preset:alle_open"])


def test_open_since_and_overdue_follow_the_setting(engine) -> None:
    world = make_world(engine)
    old = _create(engine, world.kf_b, draft(world.wijk_b))
    new = _create(engine, world.kf_b, draft(world.wijk_b))
    reported = datetime(2026, 2, 10, 12, tzinfo=UTC)  # 30 days before TODAY
    run_write(engine, lambda s: s.execute(update(Signal).where(Signal.id == old.id)
                                          .values(created_at=reported)))
    run_write(engine, lambda s: s.execute(update(Signal).where(Signal.id == new.id).values(
        created_at=datetime(2026, 3, 2, 12, tzinfo=UTC))))

    def rows():  # type: ignore[no-untyped-def]
        with read_session(engine) as session:
            queue = review_queue(session, world.coord_b, SignalFilter(), today=TODAY)
        return queue, queue.rows.set_index("id")

    queue, by_id = rows()
    assert queue.overdue_days == 14
    assert (by_id.loc[old.id, "reported_on"], by_id.loc[old.id, "days_open"]) == (
        "10-02-2026", 30)
    assert bool(by_id.loc[old.id, "overdue"]) and not bool(by_id.loc[new.id, "overdue"])
    run_write(engine, lambda s: update_review(s, world.beheerder, 7))
    queue, by_id = rows()
    assert queue.overdue_days == 7 and bool(by_id.loc[new.id, "overdue"])
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: update_review(s, world.beheerder, 0))
