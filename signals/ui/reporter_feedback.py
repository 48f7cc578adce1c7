"""The duiding page's box for the message to the reporter (terugkoppeling).

Apart from the assessment form on purpose: the note there is internal, this text is read
by the key figure who reported the signal (in Mijn meldingen) and by nobody else.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services.actor import Actor
from signals.services.signal_feedback import MAX_LENGTH, feedback_message, save_feedback
from signals.ui.feedback import show_error
from signals.ui.field_labels import labelled

LABELS = {"feedback": "Bericht aan de melder"}
EXAMPLE = "Dank, besproken in het kernteam."


def reporter_feedback_form(engine: Engine, actor: Actor, signal_id: int) -> None:
    with read_session(engine) as session:
        current = feedback_message(session, actor, signal_id)
    saved_key = f"_feedback_saved_{signal_id}"
    with st.form(f"terugkoppeling_{signal_id}"):
        st.markdown("**Bericht aan de melder** (optioneel)")
        st.caption("De melder ziet dit bericht bij de melding in 'Mijn meldingen', samen met "
                   "de status. Anderen zien het niet. Geen namen of andere persoonsgegevens.")
        text = st.text_area("Bericht aan de melder", value=current, max_chars=MAX_LENGTH,
                            placeholder=EXAMPLE, label_visibility="collapsed",
                            key=f"terugkoppeling_tekst_{signal_id}")
        submitted = st.form_submit_button("Bericht opslaan")
    saved = st.session_state.pop(saved_key, None)
    if saved is not None:
        st.success("Bericht aan de melder opgeslagen." if saved else
                   "Het bericht was al zo opgeslagen; er is niets gewijzigd.")
    if submitted:
        try:
            changed = run_write(engine, lambda s: save_feedback(s, actor, signal_id, text))
        except DomainError as exc:
            show_error(labelled(exc, LABELS))
        else:
            st.session_state[saved_key] = changed
            st.rerun()
