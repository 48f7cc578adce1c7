"""The pieces of the Overzicht page: alert lists and one tile per wijk."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from signals.navigation import script
from signals.ui.phase_badges import flag_badges, phase_badge
from signals.ui.safe import md_escape

PROFILE = script("wijkprofiel")
MAX_ALERTS = 8  # per list; at national scale the rest is in the table of every wijk


def since_text(weeks: int) -> str:
    return "sinds deze week" if weeks <= 1 else f"al {weeks} weken"


def _rate(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.0%}"


def _more(alerts: pd.DataFrame) -> None:
    if len(alerts) > MAX_ALERTS:
        st.caption(f"… en nog {len(alerts) - MAX_ALERTS} wijken: zie de tabel 'Alle wijken'.")


def new_alerts(alerts: pd.DataFrame) -> None:
    if alerts.empty:
        st.caption("Geen wijk is deze week naar fase 2 of hoger gestegen.")
    for alert in alerts.head(MAX_ALERTS).itertuples():
        phase_badge(int(alert.effective_phase))
        st.page_link(PROFILE, query_params={"wijk": alert.wijk_code},
                     label=f"{md_escape(alert.wijk_naam)}: van fase {alert.previous_phase} "
                           f"naar fase {alert.effective_phase}", icon=":material/trending_up:")
    _more(alerts)


def sight_alerts(alerts: pd.DataFrame) -> None:
    if alerts.empty:
        st.caption("In elke wijk meldde deze week minstens de helft van de sleutelfiguren.")
    for alert in alerts.head(MAX_ALERTS).itertuples():
        # The link holds only the name, so a narrow column never cuts the sentence off.
        st.page_link(PROFILE, query_params={"wijk": alert.wijk_code},
                     label=md_escape(alert.wijk_naam), icon=":material/visibility_off:")
        st.caption(f"Onvoldoende zicht {since_text(int(alert.sight_weeks))}: "
                   f"{alert.reporters} van {alert.expected} sleutelfiguren meldde deze week "
                   f"({_rate(alert.reporting_rate)}).")
    _more(alerts)


def wijk_tile(row: Any) -> None:
    """One wijk: phase (colour and label), proposal vs decision, flags, change, counts."""
    st.markdown(f"**{md_escape(row.wijk_naam)}** · {row.wijk_code}")
    blind, phase = bool(row.onvoldoende_zicht), int(row.effective_phase)
    phase_badge(phase, blind, short=True)
    decided = ("nog geen besluit" if pd.isna(row.decided_phase)
               else f"besluit fase {row.decided_phase}")
    st.caption(f"Voorstel fase {row.phase} · {decided}")
    # A blind phase 0 already says "Onvoldoende zicht" in its phase badge.
    flag_badges(bool(row.nafase), blind and phase > 0, int(row.sight_weeks))
    change = int(row.phase_change)
    trend = ("gelijk aan vorige week" if change == 0 else
             f"{'hoger' if change > 0 else 'lager'} dan vorige week (fase {row.previous_phase})")
    lines = [f"Fase {trend}",
             f"Signalen: **{row.n_signals}** (vorige week {row.previous_signals})",
             f"Meldingspercentage: **{_rate(row.reporting_rate)}** "
             f"({row.reporters} van {row.expected})",
             f"Thema's: {md_escape(row.themes) if row.themes else 'geen'}"]
    if blind:
        lines.insert(0, f"Onvoldoende zicht {since_text(int(row.sight_weeks))}")
    st.markdown("  \n".join(lines))
    st.page_link(PROFILE, query_params={"wijk": row.wijk_code}, label="Open wijkprofiel",
                 icon=":material/monitoring:")
