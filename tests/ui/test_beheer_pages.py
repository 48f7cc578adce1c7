"""AppTest: the beheer pages work end to end, refuse other roles, and show hostile text
literally (in dataframes or escaped), never as HTML or live markdown links."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from signals.db.engine import default_engine
from signals.db.models import AuditEvent, Setting, Signal, Theme, User, Wijk
from signals.db.uow import read_session
from signals.services.auth import login
from tests.ui.helpers import APP, TIMEOUT, logged_in, open_page, run_page_as
from tests.ui.signal_helpers import query

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
       "Robert'); DROP TABLE signals;--"]
PAYLOAD_CSV = "wijk_code;wijk_naam\n" + "".join(
    f"WK99011{3 + i};\"{name}\"\n" for i, name in enumerate(XSS))
MARKDOWN_ELEMENTS = ("markdown", "caption", "error", "warning", "info", "success", "title",
                     "header", "subheader")
UNESCAPED = re.compile(r"(?<!\\)<|(?<!\\)\]\(|(?<!\\)\[")


def assert_nothing_live(at: AppTest) -> None:
    """No element that renders markdown carries an unescaped tag or link."""
    for kind in MARKDOWN_ELEMENTS:
        for element in getattr(at, kind):
            for payload in ("script", "img", "javascript"):
                if payload in element.value:
                    assert not UNESCAPED.search(element.value), (kind, element.value)


def beheer(page: str) -> AppTest:
    return open_page(logged_in("beheerder"), f"pages/{page}.py")


def upload_wijken(at: AppTest, name: str, data: bytes) -> AppTest:
    """Upload, look at the changes, keep every missing area, import."""
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    at.run()
    next(b for b in at.button if b.label == "Wijzigingen bekijken").click()
    at.run()
    next(b for b in at.button if b.label == "Importeren").click()
    return at.run()


def upload_payload_wijken(at: AppTest) -> AppTest:
    return upload_wijken(at, "wijken.csv", PAYLOAD_CSV.encode())


def test_wijk_import_with_payload_names_is_shown_literally(demo_database) -> None:
    at = upload_payload_wijken(beheer("beheer_wijken"))
    assert not at.exception
    assert "4 nieuw" in at.success[0].value
    names = list(at.dataframe[0].value["wijk_naam"])
    assert all(name in names for name in XSS)
    assert_nothing_live(at)
    options = at.selectbox(key="rename_wijk").options
    assert any(XSS[0] in option for option in options)
    with read_session(default_engine()) as session:
        assert set(XSS) <= set(session.scalars(select(Wijk.name)))
        assert session.scalar(select(Signal.id).limit(1)) is not None  # signals table intact


def test_payload_wijk_names_on_the_other_pages(demo_database) -> None:
    at = upload_payload_wijken(beheer("beheer_wijken"))
    for page in ("wijken", "beheer_gebruikers", "account"):
        at = open_page(at, f"pages/{page}.py")
        assert not at.exception, page
        assert_nothing_live(at)
    at = open_page(at, "pages/wijken.py")
    assert set(XSS) <= set(at.dataframe[0].value["wijk_naam"])


def test_rename_a_wijk_to_a_payload_and_back(demo_database) -> None:
    at = beheer("beheer_wijken")
    at.selectbox(key="rename_wijk").set_value("WK990101")
    at.text_input[0].input(XSS[1])
    at.button(key="FormSubmitter:wijk_hernoemen-Hernoemen").click()
    at.run()
    assert not at.exception and at.success
    assert_nothing_live(at)
    assert XSS[1] in list(at.dataframe[0].value["wijk_naam"])


def test_bad_wijk_file_reports_rows_and_stores_nothing(demo_database) -> None:
    at = beheer("beheer_wijken")
    at.file_uploader[0].set_value(("w.csv", b"wijk_code,wijk_naam\nWK1,<b>x</b>\nWK990199,\n",
                                   "text/csv"))
    at.run()
    next(b for b in at.button if b.label == "Wijzigingen bekijken").click()
    at.run()
    assert "niets opgeslagen" in at.error[0].value and "rij 2" in at.error[0].value
    assert_nothing_live(at)
    assert len(at.dataframe[0].value) == 12


def _add_user(at: AppTest, username: str, role: str, password: str, repeat: str | None = None,
              wijken: list[str] | None = None, reporter: str | None = None) -> AppTest:
    form = "gebruiker_toevoegen"
    at.text_input[0].input(username)
    at.selectbox[0].set_value(role)
    at.selectbox[1].set_value(reporter)
    at.multiselect[0].set_value(wijken or [])
    at.text_input[1].input(password)
    at.text_input[2].input(password if repeat is None else repeat)
    at.button(key=f"FormSubmitter:{form}-Gebruiker toevoegen").click()
    return at.run()


def test_add_a_user_who_can_then_log_in(demo_database) -> None:
    at = _add_user(beheer("beheer_gebruikers"), "jw.spoorzone", "sleutelfiguur",
                   "fiets-regen-tulp-2026", wijken=["WK990101"], reporter="jongerenwerker")
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value.set_index("gebruikersnaam")
    assert table.loc["jw.spoorzone", "rol_type"] == "Jongerenwerker"
    actor = login(default_engine(), "jw.spoorzone", "fiets-regen-tulp-2026")
    assert actor.role == "sleutelfiguur"


@pytest.mark.parametrize("username", XSS)
def test_payload_usernames_are_refused(demo_database, username: str) -> None:
    at = _add_user(beheer("beheer_gebruikers"), username, "manager", "fiets-regen-tulp-2026")
    assert "Gebruikersnaam" in at.error[0].value
    assert_nothing_live(at)
    with read_session(default_engine()) as session:
        assert session.scalar(select(User).where(User.username == username)) is None


def test_weak_or_mismatched_passwords_are_refused(demo_database) -> None:
    at = _add_user(beheer("beheer_gebruikers"), "mgr2", "manager", "Wachtwoord2026!")
    assert "voorspelbaar" in at.error[0].value
    at = _add_user(at, "mgr2", "manager", "fiets-regen-tulp-2026", repeat="iets anders")
    assert "komt niet overeen" in at.error[0].value


def test_disable_reset_and_security_settings(demo_database) -> None:
    at = beheer("beheer_gebruikers")
    at.selectbox(key="actief_gebruiker").set_value("manager")
    [b for b in at.button if b.label == "Uitschakelen"][0].click()
    at.run()
    assert "manager is uitgeschakeld" in at.success[0].value.replace("\\", "")
    table = at.dataframe[0].value.set_index("gebruikersnaam")
    assert not bool(table.loc["manager", "actief"])
    at.selectbox(key="reset_gebruiker").set_value("coordinator")
    at.text_input[3].input("nieuw-wachtwoord-voor-coord")
    at.button(key="FormSubmitter:wachtwoord_resetten-Wachtwoord resetten").click()
    at.run()
    assert login(default_engine(), "coordinator", "nieuw-wachtwoord-voor-coord")
    at.number_input[2].set_value(45)
    at.button(key="FormSubmitter:inlogbeveiliging-Instellingen opslaan").click()
    at.run()
    with read_session(default_engine()) as session:
        assert session.get(Setting, "security").value["idle_minutes"] == 45


def test_themes_and_categories_with_payload_labels(demo_database) -> None:
    at = beheer("beheer_categorieen")
    at.text_input[1].input("windmolens")
    at.text_input[2].input(XSS[2])
    at.button(key="FormSubmitter:thema_toevoegen-Thema toevoegen").click()
    at.run()
    assert not at.error and XSS[2] in list(at.dataframe[1].value["label"])
    at.text_input[0].input(XSS[0])
    at.button(key="FormSubmitter:categorie_wijzigen-Categorie opslaan").click()
    at.run()
    assert XSS[0] in list(at.dataframe[0].value["label"])
    assert_nothing_live(at)
    with read_session(default_engine()) as session:
        assert session.get(Theme, "windmolens").label == XSS[2]


def test_action_types_can_be_added_with_a_payload_label(demo_database) -> None:
    at = beheer("beheer_categorieen")
    at.text_input[3].input("buurtmaaltijd")
    at.text_input[4].input(XSS[1])
    at.button(key="FormSubmitter:actiesoort_opslaan-Soort actie opslaan").click()
    at.run()
    assert not at.error
    labels = dict(zip(at.dataframe[2].value["code"], at.dataframe[2].value["label"],
                      strict=True))
    assert labels["buurtmaaltijd"] == XSS[1] and labels["nazorg"] == "Nazorg"
    assert_nothing_live(at)


def test_rules_toml_tab_validates_shows_a_diff_and_saves(demo_database) -> None:
    at = beheer("beheer_regels")
    original = at.text_area[0].value
    at.text_area[0].input(original.replace("nafase_weeks = 4", "nafase_weeks = -2"))
    at.run()
    assert "ongeldig" in at.error[0].value
    assert any("nafase_weeks" in c.value and "Duur nafase" in c.value for c in at.code)
    assert not [b for b in at.button if b.label == "TOML opslaan"]
    at.text_area[0].input(original.replace("nafase_weeks = 4", "nafase_weeks = 6"))
    at.run()
    diff = at.code[0].value
    assert "-nafase_weeks = 4" in diff and "+nafase_weeks = 6" in diff
    save = [b for b in at.button if b.label == "TOML opslaan"][0]
    assert save.disabled
    at.checkbox(key="toml_gecontroleerd").check()
    at.run()
    [b for b in at.button if b.label == "TOML opslaan"][0].click()
    at.run()
    assert "opgeslagen" in at.success[0].value
    with read_session(default_engine()) as session:
        assert "nafase_weeks = 6" in session.get(Setting, "phase_rules").value
    [b for b in at.button if b.label == "Standaardregels herstellen"][0].click()
    at.run()
    with read_session(default_engine()) as session:
        assert session.get(Setting, "phase_rules") is None


def test_rules_form_shows_changes_and_what_if_then_saves(demo_database) -> None:
    at = beheer("beheer_regels")
    field = at.number_input(key="regel:phase2.min_excess")
    assert field.label == "Minimale stijging (punten)" and field.value == 4.0
    weight = at.number_input(key="regel:context.risk_moment_weight")
    assert (weight.label, weight.value, weight.max) == ("Gewicht risicomoment (punten)", 0.0, 2.0)
    field.set_value(1000.0).run()
    changes = at.dataframe[0].value
    assert list(changes["Instelling"]) == ["Fase 2 · Oplopende spanningen: Minimale stijging "
                                           "(punten)"]
    assert list(changes["Nu"]) == ["4"] and list(changes["Nieuw"]) == ["1000"]
    [b for b in at.button if b.label == "Effect berekenen"][0].click()
    at.run()
    what_if = at.dataframe[1].value.set_index("Cijfer")
    assert list(what_if.columns) == ["Huidige regels", "Voorgestelde regels"]
    row = what_if.loc["Fase ≥ 2: weken per wijk-jaar"]
    assert float(row["Voorgestelde regels"].replace(",", ".")) < float(
        row["Huidige regels"].replace(",", "."))
    save = at.button(key="form_opslaan")
    assert save.disabled
    at.checkbox(key="regels_gecontroleerd").check()
    at.run()
    at.button(key="form_opslaan").click()
    at.run()
    assert "opgeslagen" in at.success[0].value
    with read_session(default_engine()) as session:
        stored = session.get(Setting, "phase_rules").value
    assert "min_excess = 1000.0" in stored
    assert "# In score points" in stored  # the explanations stay in the stored file


def test_rules_form_names_a_bad_combination_in_dutch(demo_database) -> None:
    at = beheer("beheer_regels")
    at.number_input(key="regel:phase3.min_offline_reporters").set_value(3).run()
    assert "ongeldig" in at.error[0].value
    assert any("Waarvan offline" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.label == "Regels opslaan"]


def test_retention_page_previews_then_purges(demo_database) -> None:
    at = beheer("beheer_bewaren")
    preview = at.dataframe[0].value
    due = int(preview["Aantal"][0])
    assert due > 0
    assert [b for b in at.button if b.label == "Nu opschonen"][0].disabled
    at.checkbox[0].check()
    at.run()
    [b for b in at.button if b.label == "Nu opschonen"][0].click()
    at.run()
    assert f"Opgeschoond: {due} signalen" in at.success[0].value
    assert "niets op te schonen" in at.success[1].value
    at.number_input[0].set_value(24)
    at.button(key="FormSubmitter:bewaartermijn-Bewaartermijn opslaan").click()
    at.run()
    assert "24 maanden" in at.success[0].value


def test_audit_page_filters_and_exports(demo_database) -> None:
    failed = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # leaves a payload name
    failed.text_input[0].input(XSS[0])
    failed.text_input[1].input("x")
    failed.button[0].click()
    failed.run()
    at = beheer("beheer_audit")
    events = at.dataframe[0].value
    assert XSS[0] in list(events["gebruiker"])
    assert_nothing_live(at)
    # Dutch words for the codes, on screen and in the filter.
    assert {"Ingelogd", "Inloggen mislukt"} <= set(events["actie"])
    assert "Gebruiker" in set(events["object_type"]) and "user" not in set(events["object_type"])
    assert "Inloggen mislukt" in at.selectbox[1].options
    at.selectbox[1].set_value("login_mislukt")
    at.run()
    assert set(at.dataframe[0].value["actie"]) == {"Inloggen mislukt"}
    [b for b in at.button if b.label == "Export voorbereiden (CSV)"][0].click()
    at.run()
    assert at.get("download_button")
    with read_session(default_engine()) as session:
        last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert (last.action, last.object_type) == ("export", "audit_events")


@pytest.mark.parametrize("username", ["coordinator", "manager", "sleutelfiguur"])
def test_other_roles_get_no_beheer_page(demo_database, username: str) -> None:
    at = logged_in(username)
    for page in ("beheer_gebruikers", "beheer_wijken", "beheer_categorieen", "beheer_regels",
                 "beheer_bewaren", "beheer_audit", "beheer_meldingen"):
        direct = run_page_as(at, f"pages/{page}.py")
        assert [e.value for e in direct.error] == ["U heeft geen toegang tot deze pagina."]
        assert not direct.dataframe and not direct.text_area and not direct.file_uploader


def test_the_beheerder_sets_the_duiding_overdue_term(demo_database) -> None:
    from signals.services.settings import REVIEW, ReviewSettings

    at = beheer("beheer_regels")
    field = next(n for n in at.number_input if n.label.startswith("Dagen tot"))
    assert field.value == ReviewSettings().overdue_days
    field.set_value(21)
    next(b for b in at.button if b.label == "Termijn opslaan").click().run()
    assert not at.exception and not at.error
    stored = query(demo_database, select(Setting.value).where(Setting.key == REVIEW))
    assert stored == [({"overdue_days": 21},)]


def test_user_page_speaks_dutch(demo_database) -> None:
    at = beheer("beheer_gebruikers")
    assert "Functie (alleen sleutelfiguren)" in [s.label for s in at.selectbox]
    assert all(m.placeholder.startswith("Kies") for m in at.multiselect)
    assert "Rol type" not in str(at.dataframe[0].proto)
