"""Signal export on SQLite and PostgreSQL: filters, scope, formula safety, audit, round trips."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from signals.db.engine import make_engine
from signals.db.models import AuditEvent, Signal, User
from signals.db.uow import read_session, run_write
from signals.errors import PermissionDeniedError
from signals.services.signal_export import export_frame, export_signals
from signals.services.signal_filter import SignalFilter
from signals.services.signal_import import import_signals
from signals.services.signal_rows import IMPORT_COLUMNS
from tests.integration.signal_world import TODAY, counts, make_world
from tests.integration.test_signal_import import csv_bytes, row

ROWS = [
    row(external_id="e-1", themes="azc_asiel;wonen", description="=HYPERLINK(\"x\")",
        subtype="+31 geruchten", severity="2", reliability="hoog"),
    row(external_id="e-2", observed_on="2026-02-01", category="oproep_mobilisatie",
        online="ja", platform="besloten_groep", source="online",
        action_date="2026-02-07", action_place="@ het Marktplein", status="geverifieerd",
        description="-- Oproep; met \"aanhalingstekens\"\nen een nieuwe regel"),
    row(external_id="e-3", wijk_code="WK099002", reporter="kf_zuid", category="weerbaarheid",
        description="Buurtfeest, ëën café"),
    row(external_id="e-4", wijk_code="WK099003", reporter="kf_oost_nieuw",
        reporter_role="ondernemer", category="geen_bijzonderheden"),
]


def _load(engine, world):
    run_write(engine, lambda s: import_signals(s, world.beheerder, "seed.csv",
                                               csv_bytes(ROWS, list(IMPORT_COLUMNS)),
                                               today=TODAY))


def _export(engine, actor, fmt="csv", flt=None):
    return run_write(engine, lambda s: export_signals(s, actor, flt or SignalFilter(), fmt,
                                                      f"export.{fmt}"))


def test_filters_and_scope_decide_the_rows(engine) -> None:
    world = make_world(engine)
    _load(engine, world)
    with read_session(engine) as session:
        def ids(actor, **f):
            return list(export_frame(session, actor, SignalFilter(**f))["external_id"])
        assert ids(world.beheerder) == ["e-2", "e-1", "e-3", "e-4"]  # by observed date
        assert ids(world.coord_a) == ["e-2", "e-1", "e-3"]
        assert ids(world.coord_b) == ["e-3"]
        assert ids(world.beheerder, wijk_ids=(world.wijk_c,)) == ["e-4"]
        assert ids(world.beheerder, themes=("wonen",)) == ["e-1"]
        assert ids(world.beheerder, statuses=("geverifieerd",)) == ["e-2"]
        assert ids(world.beheerder, categories=("weerbaarheid", "onvrede")) == ["e-1", "e-3"]
        assert ids(world.beheerder, date_from=date(2026, 1, 1),
                   date_to=date(2026, 2, 28)) == ["e-2"]
    for actor in (world.kf_a, world.manager):
        with pytest.raises(PermissionDeniedError):
            _export(engine, actor)


def test_csv_is_semicolon_utf8_with_bom_and_neutralises_formulas(engine) -> None:
    world = make_world(engine)
    _load(engine, world)
    exported = _export(engine, world.beheerder)
    assert exported.data.startswith(b"\xef\xbb\xbf") and exported.rows == 4
    text = exported.data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(IMPORT_COLUMNS)
    assert "'=HYPERLINK" in text and "'+31 geruchten" in text and "'@ het Marktplein" in text
    assert "'-- Oproep" in text and "ëën café" in text
    assert "\n=" not in text and ";=" not in text


def test_xlsx_cells_are_text_never_formulas(engine) -> None:
    world = make_world(engine)
    _load(engine, world)
    exported = _export(engine, world.beheerder, "xlsx")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    values = [cell.value for line in sheet.iter_rows() for cell in line]
    assert "'=HYPERLINK(\"x\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert [c.value for c in sheet[1]] == list(IMPORT_COLUMNS)


def test_every_export_is_audited_without_text(engine) -> None:
    world = make_world(engine)
    _load(engine, world)
    _export(engine, world.coord_a, "csv", SignalFilter(themes=("wonen",)))
    with read_session(engine) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
        assert event.details == {"formaat": "csv", "rijen": 1, "bestand": "export.csv",
                                 "filter": {"themes": ["wonen"]}}
        assert event.username == "coord_noord"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_export_import_round_trip_changes_nothing(engine, fmt) -> None:
    world = make_world(engine)
    _load(engine, world)
    first = _export(engine, world.beheerder, fmt)
    before = counts(engine)
    summary = run_write(engine, lambda s: import_signals(
        s, world.beheerder, f"terug.{fmt}", first.data, today=TODAY))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    after = counts(engine)
    assert {k: v for k, v in after.items() if k != "audit"} == \
           {k: v for k, v in before.items() if k != "audit"}
    second = _export(engine, world.beheerder, fmt)
    if fmt == "csv":
        assert second.data == first.data
    with read_session(engine) as session:
        signal = session.scalars(select(Signal).where(Signal.external_id == "e-2")).one()
        assert signal.description.startswith("-- Oproep") and "\nen een" in signal.description
        assert signal.action_place == "@ het Marktplein"


@pytest.fixture
def other_sqlite(sqlite_template, tmp_path):
    path = tmp_path / "other" / "target.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def test_an_export_moves_signals_to_an_empty_database(engine, other_sqlite) -> None:
    """Round trip across databases: the export recreates the same signals elsewhere."""
    sqlite_engine = other_sqlite
    world = make_world(engine)
    _load(engine, world)
    exported = _export(engine, world.beheerder)
    target = make_world(sqlite_engine)
    summary = run_write(sqlite_engine, lambda s: import_signals(
        s, target.beheerder, "over.csv", exported.data, today=TODAY))
    assert summary.created == 4 and summary.new_reporters == ("kf_oost_nieuw",)
    with read_session(sqlite_engine) as session:
        assert session.scalars(select(User.reporter_role).where(
            User.username == "kf_oost_nieuw")).one() == "ondernemer"
    again = run_write(sqlite_engine, lambda s: export_signals(
        s, target.beheerder, SignalFilter(), "csv"))
    assert again.data == exported.data
