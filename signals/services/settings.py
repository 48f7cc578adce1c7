"""Typed application settings in the `settings` table (key -> JSON), audited on change.

Stored values are read defensively: a missing or malformed value falls back to the
documented default, so a bad row can never switch a safeguard off.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from signals.db.models import Setting
from signals.domain import Role
from signals.errors import FieldError, ValidationError
from signals.services import audit
from signals.services.actor import Actor, authorise

SECURITY = "security"
RETENTION = "retention"
PHASE_RULES = "phase_rules"
IMPORT = "import"
NETWORK = "network"
REVIEW = "review"
MAP = "map"


@dataclass(frozen=True)
class SecuritySettings:
    max_failures: int = 5
    lock_minutes: int = 15
    idle_minutes: int = 30
    absolute_hours: int = 10  # a login ends this long after it started, active or not


@dataclass(frozen=True)
class RetentionSettings:
    months: int = 12


@dataclass(frozen=True)
class ImportSettings:
    max_new_reporters: int = 50  # more new reporters in one file need explicit confirmation


@dataclass(frozen=True)
class NetworkSettings:
    min_key_figures: int = 3  # fewer active key figures in a wijk is a "netwerkgat"
    dormant_weeks: int = 4  # a key figure without signal or nul-melding this long is dormant


@dataclass(frozen=True)
class ReviewSettings:
    overdue_days: int = 14  # an open signal older than this stands out in the Duiding queue


@dataclass(frozen=True)
class TileSource:
    label: str  # Dutch, for the beheerder's choice
    url: str  # XYZ template; the browser of every map viewer fetches tiles from this host
    attribution: str
    max_zoom: int = 19


# Background maps a beheerder may switch on. A fixed list, not a free URL: each one is a
# public service whose terms allow this use, and nobody can point viewers at another host.
TILE_SOURCES: dict[str, TileSource] = {
    "pdok_grijs": TileSource(
        "PDOK BRT-Achtergrondkaart grijs (Kadaster, alleen Nederland)",
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png",
        "Kaartgegevens © Kadaster"),
    "osm": TileSource("OpenStreetMap (Nederland en België)",
                      "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                      "© OpenStreetMap-bijdragers"),
}


@dataclass(frozen=True)
class MapSettings:
    tiles: str = ""  # a TILE_SOURCES key; empty: no background map, no outside request

    @property
    def tile_source(self) -> TileSource | None:
        return TILE_SOURCES.get(self.tiles)


# Allowed ranges (inclusive) and Dutch field labels for validation messages.
SECURITY_LIMITS: dict[str, tuple[int, int, str]] = {
    "max_failures": (3, 20, "Maximaal aantal mislukte pogingen"),
    "lock_minutes": (1, 24 * 60, "Blokkeerduur (minuten)"),
    "idle_minutes": (5, 12 * 60, "Uitloggen na inactiviteit (minuten)"),
    "absolute_hours": (1, 7 * 24, "Maximale duur van een login (uren)"),
}
RETENTION_LIMITS: dict[str, tuple[int, int, str]] = {
    "months": (1, 120, "Bewaartermijn (maanden)"),
}
IMPORT_LIMITS: dict[str, tuple[int, int, str]] = {
    "max_new_reporters": (0, 10_000, "Nieuwe melders per import zonder extra bevestiging"),
}

NETWORK_LIMITS: dict[str, tuple[int, int, str]] = {
    "min_key_figures": (1, 50, "Minimaal aantal actieve sleutelfiguren per wijk"),
    "dormant_weeks": (1, 26, "Slapend na (weken zonder melding)"),
}

REVIEW_LIMITS: dict[str, tuple[int, int, str]] = {
    "overdue_days": (1, 365, "Dagen tot een open melding te lang open staat"),
}


def get_value(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    return None if row is None else row.value


def security_settings(session: Session) -> SecuritySettings:
    return SecuritySettings(**_read(get_value(session, SECURITY), SecuritySettings(),
                                    SECURITY_LIMITS))


def retention_settings(session: Session) -> RetentionSettings:
    return RetentionSettings(**_read(get_value(session, RETENTION), RetentionSettings(),
                                     RETENTION_LIMITS))


def import_settings(session: Session) -> ImportSettings:
    return ImportSettings(**_read(get_value(session, IMPORT), ImportSettings(), IMPORT_LIMITS))


def network_settings(session: Session) -> NetworkSettings:
    return NetworkSettings(**_read(get_value(session, NETWORK), NetworkSettings(),
                                   NETWORK_LIMITS))


def update_network(session: Session, actor: Actor, min_key_figures: int,
                   dormant_weeks: int) -> NetworkSettings:
    new = NetworkSettings(min_key_figures, dormant_weeks)
    _validate(asdict(new), NETWORK_LIMITS)
    put(session, actor, NETWORK, asdict(new))
    return new


def review_settings(session: Session) -> ReviewSettings:
    return ReviewSettings(**_read(get_value(session, REVIEW), ReviewSettings(), REVIEW_LIMITS))


def update_review(session: Session, actor: Actor, overdue_days: int) -> ReviewSettings:
    new = ReviewSettings(overdue_days)
    _validate(asdict(new), REVIEW_LIMITS)
    put(session, actor, REVIEW, asdict(new))
    return new


def map_settings(session: Session) -> MapSettings:
    stored = get_value(session, MAP)
    tiles = stored.get("tiles") if isinstance(stored, dict) else None
    return MapSettings(tiles if isinstance(tiles, str) and tiles in TILE_SOURCES else "")


def update_map(session: Session, actor: Actor, tiles: str) -> MapSettings:
    """Switch the background map on (a TILE_SOURCES key) or off (empty)."""
    if tiles and tiles not in TILE_SOURCES:
        raise ValidationError([FieldError("Achtergrondkaart", "kies een kaart uit de lijst")])
    new = MapSettings(tiles)
    put(session, actor, MAP, asdict(new))
    return new


def update_import(session: Session, actor: Actor, max_new_reporters: int) -> ImportSettings:
    new = ImportSettings(max_new_reporters)
    _validate(asdict(new), IMPORT_LIMITS)
    put(session, actor, IMPORT, asdict(new))
    return new


def update_security(session: Session, actor: Actor, max_failures: int, lock_minutes: int,
                    idle_minutes: int, absolute_hours: int | None = None) -> SecuritySettings:
    if absolute_hours is None:
        absolute_hours = security_settings(session).absolute_hours
    new = SecuritySettings(max_failures, lock_minutes, idle_minutes, absolute_hours)
    _validate(asdict(new), SECURITY_LIMITS)
    put(session, actor, SECURITY, asdict(new))
    return new


def update_retention(session: Session, actor: Actor, months: int) -> RetentionSettings:
    new = RetentionSettings(months)
    _validate(asdict(new), RETENTION_LIMITS)
    put(session, actor, RETENTION, asdict(new))
    return new


def put(session: Session, actor: Actor, key: str, value: Any,
        details: dict[str, Any] | None = None) -> None:
    """Store a setting (beheerder only) and audit old and new value, or `details` instead."""
    actor = authorise(session, actor, Role.BEHEERDER)
    row = session.get(Setting, key)
    old = None if row is None else row.value
    if row is None:
        session.add(Setting(key=key, value=value, updated_by_id=actor.user_id))
    else:
        row.value = value
        row.updated_by_id = actor.user_id
    audit.record(session, actor, "instelling_gewijzigd", "setting", key,
                 details if details is not None else {"oud": old, "nieuw": value})


def delete(session: Session, actor: Actor, key: str) -> bool:
    """Remove a setting so the default applies again; audited. False when it was not set."""
    actor = authorise(session, actor, Role.BEHEERDER)
    row = session.get(Setting, key)
    if row is None:
        return False
    session.delete(row)
    audit.record(session, actor, "instelling_verwijderd", "setting", key)
    return True


def _read(stored: Any, default: object, limits: dict[str, tuple[int, int, str]]) -> dict:
    values = asdict(default)  # type: ignore[call-overload]
    if not isinstance(stored, dict):
        return values
    for name, (low, high, _label) in limits.items():
        value = stored.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            values[name] = value
    return values


def _validate(values: dict[str, Any], limits: dict[str, tuple[int, int, str]]) -> None:
    errors = []
    for name, (low, high, label) in limits.items():
        value = values[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors.append(FieldError(label, f"moet een geheel getal van {low} tot en met "
                                            f"{high} zijn"))
    if errors:
        raise ValidationError(errors)
