"""Weekbeeld (manager): the week of the whole gemeente; aggregates only, counts under 5 as <5."""

from datetime import timedelta

import streamlit as st

from signals.db.uow import run_write
from signals.localtime import monday_of
from signals.services.dashboard import week_caption
from signals.services.weekbeeld import (
    PERIODS,
    SUPPRESSED,
    action_summary,
    flags_text,
    summary_lines,
)
from signals.ui import cached
from signals.ui.charts import phase_heatmap
from signals.ui.phase_badges import phase_label, style_phase_cells
from signals.ui.resources import engine_or_stop
from signals.ui.rules_text import rules_explanation_lines
from signals.ui.safe import md_escape
from signals.ui.session import require_page
from signals.ui.share import copy_link, iso_week, parse_iso_week

PICKABLE_WEEKS = 104

actor = require_page("weekbeeld")

st.title("Weekbeeld")
this_monday = monday_of()
mondays = [this_monday - timedelta(weeks=k) for k in range(PICKABLE_WEEKS)]
requested = st.query_params.get("week")
linked = parse_iso_week(requested) if requested else None
if requested and linked not in mondays:
    st.warning("Die week staat niet in de lijst (de laatste twee jaar, vorm JJJJ-Www); kies "
               "hieronder een week.")
elif linked and st.session_state.get("week_synced") != requested:
    st.session_state["week"] = linked  # arrived through a link: ?week=2026-W47
pick_week, pick_period = st.columns([2, 3], vertical_alignment="bottom")
week = pick_week.selectbox("Week", mondays, key="week",
                           format_func=lambda d: f"week {d.isocalendar().week} "
                                                 f"({d:%d-%m-%Y})")
st.session_state["week_synced"] = iso_week(week)
if requested != iso_week(week):
    st.query_params["week"] = iso_week(week)  # the URL always names the week on screen
copy_link("weekbeeld", {"week": iso_week(week)})
weeks = pick_period.segmented_control("Heatmap over", PERIODS, default=12, required=True,
                                      format_func=lambda n: f"{n} weken", key="weken")

version = cached.current_version(actor)
with st.spinner("Weekbeeld samenstellen…"):
    wb = cached.weekbeeld_for(actor, version, week, weeks)
st.caption(f"{week_caption(wb.week).capitalize()} · alle wijken · alleen totalen: geen meldingen "
           f"en geen personen; aantallen onder 5 staan er als \"{SUPPRESSED}\".")

totals = wb.totals.set_index("label")
with st.container(horizontal=True):
    for label in totals.index:
        st.metric(label, str(totals.loc[label, "deze_week"]), border=True,
                  help=f"Vorige week: {totals.loc[label, 'vorige_week']}")

summary, downloads = st.columns([3, 1])
with summary, st.container(border=True):
    st.markdown("**Samenvatting**")
    st.markdown("\n".join(f"- {md_escape(line)}" for line in summary_lines(wb)))


def _report(fmt: str) -> bytes:
    """Built on click (deferred), for exactly the week and period on screen; audited."""
    from signals.services.report import export_report  # fpdf2/openpyxl only when needed

    return run_write(engine_or_stop(), lambda session: export_report(
        session, actor, fmt, wb.week, weeks)).data


with downloads, st.container(border=True):
    st.markdown("**Weekrapport**")
    st.download_button("PDF downloaden", data=lambda: _report("pdf"),
                       file_name=f"weekrapport-{wb.week_label}.pdf", mime="application/pdf",
                       icon=":material/picture_as_pdf:", key="pdf", on_click="ignore")
    st.download_button("XLSX downloaden", data=lambda: _report("xlsx"),
                       file_name=f"weekrapport-{wb.week_label}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", key="xlsx", on_click="ignore")
    st.caption("Zelfde week en periode als op het scherm.")

st.subheader(f"Fase per wijk, laatste {weeks} weken", anchor=False)
st.caption("Elk vak toont de effectieve fase (0-4): het besluit van de coördinator, anders het "
           "voorstel. Een vraagteken: onvoldoende zicht die week. Paarse rand: nafase.")
st.plotly_chart(phase_heatmap(wb.heatmap, wb.heatmap_blind, wb.heatmap_nafase), key="heatmap",
                theme=None,
                config={"displaylogo": False})

