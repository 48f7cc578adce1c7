"""Named Duiding filters per user: two built-in presets and the user's own saved ones.

A saved filter is the user's own: every function takes the actor and uses only its user id,
so nobody sees or deletes someone else's filter. Names and search texts with possible
personal data are refused (docs/privacy.md), so a filter never holds any.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.db.models import SavedFilter
from signals.domain import CALL_TO_ACTION
from signals.errors import FieldError, NotFoundError, ValidationError
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.pii import describe, scan_fields
from signals.services.plain_text import text_problem
from signals.services.review import OPEN_STATUSES, REVIEW_ROLES, SORTS
from signals.services.signal_filter import MAX_SEARCH, SignalFilter

MAX_NAME = 60
MAX_PER_USER = 30
_TUPLES = ("wijk_ids", "categories", "themes", "statuses")


@dataclass(frozen=True)
class NamedFilter:
    key: str  # "preset:<name>" or "saved:<id>"
    name: str
    filter: SignalFilter
    sort: str = "nieuwste"

    @property
    def preset(self) -> bool:
        return self.key.startswith("preset:")


PRESETS = (
    NamedFilter("preset:mijn_open", "Mijn open items",
                SignalFilter(statuses=OPEN_STATUSES, mine=True), "oudste"),
    NamedFilter("preset:oproepen", "Oproepen met actiedatum",
                SignalFilter(categories=(CALL_TO_ACTION,), with_action_date=True), "nieuwste"),
    NamedFilter("preset:alle_open", "Alle open meldingen, oudste eerst",
                SignalFilter(statuses=OPEN_STATUSES), "oudste"),
)


def named_filters(session: Session, actor: Actor) -> list[NamedFilter]:
    """The presets, then the actor's own saved filters by name."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    rows = session.scalars(select(SavedFilter).where(SavedFilter.user_id == actor.user_id)
                           .order_by(SavedFilter.name, SavedFilter.id))
    return [*PRESETS, *(NamedFilter(f"saved:{row.id}", row.name, *_decode(row.values))
                        for row in rows)]


def save_filter(session: Session, actor: Actor, name: str, flt: SignalFilter,
                sort: str = "nieuwste") -> NamedFilter:
    """Save (or overwrite, by the same name) one of the actor's filters."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    name = name.strip()
    _check(name, flt)
    values = _encode(flt, sort if sort in SORTS else "nieuwste")
    row = session.scalar(select(SavedFilter).where(SavedFilter.user_id == actor.user_id,
                                                   SavedFilter.name == name))
    if row is None:
        count = session.scalar(select(func.count()).select_from(SavedFilter)
                               .where(SavedFilter.user_id == actor.user_id)) or 0
        if count >= MAX_PER_USER:
            raise ValidationError([FieldError("naam", f"u heeft al {MAX_PER_USER} filters; "
                                                      "verwijder er eerst een")])
        row = SavedFilter(user_id=actor.user_id, name=name, values=values)
        session.add(row)
    else:
        row.values = values
    session.flush()
    audit.record(session, actor, "filter_opgeslagen", "saved_filter", row.id)
    return NamedFilter(f"saved:{row.id}", row.name, *_decode(values))


def delete_filter(session: Session, actor: Actor, key: str) -> None:
    """Delete one of the actor's own saved filters (presets cannot be deleted)."""
    actor = authorise(session, actor, *REVIEW_ROLES)
    filter_id = int(key.removeprefix("saved:")) if key.startswith("saved:") and \
        key.removeprefix("saved:").isdigit() else None
    row = session.get(SavedFilter, filter_id) if filter_id is not None else None
    if row is None or row.user_id != actor.user_id:
        raise NotFoundError("Dit filter bestaat niet (meer) of is niet van u.")
    session.delete(row)
    audit.record(session, actor, "filter_verwijderd", "saved_filter", filter_id)


def _check(name: str, flt: SignalFilter) -> None:
    errors = []
    if not name:
        errors.append(FieldError("naam", "geef het filter een naam"))
    elif len(name) > MAX_NAME:
        errors.append(FieldError("naam", f"hooguit {MAX_NAME} tekens"))
    elif problem := text_problem(name):
        errors.append(FieldError("naam", problem))
    if len(flt.text) > MAX_SEARCH:
        errors.append(FieldError("zoektekst", f"hooguit {MAX_SEARCH} tekens"))
    elif problem := text_problem(flt.text):
        errors.append(FieldError("zoektekst", problem))
    for field_name, matches in scan_fields({"naam": name, "zoektekst": flt.text}).items():
        errors.append(FieldError(field_name, describe(matches).split(". ")[0]
                                 + "; een filter mag geen persoonsgegevens bevatten"))
    if errors:
        raise ValidationError(errors)


def _encode(flt: SignalFilter, sort: str) -> dict[str, Any]:
    return {
        **{name: list(getattr(flt, name)) for name in _TUPLES},
        "date_from": flt.date_from.isoformat() if flt.date_from else None,
        "date_to": flt.date_to.isoformat() if flt.date_to else None,
        "text": flt.text.strip(), "with_action_date": flt.with_action_date,
        "mine": flt.mine, "sort": sort,
    }


def _decode(values: Any) -> tuple[SignalFilter, str]:
    """Read defensively: a malformed stored value becomes "no restriction", never an error."""
    if not isinstance(values, dict):
        return SignalFilter(), "nieuwste"
    flt = SignalFilter()
    for name in _TUPLES:
        items = values.get(name)
        if isinstance(items, list):
            kind = int if name == "wijk_ids" else str
            flt = replace(flt, **{name: tuple(i for i in items if isinstance(i, kind))})
    for name in ("date_from", "date_to"):
        flt = replace(flt, **{name: _date(values.get(name))})
    text = values.get("text")
    sort = values.get("sort")
    return replace(flt, text=text if isinstance(text, str) else "",
                   with_action_date=values.get("with_action_date") is True,
                   mine=values.get("mine") is True), \
        sort if isinstance(sort, str) and sort in SORTS else "nieuwste"


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
