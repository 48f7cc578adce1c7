"""Beheer · Wijken: import areas (any common geo format), check the changes, keep or retire
missing areas, then apply all or nothing; and rename an area."""

import pandas as pd
import streamlit as st

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services import settings
from signals.services.area_codes import ColumnChoice, ColumnMapping, detect_columns
from signals.services.geodata import KNOWN_CRS
from signals.services.wijk_admin import rename_wijk, wijk_overview
from signals.services.wijk_files import ImportOptions, file_columns, file_layers
from signals.services.wijken import import_wijken, plan_wijk_import
from signals.ui.feedback import (
    UPLOAD_LIMIT_NOTE,
    flash,
    save_and_rerun,
    show_error,
    show_flash,
)
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import require_page
from signals.ui.uploader import file_uploader

PLAN_KEY = "wijk_import_plan"
FROM_FILE = "Uit het bestand"
NONE = "(geen)"

actor = require_page("beheer_wijken")
engine = engine_or_stop()
st.title("Wijken beheren")
show_flash()

with read_session(engine) as session:
    overview = wijk_overview(session, actor)

if overview.empty:
    st.info("Er zijn nog geen wijken. Importeer ze hieronder.")
else:
    st.dataframe(overview, hide_index=True, width="stretch", column_config={
        "wijk_code": st.column_config.TextColumn("Code"),
        "wijk_naam": st.column_config.TextColumn("Gebied"),
        "gemeente": st.column_config.TextColumn("Gemeente"),
        "actief": st.column_config.CheckboxColumn("Actief"),
        "kaartvorm": st.column_config.CheckboxColumn("Kaartvorm"),
        "sleutelfiguren": st.column_config.NumberColumn("Actieve sleutelfiguren"),
        "signalen": st.column_config.NumberColumn("Signalen"),
    })

import_tab, rename_tab, map_tab = st.tabs(["Importeren", "Hernoemen", "Kaart"])


def _detected(columns: list[str]) -> ColumnMapping | None:
    try:
        return detect_columns(columns)
    except DomainError:
        return None


def _column(label: str, columns: list[str], found: str | None, optional: bool) -> str | None:
    options = ([NONE] if optional else []) + columns
    index = options.index(found) if found in options else (0 if optional else None)
    chosen = st.selectbox(label, options, index=index, placeholder="Kies een kolom")
    return None if chosen in (None, NONE) else chosen


def _import_options(name: str, data: bytes) -> ImportOptions | None:
    """Layer, CRS, gemeente and the columns; None until the user has chosen enough."""
    layers = file_layers(name, data)
    layer = st.selectbox("Laag", layers) if len(layers) > 1 else None
    crs_labels = {FROM_FILE: None} | {f"{label} ({code})": code
                                      for code, label in KNOWN_CRS.items()}
    crs = crs_labels[st.selectbox("Coördinatenstelsel", list(crs_labels),
                                  help="Alleen nodig als het bestand er geen noemt.")]
    gemeente = st.text_input("Gemeente (optioneel)", max_chars=6, placeholder="GM0363 of 44021",
                             help="Alleen gebieden van deze gemeente; noemt het bestand geen "
                                  "gemeente, dan horen alle gebieden erbij.").strip() or None
    options = ImportOptions(gemeente=gemeente, layer=layer, crs=crs)
    columns = file_columns(name, data, options)
    found = _detected(columns)
    if found is None:
        st.warning("De kolommen zijn niet herkend. Gevonden kolommen: "
                   f"{md_escape(', '.join(columns))}. Kies hieronder welke kolom wat is.")
    left, middle, right = st.columns(3)
    with left:
        code = _column("Codekolom", columns, found and found.code, False)
    with middle:
        naam = _column("Naamkolom", columns, found and found.name, False)
    with right:
        gem = _column("Gemeentekolom", columns, found and found.gemeente, True)
    if code is None or naam is None:
        return None
    return ImportOptions(ColumnChoice(code, naam, gem), gemeente, layer, crs)


