"""The Wijkprofiel's request for an evaluation once a nafase has ended."""

from __future__ import annotations

import streamlit as st

from signals.services.actor import Actor
from signals.services.dashboard import week_caption
from signals.services.evaluations import MAX_TEXT, EndedNafase, record_evaluation
from signals.ui.action_panel import action_table
from signals.ui.feedback import save_and_rerun
from signals.ui.resources import engine_or_stop


def evaluation_prompt(actor: Actor, ended: EndedNafase) -> None:
    """Show what is known (computed) and ask the three questions."""
    with st.container(border=True):
        st.markdown("**Evaluatie gevraagd: de nafase is afgelopen** "
                    f"(t/m {week_caption(ended.nafase_end)})")
        if ended.escalation_week is not None:
            st.caption(f"Escalatie in {week_caption(ended.escalation_week)}; het voorstel stond "
                       f"{ended.lead_weeks} weken daarvoor al op fase 2 of hoger.")
        if ended.actions.empty:
            st.caption("Er zijn in deze periode geen acties vastgelegd.")
        else:
            st.caption("Vastgelegde acties in deze periode:")
            action_table(ended.actions, key="evaluatie_acties")
        with st.form("evaluatie", border=False):
            first = st.text_area("Wat signaleerde het eerst?", max_chars=MAX_TEXT,
                                 key="evaluatie_eerste")
            keep = st.text_area("Wat willen we behouden?", max_chars=MAX_TEXT,
                                key="evaluatie_behouden")
            change = st.text_area("Wat willen we veranderen?", max_chars=MAX_TEXT,
                                  key="evaluatie_veranderen")
            st.caption("Geen namen of andere persoonsgegevens. De evaluatie staat daarna in "
                       "Terugblik als eigen les van de gemeente.")
            if st.form_submit_button("Evaluatie vastleggen", type="primary"):
                save_and_rerun(engine_or_stop(), lambda s: record_evaluation(
                    s, actor, ended.wijk_code, ended.nafase_end, first, keep, change),
                    "De evaluatie is vastgelegd; u vindt haar in Terugblik.")
