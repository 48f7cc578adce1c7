"""The signal filter the review queue and the export share, so an export is exactly the
filter on screen. Scope (the actor's wijken) is always applied on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from signals.db.models import CategoryRow, Signal, Theme, Wijk, signal_theme
from signals.domain import Status
from signals.errors import FieldError, ValidationError
from signals.services.actor import Actor


@dataclass(frozen=True)
class SignalFilter:
    """Empty tuples mean "no restriction"; dates are inclusive (observed date)."""

    wijk_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

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
        return query

    def describe(self) -> dict[str, Any]:
        """For the audit log: codes and dates only."""
        values = asdict(self)
        for key in ("date_from", "date_to"):
            values[key] = values[key].isoformat() if values[key] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()
                if v not in ((), None)}


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
