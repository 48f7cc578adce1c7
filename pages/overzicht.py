"""Overzicht: where to act this week, most urgent wijk first (coordinator: own wijken)."""

import pandas as pd
import streamlit as st

from signals.localtime import monday_of, today_local
from signals.navigation import script
from signals.services.dashboard import week_caption
from signals.services.weekbeeld import flags_text
from signals.ui import cached
from signals.ui.charts import NO_MAP_BAR, phase_map
from signals.ui.overview_tiles import PROFILE, new_alerts, sight_alerts, wijk_tile
from signals.ui.phase_badges import phase_label, phase_legend, style_phase_cells
from signals.ui.risk_calendar_view import moments_table
from signals.ui.session import require_page

MAX_TILES = 24

actor = require_page("overzicht")

st.title("Overzicht")
version = cached.current_version(actor)
with st.spinner("Fasen van deze week berekenen…"):
    overview = cached.overview(actor, version, monday_of())
    geojson = cached.geojson(actor, version)
rows = overview.wijken
if rows.empty:
    st.info("U heeft nog geen wijken. Een beheerder kan wijken aan u toewijzen.")
    st.stop()

scope = "alle wijken" if actor.sees_all_wijken else "uw wijken"
st.caption(f"{week_caption(overview.week).capitalize()} · {len(rows)} wijken ({scope}) · "
           "tijden in Europe/Amsterdam. De effectieve fase is het besluit van de coördinator, "
           "anders het voorstel.")

with st.container(horizontal=True):
    st.metric("Fase 3 of hoger", int((rows["effective_phase"] >= 3).sum()), border=True)
    st.metric("Fase 2", int((rows["effective_phase"] == 2).sum()), border=True)
    st.metric("Nafase", int(rows["nafase"].sum()), border=True)
    st.metric("Onvoldoende zicht", int(rows["onvoldoende_zicht"].sum()), border=True)
    st.metric("Signalen deze week", int(rows["n_signals"].sum()), border=True,
              help=f"Vorige week: {int(rows['previous_signals'].sum())} (zonder nul-meldingen).")

alerts_col, map_col = st.columns([2, 3], gap="medium")
with alerts_col:
    with st.container(border=True):
        st.subheader("Nieuw in fase 2 of hoger", anchor=False)
        new_alerts(overview.new_alerts)
    with st.container(border=True):
        st.subheader("Zicht verloren", anchor=False)
        sight_alerts(overview.sight_lost)
with map_col:
    gemeenten = sorted({(f["properties"].get("gemeente_naam") or "", f["properties"].get(
        "gemeente_code")) for f in geojson["features"]})
    if len(gemeenten) > 1:
        labels = {code: name for name, code in gemeenten}
        chosen = st.selectbox("Gemeente op de kaart", [None, *labels],
                              format_func=lambda c: "Alle gemeenten" if c is None
                              else labels[c])
        if chosen is not None:
            geojson = {**geojson, "features": [f for f in geojson["features"]
                                               if f["properties"]["gemeente_code"] == chosen]}
    figure = phase_map(geojson, rows) if geojson["features"] else None
    if figure is None:
        st.info("Er is nog geen kaart van de wijken. Een beheerder kan een CBS-wijkkaart "
                "(GeoJSON) importeren.")
    else:
        st.plotly_chart(figure, config=NO_MAP_BAR, key="kaart")
phase_legend()

st.subheader("Komende 14 dagen", anchor=False)
moments = cached.moments(actor, version, today_local(), 14)
if moments.empty:
    st.caption("Geen raadsbesluiten, demonstraties of andere risicomomenten op de kalender.")
else:
    moments_table(moments, {r.wijk_code: phase_label(int(r.effective_phase),
                                                      bool(r.onvoldoende_zicht), short=True)
                            for r in rows.itertuples()}, key="komende_momenten")
st.page_link(script("risicokalender"), label="Naar de risicokalender",
             icon=":material/event_upcoming:")

st.subheader("Wijken op urgentie", anchor=False)
if len(rows) > MAX_TILES:
    st.caption(f"De {MAX_TILES} wijken die het meest aandacht vragen; de rest staat in de "
               "tabel hieronder.")
columns = st.columns(3)
for i, row in enumerate(rows.head(MAX_TILES).itertuples()):
    with columns[i % 3], st.container(border=True):
        wijk_tile(row)

st.subheader("Alle wijken", anchor=False)
table = rows.assign(
    fase=[phase_label(int(p), bool(b), short=True)
          for p, b in zip(rows["effective_phase"], rows["onvoldoende_zicht"], strict=True)],
    voorstel=[f"{p}" + ("" if pd.isna(d) else f" → besluit {d}")
              for p, d in zip(rows["phase"], rows["decided_phase"], strict=True)],
    vlaggen=[flags_text(n, b) for n, b in zip(rows["nafase"], rows["onvoldoende_zicht"],
                                              strict=True)],
    gemeld=(rows["reporting_rate"].fillna(0) * 100).round(0),
)[["wijk_naam", "fase", "voorstel", "vlaggen", "n_signals", "previous_signals", "gemeld",
   "themes"]]
styled = style_phase_cells(table, "fase", rows["effective_phase"], rows["onvoldoende_zicht"])
picked = st.dataframe(
    styled, hide_index=True, on_select="rerun", selection_mode="single-row",
    key="wijk_tabel", height=min(38 + 35 * len(table), 600),
    column_config={
        "wijk_naam": st.column_config.TextColumn("Wijk"),
        "fase": st.column_config.TextColumn("Effectieve fase", width="medium"),
        "voorstel": st.column_config.TextColumn("Voorstel"),
        "vlaggen": st.column_config.TextColumn("Vlaggen"),
        "n_signals": st.column_config.NumberColumn("Signalen", format="%d"),
        "previous_signals": st.column_config.NumberColumn("Vorige week", format="%d"),
        "gemeld": st.column_config.NumberColumn("Gemeld", format="%d%%",
                                                help="Meldingspercentage deze week"),
        "themes": st.column_config.TextColumn("Thema's"),
    })
st.caption("Klik op een rij om het wijkprofiel te openen.")
selected = picked.selection.rows if picked is not None else []
if selected:
    st.switch_page(PROFILE, query_params={"wijk": rows.iloc[selected[0]]["wijk_code"]})
