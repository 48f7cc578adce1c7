"""Overzicht: where to act this week, most urgent wijk first (coordinator: own wijken)."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from signals.db.uow import read_session
from signals.localtime import monday_of, today_local
from signals.navigation import script
from signals.services.dashboard import week_caption
from signals.services.network import key_figure_counts
from signals.services.settings import map_settings
from signals.services.weekbeeld import flags_text
from signals.ui import cached
from signals.ui.charts import NO_MAP_BAR
from signals.ui.gemeente_filter import gemeente_filter, wijk_codes_in
from signals.ui.network_gap import network_gap_alerts, with_network
from signals.ui.overview_tiles import PROFILE, new_alerts, sight_alerts, wijk_tile
from signals.ui.phase_badges import phase_label, phase_legend, style_phase_cells
from signals.ui.phase_map import map_aspect, phase_map
from signals.ui.resources import engine_or_stop
from signals.ui.risk_calendar_view import moments_table
from signals.ui.session import require_page

MAX_TILES = 24
MAP_HEIGHT = 440
MIN_MAP_HEIGHT = 240
LEGEND_HEIGHT = 60
STRIP_ASPECT = 0.45  # height / width of the wijken's bounds below which they form a strip
# The zoom fits the wijken in this width: a full-width strip at 1366 px has room around it,
# and on a phone (about 360 px) little is cut off, as with the map beside the alerts.
MAP_FIT_WIDTH = 520

actor = require_page("overzicht")

st.title("Overzicht")
version = cached.current_version(actor)
with st.spinner("Fasen van deze week berekenen…"):
    overview = cached.overview(actor, version, monday_of())
with read_session(engine_or_stop()) as session:
    network = key_figure_counts(session, actor)
rows = with_network(overview.wijken, network)
if rows.empty:
    st.info("U heeft nog geen wijken. Een beheerder kan wijken aan u toewijzen.")
    st.stop()

scope_wijken = cached.scope_wijken(actor, version)
gemeente = gemeente_filter(scope_wijken, key="overzicht_gemeente")
if gemeente is not None:  # the whole page, the map included, shows that gemeente only
    in_gemeente = wijk_codes_in(scope_wijken, gemeente)
    rows = rows[rows["wijk_code"].isin(in_gemeente)].reset_index(drop=True)
    overview = replace(
        overview, wijken=rows,
        new_alerts=overview.new_alerts[overview.new_alerts["wijk_code"].isin(in_gemeente)],
        sight_lost=overview.sight_lost[overview.sight_lost["wijk_code"].isin(in_gemeente)])
geojson = cached.geojson(actor, version, gemeente)

scope = "alle wijken" if actor.sees_all_wijken else "uw wijken"
st.caption(f"{week_caption(overview.week).capitalize()} · {len(rows)} wijken ({scope}) · "
           "tijden in Europe/Amsterdam. De effectieve fase is het besluit van de coördinator, "
           "anders het voorstel.")

with st.container(horizontal=True):
    st.metric("Fase 3 of hoger", int((rows["effective_phase"] >= 3).sum()), border=True)
    st.metric("Fase 2", int((rows["effective_phase"] == 2).sum()), border=True)
    st.metric("Nafase", int(rows["nafase"].sum()), border=True)
    st.metric("Onvoldoende zicht", int(rows["onvoldoende_zicht"].sum()), border=True)
    st.metric("Netwerkgat", int(rows["network_gap"].sum()), border=True,
              help="Wijken met te weinig actieve sleutelfiguren (zie Netwerk).")
    st.metric("Signalen deze week", int(rows["n_signals"].sum()), border=True,
              help=f"Vorige week: {int(rows['previous_signals'].sum())} (zonder nul-meldingen).")

# A wide strip of wijken (one side of town) gets the full width and a low map, with the
# alerts side by side under it; otherwise the map sits next to the alerts. No tall empty
# map around a thin strip.
strip = bool(geojson["features"]) and map_aspect(geojson) < STRIP_ASPECT
if strip:
    map_col = st.container()
    alerts_col, sight_col = st.columns(2, gap="medium")
else:
    alerts_col, map_col = st.columns([2, 3], gap="medium")
    sight_col = alerts_col
with alerts_col, st.container(border=True):
    st.subheader("Nieuw in fase 2 of hoger", anchor=False)
    new_alerts(overview.new_alerts)
with sight_col:
    with st.container(border=True):
        st.subheader("Zicht verloren", anchor=False)
        sight_alerts(overview.sight_lost)
    network_gap_alerts(rows)
with map_col:
    with read_session(engine_or_stop()) as session:
        tiles = map_settings(session).tile_source
    height = (max(MIN_MAP_HEIGHT, min(MAP_HEIGHT, int(MAP_FIT_WIDTH * map_aspect(geojson))
                                      + LEGEND_HEIGHT)) if strip else MAP_HEIGHT)
    figure = phase_map(geojson, rows, tiles, height) if geojson["features"] else None
    if figure is None:
        st.info("Er is nog geen kaart van de wijken. Een beheerder kan een CBS-wijkkaart "
                "(GeoJSON) importeren.")
    else:
        clicked = st.plotly_chart(figure, config=NO_MAP_BAR, key="kaart", on_select="rerun",
                                  selection_mode="points")
        several = gemeente is None and scope_wijken["gemeente_code"].nunique() > 1
        st.caption("Klik op een wijk om het wijkprofiel te openen."
                   + (" Kies hierboven een gemeente om op haar wijken in te zoomen."
                      if several else ""))
        points = clicked.selection.points if clicked is not None else []
        codes = [p.get("location") for p in points if p.get("location") in set(rows["wijk_code"])]
        if codes:
            st.switch_page(PROFILE, query_params={"wijk": codes[0]})
if figure is None:
    phase_legend()  # without a map the badges are the key to the colours; else its legend is

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
    vlaggen=[", ".join(filter(None, [flags_text(n, b), "netwerkgat" if g else ""]))
             for n, b, g in zip(rows["nafase"], rows["onvoldoende_zicht"], rows["network_gap"],
                                strict=True)],
    gemeld=(rows["reporting_rate"].fillna(0) * 100).round(0),
)[["wijk_naam", "fase", "voorstel", "vlaggen", "n_signals", "previous_signals", "gemeld",
   "key_figures", "themes"]]
styled = style_phase_cells(table, "fase", rows["effective_phase"], rows["onvoldoende_zicht"])
picked = st.dataframe(
    styled, hide_index=True, on_select="rerun", selection_mode="single-row",
    key="wijk_tabel", height=min(38 + 35 * len(table), 600),
    column_config={
        "wijk_naam": st.column_config.TextColumn("Wijk"),
        "fase": st.column_config.TextColumn("Effectieve fase", width="medium"),
        "voorstel": st.column_config.TextColumn("Voorstel"),
        "vlaggen": st.column_config.TextColumn("Vlaggen", width="medium"),
        "n_signals": st.column_config.NumberColumn("Signalen", format="%d"),
        "previous_signals": st.column_config.NumberColumn("Vorige week", format="%d"),
        "gemeld": st.column_config.NumberColumn("Gemeld", format="%d%%",
                                                help="Meldingspercentage deze week"),
        "key_figures": st.column_config.NumberColumn("Sleutelfiguren", format="%d",
                                                     help="Actieve sleutelfiguren"),
        "themes": st.column_config.TextColumn("Thema's", width="large"),
    })
st.caption("Klik op een rij om het wijkprofiel te openen.")
selected = picked.selection.rows if picked is not None else []
if selected:
    st.switch_page(PROFILE, query_params={"wijk": rows.iloc[selected[0]]["wijk_code"]})
