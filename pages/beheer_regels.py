"""Beheer · Faseregels: a Dutch form for every setting, a what-if on the last 52 weeks, then save.

Experts can still export and import the rules as TOML (second tab).
"""

from typing import Any

import pandas as pd
import streamlit as st

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services import rules_config, settings
from signals.services.rules_config import (
    LABELS,
    SECTION_TITLES,
    RulesError,
    label_of,
    range_text,
)
from signals.services.terugblik import DEFAULT_WEEKS, what_if
from signals.ui.feedback import flash, show_error, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page
from signals.ui.terugblik_view import comparison

EDITOR_KEY = "rules_editor"
FIELD_PREFIX = "regel:"
WHAT_IF_KEY = "_rules_what_if"

actor = require_page("beheer_regels")
engine = engine_or_stop()
st.title("Faseregels")
show_flash()

with read_session(engine) as session:
    current_text = rules_config.current_rules_text(session)
    overridden = rules_config.is_overridden(session)
    current = rules_config.load_rules(session)

st.caption("Alle drempels en gewichten van het fasevoorstel (zie docs/phase-rules.md). "
           + ("U ziet de door een beheerder opgeslagen versie." if overridden else
              "U ziet de standaardregels."))


def _nl(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _field(path: str, value: Any) -> Any:
    spec = LABELS[path]
    key = FIELD_PREFIX + path
    help_text = spec.help + (f" Toegestaan: {range_text(path)}." if range_text(path) else "")
    if isinstance(value, bool):
        return st.toggle(spec.label, value=value, key=key, help=help_text)
    if isinstance(value, str):
        options = ["C1", "C2", "C3"]
        return st.selectbox(spec.label, options, index=options.index(value), key=key,
                            help=help_text)
    bounds = {} if spec.open_range else {"min_value": spec.low, "max_value": spec.high}
    if isinstance(value, int):
        bounds = {k: None if v is None else int(v) for k, v in bounds.items()}
        return st.number_input(spec.label, value=value, step=1, key=key, help=help_text,
                               **bounds)
    bounds = {k: None if v is None else float(v) for k, v in bounds.items()}
    # As many decimals as the step has (0.0001 needs 4), so a small alpha never shows as 0.
    digits = max(2, len(f"{spec.step:g}".partition(".")[2]))
    return st.number_input(spec.label, value=float(value), step=float(spec.step), key=key,
                           help=help_text, format=f"%.{digits}f", **bounds)


def _form(values: dict[str, Any]) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    sections: dict[str, list[str]] = {}
    for path in values:
        sections.setdefault(path.split(".", 1)[0], []).append(path)
    for section, paths in sections.items():
        with st.expander(SECTION_TITLES.get(section, section), expanded=section == "phase2"):
            for start in range(0, len(paths), 2):  # row by row, so a phone keeps the order
                for column, path in zip(st.columns(2), paths[start:start + 2], strict=False):
                    with column:
                        chosen[path] = _field(path, values[path])
    return chosen


def _save(rules) -> None:  # type: ignore[no-untyped-def]
    try:
        with st.spinner("Regels opslaan en weekcijfers herberekenen..."):
            result = run_write(engine, lambda s: rules_config.save_rules(s, actor, rules))
    except (DomainError, RulesError) as exc:
        show_error(exc)
        return
    message = "De faseregels zijn opgeslagen en gelden direct."
    if result.aggregates_affected:
        message += " De opgeslagen weekcijfers zijn opnieuw berekend."
    st.session_state.pop(WHAT_IF_KEY, None)
    flash(message)
    st.rerun()


form_tab, review_tab, toml_tab = st.tabs(["Instellingen", "Duiding", "TOML (voor experts)"])

with form_tab:
    chosen = _form(rules_config.form_values(current))
    try:
        proposed = rules_config.rules_from_form(chosen)
    except RulesError as exc:
        proposed = None
        st.error("De instellingen zijn ongeldig en worden niet opgeslagen:")
        st.markdown("\n".join(f"- {p}" for p in exc.problems))
    changes = rules_config.changed_settings(current, proposed) if proposed else []
    if proposed is not None and not changes:
        st.info("Geen wijzigingen ten opzichte van de regels die nu gelden.")
    elif proposed is not None:
        st.subheader("Wijzigingen", anchor=False)
        st.dataframe(pd.DataFrame(
            [(label_of(p), _nl(old), _nl(new)) for p, old, new in changes],
            columns=["Instelling", "Nu", "Nieuw"]), hide_index=True)
        st.subheader(f"Effect op de afgelopen {DEFAULT_WEEKS} weken", anchor=False)
        st.caption("De Terugblik-cijfers onder de huidige en de voorgestelde regels, op dezelfde "
                   "geschiedenis. Wijzigingen van de score of de meldingen worden pas na "
                   "opslaan doorgerekend in de weekcijfers.")
        key = tuple(changes)
        if st.button("Effect berekenen", icon=":material/query_stats:"):
            with read_session(engine) as session, st.spinner("Terugblik berekenen..."):
                now, then = what_if(session, actor, proposed)
            st.session_state[WHAT_IF_KEY] = (key, comparison(now, then))
        stored = st.session_state.get(WHAT_IF_KEY)
        if stored and stored[0] == key:
            st.dataframe(stored[1], hide_index=True)
        checked = st.checkbox("Ik heb de wijzigingen en hun effect gecontroleerd.",
                              key="regels_gecontroleerd")
        if st.button("Regels opslaan", type="primary", disabled=not checked, key="form_opslaan"):
            _save(proposed)

with review_tab, st.form("duiding_termijn"):
    with read_session(engine) as session:
        overdue_days = settings.review_settings(session).overdue_days
    low, high, label = settings.REVIEW_LIMITS["overdue_days"]
    days = st.number_input(label, low, high, value=overdue_days, step=1)
    st.caption("Een melding die nog op Nieuw of In duiding staat en langer dan dit aantal dagen "
               "geleden gemeld is, valt op in de Duiding-lijst.")
    if st.form_submit_button("Termijn opslaan"):
        try:
            run_write(engine, lambda s: settings.update_review(s, actor, int(days)))
        except DomainError as exc:
            show_error(exc)
        else:
            flash("De termijn voor de Duiding is opgeslagen.")
            st.rerun()

with toml_tab:
    st.download_button("TOML downloaden", current_text, file_name="faseregels.toml",
                       mime="application/toml", icon=":material/download:")
    text = st.text_area("Faseregels (TOML)", value=current_text, height=420, key=EDITOR_KEY)
    diff = rules_config.rules_diff(current_text, text)
    if not diff:
        st.info("Geen wijzigingen in de tekst.")
    else:
        st.code(diff, language="diff")
        try:
            rules_config.validate_rules_text(text)
        except RulesError as exc:
            st.error(f"De regels zijn ongeldig ({len(exc.problems)} probleem/problemen); ze "
                     "worden niet opgeslagen.")
            st.code("\n".join(f"- {p}" for p in exc.problems), language=None)
        else:
            st.success("De regels zijn geldig.")
            checked = st.checkbox("Ik heb de wijzigingen hierboven gecontroleerd.",
                                  key="toml_gecontroleerd")
            if st.button("TOML opslaan", type="primary", disabled=not checked):
                try:
                    with st.spinner("Regels opslaan en weekcijfers herberekenen..."):
                        result = run_write(engine, lambda s: rules_config.save_rules_text(
                            s, actor, text))
                except (DomainError, RulesError) as exc:
                    show_error(exc)
                else:
                    flash("De faseregels zijn opgeslagen en gelden direct.")
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
            for k in [k for k in st.session_state if str(k).startswith(FIELD_PREFIX)]:
                st.session_state.pop(k, None)
            flash("De standaardregels gelden weer.")
            st.rerun()
