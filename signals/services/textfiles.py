"""Reading uploaded text files the way Dutch users produce them (Excel, Windows).

One CSV reader for every import (signals and wijken). It is strict: a quote that does not
close, or a row with more filled cells than the header, is an error naming the file's
physical line, so no value is silently dropped or swallowed into another cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from signals.errors import FieldError, ValidationError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Caps for every uploaded table (CSV and XLSX), so one file cannot fill the server's memory.
MAX_ROWS = 200_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 10_000  # twice the longest description
DELIMITERS = (";", ",")
_OTHER_DELIMITERS = {"\t": "tabs", "|": "verticale strepen (|)"}
_EXCEL_SEP_LINE = re.compile(r"^sep=([;,])\s*$")


@dataclass(frozen=True)
class Table:
    """A header (lower-case, trimmed) and the data rows, each with its line in the file."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # physical line (CSV) or sheet row (XLSX) where each row starts
    header_line: int = 1


def file_error(message: str, line: int | None = None) -> ValidationError:
    return ValidationError([FieldError("bestand", message, line)])


def check_size(data: bytes, limit: int = MAX_UPLOAD_BYTES) -> None:
    if len(data) > limit:
        raise file_error(f"Het bestand is {len(data) / 1_048_576:.1f} MB; de grens is "
                         f"{limit / 1_048_576:.0f} MB. Splits het bestand op.")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (Dutch Excel)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise file_error("Het bestand is als UTF-16 opgeslagen maar is beschadigd; sla "
                             "het op als 'CSV UTF-8'.") from exc
    start = data[:4096]
    if start.count(b"\x00") > len(start) // 10:  # UTF-16 without a BOM, or binary
        raise file_error("Dit is geen tekstbestand in UTF-8 of Windows-1252 (misschien UTF-16 "
                         "of een binair bestand). Sla het op als 'CSV UTF-8' of als .xlsx.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # A BOM followed by Windows-1252 text: drop the BOM instead of showing it as "ï»¿".
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise file_error("De tekencodering wordt niet herkend; sla op als UTF-8 of "
                         "Windows-1252.") from exc


def sniff_delimiter(header_line: str) -> str:
    """`;` or `,`, whichever the header uses more; a tab or `|` header gets a Dutch hint."""
    counts = {d: header_line.count(d) for d in (*DELIMITERS, *_OTHER_DELIMITERS)}
    best = max(counts, key=lambda d: counts[d])
    if best in _OTHER_DELIMITERS and counts[best] > 0:
        raise file_error(f"De kopregel is gescheiden met {_OTHER_DELIMITERS[best]}. Gebruik "
                         "een puntkomma (;) of komma (,): kies in Excel 'Opslaan als' > "
                         "'CSV (gescheiden door lijstscheidingsteken)' of 'CSV UTF-8'.", 1)
    return ";" if counts[";"] > counts[","] else ","


def read_csv(data: bytes) -> Table:
    """The header and data rows of a CSV file, strictly parsed; blank lines are skipped."""
    text = decode_text(data)
    first = next((line for line in io.StringIO(text) if line.strip()), None)
    if first is None:
        raise file_error("Het bestand is leeg.")
    excel_sep = _EXCEL_SEP_LINE.match(first)  # Excel's "sep=;" line names the delimiter
    delimiter = excel_sep.group(1) if excel_sep else sniff_delimiter(first)
    return _parse(io.StringIO(text, newline=""), delimiter, skip_sep_line=bool(excel_sep))


def _parse(source: io.StringIO, delimiter: str, skip_sep_line: bool) -> Table:
    """Rows with the physical line each starts on (csv counts every line it reads, so
    blank lines and line breaks inside quoted cells are counted too)."""
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    numbers: list[int] = []
    errors: list[FieldError] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise file_error(f"Een cel is langer dan {MAX_CELL_CHARS:,} tekens."
                                 .replace(",", "."), start) from exc
            raise _quote_error(start, reader.line_num) from exc
        if not "".join(row).strip():
            continue
        if len(rows) >= MAX_ROWS:
            raise file_error(f"Het bestand heeft meer dan {MAX_ROWS:,} rijen. Splits het "
                             "bestand op.".replace(",", "."), start)
        if len(row) > MAX_COLUMNS:
            raise file_error(f"Deze rij heeft {len(row)} cellen; de grens is {MAX_COLUMNS}.",
                             start)
        if max(map(len, row)) > MAX_CELL_CHARS:
            errors.extend(_long_cells(row, start))
        if header is None:
            if skip_sep_line:
                skip_sep_line = False
                continue
            header = [cell.replace("\ufeff", "").strip().lower() for cell in row]
            header_line = start
        elif len(row) > len(header) and "".join(row[len(header):]).strip():
            errors.append(_width_error(start, len(row), header))
        else:
            rows.append(row)
            numbers.append(start)
    if header is None:
        raise file_error("Het bestand is leeg.")
    if errors:
        raise ValidationError(errors)
    return Table(header, rows, numbers, header_line)


def _quote_error(start: int, end: int) -> ValidationError:
    where = "" if start == end else f" (de tekst loopt zo door tot en met regel {end})"
    return file_error(
        f"Een aanhalingsteken (\") wordt niet goed afgesloten{where}. Een tekst tussen "
        "aanhalingstekens moet eindigen met een aanhalingsteken vlak voor het scheidingsteken "
        "of het einde van de regel; schrijf een aanhalingsteken in de tekst dubbel (\"\").",
        start)


def _long_cells(row: list[str], line: int) -> list[FieldError]:
    return [FieldError(f"kolom {position}", f"de cel heeft {len(cell):,} tekens; maximaal "
                                            f"{MAX_CELL_CHARS:,}".replace(",", "."), line)
            for position, cell in enumerate(row, start=1) if len(cell) > MAX_CELL_CHARS]


def _width_error(line: int, cells: int, header: list[str]) -> FieldError:
    return FieldError("bestand", f"Deze rij heeft {cells} cellen, de kopregel {len(header)}. "
                      "Staat er een scheidingsteken (; of ,) in een tekst zonder "
                      "aanhalingstekens? Zet die tekst tussen aanhalingstekens (\"...\").", line)
