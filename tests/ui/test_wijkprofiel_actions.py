"""AppTest: logging actions on the Wijkprofiel, the list, and the markers on the trend."""

from __future__ import annotations

import json
import re

from tests.ui.helpers import logged_in, open_page

PAGE = "pages/wijkprofiel.py"


def _profile(wijk: str, username: str = "coordinator"):  # type: ignore[no-untyped-def]
    at = logged_in(username)
    at.query_params["wijk"] = wijk
    return open_page(at, PAGE)


def _markers(at) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {t["name"]: t["x"] for t in spec["data"] if t.get("name", "").startswith("Actie ")}


def _submit(at):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == "Actie vastleggen").click().run()


def test_coordinator_logs_an_action_and_sees_it_in_the_list_and_on_the_trend(
        demo_database) -> None:
    at = _profile("WK990101")
    before = _markers(at)
    at.selectbox(key="actie_type").select("tegenboodschap")
    at.text_area(key="actie_omschrijving").input("Bel Jan op 06-12345678")
    _submit(at)
    assert "persoonsgegevens" in at.error[0].value  # refused, nothing stored
    at.text_area(key="actie_omschrijving").input(
        "Feitelijke <b>uitleg</b> over het azc-besluit via de buurtapp.")
    _submit(at)
    assert not at.exception
    assert "De actie is vastgelegd." in [s.value for s in at.success]
    table = next(d.value for d in at.dataframe if "omschrijving" in d.value.columns)
    assert table.iloc[0]["type"] == "Tegenboodschap"
    assert table.iloc[0]["omschrijving"].startswith("Feitelijke <b>uitleg</b>")  # plain text
    after = _markers(at)
    assert len(after.get("Actie uitgevoerd", [])) >= len(before.get("Actie uitgevoerd", []))
    assert after["Actie uitgevoerd"], after


def test_a_coordinator_outside_the_wijk_gets_no_action_form_for_it(demo_database) -> None:
    at = logged_in("coordinator_zuid", "demo-coordinator-2026")
    at.query_params["wijk"] = "WK990103"
    at = open_page(at, PAGE)
    assert "valt buiten uw wijken" in at.warning[0].value
    # The form is for the zuid wijk now on screen, never for Molenwijk.
    assert at.selectbox(key="wijk").value != "WK990103"


def test_polarisation_and_communication_are_shown_with_the_proposal(demo_database) -> None:
    at = _profile("WK990103")
    text = "\n".join(m.value for m in at.markdown)
    assert "**Communicatie in deze fase**" in text
    assert "**Lokale politiek:**" in text and "**Bewoners:**" in text
    metrics = {m.label: m.value for m in at.metric}
    assert {"Verticaal (tegen overheid)", "Horizontaal (tussen groepen)", "Beide",
            "Geruchten en desinformatie"} <= set(metrics)
    themes = next(d.value for d in at.dataframe if "axis" in d.value.columns)
    assert "Azc en asiel" in set(themes["theme"])


def test_the_beheerder_changes_a_communication_text(demo_database) -> None:
    before = "\n".join(m.value for m in _profile("WK990101", "beheerder").markdown)
    found = re.search(r"Effectief: Fase (\d)", before)
    level = int(found.group(1)) if found else 0  # a blind phase 0 has no "Fase" badge
    at = open_page(logged_in("beheerder"), "pages/beheer_categorieen.py")
    at.selectbox(key="communicatie_fase").select(level).run()
    at.selectbox(key="communicatie_doelgroep").select("politiek").run()
    at.text_area[-1].input("Raadsinformatiebrief <b>elk kwartaal</b>.")
    next(b for b in at.button if b.label == "Tekst opslaan").click().run()
    assert not at.error
    profile = _profile("WK990101", "beheerder")
    text = "\n".join(m.value for m in profile.markdown)
    assert "elk kwartaal" in text and "<b>" not in text.replace("\\<b\\>", "")
