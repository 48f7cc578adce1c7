"""The weekly report: PDF text (pypdf) and XLSX cells (openpyxl), audit, CLI, font fallback."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from signals.cli.main import main
from signals.db.models import AuditEvent, Wijk
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.engine.weeks import current_week_start, week_label
from signals.errors import ValidationError
from signals.services import report_image, report_pdf
from signals.services.actions import ActionInput, log_action
from signals.services.report import export_report
from signals.services.weekbeeld import action_summary, weekbeeld
from tests.integration.test_weekbeeld_service import MANAGER, THIS_WEEK, _small_gemeente
from tests.security.factories import make_user

NOW = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)


@pytest.fixture
def small(engine):
    run_write(engine, _small_gemeente)
    return engine


def _export(engine, fmt: str, weeks: int = 12):  # type: ignore[no-untyped-def]
    return run_write(engine, lambda s: export_report(s, MANAGER, fmt, THIS_WEEK, weeks, NOW))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_holds_summary_heatmap_image_and_wijk_table(small) -> None:
    report = _export(small, "pdf", weeks=26)
    assert report.filename == "weekrapport-2026-W47.pdf" and report.data[:5] == b"%PDF-"
    text = pdf_text(report.data)
    for expected in ("Weekrapport Wijksignalen", "week 47", "16-11-2026 t/m 22-11-2026",
                     "Gemaakt op 20-11-2026 om 08:30", "Samenvatting",
                     "Fase per wijk, laatste 26 weken", "Wijken deze week", "West", "Noord",
                     "Thema's in de lift", "Azc en asiel", "+500%",
                     "Fasen en handelingsperspectief", "Oplopende spanningen"):
        assert expected in text, expected
    assert "<5" in text and "Vrije tekst" not in text and "kf_" not in text
    first_page = PdfReader(io.BytesIO(report.data)).pages[0]
    assert len(first_page.images) == 1  # the phase heatmap


def test_export_is_audited_with_format_and_period(small) -> None:
    _export(small, "xlsx", weeks=52)
    with read_session(small) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.object_type, event.object_id) == ("weekrapport", "2026-W47")
    assert event.details == {"formaat": "xlsx", "weken": 52}


def test_xlsx_holds_the_same_tables_with_suppression_and_safe_text(small) -> None:
    run_write(small, lambda s: s.execute(update(Wijk).where(Wijk.name == "Zuid")
                                         .values(name='=HYPERLINK("http://x")')))
    book = load_workbook(io.BytesIO(_export(small, "xlsx").data))
    assert book.sheetnames == ["Samenvatting", "Wijken", "Fase per week", "Thema's",
                               "Veranderingen", "Polarisatie", "Acties"]
    wijken = list(book["Wijken"].iter_rows(values_only=True))
    header, rows = wijken[0], wijken[1:]
    assert header[:3] == ("Wijkcode", "Wijk", "Fase") and len(rows) == 4
    counts = [row[header.index("Signalen")] for row in rows]
    assert all(c == "<5" or (isinstance(c, int) and c >= 5) for c in counts)
    names = [row[1] for row in rows]
    assert "'=HYPERLINK(\"http://x\")" in names  # neutralised, never a live formula
    heat = list(book["Fase per week"].iter_rows(values_only=True))
    assert heat[1][0] == "Wijk" and heat[1][-1] == "2026-W47"
    summary = [row[0] for row in book["Samenvatting"].iter_rows(values_only=True) if row[0]]
    assert any("Weekrapport Wijksignalen" in str(line) for line in summary)
    themes = list(book["Thema's"].iter_rows(values_only=True))
    assert ("Azc en asiel", 12, 8, 500) in themes


def test_pdf_without_a_unicode_font_falls_back_to_a_core_font(small, monkeypatch) -> None:
    monkeypatch.setattr(report_pdf, "unicode_font_path", lambda bold=False: None)
    monkeypatch.setattr(report_image, "unicode_font_path", lambda bold=False: None)
    text = pdf_text(_export(small, "pdf").data)
    assert "Weekrapport Wijksignalen" in text and "coördinator" in text  # Latin-1 survives


def test_unknown_formats_and_periods_are_refused(small) -> None:
    with pytest.raises(ValidationError):
        run_write(small, lambda s: export_report(s, MANAGER, "docx", THIS_WEEK, 12))
    with pytest.raises(ValidationError):
        run_write(small, lambda s: export_report(s, MANAGER, "pdf", THIS_WEEK, 13))


def test_cli_writes_pdf_and_xlsx_for_scheduled_mailing(demo_database, tmp_path, capsys) -> None:
    week = week_label(current_week_start())
    pdf, xlsx = tmp_path / "week.pdf", tmp_path / "week.xlsx"
    assert main(["report", "--week", week, "-o", str(pdf)]) == 0
    assert main(["report", "-o", str(xlsx), "--weeks", "26"]) == 0
    assert f"Weekrapport {week} geschreven naar" in capsys.readouterr().out
    text = pdf_text(pdf.read_bytes())
    for story in ("Spoorzone", "Dreigende escalatie", "Molenwijk", "Nafase", "Vogelwijk",
                  "Onvoldoende zicht (fase 0)"):
        assert story in text, story
    assert load_workbook(xlsx).sheetnames[0] == "Samenvatting"
    assert main(["report", "--week", week, "-o", str(tmp_path / "week.docx")]) == 1
    assert main(["report", "--week", "2026-W99", "-o", str(pdf)]) == 1
    assert "Ongeldige week" in capsys.readouterr().err


SECRET = "Overleg met de buurtvereniging over het raadsbesluit"


def _log(engine, coordinator, action_type: str, days: int, status: str) -> None:
    draft = ActionInput("WK099001", action_type, THIS_WEEK + timedelta(days=days), status,
                        SECRET)
    run_write(engine, lambda s: log_action(s, coordinator, draft, today=THIS_WEEK
                                           + timedelta(days=6)))


def test_report_counts_actions_per_type_and_phase_without_descriptions(small) -> None:
    coordinator = make_user(small, "coord_noord", Role.COORDINATOR, ("WK099001",))
    _log(small, coordinator, "netwerkgesprek", 1, "uitgevoerd")
    _log(small, coordinator, "netwerkgesprek", 2, "uitgevoerd")
    _log(small, coordinator, "driehoeksoverleg", 3, "gepland")
    _log(small, coordinator, "nazorg", -200, "uitgevoerd")  # before the 12-week period
    with read_session(small) as session:
        wb = weekbeeld(session, MANAGER, THIS_WEEK, 12)
    assert int(wb.actions["total"].sum()) == 3
    assert action_summary(wb) == "Acties in deze periode: 2 uitgevoerd, 1 gepland, over 2 soorten."
    text = pdf_text(_export(small, "pdf").data)
    assert "Acties in de periode" in text and "Netwerkgesprek" in text
    assert "Driehoeksoverleg" in text and SECRET not in text and "coord_noord" not in text
    book = load_workbook(io.BytesIO(_export(small, "xlsx").data))
    rows = list(book["Acties"].iter_rows(values_only=True))
    assert rows[0] == ("Type actie", "Fase", "Fasenaam", "Uitgevoerd", "Gepland", "Totaal")
    assert {r[0]: r[3:] for r in rows[1:]}["Netwerkgesprek"] == (2, 0, 2)
    assert SECRET not in str(rows)
