"""Risicokalender: upcoming moments per wijk or gemeente, and entering them."""

import streamlit as st

from signals.localtime import today_local
from signals.ui import cached
from signals.ui.feedback import show_flash
from signals.ui.risk_calendar_view import moment_form, moments_table, remove_form
from signals.ui.session import require_page

DAYS = 90

actor = require_page("risicokalender")
st.title("Risicokalender")
st.caption("Momenten die felle reacties kunnen oproepen: een raadsbesluit over een gevoelig "
           "onderwerp, een informatieavond, een aangekondigde demonstratie, een "
           "kalendermoment of de actiedatum van een oproep. Een moment in de komende 14 "
           "dagen staat in het Overzicht en bij de redenen van het fasevoorstel.")
show_flash()
version = cached.current_version(actor)
wijken = cached.scope_wijken(actor, version)
if wijken.empty:
    st.info("U heeft nog geen wijken. Een beheerder kan wijken aan u toewijzen.")
    st.stop()
moments = cached.moments(actor, version, today_local(), DAYS)
st.subheader(f"De komende {DAYS} dagen", anchor=False)
if moments.empty:
    st.caption("Er staan nog geen momenten op de kalender.")
else:
    moments_table(moments)
    remove_form(actor, moments)
moment_form(actor, wijken)
