"""The risicokalender's table and entry form (Risicokalender page, Overzicht)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from signals.db.uow import read_session
from signals.domain import RISK_KINDS
from signals.localtime import today_local
from signals.services.actor import Actor
from signals.services.categories import list_themes
from signals.services.risk_calendar import MAX_TEXT, MomentInput, add_moment, remove_moment
from signals.ui.feedback import save_and_rerun
from signals.ui.resources import engine_or_stop

WHOLE = ""  # the wijk choice for a whole-gemeente moment
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
PHASE_COLUMN = "fase"


def moments_table(moments: pd.DataFrame, phases: dict[str, str] | None = None,
                  key: str = "momenten") -> None:
    """Stored text (place, subject) in plain dataframe cells; `phases`: wijk code -> label."""
    view = pd.DataFrame({
        "datum": [f"{WEEKDAYS[pd.Timestamp(d).weekday()]} {pd.Timestamp(d):%d-%m-%Y}"
                  for d in moments["moment_date"]],
        "soort": moments["kind_label"],
        "wijk": moments["wijk_naam"],
        "thema": moments["theme"],
        "plaats": moments["place"],
        "onderwerp": moments["subject"],
        "gemeld": [{True: "ja", False: "nee"}.get(n, "") for n in moments["notified"]],
    })
    config = {"datum": "Datum", "soort": "Soort", "wijk": "Wijk", "thema": "Thema",
              "plaats": "Plaats", "onderwerp": st.column_config.TextColumn("Onderwerp",
                                                                          width="medium"),
              "gemeld": st.column_config.TextColumn(
                  "Aangemeld", help="Alleen bij een aangekondigde demonstratie: is die "
                                    "aangemeld bij de gemeente?")}
    if phases is not None:
        view.insert(3, PHASE_COLUMN, [phases.get(c, "") if c else "" for c in
                                      moments["wijk_code"]])
        config[PHASE_COLUMN] = "Fase van de wijk"
    st.dataframe(view, hide_index=True, key=key, column_config=config)


def moment_form(actor: Actor, wijken: pd.DataFrame) -> None:
    """Enter a moment for one of the actor's wijken or for the whole gemeente."""
    engine = engine_or_stop()
    with read_session(engine) as session:
        themes = list_themes(session, active_only=True)
    theme_labels = dict(zip(themes["code"], themes["label"], strict=True))
    names = dict(zip(wijken["wijk_code"], wijken["wijk_naam"], strict=True))
    gemeenten = sorted({g for g in wijken["gemeente"] if g})
    with st.form("moment_toevoegen", border=True):
        st.markdown("**Moment toevoegen**")
        left, right = st.columns(2)
        day = left.date_input("Datum", value=today_local(), format="DD-MM-YYYY",
                              key="moment_datum")
        kind = right.selectbox("Soort", list(RISK_KINDS), format_func=RISK_KINDS.get,
                               key="moment_soort")
        wijk = left.selectbox("Wijk", [WHOLE, *names], key="moment_wijk",
                              format_func=lambda c: names.get(c, "Hele gemeente"),
                              help="Een moment voor de hele gemeente geldt voor al haar wijken."
                                   + (f" Gemeente: {gemeenten[0]}." if len(gemeenten) == 1
                                      else ""))
        theme = right.selectbox("Thema", [None, *theme_labels], key="moment_thema",
                                format_func=lambda c: "(geen)" if c is None
                                else theme_labels[c])
        place = left.text_input("Plaats", max_chars=MAX_TEXT, key="moment_plaats",
                                placeholder="Bijvoorbeeld: Stationsplein")
        subject = right.text_input("Onderwerp", max_chars=MAX_TEXT, key="moment_onderwerp",
                                   placeholder="Bijvoorbeeld: raadsvergadering over het azc")
        notified = st.checkbox("Demonstratie is aangemeld bij de gemeente",
                               key="moment_aangemeld",
                               help="Alleen van belang bij een aangekondigde demonstratie.")
        st.caption("Geen namen of andere persoonsgegevens. Een geverifieerde oproep met een "
                   "actiedatum komt vanzelf op de kalender.")
        if st.form_submit_button("Moment toevoegen", type="primary",
                                 icon=":material/event_available:"):
            draft = MomentInput(day, kind, wijk or None, theme, place, subject,
                                notified if kind == "demonstratie" else None)
            save_and_rerun(engine, lambda s: add_moment(s, actor, draft),
                           "Het moment staat op de kalender.")


def remove_form(actor: Actor, moments: pd.DataFrame) -> None:
    own = moments[moments["id"].notna()]
    if own.empty:
        return
    labels = {int(m.id): f"{pd.Timestamp(m.moment_date):%d-%m-%Y} · {m.kind_label} · "
                         f"{m.wijk_naam}" for m in own.itertuples()}
    with st.expander("Een moment verwijderen"):
        chosen = st.selectbox("Moment", list(labels), format_func=labels.get,
                              key="moment_weg")
        if st.button("Verwijderen", key="moment_weg_knop"):
            save_and_rerun(engine_or_stop(), lambda s: remove_moment(s, actor, chosen),
                           "Het moment is van de kalender gehaald.")
