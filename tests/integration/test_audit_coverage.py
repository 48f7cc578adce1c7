"""The audit trail a data protection officer signs off: every kind of access and change of
docs/privacy.md leaves an event, and no event carries description text."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent, Signal
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.services import intake, phases, review, settings, users
from signals.services.actor import SYSTEM_ACTOR
from signals.services.audit_log import export_audit_csv
from signals.services.auth import LoginFailedError, login
from signals.services.retention import purge
from signals.services.signal_draft import SignalDraft
from signals.services.signal_export import export_signals
from signals.services.signal_filter import SignalFilter
from signals.services.signal_import import import_signals
from signals.services.wijken import import_wijken
from tests.security.factories import PASSWORD, make_user, make_wijken

SECRET = "Geheime omschrijving over het buurthuis"
EXPECTED = {
    "login", "login_mislukt", "signaal_gemeld", "signaal_bekeken", "signaal_beoordeeld",
    "export", "signalen_import", "wijken_import", "fasebesluit", "gebruiker_toegevoegd",
    "instelling_gewijzigd", "bewaartermijn_opgeschoond",
}


def test_every_access_and_change_is_audited_without_description_text(engine) -> None:
    ids = make_wijken(engine, "WK000101")
    reporter = make_user(engine, "sf_a", Role.SLEUTELFIGUUR, ("WK000101",))
    coordinator = make_user(engine, "coord_a", Role.COORDINATOR, ("WK000101",))
    beheerder = make_user(engine, "beheer", Role.BEHEERDER)
    login(engine, "coord_a", PASSWORD)
    with pytest.raises(LoginFailedError):
        login(engine, "coord_a", "fout")
    observed = date.today() - timedelta(days=2)
    saved = run_write(engine, lambda s: intake.create_signal(s, reporter, SignalDraft(
        wijk_id=ids["WK000101"], observed_on=observed, category="onvrede",
        description=SECRET)))
    detail = run_write(engine, lambda s: review.signal_detail(s, coordinator, saved.id))
    assert detail.description == SECRET
    run_write(engine, lambda s: review.assess(s, coordinator, saved.id, detail.version,
                                              review.Assessment(status="in_duiding",
                                                                note=SECRET)))
    run_write(engine, lambda s: export_signals(s, coordinator, SignalFilter(), "csv"))
    data = ("external_id;observed_on;wijk_code;reporter;category;description\r\n"
            f"imp-1;{observed.isoformat()};WK000101;sf_a;onvrede;{SECRET}\r\n").encode()
    run_write(engine, lambda s: import_signals(s, coordinator, "signalen.csv", data))
    run_write(engine, lambda s: import_wijken(s, beheerder, "w.csv",
                                              b"wijk_code,wijk_naam\nWK000102,Zuid\n"))
    monday = observed - timedelta(days=observed.weekday())
    run_write(engine, lambda s: phases.record_decision(s, coordinator, "WK000101", monday, 1,
                                                       "Bevestigd in het kernteam"))
    run_write(engine, lambda s: users.add_user(s, beheerder, "nieuw.lid", Role.MANAGER,
                                               PASSWORD))
    run_write(engine, lambda s: settings.update_retention(s, beheerder, 12))
    later = datetime.combine(observed + timedelta(days=62), time(12), tzinfo=UTC)
    run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, months=1, now=later))
    run_write(engine, lambda s: export_audit_csv(s, beheerder))

    with read_session(engine) as session:
        events = list(session.scalars(select(AuditEvent)))
        assert session.scalar(select(Signal.description).where(Signal.id == saved.id)) is None
    actions = {e.action for e in events}
    assert actions >= EXPECTED, EXPECTED - actions
    for event in events:
        text = f"{event.username} {event.object_type} {event.object_id} {event.details}"
        assert SECRET not in text and "buurthuis" not in text, event.action
        assert PASSWORD not in text

