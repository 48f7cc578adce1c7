"""AppTest: the manager's Weekbeeld on the demo; aggregates only, counts under 5 as "<5"."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from signals.engine.weeks import current_week_start, week_label
from tests.integration.test_report import pdf_text
from tests.integration.test_weekbeeld_service import assert_text_without_small_numbers
from tests.ui.helpers import download, logged_in, open_page, record_media_managers, run_page_as

PAGE = "pages/weekbeeld.py"


def _weekbeeld():  # type: ignore[no-untyped-def]
    return open_page(logged_in("manager"), PAGE)


def test_manager_sees_the_week_of_the_whole_gemeente(demo_database) -> None:
    at = _weekbeeld()
    assert at.title[0].value == "Weekbeeld"
    assert {m.label for m in at.metric} == {"Signalen", "Meldende sleutelfiguren",
                                            "Meldingspercentage"}
    summary = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "Fase 3 of hoger: Spoorzone (fase 3)." in summary
    assert "Nafase: Molenwijk." in summary and "Vogelwijk" in summary
    wijken = at.dataframe[0].value.set_index("wijk_naam")
    assert len(wijken) == 12
    assert wijken.loc["Spoorzone", "fase_label"] == "Fase 3 · Dreigende escalatie"
    assert wijken.loc["Vogelwijk", "fase_label"] == "Onvoldoende zicht"
    # Every count is suppressed below 5: the column holds "<5" or numbers of at least 5.
    assert all(v == "<5" or int(v) >= 5 for v in wijken["signalen"])
    for reason in wijken["reden"]:
        assert_text_without_small_numbers(reason)


def test_heatmap_labels_every_cell_and_has_a_named_legend(demo_database) -> None:
    at = _weekbeeld()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    heat = spec["data"][0]
    assert heat["type"] == "heatmap" and heat["texttemplate"] == "%{text}"
    assert len(heat["x"]) == 12 and len(heat["y"]) == 12
    assert "4 Escalatie openbare ruimte" in heat["colorbar"]["ticktext"]
    molen = heat["text"][heat["y"].index("Molenwijk")]
    assert "4" in molen
    vogel = heat["text"][heat["y"].index("Vogelwijk")]
    assert vogel[-1] == "0?"  # silence is shown, never plain "Rust"
    at.button_group(key="weken").set_value(26).run()
    assert len(json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]) == 26


def test_downloads_for_pdf_and_xlsx_match_the_week_on_screen(demo_database,
                                                            monkeypatch) -> None:
    managers = record_media_managers(monkeypatch)
    at = _weekbeeld()
    assert {b.label for b in at.get("download_button")} == {"PDF downloaden", "XLSX downloaden"}
    at.selectbox(key="week").select_index(4).run()
    at.button_group(key="weken").set_value(26).run()
    monday = at.selectbox(key="week").value
    assert monday == current_week_start().date() - timedelta(weeks=4)

    pdf = pdf_text(download(at, managers, "pdf"))
    first_line = f"week {monday.isocalendar().week} {monday:%Y}"
    assert f"Weekrapport Wijksignalen – {first_line}" in pdf
    assert f"{monday:%d-%m-%Y} t/m {monday + timedelta(days=6):%d-%m-%Y}" in pdf
    assert "Fase per wijk, laatste 26 weken" in pdf
    assert "Molenwijk (fase 4)" in pdf  # the escalation of that week, not this week's picture

    book = load_workbook(io.BytesIO(download(at, managers, "xlsx")))
    assert book["Samenvatting"]["A1"].value == f"Weekrapport Wijksignalen – {first_line}"
    header = list(book["Fase per week"].iter_rows(values_only=True))[1]
    assert header[-1] == week_label(monday) and len(header) == 1 + 26


def test_escalation_week_in_the_past(demo_database) -> None:
    at = _weekbeeld()
    at.selectbox(key="week").select_index(4).run()
    summary = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "Molenwijk (fase 4)" in summary


@pytest.mark.parametrize(("username", "has_weekbeeld"), [
    ("manager", True), ("beheerder", True), ("coordinator", False), ("sleutelfiguur", False)])
def test_only_managers_and_beheerders_have_the_weekbeeld(demo_database, username: str,
                                                         has_weekbeeld: bool) -> None:
    at = logged_in(username)
    if has_weekbeeld:
        at.switch_page("pages/weekbeeld.py")
        at.run()
    else:  # the router sends these roles away, so run the page's own guard directly
        at = run_page_as(at, "pages/weekbeeld.py")
    assert not at.exception
    assert any(t.value == "Weekbeeld" for t in at.title) is has_weekbeeld
    assert bool(at.get("plotly_chart")) is has_weekbeeld
    assert bool(at.get("download_button")) is has_weekbeeld


def test_any_iso_week_of_the_last_two_years_can_be_shown(demo_database) -> None:
    at = _weekbeeld()
    weeks = at.selectbox(key="week").options
    assert len(weeks) == 104
    oldest = current_week_start() - timedelta(weeks=103)
    at.selectbox(key="week").set_value(oldest).run()
    assert not at.exception
    assert at.query_params["week"] == week_label(oldest)
    assert any(c.value.startswith(f"Week {oldest.isocalendar().week} (") for c in at.caption)


def test_manager_sees_polarisation_and_action_counts_without_descriptions(
        demo_database) -> None:
    at = _weekbeeld()
    headers = [s.value for s in at.subheader]
    assert any(h.startswith("Polarisatie in de laatste") for h in headers)
    polarisation = next(d.value for d in at.dataframe if "axis_label" in d.value.columns)
    assert all(v == "<5" or int(v) >= 5 for v in polarisation["signals"])
    actions = next(d.value for d in at.dataframe if "type_label" in d.value.columns)
    assert {"Kernteam / BOB-overleg", "Nazorg"} <= set(actions["type_label"])
    assert not {"description", "created_by", "wijk_code"} & set(actions.columns)
    shown = "\n".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "Herstelgesprekken" not in shown  # a demo action's description
