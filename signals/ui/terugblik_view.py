"""Terugblik figures as Streamlit elements, shared by the Terugblik page and the rules what-if."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from signals.services.terugblik import Terugblik


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def nl(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}".replace(".", ",")


def headline(result: Terugblik) -> dict[str, str]:
    """The headline figures, as label -> text (also the rows of the what-if comparison)."""
    return {
        "Besluiten van coördinatoren": str(result.decisions),
        "Besluit gelijk aan voorstel": pct(result.agreement),
        "Besluit hoger dan voorstel": str(result.overrides_up),
        "Besluit lager dan voorstel": str(result.overrides_down),
        "Escalaties (fase 4)": str(len(result.lead_times)),
        "Weken vooraf fase ≥ 2 (mediaan)": nl(result.median_lead, 0),
        "Fase ≥ 2: weken per wijk-jaar": nl(result.per_year_phase2),
        "Fase ≥ 3: weken per wijk-jaar": nl(result.per_year_phase3),
    }


def show_metrics(result: Terugblik) -> None:
    figures = list(headline(result).items())
    for row in (figures[:4], figures[4:]):
        for column, (label, value) in zip(st.columns(len(row)), row, strict=True):
            column.metric(label, value, border=True)


def show_tables(result: Terugblik) -> None:
    st.subheader("Voorstel en besluit per fase", anchor=False)
    st.dataframe(result.per_phase, hide_index=True, column_config={
        "voorgestelde_fase": st.column_config.NumberColumn("Voorgestelde fase", format="%d"),
        "fase_naam": "Fase", "besluiten": "Besluiten", "gelijk": "Gelijk",
        "hoger": "Hoger", "lager": "Lager"})
    st.subheader("Escalaties: hoe vroeg kwam het voorstel?", anchor=False)
    if result.lead_times.empty:
        st.caption("Geen week met fase 4 in deze periode.")
    else:
        st.dataframe(result.lead_times.drop(columns=["wijk_code"]), hide_index=True,
                     column_config={"wijk_naam": "Wijk", "week": "Week met fase 4",
                                    "weken_vooraf": st.column_config.NumberColumn(
                                        "Weken eerder fase ≥ 2", format="%d")})
    st.subheader("Per wijk", anchor=False)
    st.dataframe(_wijk_view(result.per_wijk), hide_index=True, column_config={
        "wijk_naam": "Wijk", "besluiten": "Besluiten", "gelijk": "Gelijk", "hoger": "Hoger",
        "lager": "Lager", "weken_fase2": "Weken fase ≥ 2", "weken_fase3": "Weken fase ≥ 3",
        "per_jaar_fase2": st.column_config.NumberColumn("Fase ≥ 2 per jaar", format="%.1f"),
        "per_jaar_fase3": st.column_config.NumberColumn("Fase ≥ 3 per jaar", format="%.1f")})


def _wijk_view(per_wijk: pd.DataFrame) -> pd.DataFrame:
    return per_wijk.drop(columns=["wijk_code"]).sort_values(
        ["weken_fase2", "wijk_naam"], ascending=[False, True], kind="stable")


def comparison(current: Terugblik, proposed: Terugblik) -> pd.DataFrame:
    now, then = headline(current), headline(proposed)
    return pd.DataFrame({"Cijfer": list(now), "Huidige regels": list(now.values()),
                         "Voorgestelde regels": list(then.values())})


def show_lessons(lessons: pd.DataFrame) -> None:
    """Evaluations after the nafase: the gemeente's own lessons, stored text as plain cells."""
    st.subheader("Eigen lessen: evaluaties na de nafase", anchor=False)
    if lessons.empty:
        st.caption("Nog geen evaluaties. Na afloop van een nafase vraagt het wijkprofiel de "
                   "coördinator om een korte evaluatie.")
        return
    view = pd.DataFrame({
        "wijk": lessons["wijk_naam"],
        "nafase_tot": [f"{pd.Timestamp(d):%d-%m-%Y}" for d in lessons["nafase_end"]],
        "escalatie": ["" if pd.isna(d) else f"{pd.Timestamp(d):%d-%m-%Y}"
                      for d in lessons["escalation_week"]],
        "weken_vooraf": lessons["lead_weeks"].astype("Int64"),
        "eerste_signaal": lessons["first_signal"],
        "acties": lessons["actions"],
        "behouden": lessons["keep"],
        "veranderen": lessons["change"],
    })
    st.dataframe(view, hide_index=True, key="eigen_lessen", column_config={
        "wijk": "Wijk", "nafase_tot": "Nafase t/m week van", "escalatie": "Escalatie (week van)",
        "weken_vooraf": st.column_config.NumberColumn(
            "Weken vooraf fase ≥ 2", format="%d",
            help="Hoeveel weken vóór de escalatie het voorstel al fase 2 of hoger was."),
        "eerste_signaal": st.column_config.TextColumn("Wat signaleerde het eerst", width="medium"),
        "acties": st.column_config.TextColumn("Acties", width="medium"),
        "behouden": st.column_config.TextColumn("Behouden", width="medium"),
        "veranderen": st.column_config.TextColumn("Veranderen", width="medium")})
