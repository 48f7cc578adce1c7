"""Rule 11: Dutch, human-readable reasons for every proposed phase, and how they were computed.

Each reason is a sentence fragment. The fragments of a row are joined with "; ", for example
"3 onrustmeldingen van 3 sleutelfiguren in twee weken over azc en asiel; duidelijk meer dan
gebruikelijk voor deze wijk (score 6,0; normaal tot 3,1)". The reasons carry no codes and no
statistical terms. :func:`details` gives the statistics behind them (EARS bounds, the rule
that fired) for "Hoe is dit berekend?". Numbers use a Dutch decimal comma. A ratio against
the baseline is never shown: against a near-zero baseline it is meaningless.

A fragment is a plain Python function of a few integers. Rows share few distinct parameter
tuples, so each function runs once per distinct tuple, not once per row. Each distinct
combination of fragments is joined once. The result is a pandas ``str`` column built with
one ``take``. Nothing loops over the rows in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from signals.domain import CATEGORY_BY_CODE, SEVERE_CATEGORIES, THEMES
from signals.engine.detection import CHANGE_BANDS
from signals.engine.rules import Rules

Context = Mapping[str, np.ndarray]
SEPARATOR = "; "
_STRONG_INCREASE = CHANGE_BANDS.index("sterke toename")
_SEVERE_TEXT = " of ".join(
    ", ".join(CATEGORY_BY_CODE[c].label.lower() for c in sorted(SEVERE_CATEGORIES)).rsplit(
        ", ", 1))


# Theme labels that start with a proper noun keep their capital in the middle of a sentence.
_PROPER_NOUN_THEMES = frozenset({"israel_gaza", "oekraine", "zwarte_piet",
                                 "black_lives_matter", "5g_complot"})


def theme_text(code: str) -> str:
    """A theme's Dutch label as it reads inside a sentence: "azc en asiel"."""
    label = THEMES.get(code, code.replace("_", " "))
    return label if code in _PROPER_NOUN_THEMES else label[:1].lower() + label[1:]


def themes_text(codes: str) -> str:
    """``;``-joined theme codes as "azc en asiel, wonen"."""
    return ", ".join(theme_text(c) for c in codes.split(";") if c)


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
        return f"{text} over {themes_text(themes[theme])}" if themes[theme] else text

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
    f.add(c["alarm_route"],
          lambda s, u: f"duidelijk meer dan gebruikelijk voor deze wijk (score {nl(s / 10)}; "
          f"normaal tot {nl(u / 10)})", tenths(c["score"]), tenths(c["upperbound"]))
    f.add(c["severe_route"],
          lambda n, k, u: f"{count(n, 'melding', 'meldingen')} over {_SEVERE_TEXT} van "
          f"{count(k, 'sleutelfiguur', 'sleutelfiguren')} in twee weken, meer dan gebruikelijk "
          f"voor deze wijk (normaal tot {nl(u / 10)})",
          c["severe_n_2w"], c["severe_reporters_2w"], tenths(c["severe_upperbound"]))
    online_only = (c["alarm"] & ~c["alarm_route"]
                   & (c["score"] - np.nan_to_num(c["baseline"]) >= rules.phase2_min_excess)
                   & (c["unrest_reporters_2w"] >= rules.phase2_min_reporters)
                   & (c["unrest_offline_reporters_2w"] < rules.phase2_min_reporters)
                   & (c["unrest_reporters_2w"] < rules.phase2_score_min_reporters))
    f.add(online_only,
          lambda k, off: f"meer dan gebruikelijk, maar van {k} sleutelfiguren van wie {off} het "
          "offline zag: wie alleen online iets zag, zag misschien hetzelfde bericht; "
          "hoogstens fase 1 op grond van de score",
          c["unrest_reporters_2w"], c["unrest_offline_reporters_2w"])
    f.add(c["theme_route"],
          lambda n, k, u: f"één thema houdt aan: {count(n, 'onrustmelding', 'onrustmeldingen')} "
          f"over hetzelfde thema in deze en vorige week van "
          f"{count(k, 'sleutelfiguur', 'sleutelfiguren')}, meer dan gebruikelijk voor deze wijk "
          f"(normaal tot {nl(u / 10)})",
          c["theme_n_2w"], c["theme_reporters_2w"], tenths(c["theme_upperbound"]))
    f.add(c["verified_severe_route"] & ~c["severe_route"] & ~c["theme_route"],
          lambda n: f"{count(n, 'geverifieerde melding', 'geverifieerde meldingen')} van ernst "
          f"{rules.phase2_verified_min_severity} of hoger over {_SEVERE_TEXT}",
          c["severe_verified_2w"])
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


