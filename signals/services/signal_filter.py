"""The signal filter the review queue and the export share, so an export is exactly the
filter on screen. Scope (the actor's wijken) is always applied on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session

from signals.db.models import CategoryRow, Signal, SignalHistory, Theme, Wijk, signal_theme
from signals.domain import Status
from signals.errors import FieldError, ValidationError
from signals.services.actor import Actor
from signals.services.signal_draft import parse_reference

MAX_SEARCH = 100  # characters of free-text search


@dataclass(frozen=True)
class SignalFilter:
    """Empty tuples mean "no restriction"; dates are inclusive (observed date)."""

    wijk_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""  # reference, description, action place or wijk name contains it
    with_action_date: bool = False  # only signals that name an action date
    mine: bool = False  # only signals the actor has assessed, noted or linked

    def apply(self, query: Select, actor: Actor) -> Select:  # type: ignore[type-arg]
        if not actor.sees_all_wijken:
            query = query.where(Signal.wijk_id.in_(sorted(actor.wijk_ids)))
        if self.wijk_ids:
            query = query.where(Signal.wijk_id.in_(self.wijk_ids))
        if self.categories:
            query = query.where(Signal.category.in_(self.categories))
        if self.statuses:
            query = query.where(Signal.status.in_(self.statuses))
        if self.themes:
            query = query.where(Signal.id.in_(
                select(signal_theme.c.signal_id).where(signal_theme.c.theme_code.in_(
                    self.themes))))
        if self.date_from is not None:
            query = query.where(Signal.observed_on >= self.date_from)
        if self.date_to is not None:
            query = query.where(Signal.observed_on <= self.date_to)
        if self.text.strip():
            query = query.where(search_clause(self.text))
        if self.with_action_date:
            query = query.where(Signal.action_date.is_not(None))
        if self.mine:
            query = query.where(Signal.id.in_(select(SignalHistory.signal_id).where(
                SignalHistory.user_id == actor.user_id)))
        return query

    def describe(self) -> dict[str, Any]:
        """For the audit log: codes and dates only (a search is noted, not its words)."""
        values = asdict(self)
        values["text"] = bool(self.text.strip()) or None
        values["with_action_date"] = self.with_action_date or None
        values["mine"] = self.mine or None
        for key in ("date_from", "date_to"):
            values[key] = values[key].isoformat() if values[key] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()
                if v not in ((), None)}


def search_clause(text: str) -> ColumnElement[bool]:
    """Case-insensitive "contains" on the same terms on SQLite and PostgreSQL: both sides
    lowered, LIKE wildcards in the user's text escaped, the value always a bound parameter."""
    term = text.strip()[:MAX_SEARCH].lower()
    if not term:
        return true()
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    clauses: list[ColumnElement[bool]] = [
        func.lower(Signal.description).like(pattern, escape="\\"),
        func.lower(Signal.action_place).like(pattern, escape="\\"),
        Signal.wijk_id.in_(select(Wijk.id).where(
            func.lower(Wijk.name).like(pattern, escape="\\"))),
    ]
    signal_id = parse_reference(term)
    if signal_id is not None:
        clauses.append(Signal.id == signal_id)
    return or_(*clauses)


def check_codes(session: Session, flt: SignalFilter) -> None:
    """Unknown category, theme or status codes are errors, not silently empty exports."""
    known = {"category": set(session.scalars(select(CategoryRow.code))),
             "theme": set(session.scalars(select(Theme.code))),
             "status": {s.value for s in Status}}
    errors = [FieldError(kind, f"onbekende code '{code}'; kies uit: "
                               + ", ".join(sorted(known[kind])))
              for kind, codes in (("category", flt.categories), ("theme", flt.themes),
                                  ("status", flt.statuses))
              for code in codes if code not in known[kind]]
    if errors:
        raise ValidationError(errors)


def wijk_ids_for_codes(session: Session, codes: Iterable[str]) -> tuple[int, ...]:
    """Wijk ids for CBS codes (command line filters); every unknown code is an error."""
    wanted = [c.strip().upper() for c in codes]
    known = dict(session.execute(select(Wijk.code, Wijk.id).where(Wijk.code.in_(wanted))).all())
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValidationError([FieldError("wijk", f"onbekende wijkcode '{c}'") for c in unknown])
    return tuple(known[c] for c in wanted)
