"""Tables of the Wijkprofiel: the week's signals (no reporter identity), past decisions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from signals.domain import PHASES, SOURCES, STATUS_LABELS, Status
from signals.localtime import LOCAL_TZ
from signals.services.signal_draft import reference


def stack_frame(trend: pd.DataFrame, themes: pd.DataFrame, category_labels: dict[str, str],
                by_theme: bool) -> pd.DataFrame:
    """Long frame week, group, n: counts per category (stored indicators) or per theme."""
    if by_theme:
        weeks = dict(zip(trend["week_start"], trend["week"], strict=True))
        frame = themes.assign(week=themes["week_start"].map(weeks))
        return frame.dropna(subset=["week"]).rename(columns={"theme": "group"})[
            ["week", "group", "n"]]
    long = trend.melt(id_vars=["week"], value_vars=list(category_labels), var_name="column",
                      value_name="n")
    long = long[long["n"] > 0]
    return long.assign(group=long["column"].map(category_labels))[["week", "group", "n"]]


def _date(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d-%m-%Y}"


def signal_table(signals: pd.DataFrame, selectable: bool) -> int | None:
    """Show the signals; returns the id of the clicked row when `selectable`."""
    view = pd.DataFrame({
        "referentie": [reference(int(i)) for i in signals["id"]],
        "datum": [_date(d) for d in signals["observed_on"]],
        "categorie": signals["category"],
        "themas": signals["themes"],
        "ernst": signals["severity"],
        "status": [STATUS_LABELS.get(Status(s), s) if s in set(Status) else s
                   for s in signals["status"]],
        "melder": signals["reporter_role"],
        "bron": signals["source"].map(lambda s: SOURCES.get(s, s)),
        "online": ["ja" if o else "nee" for o in signals["online"]],
        "actiedatum": [_date(d) for d in signals["action_date"]],
        "actieplek": signals["action_place"].fillna(""),
    })
    config = {"referentie": "Referentie",
              "datum": "Datum", "categorie": "Categorie", "themas": "Thema's",
              "ernst": st.column_config.NumberColumn("Ernst", format="%d"),
              "status": "Status", "melder": "Gemeld door (rol)", "bron": "Bron",
              "online": "Online", "actiedatum": "Actiedatum", "actieplek": "Actieplek"}
    if not selectable:
        st.dataframe(view, hide_index=True, column_config=config)
        return None
    event = st.dataframe(view, hide_index=True, column_config=config, on_select="rerun",
                         selection_mode="single-row", key="signalen_tabel")
    rows = event.selection.rows if event is not None else []
    return int(signals.iloc[rows[0]]["id"]) if rows else None


def decision_table(history: pd.DataFrame) -> None:
    view = pd.DataFrame({
        "week": [f"week {int(w[-2:])} ({w[:4]})" for w in history["week"]],
        "voorstel": [f"{p} {PHASES[int(p)].name}" for p in history["proposed_phase"]],
        "besluit": [f"{p} {PHASES[int(p)].name}" for p in history["decided_phase"]],
        "reden": history["reason"],
        "door": history["decided_by"].fillna("onbekend"),
        "vastgelegd": [f"{pd.Timestamp(t).tz_convert(LOCAL_TZ):%d-%m-%Y %H:%M}"
                       if pd.Timestamp(t).tzinfo else f"{pd.Timestamp(t):%d-%m-%Y %H:%M}"
                       for t in history["decided_at"]],
    })
    st.dataframe(view, hide_index=True, column_config={
        "week": "Week", "voorstel": "Voorstel", "besluit": "Besluit", "reden": "Reden",
        "door": "Door", "vastgelegd": "Vastgelegd"})
