"""The wijk dossier: a PDF about one wijk and period for the driehoek meeting.

Phase history, trend chart, the reasons behind the proposals, the coordinators' decisions,
the actions of the period and the handelingsperspectief. It holds no personal data: no
signal descriptions, no reporters, no usernames (a decision is "door de coördinator", an
action has no author), only counts, codes, the accountable decision reasons and the short
action descriptions, which the personal-data check admits only without personal data
(docs/privacy.md).

The dossier is a list of sections (`SECTIONS`); each section may load its own data in the
same read session and then renders itself, so a new section is one `Section(...)` more.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from signals.domain import ACTION_STATUSES, NAFASE_ACTIONS, NAFASE_LABEL, PHASES, Role
from signals.engine.weeks import week_label
from signals.errors import FieldError, ValidationError
from signals.localtime import LOCAL_TZ, monday_of
from signals.services import audit
from signals.services.actions import wijk_actions
from signals.services.actor import Actor, authorise
from signals.services.dashboard import category_columns, wijk_trend
from signals.services.dossier_chart import phase_strip_png, trend_png
from signals.services.phases import decision_history
from signals.services.report import ReportFile
from signals.services.report_pdf import ReportPdf, plain_table

MAX_WEEKS = 52
MIME = "application/pdf"
ACTIONS_TITLE = "Acties"


@dataclass(frozen=True)
class DossierData:
    wijk_code: str
    wijk_name: str
    first: date  # Monday of the first week
    last: date  # Monday of the last week
    generated_at: datetime
    trend: pd.DataFrame  # one row per week (dashboard.wijk_trend)
    categories: dict[str, str]  # count column -> label
    decisions: pd.DataFrame  # decisions about weeks in the period, newest first
    extra: dict[str, Any] = field(default_factory=dict)  # loaded by sections, by title


@dataclass(frozen=True)
class Section:
    title: str
    render: Callable[[ReportPdf, DossierData], None]
    # Optional: extra data for this section, stored in data.extra[title] before rendering.
    load: Callable[[Session, Actor, DossierData], Any] | None = None


def wijk_dossier(session: Session, actor: Actor, wijk_code: str, first: date, last: date,
                 now: datetime | None = None,
                 sections: Sequence[Section] | None = None) -> ReportFile:
    """The dossier PDF of one wijk in the actor's scope; audited ("dossier_gemaakt")."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    first, last = monday_of(first), monday_of(last)
    if first > last:
        raise ValidationError([FieldError("periode", "de begindatum ligt na de einddatum")])
    if (last - first).days // 7 + 1 > MAX_WEEKS:
        raise ValidationError([FieldError("periode", f"kies hoogstens {MAX_WEEKS} weken")])
    trend = wijk_trend(session, actor, wijk_code, first, last)  # checks the wijk's scope
    decisions = decision_history(session, actor, wijk_code)
    in_period = [(first <= pd.Timestamp(w).date() <= last) for w in decisions["week_start"]]
    data = DossierData(
        wijk_code=wijk_code, wijk_name=str(trend["wijk_naam"].iloc[0]), first=first,
        last=last, generated_at=(now or datetime.now(LOCAL_TZ)).astimezone(LOCAL_TZ),
        trend=trend, categories=category_columns(session),
        decisions=decisions[in_period].reset_index(drop=True))
    chosen = SECTIONS if sections is None else tuple(sections)
    for section in chosen:
        if section.load is not None:
            data.extra[section.title] = section.load(session, actor, data)
    pdf_bytes = render_dossier(data, chosen)
    audit.record(session, actor, "dossier_gemaakt", "wijk", wijk_code,
                 {"van": first.isoformat(), "tot": last.isoformat()})
    return ReportFile(dossier_filename(wijk_code, first, last), MIME, pdf_bytes)


def dossier_filename(wijk_code: str, first: date, last: date) -> str:
    weeks = f"{week_label(monday_of(first))}-{week_label(monday_of(last))}"
    return f"wijkdossier-{wijk_code}-{weeks}.pdf"


