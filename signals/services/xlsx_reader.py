"""Reading an uploaded XLSX file without letting one upload starve the server.

An XLSX file is a zip, so a 1 MB upload can unpack to gigabytes (a decompression bomb).
Three layers bound what one file can cost:

1. Before anything is unpacked, the zip directory (read without inflating anything) must
   list few entries and a bounded total size. Python's zipfile never inflates an entry past
   its declared size (the CRC check fails first), so the declared sizes are a hard bound.
2. The first sheet is streamed (openpyxl read_only) with hard caps on rows, columns and
   cell length, so a forged sheet dimension or a giant cell stops early.
3. That parse runs in a child process with an address-space limit (RLIMIT_AS), a CPU limit
   and a wall-clock timeout, and at most `PARSE_SLOTS` run at once. Whatever openpyxl does
   with a hostile file, it costs one killed child and a Dutch refusal, never the memory or
   the CPU the other users of the server need.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from signals.errors import FieldError, ValidationError
from signals.services.spreadsheet_safety import unneutralise
from signals.services.textfiles import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    Table,
    file_error,
)

MB = 1 << 20
PARSE_SLOTS = 2  # XLSX files parsed at the same time per server process
SLOT_WAIT_SECONDS = 30
MAX_SHOWN_SHEETS = 20
UNREADABLE = ("Het Excel-bestand kan niet worden gelezen; sla het opnieuw op als .xlsx of "
              "gebruik CSV.")
_slots = threading.BoundedSemaphore(PARSE_SLOTS)
_PROJECT = Path(__file__).resolve().parents[2]
# openpyxl imports numpy; one BLAS thread keeps its reserved address space small on big hosts.
_CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class XlsxLimits:
    max_entries: int = 100  # a normal workbook has 10 to 30 zip entries
    max_unpacked_mb: int = 200  # about 400k rows of signals
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cell_chars: int = MAX_CELL_CHARS
    max_memory_mb: int = 1024  # the child's whole address space
    timeout_seconds: int = 60


LIMITS = XlsxLimits()


def read_xlsx(data: bytes, limits: XlsxLimits = LIMITS) -> Table:
    check_zip(data, limits)
    if not _slots.acquire(timeout=SLOT_WAIT_SECONDS):
        raise file_error("Er worden nu te veel Excel-bestanden tegelijk gelezen. Probeer het "
                         "over een minuut opnieuw.")
    try:
        answer = _parse_in_child(data, limits)
    finally:
        _slots.release()
    if "errors" in answer:
        raise ValidationError([FieldError(*error) for error in answer["errors"]])
    return Table(answer["header"], answer["rows"], answer["lines"], answer["header_line"])


def check_zip(data: bytes, limits: XlsxLimits = LIMITS) -> None:
    """Refuse a zip with too many entries or too much unpacked data, before unpacking."""
    # The entry count from the end record first: zipfile would build an object per entry.
    declared = _declared_entries(data)
    if declared is not None and declared > limits.max_entries:
        raise _too_many_entries(declared, limits)
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise file_error(UNREADABLE) from exc
    if len(entries) > limits.max_entries:
        raise _too_many_entries(len(entries), limits)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.max_unpacked_mb * MB:
        raise file_error(f"Het Excel-bestand is uitgepakt {unpacked / MB:,.0f} MB; de grens "
                         f"is {limits.max_unpacked_mb} MB. Dit bestand wordt niet gelezen "
                         "(het kan een 'zipbom' zijn). Splits het bestand op of gebruik CSV."
                         .replace(",", "."))


def _declared_entries(data: bytes) -> int | None:
    """The total entry count in the zip's end-of-central-directory record (ZIP64: 0xFFFF)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 12 > len(data):
        return None
    return int.from_bytes(data[end + 10:end + 12], "little")


def _too_many_entries(count: int, limits: XlsxLimits) -> ValidationError:
    return file_error(f"Het Excel-bestand bestaat uit {count} onderdelen; de grens is "
                      f"{limits.max_entries}. Sla het opnieuw op met alleen het werkblad met "
                      "de meldingen, of gebruik CSV.")


def _too_costly(limits: XlsxLimits) -> ValidationError:
    return file_error(f"Het Excel-bestand kost te veel om te lezen (meer dan "
                      f"{limits.timeout_seconds} seconden of {limits.max_memory_mb} MB "
                      "geheugen). Splits het bestand op of gebruik CSV.")


