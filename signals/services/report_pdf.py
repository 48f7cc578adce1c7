"""The weekly report as a Dutch PDF (fpdf2): summary, phase heatmap image, table of wijken.

A Unicode TTF (DejaVuSans) is used when installed; without it the core font Helvetica is
used and text outside Latin-1 is transliterated, so a scheduled job never fails on a font.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime, timedelta

from fpdf import FPDF
from fpdf.fonts import FontFace

from signals.domain import PHASES
from signals.services.pdf_table import PADDING, fit_widths
from signals.services.report_image import BLIND_COLOUR, heatmap_png, unicode_font_path
from signals.services.weekbeeld import (
    SUPPRESSED,
    Weekbeeld,
    action_summary,
    flags_text,
    phase_text,
    summary_lines,
)

FAMILY = "DejaVu"
MAX_HEATMAP_ROWS = 40  # more wijken do not fit a page; the XLSX holds them all
HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
TRANSLITERATION = {"→": "->", "≥": ">=", "≤": "<=", "…": "...", "·": "-", "–": "-", "—": "-",
                   "’": "'", "“": '"', "”": '"'}


class ReportPdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.unicode = _add_fonts(self)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        self.set_title(self.clean(title))
        self.set_creator("Wijksignalen")

    def font(self, size: float, bold: bool = False) -> None:
        family = FAMILY if self.unicode else "helvetica"
        self.set_font(family, style="B" if bold else "", size=size)

    def clean(self, text: object) -> str:
        """Text as this PDF can show it (transliterated without a Unicode font)."""
        value = str(text)
        if self.unicode:
            return value
        for char, plain in TRANSLITERATION.items():
            value = value.replace(char, plain)
        value = unicodedata.normalize("NFC", value)
        return "".join(c if ord(c) < 256 else _ascii(c) for c in value)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(8)
        self.set_text_color(90)
        self.cell(0, 6, self.clean(f"{self.report_title} · pagina {self.page_no()}/{{nb}}"),
                  align="C")
        self.set_text_color(0)


def _ascii(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return decomposed or "?"


def _add_fonts(pdf: FPDF) -> bool:
    regular, bold = unicode_font_path(False), unicode_font_path(True)
    if regular is None:
        return False
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold or regular))
    return True


def render_pdf(wb: Weekbeeld, generated_at: datetime, period_weeks: int) -> bytes:
    title = f"Weekrapport Wijksignalen – week {int(wb.week_label[-2:])} {wb.week:%Y}"
    pdf = ReportPdf(title)
    pdf.alias_nb_pages()
    pdf.add_page()
    _heading(pdf, title, wb, generated_at)
    _section(pdf, "Samenvatting")
    pdf.font(10)
    for line in summary_lines(wb):
        pdf.multi_cell(0, 5.5, pdf.clean(f"• {line}" if pdf.unicode else f"- {line}"),
                       new_x="LMARGIN", new_y="NEXT")
    _heatmap(pdf, wb, period_weeks)
    _wijken_table(pdf, wb)
    _themes_and_changes(pdf, wb)
    _polarisation(pdf, wb)
    _actions(pdf, wb)
    _legend(pdf)
    return bytes(pdf.output())


def _heading(pdf: ReportPdf, title: str, wb: Weekbeeld, generated_at: datetime) -> None:
    pdf.font(16, bold=True)
    pdf.multi_cell(0, 8, pdf.clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    end = wb.week + timedelta(days=6)
    pdf.multi_cell(0, 5, pdf.clean(
        f"Week {int(wb.week_label[-2:])}: {wb.week:%d-%m-%Y} t/m {end:%d-%m-%Y}. "
        f"Gemaakt op {generated_at:%d-%m-%Y om %H:%M} (Europe/Amsterdam)."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(120, 0, 0)
    pdf.multi_cell(0, 5, pdf.clean(
        "Vertrouwelijk. Alleen totalen per wijk: geen meldingen, geen personen; "
        f"aantallen onder 5 staan er als \"{SUPPRESSED}\"."), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)


def _section(pdf: ReportPdf, title: str) -> None:
    pdf.ln(3)
    pdf.font(12, bold=True)
    pdf.cell(0, 7, pdf.clean(title), new_x="LMARGIN", new_y="NEXT")


def _heatmap(pdf: ReportPdf, wb: Weekbeeld, period_weeks: int) -> None:
    rows = wb.heatmap.head(MAX_HEATMAP_ROWS)
    blind, nafase = (wb.heatmap_blind.head(MAX_HEATMAP_ROWS),
                     wb.heatmap_nafase.head(MAX_HEATMAP_ROWS))
    _section(pdf, f"Fase per wijk, laatste {period_weeks} weken")
    pdf.font(9)
    note = ("Elk vak toont de effectieve fase (besluit van de coördinator, anders het "
            "voorstel). Een vraagteken: onvoldoende zicht die week; paarse rand: nafase.")
    if len(wb.heatmap) > len(rows):
        note += f" De {len(rows)} wijken met de hoogste fase; alle wijken staan in de XLSX."
    pdf.multi_cell(0, 5, pdf.clean(note), new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(heatmap_png(rows, blind, nafase)), x=pdf.l_margin, w=pdf.epw)


def _wijken_table(pdf: ReportPdf, wb: Weekbeeld) -> None:
    _section(pdf, "Wijken deze week")
    pdf.font(8)
    headings = [pdf.clean(h) for h in
                ("Wijk", "Fase", "Voorstel", "Vlaggen", "Signalen", "Verandering", "Reden")]
    rows, styles = [], []
    for r in wb.wijken.itertuples():
        blind = bool(r.onvoldoende_zicht) and int(r.fase) == 0  # never plain "Rust"
        colour = BLIND_COLOUR if blind else PHASES[int(r.fase)].colour
        styles.append(FontFace(fill_color=colour, color=(255, 255, 255) if blind
                               else _ink(int(r.fase))))
        rows.append([pdf.clean(r.wijk_naam),
                     pdf.clean(phase_text(int(r.fase), r.fase_naam, bool(r.onvoldoende_zicht))),
                     str(r.voorstel) + (" (besluit)" if r.besluit == "ja" else ""),
                     pdf.clean(flags_text(r.nafase, r.onvoldoende_zicht)), str(r.signalen),
                     pdf.clean(r.verandering), pdf.clean(r.reden)])
    with pdf.table(col_widths=fit_widths(pdf, headings, rows), text_align="LEFT",
                   headings_style=HEADINGS, line_height=4.2, padding=PADDING) as table:
        table.row(headings)
        for values, style in zip(rows, styles, strict=True):
            row = table.row()
            for i, value in enumerate(values):
                row.cell(value, style=style if i == 1 else None)


def plain_table(pdf: ReportPdf, headings: list[str], rows: list[list[str]],
                line_height: float = 4.6) -> None:
    """A table of plain text cells, sized to its content and padded."""
    headings = [pdf.clean(h) for h in headings]
    rows = [[pdf.clean(v) for v in r] for r in rows]
    with pdf.table(col_widths=fit_widths(pdf, headings, rows), text_align="LEFT",
                   headings_style=HEADINGS, line_height=line_height,
                   padding=PADDING) as table:
        table.row(headings)
        for values in rows:
            table.row(values)


def _ink(phase: int) -> tuple[int, int, int]:
    return (0, 0, 0) if phase in (1, 2) else (255, 255, 255)


def _themes_and_changes(pdf: ReportPdf, wb: Weekbeeld) -> None:
    _section(pdf, "Thema's in de lift")
    pdf.font(9)
    if wb.themes.empty:
        pdf.multi_cell(0, 5, pdf.clean(
            "Geen thema met een duidelijke stijging (minstens 5 signalen deze week)."),
            new_x="LMARGIN", new_y="NEXT")
    else:
        plain_table(pdf, ["Thema", "Deze week", "Vorige 4 weken", "Verandering"], [
            [r.thema, str(r.deze_week), str(r.vorige_4_weken),
             "nieuw" if r.verandering_pct is None else f"{r.verandering_pct:+d}%"]
            for r in wb.themes.itertuples()])
    _section(pdf, "Veranderingen ten opzichte van vorige week")
    pdf.font(9)
    if wb.changes.empty:
        pdf.multi_cell(0, 5, "Geen wijk veranderde van fase.", new_x="LMARGIN", new_y="NEXT")
        return
    plain_table(pdf, ["Wijk", "Vorige week", "Deze week", "Fase nu"], [
        [r.wijk_naam, f"fase {r.vorige_week}", f"fase {r.deze_week}", r.fase_naam]
        for r in wb.changes.itertuples()])


def _polarisation(pdf: ReportPdf, wb: Weekbeeld) -> None:
    """Signals per polarisation axis in the period: phenomena, suppressed counts."""
    _section(pdf, "Polarisatie in de periode")
    pdf.font(9)
    pdf.multi_cell(0, 5, pdf.clean(wb.misinformation), new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(55, 25, 100), text_align="LEFT") as table:
        table.row(["As", "Signalen", "Thema's (minstens 5 signalen)"])
        for r in wb.polarisation.itertuples():
            table.row([pdf.clean(r.axis_label), str(r.signals), pdf.clean(r.themes or "-")])


def _actions(pdf: ReportPdf, wb: Weekbeeld) -> None:
    """Counts per type and phase: what the gemeente did, never a description."""
    _section(pdf, "Acties in de periode")
    pdf.font(9)
    pdf.multi_cell(0, 5, pdf.clean(action_summary(wb)), new_x="LMARGIN", new_y="NEXT")
    if wb.actions.empty:
        return
    with pdf.table(col_widths=(60, 50, 25, 25, 20), text_align="LEFT") as table:
        table.row(["Type actie", "Fase bij vastleggen", "Uitgevoerd", "Gepland", "Totaal"])
        for r in wb.actions.itertuples():
            table.row([pdf.clean(r.type_label), pdf.clean(f"{r.phase} {r.phase_name}"),
                       str(r.uitgevoerd), str(r.gepland), str(r.total)])


def _legend(pdf: ReportPdf) -> None:
    _section(pdf, "Fasen en handelingsperspectief")
    pdf.font(8)
    rows = [[pdf.clean(f"{p.level} {p.name}"), pdf.clean(p.actions)] for p in PHASES]
    widths = fit_widths(pdf, ["", ""], rows)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.2, padding=PADDING,
                   first_row_as_headings=False) as table:
        for phase in PHASES:
            row = table.row()
            row.cell(pdf.clean(f"{phase.level} {phase.name}"),
                     style=FontFace(fill_color=phase.colour, color=_ink(phase.level)))
            row.cell(pdf.clean(phase.actions))
