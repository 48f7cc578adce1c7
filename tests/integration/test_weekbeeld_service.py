"""The manager's weekbeeld: the service itself never returns a count from 1 to 4.

A small gemeente with known counts (SQLite and PostgreSQL), plus the demo.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from signals.db.models import Signal, Theme, User, Wijk
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import PermissionDeniedError, ValidationError
from signals.services.actor import Actor, scope_actor
from signals.services.auth import actor_from_user
from signals.services.indicators import rebuild_indicators
from signals.services.phases import record_decision
from signals.services.rules_config import load_rules
from signals.services.weekbeeld import (
    SUPPRESSED,
    Weekbeeld,
    change_text,
    summary_lines,
    suppress,
    suppress_column,
    weekbeeld,
)

THIS_WEEK = date(2026, 11, 16)
TODAY = date(2026, 11, 19)
MANAGER = scope_actor(Role.MANAGER, frozenset())  # as the dashboard cache calls it
# Columns that hold phase levels (0-4), not counts; everything else numeric is a count.
PHASE_COLUMNS = {"fase", "voorstel", "vorige_week", "deze_week"}
# Not counts: a percentage, and the mean per week of a 4-week total that is itself >= 5.
DERIVED = {"verandering_pct", "gemiddeld_per_week"}
SECRET_REASON = "Geheime afweging 3 meldingen van 2 buren"


def _signal(wijk: Wijk, reporter: User, day: date, category: str = "onvrede",
            themes: tuple[Theme, ...] = ()) -> Signal:
    return Signal(wijk_id=wijk.id, observed_on=day, reporter_id=reporter.id,
                  reporter_role="bewoner", category=category, severity=2,
                  source="eigen_waarneming", online=False, reach="individu",
                  reliability="hoog", polarisation="geen", status="nieuw",
                  description="Vrije tekst die een manager nooit mag zien", themes=list(themes))


def _small_gemeente(session) -> None:  # type: ignore[no-untyped-def]
    """Noord: 7 signals this week; Zuid: 3; Oost: none; West: 12 (and theme trends)."""
    wijken = {name: Wijk(code=f"WK0990{i:02d}", name=name)
              for i, name in enumerate(("Noord", "Zuid", "Oost", "West"), start=1)}
    session.add_all(wijken.values())
    session.flush()
    people = {}
    for name, wijk in wijken.items():
        for k in range(2):
            user = User(username=f"kf_{name}_{k}", role="sleutelfiguur", reporter_role="bewoner",
                        wijken=[wijk])
            session.add(user)
            people[(name, k)] = user
    session.flush()
    azc, wonen = session.get(Theme, "azc_asiel"), session.get(Theme, "wonen")
    day = THIS_WEEK + timedelta(days=1)
    rows = [_signal(wijken["Noord"], people[("Noord", i % 2)], day, themes=(wonen,))
            for i in range(7)]
    rows += [_signal(wijken["Zuid"], people[("Zuid", 0)], day) for _ in range(3)]
    rows += [_signal(wijken["West"], people[("West", i % 2)], day, themes=(azc,))
             for i in range(12)]
    for weeks_back in range(1, 5):  # azc: 2 a week before (mean 2, now 12: +500%)
        earlier = day - timedelta(weeks=weeks_back)
        rows += [_signal(wijken["West"], people[("West", 0)], earlier, themes=(azc,))
                 for _ in range(2)]
    session.add_all(rows)
    session.flush()
    rebuild_indicators(session, load_rules(session))


@pytest.fixture
def small(engine):
    run_write(engine, _small_gemeente)
    return engine


def _weekbeeld(engine, actor: Actor = MANAGER, weeks: int = 12) -> Weekbeeld:
    with read_session(engine) as session:
        return weekbeeld(session, actor, THIS_WEEK, weeks)


def assert_no_small_counts(wb: Weekbeeld) -> None:
    frames = {"totals": wb.totals, "phase_groups": wb.phase_groups, "wijken": wb.wijken,
              "themes": wb.themes, "changes": wb.changes}
    for name, frame in frames.items():
        for column in frame.columns:
            if column in PHASE_COLUMNS:
                continue
            for value in frame[column]:
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, int | float) and not pd.isna(value):
                    assert not 1 <= value <= 4 or column in DERIVED, (name, column)
                    assert column in DERIVED or value == 0 or value >= 5
                if isinstance(value, str):
                    assert_text_without_small_numbers(value)
    assert set(wb.heatmap.stack().unique()) <= {0, 1, 2, 3, 4}  # phase levels only
    for line in summary_lines(wb):
        assert_text_without_small_numbers(line)


def assert_text_without_small_numbers(text: str) -> None:
    plain = re.sub(r"(?i)fase \d( → \d)?|\(voorstel fase \d\)|\d+%|20\d\d-W\d\d", "", text)
    assert not re.search(r"(?<![\d<])[1-4](?![\d%])", plain), text
    assert "Vrije tekst" not in text and SECRET_REASON not in text


def test_counts_under_five_are_suppressed_by_the_service(small) -> None:
    wb = _weekbeeld(small)
    assert_no_small_counts(wb)
    signals = wb.wijken.set_index("wijk_naam")["signalen"]
    assert signals["West"] == 12 and signals["Zuid"] == SUPPRESSED
    assert signals["Oost"] == SUPPRESSED
    # Noord (7) is suppressed as well: otherwise total - shown cells would reveal Zuid + Oost.
    totals = wb.totals.set_index("label")
    assert totals.loc["Signalen", "deze_week"] == 22
    assert totals.loc["Signalen", "vorige_week"] == SUPPRESSED  # 2 signals last week


def test_complementary_suppression_protects_a_single_small_cell() -> None:
    out = suppress_column(pd.Series([20, 3, 9, 40]))
    assert list(out) == [20, SUPPRESSED, SUPPRESSED, 40]
    assert list(suppress_column(pd.Series([0, 2, 30]))) == [SUPPRESSED, SUPPRESSED, 30]
    assert [suppress(n) for n in range(7)] == [SUPPRESSED] * 5 + [5, 6]


def test_themes_trending_up_with_percentages_only_from_safe_counts(small) -> None:
    themes = _weekbeeld(small).themes.set_index("thema")
    assert themes.loc["Azc en asiel", "deze_week"] == 12
    assert themes.loc["Azc en asiel", "vorige_4_weken"] == 8
    assert themes.loc["Azc en asiel", "verandering_pct"] == 500
    # The percentage agrees with the numbers shown: 12 this week against 8 / 4 = 2 per week.
    assert themes.loc["Azc en asiel", "gemiddeld_per_week"] == 2
    assert themes.loc["Wonen", "gemiddeld_per_week"] is None
    # Wonen: 7 now, none before: new, without a percentage over a small base.
    assert themes.loc["Wonen", "vorige_4_weken"] == SUPPRESSED
    assert themes.loc["Wonen", "verandering_pct"] is None


def test_only_managers_and_beheerders_and_no_future_weeks(small) -> None:
    coordinator = scope_actor(Role.COORDINATOR, frozenset({1}))
    with pytest.raises(PermissionDeniedError):
        _weekbeeld(small, coordinator)
    _weekbeeld(small, scope_actor(Role.BEHEERDER, frozenset()))
    with pytest.raises(ValidationError), read_session(small) as session:
        weekbeeld(session, MANAGER, date(2099, 1, 5), 12)


def test_demo_weekbeeld_tells_the_stories_without_small_counts(demo_engine) -> None:
    engine = demo_engine
    with read_session(engine) as session:
        coordinator = actor_from_user(session.scalar(select(User).where(
            User.username == "coordinator")))
    run_write(engine, lambda s: record_decision(s, coordinator, "WK990105", THIS_WEEK, 3,
                                                SECRET_REASON, today=TODAY))
    wb = _weekbeeld(engine, weeks=26)
    assert_no_small_counts(wb)
    rows = wb.wijken.set_index("wijk_naam")
    assert rows.loc["Spoorzone", "fase"] == 3 and rows.loc["Spoorzone", "besluit"] == "ja"
    assert "oproep tot actie" in rows.loc["Spoorzone", "reden"]
    assert rows.loc["Molenwijk", "nafase"] and rows.loc["Vogelwijk", "onvoldoende_zicht"]
    assert wb.heatmap.shape == (12, 26)
    assert wb.heatmap.loc["Molenwijk", "2026-W43"] == 4
    assert wb.heatmap_nafase.loc["Molenwijk", "2026-W44"]
    assert wb.heatmap_blind.loc["Vogelwijk", "2026-W47"]
    assert wb.heatmap.loc["Centrum"].max() <= 1
    assert "Spoorzone" in set(wb.changes["wijk_naam"])
    text = " ".join(summary_lines(wb))
    assert "Fase 3 of hoger: Spoorzone (fase 3)" in text and "Vogelwijk" in text


def test_verandering_says_what_changed() -> None:
    assert change_text(3, 2, 9, "beperkte verandering") == (
        "fase 2 → 3 hoger; signalen ongeveer gelijk")
    assert change_text(0, 0, 0, "beperkte verandering") == (
        "zelfde fase; geen signalen deze week")
    assert change_text(1, 2, 6, "sterke afname") == (
        "fase 2 → 1 lager; sterke afname van signalen")
