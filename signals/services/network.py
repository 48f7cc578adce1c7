"""The key-figure network: who is in it per wijk, where it has gaps, who is still active.

Reporting rate (as DHIS2 shows it for reporting units): of the complete weeks a key figure
was active, the share with at least one signal or nul-melding. Timeliness: the share of
those weeks with a report entered within the rules' `timeliness_days` of what it observed.
Both over the last 4 and 13 complete weeks. A key figure is dormant when their last report
(or, without one, their start) is more than `dormant_weeks` weeks ago. A wijk has a
*netwerkgat* when it has fewer active key figures than `min_key_figures`.

Coordinators see their own wijken and the key figures in them by username and role type,
beheerders all; managers get counts per wijk only, suppressed below 5 (weekbeeld).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.db.models import Credential, NetworkMix, Signal, User, Wijk, user_wijk
from signals.domain import REPORTER_ROLES, Role
from signals.localtime import LOCAL_TZ, monday_of, today_local
from signals.services.actor import Actor, authorise
from signals.services.phases import scoped_wijken
from signals.services.rules_config import load_rules
from signals.services.settings import NetworkSettings, network_settings
from signals.services.weekbeeld import MIN_COUNT, SUPPRESSED, suppress_column
from signals.services.wijken import display_names

WEEK = timedelta(weeks=1)
WINDOWS = (4, 13)
VIEWERS = (Role.COORDINATOR, Role.BEHEERDER)
WIJK_COLUMNS = ["wijk_code", "wijk_naam", "active", "network_gap", "role_types", "gaps",
                "rate_4w", "timely_4w", "rate_13w", "timely_13w", "dormant"]
KEY_FIGURE_COLUMNS = ["username", "reporter_role", "wijk_codes", "activated", "active_since",
                      "last_report", "rate_4w", "timely_4w", "rate_13w", "timely_13w",
                      "dormant"]


@dataclass(frozen=True)
class KeyFigure:
    id: int
    username: str
    reporter_role: str
    wijk_codes: tuple[str, ...]
    activated: bool  # has set a password (or signs in through the organisation)
    active_since: date


@dataclass(frozen=True)
class Report:
    reporter_id: int
    observed_on: date
    entered_on: date  # local date the report was entered


@dataclass(frozen=True)
class NetworkOverview:
    week: date  # Monday of the current week; the windows end the Sunday before
    settings: NetworkSettings
    wijken: pd.DataFrame  # WIJK_COLUMNS, one row per wijk in scope
    key_figures: pd.DataFrame  # KEY_FIGURE_COLUMNS, the active key figures in scope


@dataclass(frozen=True)
class NetworkSummary:
    """The monthly summary for a coordinator: plain sentences, ready for a page or a mail."""

    month: str  # "november 2026"
    lines: tuple[str, ...]

    def text(self) -> str:
        return "\n".join([f"Netwerkoverzicht {self.month}", "", *(f"- {x}" for x in self.lines)])


def network_overview(session: Session, actor: Actor, today: date | None = None) -> NetworkOverview:
    """Per wijk and per key figure, for coordinators (their wijken) and beheerders."""
    actor = authorise(session, actor, *VIEWERS)
    return _build_overview(session, scoped_wijken(session, actor, None), today or today_local())


def _build_overview(session: Session, wijken: list[Wijk], today: date) -> NetworkOverview:
    """Unscoped; callers check access first."""
    settings = network_settings(session)
    figures = _key_figures(session, [w.id for w in wijken])
    monday = monday_of(today)
    reports = _reports(session, [f.id for f in figures], monday - max(WINDOWS) * WEEK)
    last = _last_reports(session, [f.id for f in figures])
    days = load_rules(session).timeliness_days
    people = _figure_rows(figures, reports, last, monday, today, days, settings)
    mix = _desired(session, [w.id for w in wijken])
    names = display_names(wijken)
    rows = [_wijk_row(w.code, names[w.code], people, mix.get(w.id, {}), settings)
            for w in wijken]
    return NetworkOverview(monday, settings, pd.DataFrame(rows, columns=WIJK_COLUMNS),
                           people.drop(columns=["id"]))


def network_counts(session: Session, actor: Actor, today: date | None = None) -> pd.DataFrame:
    """The manager's view: per wijk the number of active key figures (suppressed below 5),
    whether the wijk has a netwerkgat, and the 4-week reporting rate only where at least 5
    key figures stand behind it. Never a name, a role type or a single key figure's data."""
    actor = authorise(session, actor, Role.MANAGER, Role.BEHEERDER)
    overview = _build_overview(session, scoped_wijken(session, actor, None),
                               today or today_local())
    wijken = overview.wijken
    big = wijken["active"] >= MIN_COUNT
    return pd.DataFrame({
        "wijk_naam": wijken["wijk_naam"],
        "active": suppress_column(wijken["active"]),
        "network_gap": wijken["network_gap"],
        "rate_4w": [r if ok and r is not None else None
                    for r, ok in zip(wijken["rate_4w"], big, strict=True)],
    })


