"""Every file in the bad-file catalogue is refused with its Dutch message and file line, on
SQLite and PostgreSQL, and stores nothing; a zip bomb is refused before it is unpacked."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from signals.db.models import Signal
from signals.db.uow import read_session, run_write
from signals.errors import ValidationError
from signals.services.signal_import import import_signals, preview_import
from signals.services.xlsx_reader import XlsxLimits, read_xlsx
from tests.integration.signal_world import TODAY, counts, make_world
from tests.security.bad_files import CATALOGUE, GOOD, HEADER, BadFile
from tests.security.zip_bomb import bomb_xlsx

PROJECT = Path(__file__).resolve().parents[2]


def _import(engine, actor, bad: BadFile):
    return run_write(engine, lambda s: import_signals(s, actor, bad.filename, bad.data,
                                                      today=TODAY))


@pytest.mark.parametrize("bad", CATALOGUE, ids=[b.kind for b in CATALOGUE])
def test_bad_file_is_refused_with_its_line_and_nothing_is_stored(engine, bad: BadFile) -> None:
    world = make_world(engine)
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        _import(engine, world.beheerder, bad)
    errors = caught.value.errors
    assert any(bad.words in e.message and e.row == bad.line and e.field == bad.column
               for e in errors), errors
    assert all(len(e.message) < 600 for e in errors)  # no cell value is echoed in full
    assert counts(engine) == before


def test_the_preview_shows_the_same_refusal(engine) -> None:
    world = make_world(engine)
    bad = CATALOGUE[0]
    with read_session(engine) as session:
        preview = preview_import(session, world.beheerder, bad.filename, bad.data)
    assert not preview.ok and "zipbom" in preview.errors[0].message


def test_a_zip_bomb_is_refused_fast_before_unpacking() -> None:
    data = bomb_xlsx(1024)
    assert len(data) < 2 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="uitgepakt 1.024 MB; de grens is 200 MB"):
        read_xlsx(data)
    assert time.perf_counter() - started < 1.0


def test_a_bomb_under_the_size_cap_still_stops_at_the_cell_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        read_xlsx(bomb_xlsx(8))
    [error] = caught.value.errors
    assert (error.row, error.field) == (2, "kolom A")
    assert "8.388.608 tekens; maximaal 10.000" in error.message


def test_the_child_is_stopped_at_its_memory_limit() -> None:
    limits = XlsxLimits(max_cell_chars=10**9, max_memory_mb=300)
    table = read_xlsx(bomb_xlsx(1), limits)  # the child itself runs within this limit
    assert len(table.rows[0][0]) == 1 << 20
    with pytest.raises(ValidationError, match="300 MB geheugen"):
        read_xlsx(bomb_xlsx(190), limits)


def test_the_child_is_stopped_at_its_time_limit() -> None:
    limits = XlsxLimits(max_cell_chars=10**9, timeout_seconds=1)
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="meer dan 1 seconden"):
        read_xlsx(bomb_xlsx(190), limits)
    assert time.perf_counter() - started < 10


def test_a_good_csv_after_blank_lines_still_imports(engine) -> None:
    world = make_world(engine)
    data = f"\r\n{HEADER}\r\n\r\n{GOOD}\r\n\r\n".encode()
    summary = run_write(engine, lambda s: import_signals(s, world.beheerder, "a.csv", data,
                                                         today=TODAY))
    assert summary.created == 1


def test_windows_line_ends_inside_a_description_are_stored_as_newlines(engine) -> None:
    world = make_world(engine)
    data = f'{HEADER}\r\nn-1;2026-03-10;WK099001;kf_noord;onvrede;"een\r\ntwee"\r\n'.encode()
    run_write(engine, lambda s: import_signals(s, world.beheerder, "a.csv", data, today=TODAY))
    with read_session(engine) as session:
        assert session.scalar(select(Signal.description)) == "een\ntwee"


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf" + f"{HEADER}\r\n{GOOD} caf\xe9\r\n".encode("latin-1"),  # BOM, then cp1252
    f"{HEADER}\r\n{GOOD} café\r\n".encode("utf-16"),  # Excel "Unicode" text with ;
], ids=["utf-8 BOM before Windows-1252", "utf-16 with BOM"])
def test_a_bom_is_decoded_not_shown_as_part_of_the_header(engine, data: bytes) -> None:
    world = make_world(engine)
    summary = run_write(engine, lambda s: import_signals(s, world.beheerder, "a.csv", data,
                                                         today=TODAY))
    assert summary.created == 1
    with read_session(engine) as session:
        assert session.scalar(select(Signal.description)).endswith(" café")


def test_the_cli_lists_the_first_200_errors_and_counts_the_rest(engine, db_url,
                                                                tmp_path) -> None:
    make_world(engine)
    source = tmp_path / "veel.csv"
    rows = "".join(f"r-{i};gisteren;WK099001;kf_noord;onvrede;x\r\n" for i in range(250))
    source.write_bytes(f"{HEADER}\r\n{rows}".encode())
    for extra in ((), ("--controleer",)):
        done = subprocess.run([sys.executable, "-m", "signals", "import", str(source), *extra],
                              capture_output=True, text=True, cwd=PROJECT,
                              env={"DATABASE_URL": db_url, "PATH": ""}, timeout=120)
        assert done.returncode == 1, done.stderr
        listed = [line for line in done.stderr.splitlines() if line.startswith("  - rij")]
        assert len(listed) == 200 and listed[-1].startswith("  - rij 201, observed_on")
        assert "  … en nog 50 fouten" in done.stderr.splitlines()


def test_a_zip_with_too_many_entries_is_refused() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(101):
            archive.writestr(f"x/{i}.xml", "")
    with pytest.raises(ValidationError, match="bestaat uit 101 onderdelen; de grens is 100"):
        read_xlsx(out.getvalue())
