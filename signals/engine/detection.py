"""Aberration detection on weekly series: EARS C1/C2/C3 and %-change bands.

EARS follows R's ``surveillance::earsC`` (version 1.20):

* **C1** compares week t with the mean and sample sd (n-1) of weeks t-baseline .. t-1.
* **C2** does the same with weeks t-baseline-2 .. t-3 (a guard band of two weeks, so a slow
  build-up does not hide in its own baseline).
* For both, ``upperbound = mean + qnorm(1 - alpha) * max(sd, min_sigma)``, and the alarm is
  ``observed > upperbound`` (strict). With sd = 0 and ``min_sigma = 0``, any value above the
  mean alarms, exactly as in R. C1 and C2 match R's ``earsC`` upperbounds and alarms
  (tests/fixtures/r holds R's output). R returns no statistic; ours is
  ``(x - mean) / max(sd, min_sigma)``.

**C3: we implement the textbook C3 (Hutwagner et al. 2003), not R's.** Let
``c2(t) = (x_t - mean_t) / max(sd_t, min_sigma)`` be the C2 statistic. The textbook statistic
is ``sum over i = 0, 1, 2 of max(0, c2(t-i) - 1)``. We alarm when it exceeds
``qnorm(1 - alpha)``. R's ``earsC`` builds the upperbound of week t from the exceedances of
weeks t-1 and t-2 only. Its alarm ``x_t > x_t + sd_t * (z - lags)`` therefore fires exactly
when the two *previous* weeks exceed z: the current week never counts. For early warning the
current week is the one that matters, so we keep it. Every R C3 alarm is also one of ours.
We add alarms where this week's own jump completes the sum. Our C3 ``upperbound`` is the
value this week must exceed given the two previous weeks (``mean + sd * (1 + z - lags)``,
floored at 0). Where the previous weeks alone already exceed z, the alarm fires whatever
this week's value. R instead returns NA where the sd is 0 and ``min_sigma`` is 0. We treat
0/0 as no exceedance and x/0 as an infinite one.

**Dispersion floor (our addition, off by default).** Seven reference weeks give a noisy sd.
A busy wijk whose counts happen to be steady for seven weeks then alarms on ordinary
Poisson noise. With ``dispersion_floor = k`` the sd is also floored at ``k x sqrt(mean)``,
the Poisson sd of a count with that mean. This floor only matters for busy series. For a
quiet one, ``min_sigma`` is the binding floor. The phase rules use k = 1
(``detection.dispersion_floor``). With k = 0 the results are R's.

Rows without enough history (the first ``baseline`` weeks for C1, ``baseline + 2`` for C2,
``baseline + 4`` for C3) get NaN statistic and upperbound and no alarm.

%-change follows ACLED's Conflict Change Map: this week against the mean of the previous
``window`` (4) weeks. The bands are *sterke toename* (> +25%), *matige toename* (> +10%, up
to +25%), *beperkte verandering* (-25% to +10%, both ends inclusive) and *sterke afname*
(< -25%). ACLED has a low-count guard. If the previous mean is at most ``low_mean`` (2) and
this week has at most ``low_count`` (5), the band is *beperkte verandering*. A rise from a
previous mean of 0 to more than ``low_count`` is *sterke toename*, and its percentage is NaN.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import NamedTuple

import numpy as np
import pandas as pd

METHOD_EXTRA_LAG = {"C1": 0, "C2": 2, "C3": 4}
CHANGE_BANDS: tuple[str, ...] = (
    "sterke afname", "beperkte verandering", "matige toename", "sterke toename")
NO_BAND = -1  # not enough history


class EarsArrays(NamedTuple):
    """EARS results for a (weeks x series) array; ``baseline`` is the reference mean."""

    statistic: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray
    baseline: np.ndarray


class Change(NamedTuple):
    """%-change and its band label (None where there is not enough history)."""

    pct: pd.Series | pd.DataFrame
    band: pd.Series | pd.DataFrame


def z_alpha(alpha: float) -> float:
    """R's ``qnorm(1 - alpha)``."""
    return NormalDist().inv_cdf(1.0 - alpha)


def _lagged(x: np.ndarray, size: int, guard: int) -> list[np.ndarray]:
    """Views such that ``views[k][t - size - guard] == x[t - guard - 1 - k]`` for k < size."""
    n, lag = x.shape[0], size + guard
    return [x[lag - guard - 1 - k : n - guard - 1 - k] for k in range(size)]


