"""AppTest: the Netwerk page per role, the activation page without login, the netwerkgat on
the Overzicht and the wijk profile, and terugkoppeling from Duiding to Mijn meldingen."""

from __future__ import annotations

from sqlalchemy import select

from signals.db.models import ActivationCode, Signal, User, Wijk
from signals.services.activation import code_hash
from signals.services.signal_draft import reference
from tests.ui.helpers import APP, TIMEOUT, logged_in, open_page
from tests.ui.signal_helpers import audit_actions, query

PAGE = "pages/netwerk.py"
NEW_PASSWORD = "een zin om te onthouden 7"


def _all_text(at) -> str:  # type: ignore[no-untyped-def]
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [t.value for t in at.text] + [str(d.value) for d in at.dataframe]
    return "\n".join(parts)


def _add_key_figure(at, username: str, wijk: str):  # type: ignore[no-untyped-def]
    next(t for t in at.text_input if t.label == "Gebruikersnaam").input(username)
    next(s for s in at.selectbox if s.label == "Rol").set_value("jongerenwerker")
    next(m for m in at.multiselect if m.label == "Wijken").set_value([wijk])
    next(b for b in at.button if b.label == "Toevoegen en activatiecode maken").click().run()
    assert not at.exception, at.exception
    return at


def test_a_coordinator_sees_their_network_and_adds_a_key_figure(demo_database) -> None:
    at = open_page(logged_in("coordinator"), PAGE)
    assert at.title[0].value == "Netwerk" and not at.error
    wijken = at.dataframe[0].value
    assert len(wijken) == 10  # the coordinator's own wijken only
    gap = wijken.set_index("wijk_naam").loc["Industrieterrein Noord"]
    assert gap["network_gap"] == "netwerkgat" and "minder dan 3" in gap["gaps"]
    people = at.dataframe[1].value
    assert "sleutelfiguur" in set(people["username"])
    text = _all_text(at)
    assert "Maandoverzicht" in text and "Meldpercentage afgelopen 4 weken" in text

    at = _add_key_figure(at, "jw.spoorzone", "WK990105")
    code = at.code[0].value
    assert "jw.spoorzone" in at.success[0].value
    assert "activeren?code=" in at.code[1].value
    stored = query(demo_database, select(ActivationCode.code_hash).join(
        User, User.id == ActivationCode.user_id).where(User.username == "jw.spoorzone"))
    assert [row[0] for row in stored] == [code_hash(code)]
    assert audit_actions(demo_database, "sleutelfiguur_toegevoegd")[0][:1] == ("coordinator", )
    at.run()  # shown once: gone at the next run
    assert not at.code


def test_a_manager_sees_counts_only(demo_database) -> None:
    at = open_page(logged_in("manager"), PAGE)
    assert len(at.dataframe) == 1 and not at.button and not at.text_input
    table = at.dataframe[0].value
    assert set(table.columns) == {"wijk_naam", "active", "network_gap", "rate_4w"}
    assert "<5" in set(table["active"])
    usernames = {r[0] for r in query(demo_database, select(User.username))}
    assert not usernames & set(" ".join(map(str, table.to_numpy().ravel())).split())


def test_a_beheerder_sees_every_wijk_and_the_settings(demo_database) -> None:
    at = open_page(logged_in("beheerder"), PAGE)
    assert len(at.dataframe[0].value) == 12
    assert any(e.label == "Instellingen (beheerder)" for e in at.expander)


def test_the_activation_page_works_without_login(demo_database) -> None:
    at = open_page(logged_in("coordinator"), PAGE)
    code = _add_key_figure(at, "docent.horst", "WK990106").code[0].value
    from streamlit.testing.v1 import AppTest

    visitor = AppTest.from_file(APP, default_timeout=TIMEOUT)
    visitor.query_params["code"] = code.lower()
    visitor.switch_page("pages/activeren.py")
    visitor.run()
    assert not visitor.exception and visitor.title[0].value == "Account activeren"
    visitor.text_input(key="activatie_code").input(code.lower())
    passwords = [t for t in visitor.text_input if t.label != "Activatiecode"]
    passwords[0].input(NEW_PASSWORD)
    passwords[1].input(NEW_PASSWORD)
    next(b for b in visitor.button if b.label == "Wachtwoord instellen").click().run()
    assert not visitor.exception
    # Back at the login, with the username (markdown-escaped) to log in with.
    assert any("docent.horst" in i.value.replace("\\", "") for i in visitor.info)
    logged_in("docent.horst", NEW_PASSWORD)


def test_overzicht_and_wijkprofiel_show_the_netwerkgat(demo_database) -> None:
    at = open_page(logged_in("coordinator"), "pages/overzicht.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Netwerkgat"] == "1"
    links = [link.label for link in at.get("page_link")]
    assert any(label.startswith("Industrieterrein Noord: 2 actieve") for label in links)
    profile = logged_in("coordinator")
    profile.query_params["wijk"] = "WK990109"
    profile = open_page(profile, "pages/wijkprofiel.py")
    assert any("Netwerkgat" in w.value for w in profile.warning)
    calm = logged_in("coordinator")
    calm.query_params["wijk"] = "WK990105"
    assert not any("Netwerkgat" in w.value for w in open_page(calm, "pages/wijkprofiel.py")
                   .warning)


def test_feedback_from_duiding_reaches_only_the_reporter(demo_database) -> None:
    (signal_id,) = query(demo_database, select(Signal.id).join(
        User, User.id == Signal.reporter_id).join(Wijk, Wijk.id == Signal.wijk_id).where(
        User.username == "sleutelfiguur", Signal.category != "geen_bijzonderheden")
        .order_by(Signal.id.desc()).limit(1))[0]
    at = open_page(logged_in("coordinator"), "pages/duiding.py")
    at.text_input(key="duiding_ref").input(reference(signal_id)).run()
    box = at.text_area(key=f"terugkoppeling_tekst_{signal_id}")
    box.input("Bel 06-12345678 voor meer")  # a form: the value goes with the submit
    next(b for b in at.button if b.label == "Bericht opslaan").click().run()
    assert any("persoonsgegevens" in e.value for e in at.error)
    at.text_area(key=f"terugkoppeling_tekst_{signal_id}").input(
        "Dank, besproken in het kernteam.")
    next(b for b in at.button if b.label == "Bericht opslaan").click().run()
    assert any("opgeslagen" in s.value for s in at.success)

    mine = open_page(logged_in("sleutelfiguur"), "pages/mijn_meldingen.py")
    table = mine.dataframe[0].value.set_index("referentie")
    assert table.loc[reference(signal_id), "terugkoppeling"] == "Dank, besproken in het kernteam."
    assert any("Dank, besproken in het kernteam." in t.value for t in mine.text)