st.subheader("Wijken deze week", anchor=False)
w = wb.wijken
table = w.assign(
    fase_label=[phase_label(int(f), bool(b)) for f, b in zip(w["fase"], w["onvoldoende_zicht"],
                                                              strict=True)],
    vlaggen=[flags_text(n, b) for n, b in zip(w["nafase"], w["onvoldoende_zicht"], strict=True)],
    signalen=w["signalen"].astype(str),
)[["wijk_naam", "fase_label", "voorstel", "vorige_week", "vlaggen", "signalen", "verandering",
   "reden"]]
st.dataframe(style_phase_cells(table, "fase_label", w["fase"], w["onvoldoende_zicht"]),
             hide_index=True, height=38 + 35 * len(table), column_config={
                 "wijk_naam": "Wijk", "fase_label": "Effectieve fase",
                 "voorstel": st.column_config.NumberColumn("Voorstel", format="%d"),
                 "vorige_week": st.column_config.NumberColumn("Fase vorige week", format="%d"),
                 "vlaggen": "Vlaggen", "signalen": "Signalen", "verandering": "Verandering",
                 "reden": st.column_config.TextColumn("Waarom", width="large")})
with st.expander("Hoe is dit berekend?"):
    st.markdown("\n".join(f"- {md_escape(line)}" for line in rules_explanation_lines()))

themes_col, changes_col = st.columns(2, gap="medium")
with themes_col:
    st.subheader("Thema's in de lift", anchor=False)
    if wb.themes.empty:
        st.caption("Geen thema met een duidelijke stijging (minstens 5 signalen deze week).")
    else:
        view = wb.themes.assign(
            verandering=["nieuw" if p is None else f"{p:+d}%"
                         for p in wb.themes["verandering_pct"]],
            deze_week=wb.themes["deze_week"].astype(str),
            vorige_4_weken=wb.themes["vorige_4_weken"].astype(str))
        st.dataframe(view[["thema", "deze_week", "vorige_4_weken", "verandering"]],
                     hide_index=True, column_config={
                         "thema": "Thema", "deze_week": "Deze week",
                         "vorige_4_weken": "Vorige 4 weken", "verandering": "Verandering"})
with changes_col:
    st.subheader("Veranderingen sinds vorige week", anchor=False)
    if wb.changes.empty:
        st.caption("Geen wijk veranderde van fase.")
    else:
        view = wb.changes.assign(
            van=[f"fase {p}" for p in wb.changes["vorige_week"]],
            naar=[phase_label(int(p)) for p in wb.changes["deze_week"]])
        st.dataframe(view[["wijk_naam", "van", "naar", "richting"]], hide_index=True,
                     column_config={"wijk_naam": "Wijk", "van": "Vorige week",
                                    "naar": "Deze week", "richting": "Richting"})

st.subheader(f"Polarisatie in de laatste {weeks} weken", anchor=False)
st.caption("Signalen per as: horizontaal (tussen groepen), verticaal (tegen de overheid) of "
           "beide; verschijnselen, geen personen. " + wb.misinformation)
st.dataframe(wb.polarisation.astype({"signals": "str"}), hide_index=True,
             key="polarisatie", column_config={
                 "axis_label": "As", "signals": "Signalen",
                 "themes": st.column_config.TextColumn("Thema's (minstens 5 signalen)",
                                                       width="large")})

st.subheader(f"Acties in de laatste {weeks} weken", anchor=False)
st.caption(action_summary(wb) + " Alleen aantallen per type en fase; de omschrijvingen "
           "staan bij de coördinatoren.")
if not wb.actions.empty:
    st.dataframe(wb.actions[["type_label", "phase_name", "uitgevoerd", "gepland", "total"]],
                 hide_index=True, key="acties_aantallen", column_config={
                     "type_label": "Type actie", "phase_name": "Fase bij vastleggen",
                     "uitgevoerd": st.column_config.NumberColumn("Uitgevoerd", format="%d"),
                     "gepland": st.column_config.NumberColumn("Gepland", format="%d"),
                     "total": st.column_config.NumberColumn("Totaal", format="%d")})
