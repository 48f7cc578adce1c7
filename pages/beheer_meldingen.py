"""Beheer · Meldingen (outbox): queued, sent and failed alerts (retry), and who gets what."""

import streamlit as st

from signals.db.uow import read_session
from signals.domain import ROLE_LABELS
from signals.services.alert_channels import smtp_settings, webhook_configured
from signals.services.alert_outbox import (
    FAILED,
    STATUS_LABELS,
    outbox_rows,
    retry,
    status_counts,
)
from signals.services.alert_subscriptions import (
    alert_overview,
    role_defaults,
    update_role_defaults,
)
from signals.services.alert_types import ALERT_TYPES, MODES
from signals.ui.feedback import save_and_rerun, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

actor = require_page("beheer_meldingen")
engine = engine_or_stop()
st.title("Meldingen (outbox)")
show_flash()
if smtp_settings() is None:
    st.warning("E-mail is niet ingesteld: meldingen blijven in de wachtrij. Stel de mailserver "
               "in met WIJKSIGNALEN_SMTP_HOST (en _PORT, _USER, _PASSWORD, _FROM) of met "
               "[smtp] in .streamlit/secrets.toml, en laat `python -m signals notify` draaien.")
st.caption("Webhook: " + ("ingesteld." if webhook_configured() else "niet ingesteld."))

with read_session(engine) as session:
    counts = status_counts(session, actor)
for column, (code, label) in zip(st.columns(len(STATUS_LABELS)), STATUS_LABELS.items(),
                                 strict=True):
    column.metric(label, counts[code])

labels = {"": "Alle", **STATUS_LABELS}
chosen = st.selectbox("Status", list(labels), format_func=labels.__getitem__)
with read_session(engine) as session:
    rows = outbox_rows(session, actor, chosen or None)
if rows.empty:
    st.caption("Geen meldingen met deze status.")
else:
    st.dataframe(rows, hide_index=True, column_config={
        "id": "Nr.", "aangemaakt": "Aangemaakt", "melding": "Melding", "wijk_code": "Wijk",
        "ontvanger": "Ontvanger", "kanaal": "Kanaal", "status": "Status",
        "pogingen": "Pogingen", "volgende_poging": "Volgende poging", "verzonden": "Verzonden",
        "fout": "Fout"})

failed = rows[rows["status"] == STATUS_LABELS[FAILED]]["id"].tolist()
if failed:
    with st.form("opnieuw"):
        pick = st.selectbox("Mislukte melding", failed)
        if st.form_submit_button("Opnieuw proberen"):
            save_and_rerun(engine, lambda s: retry(s, actor, int(pick)),
                           f"Melding {pick} staat weer in de wachtrij.")

st.subheader("Wie ontvangt wat")
with read_session(engine) as session:
    overview = alert_overview(session, actor)
    defaults = role_defaults(session)
st.dataframe(overview, hide_index=True, column_config={
    "gebruiker": "Gebruiker", "rol": "Rol", "melding": "Melding", "wanneer": "Wanneer",
    "wijken": "Wijken", "adres": "Adres ingesteld", "eigen_keuze": "Eigen keuze"})

with st.expander("Standaard per rol"), st.form("standaard"):
    st.caption("Geldt voor wie in Mijn account zelf nog niets koos.")
    picked: dict[str, dict[str, str]] = {}
    modes = list(MODES)
    for code, kind in ALERT_TYPES.items():
        for role in sorted(kind.roles):
            picked.setdefault(code, {})[role.value] = st.selectbox(
                f"{kind.label} · {ROLE_LABELS[role]}", modes,
                index=modes.index(defaults[code][role]), format_func=MODES.__getitem__,
                key=f"standaard_{code}_{role.value}")
    if st.form_submit_button("Standaarden opslaan"):
        save_and_rerun(engine, lambda s: update_role_defaults(s, actor, picked),
                       "De standaarden zijn opgeslagen.")
