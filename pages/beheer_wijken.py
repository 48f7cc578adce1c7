"""Beheer · Wijken: import from CSV or CBS GeoJSON (all or nothing), and rename a wijk."""

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services.wijk_admin import rename_wijk, wijk_overview
from signals.services.wijken import import_wijken
from signals.ui.feedback import UPLOAD_LIMIT_NOTE, flash, show_error, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import require_page

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
        "wijk_code": st.column_config.TextColumn("Wijkcode"),
        "wijk_naam": st.column_config.TextColumn("Wijk"),
        "kaartvorm": st.column_config.CheckboxColumn("Kaartvorm"),
        "sleutelfiguren": st.column_config.NumberColumn("Actieve sleutelfiguren"),
        "signalen": st.column_config.NumberColumn("Signalen"),
    })

import_tab, rename_tab = st.tabs(["Importeren", "Hernoemen"])

with import_tab, st.form("wijken_importeren", clear_on_submit=True):
    st.caption("CSV met de kolommen wijk_code en wijk_naam (`;` of `,`), of GeoJSON van de "
               "CBS wijk- en buurtkaart. Bestaande wijken worden bijgewerkt. Bij één fout "
               "wordt niets opgeslagen.")
    upload = st.file_uploader("Bestand", type=["csv", "geojson", "json"])
    st.caption(UPLOAD_LIMIT_NOTE)
    gemeente = st.text_input("Alleen gemeentecode (optioneel, bij een landelijk bestand)",
                             max_chars=6, placeholder="GM0363")
    if st.form_submit_button("Importeren", type="primary"):
        if upload is None:
            st.warning("Kies eerst een bestand.")
        else:
            data, name, code = upload.getvalue(), upload.name, gemeente.strip() or None
            try:
                result = run_write(engine, lambda s: import_wijken(s, actor, name, data, code))
            except DomainError as exc:
                show_error(exc)
            else:
                flash(f"Wijken geïmporteerd: {result.created} nieuw, {result.updated} "
                      f"bijgewerkt, {result.unchanged} ongewijzigd.")
                st.rerun()

with rename_tab, st.form("wijk_hernoemen", clear_on_submit=True):
    names = dict(zip(overview["wijk_code"], overview["wijk_naam"], strict=True))
    code = st.selectbox("Wijk", list(names), format_func=lambda c: f"{c} · {names[c]}")
    new_name = st.text_input("Nieuwe naam", max_chars=200)
    if st.form_submit_button("Hernoemen") and code:
        try:
            run_write(engine, lambda s: rename_wijk(s, actor, code, new_name))
        except DomainError as exc:
            show_error(exc)
        else:
            flash(f"Wijk {md_escape(code)} heet nu {md_escape(' '.join(new_name.split()))}.")
            st.rerun()
