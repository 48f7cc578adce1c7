"""Mijn meldingen: a key figure's own signals with their status; edit while still new."""

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.services.categories import theme_choices
from signals.services.intake import own_signal, own_signals, update_own_signal
from signals.services.wijken import visible_wijken
from signals.ui import signal_form as form
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

actor = require_page("mijn_meldingen")
engine = engine_or_stop()
st.title("Mijn meldingen")

with read_session(engine) as session:
    mine = own_signals(session, actor)
    wijken = [form.Wijkkeuze(w.id, w.name) for w in visible_wijken(session, actor)]
    themes = theme_choices(session)

if mine.empty:
    st.info("U heeft nog geen meldingen gedaan. Via 'Signaal melden' legt u een signaal vast.")
    st.stop()

answered = mine[mine["terugkoppeling"] != ""]
if not answered.empty:  # on a phone the table's last columns are far away: messages first
    with st.container(border=True):
        st.markdown("**Berichten van uw coördinator**")
        for r in answered.head(10).itertuples():
            st.text(f"{r.referentie} · {r.datum} · {r.status}\n{r.terugkoppeling}")

st.caption("Uw eigen meldingen, nieuwste eerst, met wat ermee gebeurd is en het bericht van "
           "de coördinator aan u. Zolang niemand een melding heeft opgepakt, kunt u hem nog "
           "aanpassen.")
# Status right after the reference: on a phone both fit without scrolling sideways.
st.dataframe(mine.drop(columns=["id"]), hide_index=True, width="stretch",
             column_order=["referentie", "status", "datum", "categorie", "wijk", "ernst",
                           "terugkoppeling", "beschrijving", "bewerkbaar"], column_config={
    "referentie": "Referentie", "datum": "Datum", "wijk": "Wijk", "categorie": "Categorie",
    "ernst": "Ernst", "status": "Status", "terugkoppeling": st.column_config.TextColumn(
        "Bericht van de coördinator", width="large"), "beschrijving": "Beschrijving",
    "bewerkbaar": st.column_config.CheckboxColumn("Aan te passen")})

editable = mine[mine["bewerkbaar"]]
labels = {int(r.id): f"{r.referentie} · {r.datum} · {r.categorie}" for r in editable.itertuples()}
if not labels:
    st.caption("Er zijn geen meldingen meer die u kunt aanpassen.")
    st.stop()

st.subheader("Melding aanpassen")
linked = st.query_params.get("melding", "")
if linked.isdigit() and int(linked) in labels and "mijn_keuze" not in st.session_state:
    st.session_state["mijn_keuze"] = int(linked)  # a reload reopens the signal being edited
chosen = st.selectbox("Kies een melding", list(labels), format_func=labels.__getitem__, index=None,
                      placeholder="Kies een melding met status Nieuw", key="mijn_keuze")
if chosen is None:
    st.query_params.pop("melding", None)
    st.stop()
st.query_params["melding"] = str(chosen)

prefix = f"bewerk_{chosen}"
version_key = f"{prefix}_version"
draft_target = form.DraftTarget(f"bewerken:{chosen}", actor)
if version_key not in st.session_state:
    with read_session(engine) as session:
        current = own_signal(session, actor, chosen)
    st.session_state[version_key] = current.version
    form.restore_draft(prefix, wijken, draft_target)
    form.initialise(prefix, wijken, current.draft)


def save(signal_id: int) -> None:
    draft = form.draft_from_state(prefix)
    saved = form.submit(prefix, lambda: run_write(engine, lambda s: update_own_signal(
        s, actor, signal_id, draft, st.session_state[version_key], form.confirmation(prefix))))
    if saved is not None:
        form.forget_draft(prefix, draft_target)
        st.session_state[version_key] = saved.version
        st.session_state.pop(f"{prefix}_pii", None)
        form.set_message(prefix, "success", [f"Wijzigingen in {saved.reference} opgeslagen."])


form.initialise(prefix, wijken)
form.render_draft_notice(prefix, draft_target)
form.render(prefix, wijken, themes, draft_target)
form.render_personal_data(prefix)
st.button("Wijzigingen opslaan", type="primary", on_click=save, args=(chosen,),
          width="stretch", icon=":material/save:")
form.render_message(prefix)
