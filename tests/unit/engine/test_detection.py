"""EARS against R's surveillance::earsC (fixtures in tests/fixtures/r), and %-change bands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from signals.engine.detection import (
    CHANGE_BANDS,
    ears,
    ears_array,
    pct_change,
    z_alpha,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "r"
SERIES = pd.read_csv(FIXTURES / "ears_series.csv")
EXPECTED = pd.read_csv(FIXTURES / "ears_expected.csv", dtype={"alarm": str},
                       keep_default_na=False)
CASES = sorted(EXPECTED.groupby(["series", "method", "baseline", "alpha", "min_sigma"]).groups)


def _series(name: str) -> pd.Series:
    rows = SERIES[SERIES["series"] == name].sort_values("t")
    return pd.Series(rows["observed"].to_numpy(dtype=float))


def _expected(case: tuple) -> pd.DataFrame:
    keys = ["series", "method", "baseline", "alpha", "min_sigma"]
    return EXPECTED[(EXPECTED[keys] == pd.Series(case, index=keys)).all(axis=1)]


def _r_upperbound(rows: pd.DataFrame) -> np.ndarray:
    return pd.to_numeric(rows["upperbound"].replace("NA", np.nan)).to_numpy()


@pytest.mark.parametrize("case", [c for c in CASES if c[1] != "C3"], ids=str)
def test_c1_c2_equal_r(case: tuple) -> None:
    name, method, baseline, alpha, min_sigma = case
    rows = _expected(case)
    got = ears(_series(name), method, int(baseline), float(alpha), float(min_sigma))
    at = got.iloc[rows["t"].to_numpy() - 1]
    np.testing.assert_allclose(at["upperbound"], _r_upperbound(rows), rtol=1e-12, atol=1e-12)
    assert at["alarm"].tolist() == (rows["alarm"] == "TRUE").tolist()
    # R starts its range where the history is complete; before that there is no alarm.
    assert not got["alarm"].iloc[: rows["t"].min() - 1].any()
    assert got["upperbound"].iloc[: rows["t"].min() - 1].isna().all()


@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "C3"], ids=str)
def test_c3_keeps_every_r_alarm_and_adds_the_current_week(case: tuple) -> None:
    """R's C3 alarms when the two previous weeks exceed z. Ours adds this week's term."""
    name, _, baseline, alpha, min_sigma = case
    rows = _expected(case)
    y = _series(name)
    ours = ears_array(y.to_numpy(), "C3", int(baseline), float(alpha), float(min_sigma))
    c2 = ears_array(y.to_numpy(), "C2", int(baseline), float(alpha), float(min_sigma))
    idx = rows["t"].to_numpy() - 1
    r_alarm = (rows["alarm"] == "TRUE").to_numpy()
    assert ours.alarm[idx][r_alarm].all()
    # Where R's bound is defined and not floored, both use the same two lagged terms:
    # R's upperbound = x + sigma * (z - lags).
    z = z_alpha(float(alpha))
    sigma = (c2.upperbound - c2.baseline) / z
    r_ub = _r_upperbound(rows)
    with np.errstate(invalid="ignore", divide="ignore"):  # sd = 0: R gives NA there
        ours_lags = (ours.statistic - np.maximum(c2.statistic - 1, 0))[idx]
        r_lags = z - (r_ub - y.to_numpy()[idx]) / sigma[idx]
    usable = np.isfinite(r_ub) & (r_ub > 0) & (sigma[idx] > 0) & np.isfinite(ours_lags)
    assert usable.any() or name in ("constant", "quiet_surge")  # sd = 0 nearly everywhere
    np.testing.assert_allclose(ours_lags[usable], r_lags[usable], atol=1e-9)


def test_c3_by_hand() -> None:
    y = np.array([2.0, 2, 2, 3, 1, 2, 2, 2, 2, 2, 2, 2, 9, 9, 9])
    res = ears_array(y, "C3", baseline=3, alpha=0.025, min_sigma=0.5)
    assert not res.alarm[:11].any()
    assert np.isnan(res.statistic[:7]).all()
    assert res.alarm[12]  # the jump counts in its own week (R's C3 would wait)
    assert res.statistic[12] == pytest.approx((9 - 2) / 0.5 - 1)


def test_constant_series_without_min_sigma_alarms_on_any_rise() -> None:
    y = pd.Series([3.0] * 10 + [3.0, 3.01])
    out = ears(y, "C1", baseline=7, alpha=0.001)
    assert out["alarm"].tolist()[-2:] == [False, True]  # strict >, sd = 0: upperbound = mean


def test_min_sigma_damps_a_quiet_series() -> None:
    y = pd.Series([0.0] * 10 + [3.0, 4.0])
    out = ears(y, "C2", baseline=7, alpha=0.001, min_sigma=1.0)
    assert out["upperbound"].iloc[-1] == pytest.approx(z_alpha(0.001))
    assert out["alarm"].tolist()[-2:] == [False, True]


def test_reference_series_sets_the_baseline() -> None:
    x = np.array([0.0] * 9 + [2.0])
    ref = np.array([4.0, 0.0] * 5)
    plain = ears_array(x, "C1", baseline=3, min_sigma=0.1)
    shifted = ears_array(x, "C1", baseline=3, min_sigma=0.1, reference=ref)
    assert plain.alarm[-1] and not shifted.alarm[-1]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="C1, C2 or C3"):
        ears(pd.Series([1.0] * 10), "C4")
    with pytest.raises(ValueError, match="at least 3"):
        ears(pd.Series([1.0] * 10), "C1", baseline=2)


@pytest.mark.parametrize(("history", "now", "band"), [
    ([4, 4, 4, 4], 6, "sterke toename"),  # +50%
    ([10, 10, 10, 10], 12, "matige toename"),  # +20%
    ([10, 10, 10, 10], 11, "beperkte verandering"),  # +10% is not above 10%
    ([10, 10, 10, 10], 7, "sterke afname"),  # -30%
    ([10, 10, 10, 10], 8, "beperkte verandering"),  # -20%
    ([1, 2, 1, 2], 5, "beperkte verandering"),  # low-count guard: +233% but tiny
    ([0, 0, 0, 0], 6, "sterke toename"),  # from nothing to more than the guard
    ([0, 0, 0, 0], 0, "beperkte verandering"),
])
def test_change_bands(history: list[int], now: int, band: str) -> None:
    change = pct_change(pd.Series([*history, now], dtype=float))
    assert change.band.iloc[-1] == band
    assert pd.isna(change.band.iloc[0])  # no history yet


def test_change_percentage_and_frames() -> None:
    frame = pd.DataFrame({"a": [4.0, 4, 4, 4, 6], "b": [0.0, 0, 0, 0, 3]})
    change = pct_change(frame)
    assert change.pct["a"].iloc[-1] == pytest.approx(50.0)
    assert np.isnan(change.pct["b"].iloc[-1])  # undefined against a mean of 0
    assert set(change.band.iloc[-1]) <= set(CHANGE_BANDS)
