"""The one check for stored text: no control or invisible formatting characters.

Every service that stores text a person typed or uploaded (intake, review notes, reasons,
imports, user and wijk admin) calls `text_problem`. PostgreSQL refuses a NUL byte in text
and JSON, and stray control or bidi characters make names look like something they are
not, so they are refused with a Dutch message instead of reaching the database.
"""

from __future__ import annotations

import unicodedata

from signals.errors import FieldError

# Bidi embeddings, overrides and isolates reorder what a reader sees ("trojan source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MULTILINE_ALLOWED = frozenset("\n\r\t")  # \r: harmless; imports and intake normalise it
MAX_SHOWN = 60  # characters of a bad value echoed in a message


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line ends become \\n (harmless, so fixed instead of refused)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def text_problem(text: str, multiline: bool = False) -> str | None:
    """A Dutch message when `text` holds a character that must not be stored, else None.

    Multi-line text (a description, a note) may hold line breaks and tabs and invisible
    joiners that emoji and some scripts need; single-line text (names, codes, labels) may
    hold no control or invisible formatting character at all.
    """
    if text.isprintable() and not BIDI_CONTROLS.intersection(text):
        return None  # fast path: str.isprintable is False for every Cc, Cf, Cs, Zl, Zp
    for position, char in enumerate(text, start=1):
        kind = unicodedata.category(char)
        if multiline and char in MULTILINE_ALLOWED:
            continue
        if char == "\x00":
            return f"bevat een NUL-teken (op positie {position}); haal het weg"
        if kind in ("Cc", "Cs", "Zl", "Zp") or char in BIDI_CONTROLS \
                or (kind == "Cf" and not multiline):
            return (f"bevat een stuurteken of onzichtbaar teken (U+{ord(char):04X}, op positie "
                    f"{position}); haal het weg")
    return None


def field_problems(fields: dict[str, str | None], multiline: frozenset[str] = frozenset(),
                   row: int | None = None) -> list[FieldError]:
    """`text_problem` for several fields at once, as FieldErrors."""
    return [FieldError(name, problem, row) for name, value in fields.items()
            if value and (problem := text_problem(value, name in multiline))]


def shown(value: str, limit: int = MAX_SHOWN) -> str:
    """A value as it may be echoed in a message: short, and without control characters."""
    cleaned = "".join(c if c.isprintable() else "?" for c in value[:limit])
    return cleaned + "…" if len(value) > limit else cleaned
