"""The weekly report as an XLSX workbook (openpyxl): the same tables as the PDF.

Every text cell is neutralised against spreadsheet formulas; phase cells carry the phase
number and name as well as the colour.
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from signals.domain import NAFASE_COLOUR, PHASES
from signals.services.report_image import BLIND_COLOUR
from signals.services.spreadsheet_safety import neutralise
from signals.services.weekbeeld import (
    SUPPRESSED,
    Weekbeeld,
    flags_text,
    phase_text,
    summary_lines,
)

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def render_xlsx(wb: Weekbeeld, generated_at: datetime, period_weeks: int) -> bytes:
    book = Workbook()
    _summary(book.active, wb, generated_at)
    _table(book.create_sheet("Wijken"), _wijken_frame(wb), phase_column="Fase")
    _heatmap(book.create_sheet("Fase per week"), wb, period_weeks)
    _table(book.create_sheet("Thema's"), _themes_frame(wb))
    _table(book.create_sheet("Veranderingen"), _changes_frame(wb))
    _table(book.create_sheet("Polarisatie"), wb.polarisation.rename(columns={
        "axis_label": "As", "signals": "Signalen",
        "themes": "Thema's (minstens 5 signalen)"}))
    _table(book.create_sheet("Acties"), _actions_frame(wb))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(sheet: Worksheet, wb: Weekbeeld, generated_at: datetime) -> None:
    sheet.title = "Samenvatting"
    number = int(wb.week_label[-2:])
    sheet.append([f"Weekrapport Wijksignalen – week {number} {wb.week:%Y}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"Gemaakt op {generated_at:%d-%m-%Y %H:%M} (Europe/Amsterdam)"])
    sheet.append([f"Vertrouwelijk: alleen totalen; aantallen onder 5 staan er als "
                  f"\"{SUPPRESSED}\"."])
    sheet.append([])
    for line in summary_lines(wb):
        sheet.append([neutralise(line)])
    sheet.append([])
    sheet.append(["Totaal gemeente", "Deze week", "Vorige week"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in wb.totals.itertuples(index=False):
        sheet.append([neutralise(str(v)) if isinstance(v, str) else v for v in row])
    sheet.append([])
    sheet.append(["Fase", "Naam", "Wijken"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in wb.phase_groups.itertuples(index=False):
        sheet.append(["" if row.fase is None else row.fase, row.fase_naam,
                      neutralise(row.wijken)])
    sheet.column_dimensions["A"].width = 90


def _wijken_frame(wb: Weekbeeld) -> pd.DataFrame:
    w = wb.wijken
    return pd.DataFrame({
        "Wijkcode": w["wijk_code"], "Wijk": w["wijk_naam"],
        "Fase": [phase_text(int(f), n, bool(b)) for f, n, b in
                 zip(w["fase"], w["fase_naam"], w["onvoldoende_zicht"], strict=True)],
        "Voorstel": w["voorstel"], "Besluit coördinator": w["besluit"],
        "Vorige week": w["vorige_week"],
        "Vlaggen": [flags_text(a, b) for a, b in zip(w["nafase"], w["onvoldoende_zicht"],
                                                      strict=True)],
        "Signalen": w["signalen"], "Verandering": w["verandering"], "Reden": w["reden"],
    })


def _themes_frame(wb: Weekbeeld) -> pd.DataFrame:
    t = wb.themes
    return pd.DataFrame({
        "Thema": t["thema"], "Deze week": t["deze_week"],
        "Vorige 4 weken": t["vorige_4_weken"],
        "Verandering (%)": ["nieuw" if p is None else p for p in t["verandering_pct"]],
    })


def _changes_frame(wb: Weekbeeld) -> pd.DataFrame:
    c = wb.changes
    return pd.DataFrame({"Wijk": c["wijk_naam"], "Fase vorige week": c["vorige_week"],
                         "Fase deze week": c["deze_week"], "Richting": c["richting"],
                         "Fase nu": c["fase_naam"]})


def _actions_frame(wb: Weekbeeld) -> pd.DataFrame:
    a = wb.actions
    return pd.DataFrame({"Type actie": a["type_label"], "Fase": a["phase"],
                         "Fasenaam": a["phase_name"], "Uitgevoerd": a["uitgevoerd"],
                         "Gepland": a["gepland"], "Totaal": a["total"]})


def _table(sheet: Worksheet, frame: pd.DataFrame, phase_column: str | None = None) -> None:
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = BOLD
    for values in frame.itertuples(index=False):
        sheet.append([_cell_value(v) for v in values])
    if phase_column is not None and phase_column in frame.columns:
        col = list(frame.columns).index(phase_column) + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=col)
            text = str(cell.value)
            _colour(cell, int(text.split()[0]) if text[0].isdigit() else 0,
                    blind=not text[0].isdigit())
    for i, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in frame[column]])
        sheet.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 70)
        if longest > 70:
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=i).alignment = WRAP
    sheet.freeze_panes = "A2"


def _heatmap(sheet: Worksheet, wb: Weekbeeld, period_weeks: int) -> None:
    sheet.append([f"Effectieve fase per wijk, laatste {period_weeks} weken (0-4); "
                  "'?' = onvoldoende zicht, paarse rand = nafase"])
    sheet["A1"].font = BOLD
    sheet.append(["Wijk", *[str(c) for c in wb.heatmap.columns]])
    for cell in sheet[2]:
        cell.font = BOLD
    grids = zip(wb.heatmap.iterrows(), wb.heatmap_blind.to_numpy(),
                wb.heatmap_nafase.to_numpy(), strict=True)
    for (name, values), blind, nafase in grids:
        sheet.append([neutralise(str(name)),
                      *[f"{int(v)}?" if b else int(v) for v, b in zip(values, blind,
                                                                       strict=True)]])
        for cell, v, b, n in zip(sheet[sheet.max_row][1:], values, blind, nafase, strict=True):
            _colour(cell, int(v), bool(b), bool(n))
    sheet.append([])
    for phase in PHASES:
        sheet.append([phase.name, phase.level])
        _colour(sheet.cell(row=sheet.max_row, column=2), phase.level)
    sheet.column_dimensions["A"].width = 30
    sheet.freeze_panes = "B3"


def _colour(cell, phase: int, blind: bool = False,  # type: ignore[no-untyped-def]
            nafase: bool = False) -> None:
    grey = blind and phase == 0
    hex_colour = (BLIND_COLOUR if grey else PHASES[phase].colour).lstrip("#").upper()
    cell.fill = PatternFill("solid", start_color=hex_colour, end_color=hex_colour)
    cell.font = Font(color="000000" if phase in (1, 2) and not grey else "FFFFFF", bold=True)
    cell.alignment = Alignment(horizontal="center")
    if nafase:
        side = Side(style="thick", color=NAFASE_COLOUR.lstrip("#").upper())
        cell.border = Border(left=side, right=side, top=side, bottom=side)


def _cell_value(value: object) -> object:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str):
        return neutralise(value)
    if hasattr(value, "item"):
        return value.item()  # type: ignore[union-attr]
    return value
