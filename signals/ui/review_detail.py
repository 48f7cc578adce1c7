"""One signal in the Duiding page: its facts, and the assessment form with its outcomes."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from signals.db.uow import run_write
from signals.domain import (
    NUL_MELDING,
    PLATFORMS,
    POLARISATIONS,
    REACHES,
    RELIABILITIES,
    SOURCES,
    STATUS_LABELS,
    THEMES,
    Status,
)
from signals.errors import ConflictError, DomainError
from signals.services.actor import Actor
from signals.services.pii import PersonalDataError, PiiConfirmation
from signals.services.review import SignalDetail, assess, assessment_from_form, status_choices
from signals.services.signal_draft import dutch_date
from signals.ui.feedback import show_error
from signals.ui.safe import md_escape

NOTE_KEY = "duiding_note"
CLEAR_NOTE = "_duiding_clear_note"


def facts_table(detail: SignalDetail) -> None:
    facts = [
        ("Status", STATUS_LABELS[Status(detail.status)]),
        ("Datum waargenomen", dutch_date(detail.observed_on)),
        ("Gemeld door", detail.reporter),
        ("Ernst", str(detail.severity)),
        ("Betrouwbaarheid", RELIABILITIES.get(detail.reliability, detail.reliability)),
        ("Bereik", REACHES.get(detail.reach, detail.reach)),
        ("Bron", SOURCES.get(detail.source, detail.source)),
        ("Online", ("ja, " + PLATFORMS.get(detail.platform or "", "platform onbekend"))
         if detail.online else "nee"),
        ("Polarisatie", POLARISATIONS.get(detail.polarisation, detail.polarisation)),
        ("Thema's", ", ".join(THEMES.get(t, t) for t in detail.themes) or "-"),
        ("Subtype", detail.subtype or "-"),
    ]
    if detail.action_date or detail.action_place:
        facts += [("Actiedatum", dutch_date(detail.action_date) if detail.action_date else "-"),
                  ("Actieplek", detail.action_place or "-")]
    st.dataframe(pd.DataFrame(facts, columns=["Veld", "Waarde"]), hide_index=True,
                 width="stretch", height=(len(facts) + 1) * 35 + 3)  # every fact, no scrolling


def assessment_form(engine: Engine, actor: Actor, detail: SignalDetail, seen: int) -> None:
    """Status, severity, reliability and a note; on success the note box starts empty."""
    if st.session_state.pop(CLEAR_NOTE, False):
        st.session_state[NOTE_KEY] = ""
    with st.form("duiding_beoordeling"):
        new_status = st.selectbox("Nieuwe status", status_choices(detail),
                                  format_func=lambda s: STATUS_LABELS[Status(s)])
        severity = st.slider("Ernst", 1, 5, value=max(1, detail.severity),
                             disabled=detail.category == NUL_MELDING)
        reliability = st.selectbox("Betrouwbaarheid", list(RELIABILITIES),
                                   index=list(RELIABILITIES).index(detail.reliability),
                                   format_func=RELIABILITIES.__getitem__)
        note = st.text_area("Toelichting (verplicht bij aanpassen van ernst of betrouwbaarheid)",
                            max_chars=2000, key=NOTE_KEY)
        pii_shown = st.session_state.get("duiding_pii")
        pii_ok, pii_reason = False, ""
        if pii_shown:
            st.warning("Mogelijk persoonsgegevens in de toelichting: "
                       + md_escape(", ".join(f"{label} '{value}'" for label, value in pii_shown))
                       + ". Haal ze weg, of bevestig met een reden.")
            pii_ok = st.checkbox("Ik bevestig dat deze gegevens nodig zijn")
            pii_reason = st.text_input("Reden")
        submitted = st.form_submit_button("Beoordeling opslaan", type="primary")
    if not submitted:
        return
    change = assessment_from_form(detail, new_status, severity, reliability, note)
    confirmation = None
    if pii_shown and pii_ok:
        confirmation = PiiConfirmation(pii_reason, frozenset(v for _, v in pii_shown))
    try:
        version = run_write(engine, lambda s: assess(s, actor, detail.id, seen, change,
                                                     confirmation))
    except PersonalDataError as exc:
        st.session_state["duiding_pii"] = [(m.label, m.value) for ms in exc.found.values()
                                           for m in ms]
        st.rerun()
    except ConflictError as exc:
        st.error(md_escape(exc))
    except DomainError as exc:
        show_error(exc)
    else:
        st.session_state["duiding_seen_version"] = version
        st.session_state.pop("duiding_pii", None)
        st.session_state[CLEAR_NOTE] = True
        st.session_state["duiding_message"] = f"Beoordeling van {detail.reference} opgeslagen."
        st.rerun()
