"""Wijk administration beyond import: renaming, and the overview for the beheer page."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.db.models import Gemeente, Signal, User, Wijk, user_wijk
from signals.domain import Role
from signals.errors import FieldError, NotFoundError, ValidationError
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.plain_text import text_problem

MAX_NAME = 200


def wijk_overview(session: Session, actor: Actor) -> pd.DataFrame:
    """Code, name, gemeente, active or retired, map shape, key figures and signal count."""
    actor = authorise(session, actor, Role.BEHEERDER)
    figures = (select(user_wijk.c.wijk_id, func.count().label("n")).join(
        User, User.id == user_wijk.c.user_id).where(
        User.role == Role.SLEUTELFIGUUR.value, User.active.is_(True))
        .group_by(user_wijk.c.wijk_id).subquery())
    signals = (select(Signal.wijk_id, func.count().label("n"))
               .group_by(Signal.wijk_id).subquery())
    query = (select(Wijk.code, Wijk.name, Gemeente.name, Wijk.retired_at.is_(None),
                    Wijk.geometry.is_not(None),
                    func.coalesce(figures.c.n, 0), func.coalesce(signals.c.n, 0))
             .outerjoin(Gemeente, Gemeente.id == Wijk.gemeente_id)
             .outerjoin(figures, figures.c.wijk_id == Wijk.id)
             .outerjoin(signals, signals.c.wijk_id == Wijk.id).order_by(Wijk.code))
    return pd.DataFrame(session.execute(query).all(),
                        columns=["wijk_code", "wijk_naam", "gemeente", "actief", "kaartvorm",
                                 "sleutelfiguren", "signalen"])


def rename_wijk(session: Session, actor: Actor, code: str, name: str) -> None:
    actor = authorise(session, actor, Role.BEHEERDER)
    wijk = session.scalar(select(Wijk).where(Wijk.code == code.strip().upper()))
    if wijk is None:
        raise NotFoundError("Deze wijk bestaat niet.")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError([FieldError("Naam", "mag niet leeg zijn")])
    if len(cleaned) > MAX_NAME:
        raise ValidationError([FieldError("Naam", f"mag hoogstens {MAX_NAME} tekens zijn")])
    if problem := text_problem(cleaned):
        raise ValidationError([FieldError("Naam", problem)])
    if cleaned == wijk.name:
        return
    old, wijk.name = wijk.name, cleaned
    audit.record(session, actor, "wijk_hernoemd", "wijk", wijk.code,
                 {"oud": old, "nieuw": cleaned})
