"""The seeded synthetic dataset of the scale benchmarks, in two shapes.

* ``signal_csv``: the signals as the CSV files a user uploads (the interchange format of
  docs/formats.md), oldest first, for the real import path (benchmarks/generate.py);
* ``signal_frame``: the same signals in the engine's ``SIGNAL_COLUMNS`` shape, so the weekly
  indicators of 10M signals can be computed and stored without the import
  (benchmarks/generate.py --indicators-only, used by benchmarks/phase_table.py).

The category, status and theme mixes are those of benchmarks/engine_indicators.py. What
differs from that frame generator (and from benchmarks/synthetic.py, which bulk-loads it):
about 4 key figures per wijk (2-7), each sending the weekly nul-melding in most weeks (at
most 45% of all rows, one per key figure per week), usernames for the CSV, every reporter
reporting only in their own wijk, and three "hot" weeks per wijk that take 15% of the other
signals with rather severe categories (calls with an action date within two weeks,
confrontations, disorder), so phases 2-4 occur. Five years of weeks end at ``end``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from benchmarks.engine_indicators import CATEGORY_P, STATUS_P, THEME_COMBOS
from signals.domain import CALL_TO_ACTION, CATEGORIES, NUL_MELDING, REACHES, RELIABILITIES
from signals.services.signal_rows import IMPORT_COLUMNS

WEEKS_PER_YEAR = 52
NUL_SHARE = 0.45  # at most this share of all rows are nul-meldingen
HOT_SHARE = 0.15  # share of the other signals that fall in a wijk's hot weeks
HOT_WEEKS = 3
OTHER_P = {c: p for c, p in CATEGORY_P.items() if c != NUL_MELDING}
HOT_P = {"onvrede": 0.10, "geruchten_desinformatie": 0.10, "anti_overheid": 0.05,
         "spanning_groepen": 0.20, "symbolen": 0.05, "haat_discriminatie": 0.10,
         "collectieve_actie": 0.10, "oproep_mobilisatie": 0.12,
         "bedreiging_intimidatie": 0.08, "ordeverstoring": 0.07, "aanleiding": 0.03}
ROLE_TYPES = ["wijkagent", "jongerenwerker", "docent", "religieus_leider", "ondernemer",
              "bewoner", "opbouwwerker", "handhaver"]
OFFLINE_SOURCES = ["eigen_waarneming", "horen_zeggen", "media", "partner"]
PLATFORMS = ["sociale_media", "besloten_groep", "video", "forum"]
POLARISATIONS = ["geen", "horizontaal", "verticaal", "beide"]
TEXTS = ["Bewoners klagen op de bewonersavond over de plannen; de toon wordt feller.",
         "Er gaat een gerucht rond in de wijk over de nieuwe opvang.",
         "Groep jongeren hangt 's avonds rond bij het winkelcentrum en roept leuzen.",
         "Stickers met leuzen op lantaarnpalen langs de hoofdstraat.",
         "Oproep in een open groep om zaterdag naar het plein te komen.",
         "Buurtfeest met veel bezoekers uit verschillende groepen; goede sfeer.",
         "Onrust na een politie-optreden; veel gepraat bij de school."]
PLACES = ["Marktplein", "Stationsplein", "bij het gemeentehuis", "Winkelcentrum"]
CODES = [c.code for c in CATEGORIES]


def wijk_code(index: int) -> str:
    """CBS-style code WKggggww: ten wijken per synthetic gemeente 9000, 9001, ..."""
    return f"WK{9000 + index // 10:04d}{index % 10 + 1:02d}"


def _pick(options: list[str] | dict, codes: np.ndarray) -> np.ndarray:
    return np.array(list(options), dtype=object)[codes]


@dataclass(frozen=True)
class Dataset:
    signals: int
    wijken: int
    end: date
    years: int = 5
    seed: int = 20261122
    chunk_rows: int = 100_000
    _arrays: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def weeks(self) -> int:
        return self.years * WEEKS_PER_YEAR + 1

    @property
    def first_monday(self) -> date:
        end_monday = self.end - timedelta(days=self.end.weekday())
        return end_monday - timedelta(weeks=self.weeks - 1)

    @property
    def chunks(self) -> int:
        return -(-self.signals // self.chunk_rows)

    @cached_property
    def key_figures(self) -> np.ndarray:
        """Number of key figures per wijk (2-7, 4.4 on average)."""
        rng = np.random.default_rng(self.seed)
        return rng.choice([2, 3, 4, 4, 5, 6, 7], size=self.wijken).astype(np.int64)

    @cached_property
    def first_key_figure(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.key_figures)[:-1]])

    @cached_property
    def reporter_names(self) -> np.ndarray:
        """Username of every key figure, by global index: sf<wijk>_<n>."""
        return np.array([f"sf{w:04d}_{k + 1}" for w in range(self.wijken)
                         for k in range(self.key_figures[w])], dtype=object)

    @cached_property
    def reporter_roles(self) -> np.ndarray:
        return _pick(ROLE_TYPES, np.arange(int(self.key_figures.sum())) % len(ROLE_TYPES))

    @cached_property
    def wijk_codes(self) -> np.ndarray:
        return np.array([wijk_code(i) for i in range(self.wijken)], dtype=object)

    def wijken_csv(self) -> bytes:
        lines = ["wijk_code,wijk_naam", *(f"{code},Meetwijk {i + 1}"
                                          for i, code in enumerate(self.wijk_codes))]
        return ("\n".join(lines) + "\n").encode("utf-8")

    # --- the signals as arrays, sorted by observed date ---------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        if not self._arrays:
            self._arrays.update(self._generate())
        return self._arrays

    def _generate(self) -> dict[str, np.ndarray]:
        rng = np.random.default_rng(self.seed + 1)
        slots = int(self.key_figures.sum()) * self.weeks
        n_nul = min(int(self.signals * NUL_SHARE), int(slots * 0.9))
        n_other = self.signals - n_nul
        # Nul-meldingen: distinct (key figure, week) pairs, so at most one a week each.
        pairs = rng.choice(slots, size=n_nul, replace=False)
        nul_reporter, nul_week = pairs // self.weeks, pairs % self.weeks
        nul_wijk = np.searchsorted(self.first_key_figure, nul_reporter, side="right") - 1
        # The other signals: busy and quiet wijken, some in the wijk's hot weeks.
        activity = rng.lognormal(0.0, 1.0, self.wijken)
        wijk = rng.choice(self.wijken, size=n_other, p=activity / activity.sum())
        hot = rng.random(n_other) < HOT_SHARE
        hot_weeks = rng.integers(0, self.weeks, (self.wijken, HOT_WEEKS))
        week = rng.integers(0, self.weeks, n_other)
        week[hot] = hot_weeks[wijk[hot], rng.integers(0, HOT_WEEKS, int(hot.sum()))]
        reporter = self.first_key_figure[wijk] + (
            rng.random(n_other) * self.key_figures[wijk]).astype(np.int64)
        other_p = np.array(list(OTHER_P.values()))
        category = np.where(
            hot, rng.choice([CODES.index(c) for c in HOT_P], n_other, p=list(HOT_P.values())),
            rng.choice([CODES.index(c) for c in OTHER_P], n_other, p=other_p / other_p.sum()))
        day = np.concatenate([nul_week, week]) * 7 + rng.integers(0, 7, self.signals)
        day = np.minimum(day, (self.end - self.first_monday).days)  # no future dates
        order = np.argsort(day, kind="stable")
        n = self.signals
        out = {
            "wijk": np.concatenate([nul_wijk, wijk])[order].astype(np.int32),
            "day": day[order].astype(np.int32),
            "reporter": np.concatenate([nul_reporter, reporter])[order].astype(np.int32),
            "category": np.concatenate([np.full(n_nul, CODES.index(NUL_MELDING)),
                                        category])[order].astype(np.int8),
        }
        del pairs, nul_reporter, nul_week, nul_wijk, wijk, hot, week, reporter, category, day
        nul = out["category"] == CODES.index(NUL_MELDING)
        default = np.array([c.default_severity for c in CATEGORIES])
        severity = np.clip(default[out["category"]] + rng.integers(-1, 2, n), 1, 5)
        out["severity"] = np.where(nul, 0, severity).astype(np.int8)
        # A nul-melding has the import defaults: reach individu, reliability onbekend.
        out["reliability"] = np.where(nul, 3, rng.choice(4, n, p=[0.3, 0.3, 0.1, 0.3]))
        out["reach"] = np.where(nul, 0, rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1]))
        out["online"] = ~nul & (rng.random(n) < 0.3)
        out["status"] = np.where(nul, 0, rng.choice(len(STATUS_P), n,
                                                    p=list(STATUS_P.values())))
        out["theme"] = np.where(nul, 0, rng.integers(0, len(THEME_COMBOS), n))
        out["source"] = np.where(nul, 0, rng.integers(0, len(OFFLINE_SOURCES), n))
        out["platform"] = rng.integers(0, len(PLATFORMS), n)
        out["polarisation"] = rng.integers(0, len(POLARISATIONS), n)
        out["text"] = rng.integers(0, len(TEXTS), n)
        out["action_days"] = rng.integers(0, 14, n)
        out["place"] = rng.integers(0, len(PLACES), n)
        out["nul"] = nul
        for key in ("reliability", "reach", "status", "theme", "source", "platform",
                    "polarisation", "text", "action_days", "place"):
            out[key] = out[key].astype(np.int8)
        return out

    # --- the import files ---------------------------------------------------------------

    def signal_csv_chunks(self, start_chunk: int = 0) -> Iterator[tuple[int, bytes]]:
        """(chunk number, CSV bytes) in the interchange format, oldest signals first."""
        for number in range(start_chunk, self.chunks):
            lo = number * self.chunk_rows
            yield number, self.signal_csv(lo, min(lo + self.chunk_rows, self.signals))

    def signal_csv(self, lo: int, hi: int) -> bytes:
        a = {k: v[lo:hi] for k, v in self.arrays().items()}
        nul, online = a["nul"], a["online"]
        call = a["category"] == CODES.index(CALL_TO_ACTION)
        observed = np.datetime64(self.first_monday) + a["day"].astype("timedelta64[D]")
        action = observed + a["action_days"].astype("timedelta64[D]")
        frame = pd.DataFrame({
            "external_id": [f"gen{self.seed}-{i:09d}" for i in range(lo, hi)],
            "observed_on": observed.astype(str),
            "wijk_code": self.wijk_codes[a["wijk"]],
            "reporter": self.reporter_names[a["reporter"]],
            "reporter_role": self.reporter_roles[a["reporter"]],
            "category": _pick(CODES, a["category"]),
            "subtype": "",
            "themes": _pick(THEME_COMBOS, a["theme"]),
            "severity": np.where(nul, "", a["severity"].astype(str)),
            "source": np.where(nul, "", np.where(online, "online",
                                                 _pick(OFFLINE_SOURCES, a["source"]))),
            "online": np.where(nul, "", np.where(online, "ja", "nee")),
            "platform": np.where(online, _pick(PLATFORMS, a["platform"]), ""),
            "reach": np.where(nul, "", _pick(REACHES, a["reach"])),
            "reliability": np.where(nul, "", _pick(RELIABILITIES, a["reliability"])),
            "polarisation": np.where(nul, "", _pick(POLARISATIONS, a["polarisation"])),
            "action_date": np.where(call, action.astype(str), ""),
            "action_place": np.where(call, _pick(PLACES, a["place"]), ""),
            "status": _pick(STATUS_P, a["status"]),
            "description": np.where(nul, "", _pick(TEXTS, a["text"])),
        }, columns=list(IMPORT_COLUMNS))
        out = io.StringIO()
        frame.to_csv(out, index=False, lineterminator="\n")
        return out.getvalue().encode("utf-8")

    # --- the engine's input frame -------------------------------------------------------

    def wijk_batches(self, size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(wijk indexes, their signal rows) for consecutive batches of ``size`` wijken."""
        wijk = self.arrays()["wijk"]
        order = np.argsort(wijk, kind="stable")
        bounds = np.searchsorted(wijk[order], np.arange(0, self.wijken + size, size))
        for b, start in enumerate(range(0, self.wijken, size)):
            yield (np.arange(start, min(start + size, self.wijken)),
                   np.sort(order[bounds[b]:bounds[b + 1]]))

    def signal_frame(self, rows: np.ndarray, reporter_ids: np.ndarray) -> pd.DataFrame:
        """The given signal rows in the engine's SIGNAL_COLUMNS shape.

        ``reporter_ids`` maps a key figure's global index to its user id. ``created_at`` is
        noon UTC of the observed day plus 0-3 days (the engine's timeliness).
        """
        a = {k: v[rows] for k, v in self.arrays().items()}
        rng = np.random.default_rng(self.seed + int(rows[0]) if len(rows) else self.seed)
        observed = np.datetime64(self.first_monday) + a["day"].astype("timedelta64[D]")
        created = (observed + rng.integers(0, 4, len(rows)).astype("timedelta64[D]")
                   + np.timedelta64(12, "h"))
        call = a["category"] == CODES.index(CALL_TO_ACTION)
        action = np.where(call, observed + a["action_days"].astype("timedelta64[D]"),
                          np.datetime64("NaT"))

        def text(options: list[str] | dict, codes: np.ndarray) -> pd.Series:
            return pd.Series(_pick(options, codes), dtype="str")

        return pd.DataFrame({
            "id": rows.astype(np.int64) + 1,
            "wijk_code": pd.Series(self.wijk_codes[a["wijk"]], dtype="str"),
            "observed_on": observed.astype("datetime64[us]"),
            "created_at": pd.Series(created.astype("datetime64[us]")).dt.tz_localize("UTC"),
            "reporter_id": pd.array(reporter_ids[a["reporter"]], dtype="Int64"),
            "category": text(CODES, a["category"]),
            "severity": a["severity"].astype(np.int64),
            "reliability": text(RELIABILITIES, a["reliability"]),
            "reach": text(REACHES, a["reach"]),
            "online": a["online"].astype(bool),
            "status": text(STATUS_P, a["status"]),
            "action_date": action.astype("datetime64[us]"),
            "themes": text(THEME_COMBOS, a["theme"]),
        })
