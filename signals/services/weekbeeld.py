"""The manager's weekly picture: aggregates only, every count under 5 suppressed.

Managers (docs/privacy.md) see aggregates, never signals, descriptions or persons, and a
count under 5 is shown as "<5". This module enforces that itself: every count it returns is
already suppressed (an int >= 5 or the string "<5"), so neither the page, the report nor a
later caller can leak a small number. Reasons are rebuilt from the phase flags as fixed
Dutch phrases without any numbers, instead of the engine's reasons (which quote counts),
and coordinators' decision texts (free text) are left out.

Suppression covers zero too ("<5" means 0 to 4). Where a city total is shown, a column
with exactly one suppressed cell gets a second one (complementary suppression), so the
total minus the visible cells never gives a small count away. Percent changes are shown
only when both counts behind them are at least 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.db.models import Wijk
from signals.domain import NAFASE_LABEL, ONVOLDOENDE_ZICHT_LABEL, PHASES, Role
from signals.engine.phases import NOT_VISIBLE
from signals.engine.weeks import week_label
from signals.errors import FieldError, ValidationError
from signals.localtime import monday_of
from signals.services.actions import COUNT_COLUMNS as ACTION_COUNT_COLUMNS
from signals.services.actions import action_counts
from signals.services.actor import Actor, authorise
from signals.services.dashboard import weekly_theme_counts
from signals.services.phases import compute_phases
from signals.services.polarisation import AXES, PolarisationPicture, axis_label, build_picture

MIN_COUNT = 5
SUPPRESSED = "<5"
WEEK = timedelta(weeks=1)
THEME_WINDOW = 4  # weeks before the chosen week that a theme's trend compares with
PERIODS = (12, 26, 52)
# Fixed phrases per situation; never a number (small counts must not leak through text).
ROUTE_REASONS = {
    4: "ordeverstoring met schade, bevestigd of door meerdere sleutelfiguren gemeld",
    3: "oproep tot actie met een nabije actiedatum, bevestigd of door meerdere "
       "sleutelfiguren gezien",
    2: "spanningen duidelijk boven het eigen niveau van de wijk, ernstige meldingen die "
       "opvallen voor deze wijk, of een geverifieerde ernstige melding",
    1: "onrustmeldingen boven de drempel",
    0: "geen bijzondere onrust gemeld",
}


@dataclass(frozen=True)
class Weekbeeld:
    week: date  # Monday of the chosen week
    first: date  # Monday of the first heatmap week
    totals: pd.DataFrame  # label, deze_week, vorige_week
    phase_groups: pd.DataFrame  # fase, fase_naam, wijken (names; no counts)
    wijken: pd.DataFrame  # one row per wijk for the chosen week
    heatmap: pd.DataFrame  # wijk_naam x week label -> effective phase (0-4)
    heatmap_blind: pd.DataFrame  # same shape: True where the week had onvoldoende zicht
    heatmap_nafase: pd.DataFrame  # same shape: True where the wijk was in nafase
    themes: pd.DataFrame  # themes trending up
    changes: pd.DataFrame  # wijken whose effective phase changed since last week
    # Actions per type and phase in the period (counts only; actions.action_counts).
    actions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=ACTION_COUNT_COLUMNS))
    # Signals per polarisation axis in the period: suppressed counts, themes with >= 5.
    polarisation: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["axis_label", "signals", "themes"]))
    misinformation: str = ""  # the share of rumours and misinformation, or why not shown

    @property
    def week_label(self) -> str:
        return week_label(self.week)


def suppress(n: object) -> int | str:
    """A count as managers may see it: an int >= 5, else "<5"."""
    value = int(n)  # type: ignore[call-overload]
    return value if value >= MIN_COUNT else SUPPRESSED


def suppress_column(values: pd.Series) -> pd.Series:
    """Suppress a column that sits next to its total: small cells, plus a complement.

    If exactly one cell is small, the next smallest is suppressed too, so that the total
    minus the shown cells does not reveal the small one.
    """
    counts = values.astype("int64")
    small = counts < MIN_COUNT
    if small.sum() == 1 and (~small).any():
        small[counts[~small].idxmin()] = True
    return pd.Series([SUPPRESSED if s else int(c) for c, s in zip(counts, small, strict=True)],
                     index=values.index, dtype="object")


def weekbeeld(session: Session, actor: Actor, week: date | None = None,
              weeks: int = 12) -> Weekbeeld:
    """The weekly picture of the whole gemeente for one ISO week and `weeks` weeks before."""
    actor = authorise(session, actor, Role.MANAGER, Role.BEHEERDER)
    monday = monday_of(week)
    if monday > monday_of():
        raise ValidationError([FieldError("week", "een toekomstige week heeft nog geen "
                                                  "weekbeeld")])
    first = monday - (max(weeks, 2) - 1) * WEEK
    wijken = list(session.scalars(select(Wijk).where(Wijk.retired_at.is_(None))
                                  .order_by(Wijk.code)))
    table = compute_phases(session, wijken, first, monday)
    themes = weekly_theme_counts(session, None, monday - THEME_WINDOW * WEEK, monday)
    actions = action_counts(session, actor, first, monday + timedelta(days=6))
    picture = build_picture(session, None, first, monday)
    return replace(build_weekbeeld(table, themes, monday, first), actions=actions,
                   polarisation=polarisation_rows(picture),
                   misinformation=misinformation_text(picture))


def build_weekbeeld(table: pd.DataFrame, themes: pd.DataFrame, monday: date,
                    first: date) -> Weekbeeld:
    """Pure part of `weekbeeld`: from the (unsuppressed) phase table to safe aggregates."""
    this, last = pd.Timestamp(monday), pd.Timestamp(monday) - WEEK
    current = table[table["week_start"] == this].set_index("wijk_code")
    previous = table[table["week_start"] == last].set_index("wijk_code").reindex(
        current.index)
    return Weekbeeld(
        week=monday, first=first,
        totals=_totals(current, previous),
        phase_groups=_phase_groups(current),
        wijken=_wijk_rows(current, previous),
        **_heatmaps(table),
        themes=_trending_themes(themes, this),
        changes=_changes(current, previous),
    )


def _totals(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    def rate(frame: pd.DataFrame) -> str:
        expected = frame["expected"].fillna(0).sum()
        if not expected:
            return "-"
        return f"{100 * frame['reporters'].fillna(0).sum() / expected:.0f}%"

    rows = [
        ("Signalen", suppress(current["n_signals"].sum()),
         suppress(previous["n_signals"].fillna(0).sum())),
        ("Meldende sleutelfiguren", suppress(current["reporters"].sum()),
         suppress(previous["reporters"].fillna(0).sum())),
        ("Meldingspercentage", rate(current), rate(previous)),
    ]
    return pd.DataFrame(rows, columns=["label", "deze_week", "vorige_week"], dtype="object")


def _phase_groups(current: pd.DataFrame) -> pd.DataFrame:
    groups = []
    for phase in reversed(PHASES):
        names = current.loc[current["effective_phase"] == phase.level, "wijk_naam"]
        groups.append((phase.level, phase.name, ", ".join(sorted(names))))
    for label, mask in ((NAFASE_LABEL, current["nafase"]),
                        (ONVOLDOENDE_ZICHT_LABEL, current["visibility"] == NOT_VISIBLE)):
        groups.append((None, label, ", ".join(sorted(current.loc[mask, "wijk_naam"]))))
    return pd.DataFrame(groups, columns=["fase", "fase_naam", "wijken"], dtype="object")


def manager_reason(row: pd.Series) -> str:
    """Why a wijk is where it is, from the flags only: fixed phrases, never a count."""
    parts = [ROUTE_REASONS[int(row["raw_phase"])]]
    if int(row["phase"]) > int(row["raw_phase"]):
        parts.append("nafase na escalatie" if row["nafase"] else "geleidelijke afschaling")
    if row["visibility"] == NOT_VISIBLE:
        parts.append("onvoldoende zicht: minder dan de helft van de sleutelfiguren meldde")
    decided = row["decided_phase"]
    if not pd.isna(decided) and int(decided) != int(row["phase"]):
        parts.append(f"coördinator besloot fase {int(decided)} (voorstel fase {row['phase']})")
    elif not pd.isna(decided):
        parts.append("voorstel bevestigd door coördinator")
    return "; ".join(parts)


def _wijk_rows(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "wijk_code": current.index.astype("str"),
        "wijk_naam": current["wijk_naam"].to_numpy(),
        "fase": current["effective_phase"].to_numpy(),
        "fase_naam": current["effective_name"].to_numpy(),
        "voorstel": current["phase"].to_numpy(),
        "besluit": ["ja" if not pd.isna(d) else "nee" for d in current["decided_phase"]],
        "vorige_week": previous["effective_phase"].fillna(0).astype("int64").to_numpy(),
        "nafase": current["nafase"].to_numpy(dtype=bool),
        "onvoldoende_zicht": (current["visibility"] == NOT_VISIBLE).to_numpy(),
        "signalen": suppress_column(current["n_signals"].reset_index(drop=True)).to_numpy(),
        "verandering": current["change_band"].fillna("onbekend").to_numpy(),
        "reden": [manager_reason(r) for _, r in current.iterrows()],
    })
    return out.sort_values(["fase", "onvoldoende_zicht", "wijk_naam"],
                           ascending=[False, False, True], kind="stable").reset_index(drop=True)


def _heatmaps(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """wijk_naam x week label grids: effective phases (levels 0-4, not counts) and flags.

    Wijken with the highest recent phases come first.
    """
    flags = table.assign(blind=table["visibility"] == NOT_VISIBLE)

    def grid(values: str) -> pd.DataFrame:
        return flags.pivot_table(index="wijk_code", columns="week", values=values,
                                 aggfunc="max", sort=True)

    phases = grid("effective_phase")
    order = phases.iloc[:, ::-1].apply(tuple, axis=1).sort_values(ascending=False).index
    names = table.drop_duplicates("wijk_code").set_index("wijk_code")["wijk_naam"]
    twice = names.duplicated(keep=False)
    names = names.where(~twice, names + " (" + names.index.to_series() + ")")
    labels = pd.Index(names.reindex(order).to_numpy(), name="wijk_naam")
    out = {}
    for key, values, dtype in (("heatmap", "effective_phase", "int64"),
                               ("heatmap_blind", "blind", "bool"),
                               ("heatmap_nafase", "nafase", "bool")):
        frame = (phases if values == "effective_phase" else grid(values)).loc[order]
        frame = frame.astype(dtype)
        frame.index = labels
        out[key] = frame
    return out


def _trending_themes(themes: pd.DataFrame, this: pd.Timestamp) -> pd.DataFrame:
    """Themes with at least 5 signals this week that rose against the previous 4 weeks."""
    columns = ["thema", "deze_week", "vorige_4_weken", "verandering_pct"]
    if themes.empty:
        return pd.DataFrame(columns=columns, dtype="object")
    now = themes[themes["week_start"] == this].groupby("theme")["n"].sum()
    before = themes[themes["week_start"] < this].groupby("theme")["n"].sum()
    frame = pd.DataFrame({"now": now, "before": before}).fillna(0).astype("int64")
    mean = frame["before"] / THEME_WINDOW
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(mean > 0, (frame["now"] - mean) / mean * 100, np.nan)
    frame["pct"] = pct
    # A percentage is shown only when both counts behind it are at least 5.
    trending = frame[(frame["now"] >= MIN_COUNT)
                     & ((frame["before"] < MIN_COUNT) | (frame["pct"] > 10))]
    trending = trending.sort_values(["pct", "now"], ascending=False, na_position="first")
    return pd.DataFrame({
        "thema": trending.index.astype("str"),
        "deze_week": [suppress(n) for n in trending["now"]],
        "vorige_4_weken": [suppress(n) for n in trending["before"]],
        "verandering_pct": [None if b < MIN_COUNT else round(float(p))
                            for b, p in zip(trending["before"], trending["pct"], strict=True)],
    }, dtype="object")


def _changes(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    before = previous["effective_phase"].fillna(0).astype("int64")
    now = current["effective_phase"].astype("int64")
    changed = now != before
    rows = pd.DataFrame({
        "wijk_naam": current.loc[changed, "wijk_naam"].to_numpy(),
        "vorige_week": before[changed].to_numpy(),
        "deze_week": now[changed].to_numpy(),
    })
    rows["richting"] = np.where(rows["deze_week"] > rows["vorige_week"], "hoger", "lager")
    rows["fase_naam"] = [PHASES[p].name for p in rows["deze_week"]]
    return rows.sort_values(["deze_week", "wijk_naam"], ascending=[False, True]).reset_index(
        drop=True)


def _names(frame: pd.DataFrame, mask: pd.Series) -> str:
    return ", ".join(frame.loc[mask, "wijk_naam"])


def summary_lines(wb: Weekbeeld) -> list[str]:
    """The summary in plain Dutch sentences (no small counts: they come suppressed)."""
    w = wb.wijken
    lines = []
    high = w[w["fase"] >= 3]
    lines.append("Fase 3 of hoger: " + ", ".join(
        f"{n} (fase {f})" for n, f in zip(high["wijk_naam"], high["fase"], strict=True))
        + "." if len(high) else "Geen wijk in fase 3 of hoger.")
    if (w["fase"] == 2).any():
        lines.append(f"Fase 2 (oplopende spanningen): {_names(w, w['fase'] == 2)}.")
    up = wb.changes[wb.changes["richting"] == "hoger"]
    down = wb.changes[wb.changes["richting"] == "lager"]
    for label, rows in (("Hoger dan vorige week", up), ("Lager dan vorige week", down)):
        if len(rows):
            lines.append(f"{label}: " + ", ".join(
                f"{r.wijk_naam} (fase {r.vorige_week} → {r.deze_week})"
                for r in rows.itertuples()) + ".")
    if w["nafase"].any():
        lines.append(f"{NAFASE_LABEL}: {_names(w, w['nafase'])}.")
    if w["onvoldoende_zicht"].any():
        lines.append(f"{ONVOLDOENDE_ZICHT_LABEL}: {_names(w, w['onvoldoende_zicht'])}.")
    totals = wb.totals.set_index("label")
    lines.append(f"Signalen deze week: {totals.loc['Signalen', 'deze_week']} (vorige week: "
                 f"{totals.loc['Signalen', 'vorige_week']}); meldingspercentage "
                 f"{totals.loc['Meldingspercentage', 'deze_week']} (vorige week "
                 f"{totals.loc['Meldingspercentage', 'vorige_week']}).")
    if len(wb.themes):
        lines.append("Thema's in de lift: " + ", ".join(wb.themes["thema"]) + ".")
    else:
        lines.append("Geen thema met een duidelijke stijging (minstens 5 signalen deze week).")
    return lines


def polarisation_rows(picture: PolarisationPicture) -> pd.DataFrame:
    """Per axis: the suppressed count of the period and the themes with at least 5."""
    rows = []
    for axis in AXES:
        themes = picture.themes[(picture.themes["axis"] == axis)
                                & (picture.themes["n"] >= MIN_COUNT)]
        rows.append((axis_label(axis), suppress(picture.totals[axis]),
                     ", ".join(themes["theme"])))
    return pd.DataFrame(rows, columns=["axis_label", "signals", "themes"], dtype="object")


def misinformation_text(picture: PolarisationPicture) -> str:
    """The share of rumours and misinformation, only when both counts are at least 5."""
    if picture.misinformation < MIN_COUNT or picture.signals < MIN_COUNT:
        return "Aandeel geruchten en desinformatie: te weinig signalen om te tonen."
    share = 100 * picture.misinformation / picture.signals
    return f"Aandeel geruchten en desinformatie: {share:.0f}% van de signalen."


def action_summary(wb: Weekbeeld) -> str:
    """One sentence on the actions of the period: totals, never a description."""
    if wb.actions.empty:
        return "In deze periode zijn geen acties vastgelegd."
    done, planned = int(wb.actions["uitgevoerd"].sum()), int(wb.actions["gepland"].sum())
    return (f"Acties in deze periode: {done} uitgevoerd, {planned} gepland, over "
            f"{wb.actions['action_type'].nunique()} soorten.")


def flags_text(nafase: bool, onvoldoende_zicht: bool) -> str:
    flags = [label for label, on in ((NAFASE_LABEL, nafase),
                                     (ONVOLDOENDE_ZICHT_LABEL, onvoldoende_zicht)) if on]
    return ", ".join(flags)


def phase_text(level: int, name: str, onvoldoende_zicht: bool) -> str:
    """'3 Dreigende escalatie'; a blind phase 0 is never plain 'Rust'."""
    if level == 0 and onvoldoende_zicht:
        return f"{ONVOLDOENDE_ZICHT_LABEL} (fase 0)"
    return f"{level} {name}"
