"""AppTest: Importeren en exporteren, preview with every error, all or nothing, PII, scope."""

from __future__ import annotations

from signals.services.signal_rows import IMPORT_COLUMNS
from tests.ui.helpers import logged_in, open_page
from tests.ui.signal_helpers import audit_actions, signal_count

PAGE = "pages/importeren.py"
HEADER = b"external_id;observed_on;wijk_code;reporter;category;description\n"


def _page(username: str = "coordinator"):  # type: ignore[no-untyped-def]
    return open_page(logged_in(username), PAGE)


def test_the_page_title_and_export_buttons(demo_database) -> None:
    at = _page()
    assert at.title[0].value == "Importeren en exporteren"
    assert [d.label for d in at.download_button] == ["Exporteer als CSV", "Exporteer als Excel"]
    assert at.file_uploader[0].allowed_type == [".csv", ".xlsx"]


def test_a_bad_file_lists_every_problem_and_stores_nothing(demo_database) -> None:
    before = signal_count(demo_database)
    at = _page()
    data = HEADER + (b"u-1;2026-03-10;WK990101;nieuw_a;onvrede;\n"
                     b"u-2;31-02-2026;WK990101;nieuw_a;onvrede;\n"
                     b"u-3;2026-03-10;WK999999;nieuw_a;boos;\n")
    at.file_uploader[0].upload("fout.csv", data, "text/csv").run()
    assert not at.exception
    assert "3 problemen gevonden" in at.error[0].value
    table = at.dataframe[1].value
    assert list(zip(table["rij"], table["kolom"], strict=True)) == [
        (3, "observed_on"), (4, "wijk_code"), (4, "category")]
    assert at.button(key="import_go").disabled
    assert signal_count(demo_database) == before


def test_a_good_file_is_previewed_then_imported_and_audited(demo_database) -> None:
    before = signal_count(demo_database)
    at = _page()
    data = HEADER + (b"g-1;2026-03-10;WK990101;nieuwe_melder;onvrede;Klachten over de bus\n"
                     b"g-2;10-03-2026;WK990102;nieuwe_melder;symbolen;Stickers\n")
    at.file_uploader[0].upload("goed.csv", data, "text/csv").run()
    assert [m.value for m in at.metric] == ["2", "2", "0", "0"]
    assert "nieuwe\\_melder" in at.info[0].value
    assert signal_count(demo_database) == before  # a preview stores nothing
    at.button(key="import_go").click().run()
    assert "2 nieuw" in at.success[0].value and "1 nieuwe melders" in at.success[0].value
    assert signal_count(demo_database) == before + 2
    (username, _, details), = audit_actions(demo_database, "signalen_import")
    assert username == "coordinator" and details["bestand"] == "goed.csv"


def test_personal_data_needs_a_confirmation_before_the_import(demo_database) -> None:
    before = signal_count(demo_database)
    at = _page()
    data = HEADER + b"p-1;2026-03-10;WK990101;nieuwe_melder;onvrede;Mail piet@example.nl\n"
    at.file_uploader[0].upload("pii.csv", data, "text/csv").run()
    assert "persoonsgegevens" in at.warning[0].value
    assert at.button(key="import_go").disabled
    at.checkbox(key="import_pii_ok").check().run()
    at.text_input(key="import_pii_reason").input("Adres van de organiserende stichting").run()
    at.button(key="import_go").click().run()
    assert "1 nieuw" in at.success[0].value
    assert signal_count(demo_database) == before + 1


def test_a_coordinator_cannot_import_into_another_wijk(demo_database) -> None:
    before = signal_count(demo_database)
    at = open_page(logged_in("coordinator_zuid", "demo-coordinator-2026"), PAGE)
    data = HEADER + b"s-1;2026-03-10;WK990101;nieuwe_melder;onvrede;\n"
    at.file_uploader[0].upload("scope.csv", data, "text/csv").run()
    assert "eigen wijken" in at.dataframe[1].value.loc[0, "melding"]
    assert signal_count(demo_database) == before


def test_an_empty_file_is_explained(demo_database) -> None:
    at = _page()
    at.file_uploader[0].upload("leeg.csv", b"", "text/csv").run()
    assert at.dataframe[1].value.loc[0, "melding"] == "Het bestand is leeg."


def test_many_new_reporters_need_the_checkbox_under_their_list(demo_database) -> None:
    from signals.db.engine import make_engine
    from signals.db.uow import run_write
    from signals.services import settings
    from signals.services.actor import SYSTEM_ACTOR

    engine = make_engine(demo_database)
    run_write(engine, lambda s: settings.update_import(s, SYSTEM_ACTOR, 1))
    engine.dispose()
    before = signal_count(demo_database)
    at = _page()
    data = HEADER + (b"m-1;2026-03-10;WK990101;melder_een;onvrede;Klachten\n"
                     b"m-2;2026-03-10;WK990101;melder_twee;onvrede;Klachten\n")
    at.file_uploader[0].upload("veel.csv", data, "text/csv").run()
    assert any("2 nieuwe melders" in w.value for w in at.warning)
    listed = [d.value for d in at.dataframe if "Nieuwe melder" in d.value]
    assert list(listed[0]["Nieuwe melder"]) == ["melder_een", "melder_twee"]
    assert at.button(key="import_go").disabled
    at.checkbox(key="import_reporters_ok").check().run()
    assert not at.button(key="import_go").disabled
    at.button(key="import_go").click().run()
    assert "2 nieuw" in at.success[0].value
    assert signal_count(demo_database) == before + 2


def test_a_long_error_list_shows_the_first_200_and_a_count(demo_database) -> None:
    at = _page()
    rows = b"".join(b"e-%d;gisteren;WK990101;nieuw_a;onvrede;\n" % i for i in range(250))
    at.file_uploader[0].upload("veel.csv", HEADER + rows, "text/csv").run()
    assert "250 problemen gevonden" in at.error[0].value
    assert len(at.dataframe[1].value) == 200
    assert any("… en nog 50 fouten" in c.value for c in at.caption)


def test_a_zip_bomb_and_a_broken_quote_are_refused_in_dutch(demo_database) -> None:
    from tests.security.zip_bomb import bomb_xlsx

    at = _page()
    assert any("Engelse melding" in c.value for c in at.caption)  # the upload-limit note
    at.file_uploader[0].upload("bom.xlsx", bomb_xlsx(1024), "application/zip").run()
    assert "zipbom" in at.dataframe[1].value.loc[0, "melding"]
    at = _page()
    data = HEADER + b'q-1;2026-03-10;WK990101;nieuw_a;onvrede;"open\nq-2;2026-03-10\n'
    at.file_uploader[0].upload("quote.csv", data, "text/csv").run()
    table = at.dataframe[1].value
    assert table.loc[0, "rij"] == 2
    assert "wordt niet goed afgesloten" in table.loc[0, "melding"]


def test_the_help_explains_every_column_in_dutch(demo_database) -> None:
    help_table = _page().dataframe[0].value  # the first table: "Uitleg per kolom"
    assert list(help_table["kolom"]) == list(IMPORT_COLUMNS)
    assert help_table.set_index("kolom").loc["observed_on", "betekenis"] == (
        "Datum waarop het signaal is waargenomen")
    assert "Telegram" in help_table.set_index("kolom").loc["platform", "waarden"]
    assert all(help_table["betekenis"].str.len() > 3)
