"""Beheer · Faseregels: edit the rules (TOML), validate, review the diff, then save."""

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services import rules_config
from signals.services.rules_config import RulesError
from signals.ui.feedback import flash, show_error, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

EDITOR_KEY = "rules_editor"

actor = require_page("beheer_regels")
engine = engine_or_stop()
st.title("Faseregels")
show_flash()

with read_session(engine) as session:
    current = rules_config.current_rules_text(session)
    overridden = rules_config.is_overridden(session)

st.caption("Alle drempels en gewichten van het fasevoorstel (zie docs/phase-rules.md). "
           + ("U ziet de door een beheerder opgeslagen versie." if overridden else
              "U ziet de standaardregels (data/rules.toml)."))
text = st.text_area("Faseregels (TOML)", value=current, height=520, key=EDITOR_KEY)
diff = rules_config.rules_diff(current, text)

if not diff:
    st.info("Geen wijzigingen ten opzichte van de regels die nu gelden.")
else:
    st.subheader("Wijzigingen")
    st.code(diff, language="diff")
    try:
        rules_config.validate_rules_text(text)
    except RulesError as exc:
        st.error(f"De regels zijn ongeldig ({len(exc.problems)} probleem/problemen); ze worden "
                 "niet opgeslagen.")
        st.code("\n".join(f"- {p}" for p in exc.problems), language=None)
    else:
        st.success("De regels zijn geldig.")
        checked = st.checkbox("Ik heb de wijzigingen hierboven gecontroleerd.")
        if st.button("Regels opslaan", type="primary", disabled=not checked):
            try:
                with st.spinner("Regels opslaan en weekcijfers herberekenen..."):
                    result = run_write(engine, lambda s: rules_config.save_rules_text(
                        s, actor, text))
            except (DomainError, RulesError) as exc:
                show_error(exc)
            else:
                message = "De faseregels zijn opgeslagen en gelden direct."
                if result.aggregates_affected:
                    message += (" De score- of signaalinstellingen zijn gewijzigd; de "
                                "opgeslagen weekcijfers zijn opnieuw berekend.")
                flash(message)
                st.rerun()

if overridden:
    st.divider()
    if st.button("Standaardregels herstellen"):
        try:
            run_write(engine, lambda s: rules_config.reset_to_default(s, actor))
        except DomainError as exc:
            show_error(exc)
        else:
            st.session_state.pop(EDITOR_KEY, None)
            flash("De standaardregels (data/rules.toml) gelden weer.")
            st.rerun()
