"""The Wijkprofiel's actions: the list of the period, logging a new one, marking one done."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from signals.db.uow import read_session, run_write
from signals.domain import ACTION_STATUSES, PHASES
from signals.errors import DomainError
from signals.localtime import today_local
from signals.services.action_types import action_type_labels
from signals.services.actions import (
    MAX_DESCRIPTION,
    ActionInput,
    decision_choices,
    log_action,
    set_action_status,
)
from signals.services.actor import Actor
from signals.ui.feedback import flash, save_and_rerun, show_error, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.session import optional_actor

NO_DECISION = 0
ERROR_KEY = "_actie_fout"


def action_table(actions: pd.DataFrame, key: str = "acties_tabel") -> None:
    """The actions as a table; descriptions are stored text, shown as plain cells."""
    view = pd.DataFrame({
        "datum": [f"{pd.Timestamp(d):%d-%m-%Y}" for d in actions["action_date"]],
        "type": actions["type_label"],
        "status": [ACTION_STATUSES.get(s, s) for s in actions["status"]],
        "omschrijving": actions["description"].fillna("(opgeschoond)"),
        "fase": [f"{int(p)} {PHASES[int(p)].name}" for p in actions["phase"]],
        "door": actions["created_by"].fillna(""),
    })
    st.dataframe(view.iloc[::-1], hide_index=True, key=key, column_config={
        "datum": "Datum", "type": "Type", "status": "Status", "fase": "Fase bij vastleggen",
        "omschrijving": st.column_config.TextColumn("Omschrijving", width="large"),
        "door": "Door"})


def action_panel(actor: Actor, wijk_code: str, actions: pd.DataFrame,
                 week_decision: int | None) -> None:
    """List, log and complete the wijk's actions (coordinators of the wijk, beheerders)."""
    engine = engine_or_stop()
    show_flash()
    left, right = st.columns([3, 2], gap="medium")
    with left:
        if actions.empty:
            st.caption("In deze periode zijn voor deze wijk nog geen acties vastgelegd.")
        else:
            action_table(actions)
            _complete(engine, actor, actions)
    with read_session(engine) as session:
        types = action_type_labels(session)
        decisions = decision_choices(session, actor, wijk_code)
    with right, st.form("actie_vastleggen", border=True):
        st.markdown("**Actie vastleggen**")
        if isinstance(error := st.session_state.pop(ERROR_KEY, None), DomainError):
            show_error(error)
        st.selectbox("Type actie", list(types), format_func=types.get, key="actie_type")
        st.date_input("Datum", value=today_local(), format="DD-MM-YYYY", key="actie_datum")
        st.segmented_control("Status", list(ACTION_STATUSES), default="uitgevoerd",
                             format_func=ACTION_STATUSES.get, required=True,
                             key="actie_status")
        options = [NO_DECISION, *decisions]
        default = options.index(week_decision) if week_decision in decisions else 0
        # Keyed on the week's decision: a decision just recorded becomes the default.
        decision_key = f"actie_besluit_{week_decision or NO_DECISION}"
        st.selectbox("Volgt uit fasebesluit", options, index=default,
                     format_func=lambda d: decisions.get(d, "(geen)"), key=decision_key)
        st.text_area("Korte omschrijving (geen namen of andere persoonsgegevens)",
                     max_chars=MAX_DESCRIPTION, key="actie_omschrijving",
                     placeholder="Bijvoorbeeld: gesprek met jongerenwerk en wijkagent over de "
                                 "oproep; extra surveillance vrijdagavond.")
        st.form_submit_button("Actie vastleggen", type="primary", icon=":material/add_task:",
                              on_click=_submit, args=(wijk_code, decision_key))


def _submit(wijk_code: str, decision_key: str) -> None:
    """Store the action; on success clear the text, on failure keep everything typed."""
    actor = optional_actor()  # re-read: the account may have changed since the form was drawn
    if actor is None:
        st.session_state[ERROR_KEY] = DomainError("U bent uitgelogd; log opnieuw in.")
        return
    state = st.session_state
    draft = ActionInput(wijk_code, state["actie_type"], state["actie_datum"],
                        state["actie_status"], state["actie_omschrijving"],
                        state[decision_key] or None)
    try:
        run_write(engine_or_stop(), lambda s: log_action(s, actor, draft))
    except DomainError as exc:
        state[ERROR_KEY] = exc
        return
    state["actie_omschrijving"] = ""
    flash("De actie is vastgelegd.")


def _complete(engine, actor: Actor, actions: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    planned = actions[(actions["status"] == "gepland")
                      & (actions["action_date"] <= today_local())]
    if planned.empty:
        return
    labels = {int(r.id): f"{pd.Timestamp(r.action_date):%d-%m-%Y} · {r.type_label}"
              for r in planned.itertuples()}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        chosen = st.selectbox("Geplande actie", list(labels), format_func=labels.get,
                              key="actie_afronden")
        if st.button("Markeer als uitgevoerd", key="actie_afronden_knop"):
            save_and_rerun(engine, lambda s: set_action_status(s, actor, chosen, "uitgevoerd"),
                           "De actie staat op uitgevoerd.")
