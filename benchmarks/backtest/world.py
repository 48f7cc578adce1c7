"""A seeded simulated city with ground-truth episodes, for backtesting the phase rules.

The world knows nothing of the rules (it imports nothing from signals/): it models how key
figures in busy, medium and quiet wijken report, and what real escalations look like.

* **Wijken**: busy (a quarter), medium and quiet, with 6, 4 or 3 key figures. Each key figure
  reports in a given week with a personal probability (some skip many weeks), less in the
  summer holidays and around Christmas. With nothing to report they mostly send a
  nul-melding.
* **Background**: a Poisson number of ordinary unrest signals per week (busy 6, medium 2.5,
  quiet 0.6; 40% fewer in the summer), in every unrest category, with intergroup tension
  routine in busy wijken. Severity varies around the category default; reliability and reach
  vary. A few weerbaarheid signals.
* **Noise events** (no escalation follows): single severe reports (threats or hate, severity
  3-4, a quarter of them verified by a coordinator), loud online calls to action seen by one
  to three key figures online only, and New Year nuisance in every wijk (fireworks damage
  and youth groups, severity up to 4).
* **Episodes** (the ground truth):
  - *escalation with call*: a build-up of 4-6 weeks, growing in volume, in severe categories
    and in the number of key figures who see it; a call to action with its action date in
    the disorder week, seen by 2-3 key figures of whom at least one offline (a corroborated
    call); then disorder of severity 5 from 2-3 key figures, or from one and verified;
  - *escalation without call*: the same build-up and disorder, without a corroborated call
    (sometimes one online-only call);
  - *fizzle*: a build-up of 3-5 weeks that dies down without a call or disorder.

``World.signals`` is a list of import rows (the CSV columns of signals/services/signal_rows);
``World.episodes`` is the ground truth the scorer compares the proposed phases with.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

WIJK_TYPES = {"druk": (6, 6.0), "middel": (4, 2.5), "stil": (3, 0.6)}  # key figures, rate
WIJK_TYPE_SHARES = {"druk": 0.25, "middel": 0.4, "stil": 0.35}
BACKGROUND_CATEGORIES = {  # category: share of ordinary unrest signals
    "onvrede": 0.40, "geruchten_desinformatie": 0.18, "anti_overheid": 0.12,
    "spanning_groepen": 0.10, "symbolen": 0.05, "haat_discriminatie": 0.04,
    "collectieve_actie": 0.05, "aanleiding": 0.04, "bedreiging_intimidatie": 0.02,
}
DEFAULT_SEVERITY = {"onvrede": 1, "geruchten_desinformatie": 2, "anti_overheid": 2,
                    "spanning_groepen": 2, "symbolen": 2, "haat_discriminatie": 3,
                    "collectieve_actie": 3, "oproep_mobilisatie": 4,
                    "bedreiging_intimidatie": 4, "ordeverstoring": 5, "aanleiding": 1,
                    "weerbaarheid": 1}
BUILD_UP_CATEGORIES = {"spanning_groepen": 0.25, "haat_discriminatie": 0.15,
                       "bedreiging_intimidatie": 0.10, "geruchten_desinformatie": 0.20,
                       "anti_overheid": 0.10, "collectieve_actie": 0.10, "onvrede": 0.10}
THEMES = ("azc_asiel", "israel_gaza", "wonen", "bestaanszekerheid", "jeugdgroepen",
          "voetbal", "boeren_stikstof", "religie")
RELIABILITY = (("hoog", 0.3), ("middel", 0.35), ("laag", 0.15), ("onbekend", 0.2))
REACH = (("individu", 0.5), ("klein", 0.35), ("middel", 0.12), ("groot", 0.03))
ROLES = ("jongerenwerker", "wijkagent", "docent", "religieus_leider", "ondernemer",
         "bewoner", "opbouwwerker", "handhaver")
SUMMER_WEEKS = range(29, 35)
ESCALATION_RATE = 0.1  # escalations per wijk-year (half of them with a corroborated call)
FIZZLE_RATE = 0.1  # build-ups that fizzle, per wijk-year
SINGLE_SEVERE_RATE = 1.5  # single severe reports per wijk-year
ONLINE_CALL_RATE = 0.3  # loud online calls that come to nothing, per wijk-year


@dataclass(frozen=True)
class Episode:
    wijk_code: str
    kind: str  # "escalatie_oproep", "escalatie_zonder_oproep" or "uitdovend"
    start: date  # Monday of the first build-up week
    peak: date  # Monday of the disorder week (escalations) or of the last build-up week
    call_week: date | None  # Monday of the week the corroborated call is seen


@dataclass
class World:
    seed: int
    first: date  # Monday of the first simulated week (warm-up included)
    evaluated_from: date  # Monday of the first week that is scored
    weeks: int
    wijken: dict[str, str]  # code -> type
    key_figures: dict[str, list[str]]
    signals: list[dict[str, str]] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)

    @property
    def last(self) -> date:
        return self.first + timedelta(weeks=self.weeks - 1)

    @property
    def wijk_years(self) -> float:
        return len(self.wijken) * (self.last - self.evaluated_from).days / 7 / 52

    def wijken_csv(self) -> bytes:
        lines = ["wijk_code,wijk_naam",
                 *(f"{code},Simulatiewijk {i + 1} ({kind})"
                   for i, (code, kind) in enumerate(self.wijken.items()))]
        return ("\n".join(lines) + "\n").encode("utf-8")

    def signals_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(SIGNAL_FIELDS))
        writer.writeheader()
        writer.writerows(self.signals)
        return out.getvalue().encode("utf-8")


SIGNAL_FIELDS = ("external_id", "observed_on", "wijk_code", "reporter", "reporter_role",
                 "category", "themes", "severity", "source", "online", "reach", "reliability",
                 "action_date", "status", "description")


class _Builder:
    def __init__(self, seed: int, n_wijken: int, years: float, warmup_weeks: int,
                 start: date) -> None:
        self.rng = np.random.default_rng(seed)
        self.weeks = warmup_weeks + round(years * 52)
        first = start - timedelta(days=start.weekday())
        types = self.rng.choice(list(WIJK_TYPE_SHARES), size=n_wijken,
                                p=list(WIJK_TYPE_SHARES.values()))
        wijken = {f"WK9{i:05d}": str(t) for i, t in enumerate(types)}
        key_figures = {code: [f"kf_{code.lower()}_{k}" for k in range(WIJK_TYPES[t][0])]
                       for code, t in wijken.items()}
        self.world = World(seed, first, first + timedelta(weeks=warmup_weeks), self.weeks,
                           wijken, key_figures)
        # Each key figure's chance of reporting in an ordinary week: some skip many weeks.
        self.diligence = {kf: float(self.rng.choice([0.95, 0.85, 0.7, 0.5],
                                                    p=[0.35, 0.35, 0.2, 0.1]))
                          for kfs in key_figures.values() for kf in kfs}
        self.counter = 0

    # --- helpers ----------------------------------------------------------------------

    def monday(self, week: int) -> date:
        return self.world.first + timedelta(weeks=week)

    def holiday_factor(self, week: int) -> float:
        iso = self.monday(week).isocalendar().week
        return 0.6 if iso in SUMMER_WEEKS or iso in (52, 53) else 1.0

    def pick(self, options: tuple[tuple[str, float], ...]) -> str:
        names, weights = zip(*options, strict=True)
        return str(self.rng.choice(names, p=np.array(weights) / sum(weights)))

    def add(self, wijk: str, week: int, reporter: str, category: str, *,
            severity: int | None = None, theme: str = "", online: bool = False,
            reach: str | None = None, reliability: str | None = None,
            action: date | None = None, status: str = "nieuw", day: int | None = None) -> None:
        self.counter += 1
        if severity is None:
            base = DEFAULT_SEVERITY.get(category, 1)
            severity = int(np.clip(base + self.rng.choice([-1, 0, 0, 0, 1]), 1, 5))
        observed = self.monday(week) + timedelta(
            days=int(self.rng.integers(0, 7)) if day is None else day)
        self.world.signals.append({
            "external_id": f"sim-{self.world.seed}-{self.counter}",
            "observed_on": observed.isoformat(), "wijk_code": wijk, "reporter": reporter,
            "reporter_role": ROLES[int(reporter.rsplit("_", 1)[1]) % len(ROLES)],
            "category": category, "themes": theme,
            "severity": "" if category == "geen_bijzonderheden" else str(severity),
            "source": "online" if online else "eigen_waarneming",
            "online": "ja" if online else "nee",
            "reach": reach or ("" if category == "geen_bijzonderheden" else self.pick(REACH)),
            "reliability": reliability or self.pick(RELIABILITY),
            "action_date": action.isoformat() if action else "", "status": status,
            "description": f"Gesimuleerde melding ({category}).",
        })

    # --- the world --------------------------------------------------------------------

    def build(self, escalation_rate: float, fizzle_rate: float) -> World:
        self.schedule_episodes(escalation_rate, fizzle_rate)
        for wijk, kind in self.world.wijken.items():
            for week in range(self.weeks):
                self.ordinary_week(wijk, kind, week)
        self.noise_events()
        return self.world

    def ordinary_week(self, wijk: str, kind: str, week: int) -> None:
        factor = self.holiday_factor(week)
        active = [kf for kf in self.world.key_figures[wijk]
                  if self.rng.random() < self.diligence[kf] * (0.75 if factor < 1 else 1.0)]
        n = int(self.rng.poisson(WIJK_TYPES[kind][1] * factor))
        reported = set()
        if active:
            cats = list(BACKGROUND_CATEGORIES)
            shares = np.array(list(BACKGROUND_CATEGORIES.values()))
            if kind == "druk":  # intergroup tension is routine in a busy wijk
                shares = shares + np.where(np.array(cats) == "spanning_groepen", 0.08, 0)
            for _ in range(n):
                kf = str(self.rng.choice(active))
                category = str(self.rng.choice(cats, p=shares / shares.sum()))
                theme = str(self.rng.choice(THEMES)) if self.rng.random() < 0.5 else ""
                self.add(wijk, week, kf, category, theme=theme,
                         online=bool(self.rng.random() < 0.2))
                reported.add(kf)
            if self.rng.random() < 0.15:
                self.add(wijk, week, str(self.rng.choice(active)), "weerbaarheid")
        for kf in active:
            if kf not in reported and self.rng.random() < 0.8:
                self.add(wijk, week, kf, "geen_bijzonderheden", reach="", reliability="")

    def schedule_episodes(self, escalation_rate: float, fizzle_rate: float) -> None:
        """Episodes at random wijken and weeks, at least 16 weeks apart within a wijk."""
        w = self.world
        usable = self.weeks - (w.evaluated_from - w.first).days // 7 - 14
        years = len(w.wijken) * usable / 52
        kinds = (["escalatie_oproep", "escalatie_zonder_oproep"]
                 * max(1, round(escalation_rate * years / 2))
                 + ["uitdovend"] * max(1, round(fizzle_rate * years)))
        taken: dict[str, list[int]] = {}
        codes = list(w.wijken)
        for kind in kinds:
            for _ in range(200):
                wijk = str(self.rng.choice(codes))
                peak = int(self.rng.integers((w.evaluated_from - w.first).days // 7 + 6,
                                             self.weeks - 8))
                if all(abs(peak - other) >= 16 for other in taken.get(wijk, [])):
                    break
            else:
                continue
            taken.setdefault(wijk, []).append(peak)
            self.episode(wijk, kind, peak)

    def episode(self, wijk: str, kind: str, peak: int) -> None:
        figures = self.world.key_figures[wijk]
        theme = str(self.rng.choice(THEMES[:4]))
        if kind == "uitdovend":
            length = int(self.rng.integers(3, 6))
            ramp = [1, 2, 3, 4, 4][:length]
        else:
            length = int(self.rng.integers(4, 7))
            ramp = [1, 2, 3, 4, 6, 7][-length:]
        scale = float(self.rng.uniform(0.7, 1.3))
        build_weeks = list(range(peak - length, peak))
        for i, (week, size) in enumerate(zip(build_weeks, ramp, strict=True)):
            n = max(1, round(size * scale + self.rng.normal(0, 0.5)))
            seen_by = figures[: min(len(figures), 1 + i)]  # more key figures see it each week
            for _ in range(n):
                category = str(self.rng.choice(list(BUILD_UP_CATEGORIES),
                                               p=list(BUILD_UP_CATEGORIES.values())))
                self.add(wijk, week, str(self.rng.choice(seen_by)), category, theme=theme,
                         online=bool(self.rng.random() < 0.35))
        if kind == "uitdovend":  # it dies down over two weeks
            for week, n in ((build_weeks[-1] + 1, 2), (build_weeks[-1] + 2, 1)):
                for _ in range(n):
                    self.add(wijk, week, str(self.rng.choice(figures)), "onvrede", theme=theme)
            self.world.episodes.append(Episode(wijk, kind, self.monday(build_weeks[0]),
                                               self.monday(build_weeks[-1]), None))
            return
        call_week = None
        action = self.monday(peak) + timedelta(days=int(self.rng.integers(4, 7)))
        if kind == "escalatie_oproep":
            call_week = peak - int(self.rng.integers(1, 3))
            callers = list(self.rng.choice(figures, size=int(self.rng.integers(2, 4)),
                                           replace=False))
            for j, kf in enumerate(callers):
                self.add(wijk, call_week, str(kf), "oproep_mobilisatie", theme=theme,
                         online=j > 0, action=action, reach="groot")
        elif self.rng.random() < 0.5:  # an online-only call that nobody corroborates
            self.add(wijk, peak - 1, str(self.rng.choice(figures)), "oproep_mobilisatie",
                     theme=theme, online=True, action=action, reach="groot")
        witnesses = list(self.rng.choice(figures, size=int(self.rng.integers(1, 4)),
                                         replace=False))
        verified = len(witnesses) == 1
        for kf in witnesses:
            self.add(wijk, peak, str(kf), "ordeverstoring", severity=5, theme=theme,
                     reach="groot", reliability="hoog",
                     status="geverifieerd" if verified else "nieuw", day=5)
        for week, n in ((peak + 1, 4), (peak + 2, 2)):  # aftermath
            for _ in range(n):
                self.add(wijk, week, str(self.rng.choice(figures)), "onvrede", theme=theme)
        self.world.episodes.append(Episode(
            wijk, kind, self.monday(build_weeks[0]), self.monday(peak),
            self.monday(call_week) if call_week is not None else None))

    def noise_events(self) -> None:
        w = self.world
        years = self.weeks / 52
        for wijk, kind in w.wijken.items():
            figures = w.key_figures[wijk]
            for _ in range(int(self.rng.poisson(SINGLE_SEVERE_RATE * years))):
                week = int(self.rng.integers(0, self.weeks))
                self.add(wijk, week, str(self.rng.choice(figures)),
                         str(self.rng.choice(["bedreiging_intimidatie", "haat_discriminatie"])),
                         severity=int(self.rng.choice([3, 4])), reliability="hoog",
                         status="geverifieerd" if self.rng.random() < 0.25 else "nieuw")
            for _ in range(int(self.rng.poisson(ONLINE_CALL_RATE * years))):
                week = int(self.rng.integers(0, self.weeks - 3))
                action = self.monday(week + 1) + timedelta(days=5)
                seers = self.rng.choice(figures, size=int(self.rng.integers(1, 4)),
                                        replace=False)
                for kf in seers:
                    self.add(wijk, week, str(kf), "oproep_mobilisatie", online=True,
                             action=action, reach="groot", theme=str(self.rng.choice(THEMES)))
            self.new_year(wijk, kind)

    def new_year(self, wijk: str, kind: str) -> None:
        extra = {"druk": 6, "middel": 3, "stil": 1}[kind]
        figures = self.world.key_figures[wijk]
        for week in range(self.weeks):
            monday = self.monday(week)
            if not (monday.month == 12 and monday.day >= 26 or monday.month == 1
                    and monday.day <= 3):
                continue  # the week that holds 1 January
            for _ in range(int(self.rng.poisson(extra))):
                category = str(self.rng.choice(["ordeverstoring", "onvrede",
                                                "collectieve_actie"], p=[0.5, 0.35, 0.15]))
                self.add(wijk, week, str(self.rng.choice(figures)), category,
                         severity=int(self.rng.choice([2, 3, 4], p=[0.4, 0.45, 0.15])),
                         theme="jaarwisseling", day=int(self.rng.integers(2, 7)))


def simulate(seed: int, wijken: int = 40, years: float = 3.0, warmup_weeks: int = 20,
             start: date = date(2023, 1, 2), escalation_rate: float = ESCALATION_RATE,
             fizzle_rate: float = FIZZLE_RATE) -> World:
    """The simulated city for one seed; the same seed always gives the same world."""
    world = _Builder(seed, wijken, years, warmup_weeks, start).build(escalation_rate,
                                                                     fizzle_rate)
    world.signals.sort(key=lambda s: s["observed_on"])
    return world
