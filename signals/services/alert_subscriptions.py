"""Who receives which alert: each user's choices, the role defaults, and the recipients.

A user chooses per alert type: direct, a daily overview, or off, and optionally a subset of
the wijken in their scope. Without a choice the role's default applies (a beheerder sets
these). Alerts go to the user's own alert address; without one nothing is queued for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from signals.db.models import AlertSubscription, User, Wijk, user_wijk
from signals.domain import ROLE_LABELS, Role
from signals.errors import FieldError, ValidationError
from signals.services import audit, settings
from signals.services.actor import Actor, authorise
from signals.services.alert_types import ALERT_TYPES, DAILY, MODES, OFF, types_for
from signals.services.users import normalise_email

DEFAULTS_SETTING = "alert_defaults"
_DEFAULTS_CACHE = "alert_defaults"  # key in Session.info: read once per transaction


@dataclass(frozen=True)
class Recipient:
    user_id: int
    username: str
    role: Role
    email: str
    digest: bool


@dataclass(frozen=True)
class Choice:
    alert_type: str
    label: str
    mode: str
    wijk_codes: tuple[str, ...] | None  # None: every wijk in scope


def role_defaults(session: Session) -> dict[str, dict[Role, str]]:
    """Mode per alert type and role: the beheerder's setting over the built-in default."""
    cached = session.info.get(_DEFAULTS_CACHE)
    if cached is not None:
        return cached
    stored = settings.get_value(session, DEFAULTS_SETTING)
    stored = stored if isinstance(stored, dict) else {}
    result: dict[str, dict[Role, str]] = {}
    for code, kind in ALERT_TYPES.items():
        chosen = stored.get(code) if isinstance(stored.get(code), dict) else {}
        result[code] = {role: (chosen.get(role.value) if chosen.get(role.value) in MODES
                               else kind.defaults.get(role, OFF)) for role in kind.roles}
    session.info[_DEFAULTS_CACHE] = result
    return result


def update_role_defaults(session: Session, actor: Actor,
                         defaults: dict[str, dict[str, str]]) -> None:
    """Store the defaults per alert type and role (beheerder only; audited by settings.put)."""
    errors = []
    clean: dict[str, dict[str, str]] = {}
    for code, per_role in defaults.items():
        kind = ALERT_TYPES.get(code)
        if kind is None:
            errors.append(FieldError("alert_type", f"onbekend meldingstype {code}"))
            continue
        for role, mode in per_role.items():
            if mode not in MODES or role not in {r.value for r in kind.roles}:
                errors.append(FieldError("mode", f"{kind.label}: ongeldige keuze voor {role}"))
            else:
                clean.setdefault(code, {})[role] = mode
    if errors:
        raise ValidationError(errors)
    settings.put(session, actor, DEFAULTS_SETTING, clean)
    session.info.pop(_DEFAULTS_CACHE, None)


def recipients(session: Session, alert_type: str, wijk_id: int | None) -> list[Recipient]:
    """Active users with an alert address who want this alert about this wijk, in scope."""
    kind = ALERT_TYPES[alert_type]
    defaults = role_defaults(session)[alert_type]
    base = (select(User.id, User.username, User.role, User.alert_email,
                   AlertSubscription.mode, AlertSubscription.wijk_ids)
            .outerjoin(AlertSubscription, and_(AlertSubscription.user_id == User.id,
                                               AlertSubscription.alert_type == alert_type))
            .where(User.active.is_(True), User.alert_email.is_not(None)))
    roles = [r.value for r in kind.roles]
    if wijk_id is None:
        queries = [base.where(User.role.in_(roles))]
    else:
        # Two indexed reads instead of one OR over every user: those assigned to the wijk
        # (by the user_wijk index), and the few roles that see every wijk.
        everywhere = [r for r in roles if r in (Role.MANAGER.value, Role.BEHEERDER.value)]
        in_wijk = select(user_wijk.c.user_id).where(user_wijk.c.wijk_id == wijk_id)
        queries = [base.where(User.id.in_(in_wijk))]  # roles filtered below: keeps the plan
        # on the user_wijk index (SQLite would otherwise walk the role index)
        if everywhere:
            queries.append(base.where(User.role.in_(everywhere)))
    rows = sorted({row.id: row for query in queries for row in session.execute(query)}
                  .values(), key=lambda row: row.id)
    found = []
    for row in rows:
        if row.role not in roles:
            continue
        role = Role(row.role)
        mode = row.mode if row.mode in MODES else defaults.get(role, OFF)
        if mode == OFF:
            continue
        if wijk_id is not None and isinstance(row.wijk_ids, list) and wijk_id not in row.wijk_ids:
            continue
        found.append(Recipient(row.id, row.username, role, row.alert_email, mode == DAILY))
    return found


