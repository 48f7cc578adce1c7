"""Coordinator dashboards: the overview of where to act, and the profile of one wijk.

Everything here reads the stored weekly indicators through the phase service, plus small
SQL aggregates over a bounded period (theme counts, this week's signals); no page view
loads the raw signal history. Access: coordinators (their wijken) and beheerders (all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.db.models import Gemeente, Signal, Wijk, signal_theme
from signals.domain import NUL_MELDING, REPORTER_ROLES, Role, Status
from signals.engine.indicators import COUNT_COLUMNS
from signals.engine.phases import NOT_VISIBLE
from signals.engine.weeks import week_label
from signals.errors import FieldError, ValidationError
from signals.localtime import monday_of
from signals.services.actor import Actor, authorise
from signals.services.categories import category_labels, list_themes
from signals.services.geodata import label_points
from signals.services.indicators import load_indicator_frame
from signals.services.phases import phase_table, scoped_wijken
from signals.services.rules_config import load_rules
from signals.services.wijken import display_names

OVERVIEW_WEEKS = 8  # enough history to say since when a wijk is out of sight
MAX_PROFILE_WEEKS = 260  # five years: the trend chart stays readable and its query bounded
WEEK = timedelta(weeks=1)
MAX_MAP_LABELS = 400  # wijk names written on one map


@dataclass(frozen=True)
class Overview:
    week: date  # Monday of the week shown
    wijken: pd.DataFrame  # one row per wijk, most urgent first
    new_alerts: pd.DataFrame  # "Nieuw in fase 2 of hoger"
    sight_lost: pd.DataFrame  # "Zicht verloren"


def theme_labels(session: Session) -> dict[str, str]:
    """Every theme's label, switched-off themes included (old signals keep them)."""
    themes = list_themes(session)
    return dict(zip(themes["code"], themes["label"], strict=True))


def labelled_themes(codes: str, labels: dict[str, str]) -> str:
    """`azc_asiel;wonen` -> `Azc en asiel, Wonen`."""
    return ", ".join(labels.get(c, c) for c in codes.split(";") if c)


def overview(session: Session, actor: Actor, week: date | None = None) -> Overview:
    """This week's state of every wijk in scope, sorted by urgency, with the alerts."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    monday = monday_of(week)
    table = phase_table(session, actor, monday - (OVERVIEW_WEEKS - 1) * WEEK, monday)
    return build_overview(table, monday, theme_labels(session))


def build_overview(table: pd.DataFrame, monday: date, labels: dict[str, str]) -> Overview:
    """Pure part of `overview`: this week's rows with last week's for comparison."""
    this_week = pd.Timestamp(monday)
    current = table[table["week_start"] == this_week].set_index("wijk_code")
    previous = table[table["week_start"] == this_week - WEEK].set_index("wijk_code")
    rows = current.assign(
        previous_phase=previous["effective_phase"].reindex(current.index).fillna(0)
        .astype("int64"),
        previous_signals=previous["n_signals"].reindex(current.index).fillna(0)
        .astype("int64"),
        sight_weeks=_weeks_out_of_sight(table, this_week).reindex(current.index).fillna(0)
        .astype("int64"),
        onvoldoende_zicht=current["visibility"] == NOT_VISIBLE,
        themes=[labelled_themes(t, labels) for t in current["top_themes"]],
    )
    rows["phase_change"] = rows["effective_phase"] - rows["previous_phase"]
    rows["urgency"] = (rows["effective_phase"] * 100 + rows["phase"] * 10
                       + rows["nafase"] * 4 + rows["onvoldoende_zicht"] * 2
                       + (rows["phase_change"] > 0))
    rows = rows.reset_index().sort_values(
        ["urgency", "score", "wijk_naam"], ascending=[False, False, True], kind="stable")
    rows = rows.reset_index(drop=True)
    new = rows[(rows["effective_phase"] >= 2) & (rows["phase_change"] > 0)]
    lost = rows[rows["onvoldoende_zicht"]].sort_values(["sight_weeks", "wijk_naam"],
                                                        ascending=[True, True])
    return Overview(monday, rows, new.reset_index(drop=True), lost.reset_index(drop=True))


def _weeks_out_of_sight(table: pd.DataFrame, this_week: pd.Timestamp) -> pd.Series:
    """Consecutive weeks up to and including this week with 'onvoldoende zicht', per wijk."""
    upto = table[table["week_start"] <= this_week]
    blind = (upto.assign(blind=upto["visibility"] == NOT_VISIBLE)
             .pivot_table(index="wijk_code", columns="week_start", values="blind",
                          aggfunc="max", sort=True).fillna(False).astype(bool).to_numpy())
    if not blind.size:
        return pd.Series(dtype="int64")
    newest_first = blind[:, ::-1]
    seen = ~newest_first
    streak = np.where(seen.any(axis=1), seen.argmax(axis=1), newest_first.shape[1])
    return pd.Series(streak, index=sorted(upto["wijk_code"].unique()), dtype="int64")


# --- Wijkprofiel -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProfilePeriod:
    first: date  # Monday
    last: date  # Monday
    shortened: bool  # the request was longer than MAX_PROFILE_WEEKS and lost its oldest weeks


def profile_period(first: date, last: date) -> ProfilePeriod:
    """The Mondays of a requested profile period, keeping at most the latest
    MAX_PROFILE_WEEKS weeks; the dates may come in either order."""
    first, last = sorted((monday_of(first), monday_of(last)))
    oldest = last - (MAX_PROFILE_WEEKS - 1) * WEEK
    return ProfilePeriod(max(first, oldest), last, first < oldest)


def _check_profile_period(first: date, last: date) -> None:
    if first > last:
        raise ValidationError([FieldError("periode", "de begindatum ligt na de einddatum")])
    if (monday_of(last) - monday_of(first)) // WEEK + 1 > MAX_PROFILE_WEEKS:
        raise ValidationError([FieldError(
            "periode", f"kies hoogstens {MAX_PROFILE_WEEKS} weken")])


def wijk_trend(session: Session, actor: Actor, wijk_code: str, first: date,
               last: date) -> pd.DataFrame:
    """Phase table rows of one wijk for first..last, with the signal count per category."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    _check_profile_period(first, last)
    (wijk,) = scoped_wijken(session, actor, [wijk_code])
    table = phase_table(session, actor, first, last, [wijk_code])
    counts = load_indicator_frame(session, [wijk.id], first, last)
    counts = counts[["week_start", *COUNT_COLUMNS]]
    table = table.merge(counts, on="week_start", how="left")
    table[list(COUNT_COLUMNS)] = table[list(COUNT_COLUMNS)].fillna(0).astype("int64")
    return table


