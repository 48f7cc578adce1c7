"""Signaal melden: a key figure logs what they saw, or that nothing special happened."""

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.services.categories import theme_choices
from signals.services.intake import create_signal, own_nul_meldingen
from signals.services.wijken import visible_wijken
from signals.ui import signal_form as form
from signals.ui.nul_melding import nul_melding_row, show_messages
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

PREFIX = "melden"
actor = require_page("melden")
engine = engine_or_stop()
with read_session(engine) as session:
    wijken = [form.Wijkkeuze(w.id, w.name) for w in visible_wijken(session, actor)]
    themes = theme_choices(session)

st.title("Signaal melden")
if not wijken:
    st.info("U bent nog niet aan een wijk gekoppeld. Vraag uw coördinator om u toe te voegen.")
    st.stop()

st.subheader("Niets bijzonders deze week?")
with read_session(engine) as session:
    done = own_nul_meldingen(session, actor)
show_messages()
for wijk in wijken:
    nul_melding_row(engine, actor, wijk.id, wijk.name, done.get(wijk.id))
st.divider()

st.subheader("Nieuw signaal")
st.caption("Velden met * zijn verplicht. Beschrijf wat er speelt, niet wie.")


DRAFT = form.DraftTarget("melden", actor)


def save() -> None:
    draft = form.draft_from_state(PREFIX)
    saved = form.submit(PREFIX, lambda: run_write(engine, lambda s: create_signal(
        s, actor, draft, form.confirmation(PREFIX))))
    if saved is not None:
        form.forget_draft(PREFIX, DRAFT)
        form.reset(PREFIX)
        form.set_message(PREFIX, "success", [f"Opgeslagen. Uw referentienummer is "
                                             f"{saved.reference}."])


form.restore_draft(PREFIX, wijken, DRAFT)
form.initialise(PREFIX, wijken)
form.render_draft_notice(PREFIX, DRAFT)
form.render(PREFIX, wijken, themes, DRAFT)
form.render_personal_data(PREFIX)
st.button("Signaal opslaan", type="primary", on_click=save, width="stretch",
          icon=":material/send:")
form.render_message(PREFIX)
