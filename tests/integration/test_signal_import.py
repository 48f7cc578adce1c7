"""Signal import on SQLite and PostgreSQL: formats, defaults, idempotency, scope, bad input.

Every kind of bad input is refused with its row, column and Dutch message, and nothing is
stored (not even part of the file).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from signals.db.models import AuditEvent, Credential, Signal, SignalHistory, User, WeeklyIndicator
from signals.db.uow import read_session, run_write
from signals.errors import PermissionDeniedError, ValidationError
from signals.services.signal_import import import_signals, preview_import
from signals.services.signal_rows import IMPORT_COLUMNS
from tests.integration.signal_world import TODAY, counts, make_world

HEADER = ("external_id", "observed_on", "wijk_code", "reporter", "category")


def csv_bytes(rows: list[dict[str, str]], columns=None, sep: str = ";",
              encoding: str = "utf-8") -> bytes:
    columns = list(columns or (rows[0] if rows else HEADER))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[r.get(c, "") for c in columns] for r in rows])
    return out.getvalue().encode(encoding)


def row(**values: str) -> dict[str, str]:
    base = {"external_id": "x-1", "observed_on": "2026-03-10", "wijk_code": "WK099001",
            "reporter": "kf_noord", "category": "onvrede"}
    base.update(values)
    return base


def do_import(engine, actor, data: bytes, name: str = "signalen.csv", reason=None, **kw):
    return run_write(engine, lambda s: import_signals(s, actor, name, data, reason,
                                                      today=TODAY, **kw))


def test_a_minimal_file_gets_the_documented_defaults(engine) -> None:
    world = make_world(engine)
    summary = do_import(engine, world.coord_a, csv_bytes([row()]))
    assert (summary.created, summary.updated, summary.unchanged) == (1, 0, 0)
    with read_session(engine) as session:
        signal = session.scalars(select(Signal)).one()
        assert (signal.severity, signal.source, signal.reach, signal.reliability,
                signal.polarisation, signal.status, signal.online) == (
            1, "eigen_waarneming", "individu", "onbekend", "geen", "nieuw", False)
        assert signal.reporter_role == "jongerenwerker"  # from the known reporter
        assert signal.external_id == "x-1"
        assert session.get(WeeklyIndicator, (world.wijk_a, date(2026, 3, 9))).n_onvrede == 1
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "signalen_import")).one()
        assert event.details["bestand"] == "signalen.csv" and event.details["nieuw"] == 1


def test_every_column_windows_1252_with_semicolons_and_dutch_dates(engine) -> None:
    world = make_world(engine)
    full = row(external_id="x-2", observed_on="09-03-2026", category="oproep_mobilisatie",
               reporter_role="wijkagent", subtype="Flyer", themes="azc_asiel;wonen",
               severity="5", source="online", online="ja", platform="besloten_groep",
               reach="groot", reliability="hoog", polarisation="verticaal",
               action_date="14-03-2026", action_place="Marktplein", status="in_duiding",
               description="Oproep tot protest bij het gemeentehuis; café-eigenaar hoorde het")
    do_import(engine, world.beheerder, csv_bytes([full], list(IMPORT_COLUMNS),
                                                 encoding="cp1252"))
    with read_session(engine) as session:
        signal = session.scalars(select(Signal)).one()
        assert signal.observed_on == date(2026, 3, 9)
        assert signal.action_date == date(2026, 3, 14)
        assert "café-eigenaar" in signal.description
        assert [t.code for t in signal.themes] == ["azc_asiel", "wonen"]
        assert (signal.severity, signal.platform, signal.status, signal.reporter_role) == (
            5, "besloten_groep", "in_duiding", "wijkagent")


def test_utf8_with_bom_commas_and_labels_instead_of_codes(engine) -> None:
    world = make_world(engine)
    data = b"\xef\xbb\xbf" + csv_bytes([row(category="Onvrede / klachten",
                                            reliability="Hoog", themes="Wonen")], sep=",")
    do_import(engine, world.coord_a, data)
    with read_session(engine) as session:
        signal = session.scalars(select(Signal)).one()
        assert (signal.category, signal.reliability) == ("onvrede", "hoog")
        assert [t.code for t in signal.themes] == ["wonen"]


def test_platform_names_in_any_case_keep_the_name_next_to_the_type(engine) -> None:
    world = make_world(engine)
    rows = [row(external_id="p-1", platform="telegram"),
            row(external_id="p-2", platform="TikTok", source="internet"),
            row(external_id="p-3", platform="X (Twitter)"),
            row(external_id="p-4", platform="Besloten groep / chat")]
    summary = do_import(engine, world.coord_a, csv_bytes(rows, list(HEADER) + [
        "platform", "source"]))
    assert summary.created == 4
    with read_session(engine) as session:
        stored = {s.external_id: (s.platform, s.platform_name, s.online)
                  for s in session.scalars(select(Signal))}
    assert stored == {"p-1": ("besloten_groep", "Telegram", True),
                      "p-2": ("video", "TikTok", True),
                      "p-3": ("sociale_media", "X", True),
                      "p-4": ("besloten_groep", None, True)}
    # A re-import without a platform keeps the name with its type; a new type drops it.
    again = [row(external_id="p-1"), row(external_id="p-2", platform="forum")]
    do_import(engine, world.coord_a, csv_bytes(again, list(HEADER) + ["platform"]))
    with read_session(engine) as session:
        stored = {s.external_id: (s.platform, s.platform_name)
                  for s in session.scalars(select(Signal))}
    assert stored["p-1"] == ("besloten_groep", "Telegram")
    assert stored["p-2"] == ("forum", None)


def test_xlsx_with_real_date_cells(engine) -> None:
    world = make_world(engine)
    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "observed_on", "wijk_code", "reporter", "category", "severity"])
    sheet.append(["x-9", date(2026, 3, 2), "WK099001", "kf_noord", "symbolen", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    summary = do_import(engine, world.coord_a, buffer.getvalue(), "signalen.xlsx")
    assert summary.created == 1
    with read_session(engine) as session:
        signal = session.scalars(select(Signal)).one()
        assert (signal.observed_on, signal.severity) == (date(2026, 3, 2), 3)


def test_reimport_is_idempotent_and_changed_values_update(engine) -> None:
    world = make_world(engine)
    rows = [row(), row(external_id="x-2", category="symbolen", themes="voetbal")]
    first = do_import(engine, world.coord_a, csv_bytes(rows, list(IMPORT_COLUMNS)))
    again = do_import(engine, world.coord_a, csv_bytes(rows, list(IMPORT_COLUMNS)))
    assert (first.created, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)
    rows[1]["themes"] = "voetbal;jeugdgroepen"
    rows[1]["status"] = "geverifieerd"
    changed = do_import(engine, world.coord_a, csv_bytes(rows, list(IMPORT_COLUMNS)))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    with read_session(engine) as session:
        signal = session.scalars(select(Signal).where(Signal.external_id == "x-2")).one()
        assert signal.status == "geverifieerd" and signal.version == 2
        assert [t.code for t in signal.themes] == ["jeugdgroepen", "voetbal"]
        fields = set(session.scalars(select(SignalHistory.field).where(
            SignalHistory.signal_id == signal.id, SignalHistory.action == "import")))
        assert fields == {"status", "themes"}
        assert session.scalar(select(Signal).where(Signal.external_id == "x-1")).version == 1


def test_empty_cells_keep_stored_values_on_update(engine) -> None:
    world = make_world(engine)
    do_import(engine, world.coord_a, csv_bytes([row(severity="4", reliability="hoog")]))
    summary = do_import(engine, world.coord_a, csv_bytes([row()]))
    assert summary.unchanged == 1
    with read_session(engine) as session:
        signal = session.scalars(select(Signal)).one()
        assert (signal.severity, signal.reliability) == (4, "hoog")


def test_unknown_reporters_are_registered_as_key_figures_without_password(engine) -> None:
    world = make_world(engine)
    rows = [row(external_id="n-1", reporter="nieuwe_melder", reporter_role="docent"),
            row(external_id="n-2", reporter="nieuwe_melder", wijk_code="WK099002"),
            row(external_id="n-3")]
    summary = do_import(engine, world.coord_a, csv_bytes(rows, list(IMPORT_COLUMNS)))
    assert summary.new_reporters == ("nieuwe_melder",)
    with read_session(engine) as session:
        user = session.scalars(select(User).where(User.username == "nieuwe_melder")).one()
        assert (user.role, user.reporter_role) == ("sleutelfiguur", "docent")
        assert {w.code for w in user.wijken} == {"WK099001", "WK099002"}
        assert session.get(Credential, user.id).password_hash is None
    again = do_import(engine, world.coord_a, csv_bytes(rows, list(IMPORT_COLUMNS)))
    assert again.new_reporters == () and again.unchanged == 3


def test_rows_without_external_id_are_new_every_time_and_the_preview_says_so(engine) -> None:
    world = make_world(engine)
    data = csv_bytes([row(external_id="")])
    with read_session(engine) as session:
        preview = preview_import(session, world.coord_a, "a.csv", data, today=TODAY)
    assert preview.ok and preview.summary.without_external_id == 1
    do_import(engine, world.coord_a, data)
    do_import(engine, world.coord_a, data)
    assert counts(engine)["signals"] == 2


def test_the_preview_lists_every_bad_row_and_stores_nothing(engine) -> None:
    world = make_world(engine)
    rows = [row(external_id=f"p-{i}") for i in range(6)]
    rows[1]["wijk_code"] = "WK123456"
    rows[3]["observed_on"] = "31-02-2026"
    rows[3]["category"] = "boos"
    rows[5]["severity"] = "8"
    before = counts(engine)
    with read_session(engine) as session:
        preview = preview_import(session, world.coord_a, "p.csv", csv_bytes(
            rows, list(HEADER) + ["severity"]), today=TODAY)
    assert not preview.ok
    table = preview.errors_frame()
    assert list(zip(table["rij"], table["kolom"], strict=True)) == [
        (3, "wijk_code"), (5, "observed_on"), (5, "category"), (7, "severity")]
    assert preview.summary.rows == 6 and len(preview.sample) == 6
    assert counts(engine) == before


def test_personal_data_in_an_import_needs_a_reason_and_is_recorded(engine) -> None:
    world = make_world(engine)
    data = csv_bytes([row(description="Tip van 06-12345678 over de oproep")],
                     list(HEADER) + ["description"])
    with read_session(engine) as session:
        preview = preview_import(session, world.coord_a, "a.csv", data, today=TODAY)
    assert preview.ok and list(preview.personal_data["soort"]) == ["telefoonnummer"]
    summary = do_import(engine, world.coord_a, data, reason="Nummer van een partnerorganisatie")
    assert summary.personal_data_rows == 1
    with read_session(engine) as session:
        entry = session.scalars(select(SignalHistory).where(
            SignalHistory.action == "pii_bevestigd")).one()
        assert entry.note == "Nummer van een partnerorganisatie"
        audit_text = str(session.scalars(select(AuditEvent.details)).all())
        assert "06-12345678" not in audit_text and "Tip van" not in audit_text
    again = do_import(engine, world.coord_a, data)  # stored text was confirmed before
    assert again.unchanged == 1 and again.personal_data_rows == 0


def test_a_coordinator_may_not_import_at_all_outside_the_role(engine) -> None:
    world = make_world(engine)
    for actor in (world.kf_a, world.manager):
        with pytest.raises(PermissionDeniedError):
            do_import(engine, actor, csv_bytes([row()]))


def _xlsx_corrupt() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 200


BAD_INPUT = [
    # (id, file bytes, filename, actor attribute, extra kwargs, (row, column), words)
    ("unknown wijk", csv_bytes([row(wijk_code="WK999999")]), "a.csv", "coord_a", {},
     (2, "wijk_code"), "onbekende wijk 'WK999999'"),
    ("bad date", csv_bytes([row(observed_on="2026-13-01")]), "a.csv", "coord_a", {},
     (2, "observed_on"), "geen geldige datum; gebruik JJJJ-MM-DD of DD-MM-JJJJ"),
    ("date in another format", csv_bytes([row(observed_on="10/03/2026")]), "a.csv",
     "coord_a", {}, (2, "observed_on"), "geen geldige datum"),
    ("future date", csv_bytes([row(observed_on="2026-03-13")]), "a.csv", "coord_a", {},
     (2, "observed_on"), "ligt in de toekomst"),
    ("unknown category", csv_bytes([row(category="gedoe")]), "a.csv", "coord_a", {},
     (2, "category"), "onbekende waarde 'gedoe'"),
    ("empty category", csv_bytes([row(category="")]), "a.csv", "coord_a", {},
     (2, "category"), "verplicht"),
    ("unknown theme", csv_bytes([row(themes="wonen;marsmannetjes")]), "a.csv", "coord_a", {},
     (2, "themes"), "onbekend thema 'marsmannetjes'"),
    ("severity out of range", csv_bytes([row(severity="9")]), "a.csv", "coord_a", {},
     (2, "severity"), "1 tot en met 5"),
    ("severity not a number", csv_bytes([row(severity="hoog")]), "a.csv", "coord_a", {},
     (2, "severity"), "geen geheel getal"),
    ("bad boolean", csv_bytes([row(online="misschien")]), "a.csv", "coord_a", {},
     (2, "online"), "geen ja of nee"),
    ("platform while offline", csv_bytes([row(online="nee", platform="forum")]), "a.csv",
     "coord_a", {}, (2, "platform"), "alleen bij een online signaal"),
    ("unknown status", csv_bytes([row(status="afgehandeld")]), "a.csv", "coord_a", {},
     (2, "status"), "onbekende waarde 'afgehandeld'"),
    ("unknown reporter role", csv_bytes([row(reporter_role="burgemeester")]), "a.csv",
     "coord_a", {}, (2, "reporter_role"), "onbekende waarde 'burgemeester'"),
    ("reporter with spaces", csv_bytes([row(reporter="Jan de Vries")]), "a.csv", "coord_a",
     {}, (2, "reporter"), "geen geldige gebruikersnaam"),
    ("empty reporter", csv_bytes([row(reporter="")]), "a.csv", "coord_a", {},
     (2, "reporter"), "verplicht"),
    ("action date before observed", csv_bytes([row(category="oproep_mobilisatie",
                                                   action_date="2026-03-01")]),
     "a.csv", "coord_a", {}, (2, "action_date"), "vóór de datum waargenomen"),
    ("nul-melding with a severity", csv_bytes([row(category="geen_bijzonderheden",
                                                   severity="3")]),
     "a.csv", "coord_a", {}, (2, "severity"), "ernst 0 of leeg"),
    ("external id too long", csv_bytes([row(external_id="x" * 101)]), "a.csv", "coord_a",
     {}, (2, "external_id"), "maximaal 100 tekens"),
    ("duplicate external id", csv_bytes([row(), row(category="symbolen")]), "a.csv",
     "coord_a", {}, (3, "external_id"), "staat ook in rij 2"),
    ("outside own wijk", csv_bytes([row(wijk_code="WK099001")]), "a.csv", "coord_b", {},
     (2, "wijk_code"), "alleen importeren in uw eigen wijken"),
    ("BSN not confirmed", csv_bytes([row(description="BSN 111222333 van de aanstichter")]),
     "a.csv", "coord_a", {}, (2, "description"), "BSN (burgerservicenummer) '111222333'"),
    ("reason too short", csv_bytes([row(description="Bel 06-12345678")]), "a.csv", "coord_a",
     {"reason": "ok"}, (None, "reden"), "minimaal 10 tekens"),
    ("missing required column", csv_bytes([{"observed_on": "2026-03-10",
                                            "wijk_code": "WK099001", "category": "onvrede"}]),
     "a.csv", "coord_a", {}, (1, "reporter"), "verplichte kolom ontbreekt"),
    ("unknown column", csv_bytes([row() | {"kleur": "rood"}]), "a.csv", "coord_a", {},
     (1, "kleur"), "onbekende kolom"),
    ("repeated column", b"observed_on;wijk_code;reporter;category;category\r\n"
                        b"2026-03-10;WK099001;kf_noord;onvrede;onvrede\r\n", "a.csv",
     "coord_a", {}, (1, "category"), "twee keer"),
    ("empty file", b"", "a.csv", "coord_a", {}, (None, "bestand"), "leeg"),
    ("header only", csv_bytes([], list(HEADER)), "a.csv", "coord_a", {}, (None, "bestand"),
     "alleen een kopregel"),
    ("wrong encoding", csv_bytes([row()]).decode().encode("utf-16-le"), "a.csv", "coord_a", {},
     (None, "bestand"), "geen tekstbestand in UTF-8 of Windows-1252"),
    ("oversize file", csv_bytes([row(external_id=f"x-{i}") for i in range(200)]), "a.csv",
     "coord_a", {"limit": 2048}, (None, "bestand"), "de grens is"),
    ("corrupt xlsx", _xlsx_corrupt(), "a.xlsx", "coord_a", {}, (None, "bestand"),
     "Excel-bestand kan niet worden gelezen"),
]


@pytest.mark.parametrize(("name", "data", "filename", "who", "kwargs", "where", "words"),
                         BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(
        engine, name, data, filename, who, kwargs, where, words) -> None:
    world = make_world(engine)
    # one good row stored earlier must survive untouched
    do_import(engine, world.beheerder, csv_bytes([row(external_id="keep")]))
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        do_import(engine, getattr(world, who), data, filename, **kwargs)
    errors = caught.value.errors
    assert any((e.row, e.field) == where and words in e.message for e in errors), errors
    assert counts(engine) == before


def test_a_coordinator_may_not_overwrite_a_signal_of_another_wijk(engine) -> None:
    world = make_world(engine)
    do_import(engine, world.coord_a, csv_bytes([row(wijk_code="WK099001")]))
    before = counts(engine)
    with pytest.raises(ValidationError, match="eigen wijken"):
        do_import(engine, world.coord_b, csv_bytes([row(wijk_code="WK099002")]))
    assert counts(engine) == before


def test_all_or_nothing_one_bad_row_among_many_stores_none(engine) -> None:
    world = make_world(engine)
    rows = [row(external_id=f"r-{i}") for i in range(500)]
    rows[377]["observed_on"] = "gisteren"
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        do_import(engine, world.coord_a, csv_bytes(rows))
    assert [(e.row, e.field) for e in caught.value.errors] == [(379, "observed_on")]
    assert counts(engine) == before


def test_progress_is_reported(engine) -> None:
    world = make_world(engine)
    seen: list[tuple[float, str]] = []
    do_import(engine, world.coord_a, csv_bytes([row()]),
              progress=lambda f, t: seen.append((f, t)))
    assert seen[0][0] < seen[-1][0] == 1.0 and seen[-1][1] == "Klaar"
