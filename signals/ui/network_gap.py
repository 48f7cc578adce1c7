"""The netwerkgat on the Overzicht and the wijk profile: too few active key figures.

Distinct from "onvoldoende zicht" (key figures who did not report this week): a netwerkgat
stays until the network is filled, however calm or busy the week.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from signals.navigation import script
from signals.ui.safe import md_escape

MAX_ALERTS = 6


def with_network(rows: pd.DataFrame, network: pd.DataFrame) -> pd.DataFrame:
    """The overview rows with `key_figures`, `min_key_figures` and `network_gap`."""
    if rows.empty:
        return rows.assign(key_figures=0, min_key_figures=0, network_gap=False)
    merged = rows.merge(network, on="wijk_code", how="left")
    return merged.assign(key_figures=merged["key_figures"].fillna(0).astype("int64"),
                         network_gap=merged["network_gap"].fillna(False).astype(bool))


def network_gap_alerts(rows: pd.DataFrame) -> None:
    gaps = rows[rows["network_gap"]].sort_values(["key_figures", "wijk_naam"])
    with st.container(border=True):
        st.subheader("Netwerkgat", anchor=False)
        if gaps.empty:
            st.caption("Elke wijk heeft genoeg actieve sleutelfiguren.")
            return
        for gap in gaps.head(MAX_ALERTS).itertuples():
            st.page_link(script("netwerk"), label=f"{md_escape(gap.wijk_naam)}: "
                         f"{_count(int(gap.key_figures))} (minimaal {int(gap.min_key_figures)})",
                         icon=":material/group_off:")
        if len(gaps) > MAX_ALERTS:
            st.caption(f"… en nog {len(gaps) - MAX_ALERTS} wijken.")
        st.caption("Te weinig sleutelfiguren om de wijk te zien, ook in een rustige week.")


def network_gap_notice(network: pd.DataFrame, wijk_code: str) -> None:
    """A warning on the wijk profile when this wijk has a netwerkgat."""
    row = network[network["wijk_code"] == wijk_code]
    if row.empty or not bool(row["network_gap"].iloc[0]):
        return
    st.warning(f"**Netwerkgat:** {_count(int(row['key_figures'].iloc[0]))} in deze wijk, "
               f"minimaal {int(row['min_key_figures'].iloc[0])} nodig. Dat is iets anders dan "
               "een stille week: er zijn te weinig ogen en oren. Vul het netwerk aan via "
               "Netwerk.", icon=":material/group_off:")


def _count(n: int) -> str:
    return "geen actieve sleutelfiguren" if n == 0 else (
        "1 actieve sleutelfiguur" if n == 1 else f"{n} actieve sleutelfiguren")
