"""The username policy, shared by `user add`, the beheer page and the signal import.

A username is NFKC-normalised and must then be 3 to 40 lowercase ASCII letters, digits,
dots, hyphens or underscores. That alone refuses look-alike letters from other scripts,
invisible and direction-changing characters, markup and spreadsheet formulas; each gets its
own Dutch reason so the person fixing the file knows what is wrong. A new name whose
look-alike skeleton (0/o, 1/l/i, rn/m, vv/w, and . _ - as one) equals an existing name is
refused too, so nobody can pose as "coordinator" with "co0rdinator".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{3,40}$")
PATTERN_MESSAGE = ("3 tot 40 tekens: kleine letters, cijfers, punt, streepje of liggend "
                   "streepje")
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}  # zero-width, bidi marks, controls
_MARKUP = set("<>[]()*`#|\\\"'&")
_FORMULA_START = ("=", "+", "-", "@")
_SKELETON_PAIRS = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"),
                   ("_", "."), ("-", "."))


def normalise_username(raw: str) -> str:
    """NFKC (full-width and compatibility forms become plain letters), without edge spaces."""
    return unicodedata.normalize("NFKC", raw).strip()


def username_problems(username: str) -> list[str]:
    """Every reason (Dutch) this already normalised name is refused; empty when valid."""
    if USERNAME_PATTERN.match(username):
        return [] if username[0] not in _FORMULA_START else [
            "mag niet beginnen met =, +, - of @ (wordt in Excel een formule)"]
    problems = []
    if any(unicodedata.category(c) in _INVISIBLE_CATEGORIES for c in username):
        problems.append("bevat onzichtbare of tekstrichting-tekens (bijvoorbeeld een "
                        "zero-width spatie of een rechts-naar-links-teken)")
    if any(c.isalpha() and not c.isascii() for c in username):
        problems.append("bevat letters buiten a-z (bijvoorbeeld Cyrillische letters die op "
                        "Latijnse lijken)")
    if any(c in _MARKUP for c in username):
        problems.append("bevat opmaak- of codetekens zoals < > [ ] ( ) * `")
    if username[:1] in _FORMULA_START:
        problems.append("mag niet beginnen met =, +, - of @ (wordt in Excel een formule)")
    if any(c.isspace() for c in username):
        problems.append("mag geen spaties bevatten")
    if username.lower() != username and USERNAME_PATTERN.match(username.lower()):
        problems.append("gebruik alleen kleine letters")
    return problems or [PATTERN_MESSAGE]


def skeleton(username: str) -> str:
    """The name as it looks: characters that are easily mistaken for each other fold."""
    folded = username.lower()
    for look_alike, plain in _SKELETON_PAIRS:
        folded = folded.replace(look_alike, plain)
    return folded


def look_alike(username: str, existing: Iterable[str]) -> str | None:
    """An existing, different name that looks the same as `username`, if any."""
    wanted = skeleton(username)
    return next((name for name in existing if name != username and skeleton(name) == wanted),
                None)


def look_alike_message(other: str) -> str:
    return f"lijkt te veel op de bestaande gebruikersnaam '{other}'; kies een andere naam"
