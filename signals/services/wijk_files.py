"""Parse area files into records: geodata through GDAL (signals.services.geodata) or a CSV
with names only. Columns are detected (signals.services.area_codes) or chosen by the user."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from signals.errors import FieldError, ValidationError
from signals.services.area_codes import (
    SCHEME_LABELS,
    ColumnChoice,
    ColumnMapping,
    Scheme,
    code_problem,
    detect_columns,
    gemeente_from_code,
    normalize_gemeente,
    scheme_of,
)
from signals.services.geodata import is_geodata, list_layers, read_columns, read_geodata
from signals.services.plain_text import text_problem
from signals.services.textfiles import check_size, read_csv

MAX_NAME = 200


@dataclass(frozen=True)
class WijkRecord:
    code: str
    name: str
    geometry: dict[str, Any] | None = None
    gemeente: str | None = None
    gemeente_name: str | None = None


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose: columns, a gemeente (filter or assignment), layer and CRS."""

    columns: ColumnChoice = field(default_factory=ColumnChoice)
    gemeente: str | None = None
    layer: str | None = None
    crs: str | None = None


@dataclass(frozen=True)
class ParsedFile:
    records: list[WijkRecord]
    columns: list[str]
    mapping: ColumnMapping
    scheme: Scheme
    notes: list[str]


@dataclass(frozen=True)
class _Table:
    columns: list[str]
    rows: list[dict[str, str]]
    geometries: list[dict[str, Any] | None]
    lines: list[int]  # the file's line (CSV) or feature number of each row, for messages
    notes: list[str]


def file_columns(filename: str, data: bytes, options: ImportOptions) -> list[str]:
    if is_geodata(filename, data):
        return read_columns(filename, data, options.layer)
    return _read(filename, data, options).columns


def file_layers(filename: str, data: bytes) -> list[str]:
    """The layers to choose from (GeoPackage, TopoJSON); empty for CSV."""
    return list_layers(filename, data) if is_geodata(filename, data) else []


def parse_wijk_file(filename: str, data: bytes,
                    options: ImportOptions | None = None) -> ParsedFile:
    options = options or ImportOptions()
    table = _read(filename, data, options)
    mapping = detect_columns(table.columns, options.columns)
    scheme = _dominant_scheme(table.rows, mapping)
    records, errors, seen = [], [], set()
    for index, row in enumerate(table.rows):
        row_no = table.lines[index]
        record = _record(row, mapping, table.geometries[index], row_no, errors)
        if record and scheme_of(record.code) is not scheme:
            errors.append(FieldError(mapping.code, f"'{record.code}' past niet bij de "
                                     f"indeling van dit bestand ({SCHEME_LABELS[scheme]})",
                                     row_no))
        elif record and record.code in seen:
            errors.append(FieldError(mapping.code, f"{record.code} komt dubbel voor", row_no))
        elif record:
            records.append(record)
            seen.add(record.code)
    if errors:
        raise ValidationError(errors)
    if not records:
        raise ValidationError([FieldError("bestand", "Het bestand bevat geen gebieden.")])
    records, notes = _by_gemeente(records, options.gemeente, mapping)
    return ParsedFile(records, table.columns, mapping, scheme, table.notes + notes)


def _read(filename: str, data: bytes, options: ImportOptions) -> _Table:
    if is_geodata(filename, data):
        geo = read_geodata(filename, data, options.layer, options.crs)
        return _Table(geo.columns, geo.rows, geo.geometries,
                      list(range(1, len(geo.rows) + 1)),
                      [f"Coördinatenstelsel: {geo.crs_note}"])
    if not filename.lower().endswith((".csv", ".txt")):
        raise ValidationError([FieldError("bestand", (
            "Onbekend bestandstype. Gebruik GeoJSON (.geojson/.json), TopoJSON (.topojson), "
            "een shapefile-zip (.zip), een GeoPackage (.gpkg) of CSV (.csv, alleen namen)."))])
    check_size(data)
    table = read_csv(data)
    header = table.header
    dicts = [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
             for row in table.rows]
    return _Table(header, dicts, [None] * len(dicts), list(table.lines), [])


