"""Reading a signals file (CSV or XLSX, docs/formats.md) into typed rows with every problem listed.

Pure parsing: no database. A cell that is empty (or a column that is absent) comes out as
None, meaning "not given": the import fills the documented default for a new signal and
keeps the stored value for an existing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from signals.domain import (
    CATEGORIES,
    PLATFORMS,
    POLARISATIONS,
    REACHES,
    RELIABILITIES,
    REPORTER_ROLES,
    SOURCES,
    STATUS_LABELS,
    THEMES,
)
from signals.errors import FieldError, ValidationError
from signals.services.import_synonyms import SYNONYMS, platform_name, word_key
from signals.services.plain_text import (
    BIDI_CONTROLS,
    normalise_newlines,
    shown,
    text_problem,
)
from signals.services.spreadsheet_safety import FORMULA_TRIGGERS, unneutralise
from signals.services.textfiles import MAX_UPLOAD_BYTES, Table, check_size, read_csv
from signals.services.xlsx_reader import read_xlsx

IMPORT_COLUMNS = ("external_id", "observed_on", "wijk_code", "reporter", "reporter_role",
                  "category", "subtype", "themes", "severity", "source", "online", "platform",
                  "platform_name", "reach", "reliability", "polarisation", "action_date",
                  "action_place", "status", "description")
MAX_PLATFORM_NAME = 40
REQUIRED_COLUMNS = ("observed_on", "wijk_code", "reporter", "category")
MAX_EXTERNAL_ID = 100
MAX_USERNAME = 80
DATE_HINT = "gebruik JJJJ-MM-DD of DD-MM-JJJJ, bijvoorbeeld 2026-03-12 of 12-03-2026"
TRUE_WORDS = frozenset({"ja", "j", "true", "waar", "1", "yes", "y", "x"})
FALSE_WORDS = frozenset({"nee", "n", "false", "onwaar", "0", "no"})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_THEME_SPLIT = re.compile(r"[;,|]")
_INTEGER = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")


def _codes(mapping: dict[str, str], field: str) -> dict[str, str]:
    """Accept a code, its Dutch label or a synonym, in any case (keys by `word_key`)."""
    lookup = {word_key(word): code for word, code in SYNONYMS.get(field, {}).items()}
    lookup.update({word_key(label): code for code, label in mapping.items()})
    lookup.update({word_key(code): code for code in mapping})
    return lookup


SOURCE_CODES = _codes(SOURCES, "source")
REACH_CODES = _codes(REACHES, "reach")
RELIABILITY_CODES = _codes(RELIABILITIES, "reliability")
POLARISATION_CODES = _codes(POLARISATIONS, "polarisation")
PLATFORM_CODES = _codes(PLATFORMS, "platform")
ROLE_CODES = _codes(REPORTER_ROLES, "reporter_role")
STATUS_CODES = _codes({s.value: label for s, label in STATUS_LABELS.items()}, "status")
CATEGORY_CODES = _codes({c.code: c.label for c in CATEGORIES}, "category")
THEME_LABEL_CODES = {label.lower(): code for code, label in THEMES.items()}


@dataclass
class ParsedFile:
    header: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)  # one dict per data row
    raw: list[list[str]] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)


def read_table(filename: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> Table:
    """Header (lower-case) and data rows as strings, from CSV or XLSX, with their lines."""
    check_size(data, limit)
    if not data.strip():
        raise ValidationError([FieldError("bestand", "Het bestand is leeg.")])
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    return read_csv(data)


def column_index(header: list[str], line: int = 1) -> dict[str, int]:
    """Column positions; missing required, unknown or repeated columns are errors."""
    errors = [FieldError(c, "verplichte kolom ontbreekt in de kopregel", line)
              for c in REQUIRED_COLUMNS if c not in header]
    seen: dict[str, int] = {}
    for position, name in enumerate(header):
        if not name:
            continue
        if name not in IMPORT_COLUMNS:
            errors.append(FieldError(shown(name), "onbekende kolom; toegestaan zijn: "
                                                  + ", ".join(IMPORT_COLUMNS), line))
        elif name in seen:
            errors.append(FieldError(name, "deze kolom staat twee keer in de kopregel", line))
        seen.setdefault(name, position)
    if errors:
        raise ValidationError(errors)
    return seen


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD or DD-MM-YYYY; None when it is not a valid date."""
    match = _ISO_DATE.match(text)
    parts = (match.group(1), match.group(2), match.group(3)) if match else None
    if parts is None and (match := _DUTCH_DATE.match(text)):
        parts = (match.group(3), match.group(2), match.group(1))
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


