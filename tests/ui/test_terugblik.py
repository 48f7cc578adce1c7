"""AppTest: Terugblik for coordinators (their wijken) and beheerders (all); others may not."""

from __future__ import annotations

from tests.ui.helpers import logged_in, open_page, run_page_as

PAGE = "pages/terugblik.py"


def test_beheerder_sees_agreement_escalations_and_every_wijk(demo_database) -> None:
    at = open_page(logged_in("beheerder"), PAGE)
    assert not at.exception
    assert at.title[0].value == "Terugblik"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Escalaties (fase 4)"] == "1"
    assert metrics["Besluit gelijk aan voorstel"].endswith("%")
    escalations = at.dataframe[1].value
    assert list(escalations["wijk_naam"]) == ["Molenwijk"]
    assert int(escalations["weken_vooraf"].iloc[0]) >= 2
    assert len(at.dataframe[2].value) == 12


def test_coordinator_sees_only_their_wijken(demo_database) -> None:
    at = open_page(logged_in("coordinator_zuid"), PAGE)
    assert not at.exception
    assert len(at.dataframe[-1].value) == 4
    assert any("Geen week met fase 4" in c.value for c in at.caption)


def test_period_can_be_changed(demo_database) -> None:
    at = open_page(logged_in("coordinator"), PAGE)
    at.button_group(key="terugblik_periode").set_value("26 weken").run()
    assert not at.exception
    assert at.button_group(key="terugblik_periode").value == "26 weken"
    assert at.metric


def test_a_manager_may_not(demo_database) -> None:
    at = run_page_as(logged_in("manager"), PAGE)  # the router would send a manager away
    assert at.error and "geen toegang" in at.error[0].value
    assert not at.metric


def test_the_molenwijk_evaluation_is_listed_as_an_own_lesson(demo_database) -> None:
    at = open_page(logged_in("coordinator"), PAGE)
    lessons = next(d.value for d in at.dataframe if "behouden" in d.value.columns)
    row = lessons.iloc[0]
    assert row["wijk"] == "Molenwijk" and int(row["weken_vooraf"]) >= 2
    assert "Kernteam / BOB-overleg" in row["acties"] and "azc" in row["veranderen"]
    zuid = open_page(logged_in("coordinator_zuid"), PAGE)
    assert not any("behouden" in d.value.columns for d in zuid.dataframe)
