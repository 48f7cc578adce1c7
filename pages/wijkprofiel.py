"""Wijkprofiel: one wijk's weekly trend, this week's signals, what to do, the decision, and
the actions taken."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from signals.db.uow import read_session
from signals.domain import AUDIENCES, NAFASE_ACTIONS, NAFASE_LABEL, PHASES
from signals.localtime import monday_of, today_local
from signals.navigation import script
from signals.services.dashboard import MAX_PROFILE_WEEKS, profile_period, week_caption
from signals.services.network import key_figure_counts
from signals.services.phase_communication import communication_texts
from signals.ui import cached
from signals.ui.action_panel import action_panel
from signals.ui.decision_form import decision_form
from signals.ui.dossier_button import dossier_button
from signals.ui.evaluation_form import evaluation_prompt
from signals.ui.network_gap import network_gap_notice
from signals.ui.phase_badges import flag_badges, phase_badge, phase_label
from signals.ui.polarisation_view import polarisation_view
from signals.ui.profile_tables import decision_table, signal_table, stack_frame
from signals.ui.resources import engine_or_stop
from signals.ui.rules_text import rules_explanation_lines
from signals.ui.safe import md_escape
from signals.ui.session import require_page
from signals.ui.share import copy_link
from signals.ui.trend_chart import wijk_trend_figure

PERIODS = {"12 weken": 12, "26 weken": 26, "52 weken": 52, "Aangepast": None}
SYNCED_KEY = "_wijkprofiel_wijk"

actor = require_page("wijkprofiel")

st.title("Wijkprofiel")
version = cached.current_version(actor)
wijken = cached.scope_wijken(actor, version)
if wijken.empty:
    st.info("U heeft nog geen wijken. Een beheerder kan wijken aan u toewijzen.")
    st.stop()
names = dict(zip(wijken["wijk_code"], wijken["wijk_naam"], strict=True))
requested = st.query_params.get("wijk")
if requested and requested not in names:
    st.warning("Die wijk bestaat niet of valt buiten uw wijken; kies hieronder een wijk.")
elif requested and st.session_state.get(SYNCED_KEY) != requested:
    st.session_state["wijk"] = requested  # arrived through a link: ?wijk=WK...

this_monday = monday_of()
# The period control gets the room for its four options ("Aangepast" was cut off); the
# dates of a custom period go under it.
pick_wijk, pick_period, pick_week = st.columns([3, 5, 2], vertical_alignment="bottom")
code = pick_wijk.selectbox("Wijk", list(names), key="wijk",
                           format_func=lambda c: f"{names[c]} ({c})")
st.session_state[SYNCED_KEY] = code
if requested != code:
    st.query_params["wijk"] = code  # the URL always names the wijk on screen
copy_link("wijkprofiel", {"wijk": code})
choice = pick_period.segmented_control("Periode", list(PERIODS), default="12 weken",
                                       required=True, key="periode")
if PERIODS[choice] is None:
    picked = pick_period.date_input(
        "Van en tot", value=(this_monday - timedelta(weeks=11), this_monday),
        max_value=this_monday + timedelta(days=6), format="DD-MM-YYYY", key="periode_eigen")
    if not isinstance(picked, tuple) or len(picked) != 2:
        st.info("Kies een begin- en een einddatum.")
        st.stop()
    period = profile_period(*picked)
    first, last = period.first, period.last
    if period.shortened:
        st.caption(f"De periode is ingekort tot {MAX_PROFILE_WEEKS} weken.")
else:
    first, last = this_monday - timedelta(weeks=PERIODS[choice] - 1), this_monday

with st.spinner("Trend van de wijk laden…"):
    trend, themes, category_labels = cached.profile(actor, version, code, first, last)
week = pick_week.selectbox("Week in beeld", list(trend["week"])[::-1], key="week_in_beeld",
                           format_func=lambda w: f"week {int(w[-2:])} ({w[:4]})")
row = trend[trend["week"] == week].iloc[0]
monday: date = pd.Timestamp(row["week_start"]).date()
blind = row["visibility"] == "onvoldoende"
effective = int(row["effective_phase"])

st.subheader(f"{md_escape(names[code])} · {week_caption(monday)}", anchor=False)
with st.container(horizontal=True, vertical_alignment="center"):
    phase_badge(effective, blind, prefix="Effectief: ")
    flag_badges(bool(row["nafase"]), blind)
    decided = ("nog geen besluit" if pd.isna(row["decided_phase"])
               else f"besluit fase {int(row['decided_phase'])} door "
                    f"{md_escape(row['decided_by'] or 'onbekend')}")
    st.caption(f"Voorstel fase {int(row['phase'])} · {decided}")

with read_session(engine_or_stop()) as session:
    network_gap_notice(key_figure_counts(session, actor), code)

metrics = st.container(horizontal=True)
previous = trend[trend["week_start"] < row["week_start"]].tail(1)
previous_n = int(previous["n_signals"].iloc[0]) if len(previous) else 0
change = int(row["n_signals"]) - previous_n
metrics.metric("Signalen", int(row["n_signals"]), delta=change or None, delta_color="off",
               border=True, help=f"De week ervoor: {previous_n}.")
metrics.metric("Gewogen score", f"{row['score']:.1f}".replace(".", ","), border=True,
               help="Deze week plus een deel van vorige week.")
bound = "—" if pd.isna(row["upperbound"]) else f"{row['upperbound']:.1f}".replace(".", ",")
metrics.metric("Normaal tot", bound, border=True,
               help="Boven deze score is het duidelijk meer dan gebruikelijk voor deze wijk "
                    "(de EARS-bovengrens; zie 'Hoe is dit berekend?').")
rate = "—" if pd.isna(row["reporting_rate"]) else f"{row['reporting_rate']:.0%}"
metrics.metric("Meldingspercentage", rate, border=True,
               help=f"{int(row['reporters'])} van {int(row['expected'])} sleutelfiguren "
                    "meldden deze week iets of een nul-melding.")
timely = "—" if pd.isna(row["timeliness"]) else f"{row['timeliness']:.0%}"
metrics.metric("Tijdig gemeld", timely, border=True)

st.markdown(f"**Waarom dit voorstel:** {md_escape(row['reasons'])}")
with st.expander("Hoe is dit berekend?"):
    st.markdown("\n".join(f"- {md_escape(part)}" for part in str(row["details"]).split("; ")))
    st.caption("Algemene regels: " + " ".join(rules_explanation_lines()))
stack_by = st.segmented_control("Staven per", ["Categorie", "Thema"], default="Categorie",
                                required=True, key="staven_per")
stacks = stack_frame(trend, themes, category_labels, by_theme=stack_by == "Thema")
actions = cached.actions(actor, version, code, first, last + timedelta(days=6))
st.plotly_chart(wijk_trend_figure(trend, stacks, stack_by, actions), key="trend", theme=None,
                config={"displaylogo": False})
dossier_button(actor, code, first, last)

left, right = st.columns(2, gap="medium")
with left:
    phase = PHASES[effective]
    with st.container(border=True):
        st.markdown(f"**Handelingsperspectief · {phase_label(effective, blind)}**")
        st.markdown(phase.actions)
        if row["nafase"]:
            st.markdown(f"**{NAFASE_LABEL}:** {NAFASE_ACTIONS}")
        if blind:
            st.markdown("**Onvoldoende zicht:** neem contact op met de sleutelfiguren die niet "
                        "meldden; stilte betekent niet dat het rustig is.")
        with read_session(engine_or_stop()) as session:
            communication = communication_texts(session)[effective]
        st.markdown("**Communicatie in deze fase**")
        st.markdown("\n".join(f"- **{label}:** {md_escape(communication[audience])}"
                              for audience, label in AUDIENCES.items()))
    st.markdown("**Eerdere besluiten**")
    history = cached.decisions(actor, version, code)
    if history.empty:
        st.caption("Voor deze wijk is nog geen fasebesluit vastgelegd.")
    else:
        decision_table(history)
with right:
    decision_form(code, row)

ended = cached.pending(actor, version, code, today_local())
if ended is not None:
    evaluation_prompt(actor, ended)

st.subheader("Acties in deze periode", anchor=False)
action_panel(actor, code, actions,
             None if pd.isna(row["decision_id"]) else int(row["decision_id"]))

with st.expander("Polarisatie in deze periode (horizontaal, verticaal, beide)"):
    polarisation_view(cached.polarisation(actor, version, code, first, last),
                      [str(w) for w in trend["week"]])

st.subheader(f"Signalen in week {int(week[-2:])}", anchor=False)
signals = cached.week_signals(actor, version, code, monday)
if signals.empty:
    st.caption("Geen signalen (nul-meldingen niet meegeteld) in deze week.")
else:
    chosen = signal_table(signals, selectable=True)
    st.caption("Klik op een rij om naar de duiding te gaan (of zoek daar op de referentie).")
    if chosen is not None:
        st.switch_page(script("duiding"), query_params={"signaal": str(chosen)})