class _Columns:
    """Parses the file column by column: each distinct cell value is interpreted once.

    Values repeat a lot (dates, codes, wijken), so this is what keeps 100k rows fast.
    """

    def __init__(self, cells: dict[str, list[str]], numbers: list[int],
                 errors: list[FieldError]) -> None:
        self.cells = cells
        self.numbers = numbers
        self.size = len(numbers)
        self.errors = errors

    def plain(self, name: str, multiline: bool = False) -> None:
        """The shared text check, once per distinct value of the column."""
        column = self.cells.get(name) or []
        distinct = set(column)
        joined = "".join(distinct)
        if joined.isprintable() and BIDI_CONTROLS.isdisjoint(joined):
            return  # text_problem's fast path for all values at once: no value has one
        bad = {value: problem for value in distinct
               if value and (problem := text_problem(value, multiline))}
        if bad:
            self.errors.extend(FieldError(name, bad[value], number)
                               for number, value in zip(self.numbers, column, strict=True)
                               if value in bad)

    def column(self, name: str) -> list[str]:
        return self.cells.get(name) or [""] * self.size

    def convert(self, name: str, convert: Callable[[str], Any],
                message: Callable[[str], str]) -> list[Any]:
        """Map every distinct value once; `message` says what is wrong when it maps to None
        (an empty message: None is fine, e.g. an empty optional cell)."""
        column = self.column(name)
        meaning: dict[str, Any] = {}
        bad: dict[str, str] = {}
        for value in set(column):
            meaning[value] = result = convert(unneutralise(value))
            if result is None and (problem := message(unneutralise(value))):
                bad[value] = problem
        if bad:
            self.errors.extend(FieldError(name, bad[value], number)
                               for number, value in zip(self.numbers, column, strict=True)
                               if value in bad)
        return list(map(meaning.__getitem__, column))

    def codes(self, name: str, codes: dict[str, str], required: bool = False) -> list[Any]:
        allowed = ", ".join(sorted(set(codes.values())))
        if name == "platform":
            allowed += " of een platformnaam zoals Telegram, WhatsApp, TikTok of Facebook"

        def message(value: str) -> str:
            if not value:
                return "verplicht" if required else ""
            return f"onbekende waarde '{shown(value)}'; kies uit: {allowed}"
        return self.convert(name, lambda v: codes.get(word_key(v)) if v else None, message)

    def text(self, name: str, limit: int | None = None) -> list[str | None]:
        """The cells as text (an empty cell: None), a neutralised formula undone; each
        distinct value is looked at once."""
        column = self.column(name)
        shown_as = {v: (v[1:] if v[:1] == "'" and v[1:2] in FORMULA_TRIGGERS else v) or None
                    for v in set(column)}
        if limit is not None and any(len(v) > limit for v in shown_as.values() if v):
            self.errors.extend(FieldError(name, f"maximaal {limit} tekens", number)
                               for number, value in zip(self.numbers, column, strict=True)
                               if len(shown_as[value] or "") > limit)
        return list(map(shown_as.__getitem__, column))


def _date_message(required: bool) -> Callable[[str], str]:
    def message(value: str) -> str:
        if not value:
            return f"verplicht; {DATE_HINT}" if required else ""
        return f"'{shown(value)}' is geen geldige datum; {DATE_HINT}"
    return message


def _theme_parser(themes: Iterable[str]):  # type: ignore[no-untyped-def]
    known = set(themes)
    lookup = {t.lower(): t for t in known} | {
        label: code for label, code in THEME_LABEL_CODES.items() if code in known}
    choices = ", ".join(sorted(known))

    def split(value: str) -> tuple[list[str], list[str]]:
        parts = [p.strip() for p in _THEME_SPLIT.split(value) if p.strip()]
        return [lookup[p.lower()] for p in parts if p.lower() in lookup], \
            [p for p in parts if p.lower() not in lookup]

    def convert(value: str) -> tuple[str, ...] | None:
        if not value:
            return None
        found, unknown = split(value)
        return None if unknown else tuple(dict.fromkeys(found))

    def message(value: str) -> str:
        unknown = split(value)[1]
        return ("onbekend thema " + ", ".join(f"'{shown(t)}'" for t in unknown[:5])
                + f"; kies uit: {choices}") if unknown else ""
    return convert, message


def _platform_names(c: _Columns) -> list[str | None]:
    """The platform_name column where given, else the name in the platform cell
    ('telegram' -> 'Telegram'); None when the platform is given as a type."""
    c.plain("platform_name")
    given = c.text("platform_name", MAX_PLATFORM_NAME)
    return [name or (platform_name(unneutralise(cell)) if cell else None)
            for name, cell in zip(given, c.column("platform"), strict=True)]


