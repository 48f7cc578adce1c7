"""The Netwerk page's tables: per wijk, per key figure, and the manager's counts.

Usernames and role types only; every value is rendered through dataframes (plain text).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from signals.domain import REPORTER_ROLES
from signals.services.network import NetworkOverview, NetworkSummary, percent
from signals.services.signal_draft import dutch_date
from signals.ui.safe import md_escape

RATE_HELP = ("Deel van de volle weken (sinds de sleutelfiguur actief is) met minstens één "
             "melding of nul-melding.")
TIMELY_HELP = "Deel van die weken met een melding die op tijd is ingevoerd."


def overview_metrics(overview: NetworkOverview) -> None:
    wijken, people = overview.wijken, overview.key_figures
    expected = people["_expected_4w"].sum() if not people.empty else 0
    rate = people["_reported_4w"].sum() / expected if expected else None
    with st.container(horizontal=True):
        st.metric("Actieve sleutelfiguren", len(people), border=True)
        st.metric("Wijken met netwerkgat", int(wijken["network_gap"].sum()), border=True,
                  help=f"Minder dan {overview.settings.min_key_figures} actieve "
                       "sleutelfiguren.")
        st.metric("Slapend", int(people["dormant"].sum()) if not people.empty else 0,
                  border=True, help=f"Langer dan {overview.settings.dormant_weeks} weken "
                                    "geen melding of nul-melding.")
        st.metric("Meldpercentage (4 weken)", percent(rate), border=True, help=RATE_HELP)


def summary(text: NetworkSummary) -> None:
    with st.container(border=True):
        st.markdown(f"**Maandoverzicht {text.month}**")
        # Usernames and wijk names are escaped: never read as markdown.
        st.markdown("\n".join(f"- {md_escape(line)}" for line in text.lines))


def wijk_table(overview: NetworkOverview) -> None:
    table = overview.wijken.assign(
        network_gap=["netwerkgat" if g else "" for g in overview.wijken["network_gap"]],
        **{c: [percent(v) for v in overview.wijken[c]]
           for c in ("rate_4w", "timely_4w", "rate_13w", "timely_13w")})
    st.dataframe(table.drop(columns=["wijk_code"]), hide_index=True, width="stretch",
                 height=_height(len(table)), column_config={
                     "wijk_naam": "Wijk", "active": st.column_config.NumberColumn(
                         "Actief", format="%d"),
                     "network_gap": "Netwerkgat", "role_types": "Rollen aanwezig",
                     "gaps": "Gaten", "rate_4w": st.column_config.TextColumn(
                         "Gemeld 4 wk", help=RATE_HELP),
                     "timely_4w": st.column_config.TextColumn("Tijdig 4 wk", help=TIMELY_HELP),
                     "rate_13w": "Gemeld 13 wk", "timely_13w": "Tijdig 13 wk",
                     "dormant": st.column_config.NumberColumn("Slapend", format="%d")})


def key_figure_table(overview: NetworkOverview, wijk_code: str | None) -> None:
    people = overview.key_figures
    if wijk_code:
        people = people[[wijk_code in codes for codes in people["wijk_codes"]]]
    if people.empty:
        st.caption("Geen actieve sleutelfiguren.")
        return
    table = pd.DataFrame({
        "username": people["username"],
        "reporter_role": [REPORTER_ROLES.get(r, r) for r in people["reporter_role"]],
        "wijk_codes": [", ".join(c) for c in people["wijk_codes"]],
        "activated": ["ja" if a else "nog niet" for a in people["activated"]],
        "active_since": [dutch_date(d) for d in people["active_since"]],
        "last_report": ["-" if d is None or pd.isna(d) else dutch_date(d)
                        for d in people["last_report"]],
        **{c: [percent(v) for v in people[c]]
           for c in ("rate_4w", "timely_4w", "rate_13w", "timely_13w")},
        "dormant": ["slapend" if d else "" for d in people["dormant"]],
    })
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "username": "Gebruikersnaam", "reporter_role": "Rol", "wijk_codes": "Wijken",
        "activated": "Geactiveerd", "active_since": "Actief sinds",
        "last_report": "Laatste melding", "rate_4w": st.column_config.TextColumn(
            "Gemeld 4 wk", help=RATE_HELP), "timely_4w": "Tijdig 4 wk",
        "rate_13w": "Gemeld 13 wk", "timely_13w": "Tijdig 13 wk", "dormant": "Slapend"})


def manager_table(counts: pd.DataFrame) -> None:
    table = counts.assign(
        active=[str(v) for v in counts["active"]],
        network_gap=["netwerkgat" if g else "" for g in counts["network_gap"]],
        rate_4w=[percent(v) for v in counts["rate_4w"]])
    st.dataframe(table, hide_index=True, width="stretch", height=_height(len(table)),
                 column_config={
        "wijk_naam": "Wijk", "active": "Actieve sleutelfiguren", "network_gap": "Netwerkgat",
        "rate_4w": st.column_config.TextColumn(
            "Gemeld 4 wk", help="Alleen bij 5 of meer sleutelfiguren.")})


def _height(rows: int) -> int:
    """Every row visible up to 30, then scrolling."""
    return 38 + 35 * min(max(rows, 1), 30)
