"""Export signals with the import's columns (round-trippable), as CSV or XLSX.

CSV: `;`-separated, UTF-8 with BOM, so Dutch Excel opens it as it is. Every text cell that
a spreadsheet would run as a formula is neutralised (spreadsheet_safety.neutralise); the
import undoes that. Each export is audited with its filter and row count, never its text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.db.models import Signal, User, Wijk, signal_theme
from signals.domain import Role
from signals.errors import FieldError, ValidationError
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.signal_filter import SignalFilter
from signals.services.signal_rows import IMPORT_COLUMNS
from signals.services.spreadsheet_safety import neutralise

EXPORT_ROLES = (Role.COORDINATOR, Role.BEHEERDER)
Format = Literal["csv", "xlsx"]
MIME = {"csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CHUNK = 5000


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    rows: int
    format: Format

    @property
    def mime(self) -> str:
        return MIME[self.format]


def export_frame(session: Session, actor: Actor, flt: SignalFilter) -> pd.DataFrame:
    """The signals in the filter (and the actor's scope), one column per import column."""
    actor = authorise(session, actor, *EXPORT_ROLES)
    query = flt.apply(
        select(Signal.id, Signal.external_id, Signal.observed_on, Wijk.code, User.username,
               Signal.reporter_role, Signal.category, Signal.subtype, Signal.severity,
               Signal.source, Signal.online, Signal.platform, Signal.platform_name, Signal.reach,
               Signal.reliability,
               Signal.polarisation, Signal.action_date, Signal.action_place, Signal.status,
               Signal.description)
        .join(Wijk, Wijk.id == Signal.wijk_id)
        .outerjoin(User, User.id == Signal.reporter_id), actor
    ).order_by(Signal.observed_on, Signal.id)
    rows = session.execute(query).all()
    themes = _themes(session, [r.id for r in rows])
    frame = pd.DataFrame([{
        "external_id": r.external_id or "", "observed_on": r.observed_on.isoformat(),
        "wijk_code": r.code, "reporter": r.username or "", "reporter_role": r.reporter_role or "",
        "category": r.category, "subtype": r.subtype or "", "themes": themes.get(r.id, ""),
        "severity": int(r.severity), "source": r.source, "online": "ja" if r.online else "nee",
        "platform": r.platform or "", "platform_name": r.platform_name or "",
        "reach": r.reach, "reliability": r.reliability,
        "polarisation": r.polarisation,
        "action_date": r.action_date.isoformat() if r.action_date else "",
        "action_place": r.action_place or "", "status": r.status,
        "description": r.description or "",
    } for r in rows], columns=list(IMPORT_COLUMNS))
    return frame.astype({"severity": "int64"})


def _themes(session: Session, ids: list[int]) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for signal_id, code in session.execute(
                select(signal_theme.c.signal_id, signal_theme.c.theme_code)
                .where(signal_theme.c.signal_id.in_(chunk))
                .order_by(signal_theme.c.theme_code)):
            found.setdefault(signal_id, []).append(code)
    return {k: ";".join(v) for k, v in found.items()}


def export_signals(session: Session, actor: Actor, flt: SignalFilter, fmt: Format,
                   filename: str = "") -> ExportFile:
    """The file's bytes; audited ("export") with the filter and the row count."""
    actor = authorise(session, actor, *EXPORT_ROLES)
    if fmt not in MIME:
        raise ValidationError([FieldError("formaat", f"onbekend formaat '{fmt}'; kies csv of "
                                                     "xlsx")])
    frame = export_frame(session, actor, flt)
    data = to_csv(frame) if fmt == "csv" else to_xlsx(frame)
    audit.record(session, actor, "export", "signal", None, {
        "formaat": fmt, "rijen": len(frame), "bestand": filename[:200] or None,
        "filter": flt.describe()})
    return ExportFile(data, len(frame), fmt)


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    text = _safe(frame).to_csv(sep=";", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame) -> bytes:
    from openpyxl import Workbook  # imported here: only XLSX exports need it

    book = Workbook(write_only=True)
    sheet = book.create_sheet("signalen")
    sheet.append(list(frame.columns))
    safe = _safe(frame).astype({"severity": object})  # plain ints for openpyxl
    for row in safe.itertuples(index=False, name=None):
        sheet.append([value if value != "" else None for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
