"""AppTest: the Wijkprofiel (trend, signals, handelingsperspectief, decision form) on the demo."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from signals.db.engine import default_engine
from signals.db.models import User
from signals.db.uow import read_session, run_write
from signals.engine.weeks import current_week_start, week_label
from signals.services.auth import actor_from_user
from signals.services.dashboard import week_caption
from signals.services.phases import record_decision
from tests.ui.helpers import download, logged_in, open_page, record_media_managers

PAGE = "pages/wijkprofiel.py"


def _profile(wijk: str | None, username: str = "coordinator",
             password: str | None = None):  # type: ignore[no-untyped-def]
    at = logged_in(username, password)
    if wijk:
        at.query_params["wijk"] = wijk
    return open_page(at, PAGE)


def _form_key(wijk: str) -> str:
    return f"besluit_{wijk}_{week_label(current_week_start())}"


def _submit_decision(at):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == "Besluit vastleggen").click().run()


def _text(at) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_spoorzone_profile_tells_the_call_to_action(demo_database) -> None:
    at = _profile("WK990105")
    assert at.selectbox(key="wijk").value == "WK990105"
    assert at.subheader[0].value.startswith("Spoorzone · week ")
    text = _text(at)
    assert "Effectief: Fase 3 · Dreigende escalatie" in text
    assert "oproep tot actie" in text  # the reasons of the proposal
    reasons = next(m.value for m in at.markdown if m.value.startswith("**Waarom"))
    assert "_" not in reasons.replace("\\_", "") and "C2" not in reasons  # no codes, no jargon
    how = at.expander[0]
    assert how.label == "Hoe is dit berekend?"
    details = "\n".join(m.value for m in how.markdown)
    assert "regel fase 3" in details and "EARS C2 over 13 referentieweken" in details
    assert "Handelingsperspectief · Fase 3 · Dreigende escalatie" in text
    assert "Driehoeksoverleg" in text and "Voorstel fase 3 · nog geen besluit" in text
    signals = next(d.value for d in at.dataframe if "categorie" in d.value.columns)
    assert "Oproep / mobilisatie" in set(signals["categorie"])
    assert not {"reporter_id", "description", "omschrijving"} & set(signals.columns)
    assert set(signals["melder"]) <= {"Wijkagent", "Jongerenwerker", "Docent", "Ondernemer",
                                      "Religieus leider", "Bewoner (vrijwilliger)",
                                      "Opbouwwerker", "Handhaver (boa)", "Overig", "Onbekend"}


def test_trend_chart_has_phase_band_stacks_score_bound_and_rate(demo_database) -> None:
    at = _profile("WK990103")
    at.button_group(key="periode").set_value("26 weken").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {trace.get("name") for trace in spec["data"]}
    assert {"Fase", "Gewogen score", "Bovengrens eigen basislijn (EARS)",
            "Meldingspercentage", "Ordeverstoring en schade"} <= names
    band = next(t for t in spec["data"] if t.get("name") == "Fase")
    assert len(band["x"]) == 26 and "4" in band["text"][band["y"].index("fase")]
    shapes = spec["layout"].get("shapes", [])
    assert any(s.get("fillcolor") == "#6a1b9a" for s in shapes)  # nafase shading
    assert "Nafase" in _text(at)
    at.button_group(key="staven_per").set_value("Thema").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Azc en asiel" in {trace.get("name") for trace in spec["data"]}


def test_silent_wijk_is_not_shown_as_rust(demo_database) -> None:
    at = _profile("WK990108")
    text = _text(at)
    assert "Effectief: Onvoldoende zicht (geen onrust gemeld)" in text
    assert "stilte betekent niet dat het rustig is" in text


def test_coordinator_records_a_decision_and_sees_it_in_the_history(demo_database) -> None:
    at = _profile("WK990105")
    key = _form_key("WK990105")
    at.selectbox(key=f"{key}_fase").select(3)
    at.text_area(key=f"{key}_reden").input("kort")
    _submit_decision(at)
    shown = at.error[0].value.replace("\\", "")  # markdown escapes
    assert "Reden: geef een reden van minstens 10 tekens" in shown
    at.text_area(key=f"{key}_reden").input("Oproep geverifieerd met de wijkagent; driehoek "
                                            "geïnformeerd.")
    _submit_decision(at)
    assert not at.exception
    assert "Besluit vastgelegd voor week" in at.success[0].value
    history = at.dataframe[0].value
    assert history.iloc[0]["besluit"] == "3 Dreigende escalatie"
    assert "driehoek" in history.iloc[0]["reden"]
    assert "besluit fase 3 door coordinator" in _text(at)


def test_a_decision_recorded_meanwhile_gives_a_conflict_not_an_overwrite(demo_database) -> None:
    at = _profile("WK990105")
    key = _form_key("WK990105")
    with read_session(default_engine()) as session:
        other = actor_from_user(session.scalar(select(User).where(User.username == "beheerder")))
    run_write(default_engine(), lambda s: record_decision(
        s, other, "WK990105", current_week_start().date(), 2, "Besluit van een collega."))
    at.text_area(key=f"{key}_reden").input("Mijn eigen besluit, zonder dat van de collega.")
    _submit_decision(at)
    assert "Er is intussen een ander besluit" in at.warning[0].value.replace("\\", "")


def test_wijk_outside_scope_is_refused_with_a_message(demo_database) -> None:
    at = _profile("WK990105", "coordinator_zuid", "demo-coordinator-2026")
    assert "valt buiten uw wijken" in at.warning[0].value
    assert at.selectbox(key="wijk").value in {"WK990109", "WK990110", "WK990111", "WK990112"}
    assert at.selectbox(key="wijk").options == [
        "Industrieterrein Noord (WK990109)", "Buitenhof (WK990110)", "Zuiderpark (WK990111)",
        "Nieuwland (WK990112)"]


def test_beheerder_opens_any_wijk_and_a_custom_period(demo_database) -> None:
    at = _profile("WK990110", "beheerder")
    assert at.subheader[0].value.startswith("Buitenhof")
    this_monday = current_week_start().date()
    first, last = this_monday - timedelta(weeks=30), this_monday - timedelta(weeks=20)
    at.button_group(key="periode").set_value("Aangepast").run()
    at.date_input(key="periode_eigen").set_value((first + timedelta(days=2), last)).run()
    assert not at.exception and at.subheader[0].value.startswith("Buitenhof")
    weeks = [week_label(first + timedelta(weeks=k)) for k in range(11)]
    options = at.selectbox(key="week_in_beeld").options
    assert options == [f"week {int(w[-2:])} ({w[:4]})" for w in reversed(weeks)]
    assert at.subheader[0].value.endswith(week_caption(last))  # the period's last week
    band = next(t for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
                if t.get("name") == "Fase")
    assert len(band["x"]) == 11


def test_one_click_wijk_dossier_for_the_period_on_screen(demo_database, monkeypatch) -> None:
    managers = record_media_managers(monkeypatch)
    at = _profile("WK990105")
    data = download(at, managers, "wijkdossier")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Wijkdossier Spoorzone" in text and "Handelingsperspectief" in text
    assert "coordinator" not in text  # no usernames
