"""Netwerk: the key-figure network per wijk; coordinators manage their own, managers see
counts only."""

import streamlit as st

from signals.db.uow import read_session
from signals.domain import Role
from signals.services.dashboard import scope_wijken
from signals.services.network import monthly_summary, network_counts, network_overview
from signals.ui import network_forms, network_view
from signals.ui.resources import engine_or_stop
from signals.ui.session import require_page

actor = require_page("netwerk")
engine = engine_or_stop()
st.title("Netwerk")

if actor.role is Role.MANAGER:
    st.caption("Het netwerk van sleutelfiguren per wijk, in aantallen. Aantallen onder de 5 "
               "tonen we als '<5'; personen ziet u hier nooit.")
    with read_session(engine) as session:
        network_view.manager_table(network_counts(session, actor))
    st.stop()

with read_session(engine) as session:
    overview = network_overview(session, actor)
    summary = monthly_summary(session, actor, current=overview)
    scope = scope_wijken(session, actor)
wijken = dict(zip(scope["wijk_code"], scope["wijk_naam"], strict=True))
if not wijken:
    st.info("U heeft nog geen wijken. Een beheerder kan wijken aan u toewijzen.")
    st.stop()

where = "alle wijken" if actor.sees_all_wijken else "uw wijken"
st.caption(f"Sleutelfiguren in {where}: wie er zijn, welke rollen ontbreken en wie nog "
           "meldt. Meldpercentages gaan over volle weken, tot en met vorige week.")
network_view.overview_metrics(overview)
network_view.summary(summary)

st.subheader("Per wijk", anchor=False)
network_view.wijk_table(overview)

st.subheader("Per sleutelfiguur", anchor=False)
only = st.selectbox("Wijk", [None, *wijken], key="netwerk_filter",
                    format_func=lambda c: "Alle wijken" if c is None else wijken[c])
network_view.key_figure_table(overview, only)

st.subheader("Netwerk beheren", anchor=False)
add_tab, manage_tab, mix_tab = st.tabs(["Sleutelfiguur toevoegen", "Verplaatsen of stoppen",
                                        "Gewenste mix"])
with add_tab:
    network_forms.add_form(engine, actor, wijken)
with manage_tab:
    network_forms.manage_form(engine, actor, sorted(overview.key_figures["username"]), wijken)
with mix_tab:
    network_forms.mix_form(engine, actor, wijken)
# Right below the forms, where the coordinator clicked: a rerun keeps the scroll position.
network_forms.show_issued_code()
if actor.role is Role.BEHEERDER:
    with st.expander("Instellingen (beheerder)"):
        network_forms.settings_form(engine, actor)
