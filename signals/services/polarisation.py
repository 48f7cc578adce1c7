"""The polarisation picture, in the spirit of the Polarisatie Verkenningskaart: how signals
divide over horizontal (between groups), vertical (against government) and both, how that
develops over the weeks, which themes drive each axis, and the share of signals about
rumours and misinformation. Phenomena only: counts per axis, week and theme, never a
signal, a description or a reporter.

The axis is the signal's own `polarisation` field (set by the reporter or the coordinator);
signals marked `geen`, nul-meldingen and (when the rules ignore them) signals marked
'niet bevestigd' are left out. Misinformation is the category `geruchten_desinformatie`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.db.models import Signal, signal_theme
from signals.domain import NUL_MELDING, POLARISATIONS, Role, Status
from signals.localtime import monday_of
from signals.services.actor import Actor, authorise
from signals.services.dashboard import theme_labels
from signals.services.phases import scoped_wijken
from signals.services.rules_config import load_rules

AXES = ("horizontaal", "verticaal", "beide")
MISINFORMATION = "geruchten_desinformatie"
TOP_THEMES = 3


@dataclass(frozen=True)
class PolarisationPicture:
    weekly: pd.DataFrame  # week_start, axis, n (every week x axis, zeros included)
    themes: pd.DataFrame  # axis, theme (label), n: the top themes per axis
    signals: int  # signals in the period (not nul-meldingen)
    misinformation: int  # of which rumours and misinformation

    @property
    def totals(self) -> dict[str, int]:
        return {axis: int(self.weekly.loc[self.weekly["axis"] == axis, "n"].sum())
                for axis in AXES}


def polarisation_picture(session: Session, actor: Actor, first: date, last: date,
                         wijk_code: str | None = None) -> PolarisationPicture:
    """Weeks first..last (Mondays) for one wijk, or for every wijk in the actor's scope."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    wijken = scoped_wijken(session, actor, [wijk_code] if wijk_code else None)
    return build_picture(session, [w.id for w in wijken], first, last)


def build_picture(session: Session, wijk_ids: list[int] | None, first: date,
                  last: date) -> PolarisationPicture:
    """Unscoped (None: every wijk); callers check access first."""
    first, end = monday_of(first), monday_of(last) + timedelta(days=7)
    base = [Signal.observed_on >= first, Signal.observed_on < end,
            Signal.category != NUL_MELDING]
    if wijk_ids is not None:
        base.append(Signal.wijk_id.in_(wijk_ids))
    if load_rules(session).ignore_niet_bevestigd:
        base.append(Signal.status != Status.NIET_BEVESTIGD.value)
    by_day = session.execute(select(Signal.observed_on, Signal.polarisation, func.count())
                             .where(*base, Signal.polarisation.in_(AXES))
                             .group_by(Signal.observed_on, Signal.polarisation)).all()
    counts = session.execute(select(func.count(), func.count().filter(
        Signal.category == MISINFORMATION)).where(*base)).one()
    themes = session.execute(select(Signal.polarisation, signal_theme.c.theme_code,
                                    func.count())
                             .join(signal_theme, signal_theme.c.signal_id == Signal.id)
                             .where(*base, Signal.polarisation.in_(AXES))
                             .group_by(Signal.polarisation, signal_theme.c.theme_code)).all()
    return PolarisationPicture(_weekly(by_day, first, end), _top_themes(session, themes),
                               int(counts[0]), int(counts[1]))


def _weekly(rows: list, first: date, end: date) -> pd.DataFrame:  # type: ignore[type-arg]
    weeks = pd.date_range(first, end - timedelta(days=7), freq="7D").astype("datetime64[us]")
    grid = pd.MultiIndex.from_product([weeks, AXES], names=["week_start", "axis"])
    frame = pd.DataFrame(rows, columns=["day", "axis", "n"])
    if frame.empty:
        return pd.DataFrame({"n": 0}, index=grid).reset_index()
    days = pd.to_datetime(frame["day"])
    frame["week_start"] = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).astype(
        "datetime64[us]")
    summed = frame.groupby(["week_start", "axis"])["n"].sum()
    return summed.reindex(grid, fill_value=0).astype("int64").reset_index()


def _top_themes(session: Session, rows: list) -> pd.DataFrame:  # type: ignore[type-arg]
    frame = pd.DataFrame(rows, columns=["axis", "theme", "n"])
    if frame.empty:
        return pd.DataFrame({"axis": pd.Series(dtype="str"), "theme": pd.Series(dtype="str"),
                             "n": pd.Series(dtype="int64")})
    labels = theme_labels(session)
    frame["theme"] = frame["theme"].map(lambda c: labels.get(c, c))
    frame = frame.sort_values(["axis", "n", "theme"], ascending=[True, False, True])
    return frame.groupby("axis").head(TOP_THEMES).reset_index(drop=True)


def axis_label(axis: str) -> str:
    return POLARISATIONS.get(axis, axis)
