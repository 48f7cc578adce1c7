"""The wijk dossier on SQLite and PostgreSQL: scope, sections, no personal data (pypdf)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from signals.db.models import AuditEvent
from signals.db.uow import read_session, run_write
from signals.errors import NotFoundError, PermissionDeniedError, ValidationError
from signals.localtime import monday_of
from signals.services.actions import ActionInput, log_action
from signals.services.intake import create_signal
from signals.services.phases import record_decision
from signals.services.report_pdf import ReportPdf
from signals.services.wijk_dossier import SECTIONS, Section, wijk_dossier
from tests.integration.signal_world import TODAY, draft, make_world

SECRET = "Jansen van de Kerkstraat 12 zei dit"
NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
FIRST = monday_of(TODAY) - timedelta(weeks=7)
LAST = monday_of(TODAY)


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _dossier(engine, actor, code="WK099002", sections=None):  # type: ignore[no-untyped-def]
    return run_write(engine, lambda s: wijk_dossier(s, actor, code, FIRST, LAST, NOW, sections))


def _extra(pdf: ReportPdf, data) -> None:  # type: ignore[no-untyped-def]
    pdf.multi_cell(0, 5, f"{data.extra['Extra']} open punten")


def test_dossier_has_every_section_and_no_personal_data(engine) -> None:
    """Also: a new section is one more entry, and may load its own data first."""
    world = make_world(engine)
    for days in (0, 1, 8):
        run_write(engine, lambda s, d=days: create_signal(s, world.kf_b, draft(
            world.wijk_b, description=SECRET, observed_on=TODAY - timedelta(days=d),
            category="bedreiging_intimidatie", severity=4), today=TODAY))
    run_write(engine, lambda s: record_decision(s, world.coord_b, "WK099002", LAST, 2,
                                                "Spanning rond het plein; extra overleg.",
                                                today=TODAY))
    extra = Section("Extra", _extra, load=lambda session, actor, data: 3)
    report = _dossier(engine, world.coord_b, sections=[*SECTIONS, extra])
    assert report.filename == "wijkdossier-WK099002-2026-W04-2026-W11.pdf"
    text = _text(report.data)
    for section in SECTIONS:
        assert section.title in text, section.title
    assert "3 open punten" in text
    assert "Wijkdossier Zuid" in text and "Spanning rond het plein" in text
    assert "Oplopende spanningen" in text  # the decided phase's handelingsperspectief
    for personal in ("Jansen", "Kerkstraat", "kf_zuid", "coord_zuid", "docent"):
        assert personal not in text, personal
    reader = PdfReader(io.BytesIO(report.data))
    assert sum(len(page.images) for page in reader.pages) == 2  # phase strip, trend chart
    with read_session(engine) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "dossier_gemaakt"))
    assert (event.username, event.object_id) == ("coord_zuid", "WK099002")


def test_dossier_only_for_the_actors_wijken_and_roles(engine) -> None:
    world = make_world(engine)
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        _dossier(engine, world.coord_b, "WK099001")  # Noord is not coord_b's
    with pytest.raises(PermissionDeniedError):
        _dossier(engine, world.kf_b)
    with pytest.raises(PermissionDeniedError):
        _dossier(engine, world.manager)
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: wijk_dossier(s, world.coord_b, "WK099002",
                                                 LAST - timedelta(weeks=60), LAST, NOW))
    assert _dossier(engine, world.beheerder, "WK099001").data[:5] == b"%PDF-"


def test_dossier_lists_the_actions_of_the_period_without_their_author(engine) -> None:
    world = make_world(engine)

    def log(day, description: str) -> None:  # type: ignore[no-untyped-def]
        draft = ActionInput("WK099002", "netwerkgesprek", day, "uitgevoerd", description)
        run_write(engine, lambda s: log_action(s, world.coord_b, draft, today=TODAY))

    log(LAST + timedelta(days=2), "Gesprek met de buurtvereniging over het plein")
    log(FIRST - timedelta(days=1), "Overleg van voor de periode")
    text = _text(_dossier(engine, world.coord_b).data)
    assert "Netwerkgesprek" in text and "Uitgevoerd" in text
    assert (LAST + timedelta(days=2)).strftime("%d-%m-%Y") in text
    assert "buurtvereniging over het plein" in " ".join(text.split())
    assert "Overleg van voor de periode" not in text
    assert "coord_zuid" not in text
