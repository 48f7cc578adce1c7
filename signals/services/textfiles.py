"""Reading uploaded text files the way Dutch users produce them (Excel, Windows)."""

from __future__ import annotations

import csv
import io

from signals.errors import FieldError, ValidationError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def check_size(data: bytes, limit: int = MAX_UPLOAD_BYTES) -> None:
    if len(data) > limit:
        raise ValidationError([FieldError(
            "bestand",
            f"Het bestand is {len(data) / 1_048_576:.1f} MB; de grens is "
            f"{limit / 1_048_576:.0f} MB. Splits het bestand op.",
        )])


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which Dutch Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationError([FieldError(
            "bestand", "De tekencodering wordt niet herkend; sla op als UTF-8 of Windows-1252.",
        )]) from exc


def sniff_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header (lower-cased, stripped) and the data rows as lists of strings."""
    text = decode_text(data)
    if not text.strip():
        raise ValidationError([FieldError("bestand", "Het bestand is leeg.")])
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        message = f"Het CSV-bestand is ongeldig: {exc}"
        raise ValidationError([FieldError("bestand", message)]) from exc
    header = [cell.strip().lower() for cell in rows[0]]
    return header, rows[1:]