def _record(row: dict[str, str], mapping: ColumnMapping, geometry: dict | None, row_no: int,
            errors: list[FieldError]) -> WijkRecord | None:
    code = (row.get(mapping.code) or "").strip().upper()
    name = (row.get(mapping.name) or "").strip()
    problem = code_problem(code, scheme_of(code))
    ok = problem is None
    if problem:
        errors.append(FieldError(mapping.code, problem, row_no))
    if not name:
        errors.append(FieldError(mapping.name, "naam ontbreekt", row_no))
        ok = False
    elif problem := text_problem(name):
        errors.append(FieldError(mapping.name, problem, row_no))
        ok = False
    elif len(name) > MAX_NAME:
        errors.append(FieldError(mapping.name, f"de naam is {len(name)} tekens; maximaal "
                                               f"{MAX_NAME}", row_no))
        ok = False
    gemeente = gemeente_from_code(code) if ok else None
    if gemeente is None and mapping.gemeente and row.get(mapping.gemeente):
        gemeente = normalize_gemeente(row[mapping.gemeente])
        if gemeente is None:
            errors.append(FieldError(mapping.gemeente, f"'{row[mapping.gemeente][:20]}' is "
                                     "geen gemeentecode (GMxxxx of een NIS-code)", row_no))
            ok = False
    gemeente_name = (row.get(mapping.gemeente_name or "") or "").strip()[:200] or None
    return WijkRecord(code, name[:200], geometry, gemeente, gemeente_name) if ok else None


def _by_gemeente(records: list[WijkRecord], wanted: str | None,
                 mapping: ColumnMapping) -> tuple[list[WijkRecord], list[str]]:
    """Filter on the chosen gemeente, or assign it when the file names none; say which."""
    if wanted is None:
        missing = sum(r.gemeente is None for r in records)
        if missing:
            raise ValidationError([FieldError("gemeente", (
                f"Bij {missing} gebied(en) is de gemeente onbekend: de code noemt geen "
                "gemeente en er is geen gemeentekolom. Kies de gemeentekolom of geef de "
                "gemeente op (--gemeente)."))])
        return records, []
    code = normalize_gemeente(wanted)
    if code is None:
        raise ValidationError([FieldError("gemeente", f"'{wanted}' is geen gemeentecode "
                                          "(GMxxxx, of een Belgische NIS-code van 5 cijfers)")])
    if all(r.gemeente is None for r in records):
        note = (f"Alle {len(records)} gebieden horen bij gemeente {code}: het bestand noemt "
                "geen gemeente.")
        return [_with_gemeente(r, code) for r in records], [note]
    kept = [r for r in records if r.gemeente == code]
    how = (f"de gemeentekolom {mapping.gemeente}" if mapping.gemeente
           else "het begin van de gebiedscode")
    if not kept:
        found = ", ".join(sorted({r.gemeente for r in records if r.gemeente})[:20])
        raise ValidationError([FieldError("gemeente", (
            f"Het bestand bevat geen gebieden van gemeente {code} (gezocht via {how}); "
            f"wel van: {found}."))])
    unknown = [r for r in records if r.gemeente is None]
    if unknown:
        raise ValidationError([FieldError("gemeente", (
            f"Bij {len(unknown)} gebied(en) is de gemeente leeg; filteren op {code} kan dan "
            "niet zeker."))])
    note = (f"Alleen gemeente {code}: {len(kept)} van {len(records)} gebieden (herkend aan "
            f"{how}).")
    return kept, [note]


def _with_gemeente(record: WijkRecord, code: str) -> WijkRecord:
    return WijkRecord(record.code, record.name, record.geometry, code, record.gemeente_name)


def _dominant_scheme(rows: list[dict[str, str]], mapping: ColumnMapping) -> Scheme:
    """One scheme per file: the most common one; codes of another scheme are row errors."""
    schemes = Counter(scheme_of((row.get(mapping.code) or "").strip().upper()) for row in rows)
    return schemes.most_common(1)[0][0] if schemes else Scheme.EIGEN
