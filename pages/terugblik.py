"""Terugblik: how the proposed phases compared with the coordinators' decisions and history."""

import streamlit as st

from signals.db.uow import read_session
from signals.errors import DomainError
from signals.services.evaluations import evaluations
from signals.services.terugblik import period_text, terugblik
from signals.ui.feedback import show_error
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page
from signals.ui.terugblik_view import show_lessons, show_metrics, show_tables

PERIODS = {"26 weken": 26, "52 weken": 52, "104 weken": 104}

actor = require_page("terugblik")

st.title("Terugblik")
st.caption("Hoe de voorgestelde fasen zich verhielden tot de besluiten van coördinatoren en tot "
           "wat er gebeurde. Zo ziet u of het voorstel te vertrouwen is.")
choice = st.segmented_control("Periode", list(PERIODS), default="52 weken", required=True,
                              key="terugblik_periode")
try:
    with read_session(engine_or_stop()) as session, st.spinner("Terugblik berekenen..."):
        result = terugblik(session, actor, PERIODS[choice])
        lessons = evaluations(session, actor)
except DomainError as exc:
    show_error(exc)
    st.stop()

st.caption(f"{period_text(result)} · {result.n_wijken} wijken. Het voorstel is berekend met de "
           "faseregels die nu gelden.")
show_metrics(result)
show_tables(result)
show_lessons(lessons)
