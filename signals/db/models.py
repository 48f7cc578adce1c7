"""ORM models (SQLAlchemy 2, typed). The schema itself is owned by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware UTC timestamp")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


user_wijk = Table(
    "user_wijk",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("wijk_id", ForeignKey("wijken.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_user_wijk_wijk_id", "wijk_id"),
)

signal_theme = Table(
    "signal_theme",
    Base.metadata,
    Column("signal_id", ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_code", ForeignKey("themes.code"), primary_key=True),
    Index("ix_signal_theme_theme_code", "theme_code"),
)


class Gemeente(Base):
    """A municipality: CBS code (GMxxxx) or Belgian NIS/REFNIS code (5 digits)."""

    __tablename__ = "gemeenten"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    area_scheme: Mapped[str | None] = mapped_column(String(20))  # signals.services.area_codes


class Wijk(Base):
    """An area (wijk, buurt, sector or own area). Retired areas keep their history."""

    __tablename__ = "wijken"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    geometry: Mapped[dict | None] = mapped_column(JSON)  # GeoJSON geometry object, WGS84
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by every write to the wijk's signals: the dashboards' cache key (data_version.py).
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gemeente: Mapped[Gemeente | None] = relationship()


class User(Base):
    """An account. Login secrets live in `Credential`, kept apart (docs/privacy.md)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('sleutelfiguur', 'coordinator', 'manager', 'beheerder')", name="role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    reporter_role: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    wijken: Mapped[list[Wijk]] = relationship(secondary=user_wijk, order_by=Wijk.code)
    credential: Mapped[Credential | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False
    )


class Credential(Base):
    __tablename__ = "credentials"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # OIDC mapping only
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship(back_populates="credential")


