"""AppTest: Signaal melden on the demo (key figure 'sleutelfiguur' of Spoorzone)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from signals.db.models import Signal
from signals.domain import NUL_MELDING
from signals.services.signal_draft import today_local
from tests.ui.helpers import logged_in, open_page
from tests.ui.signal_helpers import (
    execute,
    history_actions,
    latest_signal,
    query,
    signal_count,
    user_id,
)

PAGE = "pages/melden.py"


def _page():  # type: ignore[no-untyped-def]
    return open_page(logged_in("sleutelfiguur"), PAGE)


def _save(at):  # type: ignore[no-untyped-def]
    next(b for b in at.button if b.label == "Signaal opslaan").click().run()
    assert not at.exception, at.exception
    return at


def test_the_form_starts_with_the_wijk_and_today_and_reacts_to_the_category(
        demo_database) -> None:
    at = _page()
    assert at.selectbox(key="melden_wijk_id").value is not None  # the key figure's wijk
    assert at.date_input(key="melden_observed_on").value == today_local()
    labels = [d.label for d in at.date_input]
    assert not any("Actiedatum" in label for label in labels)
    at.selectbox(key="melden_category").set_value("oproep_mobilisatie").run()
    assert any("Actiedatum" in d.label for d in at.date_input)
    assert any("Actieplek" in t.label for t in at.text_input)
    assert at.slider(key="melden_severity").value == 4  # the category's default
    at.selectbox(key="melden_category").set_value("onvrede").run()
    assert at.slider(key="melden_severity").value == 1


def test_a_key_figure_logs_a_call_to_action_and_gets_a_reference(demo_database) -> None:
    before = signal_count(demo_database)
    at = _page()
    at.selectbox(key="melden_category").set_value("oproep_mobilisatie").run()
    at.text_area(key="melden_description").input("In de appgroep wordt opgeroepen om "
                                                 "zaterdag naar het azc te gaan.")
    at.date_input(key="melden_action_date").set_value(today_local() + timedelta(days=2))
    at.text_input(key="melden_action_place").input("Azc Spoorlaan")
    at.multiselect(key="melden_themes").set_value(["azc_asiel"])
    at.toggle(key="melden_online").set_value(True).run()
    at.selectbox(key="melden_platform").set_value("besloten_groep")
    _save(at)
    success = at.success[0].value
    assert "Uw referentienummer is WS-" in success
    assert signal_count(demo_database) == before + 1
    signal = latest_signal(demo_database)
    assert (signal.category, signal.severity, signal.action_place, signal.platform) == (
        "oproep_mobilisatie", 4, "Azc Spoorlaan", "besloten_groep")
    assert signal.action_date == today_local() + timedelta(days=2)
    assert f"WS-{signal.id:06d}" in success
    assert at.text_area(key="melden_description").value == ""  # ready for the next one


def test_a_failed_validation_keeps_every_value_and_says_what_to_fix(demo_database) -> None:
    before = signal_count(demo_database)
    at = _page()
    at.selectbox(key="melden_category").set_value("oproep_mobilisatie").run()
    at.text_area(key="melden_description").input("kort")
    yesterday = today_local() - timedelta(days=1)
    at.date_input(key="melden_observed_on").set_value(yesterday)
    at.date_input(key="melden_action_date").set_value(yesterday - timedelta(days=3))
    at.text_input(key="melden_action_place").input("Stationsplein")
    at.multiselect(key="melden_themes").set_value(["jeugdgroepen", "voetbal"])
    at.slider(key="melden_severity").set_value(5)
    at.selectbox(key="melden_source").set_value("horen_zeggen")
    at.selectbox(key="melden_reach").set_value("groot")
    at.selectbox(key="melden_reliability").set_value("hoog")
    at.selectbox(key="melden_polarisation").set_value("horizontaal")
    at.text_input(key="melden_subtype").input("Flyers")
    _save(at)
    error = at.error[0].value
    assert "er is nog niets opgeslagen" in error
    assert "Beschrijving" in error and "minimaal 5 tekens" in error
    assert "Actiedatum" in error and "vóór de datum waargenomen" in error
    assert signal_count(demo_database) == before
    assert at.text_area(key="melden_description").value == "kort"
    assert at.selectbox(key="melden_category").value == "oproep_mobilisatie"
    assert at.date_input(key="melden_observed_on").value == yesterday
    assert at.date_input(key="melden_action_date").value == yesterday - timedelta(days=3)
    assert at.text_input(key="melden_action_place").value == "Stationsplein"
    assert at.multiselect(key="melden_themes").value == ["jeugdgroepen", "voetbal"]
    assert at.slider(key="melden_severity").value == 5
    assert at.selectbox(key="melden_source").value == "horen_zeggen"
    assert at.selectbox(key="melden_reach").value == "groot"
    assert at.selectbox(key="melden_reliability").value == "hoog"
    assert at.selectbox(key="melden_polarisation").value == "horizontaal"
    assert at.text_input(key="melden_subtype").value == "Flyers"
    # fixing the two problems saves it
    at.text_area(key="melden_description").input("Flyers met een oproep tot een treffen.")
    at.date_input(key="melden_action_date").set_value(yesterday + timedelta(days=3))
    _save(at)
    assert "referentienummer" in at.success[0].value
    assert signal_count(demo_database) == before + 1


def test_a_missing_category_is_named(demo_database) -> None:
    before = signal_count(demo_database)
    at = _page()
    at.text_area(key="melden_description").input("Er hangt spanning op het plein.")
    _save(at)
    assert "Categorie: kies een categorie" in at.error[0].value.replace("\\", "")
    assert at.text_area(key="melden_description").value == "Er hangt spanning op het plein."
    assert signal_count(demo_database) == before


def test_personal_data_is_shown_and_needs_an_explicit_confirmation(demo_database) -> None:
    before = signal_count(demo_database)
    at = _page()
    at.selectbox(key="melden_category").set_value("bedreiging_intimidatie")
    at.text_area(key="melden_description").input("Dreigbericht van 06-12345678 aan de "
                                                 "wethouder.")
    _save(at)
    assert signal_count(demo_database) == before
    table = at.dataframe[0].value
    assert list(table["Gevonden"]) == ["06-12345678"] and "telefoonnummer" in set(table["Soort"])
    at.checkbox(key="melden_pii_ok").check()
    at.text_input(key="melden_pii_reason").input("kort")
    _save(at)
    assert "minimaal 10 tekens" in at.error[0].value
    assert signal_count(demo_database) == before
    at.text_input(key="melden_pii_reason").input("Nummer is van een bekende afzender-groep")
    _save(at)
    assert "referentienummer" in at.success[0].value
    signal = latest_signal(demo_database)
    assert history_actions(demo_database, signal.id) == ["aangemaakt", "pii_bevestigd"]


def _this_weeks_signals(url: str, nul: bool = True) -> list:  # type: ignore[type-arg]
    monday = today_local() - timedelta(days=today_local().weekday())
    kind = Signal.category == NUL_MELDING if nul else Signal.category != NUL_MELDING
    return query(url, select(Signal.id).where(
        kind, Signal.observed_on >= monday,
        Signal.reporter_id == user_id(url, "sleutelfiguur")))


def _button(at, start: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label.startswith(start))


def test_the_nul_melding_once_per_week_with_undo_and_a_question_after_a_signal(
        demo_database) -> None:
    # Whether the generated demo holds signals this week depends on the date: move them away.
    week_ago = today_local() - timedelta(weeks=1)
    mine = _this_weeks_signals(demo_database) + _this_weeks_signals(demo_database, nul=False)
    execute(demo_database, update(Signal).where(Signal.id.in_([i for (i,) in mine]))
            .values(observed_on=week_ago))
    at = _page()
    _button(at, "Niets bijzonders in").click().run()
    assert "Dank u" in at.success[0].value
    (created,) = _this_weeks_signals(demo_database)
    # Done this week: the row shows the reference and the undo instead of the button.
    assert not [b for b in at.button if b.label.startswith("Niets bijzonders in")]
    assert any(f"WS-{created[0]:06d}" in m.value for m in at.markdown)
    at.run()  # the next action: the old success message is gone
    assert not at.success
    _button(at, "Intrekken").click().run()
    assert "ingetrokken" in at.success[0].value
    assert _this_weeks_signals(demo_database) == []
    # After an own real signal this week, a nul-melding asks first.
    at.selectbox(key="melden_category").select("onvrede").run()
    at.text_area(key="melden_description").input("Onrust over de nieuwe bestemming").run()
    _save(at)
    _button(at, "Niets bijzonders in").click().run()
    assert "Weet u het zeker" in at.warning[0].value
    assert _this_weeks_signals(demo_database) == []
    _button(at, "Ja, niets bijzonders").click().run()
    assert "Dank u" in at.success[0].value
    assert len(_this_weeks_signals(demo_database)) == 1