def details(c: Context, rules: Rules) -> pd.Series:
    """Per row, the statistics behind the reasons: the rule that fired and the EARS figures."""
    f = Fragments(len(c["phase"]))
    _rule_fired(f, c, rules)
    _ears_details(f, c, rules)
    _severe_details(f, c, rules)
    _theme_details(f, c, rules)
    return f.joined()


def _rule_fired(f: Fragments, c: Context, rules: Rules) -> None:
    raw = c["raw_phase"]
    f.add(raw == 4, f"regel fase 4: ordeverstoring van ernst {rules.phase4_min_severity} of "
          f"hoger, geverifieerd of gemeld door minstens {rules.phase4_min_reporters} "
          "sleutelfiguren in dezelfde week", slot="rule")
    f.add(raw == 3, f"regel fase 3: oproep tot actie binnen {rules.call_horizon_days} dagen, "
          f"geverifieerd of bevestigd door minstens {rules.phase3_min_reporters} sleutelfiguren "
          f"van wie {rules.phase3_min_offline_reporters} offline", slot="rule")
    f.add((raw == 2) & c["alarm_route"], f"regel fase 2 (score): EARS-alarm, minstens "
          f"{nl(rules.phase2_min_excess)} punten boven het gemiddelde en onrust offline gezien "
          f"door minstens {rules.phase2_min_reporters} sleutelfiguren, of gemeld door minstens "
          f"{rules.phase2_score_min_reporters}", slot="rule")
    f.add((raw == 2) & ~c["alarm_route"] & c["severe_route"],
          "regel fase 2 (ernstige categorieën): boven het gebruikelijke aantal van de wijk en "
          f"van minstens {rules.phase2_min_reporters} sleutelfiguren", slot="rule")
    f.add((raw == 2) & ~c["alarm_route"] & ~c["severe_route"] & c["theme_route"],
          f"regel fase 2 (aanhoudend thema): minstens {rules.phase2_theme_min_signals} "
          "onrustmeldingen over één thema in deze en vorige week (in beide weken minstens één), "
          f"van minstens {rules.phase2_min_reporters} sleutelfiguren, boven het gebruikelijke "
          "van de wijk", slot="rule")
    f.add((raw == 2) & ~c["alarm_route"] & ~c["severe_route"] & ~c["theme_route"],
          "regel fase 2 (geverifieerde ernstige melding): ernst "
          f"{rules.phase2_verified_min_severity} of hoger", slot="rule")
    f.add(raw == 1, f"regel fase 1: onrust deze of vorige week en score boven "
          f"{nl(rules.phase1_min_score)}", slot="rule")
    f.add(raw == 0, "geen regel voor fase 1 of hoger van toepassing", slot="rule")
    f.add(c["phase"] > raw, lambda p: f"voorgestelde fase {p} door geleidelijke afschaling of "
          "nafase", c["phase"])


def _ears_details(f: Fragments, c: Context, rules: Rules) -> None:
    method, baseline = rules.ears_method, rules.ears_baseline
    skip = " na 2 overgeslagen weken" if method != "C1" else ""
    known = np.isfinite(c["upperbound"])
    alpha = f"{rules.ears_alpha:g}".replace(".", ",")

    def ears_text(s: int, b: int, u: int, alarm: int) -> str:
        side = "boven" if s >= b else "onder"
        return (f"EARS {method} over {baseline} referentieweken{skip}: gemiddelde score "
                f"{nl(b / 10)}, bovengrens {nl(u / 10)} (alpha {alpha}), score {nl(s / 10)}: "
                f"{'alarm' if alarm else 'geen alarm'}, {nl(abs(s - b) / 10)} {side} het "
                f"gemiddelde (voor fase 2 minstens {nl(rules.phase2_min_excess)} erboven)")

    f.add(known, ears_text, tenths(c["score"]), tenths(c["baseline"]), tenths(c["upperbound"]),
          c["alarm"])
    f.add(~known, f"EARS {method}: nog te weinig geschiedenis ({baseline} weken nodig)")


