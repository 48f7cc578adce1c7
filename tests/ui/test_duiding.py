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


def _click_row(at, index: int = 0) -> int:  # type: ignore[no-untyped-def]
    """Click row `index` of the queue as the browser does (a single-row selection)."""
    table = next(d for d in at.dataframe if (d.key or "").startswith("duiding_tabel_p"))
    signal_id = int(table.value.iloc[index]["referentie"][3:])
    at.session_state[table.key] = {"selection": {"rows": [index], "columns": []}}
    at.run()
    assert not at.exception, at.exception
    return signal_id


def _header(at) -> str:  # type: ignore[no-untyped-def]
    return next(m.value for m in at.markdown if m.value.startswith("**WS-"))


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
    signal_id = _click_row(at, 0)
    assert _header(at).startswith(f"**{reference(signal_id)}**")
    views = audit_actions(demo_database, "signaal_bekeken")
    assert (("coordinator", str(signal_id)) in [(u, o) for u, o, _ in views])
    at.run()  # a rerun of the same detail is not a new view
    assert len(audit_actions(demo_database, "signaal_bekeken")) == len(views)
    form_status = next(s for s in at.selectbox if s.label == "Nieuwe status")
    form_status.set_value("geverifieerd")
    next(t for t in at.text_area if t.label.startswith("Toelichting")).input("Bevestigd.")
    next(b for b in at.button if b.label == "Beoordeling opslaan").click().run()
    assert "opgeslagen" in at.success[0].value
    assert at.text_area(key="duiding_note").value == ""  # the next note starts empty
    status = query(demo_database, select(Signal.status).where(Signal.id == signal_id))[0][0]
    assert status == "geverifieerd"
    assert "beoordeeld" in history_actions(demo_database, signal_id)
    history = at.dataframe[-1].value
    assert "coordinator" in set(history["wie"]) and "beoordeeld" in set(history["actie"])


def test_two_coordinators_the_second_save_is_a_conflict(demo_database) -> None:
    first = _open("coordinator")
    second = _open("beheerder")
    signal_id = _click_row(first, 0)
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
    _click_row(at, 0)
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
    header = _header(at)
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
    signal_id = _click_row(at, 0)
    at.selectbox(key="duiding_link").select_index(0).run()
    at.button(key="duiding_link_button").click().run()
    assert not at.exception and not at.error
    (other,) = _linked_to(demo_database, signal_id)
    at.selectbox(key="duiding_unlink").set_value(other).run()
    at.button(key="duiding_unlink_button").click().run()
    assert not at.exception and not at.error
    assert _linked_to(demo_database, signal_id) == set()


def test_search_finds_words_of_the_description_within_scope(demo_database) -> None:
    at = _open("coordinator_zuid", "demo-coordinator-2026")
    before = at.dataframe[0].value
    first = before.iloc[0]
    word = max(first["beschrijving"][:60].split(), key=len).strip(".,;:")
    at.text_input(key="duiding_zoek").input(word.upper()).run()  # case does not matter
    table = at.dataframe[0].value
    assert first["referentie"] in set(table["referentie"])
    assert len(table) <= len(before)
    at.text_input(key="duiding_zoek").input("zzzgeentreffer").run()
    assert len(at.dataframe[0].value) == 0 and "0 meldingen" in at.caption[0].value


def test_paging_moves_through_the_queue(demo_database) -> None:
    at = _open("beheerder")
    at.selectbox(key="duiding_page_size").set_value(25).run()
    first = list(at.dataframe[0].value["referentie"])
    assert len(first) == 25
    assert at.pagination(key="duiding_page").num_pages > 1
    at.pagination(key="duiding_page").select(2).run()
    second = list(at.dataframe[0].value["referentie"])
    assert second and not set(first) & set(second)
    assert any("pagina 2 van" in c.value for c in at.caption)
    # a click on page 2 opens a row of page 2
    assert _click_row(at, 1) == int(second[1][3:])


def test_overdue_items_stand_out_and_a_saved_filter_returns(demo_database) -> None:
    at = _open("coordinator_zuid", "demo-coordinator-2026")
    at.selectbox(key="duiding_opgeslagen").set_value("preset:alle_open").run()
    table = at.dataframe[0].value
    assert table.iloc[0]["days_open"] > 14 and table.iloc[0]["te_lang"] == "te lang open"
    assert set(table[table["days_open"] <= 14]["te_lang"]) <= {""}
    at.text_input(key="duiding_zoek").input("Zuid").run()
    at.text_input(key="duiding_filternaam").input("Zuid oud").run()
    at.button(key="duiding_filter_bewaren").click().run()
    assert not at.exception and any("bewaard" in s.value for s in at.success)
    at.text_input(key="duiding_zoek").input("").run()
    picker = at.selectbox(key="duiding_opgeslagen")
    picker.select_index(picker.options.index("Zuid oud")).run()
    assert at.text_input(key="duiding_zoek").value == "Zuid"
    assert at.selectbox(key="duiding_sort").value == "oudste"
