"""Mijn account · Meldingen: the user's alert address and, per alert type, when and where."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from signals.db.uow import read_session
from signals.services.actor import Actor
from signals.services.alert_channels import smtp_settings
from signals.services.alert_subscriptions import my_alerts, save_my_alerts
from signals.services.alert_types import MODES, WIJK_TYPES
from signals.services.wijken import visible_wijken
from signals.ui.feedback import save_and_rerun

NOT_CONFIGURED = ("E-mail is op deze server (nog) niet ingesteld. Uw keuzes worden bewaard; "
                  "meldingen worden verstuurd zodra de beheerder e-mail instelt.")


def alert_preferences(engine: Engine, actor: Actor) -> None:
    st.subheader("Meldingen")
    st.caption("Kies welke meldingen u per e-mail krijgt, voor welke van uw wijken, en of u "
               "ze direct of als dagelijks overzicht (08:00) ontvangt. Meldingen bevatten de "
               "wijk, de fase en de redenen, nooit omschrijvingen of namen van melders. De "
               "link in een melding opent na het inloggen.")
    if smtp_settings() is None:
        st.info(NOT_CONFIGURED)
    with read_session(engine) as session:
        address, choices = my_alerts(session, actor)
        wijken = {w.code: w.name for w in visible_wijken(session, actor)}
    picked: dict[str, tuple[str, list[str] | None]] = {}
    with st.form("meldingen"):
        email = st.text_input("E-mailadres voor meldingen", value=address, max_chars=254,
                              help="Leeg: u krijgt geen meldingen.")
        for choice in choices:
            modes = list(MODES)
            mode = st.selectbox(choice.label, modes, index=modes.index(choice.mode),
                                format_func=MODES.__getitem__, key=f"melding_{choice.alert_type}")
            codes: list[str] | None = None
            if choice.alert_type in WIJK_TYPES:
                codes = st.multiselect(
                    "Alleen voor deze wijken (leeg: al uw wijken)", list(wijken),
                    default=[c for c in choice.wijk_codes or () if c in wijken],
                    format_func=lambda c: f"{wijken[c]} ({c})",
                    key=f"wijken_{choice.alert_type}") or None
            picked[choice.alert_type] = (mode, codes)
        submitted = st.form_submit_button("Meldingen opslaan")
    if submitted:
        save_and_rerun(engine, lambda s: save_my_alerts(s, actor, email, picked),
                       "Uw meldingen zijn opgeslagen.")
