"""Area schemes and their codes, and finding the code/name/gemeente columns of a file.

Schemes: CBS wijken (WK + 4-digit gemeente + 2 characters), CBS buurten (BU + 4-digit
gemeente + 4 characters), Statbel statistical sectors (5-digit NIS code + letter + 3
characters) and a municipality's own codes. The gemeente follows from the code for the
first three; own codes need a gemeente column or an explicit gemeente.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from signals.errors import FieldError, ValidationError

MAX_CODE = 40


class Scheme(StrEnum):
    CBS_WIJK = "cbs_wijk"
    CBS_BUURT = "cbs_buurt"
    STATBEL_SECTOR = "statbel_sector"
    EIGEN = "eigen"


SCHEME_LABELS = {
    Scheme.CBS_WIJK: "CBS-wijken",
    Scheme.CBS_BUURT: "CBS-buurten",
    Scheme.STATBEL_SECTOR: "Statbel statistische sectoren",
    Scheme.EIGEN: "eigen gebiedsindeling",
}
_CBS_WIJK = re.compile(r"^WK(\d{4})[0-9A-Z]{2}$")
_CBS_BUURT = re.compile(r"^BU(\d{4})[0-9A-Z]{4}$")
_STATBEL = re.compile(r"^(\d{5})[A-Z][0-9A-Z]{2}[0-9A-Z-]$")
_OWN = re.compile(r"^[0-9A-Z_-]{1,40}$")
_GEMEENTE_CBS = re.compile(r"^(?:GM)?(\d{1,4})$")
_GEMEENTE_NIS = re.compile(r"^\d{5}$")

CODE_COLUMNS = ("bu_code", "buurtcode", "wk_code", "wijkcode", "statcode", "cd_sector",
                "wijk_code", "buurt_code", "cbscode", "gebiedcode", "gebied_code", "code")
NAME_COLUMNS = ("bu_naam", "buurtnaam", "wk_naam", "wijknaam", "statnaam",
                "tx_sector_descr_nl", "wijk_naam", "buurt_naam", "gebiednaam", "gebied_naam",
                "naam", "name", "wijk")
GEMEENTE_COLUMNS = ("gm_code", "gemeentecode", "cd_munty_refnis", "gemeente_code", "gmcode",
                    "cd_refnis", "nis_code", "niscode")
GEMEENTE_NAME_COLUMNS = ("gm_naam", "gemeentenaam", "tx_munty_descr_nl", "gemeente_naam",
                         "gemeente")


def scheme_of(code: str) -> Scheme:
    if code.startswith("WK") and code[2:3].isdigit():
        return Scheme.CBS_WIJK
    if code.startswith("BU") and code[2:3].isdigit():
        return Scheme.CBS_BUURT
    if _STATBEL.match(code):
        return Scheme.STATBEL_SECTOR
    return Scheme.EIGEN


def code_problem(code: str, scheme: Scheme) -> str | None:
    """Why a (stripped, upper-cased) code is not valid in its scheme, or None."""
    if not code:
        return "code ontbreekt"
    if scheme is Scheme.CBS_WIJK and not _CBS_WIJK.match(code):
        return f"'{code}' is geen CBS-wijkcode (WK + 4 cijfers gemeente + 2 tekens)"
    if scheme is Scheme.CBS_BUURT and not _CBS_BUURT.match(code):
        return f"'{code}' is geen CBS-buurtcode (BU + 4 cijfers gemeente + 4 tekens)"
    if not _OWN.match(code):
        return (f"'{code[:60]}' mag alleen letters, cijfers, - en _ bevatten "
                f"(hoogstens {MAX_CODE} tekens)")
    return None


def gemeente_from_code(code: str) -> str | None:
    for pattern, prefix in ((_CBS_WIJK, "GM"), (_CBS_BUURT, "GM"), (_STATBEL, "")):
        found = pattern.match(code)
        if found:
            return prefix + found.group(1)
    return None


def normalize_gemeente(value: str) -> str | None:
    """'363', '0363' or 'GM0363' -> 'GM0363'; a 5-digit NIS/REFNIS code stays as it is."""
    cleaned = value.strip().upper()
    found = _GEMEENTE_CBS.match(cleaned)
    if found:
        return "GM" + found.group(1).zfill(4)
    return cleaned if _GEMEENTE_NIS.match(cleaned) else None


@dataclass(frozen=True)
class ColumnChoice:
    """Columns chosen by the user; None means: detect."""

    code: str | None = None
    name: str | None = None
    gemeente: str | None = None


@dataclass(frozen=True)
class ColumnMapping:
    code: str
    name: str
    gemeente: str | None
    gemeente_name: str | None


def detect_columns(columns: list[str], choice: ColumnChoice | None = None) -> ColumnMapping:
    """Match the columns case-insensitively to the layouts people have; explain failures."""
    choice = choice or ColumnChoice()
    by_lower = {c.lower(): c for c in columns}
    errors: list[FieldError] = []

    def pick(chosen: str | None, candidates: tuple[str, ...], label: str,
             required: bool) -> str | None:
        if chosen:
            if chosen.lower() in by_lower:
                return by_lower[chosen.lower()]
            errors.append(FieldError(label, f"kolom '{chosen}' staat niet in het bestand"))
            return None
        found = next((by_lower[c] for c in candidates if c in by_lower), None)
        if found is None and required:
            errors.append(FieldError(label, "geen kolom herkend"))
        return found

    code = pick(choice.code, CODE_COLUMNS, "codekolom", True)
    name = pick(choice.name, tuple(c for c in NAME_COLUMNS if by_lower.get(c) != code),
                "naamkolom", True)
    gemeente = pick(choice.gemeente, GEMEENTE_COLUMNS, "gemeentekolom", False)
    gemeente_name = pick(None, GEMEENTE_NAME_COLUMNS, "gemeentenaam", False)
    if errors:
        found = ", ".join(columns) or "geen"
        errors.append(FieldError("kolommen", f"gevonden kolommen: {found}. Kies de kolommen "
                                 "(in het scherm, of met --code-kolom, --naam-kolom en "
                                 "--gemeente-kolom)."))
        raise ValidationError(errors)
    assert code is not None and name is not None
    return ColumnMapping(code, name, gemeente, gemeente_name)
