"""The catalogue of bad or odd import files: each kind, the Dutch words its refusal must
contain, and where (file line, column). test_bad_files.py runs every entry against the
signal import on SQLite and PostgreSQL and checks that nothing is stored.

Add a case here for every new kind of hostile or broken file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook

from tests.security.zip_bomb import bomb_xlsx

HEADER = "external_id;observed_on;wijk_code;reporter;category;description"
GOOD = "b-1;2026-03-10;WK099001;kf_noord;onvrede;Bewoners klagen"


@dataclass(frozen=True)
class BadFile:
    kind: str
    filename: str
    data: bytes
    words: str  # must occur in one error message
    line: int | None = None  # the file line that error names (None: the whole file)
    column: str = "bestand"


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _wide_xlsx() -> bytes:
    return _xlsx({"Blad1": [HEADER.split(";") + [f"x{i}" for i in range(60)]]})


def _long_cell_xlsx() -> bytes:
    return _xlsx({"Blad1": [HEADER.split(";"), GOOD.split(";")[:5] + ["x" * 20_000]]})


def _nul_after_4kb() -> bytes:
    filler = [f"f-{i};2026-03-10;WK099001;kf_noord;onvrede;Rustig" for i in range(120)]
    return _csv(HEADER, *filler, "n-1;2026-03-10;WK099001;kf_noord;onvrede;Na\x00der")


CATALOGUE = [
    # Decompression bombs and oversize spreadsheets.
    BadFile("xlsx zip bomb (1 MB on disk, 1 GB unpacked)", "bom.xlsx", bomb_xlsx(1024),
            "zipbom"),
    BadFile("xlsx with too many columns", "breed.xlsx", _wide_xlsx(), "meer dan 50 kolommen",
            1),
    BadFile("xlsx with a value right of the header", "rechts.xlsx",
            _xlsx({"Blad1": [HEADER.split(";"), GOOD.split(";") + ["vergeten"]]}),
            "rechts van de laatste kolom", 2),
    BadFile("xlsx with a giant cell", "lang.xlsx", _long_cell_xlsx(), "maximaal 10.000", 2,
            "kolom F"),
    BadFile("xlsx with data on the second sheet", "blad2.xlsx",
            _xlsx({"Leeg": [], "Meldingen": [HEADER.split(";"), GOOD.split(";")]}),
            "de gegevens staan op werkblad 'Meldingen'"),
    # Oversize CSV tables.
    BadFile("csv cell over 10.000 characters", "a.csv",
            _csv(HEADER, GOOD + "x" * 20_000), "20.015 tekens; maximaal 10.000", 2, "kolom 6"),
    BadFile("csv cell over the csv module's own limit", "a.csv",
            _csv(HEADER, GOOD + "x" * 200_000), "langer dan 10.000 tekens", 2),
    BadFile("csv with 60 columns", "a.csv", _csv(HEADER + ";x" * 54, GOOD + ";1" * 54),
            "60 cellen; de grens is 50", 1),
    BadFile("csv with more than 200.000 rows", "a.csv", _csv(HEADER, *[GOOD] * 200_001),
            "meer dan 200.000 rijen", 200_002),
    # Broken CSV quoting and cell counts.
    BadFile("unterminated quote swallows the next rows", "a.csv",
            _csv(HEADER, 'q-1;2026-03-10;WK099001;kf_noord;onvrede;"Begint maar',
                 "q-2;2026-03-10;WK099001;kf_noord;onvrede;stopt niet"),
            "wordt niet goed afgesloten", 2),
    BadFile("quote closed in the middle of a cell", "a.csv",
            _csv(HEADER, 'q-1;2026-03-10;WK099001;kf_noord;onvrede;"Half" open'),
            "wordt niet goed afgesloten", 2),
    BadFile("unquoted ; inside text", "a.csv",
            _csv(HEADER, "s-1;2026-03-10;WK099001;kf_noord;onvrede;eerst; dan meer"),
            "Deze rij heeft 7 cellen, de kopregel 6", 2),
    BadFile("extra cells after blank lines and a multi-line cell", "a.csv",
            _csv(HEADER, "", 'm-1;2026-03-10;WK099001;kf_noord;onvrede;"twee\r\nregels"', "",
                 "m-2;2026-03-10;WK099001;kf_noord;onvrede;tekst;extra"),
            "Deze rij heeft 7 cellen", 6),
    BadFile("bad date after blank lines names the physical line", "a.csv",
            _csv(HEADER, "", "", "d-1;gisteren;WK099001;kf_noord;onvrede;x"),
            "geen geldige datum", 4, "observed_on"),
    # Delimiters and encodings.
    BadFile("tab-separated", "a.csv", _csv(HEADER.replace(";", "\t"), GOOD.replace(";", "\t")),
            "gescheiden met tabs", 1),
    BadFile("pipe-separated", "a.csv", _csv(HEADER.replace(";", "|"), GOOD.replace(";", "|")),
            "gescheiden met verticale strepen", 1),
    BadFile("Excel 'Unicode text' (UTF-16 with BOM, tabs)", "a.csv",
            _csv(HEADER.replace(";", "\t"), GOOD.replace(";", "\t"), encoding="utf-16"),
            "gescheiden met tabs", 1),
    # Control characters.
    BadFile("NUL byte after the first 4 KB", "a.csv", _nul_after_4kb(), "NUL-teken", 122,
            "description"),
    BadFile("NUL byte in a code cell", "a.csv",
            _csv(HEADER, "c-1;2026-03-10;WK099001;kf_noord;onv\x00rede;x"), "NUL-teken", 2,
            "category"),
    BadFile("bidi override in a subtype", "a.csv",
            _csv(HEADER + ";subtype", GOOD + ";abc\u202edef"), "U+202E", 2, "subtype"),
    BadFile("escape character in a description", "a.csv",
            _csv(HEADER, "e-1;2026-03-10;WK099001;kf_noord;onvrede;kleur \x1b[31mrood"),
            "U+001B", 2, "description"),
]
