"""NUL bytes and other control characters get a Dutch field error at every way in, never a
database traceback, on SQLite and PostgreSQL (which refuses NUL in text)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from signals.db.models import Signal
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import ValidationError
from signals.services import categories, phases, review, wijk_admin
from signals.services.actor import SYSTEM_ACTOR
from signals.services.auth import LoginFailedError, login
from signals.services.intake import create_signal
from signals.services.pii import check_reason
from signals.services.plain_text import normalise_newlines, shown, text_problem
from signals.services.users import add_user
from tests.integration.signal_world import TODAY, counts, draft, make_world
from tests.security.bad_files import CATALOGUE
from tests.security.factories import PASSWORD

PROJECT = Path(__file__).resolve().parents[2]
NUL_AFTER_4KB = next(b for b in CATALOGUE if b.kind == "NUL byte after the first 4 KB")
HOSTILE = ["Na\x00der", "bel\x07", "esc\x1b[31m", "abc\u202edef", "lijn\u2028scheiding",
           "half\ud800"]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_hostile_character_is_named(text: str) -> None:
    assert text_problem(text) and text_problem(text, multiline=True)


@pytest.mark.parametrize("text", ["Café één — ‘x’ 🚨", "Noord-Oost (oud)", "a\u00a0b"])
def test_ordinary_text_passes(text: str) -> None:
    assert text_problem(text) is None


def test_newlines_tabs_and_emoji_joiners_are_fine_in_multiline_text_only() -> None:
    text = normalise_newlines("een\r\ntwee\rdrie\tvier 👩\u200d👩\u200d👧")
    assert text == "een\ntwee\ndrie\tvier 👩\u200d👩\u200d👧"
    assert text_problem(text, multiline=True) is None
    assert text_problem(text) is not None


def test_a_shown_value_is_short_and_printable() -> None:
    assert shown("x" * 1000 + "\x00") == "x" * 60 + "…"
    assert shown("a\x00b") == "a?b"


def test_intake_refuses_a_nul_in_description_and_subtype(engine) -> None:
    world = make_world(engine)
    bad = draft(world.wijk_a, description="Bewoners klagen\x00 over iets", subtype="x\u202ey")
    with pytest.raises(ValidationError) as caught:
        run_write(engine, lambda s: create_signal(s, world.kf_a, bad, today=TODAY))
    assert {e.field for e in caught.value.errors} == {"description", "subtype"}
    assert "NUL-teken" in str(caught.value)
    assert counts(engine)["signals"] == 0


def test_review_note_decision_and_pii_reasons_refuse_a_nul(engine) -> None:
    world = make_world(engine)
    saved = run_write(engine, lambda s: create_signal(s, world.kf_a, draft(world.wijk_a),
                                                      today=TODAY))
    change = review.Assessment(severity=3, note="Toelichting\x00")
    with pytest.raises(ValidationError, match="NUL-teken"):
        run_write(engine, lambda s: review.assess(s, world.coord_a, saved.id,
                                                  saved.version, change))
    with pytest.raises(ValidationError, match="NUL-teken"):
        run_write(engine, lambda s: phases.record_decision(
            s, world.coord_a, "WK099001", date(2026, 3, 9), 1, "Beeld\x00 oordeel besluit",
            today=TODAY))
    with pytest.raises(ValidationError, match="NUL-teken"):
        check_reason("Nodig voor\x00 de aangifte")


def test_admin_names_and_labels_refuse_control_characters(engine) -> None:
    world = make_world(engine)
    with pytest.raises(ValidationError, match="NUL-teken"):
        run_write(engine, lambda s: wijk_admin.rename_wijk(s, world.beheerder, "WK099001",
                                                           "Noord\x00"))
    with pytest.raises(ValidationError, match="U\\+202E"):
        run_write(engine, lambda s: categories.update_category(s, world.beheerder, "onvrede",
                                                               "Onvrede\u202e", 1))
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: add_user(s, SYSTEM_ACTOR, "nieuw", Role.MANAGER, PASSWORD,
                                             email="a\x00b@example.nl"))


def test_a_login_with_a_nul_is_an_ordinary_failed_login(engine) -> None:
    with pytest.raises(LoginFailedError):
        login(engine, "beheer\x00", PASSWORD)


def test_the_cli_import_gives_a_dutch_field_error_not_a_traceback(engine, db_url,
                                                                   tmp_path) -> None:
    make_world(engine)
    source = tmp_path / "nul.csv"
    source.write_bytes(NUL_AFTER_4KB.data)
    done = subprocess.run([sys.executable, "-m", "signals", "import", str(source)],
                          capture_output=True, text=True, cwd=PROJECT,
                          env={"DATABASE_URL": db_url, "PATH": ""}, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "rij 122, description: bevat een NUL-teken (op positie 3)" in done.stderr
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Signal)) == 0


def test_a_control_character_in_the_upload_name_is_stored_as_printable_text(engine) -> None:
    """The file name goes into the history notes and the audit log; PostgreSQL refuses NUL."""
    from signals.db.models import AuditEvent, SignalHistory
    from signals.services.signal_import import import_signals
    from tests.integration.test_signal_import import csv_bytes, row

    world = make_world(engine)
    summary = run_write(engine, lambda s: import_signals(
        s, world.coord_a, "melding\x00en\u202e.csv", csv_bytes([row()]), today=TODAY))
    assert summary.created == 1
    with read_session(engine) as session:
        notes = session.scalars(select(SignalHistory.note).where(
            SignalHistory.note.like("import %"))).all()
        details = [e.details for e in session.scalars(select(AuditEvent))]
    assert notes == ["import melding?en?.csv"]
    assert "\x00" not in str(details) and "melding?en?.csv" in str(details)