def category_columns(session: Session) -> dict[str, str]:
    """Count column (`n_onvrede`) -> category label, in the engine's column order."""
    labels = category_labels(session)
    return {column: labels.get(column[2:], column[2:]) for column in COUNT_COLUMNS}


def theme_counts(session: Session, actor: Actor, wijk_code: str, first: date,
                 last: date) -> pd.DataFrame:
    """Signals per ISO week and theme label in one wijk (weeks first..last, Mondays).

    One SQL aggregate per day and theme over the bounded period; nul-meldingen never have
    themes, and signals marked 'niet bevestigd' are left out when the rules ignore them.
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    _check_profile_period(first, last)
    (wijk,) = scoped_wijken(session, actor, [wijk_code])
    return weekly_theme_counts(session, [wijk.id], first, last)


def weekly_theme_counts(session: Session, wijk_ids: list[int] | None, first: date,
                        last: date) -> pd.DataFrame:
    """Unscoped: columns week_start, theme (label), n. Callers check access first."""
    query = (select(Signal.observed_on, signal_theme.c.theme_code, func.count())
             .join(signal_theme, signal_theme.c.signal_id == Signal.id)
             .where(Signal.observed_on >= first, Signal.observed_on < last + WEEK,
                    Signal.category != NUL_MELDING)
             .group_by(Signal.observed_on, signal_theme.c.theme_code))
    if wijk_ids is not None:
        query = query.where(Signal.wijk_id.in_(wijk_ids))
    if load_rules(session).ignore_niet_bevestigd:
        query = query.where(Signal.status != Status.NIET_BEVESTIGD.value)
    frame = pd.DataFrame(session.execute(query).all(), columns=["day", "theme", "n"])
    if frame.empty:
        return pd.DataFrame({"week_start": pd.Series(dtype="datetime64[us]"),
                             "theme": pd.Series(dtype="str"), "n": pd.Series(dtype="int64")})
    days = pd.to_datetime(frame["day"])
    frame["week_start"] = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).astype(
        "datetime64[us]")
    labels = theme_labels(session)
    frame["theme"] = frame["theme"].map(lambda code: labels.get(code, code))
    return frame.groupby(["week_start", "theme"], as_index=False)["n"].sum()


def week_signals(session: Session, actor: Actor, wijk_code: str, week: date) -> pd.DataFrame:
    """The signals observed in one week in one wijk, newest first; no reporter identity.

    No descriptions either: the full signal, with its audited view, is on the duiding page.
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    (wijk,) = scoped_wijken(session, actor, [wijk_code])
    monday = monday_of(week)
    rows = session.execute(
        select(Signal.id, Signal.observed_on, Signal.category, Signal.severity,
               Signal.reporter_role, Signal.source, Signal.online, Signal.reach,
               Signal.reliability, Signal.status, Signal.action_date, Signal.action_place)
        .where(Signal.wijk_id == wijk.id, Signal.observed_on >= monday,
               Signal.observed_on < monday + WEEK, Signal.category != NUL_MELDING)
        .order_by(Signal.observed_on.desc(), Signal.id.desc())).all()
    frame = pd.DataFrame(rows, columns=["id", "observed_on", "category", "severity",
                                        "reporter_role", "source", "online", "reach",
                                        "reliability", "status", "action_date",
                                        "action_place"])
    themes = _signal_themes(session, [int(i) for i in frame["id"]])
    frame["themes"] = [themes.get(int(i), "") for i in frame["id"]]
    frame["category"] = frame["category"].map(category_labels(session)).fillna(
        frame["category"])
    frame["reporter_role"] = frame["reporter_role"].map(
        lambda r: REPORTER_ROLES.get(r, "Onbekend") if r else "Onbekend")
    return frame


