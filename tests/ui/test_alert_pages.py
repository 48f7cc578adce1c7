"""AppTest: alert choices in Mijn account, and the beheerder's outbox page (retry, who
receives what, e-mail not configured)."""

from __future__ import annotations

from sqlalchemy import select, update

from signals.db.engine import default_engine
from signals.db.models import AlertOutbox, User
from signals.db.uow import read_session, run_write
from signals.services.alert_content import payload
from signals.services.alert_outbox import Queued, queue
from tests.ui.helpers import logged_in, open_page


def _user(session, name: str) -> User:
    return session.scalar(select(User).where(User.username == name))


def test_a_coordinator_chooses_alerts_for_one_of_their_wijken(demo_database) -> None:
    at = open_page(logged_in("coordinator_zuid"), "pages/account.py")
    assert any("niet ingesteld" in i.value for i in at.info)
    email = next(t for t in at.text_input if t.label == "E-mailadres voor meldingen")
    email.input("zuid@gemeente.test")
    at.selectbox(key="melding_ernstig").set_value("dagelijks")
    wijken = at.multiselect(key="wijken_ernstig")
    assert "WK990103" not in wijken.options  # Molenwijk lies outside this coordinator's scope
    wijken.select("WK990110")
    at.button(key="FormSubmitter:meldingen-Meldingen opslaan").click()
    at.run()
    assert not at.exception and "opgeslagen" in at.success[0].value
    assert at.selectbox(key="melding_ernstig").value == "dagelijks"
    assert at.multiselect(key="wijken_ernstig").value == ["WK990110"]
    with read_session(default_engine()) as session:
        assert _user(session, "coordinator_zuid").alert_email == "zuid@gemeente.test"


def test_the_outbox_page_retries_a_failed_alert_and_shows_who_gets_what(demo_database) -> None:
    engine = default_engine()

    def failed_alert(session) -> None:
        user = _user(session, "coordinator")
        user.alert_email = "noord@gemeente.test"
        queue(session, [Queued("fase", None, user.id, "email", "fase:test:u1",
                               payload("Molenwijk stijgt naar fase 3", "WK990103", "Molenwijk",
                                       [], "wijkprofiel", {"wijk": "WK990103"}, 3))])
        session.execute(update(AlertOutbox).values(status="failed", attempts=8,
                                                   last_error="SMTPRecipientsRefused: 550"))

    run_write(engine, failed_alert)
    at = open_page(logged_in("beheerder"), "pages/beheer_meldingen.py")
    assert any("E-mail is niet ingesteld" in w.value for w in at.warning)
    outbox = at.dataframe[0].value
    assert list(outbox["status"]) == ["Mislukt"] and "550" in outbox["fout"].iloc[0]
    who = at.dataframe[1].value
    assert "coordinator" in set(who["gebruiker"])
    assert "manager" in set(who["gebruiker"])  # the role default, without an address yet
    at.button(key="FormSubmitter:opnieuw-Opnieuw proberen").click()
    at.run()
    assert not at.exception and "weer in de wachtrij" in at.success[0].value
    with read_session(engine) as session:
        assert session.scalar(select(AlertOutbox.status)) == "queued"
