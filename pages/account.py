"""Mijn account: who you are, your wijken, your own password, and your alerts."""

import streamlit as st

from signals.db.uow import read_session
from signals.domain import ROLE_LABELS
from signals.errors import DomainError
from signals.services.users import MIN_PASSWORD_LENGTH, change_own_password
from signals.services.wijken import visible_wijken
from signals.ui.alert_settings import alert_preferences
from signals.ui.feedback import show_error, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import refresh_login, require_page

actor = require_page("account")
engine = engine_or_stop()
st.title("Mijn account")
show_flash()
st.write(f"Gebruikersnaam: **{md_escape(actor.username)}** · Rol: "
         f"**{ROLE_LABELS[actor.role]}**")

if actor.sees_all_wijken:
    st.caption("U ziet alle wijken.")
else:
    with read_session(engine) as session:
        mine = [(w.code, w.name) for w in visible_wijken(session, actor)]
    st.caption("Uw wijken:")
    st.dataframe({"Wijkcode": [c for c, _ in mine], "Wijk": [n for _, n in mine]},
                 hide_index=True)

st.subheader("Wachtwoord wijzigen")
with st.form("wachtwoord", clear_on_submit=True):
    current = st.text_input("Huidig wachtwoord", type="password",
                            autocomplete="current-password", max_chars=256)
    new = st.text_input("Nieuw wachtwoord", type="password", autocomplete="new-password",
                        max_chars=256)
    repeat = st.text_input("Herhaal nieuw wachtwoord", type="password",
                           autocomplete="new-password", max_chars=256)
    st.caption(f"Minstens {MIN_PASSWORD_LENGTH} tekens. Een zin van een paar woorden is "
               "sterk en goed te onthouden. Veelgebruikte wachtwoorden worden geweigerd.")
    submitted = st.form_submit_button("Wachtwoord wijzigen", type="primary")

if submitted:
    try:
        change_own_password(engine, actor, current, new, repeat)
    except DomainError as exc:
        show_error(exc)
    else:
        # A fresh session for this browser; with the cookie route the page reloads and the
        # query parameter brings the confirmation along.
        refresh_login(actor, "account?wachtwoord=gewijzigd")
        st.query_params["wachtwoord"] = "gewijzigd"
if st.query_params.get("wachtwoord") == "gewijzigd":
    st.success("Uw wachtwoord is gewijzigd. Andere sessies van uw account zijn beëindigd.")
    del st.query_params["wachtwoord"]  # shown once, not again on a reload

alert_preferences(engine, actor)
