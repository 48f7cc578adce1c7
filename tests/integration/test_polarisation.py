"""The polarisation picture on both backends: axes per week, themes per axis, the share of
misinformation, scope, and the managers' suppressed version in the weekbeeld."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, update

from signals.db.models import Signal, signal_theme
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import PermissionDeniedError
from signals.localtime import monday_of, today_local
from signals.services.polarisation import polarisation_picture
from signals.services.weekbeeld import misinformation_text, polarisation_rows
from tests.security.factories import make_signal, make_user, make_wijken

MONDAY = monday_of(today_local()) - timedelta(weeks=1)


@pytest.fixture
def world(engine):
    ids = make_wijken(engine, "WK000101", "WK000102")
    sf = make_user(engine, "sf_noord", Role.SLEUTELFIGUUR, ("WK000101", "WK000102"))
    plan = [("WK000101", "verticaal", "anti_overheid", "azc_asiel")] * 6 + [
        ("WK000101", "horizontaal", "spanning_groepen", "jeugdgroepen")] * 2 + [
        ("WK000101", "beide", "geruchten_desinformatie", "azc_asiel"),
        ("WK000101", "geen", "geruchten_desinformatie", None),
        ("WK000102", "horizontaal", "spanning_groepen", "voetbal")]
    for code, axis, category, theme in plan:
        signal_id = make_signal(engine, ids[code], sf, MONDAY + timedelta(days=1),
                                category=category)

        def mark(session, signal_id=signal_id, axis=axis, theme=theme) -> None:  # type: ignore[no-untyped-def]
            session.execute(update(Signal).where(Signal.id == signal_id)
                            .values(polarisation=axis))
            if theme:
                session.execute(insert(signal_theme).values(signal_id=signal_id,
                                                            theme_code=theme))
        run_write(engine, mark)
    return {"engine": engine,
            "noord": make_user(engine, "coord_noord", Role.COORDINATOR, ("WK000101",)),
            "zuid": make_user(engine, "coord_zuid", Role.COORDINATOR, ("WK000102",))}


def _picture(world, actor: str, wijk: str | None = None):  # type: ignore[no-untyped-def]
    with read_session(world["engine"]) as session:
        return polarisation_picture(session, world[actor], MONDAY - timedelta(weeks=2),
                                    MONDAY + timedelta(weeks=1), wijk)


def test_signals_divide_over_the_axes_with_their_themes(world) -> None:
    picture = _picture(world, "noord", "WK000101")
    assert picture.totals == {"horizontaal": 2, "verticaal": 6, "beide": 1}
    this_week = picture.weekly[picture.weekly["week_start"] == str(MONDAY)]
    assert dict(zip(this_week["axis"], this_week["n"], strict=True))["verticaal"] == 6
    assert len(picture.weekly) == 4 * 3  # every week and axis, zeros included
    top = picture.themes.set_index("axis")
    assert top.loc["verticaal", "theme"] == "Azc en asiel"
    assert (picture.signals, picture.misinformation) == (10, 2)


def test_a_coordinator_sees_only_their_wijken(world) -> None:
    assert _picture(world, "noord").totals["horizontaal"] == 2  # WK000102 is not theirs
    assert _picture(world, "zuid").totals["horizontaal"] == 1
    with pytest.raises(PermissionDeniedError):
        _picture(world, "zuid", "WK000101")


def test_managers_get_suppressed_counts_and_themes_with_at_least_five(world) -> None:
    picture = _picture(world, "noord")
    rows = polarisation_rows(picture).set_index("axis_label")
    assert rows.loc["Verticaal (tegen overheid)", "signals"] == 6
    assert rows.loc["Verticaal (tegen overheid)", "themes"] == "Azc en asiel"
    assert rows.loc["Horizontaal (tussen groepen)", "signals"] == "<5"
    assert rows.loc["Horizontaal (tussen groepen)", "themes"] == ""  # 2 is too few to name
    assert "te weinig" in misinformation_text(picture)  # 2 misinformation signals