def _severity(value: str) -> int | None:
    if not value or not _INTEGER.match(value):
        return None
    return int(value.replace(",", ".").split(".")[0])


def _boolean(value: str) -> bool | None:
    word = value.lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _wijk_message(wijken: dict[str, int]) -> Callable[[str], str]:
    def message(value: str) -> str:
        if not value:
            return "verplicht; vul de CBS-wijkcode in (WKggggww)"
        return f"onbekende wijk '{shown(value)}'; importeer de wijk eerst of controleer de code"
    return message


def _reporter(value: str) -> str | None:
    if not value or len(value) > MAX_USERNAME or any(c.isspace() for c in value):
        return None
    return value


def _reporter_message(value: str) -> str:
    if not value:
        return ""  # required for a new signal only; the import checks that
    return (f"'{shown(value, 40)}' is geen geldige gebruikersnaam (geen spaties, maximaal "
            f"{MAX_USERNAME} tekens)")


def parse_rows(header: list[str], rows: list[list[str]], wijken: dict[str, int],
               themes: Iterable[str], lines: list[int] | None = None,
               header_line: int = 1) -> ParsedFile:
    """Typed rows and their errors, numbered by `lines` (the file's line of each row; by
    default the header is line 1 and the rows follow without gaps).

    An empty cell is None ("not given"); a bad cell is None too, with an error.
    """
    index = column_index(header, header_line)
    numbers = lines if lines is not None else list(range(2, len(rows) + 2))
    if not rows:
        raise ValidationError([FieldError("bestand", "Het bestand bevat alleen een kopregel "
                                                     "en geen meldingen.")])
    width = len(header)
    padded = [row if len(row) == width else (row + [""] * width)[:width] for row in rows]
    transposed = list(zip(*padded, strict=True))
    cells = {name: list(map(str.strip, transposed[position]))
             for name, position in index.items()}
    if "description" in cells:
        cells["description"] = [normalise_newlines(v) for v in cells["description"]]
    errors: list[FieldError] = []
    c = _Columns(cells, numbers, errors)
    for name in cells:
        c.plain(name, multiline=name == "description")
    theme_convert, theme_message = _theme_parser(themes)
    upper_wijken = {code.upper(): code for code in wijken}
    values: dict[str, list[Any]] = {
        "external_id": c.text("external_id", MAX_EXTERNAL_ID),
        "wijk_code": c.convert("wijk_code", lambda v: upper_wijken.get(v.upper()),
                               _wijk_message(wijken)),
        "observed_on": c.convert("observed_on", parse_date, _date_message(True)),
        "reporter": c.convert("reporter", _reporter, _reporter_message),
        "reporter_role": c.codes("reporter_role", ROLE_CODES),
        "category": c.codes("category", CATEGORY_CODES, required=True),
        "subtype": c.text("subtype"),
        "themes": c.convert("themes", theme_convert, theme_message),
        "severity": c.convert("severity", _severity,
                              lambda v: f"'{shown(v)}' is geen geheel getal; gebruik 1 tot en met 5"
                              if v else ""),
        "source": c.codes("source", SOURCE_CODES),
        "online": c.convert("online", _boolean,
                            lambda v: f"'{shown(v)}' is geen ja of nee" if v else ""),
        "platform": c.codes("platform", PLATFORM_CODES),
        "platform_name": _platform_names(c),
        "reach": c.codes("reach", REACH_CODES),
        "reliability": c.codes("reliability", RELIABILITY_CODES),
        "polarisation": c.codes("polarisation", POLARISATION_CODES),
        "action_date": c.convert("action_date", parse_date, _date_message(False)),
        "action_place": c.text("action_place"),
        "status": c.codes("status", STATUS_CODES),
        "description": c.text("description"),
    }
    names = list(values)
    parsed = [dict(zip(names, row, strict=True), row=number)
              for number, row in zip(numbers, zip(*values.values(), strict=True), strict=True)]
    _duplicates(parsed, errors)
    errors.sort(key=lambda e: (e.row or 0, IMPORT_COLUMNS.index(e.field)
                               if e.field in IMPORT_COLUMNS else -1))
    return ParsedFile(header, parsed, rows, errors)


def _duplicates(parsed: list[dict[str, Any]], errors: list[FieldError]) -> None:
    first_row: dict[str, int] = {}
    for values in parsed:
        key = values["external_id"]
        if key is None:
            continue
        if key in first_row:
            errors.append(FieldError("external_id", f"'{shown(key)}' staat ook in rij "
                                                    f"{first_row[key]}; elk kenmerk mag maar "
                                                    "één keer voorkomen", values["row"]))
        else:
            first_row[key] = values["row"]