def key_figure_counts(session: Session, actor: Actor) -> pd.DataFrame:
    """wijk_code, key_figures, min_key_figures, network_gap per wijk in scope (Overzicht,
    wijkprofiel). A netwerkgat is about the network, not about one quiet week."""
    actor = authorise(session, actor, *VIEWERS)
    wijken = scoped_wijken(session, actor, None)
    minimum = network_settings(session).min_key_figures
    counts = _active_counts(session, [w.id for w in wijken])
    active = [counts.get(w.id, 0) for w in wijken]
    return pd.DataFrame({"wijk_code": [w.code for w in wijken], "key_figures": active,
                         "min_key_figures": minimum,
                         "network_gap": [n < minimum for n in active]})


def monthly_summary(session: Session, actor: Actor, today: date | None = None,
                    names: bool = True, current: NetworkOverview | None = None
                    ) -> NetworkSummary:
    """Gaps, dormant key figures and the reporting-rate trend (last 4 weeks against the 4
    before) of the actor's wijken. A plain function, so the alerts outbox can mail it;
    `names=False` (the mail) counts dormant key figures per wijk instead of naming them.
    `current`: the actor's `network_overview` for `today`, when the caller already has it."""
    actor = authorise(session, actor, *VIEWERS)
    today = today or today_local()
    overview = current or network_overview(session, actor, today)
    previous = network_overview(session, actor, today - 4 * WEEK)
    lines = [*_gap_lines(overview), *_dormant_lines(overview, names),
             _trend_line(overview, previous)]
    return NetworkSummary(f"{_MONTHS[today.month - 1]} {today.year}", tuple(lines))


# --- reading ---------------------------------------------------------------------------------

def _key_figures(session: Session, wijk_ids: list[int]) -> list[KeyFigure]:
    if not wijk_ids:
        return []
    rows = session.execute(
        select(User.id, User.username, User.reporter_role, User.active_since, User.created_at,
               Credential.password_hash, Credential.email, Wijk.code)
        .join(user_wijk, user_wijk.c.user_id == User.id)
        .join(Wijk, Wijk.id == user_wijk.c.wijk_id)
        .outerjoin(Credential, Credential.user_id == User.id)
        .where(User.role == Role.SLEUTELFIGUUR.value, User.active.is_(True),
               User.id.in_(select(user_wijk.c.user_id).where(user_wijk.c.wijk_id.in_(wijk_ids))))
        .order_by(User.username, Wijk.code)).all()
    codes: dict[int, list[str]] = defaultdict(list)
    first: dict[int, object] = {}
    for row in rows:
        codes[row.id].append(row.code)
        first.setdefault(row.id, row)
    return [KeyFigure(r.id, r.username, r.reporter_role or "overig", tuple(codes[r.id]),
                      bool(r.password_hash or r.email),
                      _local(r.active_since or r.created_at))
            for r in first.values()]  # type: ignore[attr-defined]


