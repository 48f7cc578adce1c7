"""Personal-data check on free text before it is saved (phenomena, not persons: docs/privacy.md).

Finds e-mail addresses, phone numbers (phonenumbers), BSN numbers (11-test, python-stdnum),
Dutch licence plates (the RDW sidecodes 1-14; python-stdnum has no plate module), IBANs
(mod-97, python-stdnum), postcode plus house number, @handles and profile links. Nothing is
altered: the caller shows the matches and the user removes them or confirms with a reason.
A confirmation is written to the signal's history by `signal_history.record_confirmation`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType
from stdnum import iban
from stdnum.nl import bsn, postcode

from signals.errors import FieldError, ValidationError
from signals.services.plain_text import text_problem

PII_LABELS: dict[str, str] = {
    "email": "e-mailadres",
    "profiel": "link naar een profiel",
    "iban": "IBAN (rekeningnummer)",
    "adres": "postcode met huisnummer",
    "telefoon": "telefoonnummer",
    "kenteken": "kenteken",
    "bsn": "BSN (burgerservicenummer)",
    "handle": "@-naam van een account",
}
MIN_REASON = 10
CONFIRMED_ACTION = "pii_bevestigd"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PROFILE = re.compile(
    r"(?<![\w.\-/])(?:https?://)?(?:(?:www|m|mobile|vm|web)\.)?"
    r"(?:facebook\.com|fb\.com|fb\.me|instagram\.com|tiktok\.com|twitter\.com|x\.com|"
    r"t\.me|telegram\.me|youtube\.com|youtu\.be)/[^\s<>\"']+", re.IGNORECASE)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{1,4}){3,8}(?![A-Za-z0-9])")
_POSTCODE = r"[1-9]\d{3} ?[A-Z]{2}"
_HOUSE_NUMBER = r"\d{1,5}(?: ?[A-Za-z](?![A-Za-z])|-\d{1,4})?"
_ADDRESS = re.compile(
    rf"(?<![\w])(?:(?P<pc1>{_POSTCODE})[ ,]+(?:nr\.? ?|huisnummer )?{_HOUSE_NUMBER}"
    rf"|{_HOUSE_NUMBER},? +(?P<pc2>{_POSTCODE}))(?![\w])")
_PHONE_HINT = re.compile(r"(?:\+|\b0)\d[\d \-().]{6,}\d")
_BSN = re.compile(r"(?<![\w.\-])\d(?:[ .]?\d){8}(?![\w\-]|\.\d)")
_HANDLE = re.compile(r"(?<![\w.%+\-@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
_NOT_PERSONAL_PHONES = {PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE,
                        PhoneNumberType.SHARED_COST}
_TRAILING = ".,;:!?)]}'\""

# RDW sidecodes: L = letter, D = digit. Written with dashes; run together only in capitals.
SIDECODES = ("LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL",
             "DD-LLL-D", "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL",
             "D-LL-DDD", "DDD-LL-D")


def _sidecode_regex(separator: str, letters: str) -> str:
    parts = []
    for code in SIDECODES:
        groups = [("[" + letters + "]" if g[0] == "L" else r"\d") + "{" + str(len(g)) + "}"
                  for g in code.split("-")]
        parts.append(separator.join(groups))
    return r"(?<![A-Za-z0-9\-])(?:" + "|".join(parts) + r")(?![A-Za-z0-9\-])"


_PLATE_DASHED = re.compile(_sidecode_regex("-", "A-Za-z"))
_PLATE_PLAIN = re.compile(_sidecode_regex("", "A-Z"))


@dataclass(frozen=True)
class PiiMatch:
    kind: str
    value: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return PII_LABELS[self.kind]


def scan(text: str | None) -> list[PiiMatch]:
    """Every personal-data match in `text`, in reading order, without overlaps."""
    if not text or not _ANY_HINT.search(text):
        return []  # every kind needs a digit, an @ or a /: most texts end here
    found: list[PiiMatch] = []
    has_digit = _DIGIT.search(text) is not None
    for hint, finder in _FINDERS:
        if hint == "digit":
            if not has_digit:
                continue
        elif hint not in text:
            continue
        for match in finder(text):
            if not any(match.start < m.end and m.start < match.end for m in found):
                found.append(match)
    return sorted(found, key=lambda m: m.start)


def might_contain(text: str) -> bool:
    """A cheap pre-check: False means `scan` would find nothing."""
    return _ANY_HINT.search(text) is not None


def scan_fields(fields: Mapping[str, str | None]) -> dict[str, list[PiiMatch]]:
    """Matches per field name, only for fields that have any."""
    result = {name: scan(value) for name, value in fields.items()}
    return {name: matches for name, matches in result.items() if matches}


def _regex(kind: str, pattern: re.Pattern[str], valid=None):  # type: ignore[no-untyped-def]
    def find(text: str) -> list[PiiMatch]:
        out = []
        for m in pattern.finditer(text):
            value = m.group(0).rstrip(_TRAILING) if kind == "profiel" else m.group(0)
            if valid is None or valid(value):
                out.append(PiiMatch(kind, value, m.start(), m.start() + len(value)))
        return out
    return find


def _ibans(text: str) -> list[PiiMatch]:
    out = []
    for m in _IBAN.finditer(text):
        parts = m.group(0).split(" ")
        for keep in range(len(parts), 0, -1):  # the greedy match may run into the next word
            value = " ".join(parts[:keep])
            if iban.is_valid(value):
                out.append(PiiMatch("iban", value, m.start(), m.start() + len(value)))
                break
    return out


def _addresses(text: str) -> list[PiiMatch]:
    out = []
    for m in _ADDRESS.finditer(text):
        code = m.group("pc1") or m.group("pc2")
        if postcode.is_valid(code):
            out.append(PiiMatch("adres", m.group(0), m.start(), m.end()))
    return out


def _phones(text: str) -> list[PiiMatch]:
    if not _PHONE_HINT.search(text):  # phonenumbers is slow; most texts have no number
        return []
    out = []
    for m in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
        raw = m.raw_string
        if not raw.lstrip("(").startswith(("+", "0")):
            continue  # a bare run of digits is no phone number (and may be a BSN)
        if phonenumbers.number_type(m.number) in _NOT_PERSONAL_PHONES:
            continue  # 0800/0900 service numbers are not personal
        out.append(PiiMatch("telefoon", raw, m.start, m.end))
    return out


def _plates(text: str) -> list[PiiMatch]:
    return [PiiMatch("kenteken", m.group(0), m.start(), m.end())
            for pattern in (_PLATE_DASHED, _PLATE_PLAIN) for m in pattern.finditer(text)]


def _bsn_valid(value: str) -> bool:
    return bsn.is_valid(value.replace(" ", "").replace(".", ""))


# (what the text must contain, finder). Order matters: an accepted match hides later
# overlapping ones (an e-mail address is no @handle).
_FINDERS = (
    ("@", _regex("email", _EMAIL)),
    ("/", _regex("profiel", _PROFILE)),
    ("digit", _ibans),
    ("digit", _addresses),
    ("digit", _phones),
    ("digit", _plates),
    ("digit", _regex("bsn", _BSN, _bsn_valid)),
    ("@", _regex("handle", _HANDLE)),
)
_ANY_HINT = re.compile(r"[\d@/]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class PiiConfirmation:
    """The user saw the matches and keeps them, with a reason.

    `values` are the matches the user saw; None confirms every match (an import preview
    that listed them all).
    """

    reason: str
    values: frozenset[str] | None = None

    def covers(self, found: Mapping[str, list[PiiMatch]]) -> bool:
        if self.values is None:
            return True
        return all(m.value in self.values for matches in found.values() for m in matches)


class PersonalDataError(ValidationError):
    """Free text holds possible personal data that nobody has confirmed yet."""

    def __init__(self, found: Mapping[str, list[PiiMatch]], row: int | None = None) -> None:
        self.found = dict(found)
        super().__init__([FieldError(name, describe(matches), row)
                          for name, matches in found.items()])


def describe(matches: list[PiiMatch]) -> str:
    items = ", ".join(f"{m.label} '{m.value}'" for m in matches)
    return (f"bevat mogelijk persoonsgegevens: {items}. Haal ze weg, of bevestig met een "
            "reden dat ze nodig zijn")


def require_confirmed(fields: Mapping[str, str | None], confirmation: PiiConfirmation | None,
                      already: frozenset[str] = frozenset()) -> dict[str, list[PiiMatch]]:
    """The new matches in `fields`; raises unless there are none or they are confirmed.

    `already` holds values confirmed earlier (an edit keeps what was confirmed on creation).
    """
    found = {name: [m for m in matches if m.value not in already]
             for name, matches in scan_fields(fields).items()}
    found = {name: matches for name, matches in found.items() if matches}
    if not found:
        return {}
    if confirmation is None or not confirmation.covers(found):
        raise PersonalDataError(found)
    check_reason(confirmation.reason)
    return found


def check_reason(reason: str) -> None:
    if problem := text_problem(reason or "", multiline=True):
        raise ValidationError([FieldError("reden", problem)])
    if len((reason or "").strip()) < MIN_REASON:
        raise ValidationError([FieldError(
            "reden", f"geef een reden van minimaal {MIN_REASON} tekens waarom deze "
                     "persoonsgegevens nodig zijn")])


def values(fields: Mapping[str, str | None]) -> frozenset[str]:
    return frozenset(m.value for matches in scan_fields(fields).values() for m in matches)


def kinds(found: Mapping[str, list[PiiMatch]]) -> list[str]:
    return sorted({m.kind for matches in found.values() for m in matches})