def my_alerts(session: Session, actor: Actor) -> tuple[str, list[Choice]]:
    """The actor's alert address and their choice (or the default) for every alert type."""
    actor = authorise(session, actor)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    stored = {s.alert_type: s for s in session.scalars(
        select(AlertSubscription).where(AlertSubscription.user_id == actor.user_id))}
    defaults = role_defaults(session)
    codes = _codes_by_id(session)
    choices = []
    for kind in types_for(actor.role):
        row = stored.get(kind.code)
        mode = row.mode if row is not None and row.mode in MODES else defaults[kind.code][
            actor.role]
        wijken = (tuple(codes[i] for i in row.wijk_ids if i in codes)
                  if row is not None and isinstance(row.wijk_ids, list) else None)
        choices.append(Choice(kind.code, kind.label, mode, wijken))
    return (user.alert_email or "") if user else "", choices


def save_my_alerts(session: Session, actor: Actor, email: str,
                   choices: dict[str, tuple[str, list[str] | None]]) -> None:
    """Store the actor's alert address and choices: alert type -> (mode, wijk codes or None).

    Wijken must lie within the actor's scope; an empty address stops every alert."""
    actor = authorise(session, actor)
    errors: list[FieldError] = []
    address = normalise_email(email, errors)
    allowed = {k.code for k in types_for(actor.role)}
    scope = _scope_ids(session, actor)
    rows = []
    for code, (mode, wijk_codes) in choices.items():
        if code not in allowed or mode not in MODES:
            errors.append(FieldError("alert_type", f"ongeldige keuze voor {code}"))
            continue
        ids = None
        if wijk_codes:
            found = dict(session.execute(select(Wijk.code, Wijk.id)
                                         .where(Wijk.code.in_(wijk_codes))).all())
            outside = sorted(c for c in wijk_codes if found.get(c) not in scope)
            if outside:
                errors.append(FieldError("wijken", "buiten uw wijken: " + ", ".join(outside)))
                continue
            ids = sorted(found[c] for c in wijk_codes)
        rows.append(AlertSubscription(user_id=actor.user_id, alert_type=code, mode=mode,
                                      wijk_ids=ids))
    if errors:
        raise ValidationError(errors)
    user = session.get(User, actor.user_id)
    user.alert_email = address
    for row in rows:
        session.merge(row)
    audit.record(session, actor, "meldingen_ingesteld", "user", actor.username,
                 {"adres": address is not None,
                  "keuzes": {r.alert_type: r.mode for r in rows}})


def alert_overview(session: Session, actor: Actor) -> pd.DataFrame:
    """Who receives what (beheerder only): per active user and alert type the mode in force."""
    actor = authorise(session, actor, Role.BEHEERDER)
    defaults = role_defaults(session)
    stored = {(s.user_id, s.alert_type): s for s in session.scalars(select(AlertSubscription))}
    codes = _codes_by_id(session)
    rows: list[dict[str, Any]] = []
    for user in session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)):
        role = Role(user.role)
        for kind in types_for(role):
            row = stored.get((user.id, kind.code))
            mode = row.mode if row is not None and row.mode in MODES else defaults[kind.code][role]
            if mode == OFF:
                continue
            wijken = ("al zijn of haar wijken" if row is None or not isinstance(row.wijk_ids, list)
                      else ", ".join(codes[i] for i in row.wijk_ids if i in codes))
            rows.append({"gebruiker": user.username, "rol": ROLE_LABELS[role],
                         "melding": kind.label, "wanneer": MODES[mode], "wijken": wijken,
                         "adres": "ja" if user.alert_email else "nee (ontvangt niets)",
                         "eigen_keuze": "ja" if row is not None else "standaard"})
    return pd.DataFrame(rows, columns=["gebruiker", "rol", "melding", "wanneer", "wijken",
                                       "adres", "eigen_keuze"])


def _codes_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Wijk.id, Wijk.code)).all())


def _scope_ids(session: Session, actor: Actor) -> set[int]:
    if actor.sees_all_wijken:
        return set(session.scalars(select(Wijk.id)))
    return set(actor.wijk_ids)
