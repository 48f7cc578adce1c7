"""Beheer · Categorieën en thema's: labels and default severity; themes add and (de)activate;
the types of actions coordinators log."""

import pandas as pd
import streamlit as st

from signals.db.uow import read_session
from signals.domain import AUDIENCES, PHASES
from signals.services import categories
from signals.services.action_types import action_type_labels, save_action_type
from signals.services.phase_communication import MAX_TEXT, communication_texts, save_communication
from signals.ui.feedback import save_and_rerun, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import require_page

actor = require_page("beheer_categorieen")
engine = engine_or_stop()
st.title("Categorieën en thema's")
show_flash()

with read_session(engine) as session:
    category_table = categories.list_categories(session)
    theme_table = categories.list_themes(session)
    action_types = action_type_labels(session)
    communication = communication_texts(session)


def attempt(work, message: str) -> None:  # type: ignore[no-untyped-def]
    save_and_rerun(engine, work, message)


st.subheader("Categorieën")
st.caption("De codes liggen vast (de faseregels gebruiken ze); label en standaardernst "
           "(0-5) kunt u aanpassen. Nieuwe signalen krijgen de nieuwe standaardernst.")
st.dataframe(category_table, hide_index=True, width="stretch", column_config={
    "code": st.column_config.TextColumn("Code"),
    "label": st.column_config.TextColumn("Label"),
    "standaard_ernst": st.column_config.NumberColumn("Standaard ernst"),
    "actief": st.column_config.CheckboxColumn("Actief"),
})
labels = dict(zip(category_table["code"], category_table["label"], strict=True))
severities = dict(zip(category_table["code"], category_table["standaard_ernst"], strict=True))
code = st.selectbox("Categorie", list(labels), key="categorie",
                    format_func=lambda c: f"{labels[c]} ({c})")
with st.form("categorie_wijzigen"):
    label = st.text_input("Label", value=labels.get(code, ""), max_chars=100)
    severity = st.number_input("Standaard ernst", 0, 5, value=int(severities.get(code, 0)),
                               step=1)
    if st.form_submit_button("Categorie opslaan") and code:
        attempt(lambda s: categories.update_category(s, actor, code, label, int(severity)),
                f"Categorie {md_escape(label.strip() or code)} is opgeslagen.")

st.subheader("Thema's")
st.dataframe(theme_table, hide_index=True, width="stretch", column_config={
    "code": st.column_config.TextColumn("Code"),
    "label": st.column_config.TextColumn("Label"),
    "actief": st.column_config.CheckboxColumn("Actief"),
})
add_tab, state_tab = st.tabs(["Thema toevoegen", "Thema aan- of uitzetten"])
with add_tab, st.form("thema_toevoegen", clear_on_submit=True):
    theme_code = st.text_input("Code", max_chars=40,
                               help="kleine letters, cijfers en _, bijvoorbeeld windmolens")
    theme_label = st.text_input("Label", max_chars=100)
    if st.form_submit_button("Thema toevoegen"):
        attempt(lambda s: categories.add_theme(s, actor, theme_code, theme_label),
                f"Thema {md_escape(theme_label.strip())} is toegevoegd.")
with state_tab:
    active = dict(zip(theme_table["code"], theme_table["actief"], strict=True))
    theme_names = dict(zip(theme_table["code"], theme_table["label"], strict=True))
    theme = st.selectbox("Thema", list(active), key="thema",
                         format_func=lambda t: f"{theme_names[t]} ({t})")
    st.caption("Een uitgezet thema blijft bij bestaande signalen staan, maar kan niet meer "
               "gekozen worden.")
    if theme and st.button("Uitzetten" if active[theme] else "Aanzetten"):
        attempt(lambda s: categories.set_theme_active(s, actor, theme, not active[theme]),
                f"Thema {md_escape(theme_names[theme])} is "
                f"{'uitgezet' if active[theme] else 'aangezet'}.")

st.subheader("Soorten acties")
st.caption("De soorten acties die coördinatoren per wijk vastleggen, met het "
           "handelingsperspectief als start. Een label kunt u aanpassen; een soort verwijderen "
           "kan niet, zodat vastgelegde acties hun naam houden.")
st.dataframe(pd.DataFrame({"code": list(action_types), "label": list(action_types.values())}),
             hide_index=True, width="stretch", key="actiesoorten",
             column_config={"code": "Code", "label": "Label"})
with st.form("actiesoort_opslaan", clear_on_submit=True):
    type_code = st.text_input("Code", max_chars=40, help="een bestaande code om het label te "
                              "wijzigen, of een nieuwe: kleine letters, cijfers en _")
    type_label = st.text_input("Label", max_chars=60)
    if st.form_submit_button("Soort actie opslaan"):
        attempt(lambda s: save_action_type(s, actor, type_code, type_label),
                f"Soort actie {md_escape(type_code.strip())} is opgeslagen.")

st.subheader("Communicatie per fase")
st.caption("Wat de gemeente per fase communiceert naar bewoners, het netwerk van "
           "sleutelfiguren en de lokale politiek. Het wijkprofiel toont deze teksten bij het "
           "fasevoorstel. Een lege tekst zet de standaardtekst terug.")
left, right = st.columns(2)
level = left.selectbox("Fase", [p.level for p in PHASES], key="communicatie_fase",
                       format_func=lambda p: f"{p} · {PHASES[p].name}")
audience = right.selectbox("Doelgroep", list(AUDIENCES), format_func=AUDIENCES.get,
                           key="communicatie_doelgroep")
with st.form(f"communicatie_{level}_{audience}"):
    text = st.text_area("Tekst", value=communication[level][audience], max_chars=MAX_TEXT)
    if st.form_submit_button("Tekst opslaan"):
        attempt(lambda s: save_communication(s, actor, level, audience, text),
                "De communicatietekst is opgeslagen.")
