"""Wijken: every visible wijk with its signal counts over the last 8 ISO weeks, and the
areas as GeoJSON for GIS (within the user's scope)."""

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.localtime import monday_of, today_local
from signals.services.dashboard import week_caption
from signals.services.wijk_export import wijken_geojson_file
from signals.services.wijken import wijk_signal_counts
from signals.ui import cached
from signals.ui.gemeente_filter import gemeente_filter, wijk_codes_in
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

actor = require_page("wijken")
engine = engine_or_stop()
st.title("Wijken")
st.caption("Aantal signalen per ISO-week (exclusief nul-meldingen), laatste 8 weken.")

with read_session(engine) as session:
    counts = wijk_signal_counts(session, actor, weeks=8)

if counts.empty:
    st.info("Er zijn nog geen wijken. Een beheerder kan ze importeren, of laad de demo met "
            "`python -m signals demo`.")
    st.stop()

scope = cached.scope_wijken(actor, cached.current_version(actor))
gemeente = gemeente_filter(scope, key="wijken_gemeente")
if gemeente is not None:
    counts = counts[counts["wijk_code"].isin(wijk_codes_in(scope, gemeente))]
week_columns = [c for c in counts.columns if c.startswith("20")]
config = {"wijk_code": st.column_config.TextColumn("Wijkcode"),
          "wijk_naam": st.column_config.TextColumn("Wijk"),
          "totaal": st.column_config.NumberColumn("Totaal 8 weken")}
config |= {c: st.column_config.NumberColumn(f"wk {int(c[-2:])}") for c in week_columns}
st.dataframe(counts, hide_index=True, column_config=config, width="stretch")

st.subheader("Exporteren voor GIS", anchor=False)
st.caption("De gebieden " + ("van de gekozen gemeente " if gemeente is not None else "")
           + ("die u mag zien " if not actor.sees_all_wijken else "")
           + "als GeoJSON (WGS84) met code, naam en gemeente per gebied; te openen in QGIS.")
this_week = monday_of()
with_phase = st.checkbox(f"Met de effectieve fase van {week_caption(this_week)}",
                         key="gis_fase")


def _export() -> bytes:
    return run_write(engine, lambda s: wijken_geojson_file(
        s, actor, this_week if with_phase else None, gemeente))[0]


st.download_button("Exporteer als GeoJSON", data=_export,
                   file_name=f"gebieden-{today_local():%Y%m%d}.geojson",
                   mime="application/geo+json", icon=":material/download:", key="gis_export",
                   on_click="ignore")
