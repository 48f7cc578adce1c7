"""Beheer · Bewaartermijn: the retention period, a preview, and the purge itself."""

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services import settings
from signals.services.retention import purge
from signals.ui.feedback import flash, show_error, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

actor = require_page("beheer_bewaren")
engine = engine_or_stop()
st.title("Bewaartermijn")
show_flash()
st.caption("Na de bewaartermijn worden van een signaal de omschrijving, de koppeling met de "
           "melder en vrije tekst in de historie verwijderd. De categorie, wijk, week, ernst "
           "en het rol type van de melder blijven, net als de weekcijfers en fasebesluiten. "
           "Plan `python -m signals purge` ook als nachtelijke taak.")

with read_session(engine) as session:
    months = settings.retention_settings(session).months
    preview = purge(session, actor, dry_run=True)

low, high, label = settings.RETENTION_LIMITS["months"]
with st.form("bewaartermijn"):
    new_months = st.number_input(label, low, high, value=months, step=1)
    if st.form_submit_button("Bewaartermijn opslaan"):
        try:
            run_write(engine, lambda s: settings.update_retention(s, actor, int(new_months)))
        except DomainError as exc:
            show_error(exc)
        else:
            flash(f"De bewaartermijn is nu {int(new_months)} maanden.")
            st.rerun()

st.subheader("Opschonen")
st.write(f"Signalen waargenomen vóór **{preview.cutoff:%d-%m-%Y}** vallen buiten de "
         f"bewaartermijn van {preview.months} maanden.")
st.dataframe({
    "Wat": ["Signalen nog op te schonen", "Met omschrijving", "Met koppeling aan een melder",
            "Historieregels met vrije tekst of auteur",
            "Auditregels over signalen met gebruikersnaam",
            "Acties met omschrijving of auteur", "Risicomomenten met plaats, onderwerp of auteur"],
    "Aantal": [preview.signals, preview.descriptions, preview.reporter_links,
               preview.history_notes, preview.audit_events, preview.actions,
               preview.risk_moments],
}, hide_index=True)
if preview.signals or preview.audit_events or preview.actions or preview.risk_moments:
    confirmed = st.checkbox("Ik begrijp dat dit niet ongedaan kan worden gemaakt.")
    if st.button("Nu opschonen", type="primary", disabled=not confirmed):
        try:
            result = run_write(engine, lambda s: purge(s, actor))
        except DomainError as exc:
            show_error(exc)
        else:
            flash(f"Opgeschoond: {result.signals} signalen ({result.descriptions} "
                  f"omschrijvingen, {result.reporter_links} koppelingen met melders); "
                  f"{result.audit_events} auditregels zonder gebruikersnaam; "
                  f"{result.actions} acties en {result.risk_moments} risicomomenten.")
            st.rerun()
else:
    st.success("Er is niets op te schonen.")
