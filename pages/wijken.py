"""Wijken: every visible wijk with its signal counts over the last 8 ISO weeks."""

import streamlit as st

from signals.db.uow import read_session
from signals.services.wijken import wijk_signal_counts
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

st.title("Wijken")
st.caption("Aantal signalen per ISO-week (exclusief nul-meldingen), laatste 8 weken.")

with read_session(engine_or_stop()) as session:
    counts = wijk_signal_counts(session, require_page("wijken"), weeks=8)

if counts.empty:
    st.info("Er zijn nog geen wijken. Een beheerder kan ze importeren, of laad de demo met "
            "`python -m signals demo`.")
else:
    week_columns = [c for c in counts.columns if c.startswith("20")]
    config = {"wijk_code": st.column_config.TextColumn("Wijkcode"),
              "wijk_naam": st.column_config.TextColumn("Wijk"),
              "totaal": st.column_config.NumberColumn("Totaal 8 weken")}
    config |= {c: st.column_config.NumberColumn(f"wk {int(c[-2:])}") for c in week_columns}
    st.dataframe(counts, hide_index=True, column_config=config, width="stretch")