def _reports(session: Session, ids: list[int], first: date) -> list[Report]:
    if not ids:
        return []
    rows = session.execute(select(Signal.reporter_id, Signal.observed_on, Signal.created_at)
                           .where(Signal.reporter_id.in_(ids), Signal.observed_on >= first))
    return [Report(r, observed, _local(created)) for r, observed, created in rows]


def _last_reports(session: Session, ids: list[int]) -> dict[int, date]:
    if not ids:
        return {}
    rows = session.execute(select(Signal.reporter_id, func.max(Signal.created_at))
                           .where(Signal.reporter_id.in_(ids)).group_by(Signal.reporter_id))
    return {reporter: _local(at) for reporter, at in rows if at is not None}


def _active_counts(session: Session, wijk_ids: list[int]) -> dict[int, int]:
    if not wijk_ids:
        return {}
    return dict(session.execute(
        select(user_wijk.c.wijk_id, func.count())
        .join(User, User.id == user_wijk.c.user_id)
        .where(User.role == Role.SLEUTELFIGUUR.value, User.active.is_(True),
               user_wijk.c.wijk_id.in_(wijk_ids))
        .group_by(user_wijk.c.wijk_id)).all())


def _desired(session: Session, wijk_ids: list[int]) -> dict[int, dict[str, int]]:
    mix: dict[int, dict[str, int]] = defaultdict(dict)
    if wijk_ids:
        for wijk_id, role, n in session.execute(
                select(NetworkMix.wijk_id, NetworkMix.reporter_role, NetworkMix.desired)
                .where(NetworkMix.wijk_id.in_(wijk_ids))):
            mix[wijk_id][role] = n
    return mix


