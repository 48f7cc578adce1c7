"""Login page, shown to everyone who is not logged in."""

import streamlit as st

from signals.ui.safe import md_escape
from signals.ui.session import NOTICE_KEY, login, login_with_email, sso_configured, sso_email

st.title("Wijksignalen")
st.caption("Vroegsignalering van maatschappelijke onrust: inloggen")
notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.info(notice)

with st.form("login"):
    username = st.text_input("Gebruikersnaam", autocomplete="username", max_chars=80)
    password = st.text_input("Wachtwoord", type="password", autocomplete="current-password",
                             max_chars=256)
    submitted = st.form_submit_button("Inloggen", type="primary")

if submitted:
    error = login(username, password)
    if error:
        st.error(error)
    else:
        st.rerun()

if sso_configured():
    st.divider()
    email = sso_email()
    if email is None:
        if st.button("Inloggen met uw organisatie-account", icon=":material/badge:"):
            st.login()
    else:
        st.write(f"Aangemeld bij uw organisatie als {md_escape(email)}.")
        left, right = st.columns(2)
        if left.button("Doorgaan naar Wijksignalen", type="primary"):
            error = login_with_email(email)
            if error:
                st.error(error)
            else:
                st.rerun()
        if right.button("Afmelden bij organisatie"):
            st.logout()
