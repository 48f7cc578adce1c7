"""One signal's field values and the checks every way in shares (form, edit, import).

Errors name the interchange column (docs/formats.md), so an import reports `observed_on` and the
form shows the Dutch label from FIELD_LABELS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import literal, null, select, union_all
from sqlalchemy.orm import Session

from signals.db.models import CategoryRow, Theme
from signals.domain import (
    CALL_TO_ACTION,
    DEFAULT_POLARISATION,
    DEFAULT_REACH,
    DEFAULT_RELIABILITY,
    DEFAULT_SOURCE,
    NUL_MELDING,
    PLATFORMS,
    POLARISATIONS,
    REACHES,
    RELIABILITIES,
    SOURCES,
)
from signals.errors import FieldError
from signals.localtime import (
    today_local as today_local,  # re-exported: older callers import it here
)
from signals.services.plain_text import text_problem

EARLIEST_DATE = date(2000, 1, 1)
MIN_DESCRIPTION = 5
MAX_DESCRIPTION = 5000
MAX_SUBTYPE = 100
MAX_ACTION_PLACE = 200
REFERENCE_PREFIX = "WS-"
Problem = tuple[str, str]  # (column, message)
_REFERENCE = re.compile(r"^\s*(?:WS-?)?0*(\d{1,12})\s*$", re.IGNORECASE)

# Dutch labels of the interchange columns, for messages in the forms.
FIELD_LABELS: dict[str, str] = {
    "external_id": "Extern kenmerk", "observed_on": "Datum waargenomen", "wijk_code": "Wijk",
    "reporter": "Melder", "reporter_role": "Rol melder", "category": "Categorie",
    "subtype": "Subtype", "themes": "Thema's", "severity": "Ernst", "source": "Bron",
    "online": "Online", "platform": "Platform", "reach": "Bereik",
    "reliability": "Betrouwbaarheid", "polarisation": "Polarisatie",
    "action_date": "Actiedatum", "action_place": "Actieplek", "status": "Status",
    "description": "Beschrijving", "note": "Toelichting",
}


def dutch_date(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def reference(signal_id: int) -> str:
    """The number a key figure sees after saving, e.g. WS-000123."""
    return f"{REFERENCE_PREFIX}{signal_id:06d}"


def parse_reference(text: str) -> int | None:
    """'WS-000123', 'ws123' or '123' -> 123; None when it is no reference number."""
    match = _REFERENCE.match(text or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class SignalDraft:
    """What a person typed or a file row held, already typed; not yet checked."""

    wijk_id: int
    observed_on: date
    category: str
    description: str = ""
    themes: tuple[str, ...] = ()
    severity: int | None = None  # None: the category's default
    subtype: str = ""
    source: str = DEFAULT_SOURCE
    online: bool = False
    platform: str | None = None
    reach: str = DEFAULT_REACH
    reliability: str = DEFAULT_RELIABILITY
    polarisation: str = DEFAULT_POLARISATION
    action_date: date | None = None
    action_place: str = ""

    def free_text(self) -> dict[str, str]:
        """The free-text fields the personal-data check reads."""
        return {"description": self.description, "action_place": self.action_place,
                "subtype": self.subtype}


@dataclass(frozen=True)
class Vocabulary:
    """Active categories (code -> default severity) and themes, as the administrator set them."""

    categories: dict[str, int] = field(default_factory=dict)
    themes: frozenset[str] = frozenset()


def load_vocabulary(session: Session) -> Vocabulary:
    categories: dict[str, int] = {}
    themes: set[str] = set()
    for code, default_severity, is_theme in session.execute(_VOCABULARY):
        if is_theme:
            themes.add(code)
        else:
            categories[code] = default_severity
    return Vocabulary(categories, frozenset(themes))


# One query for both, built once: every save reads the vocabulary.
_VOCABULARY = union_all(
    select(CategoryRow.code, CategoryRow.default_severity, literal(False).label("is_theme"))
    .where(CategoryRow.active),
    select(Theme.code, null(), literal(True)).where(Theme.active))


def effective_severity(draft: SignalDraft, vocabulary: Vocabulary) -> int:
    if draft.severity is not None:
        return draft.severity
    return vocabulary.categories.get(draft.category, 1)


def check_draft(draft: SignalDraft, vocabulary: Vocabulary, today: date,
                require_description: bool, row: int | None = None) -> list[FieldError]:
    """Every problem with the values, each with a message that says what to fix."""
    problems = [
        *code_problems(draft.category, draft.severity, draft.themes, draft.source, draft.reach,
                       draft.reliability, draft.polarisation, draft.platform, draft.online,
                       vocabulary),
        *date_problems(draft.observed_on, draft.action_date, today),
        *text_problems(draft.category, draft.description, draft.subtype, draft.action_place,
                       require_description),
    ]
    return [FieldError(column, message, row) for column, message in problems]


# The three parts of check_draft are separate so that a big import can remember the
# outcome per distinct combination of values (they repeat a lot).

def code_problems(category: str, severity: int | None, themes: tuple[str, ...], source: str,
                  reach: str, reliability: str, polarisation: str, platform: str | None,
                  online: bool, vocabulary: Vocabulary) -> list[Problem]:
    problems: list[Problem] = []
    if not category:
        problems.append(("category", "kies een categorie"))
    elif category not in vocabulary.categories:
        problems.append(("category", f"onbekende categorie '{category}'; kies uit: "
                                     + ", ".join(sorted(vocabulary.categories))))
    elif severity is not None:
        if category == NUL_MELDING:
            if severity != 0:
                problems.append(("severity", "een nul-melding (geen_bijzonderheden) heeft ernst "
                                             "0 of leeg"))
        elif not 1 <= severity <= 5:
            problems.append(("severity", f"ernst {severity} kan niet; gebruik een geheel getal "
                                         "van 1 tot en met 5"))
    unknown = [t for t in themes if t not in vocabulary.themes]
    if unknown:
        problems.append(("themes", "onbekend thema " + ", ".join(f"'{t}'" for t in unknown)
                                   + "; kies uit: " + ", ".join(sorted(vocabulary.themes))))
    if len(set(themes)) != len(themes):
        problems.append(("themes", "een thema staat er dubbel in"))
    for column, value, allowed in (("source", source, SOURCES), ("reach", reach, REACHES),
                                   ("reliability", reliability, RELIABILITIES),
                                   ("polarisation", polarisation, POLARISATIONS)):
        if value not in allowed:
            problems.append((column, f"onbekende waarde '{value}'; kies uit: "
                                     + ", ".join(allowed)))
    if platform is not None:
        if platform not in PLATFORMS:
            problems.append(("platform", f"onbekend platform '{platform}'; kies uit: "
                                         + ", ".join(PLATFORMS)))
        elif not online:
            problems.append(("platform", "een platform hoort alleen bij een online signaal "
                                         "(online = ja)"))
    return problems


def date_problems(observed_on: date, action_date: date | None, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if observed_on > today:
        problems.append(("observed_on", f"de datum {dutch_date(observed_on)} ligt in de "
                                        f"toekomst; vul een datum tot en met "
                                        f"{dutch_date(today)} in"))
    elif observed_on < EARLIEST_DATE:
        problems.append(("observed_on", f"de datum {dutch_date(observed_on)} ligt te ver in "
                                        f"het verleden (vanaf {dutch_date(EARLIEST_DATE)})"))
    if action_date is not None and action_date < observed_on:
        problems.append(("action_date", f"de actiedatum {dutch_date(action_date)} ligt vóór "
                                        f"de datum waargenomen ({dutch_date(observed_on)})"))
    return problems


def text_problems(category: str, description: str, subtype: str, action_place: str,
                  require_description: bool) -> list[Problem]:
    problems: list[Problem] = []
    text = description.strip()
    if require_description and category != NUL_MELDING and len(text) < MIN_DESCRIPTION:
        problems.append(("description", f"beschrijf kort wat u zag of hoorde (minimaal "
                                        f"{MIN_DESCRIPTION} tekens)"))
    if len(text) > MAX_DESCRIPTION:
        problems.append(("description", f"de beschrijving is {len(text)} tekens; maximaal "
                                        f"{MAX_DESCRIPTION}"))
    if len(subtype.strip()) > MAX_SUBTYPE:
        problems.append(("subtype", f"maximaal {MAX_SUBTYPE} tekens"))
    if len(action_place.strip()) > MAX_ACTION_PLACE:
        problems.append(("action_place", f"maximaal {MAX_ACTION_PLACE} tekens"))
    for column, value, multiline in (("description", text, True), ("subtype", subtype, False),
                                     ("action_place", action_place, False)):
        if problem := text_problem(value, multiline):
            problems.append((column, problem))
    return problems


def is_call(category: str) -> bool:
    return category == CALL_TO_ACTION
