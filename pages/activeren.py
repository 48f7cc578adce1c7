"""Account activeren: a new key figure sets their own password with a one-time code.

Reached without a login (app.py routes it for logged-out visitors only), usually from the
link the coordinator handed over, often on a phone.
"""

import streamlit as st

from signals.db.uow import run_write
from signals.errors import DomainError
from signals.navigation import LOGIN
from signals.services.activation import activate
from signals.services.users import MIN_PASSWORD_LENGTH
from signals.ui.feedback import show_error
from signals.ui.field_labels import labelled
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import NOTICE_KEY

CODE_KEY = "activatie_code"
LABELS = {"code": "Activatiecode", "new_password": "Nieuw wachtwoord",
          "repeat": "Herhaal wachtwoord"}

st.title("Account activeren")
st.caption("Kies uw eigen wachtwoord met de activatiecode van uw coördinator. De code werkt "
           "één keer en is 7 dagen geldig.")
linked = st.query_params.get("code", "")
if linked and CODE_KEY not in st.session_state:
    st.session_state[CODE_KEY] = linked[:40]
if linked:
    st.query_params.clear()  # the code does not stay in the address bar or the history

with st.form("activeren"):
    code = st.text_input("Activatiecode", key=CODE_KEY, max_chars=40,
                         placeholder="ABCD-EFGH-JKLM-NPQR", autocomplete="one-time-code")
    new = st.text_input("Nieuw wachtwoord", type="password", max_chars=256,
                        autocomplete="new-password",
                        help=f"Minstens {MIN_PASSWORD_LENGTH} tekens; een zin van een paar "
                             "woorden werkt goed.")
    repeat = st.text_input("Herhaal wachtwoord", type="password", max_chars=256,
                           autocomplete="new-password")
    submitted = st.form_submit_button("Wachtwoord instellen", type="primary", width="stretch")

if submitted:
    try:
        username = run_write(engine_or_stop(), lambda s: activate(s, code, new, repeat))
    except DomainError as exc:
        show_error(labelled(exc, LABELS))
    else:
        st.session_state.pop(CODE_KEY, None)
        st.session_state[NOTICE_KEY] = (f"Uw account is geactiveerd. Log in met gebruikersnaam "
                                        f"{md_escape(username)} en uw nieuwe wachtwoord.")
        st.switch_page(LOGIN.script)

st.page_link(LOGIN.script, label="Ik heb al een wachtwoord: inloggen", icon=":material/login:")