def _reference_stats(x: np.ndarray, baseline: int, guard: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample sd of weeks t-guard-baseline .. t-guard-1 for every t (NaN if too early).

    Two passes over the window offsets, like R's ``mean``/``sd``: exact for integer counts, and
    O(baseline) array operations however many series there are.
    """
    lag = baseline + guard
    mean = np.full(x.shape, np.nan)
    sd = np.full(x.shape, np.nan)
    if x.shape[0] > lag:
        views = _lagged(x, baseline, guard)
        m = sum(views[1:], start=views[0].copy()) / baseline
        ss = sum(((v - m) ** 2 for v in views[1:]), start=(views[0] - m) ** 2)
        mean[lag:] = m
        sd[lag:] = np.sqrt(ss / (baseline - 1))
    return mean, sd


def _previous_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Mean of weeks t-window .. t-1 (NaN if too early)."""
    mean = np.full(x.shape, np.nan)
    if x.shape[0] > window:
        views = _lagged(x, window, 0)
        mean[window:] = sum(views[1:], start=views[0].copy()) / window
    return mean


def _standardise(x: np.ndarray, mean: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """(x - mean) / sigma with x/0 = +-inf and 0/0 = 0 (no exceedance)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - mean) / sigma
    return np.where((sigma == 0) & (x == mean), 0.0, z)


def ears_array(values: np.ndarray, method: str = "C1", baseline: int = 7,
               alpha: float = 0.001, min_sigma: float = 0.0,
               reference: np.ndarray | None = None,
               dispersion_floor: float = 0.0) -> EarsArrays:
    """EARS over the first axis (weeks) of a 1-D or 2-D float array; see the module docstring.

    ``reference`` (same shape, default ``values``) is the series whose history forms the
    baseline. The phase rules pass the score without resilience signals there.
    ``dispersion_floor`` k floors the sd at k x sqrt(baseline mean) as well (see the module
    docstring); 0 keeps R's earsC exactly.
    """
    if method not in METHOD_EXTRA_LAG:
        raise ValueError(f"unknown EARS method {method!r}; use C1, C2 or C3")
    if baseline < 3:
        raise ValueError("EARS needs a baseline of at least 3 weeks")
    x = np.asarray(values, dtype=float)
    history = x if reference is None else np.asarray(reference, dtype=float)
    z = z_alpha(alpha)
    mean, sd = _reference_stats(history, baseline, guard=0 if method == "C1" else 2)
    sigma = np.maximum(sd, min_sigma)  # NaN stays NaN: not enough history
    if dispersion_floor > 0:
        sigma = np.maximum(sigma, dispersion_floor * np.sqrt(np.maximum(mean, 0.0)))
    stat = _standardise(x, mean, sigma)
    if method == "C3":
        return _c3(x, stat, mean, sigma, z, baseline)
    upper = mean + z * sigma
    alarm = np.greater(x, upper, where=~np.isnan(upper), out=np.zeros(x.shape, dtype=bool))
    return EarsArrays(stat, upper, alarm, mean)


def _c3(x: np.ndarray, c2: np.ndarray, mean: np.ndarray, sigma: np.ndarray, z: float,
        baseline: int) -> EarsArrays:
    part = np.maximum(c2 - 1.0, 0.0)  # NaN where C2 has no history
    lags = np.full(x.shape, np.nan)
    lags[2:] = part[1:-1] + part[:-2]
    stat = part + lags
    valid = np.zeros(x.shape, dtype=bool)
    valid[baseline + 4:] = True
    stat[~valid] = np.nan
    with np.errstate(invalid="ignore"):
        upper = np.maximum(mean + sigma * (1.0 + z - lags), 0.0)
    upper = np.where(valid, np.nan_to_num(upper, nan=0.0, posinf=np.inf), np.nan)
    alarm = valid & (np.nan_to_num(stat, nan=0.0) > z)
    return EarsArrays(stat, upper, alarm, np.where(valid, mean, np.nan))


def ears(counts: pd.Series, method: str = "C1", baseline: int = 7, alpha: float = 0.001,
         min_sigma: float = 0.0) -> pd.DataFrame:
    """EARS on one weekly series; columns ``statistic``, ``upperbound``, ``alarm``."""
    res = ears_array(counts.to_numpy(dtype=float), method, baseline, alpha, min_sigma)
    return pd.DataFrame({"statistic": res.statistic, "upperbound": res.upperbound,
                         "alarm": res.alarm}, index=counts.index)


def pct_change_array(values: np.ndarray, window: int = 4, low_mean: float = 2.0,
                     low_count: float = 5.0, large_increase: float = 25.0,
                     moderate_increase: float = 10.0,
                     large_decrease: float = -25.0) -> tuple[np.ndarray, np.ndarray]:
    """%-change against the previous ``window`` weeks and band codes (index in CHANGE_BANDS)."""
    x = np.asarray(values, dtype=float)
    prev = _previous_mean(x, window)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(prev > 0, (x - prev) / prev * 100.0, np.nan)
    band = np.select(
        [np.isnan(prev), (prev <= low_mean) & (x <= low_count), prev == 0,
         pct > large_increase, pct > moderate_increase, pct < large_decrease],
        [NO_BAND, 1, 3, 3, 2, 0], default=1).astype(np.int8)
    return pct, band


def band_labels(codes: np.ndarray) -> np.ndarray:
    """Band codes to labels (None for NO_BAND), as an object array of the same shape."""
    labels = np.array([*CHANGE_BANDS, None], dtype=object)
    return labels[np.where(codes == NO_BAND, len(CHANGE_BANDS), codes)]


def pct_change(counts: pd.Series | pd.DataFrame, window: int = 4, min_count: float = 5.0,
               min_mean: float = 2.0) -> Change:
    """ACLED-style %-change of each week against the mean of the previous ``window`` weeks.

    ``min_count``/``min_mean`` are the low-count guard (see the module docstring). Works on a
    series or on a (weeks x wijken) frame; the result has the same shape and index.
    """
    pct, band = pct_change_array(counts.to_numpy(dtype=float), window, min_mean, min_count)
    labels = band_labels(band)
    if isinstance(counts, pd.Series):
        return Change(pd.Series(pct, index=counts.index),
                      pd.Series(labels, index=counts.index, dtype="str"))
    return Change(pd.DataFrame(pct, index=counts.index, columns=counts.columns),
                  pd.DataFrame(labels, index=counts.index, columns=counts.columns, dtype="str"))
