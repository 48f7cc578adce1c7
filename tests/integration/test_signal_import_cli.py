"""`python -m signals import` and `export` on SQLite and PostgreSQL, as a scheduled job would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from signals.db.models import AuditEvent, Signal
from signals.db.uow import read_session
from signals.services.signal_rows import IMPORT_COLUMNS
from tests.integration.signal_world import make_world
from tests.integration.test_signal_import import csv_bytes, row

PROJECT = Path(__file__).resolve().parents[2]


def _cli(*args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signals", *args], capture_output=True,
                          text=True, cwd=PROJECT, env={"DATABASE_URL": url, "PATH": ""},
                          timeout=120)


def _signals(engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(Signal)) or 0


def test_import_check_import_and_export_round_trip(engine, db_url, tmp_path) -> None:
    make_world(engine)
    source = tmp_path / "in.csv"
    source.write_bytes(csv_bytes([
        row(external_id="c-1", themes="wonen", observed_on="01-03-2026"),
        row(external_id="c-2", wijk_code="WK099002", reporter="nieuw_iemand",
            category="symbolen", description="=1+1 op een muur")], list(IMPORT_COLUMNS)))
    checked = _cli("import", str(source), "--controleer", url=db_url)
    assert checked.returncode == 0, checked.stderr
    assert "Controle geslaagd" in checked.stdout and "2 nieuw" in checked.stdout
    assert _signals(engine) == 0
    imported = _cli("import", str(source), url=db_url)
    assert imported.returncode == 0, imported.stderr
    assert "2 nieuw, 0 bijgewerkt, 0 ongewijzigd" in imported.stdout
    assert "nieuw_iemand" in imported.stdout and "100%" in imported.stderr

    out = tmp_path / "uit.csv"
    exported = _cli("export", "--wijk", "WK099001", "WK099002", "--from", "2026-03-01",
                    "-o", str(out), url=db_url)
    assert exported.returncode == 0, exported.stderr
    assert "2 signalen" in exported.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "'=1+1 op een muur" in out.read_text(encoding="utf-8-sig")
    again = _cli("import", str(out), url=db_url)
    assert again.returncode == 0 and "0 nieuw, 0 bijgewerkt, 2 ongewijzigd" in again.stdout

    xlsx = tmp_path / "uit.xlsx"
    only = _cli("export", "--theme", "wonen", "-o", str(xlsx), url=db_url)
    assert only.returncode == 0, only.stderr
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[2]][0] == "c-1" and sheet.max_row == 2
    with read_session(engine) as session:
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert len(exports) == 2 and all(e.username == "systeem" for e in exports)


def test_errors_are_listed_with_row_and_column_and_nothing_is_stored(engine, db_url,
                                                                       tmp_path) -> None:
    make_world(engine)
    source = tmp_path / "fout.csv"
    source.write_bytes(csv_bytes([row(), row(external_id="c-2", wijk_code="WK000000"),
                                  row(external_id="c-3", observed_on="morgen")]))
    failed = _cli("import", str(source), url=db_url)
    assert failed.returncode == 1
    assert "rij 3, wijk_code: onbekende wijk 'WK000000'" in failed.stderr
    assert "rij 4, observed_on: 'morgen' is geen geldige datum" in failed.stderr
    assert "niets opgeslagen" in failed.stderr and "Traceback" not in failed.stderr
    checked = _cli("import", str(source), "--controleer", url=db_url)
    assert checked.returncode == 1 and "rij 3, wijk_code" in checked.stderr
    assert _signals(engine) == 0


def test_personal_data_needs_the_confirm_option(engine, db_url, tmp_path) -> None:
    make_world(engine)
    source = tmp_path / "pii.csv"
    source.write_bytes(csv_bytes([row(description="Mail naar piet@example.nl")],
                                 ["external_id", "observed_on", "wijk_code", "reporter",
                                  "category", "description"]))
    refused = _cli("import", str(source), url=db_url)
    assert refused.returncode == 1 and "e-mailadres 'piet@example.nl'" in refused.stderr
    assert _signals(engine) == 0
    accepted = _cli("import", str(source), "--bevestig-persoonsgegevens",
                    "Adres van de organiserende stichting", url=db_url)
    assert accepted.returncode == 0, accepted.stderr
    assert _signals(engine) == 1


def test_export_refuses_unknown_filters_and_file_types(engine, db_url, tmp_path) -> None:
    make_world(engine)
    wrong_wijk = _cli("export", "--wijk", "WK123456", "-o", str(tmp_path / "a.csv"),
                      url=db_url)
    assert wrong_wijk.returncode == 1 and "onbekende wijkcode 'WK123456'" in wrong_wijk.stderr
    wrong_code = _cli("export", "--category", "rellen", "-o", str(tmp_path / "a.csv"),
                      url=db_url)
    assert wrong_code.returncode == 1 and "onbekende code 'rellen'" in wrong_code.stderr
    wrong_date = _cli("export", "--from", "1-1-2026", "-o", str(tmp_path / "a.csv"),
                      url=db_url)
    assert wrong_date.returncode == 2 and "JJJJ-MM-DD" in wrong_date.stderr
    wrong_type = _cli("export", "-o", str(tmp_path / "a.pdf"), url=db_url)
    assert wrong_type.returncode == 1 and ".csv of .xlsx" in wrong_type.stderr
    assert not (tmp_path / "a.csv").exists()
