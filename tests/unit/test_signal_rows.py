"""Parsing signal files without a database: dates, codes, labels, encodings, neutralised cells."""

from __future__ import annotations

from datetime import date

import pytest

from signals.errors import ValidationError
from signals.services.signal_draft import (
    SignalDraft,
    Vocabulary,
    check_draft,
    parse_reference,
    reference,
)
from signals.services.signal_rows import parse_date, parse_rows, read_table

WIJKEN = {"WK099001": 1, "WK099002": 2}
THEMES = ["azc_asiel", "wonen"]
HEADER = ["external_id", "observed_on", "wijk_code", "reporter", "category", "themes",
          "severity", "online", "description"]


def _parse(*rows: list[str], header=None):  # type: ignore[no-untyped-def]
    return parse_rows(list(header or HEADER), [list(r) for r in rows], WIJKEN, THEMES)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-12", date(2026, 3, 12)), ("12-03-2026", date(2026, 3, 12)),
    ("2-3-2026", date(2026, 3, 2)), ("2026-03-12 00:00:00", date(2026, 3, 12)),
    ("31-02-2026", None), ("12/03/2026", None), ("2026-3", None), ("gisteren", None),
])
def test_dates_in_both_documented_formats(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_a_full_row_is_typed_and_labels_are_accepted() -> None:
    parsed = _parse(["x-1", "12-03-2026", "wk099001", "sf1", "Onvrede / klachten",
                     "Wonen; azc_asiel", "3.0", "Ja", "'=1+1 is geen formule"])
    assert parsed.errors == []
    row = parsed.rows[0]
    assert (row["row"], row["wijk_code"], row["observed_on"], row["category"]) == (
        2, "WK099001", date(2026, 3, 12), "onvrede")
    assert row["themes"] == ("wonen", "azc_asiel") and row["severity"] == 3
    assert row["online"] is True and row["description"] == "=1+1 is geen formule"


def test_empty_cells_and_absent_columns_are_not_given() -> None:
    parsed = _parse(["", "2026-03-12", "WK099001", "sf1", "onvrede"],
                    header=["external_id", "observed_on", "wijk_code", "reporter", "category"])
    row = parsed.rows[0]
    assert row["external_id"] is None and row["severity"] is None and row["status"] is None
    assert row["themes"] is None and row["online"] is None


def test_every_bad_cell_is_reported_with_row_and_column() -> None:
    parsed = _parse(["a", "2026-03-12", "WK099001", "sf1", "onvrede", "", "", "", ""],
                    ["b", "morgen", "WK000000", "s f", "boos", "mars", "x", "soms", ""],
                    ["a", "2026-03-12", "WK099002", "sf1", "onvrede", "", "", "", ""])
    found = [(e.row, e.field) for e in parsed.errors]
    assert found == [(3, "observed_on"), (3, "wijk_code"), (3, "reporter"), (3, "category"),
                     (3, "themes"), (3, "severity"), (3, "online"), (4, "external_id")]


def test_header_problems_come_first_and_stop_the_parse() -> None:
    with pytest.raises(ValidationError) as caught:
        _parse(["x"], header=["observed_on", "wijk_code", "category", "kleur"])
    assert {(e.row, e.field) for e in caught.value.errors} == {(1, "reporter"), (1, "kleur")}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_and_delimiters(encoding: str) -> None:
    text = "observed_on,wijk_code,reporter,category,description\n" \
           "2026-03-12,WK099001,sf1,onvrede,\"Café, één\"\n"
    table = read_table("a.csv", text.encode(encoding))
    assert table.header[:2] == ["observed_on", "wijk_code"] and table.rows[0][4] == "Café, één"
    table = read_table("a.csv", text.replace(",", ";").encode(encoding))
    assert table.rows[0][4] == "Café; één"


def test_utf16_without_bom_and_oversize_files_are_refused() -> None:
    with pytest.raises(ValidationError, match="UTF-16"):
        read_table("a.csv", "observed_on\n2026-03-12\n".encode("utf-16-le"))
    with pytest.raises(ValidationError, match="de grens is"):
        read_table("a.csv", b"x" * 3000, limit=2048)


def test_the_shared_checks_name_what_to_fix() -> None:
    vocabulary = Vocabulary({"onvrede": 1, "geen_bijzonderheden": 0}, frozenset({"wonen"}))
    draft = SignalDraft(wijk_id=1, observed_on=date(2026, 3, 14), category="onvrede",
                        severity=6, themes=("wonen", "wonen"), platform="forum")
    problems = {(e.field, e.message.split(";")[0])
                for e in check_draft(draft, vocabulary, date(2026, 3, 12), True)}
    assert ("severity", "ernst 6 kan niet") in problems
    assert ("observed_on", "de datum 14-03-2026 ligt in de toekomst") in problems
    assert ("themes", "een thema staat er dubbel in") in problems
    assert ("platform", "een platform hoort alleen bij een online signaal (online = ja)") \
        in problems
    assert any(field == "description" for field, _ in problems)


def test_reference_numbers() -> None:
    assert reference(123) == "WS-000123"
    assert parse_reference("WS-000123") == parse_reference("ws123") == parse_reference(" 123")
    assert parse_reference("WX-1") is None and parse_reference("") is None


@pytest.mark.parametrize(("written", "kind"), [
    ("telegram", "besloten_groep"), ("Telegram", "besloten_groep"), ("WHATSAPP", "besloten_groep"),
    ("TikTok", "video"), ("YouTube", "video"), ("Facebook", "sociale_media"),
    ("Instagram", "sociale_media"), ("X", "sociale_media"), ("Twitter", "sociale_media"),
    ("X (Twitter)", "sociale_media"), ("Snapchat", "besloten_groep"), ("Nextdoor", "forum"),
    ("Sociale media (open)", "sociale_media"), ("besloten-groep", "besloten_groep"),
])
def test_platform_names_map_to_their_type_in_any_case(written: str, kind: str) -> None:
    header = ["observed_on", "wijk_code", "reporter", "category", "platform"]
    rows = _parse(["12-03-2026", "WK099001", "sf1", "onvrede", written], header=header)
    assert rows.rows[0]["platform"] == kind


def test_obvious_synonyms_of_other_codes() -> None:
    header = ["observed_on", "wijk_code", "reporter", "category", "status", "reach", "source"]
    rows = _parse(["12-03-2026", "WK099001", "sf1", "Nul-melding", "In behandeling", ">50",
                   "gehoord"], header=header)
    row = rows.rows[0]
    assert (row["category"], row["status"], row["reach"], row["source"]) == (
        "geen_bijzonderheden", "in_duiding", "groot", "horen_zeggen")
    unknown = _parse(["12-03-2026", "WK099001", "sf1", "onvrede", "Myspace-achtig"],
                     header=["observed_on", "wijk_code", "reporter", "category", "platform"])
    assert "platformnaam zoals Telegram" in unknown.errors[0].message
