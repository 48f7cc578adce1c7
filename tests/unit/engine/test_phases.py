"""docs/phase-rules.md, rules 1-11, one small hand-made case at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.engine.indicators import weekly_indicators
from signals.engine.phases import PHASE_COLUMNS, propose_phases
from signals.engine.rules import DEFAULT_RULES, rules_from_mapping, rules_to_mapping
from signals.engine.weeks import parse_week, week_range

from .factories import OTHER_WIJK, WIJK, calm_history, day, frame, nul_meldingen, phases, signal

W = "2026-W13"  # the week under test, after twelve calm weeks


def _at(table: pd.DataFrame, week: str = W) -> pd.Series:
    return table.loc[week]


def _with(**changes: object) -> object:
    mapping = rules_to_mapping(DEFAULT_RULES)
    for path, value in changes.items():
        section, key = path.split("__")
        mapping[section][key] = value
    return rules_from_mapping(mapping)


# --- rule 1: weighted score ----------------------------------------------------------------

def test_score_weights_and_recency() -> None:
    rows = [*calm_history(), signal(W, category="geruchten_desinformatie", reliability="laag",
                                    reach="groot")]
    table = phases(rows)
    assert _at(table)["score"] == pytest.approx(2 * 0.5 * 2.0)
    assert _at(table, "2026-W14")["score"] == pytest.approx(0.5 * 2.0)  # last week at half
    assert _at(table, "2026-W15")["score"] == 0


def test_weerbaarheid_lowers_the_score() -> None:
    rows = [*calm_history(), signal(W, reporter=1), signal(W, reporter=2),
            signal(W, reporter=3, category="weerbaarheid")]
    out = _at(phases(rows))
    assert out["score"] == pytest.approx(1.0)
    assert out["phase"] == 0
    assert "onrustmeldingen onder de drempel (score 1,0, drempel 1,0)" in out["reasons"]


def test_past_resilience_does_not_lower_the_baseline() -> None:
    """Resilience lowers its own week, never the bar for later weeks (so it never raises)."""
    history = [signal(w, reporter=r) for w in (f"2026-W{n:02d}" for n in range(1, 13))
               for r in (1, 2)]
    resilience = [signal(w, reporter=r, category="weerbaarheid")
                  for w in (f"2026-W{n:02d}" for n in range(1, 13)) for r in (3, 4)]
    now = [signal(W, reporter=1, category="geruchten_desinformatie"),
           signal(W, reporter=2, category="geruchten_desinformatie"), signal(W, reporter=3)]
    plain = _at(phases([*history, *now]))
    resilient = _at(phases([*history, *resilience, *now]))
    assert resilient["score"] < plain["score"]
    assert resilient["upperbound"] == plain["upperbound"]
    assert not resilient["alarm"]
    assert resilient["phase"] <= plain["phase"] == 1


# --- rule 2: own baseline ------------------------------------------------------------------

def test_quiet_wijk_that_surges_alarms() -> None:
    rows = [*calm_history(), *(signal(W, reporter=r, category="geruchten_desinformatie",
                                      themes="azc_asiel") for r in (1, 2, 3))]
    out = _at(phases(rows))
    assert out["alarm"]
    assert out["upperbound"] == pytest.approx(3.0902, abs=1e-4)  # z(0.001) x min_sigma
    assert out["phase"] == 2
    assert out["reasons"] == (
        "3 onrustmeldingen van 3 sleutelfiguren in twee weken over azc en asiel; duidelijk meer "
        "dan gebruikelijk voor deze wijk (score 6,0; normaal tot 3,1)")
    assert "C2" not in out["reasons"] and "×" not in out["reasons"]
    assert "EARS C2 over 13 referentieweken" in out["details"]


def test_alarm_reason_against_a_baseline() -> None:
    background = [signal(w, reporter=1 + i % 4) for i, w in enumerate(
        f"2026-W{n:02d}" for n in range(1, 13))]
    surge = [signal(W, reporter=r, category="geruchten_desinformatie", themes="azc_asiel")
             for r in (1, 2, 3, 5, 6)]
    out = _at(phases([*calm_history(), *background, *surge]))
    assert out["phase"] == 2
    # 10 + 0.5 x last week's 1, against a baseline of 1.5 (1 + 0.5 x 1 every week) whose
    # sd is floored at 2 x sqrt(1.5)
    assert out["reasons"] == ("6 onrustmeldingen van 6 sleutelfiguren in twee weken over "
                              "azc en asiel; duidelijk meer dan gebruikelijk voor deze wijk "
                              "(score 10,5; normaal tot 7,6)")


def test_busy_wijk_does_not_alarm_from_volume_alone() -> None:
    rng = np.random.default_rng(3)
    rows = calm_history("2026-W30")
    for week in [f"2026-W{n:02d}" for n in range(1, 31)]:
        rows += [signal(week, reporter=int(rng.integers(1, 7)), category="onvrede")
                 for _ in range(int(rng.integers(8, 15)))]
    # From week 11 on the wijk has a full baseline of its own busy weeks.
    table = phases(rows, first="2026-W11", expected={WIJK: 6})
    assert not table["alarm"].any()
    assert table["phase"].max() == 1


def test_change_band_is_shown() -> None:
    rows = [*calm_history(), *(signal(w, reporter=1) for w in ("2026-W09", "2026-W10",
                                                               "2026-W11", "2026-W12")),
            *(signal(W, reporter=r % 4 + 1) for r in range(8))]
    out = _at(phases(rows))
    assert out["change_band"] == "sterke toename"
    assert out["pct_change"] == pytest.approx(700.0)
    assert "+700% meldingen t.o.v. het gemiddelde van de weken ervoor" in out["reasons"]


# --- rule 3: corroboration -----------------------------------------------------------------

def test_one_loud_reporter_is_not_a_crowd() -> None:
    rows = [*calm_history(), *(signal(W, reporter=1, category="haat_discriminatie")
                               for _ in range(10))]
    out = _at(phases(rows))
    assert out["alarm"]  # the score is far above the quiet baseline ...
    assert out["phase"] == 1  # ... but one key figure cannot lift it to phase 2
    assert out["raw_phase"] == 1


# --- rule 4: phase 1 -----------------------------------------------------------------------

def test_small_score_stays_calm_and_unrest_above_it_is_phase_1() -> None:
    one = [*calm_history(), signal(W, reliability="onbekend")]
    two = [*one, signal(W, reporter=2, reliability="onbekend")]
    assert _at(phases(one))["phase"] == 0
    out = _at(phases(two))
    assert out["phase"] == 1
    assert out["reasons"] == ("2 onrustmeldingen van 2 sleutelfiguren in twee weken; "
                              "score 1,2 boven drempel 1,0")


def test_triggers_alone_are_not_unrest() -> None:
    rows = [*calm_history(), *(signal(W, reporter=r, category="aanleiding", severity=5)
                               for r in (1, 2))]
    assert _at(phases(rows))["phase"] == 0


# --- rule 5: phase 2 -----------------------------------------------------------------------

def test_severe_categories_that_stand_out_in_a_quiet_wijk() -> None:
    rows = [*calm_history(),
            *(signal("2026-W12", reporter=r, category="spanning_groepen", reliability="laag")
              for r in (1, 2)),
            *(signal(W, reporter=r, category="haat_discriminatie", reliability="laag")
              for r in (2, 3))]
    table = phases(rows)
    assert _at(table, "2026-W12")["phase"] == 1  # two of them are not enough yet
    out = _at(table)
    assert out["phase"] == 2
    assert ("4 meldingen over bedreiging en intimidatie, haat en discriminatie of spanning "
            "tussen groepen van 3 sleutelfiguren in twee weken, meer dan gebruikelijk voor deze "
            "wijk (normaal tot 3,1)") in out["reasons"]


def test_routine_severe_categories_in_a_busy_wijk_are_no_escalation() -> None:
    """Intergroup tension that a busy wijk reports every week does not push it to phase 2."""
    history = [signal(f"2026-W{n:02d}", reporter=r, category="spanning_groepen")
               for n in range(1, 31) for r in (1, 2, 3)]
    table = phases([*calm_history("2026-W30"), *history], first="2026-W20", last="2026-W30",
                   expected={WIJK: 3})
    assert table["phase"].le(1).all()
    assert not table["reasons"].str.contains("meer dan gebruikelijk").any()


@pytest.mark.parametrize(("status", "phase"), [("geverifieerd", 2), ("nieuw", 1)])
def test_one_verified_severe_report_is_phase_2(status: str, phase: int) -> None:
    rows = [*calm_history(), signal(W, category="bedreiging_intimidatie", severity=4,
                                    reliability="laag", status=status)]
    out = _at(phases(rows))
    assert out["phase"] == phase
    if phase == 2:
        assert ("1 geverifieerde melding van ernst 4 of hoger over bedreiging en intimidatie"
                in out["reasons"])


def _busy_background(last: str = "2026-W13") -> list[dict]:
    """A busy wijk: 5 routine complaints a week from 5 key figures, themes spread out."""
    themes = ["wonen", "voetbal", "", "jeugdgroepen", ""]
    return [signal(f"2026-W{n:02d}", reporter=r, themes=themes[(n + r) % 5])
            for n in range(1, int(last[-2:]) + 1) for r in range(1, 6)]


def test_one_theme_that_lasts_two_weeks_is_phase_2() -> None:
    """A build-up is about something and lasts: 3 + 3 signals about azc over two weeks."""
    story = [signal(week, reporter=r, category="geruchten_desinformatie", themes="azc_asiel",
                    reliability="laag")
             for week, reporters in (("2026-W12", (1, 2, 3)), (W, (2, 3, 4))) for r in reporters]
    out = _at(phases([*_busy_background(), *story], expected={WIJK: 5}))
    assert out["phase"] == 2
    assert not out["alarm"]  # the score alone is ordinary for this busy wijk
    assert ("één thema houdt aan: 6 onrustmeldingen over hetzelfde thema in deze en vorige week "
            "van 4 sleutelfiguren, meer dan gebruikelijk voor deze wijk") in out["reasons"]
    assert "aanhoudend thema (EARS C2): 6 onrustmeldingen" in out["details"]


def test_a_one_week_burst_on_one_theme_is_not_a_lasting_theme() -> None:
    """New Year: many signals about one theme, but only in one week."""
    burst = [signal(W, reporter=r % 5 + 1, category="onvrede", themes="jaarwisseling",
                    reliability="laag") for r in range(6)]
    table = phases([*_busy_background("2026-W14"), *burst], last="2026-W14",
                   expected={WIJK: 5})
    assert table.loc[W:"2026-W14", "phase"].le(1).all()


@pytest.mark.parametrize(("online", "phase"), [(True, 1), (False, 2)])
def test_a_surge_seen_only_online_by_two_key_figures_is_no_crowd(online: bool,
                                                                  phase: int) -> None:
    """Two key figures who only saw it online may have seen the same post; a third, or
    two who saw it offline, make it phase 2."""
    rows = [*calm_history(), *(signal(W, reporter=r, category="anti_overheid", severity=4,
                                      reach="klein", online=online) for r in (1, 2))]
    out = _at(phases(rows))
    assert out["alarm"]
    assert out["phase"] == phase
    if online:
        assert ("meer dan gebruikelijk, maar van 2 sleutelfiguren van wie 0 het offline zag"
                in out["reasons"])
        third = _at(phases([*rows, signal(W, reporter=3, category="onvrede", online=True)]))
        assert third["phase"] == 2


def test_two_routine_signals_in_a_quiet_wijk_are_no_alarm() -> None:
    """A near-zero baseline: the score is far above it in ratio, but not in points."""
    rows = [*calm_history(), signal("2026-W05", reliability="laag"),
            *(signal(W, reporter=r, category="geruchten_desinformatie", reliability="middel",
                     reach="klein") for r in (1, 2))]
    out = _at(phases(rows))
    assert out["alarm"]  # 4,0 is above the statistical bound ...
    assert out["phase"] == 1  # ... but only 4,0 - 0,0 points above a wijk that is never busy
    assert "×" not in out["reasons"] and "basislijn" not in out["reasons"]


# --- rule 6: phase 3 -----------------------------------------------------------------------

def _call(reporter: int, online: bool, days_ahead: int = 10, **kw: object) -> dict:
    return signal(W, reporter=reporter, category="oproep_mobilisatie", online=online,
                  action=day(W, 2) + pd.Timedelta(days=days_ahead), **kw)


def test_call_corroborated_offline_is_phase_3() -> None:
    out = _at(phases([*calm_history(), _call(1, online=True), _call(2, online=False)]))
    assert out["phase"] == 3
    assert ("oproep tot actie met actiedatum binnen 14 dagen, bevestigd door 2 sleutelfiguren "
            "waarvan 1 offline") in out["reasons"]


def test_verified_call_is_phase_3() -> None:
    out = _at(phases([*calm_history(), _call(1, online=True, status="geverifieerd")]))
    assert out["phase"] == 3
    assert "oproep tot actie met actiedatum binnen 14 dagen, geverifieerd" in out["reasons"]


@pytest.mark.parametrize("reporters", [1, 5])
def test_uncorroborated_online_call_caps_at_2(reporters: int) -> None:
    rows = [*calm_history(), *(_call(r, online=True) for r in range(1, reporters + 1))]
    out = _at(phases(rows, expected={WIJK: 5}))
    assert out["phase"] == (2 if reporters > 1 else 1)
    assert "oproep tot actie niet geverifieerd en niet bevestigd (alleen online gezien" in (
        out["reasons"])
    assert "hoogstens fase 2" in out["reasons"]


def test_call_beyond_the_horizon_is_no_phase_3() -> None:
    out = _at(phases([*calm_history(), _call(1, False, days_ahead=30),
                      _call(2, False, days_ahead=30)]))
    assert out["phase"] == 2  # still two severity-4 signals from two key figures


# --- rule 7: phase 4 -----------------------------------------------------------------------

def _riot(reporter: int, week: str = W, **kw: object) -> dict:
    return signal(week, reporter=reporter, category="ordeverstoring", severity=5, **kw)


def test_disorder_from_two_reporters_in_one_week_is_phase_4() -> None:
    out = _at(phases([*calm_history(), _riot(1), _riot(2)]))
    assert out["phase"] == 4
    assert out["phase_name"] == "Escalatie openbare ruimte"
    assert "ordeverstoring (ernst 5) gemeld door 2 sleutelfiguren in dezelfde week" in (
        out["reasons"])


def test_verified_disorder_is_phase_4() -> None:
    out = _at(phases([*calm_history(), _riot(1, status="geverifieerd")]))
    assert out["phase"] == 4
    assert "ordeverstoring (ernst 5) geverifieerd door een coördinator" in out["reasons"]


def test_disorder_needs_severity_5_and_the_same_week() -> None:
    lower = [*calm_history(), *(signal(W, reporter=r, category="ordeverstoring", severity=4)
                                for r in (1, 2))]
    spread = [*calm_history(), _riot(1, "2026-W12"), _riot(2)]
    assert _at(phases(lower))["phase"] < 4
    assert _at(phases(spread))["raw_phase"] < 4


# --- rules 8 and 9: gradual de-escalation and nafase ------------------------------------------

def test_after_an_escalation_the_phase_steps_down_with_a_nafase() -> None:
    rows = [*nul_meldingen("2026-W01", "2026-W22"), _riot(1), _riot(2)]
    table = phases(rows, last="2026-W20")
    after = table.loc["2026-W13":"2026-W19"]
    assert after["phase"].tolist() == [4, 3, 2, 1, 1, 0, 0]
    assert after["nafase"].tolist() == [False, True, True, True, True, False, False]
    # The week after, half of the riot's score still alarms against the quiet baseline.
    assert after["raw_phase"].tolist()[1:] == [2, 0, 0, 0, 0, 0]
    assert ("geleidelijke afschaling: vorige week fase 4, hoogstens 1 fase per week omlaag"
            in table.loc["2026-W14", "reasons"])
    assert "in de nafase minimaal fase 1" in table.loc["2026-W17", "reasons"]
    assert "nafase: week 4 van 4 na escalatie in 2026-W13" in table.loc["2026-W17", "reasons"]


def test_nafase_length_and_floor_come_from_the_rules() -> None:
    rules = _with(dynamics__nafase_weeks=6, dynamics__max_drop_per_week=2)
    rows = [*nul_meldingen("2026-W01", "2026-W22"), _riot(1), _riot(2)]
    table = phases(rows, last="2026-W21", rules=rules)
    assert table.loc["2026-W13":"2026-W20", "phase"].tolist() == [4, 2, 1, 1, 1, 1, 1, 0]
    assert table.loc["2026-W19", "nafase"] and not table.loc["2026-W20", "nafase"]


# --- rule 10: visibility -------------------------------------------------------------------

def test_too_few_reporters_is_insufficient_visibility() -> None:
    out = _at(phases([*calm_history(), signal(W, reporter=1, category="geen_bijzonderheden")]))
    assert out["visibility"] == "onvoldoende"
    assert out["reporting_rate"] == pytest.approx(0.25)
    assert out["phase"] == 0
    assert out["reasons"] == ("onvoldoende zicht: 1 van 4 sleutelfiguren meldde deze week "
                              "(25%, minimaal 50% nodig)")


def test_half_of_the_reporters_is_enough() -> None:
    rows = [signal(W, reporter=r, category="geen_bijzonderheden") for r in (1, 2)]
    out = _at(phases(rows))
    assert out["visibility"] == "ok"
    assert out["reasons"] == "geen onrustmeldingen deze en vorige week"


def test_wijk_without_key_figures_and_wijk_without_signals() -> None:
    rows = [signal(W, wijk=OTHER_WIJK, reporter=9)]
    table = propose_phases(weekly_indicators(frame(rows), DEFAULT_RULES),
                           pd.Series({WIJK: 3}), week_range(parse_week(W), parse_week(W)),
                           DEFAULT_RULES).set_index("wijk_code")
    assert table.loc[WIJK, "visibility"] == "onvoldoende"  # expected, but silent
    assert table.loc[WIJK, "n_signals"] == 0
    assert table.loc[OTHER_WIJK, "expected"] == 0
    assert np.isnan(table.loc[OTHER_WIJK, "reporting_rate"])
    assert table.loc[OTHER_WIJK, "reasons"].endswith(
        "onvoldoende zicht: geen actieve sleutelfiguren toegewezen")


def test_timeliness_and_online_share() -> None:
    rows = [signal(W, reporter=1, online=True), signal(W, reporter=2, logged_days_later=5),
            signal(W, reporter=3, category="geen_bijzonderheden"),
            signal(W, reporter=4, category="geen_bijzonderheden", logged_days_later=9)]
    out = _at(phases(rows))
    assert out["timeliness"] == pytest.approx(0.5)
    assert out["online_share"] == pytest.approx(0.5)


# --- rule 11 and the frame itself ------------------------------------------------------------

def test_every_row_explains_itself() -> None:
    rows = [*nul_meldingen("2026-W01", "2026-W12"), _riot(1), _riot(2),
            *(signal("2026-W15", reporter=r, category="haat_discriminatie") for r in (1, 2))]
    table = phases(rows, last="2026-W25")
    assert (table["reasons"] != "").all()
    assert [c for c in PHASE_COLUMNS if c != "week"] == list(table.columns)


def test_requested_weeks_snap_to_mondays_and_empty_requests() -> None:
    indicators = weekly_indicators(frame([signal(W)]), DEFAULT_RULES)
    one = propose_phases(indicators, pd.Series({WIJK: 1}),
                         pd.DatetimeIndex([day(W, 3), day(W, 5)]), DEFAULT_RULES)
    assert one["week"].tolist() == [W]
    empty = propose_phases(indicators, pd.Series({WIJK: 1}), pd.DatetimeIndex([]),
                           DEFAULT_RULES)
    assert empty.empty and list(empty.columns) == list(PHASE_COLUMNS)


@pytest.mark.parametrize("method", ["C1", "C2", "C3"])
def test_warmup_weeks_make_a_short_window_exact(method: str) -> None:
    rng = np.random.default_rng(11)
    codes = ["onvrede", "geruchten_desinformatie", "haat_discriminatie", "oproep_mobilisatie",
             "ordeverstoring", "weerbaarheid", "geen_bijzonderheden"]
    rows = []
    for n in range(1, 53):
        for _ in range(int(rng.integers(0, 9))):
            code = codes[int(rng.integers(0, len(codes)))]
            rows.append(signal(f"2026-W{n:02d}", weekday=int(rng.integers(0, 7)),
                               wijk=[WIJK, OTHER_WIJK][int(rng.integers(0, 2))],
                               reporter=int(rng.integers(1, 6)), category=code,
                               online=bool(rng.integers(0, 2)),
                               action=day(f"2026-W{n:02d}", 6) if code == "oproep_mobilisatie"
                               else None))
    rules = _with(detection__method=method)
    indicators = weekly_indicators(frame(rows), rules)
    expected = pd.Series({WIJK: 4, OTHER_WIJK: 3})
    everything = propose_phases(indicators, expected,
                                week_range(parse_week("2026-W01"), parse_week("2026-W52")),
                                rules)
    assert everything["phase"].nunique() >= 4
    for first, last in [("2026-W20", "2026-W31"), ("2026-W40", "2026-W40")]:
        start = parse_week(first) - pd.Timedelta(weeks=rules.warmup_weeks)
        window = indicators[(indicators["week_start"] >= start)
                            & (indicators["week_start"] <= parse_week(last))]
        part = propose_phases(window, expected, week_range(parse_week(first), parse_week(last)),
                              rules)
        full = everything[everything["week"].between(first, last)].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, full)


def test_wijken_without_any_stored_rows_still_get_rows() -> None:
    table = propose_phases(weekly_indicators(frame([]), DEFAULT_RULES),
                           pd.Series({WIJK: 2, OTHER_WIJK: 0}),
                           week_range(parse_week("2026-W10"), parse_week("2026-W11")),
                           DEFAULT_RULES)
    assert table[["wijk_code", "week"]].values.tolist() == [  # sorted by wijk, then week
        [WIJK, "2026-W10"], [WIJK, "2026-W11"], [OTHER_WIJK, "2026-W10"],
        [OTHER_WIJK, "2026-W11"]]
    assert (table["phase"] == 0).all() and (table["visibility"] == "onvoldoende").all()
