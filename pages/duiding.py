"""Duiding: coordinators weigh the new and open signals of their wijken."""

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.domain import CATEGORY_BY_CODE
from signals.errors import DomainError
from signals.services.review import (
    link_candidates,
    link_signals,
    review_queue,
    signal_detail,
    unlink_signals,
)
from signals.services.signal_draft import load_vocabulary, parse_reference, reference
from signals.services.wijken import visible_wijken
from signals.ui.feedback import save_and_rerun, show_error, show_flash
from signals.ui.reporter_feedback import reporter_feedback_form
from signals.ui.resources import engine_or_stop
from signals.ui.review_detail import assessment_form, facts_table
from signals.ui.review_queue import (
    overdue_legend,
    page_request,
    pager,
    queue_filters,
    queue_table,
)
from signals.ui.safe import md_escape
from signals.ui.session import require_page
from signals.ui.share import copy_link
from signals.ui.signal_filters import export_buttons

actor = require_page("duiding")
engine = engine_or_stop()
with read_session(engine) as session:
    wijken = {w.id: w.name for w in visible_wijken(session, actor)}
    themes = sorted(load_vocabulary(session).themes)

st.title("Duiding")
show_flash()
flt, sort = queue_filters(engine, actor, wijken, themes)
page, page_size = page_request()
with read_session(engine) as session:
    queue = review_queue(session, actor, flt, sort, page, page_size)
clicked = queue_table(queue)
pager(queue)
overdue_legend(queue)
with st.expander("Exporteren (precies deze filter)"):
    export_buttons(engine, actor, flt, "duiding")

# --- detail -------------------------------------------------------------------------------
st.subheader("Melding beoordelen")
linked = st.query_params.get("signaal", "")
if linked.isdigit() and st.session_state.get("duiding_linked") != linked:
    # Opened from a link (wijkprofiel ?signaal=ID): prefill once, then the user's choice wins.
    st.session_state["duiding_linked"] = linked
    st.session_state["duiding_ref"] = reference(int(linked))
if clicked is not None:  # a click in the table wins over a typed reference
    st.session_state["duiding_open"] = clicked
    st.session_state["duiding_ref"] = ""
typed = st.text_input("Open een melding met een klik op de rij hierboven, of typ het "
                      "referentienummer", key="duiding_ref", placeholder="WS-000123")
signal_id = parse_reference(typed) if typed.strip() else st.session_state.get("duiding_open")
message = st.session_state.pop("duiding_message", None)
if message:
    st.success(message)
if typed.strip() and signal_id is None:
    st.error("Dat is geen referentienummer; gebruik de vorm WS-000123.")
if signal_id is None:
    st.caption("Nog geen melding geopend.")
    st.stop()

first_view = st.session_state.get("duiding_viewed") != signal_id
try:
    if first_view:
        detail = run_write(engine, lambda s: signal_detail(s, actor, signal_id))
        st.session_state["duiding_viewed"] = signal_id
        st.session_state["duiding_seen_version"] = detail.version
    else:
        with read_session(engine) as session:
            detail = signal_detail(session, actor, signal_id, record_view=False)
except DomainError as exc:
    show_error(exc)
    st.stop()
if st.query_params.get("signaal") != str(signal_id):
    # The URL names the open signal, so a reload or a shared link opens it again.
    st.session_state["duiding_linked"] = str(signal_id)
    st.query_params["signaal"] = str(signal_id)
copy_link("duiding", {"signaal": str(signal_id)})

seen = st.session_state.get("duiding_seen_version", detail.version)
if seen != detail.version:
    st.warning("Deze melding is gewijzigd sinds u hem opende. Laad de nieuwe versie voordat "
               "u iets aanpast.")
    if st.button("Nieuwe versie laden", key="duiding_reload"):
        st.session_state["duiding_seen_version"] = detail.version
        st.session_state.pop("duiding_message", None)
        st.rerun()

category = CATEGORY_BY_CODE.get(detail.category)
st.markdown(f"**{detail.reference}** · {md_escape(category.label if category else detail.category)}"
            f" · {md_escape(detail.wijk_name)} · versie {detail.version}")
facts_table(detail)
st.caption("Beschrijving")
st.text(detail.description or "(geen beschrijving)")
assessment_form(engine, actor, detail, seen)
reporter_feedback_form(engine, actor, detail.id)

st.subheader("Gekoppelde meldingen")
if detail.links.empty:
    st.caption("Nog geen gekoppelde meldingen.")
else:
    st.dataframe(detail.links.drop(columns=["id"]), hide_index=True, width="stretch")
with read_session(engine) as session:
    candidates = link_candidates(session, actor, detail.id)
link_col, unlink_col = st.columns(2)
with link_col:
    options = dict(zip(candidates["id"], candidates["label"], strict=True))
    other = st.selectbox("Koppel aan", list(options), format_func=options.__getitem__, index=None,
                         placeholder="Kies een melding uit dezelfde wijk", key="duiding_link")
    if st.button("Koppelen", disabled=other is None, key="duiding_link_button"):
        save_and_rerun(engine, lambda s: link_signals(s, actor, detail.id, int(other)))
with unlink_col:
    linked = dict(zip(detail.links["id"], detail.links["referentie"], strict=True))
    if linked:
        gone = st.selectbox("Ontkoppel", list(linked), format_func=linked.__getitem__, index=None,
                            key="duiding_unlink", placeholder="Kies een koppeling")
        if st.button("Ontkoppelen", disabled=gone is None, key="duiding_unlink_button"):
            save_and_rerun(engine, lambda s: unlink_signals(s, actor, detail.id, int(gone)))

st.subheader("Geschiedenis")
st.dataframe(detail.history, hide_index=True, width="stretch")
