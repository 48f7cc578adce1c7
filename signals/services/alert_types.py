"""The alert types, who may receive each, and each role's default (pure data).

A beheerder can change the defaults per role (the `alert_defaults` setting, read by
alert_subscriptions.py); a user's own choice in Mijn account overrides the default.
"""

from __future__ import annotations

from dataclasses import dataclass

from signals.domain import Role

DIRECT = "direct"
DAILY = "dagelijks"
OFF = "uit"
MODES: dict[str, str] = {DIRECT: "Direct", DAILY: "Dagelijks overzicht (08:00)", OFF: "Uit"}

PHASE = "fase"
CALL = "oproep"
SEVERE = "ernstig"
NOT_VISIBLE = "zicht"
DECISION = "besluit"
WEEKLY = "weekoverzicht"
REMINDER = "herinnering"
NETWORK = "netwerk"

_STAFF = frozenset({Role.COORDINATOR, Role.BEHEERDER})
_ALL_STAFF = frozenset({Role.COORDINATOR, Role.MANAGER, Role.BEHEERDER})


@dataclass(frozen=True)
class AlertType:
    code: str
    label: str  # Dutch, shown in Mijn account and the outbox page
    roles: frozenset[Role]  # who may subscribe
    defaults: dict[Role, str]  # mode per role without a choice of the user


ALERT_TYPES: dict[str, AlertType] = {t.code: t for t in (
    AlertType(PHASE, "Fase van een wijk stijgt naar 2 of hoger", _ALL_STAFF,
              {Role.COORDINATOR: DIRECT, Role.MANAGER: DIRECT, Role.BEHEERDER: OFF}),
    AlertType(CALL, "Oproep tot actie binnen 14 dagen, geverifieerd of door een tweede "
                    "sleutelfiguur bevestigd", _STAFF,
              {Role.COORDINATOR: DIRECT, Role.BEHEERDER: OFF}),
    AlertType(SEVERE, "Signaal met ernst 4 of hoger", _STAFF,
              {Role.COORDINATOR: DIRECT, Role.BEHEERDER: OFF}),
    AlertType(NOT_VISIBLE, "Onvoldoende zicht, twee weken op rij", _STAFF,
              {Role.COORDINATOR: DAILY, Role.BEHEERDER: OFF}),
    AlertType(DECISION, "Fasebesluit door een andere coördinator", _STAFF,
              {Role.COORDINATOR: DIRECT, Role.BEHEERDER: OFF}),
    AlertType(WEEKLY, "Weekoverzicht (maandag 08:00)", _ALL_STAFF,
              {Role.COORDINATOR: OFF, Role.MANAGER: DIRECT, Role.BEHEERDER: OFF}),
    AlertType(NETWORK, "Maandoverzicht van het netwerk (eerste maandag van de maand)", _STAFF,
              {Role.COORDINATOR: DIRECT, Role.BEHEERDER: OFF}),
    AlertType(REMINDER, "Herinnering als u deze week nog niets meldde",
              frozenset({Role.SLEUTELFIGUUR}), {Role.SLEUTELFIGUUR: OFF}),
)}

# Types about one wijk: the recipient's scope must include it.
WIJK_TYPES = frozenset({PHASE, CALL, SEVERE, NOT_VISIBLE, DECISION})


def types_for(role: Role) -> list[AlertType]:
    return [t for t in ALERT_TYPES.values() if role in t.roles]
