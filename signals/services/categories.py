"""Categories (labels, default severity) and themes (add, (de)activate); beheerder only.

Category codes are fixed, because the phase rules refer to them; only their Dutch label
and default severity can change. Themes can be added and switched off, never deleted,
so old signals keep their themes.
"""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.db.models import CategoryRow, Theme
from signals.domain import Role
from signals.errors import FieldError, NotFoundError, ValidationError
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.plain_text import text_problem

THEME_CODE_PATTERN = re.compile(r"^[a-z0-9_]{2,40}$")
MAX_LABEL = 100


def list_categories(session: Session) -> pd.DataFrame:
    """Every category (readable by every role: the labels appear on every form)."""
    rows = session.execute(select(CategoryRow.code, CategoryRow.label,
                                  CategoryRow.default_severity, CategoryRow.active)
                           .order_by(CategoryRow.default_severity.desc(), CategoryRow.code))
    return pd.DataFrame(rows.all(), columns=["code", "label", "standaard_ernst", "actief"])


def list_themes(session: Session, active_only: bool = False) -> pd.DataFrame:
    query = select(Theme.code, Theme.label, Theme.active).order_by(Theme.code)
    if active_only:
        query = query.where(Theme.active.is_(True))
    return pd.DataFrame(session.execute(query).all(), columns=["code", "label", "actief"])


def theme_choices(session: Session) -> dict[str, str]:
    """The active themes for a form or filter: code -> the label the beheerder set, by label.

    The one place a theme code becomes words on a form (an added theme has no label in
    signals/domain.py)."""
    rows = session.execute(select(Theme.code, Theme.label).where(Theme.active.is_(True))).all()
    return dict(sorted(rows, key=lambda r: r[1].lower()))


def category_labels(session: Session) -> dict[str, str]:
    return dict(session.execute(select(CategoryRow.code, CategoryRow.label)).all())


def update_category(session: Session, actor: Actor, code: str, label: str,
                    default_severity: int) -> None:
    actor = authorise(session, actor, Role.BEHEERDER)
    row = session.get(CategoryRow, code)
    if row is None:
        raise NotFoundError("Deze categorie bestaat niet.")
    errors = _label_errors(label)
    if not isinstance(default_severity, int) or not 0 <= default_severity <= 5:
        errors.append(FieldError("Standaard ernst", "moet een geheel getal van 0 tot en met 5 "
                                                    "zijn"))
    if errors:
        raise ValidationError(errors)
    old = {"label": row.label, "standaard_ernst": row.default_severity}
    new = {"label": _clean(label), "standaard_ernst": default_severity}
    if old == new:
        return
    row.label, row.default_severity = new["label"], default_severity
    audit.record(session, actor, "categorie_gewijzigd", "category", code,
                 {"oud": old, "nieuw": new})


def add_theme(session: Session, actor: Actor, code: str, label: str) -> None:
    actor = authorise(session, actor, Role.BEHEERDER)
    code = code.strip()
    errors = _label_errors(label)
    if not THEME_CODE_PATTERN.match(code):
        errors.append(FieldError("Code", "2 tot 40 tekens: kleine letters, cijfers en _"))
    elif session.get(Theme, code) is not None:
        errors.append(FieldError("Code", "bestaat al"))
    if errors:
        raise ValidationError(errors)
    session.add(Theme(code=code, label=_clean(label), active=True))
    audit.record(session, actor, "thema_toegevoegd", "theme", code, {"label": _clean(label)})


def set_theme_active(session: Session, actor: Actor, code: str, active: bool) -> None:
    actor = authorise(session, actor, Role.BEHEERDER)
    theme = session.get(Theme, code)
    if theme is None:
        raise NotFoundError("Dit thema bestaat niet.")
    if theme.active == active:
        return
    theme.active = active
    audit.record(session, actor, "thema_geactiveerd" if active else "thema_gedeactiveerd",
                 "theme", code)


def _clean(label: str) -> str:
    return " ".join(label.split())


def _label_errors(label: str) -> list[FieldError]:
    cleaned = _clean(label)
    if not cleaned:
        return [FieldError("Label", "mag niet leeg zijn")]
    if len(cleaned) > MAX_LABEL:
        return [FieldError("Label", f"mag hoogstens {MAX_LABEL} tekens lang zijn")]
    if problem := text_problem(cleaned):
        return [FieldError("Label", problem)]
    return []