def _signal_themes(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    labels = theme_labels(session)
    rows = session.execute(select(signal_theme.c.signal_id, signal_theme.c.theme_code)
                           .where(signal_theme.c.signal_id.in_(ids))
                           .order_by(signal_theme.c.theme_code)).all()
    out: dict[int, list[str]] = {}
    for signal_id, code in rows:
        out.setdefault(signal_id, []).append(labels.get(code, code))
    return {k: ", ".join(v) for k, v in out.items()}


def scope_wijken(session: Session, actor: Actor) -> pd.DataFrame:
    """Code, name and gemeente of every wijk in the actor's scope (for selectors).

    A name used in more than one gemeente carries its gemeente: "Centrum (Lindeveen)".
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    wijken = scoped_wijken(session, actor, None)
    labels = display_names(wijken)
    return pd.DataFrame({"wijk_code": [w.code for w in wijken],
                         "wijk_naam": [labels[w.code] for w in wijken],
                         "gemeente": [w.gemeente.name if w.gemeente else "" for w in wijken],
                         "gemeente_code": [w.gemeente.code if w.gemeente else ""
                                           for w in wijken]})


def wijk_geojson(session: Session, actor: Actor, gemeente_code: str | None = None) -> dict:
    """A FeatureCollection of the active wijken in scope (of one gemeente, if given) that
    have a geometry (id = code).

    Properties hold only the code, the name, the gemeente and, up to MAX_MAP_LABELS areas,
    a point inside the area for its name (lon, lat): the map never shows a person. More
    names than that are unreadable on one map, and placing them costs seconds at national
    size.
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    query = (select(Wijk.code, Wijk.name, Gemeente.code, Gemeente.name, Wijk.geometry)
             .outerjoin(Gemeente, Gemeente.id == Wijk.gemeente_id)
             .where(Wijk.retired_at.is_(None)))
    if not actor.sees_all_wijken:
        query = query.where(Wijk.id.in_(actor.wijk_ids))
    if gemeente_code is not None:
        query = query.where(Gemeente.code == gemeente_code)
    features = [{"type": "Feature", "id": code, "geometry": geometry,
                 "properties": {"wijk_code": code, "wijk_naam": name,
                                "gemeente_code": gm_code, "gemeente_naam": gm_name}}
                for code, name, gm_code, gm_name, geometry
                in session.execute(query.order_by(Wijk.code)) if geometry]
    if 0 < len(features) <= MAX_MAP_LABELS:
        points = label_points([f["geometry"] for f in features])
        for feature, point in zip(features, points, strict=True):
            feature["properties"]["label_point"] = point
    return {"type": "FeatureCollection", "features": features}


def week_caption(monday: date) -> str:
    """'week 47 (16-11-2026 t/m 22-11-2026)'."""
    sunday = monday + timedelta(days=6)
    number = int(week_label(monday)[-2:])
    return f"week {number} ({monday:%d-%m-%Y} t/m {sunday:%d-%m-%Y})"
