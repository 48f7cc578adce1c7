"""Importeren en exporteren: signals in from CSV/XLSX (all or nothing), and out again."""

import hashlib

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.errors import DomainError, first_errors
from signals.services.categories import theme_choices
from signals.services.signal_import import import_signals, preview_import
from signals.services.signal_rows import REQUIRED_COLUMNS
from signals.services.wijken import visible_wijken
from signals.ui.feedback import UPLOAD_LIMIT_NOTE, show_error
from signals.ui.import_help import column_help, column_labels
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import require_page
from signals.ui.signal_filters import export_buttons, filter_widgets
from signals.ui.uploader import file_uploader

FILE_ERRORS_IN_FULL = 5

actor = require_page("importeren")
engine = engine_or_stop()
st.title("Importeren en exporteren")

st.subheader("Signalen importeren")
st.caption(
    "CSV (; of ,, UTF-8 of Windows-1252) of Excel (.xlsx, de gegevens op het eerste "
    f"werkblad). Verplichte kolommen: {', '.join(REQUIRED_COLUMNS)}; de kopregel gebruikt de "
    "kolomnamen hieronder. Alles of niets: bij één fout wordt niets opgeslagen.")
with st.expander("Welke kolommen? Uitleg per kolom"):
    st.dataframe(column_help(), hide_index=True, width="stretch", column_config={
        "kolom": st.column_config.TextColumn("Kolomnaam in het bestand"),
        "verplicht": st.column_config.TextColumn("Verplicht"),
        "betekenis": st.column_config.TextColumn("Betekenis", width="medium"),
        "waarden": st.column_config.TextColumn("Toegestane waarden", width="large"),
    })
if not actor.sees_all_wijken:
    st.caption("U kunt alleen importeren in uw eigen wijken.")

