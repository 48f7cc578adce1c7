"""AppTest: the manager's Weekbeeld on the demo; aggregates only, counts under 5 as "<5"."""

from __future__ import annotations

import json

from tests.integration.test_weekbeeld_service import assert_text_without_small_numbers
from tests.ui.helpers import logged_in, open_page, run_page_as

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
    assert wijken.loc["Vogelwijk", "fase_label"] == "Onvoldoende zicht (geen onrust gemeld)"
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


def test_downloads_for_pdf_and_xlsx_match_the_week_on_screen(demo_database) -> None:
    at = _weekbeeld()
    buttons = {b.label: b for b in at.get("download_button")}
    assert set(buttons) == {"PDF downloaden", "XLSX downloaden"}
    week = at.selectbox(key="week").value
    at.selectbox(key="week").set_value(at.selectbox(key="week").options[4]).run()
    assert at.selectbox(key="week").value != week
    assert not at.exception


def test_escalation_week_in_the_past(demo_database) -> None:
    at = _weekbeeld()
    at.selectbox(key="week").select_index(4).run()
    summary = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "Molenwijk (fase 4)" in summary


def test_coordinator_and_beheerder_have_no_weekbeeld_page(demo_database) -> None:
    at = run_page_as(logged_in("coordinator"), "pages/weekbeeld.py")
    assert not any(t.value == "Weekbeeld" for t in at.title)
