"""Deterministic demo signals: two years of background plus the stories the demo must tell.

Stories (offsets in weeks before the anchor week A):
- Molenwijk: azc_asiel build-up from A-14, a verified call at A-5, riots at A-4, then nafase.
- Spoorzone: youth tensions from A-5, and this week a call with a date, seen by two key
  figures of whom one offline: proposed phase 3, not yet verified.
- De Horst: at A-9 one key figure logs a loud online-only call five times: caps at phase 2.
- Centrum: always busy, never alarming from volume alone.
- Buitenhof: calm, mostly nul-meldingen. Vogelwijk: its key figures fall silent from A-5.
- Older episodes: Kerkebuurt hate incident (A-30), Bloemenbuurt farmers' protest (A-60),
  Nieuwland fireworks disorder around every New Year.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from signals.domain import CATEGORY_BY_CODE, NUL_MELDING, PLATFORMS
from signals.localtime import LOCAL_TZ
from signals.services.demo.municipality import DEMO_WIJKEN, DemoWijk

WEEKS = 104
BACKGROUND_MIX = {
    "onvrede": 30, "geruchten_desinformatie": 14, "anti_overheid": 10, "symbolen": 10,
    "spanning_groepen": 7, "aanleiding": 10, "weerbaarheid": 9, "collectieve_actie": 5,
    "haat_discriminatie": 2, "bedreiging_intimidatie": 1,
}
# The busy wijk is loud but not severe: its volume alone must never look like escalation.
BUSY_MIX = {"onvrede": 34, "geruchten_desinformatie": 16, "anti_overheid": 12, "symbolen": 10,
            "aanleiding": 12, "weerbaarheid": 10, "collectieve_actie": 6}
BACKGROUND_THEMES = ("wonen", "bestaanszekerheid", "jeugdgroepen", "klimaat_energie",
                     "israel_gaza", "oekraine", "azc_asiel", "voetbal", "overig")
TEXTS = {
    "onvrede": "Bewoners klagen op de bewonersavond over {t}; de toon wordt feller.",
    "geruchten_desinformatie": "Er gaat een gerucht rond over {t}; het klopt niet met de feiten.",
    "anti_overheid": "In gesprekken klinkt wantrouwen tegen de gemeente rond {t}.",
    "symbolen": "Nieuwe stickers en leuzen in de straat, gericht op {t}.",
    "spanning_groepen": "Confrontatie tussen twee groepen jongeren bij het winkelcentrum.",
    "haat_discriminatie": "Haatdragende teksten gespoten bij een gebedshuis.",
    "collectieve_actie": "Spontane samenkomst van bewoners rond {t}; rustig verlopen.",
    "oproep_mobilisatie": "Oproep om te verzamelen en 'het zelf op te lossen' rond {t}.",
    "bedreiging_intimidatie": "Bedreigende berichten aan een wethouder over {t}.",
    "ordeverstoring": "Ongeregeldheden: vuurwerk gegooid, een auto in brand gestoken.",
    "aanleiding": "Raadsbesluit over {t} zorgt voor veel reacties in de wijk.",
    "weerbaarheid": "Buurtbijeenkomst over {t} met goede opkomst; bruggenbouwers actief.",
    NUL_MELDING: "",
}


@dataclass
class DemoSignal:
    external_id: str
    wijk_code: str
    reporter: str
    observed_on: date
    created_at: datetime
    category: str
    severity: int
    source: str
    online: bool
    platform: str | None
    reach: str
    reliability: str
    polarisation: str
    status: str
    description: str
    themes: list[str] = field(default_factory=list)
    action_date: date | None = None
    action_place: str | None = None


@dataclass(frozen=True)
class Episode:
    """Extra signals for one wijk in one week; `reporters` picks key figures by slot."""

    wijk: str
    offset: int  # weeks before the anchor week
    category: str
    reporters: tuple[int, ...]
    theme: str
    online: tuple[bool, ...] = (False,)
    severity: int | None = None
    verified: bool = False
    status: str | None = None  # a fixed status; else verified, or by age
    action_in_days: int | None = None  # action date relative to that week's Monday
    reach: str = "middel"


@dataclass(frozen=True)
class Town:
    """One demo gemeente: its areas, its story, and the names of its key figures."""

    wijken: tuple[DemoWijk, ...]
    episodes: Callable[[], list[Episode]]
    weeks: int = WEEKS
    id_prefix: str = "demo"  # external ids: "<prefix>-<seed>-<number>"
    user_prefix: str = "sf"  # key figures: "<prefix>001", ...
    demo_account: str = "sleutelfiguur"  # the key figure with a password (profile "oproep")


def episodes() -> list[Episode]:
    azc, jeugd = "azc_asiel", "jeugdgroepen"
    molen, spoor, horst = "WK990103", "WK990105", "WK990106"
    story = [
        *(Episode(molen, o, "onvrede", (0, 1), azc) for o in (14, 13, 12, 11)),
        *(Episode(molen, o, "geruchten_desinformatie", (1, 2), azc, (True, False))
          for o in (11, 10, 9)),
        *(Episode(molen, o, "symbolen", (0, 2), azc) for o in (10, 9, 8)),
        Episode(molen, 9, "collectieve_actie", (0, 1, 3), azc, reach="groot"),
        *(Episode(molen, o, "anti_overheid", (1, 3), azc) for o in (9, 8, 7, 6)),
        *(Episode(molen, o, "bedreiging_intimidatie", (0, 2), azc, verified=True)
          for o in (7, 6)),
        Episode(molen, 5, "oproep_mobilisatie", (0, 1, 2), azc, (False, True, False),
                verified=True, action_in_days=10, reach="groot"),
        Episode(molen, 4, "ordeverstoring", (0, 1, 3), azc, severity=5, verified=True,
                reach="groot"),
        *(Episode(molen, o, "onvrede", (1,), azc) for o in (3, 2, 1, 0)),
        *(Episode(molen, o, "weerbaarheid", (2, 3), azc) for o in (3, 2, 1)),
        *(Episode(spoor, o, "onvrede", (0, 2), jeugd) for o in (5, 4, 3, 2)),
        *(Episode(spoor, o, "spanning_groepen", (0, 3), jeugd) for o in (2, 1)),
        Episode(spoor, 1, "geruchten_desinformatie", (1, 2), "voetbal", (True, False)),
        Episode(spoor, 0, "oproep_mobilisatie", (1, 3), jeugd, (False, True),
                action_in_days=12, reach="middel"),
        Episode(horst, 10, "onvrede", (0, 2), "5g_complot"),
        Episode(horst, 9, "oproep_mobilisatie", (1, 1, 1, 1, 1), "5g_complot",
                (True, True, True, True, True), status="gesloten", action_in_days=6,
                reach="groot"),
        Episode("WK990107", 30, "haat_discriminatie", (0, 1, 2), "religie"),
        Episode("WK990107", 29, "weerbaarheid", (1, 2), "religie"),
        Episode("WK990104", 60, "collectieve_actie", (0, 1), "boeren_stikstof", reach="groot"),
        Episode("WK990104", 60, "anti_overheid", (1, 2), "boeren_stikstof"),
    ]
    return story


def generate(seed: int, anchor: date, today: date,
             town: Town | None = None) -> list[DemoSignal]:
    """All demo signals for the town's weeks (default Lindeveen: `WEEKS`), ending with the
    anchor week (a Monday)."""
    from signals.services.demo.people import key_figures

    town = town or LINDEVEEN
    rng = random.Random(seed)
    reporters: dict[str, list[str]] = {}
    for user in key_figures(seed, town):
        reporters.setdefault(user.wijk_codes[0], []).append(user.username)
    out: list[DemoSignal] = []
    plan = _episodes_by_week(anchor, town.episodes())
    for offset in range(town.weeks - 1, -1, -1):
        monday = anchor - timedelta(weeks=offset)
        for wijk in town.wijken:
            names = reporters[wijk.code]
            if wijk.profile == "stil" and offset <= 5:
                continue  # the key figures fall silent; they stay active accounts
            week = _background(rng, wijk, names, monday, offset, today)
            week += _new_year(rng, wijk, names, monday, today)
            for episode in plan.get((wijk.code, monday), []):
                week += _episode_signals(rng, episode, names, monday, offset, today)
            active = {s.reporter for s in week}
            week += _nul_meldingen(rng, wijk, names, active, monday, offset, today)
            out += week
    for number, signal in enumerate(out, start=1):
        signal.external_id = f"{town.id_prefix}-{seed}-{number:06d}"
    return out


def _episodes_by_week(anchor: date,
                      story: list[Episode]) -> dict[tuple[str, date], list[Episode]]:
    plan: dict[tuple[str, date], list[Episode]] = {}
    for episode in story:
        plan.setdefault((episode.wijk, anchor - timedelta(weeks=episode.offset)), []).append(
            episode)
    return plan


def _background(rng: random.Random, wijk: DemoWijk, names: list[str], monday: date,
                offset: int, today: date) -> list[DemoSignal]:
    seasonal = 1.0 + 0.25 * math.sin(2 * math.pi * monday.timetuple().tm_yday / 365.0)
    count = _poisson(rng, wijk.weekly_rate * seasonal)
    weights = [3.0] + [1.0] * (len(names) - 1)  # one key figure reports more than the rest
    signals = []
    mix = BUSY_MIX if wijk.profile == "druk" else BACKGROUND_MIX
    for _ in range(count):
        category = rng.choices(list(mix), weights=list(mix.values()))[0]
        if wijk.profile == "rustig" and category not in ("weerbaarheid", "aanleiding"):
            category = "weerbaarheid"
        reporter = rng.choices(names, weights=weights)[0]
        signals.append(_signal(rng, wijk.code, reporter, monday, offset, today, category,
                               rng.choice(BACKGROUND_THEMES), online=rng.random() < 0.2))
    return signals


def _new_year(rng: random.Random, wijk: DemoWijk, names: list[str], monday: date,
              today: date) -> list[DemoSignal]:
    sunday = monday + timedelta(days=6)
    if wijk.profile != "jaarwisseling" or not any(
            (monday + timedelta(days=d)).strftime("%m-%d") == "01-01" for d in range(7)):
        return []
    if sunday > today:
        return []
    return [
        _signal(rng, wijk.code, names[0], monday, 1, today, "ordeverstoring", "jaarwisseling",
                online=False, severity=4, reach="groot"),
        _signal(rng, wijk.code, names[1], monday, 1, today, "ordeverstoring", "jaarwisseling",
                online=False, severity=4, reach="middel"),
        _signal(rng, wijk.code, names[2], monday, 1, today, "ordeverstoring", "jaarwisseling",
                online=False, severity=5, reach="middel", status="niet_bevestigd"),
    ]


def _episode_signals(rng: random.Random, episode: Episode, names: list[str], monday: date,
                     offset: int, today: date) -> list[DemoSignal]:
    signals = []
    for index, slot in enumerate(episode.reporters):
        online = episode.online[index % len(episode.online)]
        status = episode.status or ("geverifieerd" if episode.verified else None)
        action = (monday + timedelta(days=episode.action_in_days)
                  if episode.action_in_days is not None else None)
        signals.append(_signal(rng, episode.wijk, names[slot % len(names)], monday, offset,
                               today, episode.category, episode.theme, online=online,
                               severity=episode.severity, reach=episode.reach, status=status,
                               action_date=action))
    return signals


def _nul_meldingen(rng: random.Random, wijk: DemoWijk, names: list[str], active: set[str],
                   monday: date, offset: int, today: date) -> list[DemoSignal]:
    chance = 0.9 if wijk.profile in ("rustig", "druk") else 0.78
    return [
        _signal(rng, wijk.code, name, monday, offset, today, NUL_MELDING, None, online=False)
        for name in names if name not in active and rng.random() < chance
    ]


def _signal(rng: random.Random, wijk: str, reporter: str, monday: date, offset: int,
            today: date, category: str, theme: str | None, *, online: bool,
            severity: int | None = None, reach: str | None = None, status: str | None = None,
            action_date: date | None = None) -> DemoSignal:
    last_day = min(monday + timedelta(days=6), today)
    observed = monday + timedelta(days=rng.randint(0, (last_day - monday).days))
    if category == NUL_MELDING:
        observed = last_day if offset == 0 else monday + timedelta(days=rng.choice([4, 5, 6]))
    delay = rng.choices([0, 1, 2, 4], weights=[60, 25, 10, 5])[0]
    logged_day = min(observed + timedelta(days=delay), today)
    logged = datetime.combine(logged_day, time(rng.randint(8, 21), rng.randint(0, 59)),
                              LOCAL_TZ).astimezone(UTC)
    logged = min(logged, datetime.now(UTC))
    default = CATEGORY_BY_CODE[category].default_severity
    nul = category == NUL_MELDING
    source = "online" if online else rng.choices(
        ["eigen_waarneming", "horen_zeggen", "partner", "media"], weights=[55, 25, 12, 8])[0]
    return DemoSignal(
        external_id="",
        wijk_code=wijk,
        reporter=reporter,
        observed_on=observed,
        created_at=logged,
        category=category,
        severity=severity if severity is not None else (
            default if nul else min(5, default + (rng.random() < 0.15))),
        source="eigen_waarneming" if nul else source,
        online=online and not nul,
        platform=rng.choice(list(PLATFORMS)) if online and not nul else None,
        reach="individu" if nul else (reach or rng.choices(
            ["individu", "klein", "middel", "groot"], weights=[30, 40, 22, 8])[0]),
        reliability="hoog" if nul else rng.choices(
            ["hoog", "middel", "laag", "onbekend"], weights=[30, 40, 10, 20])[0],
        polarisation=_polarisation(rng, category),
        status=status or _status_for_age(rng, offset, nul),
        description=TEXTS[category].format(t=(theme or "de buurt").replace("_", " ")),
        themes=[theme] if theme and not nul else [],
        action_date=action_date,
        action_place="Marktplein bij het stadhuis" if action_date else None,
    )


def _polarisation(rng: random.Random, category: str) -> str:
    fixed = {"anti_overheid": "verticaal", "bedreiging_intimidatie": "verticaal",
             "spanning_groepen": "horizontaal", "haat_discriminatie": "horizontaal",
             NUL_MELDING: "geen", "weerbaarheid": "geen"}
    return fixed.get(category) or rng.choice(["horizontaal", "verticaal", "beide", "geen"])


def _status_for_age(rng: random.Random, offset: int, nul: bool) -> str:
    if nul:
        return "gesloten"
    if offset == 0:
        return "nieuw"
    if offset <= 3:
        return rng.choice(["nieuw", "in_duiding", "in_duiding", "geverifieerd"])
    return rng.choices(["gesloten", "geverifieerd", "niet_bevestigd"], weights=[70, 22, 8])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method is fine for the small means used here.
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


LINDEVEEN = Town(DEMO_WIJKEN, episodes)