upload = file_uploader("Bestand met signalen", ["csv", "xlsx"], key="import_bestand")
st.caption(UPLOAD_LIMIT_NOTE)
if upload is not None:
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    cached = st.session_state.get("import_preview")
    if cached is None or cached[0] != digest:
        with st.status("Bestand controleren...", expanded=False) as status:
            bar = st.progress(0.0)
            with read_session(engine) as session:
                preview = preview_import(session, actor, upload.name, data,
                                         progress=lambda f, t: bar.progress(min(f, 1.0), t))
            status.update(label="Controle klaar", state="complete")
        st.session_state["import_preview"] = (digest, preview)
    else:
        preview = cached[1]

    if not preview.ok:
        count = len(preview.errors)
        # Problems with the file as a whole are long sentences: in full here, not cut off in
        # a table cell.
        whole_file = [e for e in preview.errors if e.field == "bestand"][:FILE_ERRORS_IN_FULL]
        st.error(f"{count} {'probleem' if count == 1 else 'problemen'} gevonden. Er wordt "
                 "niets opgeslagen; pas het bestand aan en kies het opnieuw."
                 + "".join(f"\n\n- {'' if e.row is None else f'Rij {e.row}: '}"
                           f"{md_escape(e.message)}" for e in whole_file))
        frame = preview.errors_frame()
        listed, rest = first_errors(range(len(frame)))
        st.dataframe(frame.iloc[listed], hide_index=True, width="stretch", column_config={
            "rij": st.column_config.NumberColumn("Rij", width="small"),
            "kolom": st.column_config.TextColumn("Kolom", width="small"),
            "melding": st.column_config.TextColumn("Melding", width="large")})
        if rest:
            st.caption(f"{rest}. Los eerst deze op en kies het bestand opnieuw.")
    if preview.summary is not None:
        summary = preview.summary
        columns = st.columns(4)
        columns[0].metric("Rijen", summary.rows)
        columns[1].metric("Nieuw", summary.created)
        columns[2].metric("Bijgewerkt", summary.updated)
        columns[3].metric("Ongewijzigd", summary.unchanged)
        if summary.new_reporters:
            st.info(f"{len(summary.new_reporters)} onbekende melders worden als sleutelfiguur "
                    "(zonder wachtwoord) geregistreerd: "
                    + md_escape(", ".join(summary.new_reporters[:30]))
                    + (" ..." if len(summary.new_reporters) > 30 else ""))
        if summary.purged_message():
            st.info(summary.purged_message())
        if summary.without_external_id:
            st.warning(f"{summary.without_external_id} rijen hebben geen external_id: bij "
                       "opnieuw importeren worden die dubbel aangemaakt.")
        with st.expander("Voorbeeld (eerste 20 rijen)"):
            st.dataframe(preview.sample, hide_index=True, width="stretch",
                         column_config=column_labels(list(preview.sample.columns)))
    reason = None
    confirm_reporters = False
    if preview.ok and preview.summary is not None \
            and preview.summary.needs_reporter_confirmation:
        new_reporters = preview.summary.new_reporters
        st.warning(f"Dit bestand maakt {len(new_reporters)} nieuwe melders aan, meer dan "
                   f"{preview.summary.new_reporter_limit}. Controleer de lijst: elke naam wordt "
                   "een sleutelfiguur van de wijken in zijn rijen.")
        st.dataframe({"Nieuwe melder": list(new_reporters)}, hide_index=True, width="stretch")
        confirm_reporters = st.checkbox(
            f"Ik bevestig dat deze {len(new_reporters)} melders als sleutelfiguur worden "
            "geregistreerd", key="import_reporters_ok")
    if preview.ok and not preview.personal_data.empty:
        st.warning("Mogelijk persoonsgegevens in vrije tekst. Haal ze weg uit het bestand, of "
                   "bevestig dat ze nodig zijn met een reden (dit wordt vastgelegd).")
        st.dataframe(preview.personal_data, hide_index=True, width="stretch", column_config={
            "rij": st.column_config.NumberColumn("Rij", width="small"),
            "kolom": st.column_config.TextColumn("Kolom"),
            "soort": st.column_config.TextColumn("Soort gegeven"),
            "waarde": st.column_config.TextColumn("Gevonden tekst", width="large")})
        if st.checkbox("Ik bevestig dat deze gegevens nodig zijn", key="import_pii_ok"):
            reason = st.text_input("Reden", key="import_pii_reason", max_chars=500)
    blocked = not preview.ok or (not preview.personal_data.empty and not reason) or (
        preview.summary is not None and preview.summary.needs_reporter_confirmation
        and not confirm_reporters)
    if st.button("Importeren", type="primary", disabled=blocked, key="import_go"):
        with st.status("Importeren...", expanded=True) as status:
            bar = st.progress(0.0)
            try:
                result = run_write(engine, lambda s: import_signals(
                    s, actor, upload.name, data, reason,
                    progress=lambda f, t: bar.progress(min(f, 1.0), t),
                    confirm_new_reporters=confirm_reporters))
            except DomainError as exc:
                status.update(label="Import mislukt; er is niets opgeslagen", state="error")
                show_error(exc)
            else:
                status.update(label="Import klaar", state="complete")
                st.session_state.pop("import_preview", None)
                st.success(f"Geïmporteerd uit {md_escape(upload.name)}: {result.created} nieuw, "
                           f"{result.updated} bijgewerkt, {result.unchanged} ongewijzigd, "
                           f"{len(result.new_reporters)} nieuwe melders.")
                if result.purged_message():
                    st.info(result.purged_message())

st.divider()
st.subheader("Signalen exporteren")
st.caption("Dezelfde kolommen als de import (CSV met ; en UTF-8, opent direct in Excel). "
           "Formules in cellen worden onschadelijk gemaakt. Elke export wordt vastgelegd.")
with read_session(engine) as session:
    wijken = {w.id: w.name for w in visible_wijken(session, actor)}
    themes = theme_choices(session)
flt = filter_widgets("export", wijken, themes)
export_buttons(engine, actor, flt, "export")
