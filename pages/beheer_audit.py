"""Beheer · Auditlog: filter by period, user and action; export as CSV (itself audited)."""

from datetime import timedelta

import streamlit as st

from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.localtime import today_local
from signals.services.audit_log import (
    AuditFilter,
    audit_actions,
    audit_usernames,
    export_audit_csv,
    query_audit,
)
from signals.ui.audit_labels import action_label, object_label
from signals.ui.feedback import show_error
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

EXPORT_KEY = "_audit_export"
ALL = "(alle)"

actor = require_page("beheer_audit")
engine = engine_or_stop()
st.title("Auditlog")
st.caption("Wie deed wat en wanneer: inloggen, inzage in signalen, exports, imports, "
           "statuswijzigingen, fasebesluiten, acties, risicomomenten, evaluaties, gebruikers, "
           "instellingen en opschonen. "
           "Het log kan niet gewijzigd worden en bevat nooit omschrijvingen.")

with read_session(engine) as session:
    names = audit_usernames(session, actor)
    actions = audit_actions(session, actor)

left, middle, right = st.columns(3)
today = today_local()
period = left.date_input("Periode", value=(today - timedelta(days=30), today),
                         format="DD-MM-YYYY", max_value=today)
who = middle.selectbox("Gebruiker", [ALL, *names])
what = right.selectbox("Actie", [ALL, *actions],
                       format_func=lambda a: a if a == ALL else action_label(a))
first, last = (period[0], period[-1]) if isinstance(period, tuple) and period else (None, None)
filters = AuditFilter(first, last, None if who == ALL else who, None if what == ALL else what)

with read_session(engine) as session:
    events = query_audit(session, actor, filters)
st.caption(f"{len(events)} gebeurtenissen (nieuwste eerst, hoogstens 10.000).")
# Dutch words on screen; the CSV export keeps the codes.
shown = events.assign(actie=events["actie"].map(action_label),
                      object_type=events["object_type"].map(lambda o: object_label(o) if o else ""))
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    "tijdstip": st.column_config.DatetimeColumn("Tijdstip", format="DD-MM-YYYY HH:mm:ss"),
    "gebruiker": st.column_config.TextColumn("Gebruiker"),
    "actie": st.column_config.TextColumn("Actie"),
    "object_type": st.column_config.TextColumn("Object"),
    "object_id": st.column_config.TextColumn("Id"),
    "details": st.column_config.TextColumn("Details"),
})

if st.button("Export voorbereiden (CSV)"):
    try:
        data = run_write(engine, lambda s: export_audit_csv(s, actor, filters))
    except DomainError as exc:
        show_error(exc)
    else:
        st.session_state[EXPORT_KEY] = (filters, data)
prepared = st.session_state.get(EXPORT_KEY)
if isinstance(prepared, tuple) and prepared[0] == filters:  # never a stale selection
    st.download_button("Download auditlog.csv", prepared[1], file_name="auditlog.csv",
                       mime="text/csv", on_click="ignore")