class CategoryRow(Base):
    """Labels and default severity per category; codes are fixed (the rules use them)."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    default_severity: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Theme(Base):
    __tablename__ = "themes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Signal(Base):
    __tablename__ = "signals"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 0 AND 5", name="severity_range"),
        Index("ix_signals_wijk_observed", "wijk_id", "observed_on"),
        Index("ix_signals_reporter_observed", "reporter_id", "observed_on"),
        Index("ix_signals_status_observed", "status", "observed_on"),
        Index("ix_signals_observed_on", "observed_on"),
        Index("ix_signals_updated_at", "updated_at"),  # data_version: max() by index
        Index("ix_signals_wijk_status_observed", "wijk_id", "status", "observed_on"),  # duiding
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"))
    observed_on: Mapped[date] = mapped_column(Date)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reporter_role: Mapped[str | None] = mapped_column(String(40))  # role type shown in UI
    category: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    subtype: Mapped[str | None] = mapped_column(String(100))
    severity: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(30))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    platform: Mapped[str | None] = mapped_column(String(30))
    reach: Mapped[str] = mapped_column(String(20))
    reliability: Mapped[str] = mapped_column(String(20))
    polarisation: Mapped[str] = mapped_column(String(20))
    action_date: Mapped[date | None] = mapped_column(Date)
    action_place: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="nieuw")
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    themes: Mapped[list[Theme]] = relationship(secondary=signal_theme, order_by=Theme.code)
    wijk: Mapped[Wijk] = relationship()

    __mapper_args__ = {"version_id_col": version}


class SignalLink(Base):
    """Coordinator links between related signals (stored once, lower id first)."""

    __tablename__ = "signal_links"
    __table_args__ = (CheckConstraint("signal_id < related_id", name="ordered"),)

    signal_id: Mapped[int] = mapped_column(
        ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[int] = mapped_column(
        ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignalHistory(Base):
    """Append-only: who changed what on a signal, and when."""

    __tablename__ = "signal_history"
    __table_args__ = (Index("ix_signal_history_signal_at", "signal_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(String(200))
    new_value: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class PhaseDecision(Base):
    """A coordinator's confirmation or override of a proposed phase (BOB routine)."""

    __tablename__ = "phase_decisions"
    __table_args__ = (
        CheckConstraint("decided_phase BETWEEN 0 AND 4", name="decided_range"),
        CheckConstraint("proposed_phase BETWEEN 0 AND 4", name="proposed_range"),
        Index("ix_phase_decisions_wijk_week", "wijk_id", "week_start", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"))
    week_start: Mapped[date] = mapped_column(Date)
    proposed_phase: Mapped[int] = mapped_column(Integer)
    decided_phase: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WeeklyIndicator(Base):
    """Persistent per wijk-week aggregates from the engine's `weekly_indicators`.

    Kept up to date on every signal change, so phase tables never rescan history, and
    kept after retention purges the details (docs/privacy.md).
    """

    __tablename__ = "weekly_indicators"

    wijk_id: Mapped[int] = mapped_column(
        ForeignKey("wijken.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    n_signals: Mapped[int] = mapped_column(Integer, default=0)
    n_nul: Mapped[int] = mapped_column(Integer, default=0)
    n_onvrede: Mapped[int] = mapped_column(Integer, default=0)
    n_geruchten_desinformatie: Mapped[int] = mapped_column(Integer, default=0)
    n_anti_overheid: Mapped[int] = mapped_column(Integer, default=0)
    n_spanning_groepen: Mapped[int] = mapped_column(Integer, default=0)
    n_symbolen: Mapped[int] = mapped_column(Integer, default=0)
    n_haat_discriminatie: Mapped[int] = mapped_column(Integer, default=0)
    n_collectieve_actie: Mapped[int] = mapped_column(Integer, default=0)
    n_oproep_mobilisatie: Mapped[int] = mapped_column(Integer, default=0)
    n_bedreiging_intimidatie: Mapped[int] = mapped_column(Integer, default=0)
    n_ordeverstoring: Mapped[int] = mapped_column(Integer, default=0)
    n_aanleiding: Mapped[int] = mapped_column(Integer, default=0)
    n_weerbaarheid: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reporters: Mapped[int] = mapped_column(Integer, default=0)
    unrest_n_2w: Mapped[int] = mapped_column(Integer, default=0)
    unrest_reporters_2w: Mapped[int] = mapped_column(Integer, default=0)
    severe_n_2w: Mapped[int] = mapped_column(Integer, default=0)
    severe_reporters_2w: Mapped[int] = mapped_column(Integer, default=0)
    severe_verified_2w: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    call_n: Mapped[int] = mapped_column(Integer, default=0)
    call_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    call_reporters: Mapped[int] = mapped_column(Integer, default=0)
    call_offline_reporters: Mapped[int] = mapped_column(Integer, default=0)
    disorder_n: Mapped[int] = mapped_column(Integer, default=0)
    disorder_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    disorder_reporters: Mapped[int] = mapped_column(Integer, default=0)
    online_n: Mapped[int] = mapped_column(Integer, default=0)
    on_time_n: Mapped[int] = mapped_column(Integer, default=0)
    top_themes: Mapped[str] = mapped_column(String(200), default="")


class AuditEvent(Base):
    """Append-only audit log. Never holds description text (docs/privacy.md)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_user_at", "user_id", "at"),
        Index("ix_audit_events_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[dict | None] = mapped_column(JSON)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict | list | str | int | float | bool | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class UserSession(Base):
    """A login. Only the SHA-256 of the browser's token is stored (docs/privacy.md).

    A new row starts as a pending login (`handoff_hash` set, `token_hash` empty): the
    browser redeems that one-time code at the session route, which issues the token and
    its cookie. `role` and `stamp` are the user's role and password stamp at login.
    """

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    binding_hash: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(500), default="/")
    role: Mapped[str] = mapped_column(String(20))
    stamp: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    idle_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    absolute_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class FormDraft(Base):
    """A half-filled form, per user and form (docs/privacy.md: never shown to others)."""

    __tablename__ = "form_drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    form: Mapped[str] = mapped_column(String(40), primary_key=True)
    values: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WijkAction(Base):
    """What was done in a wijk: a type, a date, a status and a short description.

    `phase` is the wijk's phase when the action was logged (the linked decision's, else the
    effective phase of that week), so managers' counts per phase need no recomputation.
    """

    __tablename__ = "wijk_actions"
    __table_args__ = (
        CheckConstraint("status IN ('gepland', 'uitgevoerd')", name="status"),
        CheckConstraint("phase BETWEEN 0 AND 4", name="phase_range"),
        Index("ix_wijk_actions_wijk_date", "wijk_id", "action_date"),
        Index("ix_wijk_actions_action_date", "action_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"))
    action_type: Mapped[str] = mapped_column(String(40))
    action_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="gepland")
    description: Mapped[str | None] = mapped_column(Text)
    phase: Mapped[int] = mapped_column(Integer, default=0)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("phase_decisions.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RiskMoment(Base):
    """A moment on the risicokalender: for one wijk, or (wijk empty) a whole gemeente."""

    __tablename__ = "risk_moments"
    __table_args__ = (Index("ix_risk_moments_moment_date", "moment_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_date: Mapped[date] = mapped_column(Date)
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeenten.id"))
    kind: Mapped[str] = mapped_column(String(30))
    theme: Mapped[str | None] = mapped_column(String(40))
    place: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(200))
    notified: Mapped[bool | None] = mapped_column(Boolean)  # demonstrations only
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NafaseEvaluation(Base):
    """The coordinator's short evaluation after a wijk's nafase ended (own lessons)."""

    __tablename__ = "nafase_evaluations"
    __table_args__ = (Index("ix_nafase_evaluations_wijk_end", "wijk_id", "nafase_end",
                            unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"))
    nafase_end: Mapped[date] = mapped_column(Date)  # Monday of the last nafase week
    escalation_week: Mapped[date | None] = mapped_column(Date)  # first week of phase 4
    lead_weeks: Mapped[int | None] = mapped_column(Integer)  # phase >= 2 proposed before it
    first_signal: Mapped[str] = mapped_column(Text)
    keep: Mapped[str] = mapped_column(Text)
    change: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = [
    "AuditEvent", "Base", "CategoryRow", "Credential", "FormDraft", "NafaseEvaluation",
    "PhaseDecision", "RiskMoment", "Setting", "Signal", "SignalHistory", "SignalLink", "Theme",
    "User", "UserSession", "WeeklyIndicator", "Wijk", "WijkAction", "signal_theme",
    "user_wijk", "utcnow"
]