def _parse_in_child(data: bytes, limits: XlsxLimits) -> dict[str, Any]:
    # Through signals/xlsx_child.py: the child skips the services package's session hook.
    command = [sys.executable, "-m", "signals.xlsx_child", json.dumps(asdict(limits))]
    try:
        done = subprocess.run(command, input=data, capture_output=True, cwd=_PROJECT,
                              env=os.environ | _CHILD_ENV, timeout=limits.timeout_seconds,
                              check=False)
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise _too_costly(limits) from exc
    if done.returncode != 0 or not done.stdout:
        raise _too_costly(limits)
    return json.loads(done.stdout)


# --- the child process ----------------------------------------------------------------


def _limit_resources(limits: XlsxLimits) -> None:
    import resource

    memory = limits.max_memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits.timeout_seconds + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _child_main() -> None:
    limits = XlsxLimits(**json.loads(sys.argv[1]))
    _limit_resources(limits)
    data = sys.stdin.buffer.read()
    try:
        answer: dict[str, Any] = _table_dict(_read_book(data, limits))
    except ValidationError as exc:
        answer = {"errors": [[e.field, e.message, e.row] for e in exc.errors]}
    except MemoryError:
        sys.exit(3)
    sys.stdout.write(json.dumps(answer))


def _table_dict(table: Table) -> dict[str, Any]:
    return {"header": table.header, "rows": table.rows, "lines": table.lines,
            "header_line": table.header_line}


def _read_book(data: bytes, limits: XlsxLimits) -> Table:
    from openpyxl import load_workbook  # only the child needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise file_error(UNREADABLE) from exc
    try:
        if not book.worksheets:
            raise file_error("Het Excel-bestand heeft geen werkblad.")
        table = _read_sheet(book.worksheets[0], limits)
        if table is None:
            raise _empty_first_sheet(book)
        return table
    finally:
        book.close()


def _read_sheet(sheet: Any, limits: XlsxLimits) -> Table | None:
    """The sheet's header and rows (None when it is empty), with the caps enforced."""
    sheet.reset_dimensions()  # a forged dimension must not widen every row
    width = limits.max_columns + 1
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    lines: list[int] = []
    errors: list[FieldError] = []
    for number, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), 1):
        if number > limits.max_rows + 1:
            raise file_error(f"Het werkblad heeft meer dan {limits.max_rows:,} rijen. Splits "
                             "het bestand op.".replace(",", "."))
        cells = [_cell_text(value) for value in values]
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) == width and cells[-1].strip():
            raise file_error(f"Rij {number} heeft meer dan {limits.max_columns} kolommen. "
                             "Haal de overbodige kolommen weg.", number)
        errors.extend(_long_cells(cells, number, limits.max_cell_chars))
        if len(errors) > 200:
            break
        if header is None:
            named = [c.strip().lower() for c in cells]
            while named and not named[-1]:
                named.pop()
            header, header_line = named, number
        elif any(c.strip() for c in cells[len(header):]):
            errors.append(FieldError("bestand", f"Rij {number} heeft een waarde rechts van de "
                                                "laatste kolom van de kopregel; geef die "
                                                "kolom een naam of haal de waarde weg.", number))
        else:
            rows.append(cells)
            lines.append(number)
    if errors:
        raise ValidationError(errors)
    if header is None:
        return None
    return Table(header, rows, lines, header_line)


def _long_cells(cells: list[str], row: int, limit: int) -> list[FieldError]:
    from openpyxl.utils import get_column_letter

    return [FieldError(f"kolom {get_column_letter(i)}",
                       f"de cel heeft {len(cell):,} tekens; maximaal {limit:,}"
                       .replace(",", "."), row)
            for i, cell in enumerate(cells, start=1) if len(cell) > limit]


def _empty_first_sheet(book: Any) -> ValidationError:
    from signals.services.plain_text import shown

    first = book.worksheets[0].title
    for sheet in book.worksheets[1:MAX_SHOWN_SHEETS]:
        sheet.reset_dimensions()
        for values in sheet.iter_rows(max_row=50, max_col=50, values_only=True):
            if any(_cell_text(v).strip() for v in values):
                return file_error(
                    f"Het eerste werkblad ('{shown(first)}') is leeg; de gegevens staan op "
                    f"werkblad '{shown(sheet.title)}'. Zet ze op het eerste werkblad (of "
                    "verwijder het lege werkblad) en kies het bestand opnieuw.")
    return file_error("Het bestand is leeg.")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value))


if __name__ == "__main__":
    _child_main()