def _show_plan(plan) -> list[str]:  # type: ignore[no-untyped-def]
    """The diff, and which missing areas to retire (the others are kept)."""
    for note in plan.notes:
        st.caption(md_escape(note))
    st.markdown(f"**Wijzigingen:** {len(plan.new)} nieuw, {len(plan.renamed)} hernoemd, "
                f"{len(plan.reshaped)} andere grens, {len(plan.returning)} terug, "
                f"{plan.unchanged} ongewijzigd, {len(plan.missing)} ontbreken.")
    if plan.renamed:
        st.dataframe(pd.DataFrame(plan.renamed, columns=["Code", "Oude naam", "Nieuwe naam"]),
                     hide_index=True)
    if not plan.missing:
        return []
    names = dict(plan.missing)
    st.write("Deze gebieden staan niet meer in het bestand. Een ingetrokken gebied houdt zijn "
             "geschiedenis en fasen, maar krijgt geen nieuwe signalen en verdwijnt uit de "
             "actuele overzichten. De andere blijven bestaan.")
    return st.multiselect("Intrekken", list(names), format_func=lambda c: f"{c} · {names[c]}",
                          placeholder="Kies de gebieden die u wilt intrekken")


with import_tab:
    st.caption("GeoJSON, TopoJSON, een shapefile-zip, een GeoPackage of CSV (alleen code en "
               "naam). Eerst ziet u wat er verandert; bij één fout wordt niets opgeslagen.")
    upload = file_uploader("Bestand", ["geojson", "json", "topojson", "zip", "gpkg", "csv"],
                           key="wijk_upload")
    st.caption(UPLOAD_LIMIT_NOTE)
    if upload is not None:
        data, name = upload.getvalue(), upload.name
        try:
            options = _import_options(name, data)
        except DomainError as exc:
            show_error(exc)
            options = None
        key = (upload.file_id, options)
        if options is not None and st.button("Wijzigingen bekijken"):
            try:
                with read_session(engine) as session:
                    st.session_state[PLAN_KEY] = (key, plan_wijk_import(
                        session, actor, name, data, options))
            except DomainError as exc:
                st.session_state.pop(PLAN_KEY, None)
                show_error(exc)
        stored = st.session_state.get(PLAN_KEY)
        if options is not None and stored and stored[0] == key:
            retire = _show_plan(stored[1])
            if st.button("Importeren", type="primary"):
                try:
                    result = run_write(engine, lambda s: import_wijken(
                        s, actor, name, data, options, retire))
                except DomainError as exc:
                    show_error(exc)
                else:
                    st.session_state.pop(PLAN_KEY, None)
                    flash(f"Gebieden geïmporteerd: {result.created} nieuw, {result.updated} "
                          f"bijgewerkt, {result.unchanged} ongewijzigd, {result.retired} "
                          "ingetrokken.")
                    st.rerun()

with rename_tab, st.form("wijk_hernoemen", clear_on_submit=True):
    names = dict(zip(overview["wijk_code"], overview["wijk_naam"], strict=True))
    code = st.selectbox("Wijk", list(names), format_func=lambda c: f"{c} · {names[c]}",
                        key="rename_wijk")
    new_name = st.text_input("Nieuwe naam", max_chars=200)
    if st.form_submit_button("Hernoemen") and code:
        try:
            run_write(engine, lambda s: rename_wijk(s, actor, code, new_name))
        except DomainError as exc:
            show_error(exc)
        else:
            flash(f"Wijk {md_escape(code)} heet nu {md_escape(' '.join(new_name.split()))}.")
            st.rerun()

with map_tab, st.form("kaart_achtergrond"):
    with read_session(engine) as session:
        current = settings.map_settings(session).tiles
    choices = ["", *settings.TILE_SOURCES]
    tiles = st.radio("Achtergrondkaart", choices, index=choices.index(current),
                     format_func=lambda k: settings.TILE_SOURCES[k].label if k
                     else "Geen (standaard): de kaart haalt niets bij een andere server op")
    st.caption("Met een achtergrondkaart haalt de browser van iedereen die de kaart bekijkt "
               "kaarttegels op bij die dienst; die ziet dan het IP-adres en welk gebied wordt "
               "bekeken. Zonder achtergrondkaart worden alleen de wijkgrenzen getekend.")
    if st.form_submit_button("Opslaan"):
        save_and_rerun(engine, lambda s: settings.update_map(s, actor, tiles),
                       "De achtergrondkaart is opgeslagen.")