def _local(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


# --- computing -------------------------------------------------------------------------------

def _figure_rows(figures: list[KeyFigure], reports: list[Report], last: dict[int, date],
                 monday: date, today: date, days: int,
                 settings: NetworkSettings) -> pd.DataFrame:
    by_reporter: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_reporter[report.reporter_id].append(report)
    dormant_before = today - settings.dormant_weeks * WEEK
    rows = []
    for figure in figures:
        row: dict[str, object] = {
            "id": figure.id, "username": figure.username,
            "reporter_role": figure.reporter_role, "wijk_codes": figure.wijk_codes,
            "activated": figure.activated, "active_since": figure.active_since,
            "last_report": last.get(figure.id),
            "dormant": max(last.get(figure.id, figure.active_since), figure.active_since)
            < dormant_before}
        for n in WINDOWS:
            expected, reported, timely = _weeks(figure, by_reporter[figure.id], monday, n, days)
            row[f"rate_{n}w"] = reported / expected if expected else None
            row[f"timely_{n}w"] = timely / expected if expected else None
            row[f"_expected_{n}w"], row[f"_reported_{n}w"], row[f"_timely_{n}w"] = \
                expected, reported, timely
        rows.append(row)
    counts = [f"_{k}_{n}w" for n in WINDOWS for k in ("expected", "reported", "timely")]
    return pd.DataFrame(rows, columns=["id", *KEY_FIGURE_COLUMNS, *counts])


def _weeks(figure: KeyFigure, reports: list[Report], monday: date, n: int,
           days: int) -> tuple[int, int, int]:
    """(weeks active, weeks with a report, weeks with a timely report) in the n weeks
    before `monday`."""
    weeks = {monday - k * WEEK for k in range(1, n + 1)}
    weeks = {w for w in weeks if figure.active_since < w + WEEK}
    reported, timely = set(), set()
    for report in reports:
        week = monday_of(report.observed_on)
        if week in weeks:
            reported.add(week)
            if (report.entered_on - report.observed_on).days <= days:
                timely.add(week)
    return len(weeks), len(reported), len(timely)


def _wijk_row(code: str, name: str, people: pd.DataFrame, desired: dict[str, int],
              settings: NetworkSettings) -> dict[str, object]:
    mine = people.loc[pd.Series([code in codes for codes in people["wijk_codes"]],
                                index=people.index, dtype=bool)]
    present = mine["reporter_role"].value_counts().to_dict()
    row: dict[str, object] = {
        "wijk_code": code, "wijk_naam": name, "active": len(mine),
        "network_gap": len(mine) < settings.min_key_figures,
        "role_types": ", ".join(f"{_role(r)} ({n})" for r, n in sorted(present.items())),
        "gaps": "; ".join(_gaps(present, desired, len(mine), settings)),
        "dormant": int(mine["dormant"].sum())}
    for n in WINDOWS:
        expected = int(mine[f"_expected_{n}w"].sum())
        row[f"rate_{n}w"] = mine[f"_reported_{n}w"].sum() / expected if expected else None
        row[f"timely_{n}w"] = mine[f"_timely_{n}w"].sum() / expected if expected else None
    return row


def _gaps(present: dict[str, int], desired: dict[str, int], active: int,
          settings: NetworkSettings) -> list[str]:
    gaps = []
    if active < settings.min_key_figures:
        gaps.append(f"minder dan {settings.min_key_figures} actieve sleutelfiguren")
    for role, wanted in sorted(desired.items()):
        have = present.get(role, 0)
        if have == 0:
            gaps.append(f"geen {_role(role)}")
        elif have < wanted:
            gaps.append(f"{_role(role)}: {have} van {wanted}")
    return gaps


def _role(code: str) -> str:
    return REPORTER_ROLES.get(code, code).lower()


# --- the monthly summary ---------------------------------------------------------------------

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def _gap_lines(overview: NetworkOverview) -> list[str]:
    gaps = overview.wijken[overview.wijken["gaps"] != ""]
    if gaps.empty:
        return ["Geen gaten in het netwerk: elke wijk heeft genoeg sleutelfiguren en de "
                "gewenste rollen."]
    return [f"{r.wijk_naam}: {r.gaps}." for r in gaps.itertuples()]


def _dormant_lines(overview: NetworkOverview, names: bool) -> list[str]:
    people = overview.key_figures
    dormant = people[people["dormant"]]
    weeks = overview.settings.dormant_weeks
    if dormant.empty:
        return [f"Geen slapende sleutelfiguren (langer dan {weeks} weken geen melding)."]
    if names:
        who = ", ".join(sorted(dormant["username"]))
    else:
        wijken = overview.wijken[overview.wijken["dormant"] > 0]
        who = ", ".join(f"{r.wijk_naam} {r.dormant}" for r in wijken.itertuples())
    return [f"{len(dormant)} slapende sleutelfiguren (langer dan {weeks} weken geen melding "
            f"of nul-melding): {who}."]


def _trend_line(now: NetworkOverview, before: NetworkOverview) -> str:
    current, previous = _overall_rate(now), _overall_rate(before)
    if current is None:
        return "Nog geen meldpercentage: er zijn geen actieve sleutelfiguren met een volle week."
    text = f"Meldpercentage afgelopen 4 weken: {current:.0%}"
    if previous is None:
        return text + "."
    change = "gelijk gebleven" if round(current * 100) == round(previous * 100) else (
        "gestegen" if current > previous else "gedaald")
    return text + f" ({change}; de 4 weken daarvoor {previous:.0%})."


def _overall_rate(overview: NetworkOverview) -> float | None:
    people = overview.key_figures
    expected = int(people["_expected_4w"].sum()) if not people.empty else 0
    return float(people["_reported_4w"].sum()) / expected if expected else None


def percent(value: object) -> str:
    """A rate as the pages show it: '75%', or '-' when there is no full week yet."""
    return "-" if value is None or value == SUPPRESSED or pd.isna(value) else f"{value:.0%}"