def _severe_details(f: Fragments, c: Context, rules: Rules) -> None:
    shown = (c["severe_n_2w"] > 0) & np.isfinite(c["severe_upperbound"])
    alpha = f"{rules.phase2_severe_alpha:g}".replace(".", ",")
    f.add(shown, lambda n, k, m, u: f"ernstige categorieën: {n} in twee weken van "
          f"{count(k, 'sleutelfiguur', 'sleutelfiguren')}; gebruikelijk {nl(m / 10)}, "
          f"bovengrens {nl(u / 10)} (alpha {alpha})",
          c["severe_n_2w"], c["severe_reporters_2w"], tenths(c["severe_usual"]),
          tenths(c["severe_upperbound"]))


def _theme_details(f: Fragments, c: Context, rules: Rules) -> None:
    shown = (c["theme_n_2w"] > 0) & np.isfinite(c["theme_upperbound"])
    alpha = f"{rules.phase2_theme_alpha:g}".replace(".", ",")
    f.add(shown, lambda n, k, m, u: f"aanhoudend thema (EARS {rules.ears_method}): {n} "
          f"onrustmeldingen over één thema in deze en vorige week van "
          f"{count(k, 'sleutelfiguur', 'sleutelfiguren')}; gebruikelijk {nl(m / 10)}, "
          f"bovengrens {nl(u / 10)} (alpha {alpha}); voor fase 2 minstens "
          f"{rules.phase2_theme_min_signals} van {rules.phase2_min_reporters} sleutelfiguren",
          c["theme_n_2w"], c["theme_reporters_2w"], tenths(c["theme_usual"]),
          tenths(c["theme_upperbound"]))


def rules_summary(rules: Rules) -> list[str]:
    """How the proposed phase is computed, in Dutch, with the thresholds in force (no data)."""
    z = f"{rules.ears_alpha:g}".replace(".", ",")
    return [
        "Score: per melding ernst × betrouwbaarheid × bereik; deze week volledig, vorige week "
        f"voor {nl(rules.recency_last_week)}. Meer meldingen van dezelfde sleutelfiguur tellen "
        f"voor {nl(rules.repeat_weight)}.",
        f"Eigen niveau van de wijk: EARS {rules.ears_method} vergelijkt de score met "
        f"{rules.ears_baseline} eerdere weken van dezelfde wijk (alpha {z}).",
        f"Fase 1: onrustmeldingen en een score boven {nl(rules.phase1_min_score)}.",
        "Fase 2: de score ligt statistisch boven het eigen niveau én minstens "
        f"{nl(rules.phase2_min_excess)} punten erboven, met onrust die minstens "
        f"{rules.phase2_min_reporters} sleutelfiguren offline zagen (of gemeld door minstens "
        f"{rules.phase2_score_min_reporters}); of meldingen over {_SEVERE_TEXT} "
        f"van minstens {rules.phase2_min_reporters} sleutelfiguren, duidelijk meer dan "
        f"gebruikelijk voor de wijk; of één thema dat aanhoudt: minstens "
        f"{rules.phase2_theme_min_signals} onrustmeldingen over hetzelfde thema in twee "
        f"opeenvolgende weken van minstens {rules.phase2_min_reporters} sleutelfiguren, meer "
        f"dan gebruikelijk voor de wijk; of één geverifieerde melding over {_SEVERE_TEXT} van "
        f"ernst {rules.phase2_verified_min_severity} of hoger.",
        f"Fase 3: een oproep tot actie met een actiedatum binnen {rules.call_horizon_days} "
        f"dagen, geverifieerd of gezien door minstens {rules.phase3_min_reporters} "
        f"sleutelfiguren van wie {rules.phase3_min_offline_reporters} offline.",
        f"Fase 4: ordeverstoring van ernst {rules.phase4_min_severity}, geverifieerd of gemeld "
        f"door minstens {rules.phase4_min_reporters} sleutelfiguren in dezelfde week.",
        f"De fase daalt hoogstens {rules.max_drop_per_week} per week; na fase 4 volgt een nafase "
        f"van {rules.nafase_weeks} weken met minimaal fase {rules.nafase_min_phase}.",
        _risk_summary(rules.risk_moment_weight),
    ]


def _risk_summary(weight: float) -> str:
    text = "Een risicomoment binnen 14 dagen (risicokalender) wordt als reden genoemd"
    if weight <= 0:
        return text + "; het verandert de fase niet."
    return (text + f" en telt bij de scoredrempels van fase 1 en 2 mee als {nl(weight)} "
            "punten extra; de eisen aan het aantal sleutelfiguren blijven.")
