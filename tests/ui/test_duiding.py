"""AppTest: Duiding queue, detail view, assessment and the two-coordinator conflict."""

from __future__ import annotations

from sqlalchemy import select

from signals.db.models import Signal, SignalLink, User, Wijk, user_wijk
from signals.services.signal_draft import dutch_date, reference
from tests.ui.helpers import logged_in, open_page
from tests.ui.signal_helpers import audit_actions, history_actions, query

PAGE = "pages/duiding.py"


def _open(username: str, password: str | None = None):  # type: ignore[no-untyped-def]
    return open_page(logged_in(username, password), PAGE)


def test_the_queue_holds_open_signals_of_own_wijken_by_role_only(demo_database) -> None:
    at = _open("coordinator_zuid", "demo-coordinator-2026")
    table = at.dataframe[0].value
    own = {r[0] for r in query(demo_database, select(Wijk.name).join(
        user_wijk, user_wijk.c.wijk_id == Wijk.id).join(User, User.id == user_wijk.c.user_id)
        .where(User.username == "coordinator_zuid"))}
    assert len(table) > 0 and set(table["wijk"]) <= own
    assert set(table["status"]) <= {"Nieuw", "In duiding"}
    assert "Niets bijzonders" not in set(table["categorie"])
    usernames = {r[0] for r in query(demo_database, select(User.username))}
    assert not set(table["melder"]) & usernames
    at.multiselect(key="duiding_categorie").set_value(["onvrede"]).run()
    assert set(at.dataframe[0].value["categorie"]) <= {"Onvrede / klachten"}
    assert at.download_button  # export of exactly this filter


def test_open_assess_and_see_the_history(demo_database) -> None:
    at = _open("coordinator")
    signal_id = int(at.selectbox(key="duiding_pick").options[0].split(" ")[0][3:])
    at.selectbox(key="duiding_pick").select_index(0).run()
    assert not at.exception
    views = audit_actions(demo_database, "signaal_bekeken")
    assert (("coordinator", str(signal_id)) in [(u, o) for u, o, _ in views])
    at.run()  # a rerun of the same detail is not a new view
    assert len(audit_actions(demo_database, "signaal_bekeken")) == len(views)
    at.selectbox(key=None) if False else None
    form_status = next(s for s in at.selectbox if s.label == "Nieuwe status")
    form_status.set_value("geverifieerd")
    next(t for t in at.text_area if t.label.startswith("Toelichting")).input("Bevestigd.")
    next(b for b in at.button if b.label == "Beoordeling opslaan").click().run()
    assert "opgeslagen" in at.success[0].value
    status = query(demo_database, select(Signal.status).where(Signal.id == signal_id))[0][0]
    assert status == "geverifieerd"
    assert "beoordeeld" in history_actions(demo_database, signal_id)
    history = at.dataframe[-1].value
    assert "coordinator" in set(history["wie"]) and "beoordeeld" in set(history["actie"])


def test_two_coordinators_the_second_save_is_a_conflict(demo_database) -> None:
    first = _open("coordinator")
    second = _open("beheerder")
    pick = first.selectbox(key="duiding_pick").options[0]
    signal_id = int(pick.split(" ")[0][3:])
    first.selectbox(key="duiding_pick").set_value(signal_id).run()
    second.text_input(key="duiding_ref").input(f"WS-{signal_id:06d}").run()
    assert not second.exception
    next(s for s in first.selectbox if s.label == "Nieuwe status").set_value("in_duiding")
    next(b for b in first.button if b.label == "Beoordeling opslaan").click().run()
    assert "opgeslagen" in first.success[0].value
    next(s for s in second.selectbox if s.label == "Nieuwe status").set_value("niet_bevestigd")
    next(b for b in second.button if b.label == "Beoordeling opslaan").click().run()
    assert any("Iemand anders heeft deze melding opgeslagen" in e.value for e in second.error)
    status = query(demo_database, select(Signal.status).where(Signal.id == signal_id))[0][0]
    assert status == "in_duiding"  # nothing overwritten
    next(b for b in second.button if b.label == "Nieuwe versie laden").click().run()
    next(s for s in second.selectbox if s.label == "Nieuwe status").set_value("niet_bevestigd")
    next(b for b in second.button if b.label == "Beoordeling opslaan").click().run()
    assert "opgeslagen" in second.success[0].value


def test_a_severity_change_without_a_note_is_refused(demo_database) -> None:
    at = _open("coordinator")
    at.selectbox(key="duiding_pick").select_index(0).run()
    slider = next(s for s in at.slider if s.label == "Ernst")
    slider.set_value(5 if slider.value != 5 else 1)
    next(b for b in at.button if b.label == "Beoordeling opslaan").click().run()
    assert "toelichting" in at.error[0].value


def test_a_link_with_signaal_opens_that_signal(demo_database) -> None:
    (signal_id, wijk_name, observed_on), = query(demo_database, select(
        Signal.id, Wijk.name, Signal.observed_on).join(Wijk).where(Wijk.code == "WK990105")
        .order_by(Signal.id).limit(1))
    at = logged_in("coordinator")
    at.query_params["signaal"] = str(signal_id)
    at = open_page(at, PAGE)
    assert at.text_input(key="duiding_ref").value == reference(signal_id)
    header = next(m.value for m in at.markdown if m.value.startswith("**WS-"))
    assert header.startswith(f"**{reference(signal_id)}**") and wijk_name in header
    facts = next(d.value for d in at.dataframe if list(d.value.columns) == ["Veld", "Waarde"])
    facts = facts.set_index("Veld")["Waarde"]
    assert facts["Datum waargenomen"] == dutch_date(observed_on)
    assert [(user, obj) for user, obj, _ in audit_actions(demo_database, "signaal_bekeken")] == [
        ("coordinator", str(signal_id))]


def _linked_to(database, signal_id: int) -> set[int]:  # type: ignore[no-untyped-def]
    pairs = query(database, select(SignalLink.signal_id, SignalLink.related_id).where(
        (SignalLink.signal_id == signal_id) | (SignalLink.related_id == signal_id)))
    return {a if b == signal_id else b for a, b in pairs}


def test_link_and_unlink_a_related_signal(demo_database) -> None:
    at = _open("coordinator")
    signal_id = int(at.selectbox(key="duiding_pick").options[0].split(" ")[0][3:])
    at.selectbox(key="duiding_pick").select_index(0).run()
    at.selectbox(key="duiding_link").select_index(0).run()
    at.button(key="duiding_link_button").click().run()
    assert not at.exception and not at.error
    (other,) = _linked_to(demo_database, signal_id)
    at.selectbox(key="duiding_unlink").set_value(other).run()
    at.button(key="duiding_unlink_button").click().run()
    assert not at.exception and not at.error
    assert _linked_to(demo_database, signal_id) == set()