def render_dossier(data: DossierData, sections: Sequence[Section]) -> bytes:
    title = f"Wijkdossier {data.wijk_name}"
    pdf = ReportPdf(title)
    pdf.alias_nb_pages()
    pdf.add_page()
    _heading(pdf, title, data)
    for section in sections:
        pdf.ln(3)
        pdf.font(12, bold=True)
        pdf.cell(0, 7, pdf.clean(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.font(9)
        section.render(pdf, data)
    return bytes(pdf.output())


def _heading(pdf: ReportPdf, title: str, data: DossierData) -> None:
    pdf.font(16, bold=True)
    pdf.multi_cell(0, 8, pdf.clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    end = data.last + timedelta(days=6)
    pdf.multi_cell(0, 5, pdf.clean(
        f"Wijk {data.wijk_code} · week {_week(data.first)} t/m week {_week(data.last)} "
        f"({data.first:%d-%m-%Y} t/m {end:%d-%m-%Y}) · gemaakt op "
        f"{data.generated_at:%d-%m-%Y om %H:%M}."), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(120, 0, 0)
    pdf.multi_cell(0, 5, pdf.clean(
        "Vertrouwelijk, voor het driehoeksoverleg. Bevat geen meldingteksten, geen melders en "
        "geen namen: alleen aantallen per week, fasen, redenen, besluiten en acties."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)


def _week(monday: date) -> str:
    iso = monday.isocalendar()
    return f"{iso.week} {iso.year}"


def _summary(pdf: ReportPdf, data: DossierData) -> None:
    t = data.trend
    latest = t.iloc[-1]
    phase = int(latest["effective_phase"])
    per_phase = t["effective_phase"].astype(int).value_counts()
    lines = [
        f"Fase nu (week {_week(pd.Timestamp(latest['week_start']).date())}): {phase} "
        f"{PHASES[phase].name}" + (f", {NAFASE_LABEL.lower()}" if bool(latest["nafase"])
                                   else "") + ".",
        f"Hoogste fase in de periode: {int(t['effective_phase'].max())}; weken per fase: "
        + ", ".join(f"fase {p}: {int(per_phase.get(p, 0))}" for p in range(len(PHASES))
                    if per_phase.get(p, 0)) + ".",
        f"Signalen in de periode: {int(t['n_signals'].sum())} (nul-meldingen niet "
        "meegeteld).",
        f"Besluiten van de coördinator in de periode: {len(data.decisions)}.",
    ]
    blind = int((t["visibility"] == "onvoldoende").sum())
    if blind:
        lines.append(f"Onvoldoende zicht in {blind} van de {len(t)} weken: stilte betekent "
                     "niet dat het rustig is.")
    for line in lines:
        pdf.multi_cell(0, 5, pdf.clean(f"- {line}"), new_x="LMARGIN", new_y="NEXT")


def _phase_history(pdf: ReportPdf, data: DossierData) -> None:
    pdf.multi_cell(0, 5, pdf.clean(
        "Effectieve fase per week (besluit van de coördinator, anders het voorstel). Een "
        "vraagteken: onvoldoende zicht; paarse rand: nafase. Fasen: "
        + "; ".join(f"{p.level} {p.name}" for p in PHASES) + "."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(phase_strip_png(data.trend)), x=pdf.l_margin, w=pdf.epw)


def _trend_chart(pdf: ReportPdf, data: DossierData) -> None:
    pdf.image(io.BytesIO(trend_png(data.trend, data.categories)), x=pdf.l_margin, w=pdf.epw)


def _reasons(pdf: ReportPdf, data: DossierData) -> None:
    t = data.trend
    notable = t[(t["phase"].astype(int) > 0) | (t["effective_phase"].astype(int) > 0)
                | t["decided_phase"].notna() | (t["visibility"] == "onvoldoende")]
    if notable.empty:
        pdf.multi_cell(0, 5, "Alle weken in rust, zonder besluit.", new_x="LMARGIN",
                       new_y="NEXT")
        return
    plain_table(pdf, ["Week", "Voorstel", "Fase", "Signalen", "Waarom dit voorstel"], [
        [_week(pd.Timestamp(r.week_start).date()), str(int(r.phase)),
         str(int(r.effective_phase)), str(int(r.n_signals)), str(r.reasons)]
        for r in notable.itertuples()])


def _decisions(pdf: ReportPdf, data: DossierData) -> None:
    if data.decisions.empty:
        pdf.multi_cell(0, 5, "Geen fasebesluiten in deze periode.", new_x="LMARGIN",
                       new_y="NEXT")
        return
    plain_table(pdf, ["Week", "Voorstel", "Besluit", "Vastgelegd", "Reden van de coördinator"], [
        [_week(pd.Timestamp(r.week_start).date()), str(int(r.proposed_phase)),
         str(int(r.decided_phase)),
         pd.Timestamp(r.decided_at).tz_convert(LOCAL_TZ).strftime("%d-%m-%Y")
         if pd.notna(r.decided_at) else "", str(r.reason or "")]
        for r in data.decisions.itertuples()])


def _load_actions(session: Session, actor: Actor, data: DossierData) -> pd.DataFrame:
    # The period runs to the Sunday of its last week.
    return wijk_actions(session, actor, data.wijk_code, data.first,
                        data.last + timedelta(days=6))


def _actions(pdf: ReportPdf, data: DossierData) -> None:
    actions: pd.DataFrame = data.extra[ACTIONS_TITLE]
    if actions.empty:
        pdf.multi_cell(0, 5, "Geen acties vastgelegd in deze periode.", new_x="LMARGIN",
                       new_y="NEXT")
        return
    # Never the author: the dossier names no one (docs/privacy.md).
    plain_table(pdf, ["Datum", "Week", "Type actie", "Status", "Fase", "Omschrijving"], [
        [r.action_date.strftime("%d-%m-%Y"), _week(monday_of(r.action_date)),
         str(r.type_label), ACTION_STATUSES.get(r.status, str(r.status)), str(int(r.phase)),
         str(r.description or "")]
        for r in actions.itertuples()])


def _perspective(pdf: ReportPdf, data: DossierData) -> None:
    latest = data.trend.iloc[-1]
    phase = PHASES[int(latest["effective_phase"])]
    rows = [[f"Fase {phase.level} {phase.name}", phase.actions]]
    if bool(latest["nafase"]):
        rows.append([NAFASE_LABEL, NAFASE_ACTIONS])
    if latest["visibility"] == "onvoldoende":
        rows.append(["Onvoldoende zicht", "Neem contact op met de sleutelfiguren die niet "
                                          "meldden; stilte betekent niet dat het rustig is."])
    plain_table(pdf, ["Geldt nu", "Handelingsperspectief"], rows)


SECTIONS: tuple[Section, ...] = (
    Section("Samenvatting", _summary),
    Section("Faseverloop", _phase_history),
    Section("Signalen per week en categorie", _trend_chart),
    Section("Waarom deze fasen", _reasons),
    Section("Besluiten", _decisions),
    Section(ACTIONS_TITLE, _actions, load=_load_actions),
    Section("Handelingsperspectief", _perspective),
)
