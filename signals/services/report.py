"""The weekly report (PDF or XLSX) for managers and scheduled mailing; every export audited.

The report is built from the same `weekbeeld` service as the Weekbeeld page, for the same
week and period, so it matches the screen and carries the same "<5" suppression.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from signals.errors import FieldError, ValidationError
from signals.localtime import LOCAL_TZ
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.report_pdf import render_pdf
from signals.services.report_xlsx import render_xlsx
from signals.services.weekbeeld import PERIODS, weekbeeld

MIME_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportFile:
    filename: str
    mime: str
    data: bytes


def report_format(filename: str) -> str:
    """'pdf' or 'xlsx' from a file name; a Dutch validation error otherwise."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in MIME_TYPES:
        raise ValidationError([FieldError("bestand", "gebruik een bestandsnaam die eindigt op "
                                                     ".pdf of .xlsx")])
    return suffix


def export_report(session: Session, actor: Actor, fmt: str, week: date | None = None,
                  weeks: int = 12, now: datetime | None = None) -> ReportFile:
    """Build the weekly report and record the export in the audit log (same transaction)."""
    actor = authorise(session, actor)
    if fmt not in MIME_TYPES:
        raise ValidationError([FieldError("formaat", "kies pdf of xlsx")])
    if weeks not in PERIODS:
        raise ValidationError([FieldError("weken", "kies 12, 26 of 52 weken")])
    wb = weekbeeld(session, actor, week, weeks)
    generated = (now or datetime.now(LOCAL_TZ)).astimezone(LOCAL_TZ)
    render = render_pdf if fmt == "pdf" else render_xlsx
    data = render(wb, generated, weeks)
    audit.record(session, actor, "export", "weekrapport", wb.week_label,
                 {"formaat": fmt, "weken": weeks})
    return ReportFile(f"weekrapport-{wb.week_label}.{fmt}", MIME_TYPES[fmt], data)
