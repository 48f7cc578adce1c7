"""Cached dashboard data, keyed on everything that changes the result.

Every key holds the data version of the user's wijken (their signals and decisions, plus
rules, wijken and assignments; read fresh on every run, so it also holds across app servers
sharing one PostgreSQL) and the user's scope (role + wijk ids): two users with the same scope share
entries, and nobody ever gets an entry computed for a wider scope. The scope is rebuilt
into an Actor inside, so the services still enforce the access rules.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from signals.db.uow import read_session
from signals.domain import Role
from signals.services import dashboard
from signals.services.actions import wijk_actions
from signals.services.actor import Actor, scope_actor
from signals.services.data_version import data_version
from signals.services.evaluations import EndedNafase, pending_evaluation
from signals.services.phases import decision_history
from signals.services.polarisation import PolarisationPicture, polarisation_picture
from signals.services.risk_calendar import upcoming_moments
from signals.services.weekbeeld import Weekbeeld, weekbeeld
from signals.ui.resources import engine_or_stop

TTL_SECONDS = 15 * 60  # a safety net for changes the version does not see (a renamed wijk)
Scope = tuple[str, tuple[int, ...]]


def scope_of(actor: Actor) -> Scope:
    wijk_ids = () if actor.sees_all_wijken else tuple(sorted(actor.wijk_ids))
    return actor.role.value, wijk_ids


def _actor(scope: Scope) -> Actor:
    role, wijk_ids = scope
    return scope_actor(Role(role), frozenset(wijk_ids))


def current_version(actor: Actor) -> str:
    """The data version of the actor's wijken: saves elsewhere keep their entries valid."""
    wijk_ids = None if actor.sees_all_wijken else actor.wijk_ids
    with read_session(engine_or_stop()) as session:
        return data_version(session, wijk_ids)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _overview(version: str, scope: Scope, week: date | None) -> dashboard.Overview:
    with read_session(engine_or_stop()) as session:
        return dashboard.overview(session, _actor(scope), week)


def overview(actor: Actor, version: str, week: date | None = None) -> dashboard.Overview:
    return _overview(version, scope_of(actor), week)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _geojson(version: str, scope: Scope) -> dict:
    with read_session(engine_or_stop()) as session:
        return dashboard.wijk_geojson(session, _actor(scope))


def geojson(actor: Actor, version: str) -> dict:
    return _geojson(version, scope_of(actor))


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _scope_wijken(version: str, scope: Scope) -> pd.DataFrame:
    with read_session(engine_or_stop()) as session:
        return dashboard.scope_wijken(session, _actor(scope))


def scope_wijken(actor: Actor, version: str) -> pd.DataFrame:
    return _scope_wijken(version, scope_of(actor))


@st.cache_data(ttl=TTL_SECONDS, max_entries=256, show_spinner=False)
def _profile(version: str, scope: Scope, wijk_code: str, first: date,
             last: date) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    with read_session(engine_or_stop()) as session:
        actor = _actor(scope)
        return (dashboard.wijk_trend(session, actor, wijk_code, first, last),
                dashboard.theme_counts(session, actor, wijk_code, first, last),
                dashboard.category_columns(session))


def profile(actor: Actor, version: str, wijk_code: str, first: date,
            last: date) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Trend rows, theme counts per week, and the category labels of one wijk's period."""
    return _profile(version, scope_of(actor), wijk_code, first, last)


@st.cache_data(ttl=TTL_SECONDS, max_entries=256, show_spinner=False)
def _week_signals(version: str, scope: Scope, wijk_code: str, week: date) -> pd.DataFrame:
    with read_session(engine_or_stop()) as session:
        return dashboard.week_signals(session, _actor(scope), wijk_code, week)


def week_signals(actor: Actor, version: str, wijk_code: str, week: date) -> pd.DataFrame:
    return _week_signals(version, scope_of(actor), wijk_code, week)


@st.cache_data(ttl=TTL_SECONDS, max_entries=256, show_spinner=False)
def _decisions(version: str, scope: Scope, wijk_code: str) -> pd.DataFrame:
    with read_session(engine_or_stop()) as session:
        return decision_history(session, _actor(scope), wijk_code)


def decisions(actor: Actor, version: str, wijk_code: str) -> pd.DataFrame:
    return _decisions(version, scope_of(actor), wijk_code)


@st.cache_data(ttl=TTL_SECONDS, max_entries=256, show_spinner=False)
def _actions(version: str, scope: Scope, wijk_code: str, first: date,
             last: date) -> pd.DataFrame:
    with read_session(engine_or_stop()) as session:
        return wijk_actions(session, _actor(scope), wijk_code, first, last)


def actions(actor: Actor, version: str, wijk_code: str, first: date,
            last: date) -> pd.DataFrame:
    """The wijk's actions dated first..last (days)."""
    return _actions(version, scope_of(actor), wijk_code, first, last)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _moments(version: str, scope: Scope, first: date, days: int) -> pd.DataFrame:
    with read_session(engine_or_stop()) as session:
        return upcoming_moments(session, _actor(scope), first, days)


def moments(actor: Actor, version: str, first: date, days: int) -> pd.DataFrame:
    """The risicokalender of the actor's wijken and gemeenten, first..first+days."""
    return _moments(version, scope_of(actor), first, days)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _pending(version: str, scope: Scope, wijk_code: str, today: date) -> EndedNafase | None:
    with read_session(engine_or_stop()) as session:
        return pending_evaluation(session, _actor(scope), wijk_code, today)


def pending(actor: Actor, version: str, wijk_code: str, today: date) -> EndedNafase | None:
    """The wijk's ended nafase that still waits for an evaluation, if any."""
    return _pending(version, scope_of(actor), wijk_code, today)


@st.cache_data(ttl=TTL_SECONDS, max_entries=128, show_spinner=False)
def _polarisation(version: str, scope: Scope, wijk_code: str | None, first: date,
                  last: date) -> PolarisationPicture:
    with read_session(engine_or_stop()) as session:
        return polarisation_picture(session, _actor(scope), first, last, wijk_code)


def polarisation(actor: Actor, version: str, wijk_code: str | None, first: date,
                 last: date) -> PolarisationPicture:
    """The polarisation picture of one wijk (None: every wijk in scope), weeks first..last."""
    return _polarisation(version, scope_of(actor), wijk_code, first, last)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _weekbeeld(version: str, scope: Scope, week: date, weeks: int) -> Weekbeeld:
    with read_session(engine_or_stop()) as session:
        return weekbeeld(session, _actor(scope), week, weeks)


def weekbeeld_for(actor: Actor, version: str, week: date, weeks: int) -> Weekbeeld:
    return _weekbeeld(version, scope_of(actor), week, weeks)
