"""The phase decision form of the Wijkprofiel (rule 12, the BOB routine).

The decision id the user saw is bound into the submit callback when the form is drawn,
so a decision someone else recorded in the meantime raises ConflictError instead of being
silently replaced.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from signals.db.uow import run_write
from signals.domain import PHASES
from signals.errors import ConflictError, DomainError, ValidationError
from signals.services.phases import MIN_REASON_LENGTH, record_decision
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import optional_actor

FEEDBACK_KEY = "_fasebesluit_feedback"
FIELD_LABELS = {"fase": "Fase", "reden": "Reden", "week": "Week"}


def _submit(wijk_code: str, week: date, seen: int | None, form_key: str) -> None:
    actor = optional_actor()  # re-read: the account may have changed since the form was drawn
    if actor is None:
        st.session_state[FEEDBACK_KEY] = ("error", "U bent uitgelogd; log opnieuw in.")
        return
    phase = st.session_state[f"{form_key}_fase"]
    reason = st.session_state[f"{form_key}_reden"]
    try:
        result = run_write(engine_or_stop(), lambda session: record_decision(
            session, actor, wijk_code, week, int(phase), reason, seen))
    except ValidationError as exc:
        lines = [f"{FIELD_LABELS.get(e.field, e.field)}: {e.message}" for e in exc.errors]
        st.session_state[FEEDBACK_KEY] = ("error", "Het besluit is niet vastgelegd.\n\n- "
                                          + "\n- ".join(md_escape(x) for x in lines))
        return
    except ConflictError as exc:
        st.session_state[FEEDBACK_KEY] = ("warning", md_escape(str(exc)))
        return
    except DomainError as exc:
        st.session_state[FEEDBACK_KEY] = ("error", md_escape(str(exc)))
        return
    st.session_state[f"{form_key}_reden"] = ""
    st.session_state[FEEDBACK_KEY] = (
        "success", f"Besluit vastgelegd voor week {int(result.week[-2:])}: fase "
                   f"{result.decided_phase} {PHASES[result.decided_phase].name} "
                   f"(voorstel was fase {result.proposed_phase}).")


def show_feedback() -> None:
    feedback = st.session_state.pop(FEEDBACK_KEY, None)
    if feedback is None:
        return
    kind, message = feedback
    {"error": st.error, "warning": st.warning, "success": st.success}[kind](message)


def decision_form(wijk_code: str, row: pd.Series) -> None:
    """Confirm or override the proposal of one wijk-week (`row` from the phase table)."""
    week = pd.Timestamp(row["week_start"]).date()
    proposed = int(row["phase"])
    seen = None if pd.isna(row["decision_id"]) else int(row["decision_id"])
    form_key = f"besluit_{wijk_code}_{row['week']}"
    show_feedback()
    with st.form(form_key, border=True):
        st.markdown(f"**Fasebesluit week {int(str(row['week'])[-2:])}** · voorstel: fase "
                    f"{proposed} {PHASES[proposed].name}")
        current = proposed if seen is None else int(row["decided_phase"])
        st.selectbox("Fase", options=[p.level for p in PHASES], index=current,
                     format_func=lambda p: f"{p} · {PHASES[p].name}"
                     + (" (voorstel)" if p == proposed else ""), key=f"{form_key}_fase")
        st.text_area("Reden (verplicht: beeld, oordeel, besluit)", key=f"{form_key}_reden",
                     placeholder="Bijvoorbeeld: oproep geverifieerd met de wijkagent; "
                                 "driehoek geïnformeerd.",
                     help=f"Minstens {MIN_REASON_LENGTH} tekens.", max_chars=2000)
        st.form_submit_button("Besluit vastleggen", type="primary", on_click=_submit,
                              args=(wijk_code, week, seen, form_key),
                              icon=":material/gavel:")
