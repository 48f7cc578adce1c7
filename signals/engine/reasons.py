"""Rule 11: Dutch, human-readable reasons for every proposed phase.

Each reason is a sentence fragment. The fragments of a row are joined with "; ", for example
"3 onrustmeldingen van 3 sleutelfiguren in twee weken over azc_asiel; score 3,1× basislijn
(C2-alarm)". Numbers use a Dutch decimal comma.

A fragment is a plain Python function of a few integers. Rows share few distinct parameter
tuples, so each function runs once per distinct tuple, not once per row. Each distinct
combination of fragments is joined once. The result is a pandas ``str`` column built with
one ``take``. Nothing loops over the rows in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from signals.domain import CATEGORY_BY_CODE, SEVERE_CATEGORIES
from signals.engine.detection import CHANGE_BANDS
from signals.engine.rules import Rules

Context = Mapping[str, np.ndarray]
SEPARATOR = "; "
_STRONG_INCREASE = CHANGE_BANDS.index("sterke toename")
_SEVERE_TEXT = " of ".join(
    ", ".join(CATEGORY_BY_CODE[c].label.lower() for c in sorted(SEVERE_CATEGORIES)).rsplit(
        ", ", 1))


def nl(value: float) -> str:
    """One decimal with a Dutch decimal comma: 3,1."""
    return f"{value:.1f}".replace(".", ",")


def tenths(values: np.ndarray) -> np.ndarray:
    """Values rounded to tenths as integers, the form in which decimals are parameters."""
    return np.rint(np.nan_to_num(np.asarray(values, dtype=float), posinf=0.0) * 10).astype(
        np.int64)


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _factorise(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct rows of integer columns, and the first position of each.

    The columns are packed into one int64 (re-factorised only when it would overflow).
    """
    key, bound = np.zeros(len(columns[0]), dtype=np.int64), 1
    for col in columns:
        low = int(col.min())
        base = int(col.max()) - low + 1
        if bound * base >= 1 << 62:
            key, uniques = pd.factorize(key)
            bound = len(uniques)
        key = key * base + (col - low)
        bound *= base
    codes, uniques = pd.factorize(key)
    first = np.full(len(uniques), len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return codes.astype(np.int64), first


class Fragments:
    """Collects fragments per row as codes into small tables of texts.

    Fragments that exclude each other (at most one applies to a row) share a ``slot``: one
    code column, so the final join handles fewer columns.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.codes: list[np.ndarray] = []
        self.texts: list[list[str]] = []
        self.slots: dict[str, int] = {}

    def add(self, mask: np.ndarray, text: str | Callable[..., str], *params: np.ndarray,
            slot: str | None = None) -> None:
        """Add ``text`` (or ``text(*params)`` for each row's parameters) where ``mask``."""
        idx = np.flatnonzero(mask)
        if not idx.size:
            return
        if isinstance(text, str):
            local, texts = np.zeros(idx.size, dtype=np.int64), [text]
        else:
            values = [np.asarray(p)[idx].astype(np.int64) for p in params]
            local, first = _factorise(values)
            texts = [text(*args) for args in zip(*(v[first].tolist() for v in values),
                                                 strict=True)]
        if slot in self.slots:
            column = self.slots[slot]
            assert (self.codes[column][idx] < 0).all(), f"fragments of slot {slot} overlap"
            self.codes[column][idx] = local + len(self.texts[column])
            self.texts[column].extend(texts)
            return
        if slot is not None:
            self.slots[slot] = len(self.codes)
        codes = np.full(self.n, -1, dtype=np.int64)
        codes[idx] = local
        self.codes.append(codes)
        self.texts.append(texts)

    def joined(self) -> pd.Series:
        """One ``str`` per row: its fragments in the order they were added."""
        if not self.codes:
            return pd.Series([""] * self.n, dtype="str")
        combo, first = _factorise(self.codes)
        # Build each distinct combination once, a fragment column at a time: numpy adds
        # the strings of all combinations that have that fragment in one go.
        lines = np.full(len(first), "", dtype=object)
        started = np.zeros(len(first), dtype=bool)
        for codes, texts in zip(self.codes, self.texts, strict=True):
            code = codes[first]
            has = np.flatnonzero(code >= 0)
            plain = np.array(texts, dtype=object)
            after = np.array([SEPARATOR + t for t in texts], dtype=object)
            lines[has] += np.where(started[has], after[code[has]], plain[code[has]])
            started[has] = True
        return pd.Series(lines.tolist(), dtype="str").take(combo).reset_index(drop=True)


def explain(c: Context, rules: Rules) -> pd.Series:
    """Reasons per row; ``c`` holds 1-D arrays, one entry per output row (see phases.py)."""
    f = Fragments(len(c["phase"]))
    _signal_summary(f, c)
    _phase_routes(f, c, rules)
    _dynamics(f, c, rules)
    _visibility(f, c, rules)
    return f.joined()


def _signal_summary(f: Fragments, c: Context) -> None:
    themes: Sequence[str] = c["theme_names"]

    def summary(n: int, reporters: int, theme: int) -> str:
        text = (f"{count(n, 'onrustmelding', 'onrustmeldingen')} van "
                f"{count(reporters, 'sleutelfiguur', 'sleutelfiguren')} in twee weken")
        return f"{text} over {themes[theme].replace(';', ', ')}" if themes[theme] else text

    f.add((c["phase"] >= 1) & (c["unrest_n_2w"] >= 1), summary,
          c["unrest_n_2w"], c["unrest_reporters_2w"], c["top_themes"])
    strong = (c["phase"] >= 1) & (c["change_band"] == _STRONG_INCREASE) & np.isfinite(
        c["pct_change"])
    f.add(strong, lambda pct: f"+{pct}% meldingen t.o.v. het gemiddelde van de weken ervoor "
          "(sterke toename)", np.rint(np.nan_to_num(c["pct_change"])))


def _phase_routes(f: Fragments, c: Context, rules: Rules) -> None:
    """Which of rules 4-7 fired, highest first."""
    minimum = rules.phase4_min_severity
    severity = f"ernst {minimum}" if minimum == 5 else f"ernst {minimum} of hoger"
    f.add(c["disorder_route"] & (c["disorder_verified"] > 0),
          f"ordeverstoring ({severity}) geverifieerd door een coördinator", slot="disorder")
    f.add(c["disorder_route"] & (c["disorder_verified"] == 0),
          lambda k: f"ordeverstoring ({severity}) gemeld door "
          f"{count(k, 'sleutelfiguur', 'sleutelfiguren')} in dezelfde week",
          c["disorder_reporters"], slot="disorder")
    call = f"oproep tot actie met actiedatum binnen {rules.call_horizon_days} dagen"
    f.add(c["call_route"] & (c["call_verified"] > 0), f"{call}, geverifieerd", slot="call")
    f.add(c["call_route"] & (c["call_verified"] == 0),
          lambda k, off: f"{call}, bevestigd door {count(k, 'sleutelfiguur', 'sleutelfiguren')}"
          f" waarvan {off} offline", c["call_reporters"], c["call_offline_reporters"],
          slot="call")
    _capped_call(f, c, rules)
    method = rules.ears_method
    with_base = c["alarm_route"] & (c["baseline"] > 0)
    ratio = np.divide(c["score"], c["baseline"], out=np.zeros(len(c["score"])), where=with_base)
    f.add(with_base, lambda r: f"score {nl(r / 10)}× basislijn ({method}-alarm)", tenths(ratio),
          slot="alarm")
    f.add(c["alarm_route"] & ~with_base,
          lambda s, u: f"score {nl(s / 10)} boven bovengrens {nl(u / 10)} van een stille "
          f"basislijn ({method}-alarm)", tenths(c["score"]), tenths(c["upperbound"]),
          slot="alarm")
    f.add(c["severe_route"],
          lambda n, k: f"{count(n, 'melding', 'meldingen')} over {_SEVERE_TEXT} van "
          f"{count(k, 'sleutelfiguur', 'sleutelfiguren')} in twee weken",
          c["severe_n_2w"], c["severe_reporters_2w"])
    f.add(c["raw_phase"] == 1,
          lambda s: f"score {nl(s / 10)} boven drempel {nl(rules.phase1_min_score)}",
          tenths(c["score"]), slot="level")
    _calm(f, c, rules)


def _capped_call(f: Fragments, c: Context, rules: Rules) -> None:
    """Rule 6: say why a call to action did not lead to phase 3."""
    def why(reporters: int, offline: int) -> str:
        causes = []
        if offline < rules.phase3_min_offline_reporters:
            causes.append("alleen online gezien")
        if reporters < rules.phase3_min_reporters:
            causes.append(f"door {count(reporters, 'sleutelfiguur', 'sleutelfiguren')}")
        return (f"oproep tot actie niet geverifieerd en niet bevestigd ({', '.join(causes)}): "
                "hoogstens fase 2")

    f.add((c["call_n"] >= 1) & ~c["call_route"], why, c["call_reporters"],
          c["call_offline_reporters"], slot="call")


def _calm(f: Fragments, c: Context, rules: Rules) -> None:
    calm = (c["phase"] == 0) & c["visible"]
    f.add(calm & (c["unrest_n_2w"] == 0), "geen onrustmeldingen deze en vorige week",
          slot="level")
    f.add(calm & (c["unrest_n_2w"] > 0),
          lambda s: f"onrustmeldingen onder de drempel (score {nl(s / 10)}, drempel "
          f"{nl(rules.phase1_min_score)})", tenths(c["score"]), slot="level")


def _dynamics(f: Fragments, c: Context, rules: Rules) -> None:
    """Rules 8 and 9."""
    step = rules.max_drop_per_week
    decayed = c["previous"] - step
    levels = "fase" if step == 1 else "fasen"
    f.add((c["phase"] > c["raw_phase"]) & (c["phase"] == decayed),
          lambda prev: f"geleidelijke afschaling: vorige week fase {prev}, hoogstens {step} "
          f"{levels} per week omlaag", c["previous"], slot="dynamics")
    f.add(c["nafase"] & (c["phase"] > c["raw_phase"]) & (c["phase"] > decayed),
          f"in de nafase minimaal fase {rules.nafase_min_phase}", slot="dynamics")
    labels: Sequence[str] = c["week_labels"]
    f.add(c["nafase"], lambda k, t: f"nafase: week {k} van {rules.nafase_weeks} na escalatie "
          f"in {labels[t]}", c["since_phase4"], c["last_phase4_week"])


def _visibility(f: Fragments, c: Context, rules: Rules) -> None:
    """Rule 10."""
    hidden = ~c["visible"]
    none = c["expected"] == 0
    f.add(hidden & none, "onvoldoende zicht: geen actieve sleutelfiguren toegewezen",
          slot="visibility")
    minimum = round(rules.visibility_min_rate * 100)
    rate = np.floor(np.nan_to_num(c["reporting_rate"]) * 100)
    f.add(hidden & ~none,
          lambda r, e, pct: f"onvoldoende zicht: {r} van "
          f"{count(e, 'sleutelfiguur', 'sleutelfiguren')} {'meldde' if r == 1 else 'meldden'} "
          f"deze week ({pct}%, minimaal {minimum}% nodig)",
          c["reporters"], c["expected"], rate, slot="visibility")
