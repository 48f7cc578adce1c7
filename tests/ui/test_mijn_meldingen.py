"""AppTest: Mijn meldingen, only the key figure's own signals; edit while new."""

from __future__ import annotations

from sqlalchemy import func, select

from signals.db.models import Signal
from signals.domain import NUL_MELDING
from signals.services.signal_draft import reference
from tests.ui.helpers import logged_in, open_page
from tests.ui.signal_helpers import history_actions, latest_signal, query, user_id

PAGE = "pages/mijn_meldingen.py"


def _log_one(at):  # type: ignore[no-untyped-def]
    at = open_page(at, "pages/melden.py")
    at.selectbox(key="melden_category").set_value("symbolen").run()
    at.text_area(key="melden_description").input("Nieuwe leuzen op de muur van de sporthal.")
    next(b for b in at.button if b.label == "Signaal opslaan").click().run()
    return at


def test_only_own_signals_with_their_status(demo_database) -> None:
    at = open_page(logged_in("sleutelfiguur"), PAGE)
    me = user_id(demo_database, "sleutelfiguur")
    mine = query(demo_database, select(func.count()).select_from(Signal).where(
        Signal.reporter_id == me))[0][0]
    table = at.dataframe[0].value
    assert len(table) == mine > 0
    assert set(table["status"]) <= {"in behandeling", "bevestigd", "niet bevestigd",
                                    "afgesloten"}
    assert "melder" not in table.columns and "id" not in table.columns
    # On a 390 px phone only the first columns fit: the status comes right after the reference.
    assert list(at.dataframe[0].proto.column_order[:2]) == ["referentie", "status"]


def test_a_new_signal_can_be_edited_and_the_change_is_recorded(demo_database) -> None:
    at = _log_one(logged_in("sleutelfiguur"))
    signal = latest_signal(demo_database)
    at = open_page(at, PAGE)
    at.selectbox(key="mijn_keuze").set_value(signal.id).run()
    prefix = f"bewerk_{signal.id}"
    assert at.text_area(key=f"{prefix}_description").value.startswith("Nieuwe leuzen")
    at.text_area(key=f"{prefix}_description").input("")
    at.slider(key=f"{prefix}_severity").set_value(3)
    next(b for b in at.button if b.label == "Wijzigingen opslaan").click().run()
    assert "Beschrijving" in at.error[0].value
    assert at.slider(key=f"{prefix}_severity").value == 3  # kept after the failed save
    at.text_area(key=f"{prefix}_description").input("Leuzen op de sporthal, ook hakenkruizen.")
    next(b for b in at.button if b.label == "Wijzigingen opslaan").click().run()
    assert "opgeslagen" in at.success[0].value
    stored = latest_signal(demo_database)
    assert (stored.severity, stored.version) == (3, 2)
    assert history_actions(demo_database, signal.id)[-2:] == ["bewerkt", "bewerkt"]


def test_signals_under_review_are_not_offered_for_editing(demo_database) -> None:
    at = open_page(_log_one(logged_in("sleutelfiguur")), PAGE)
    rows = query(demo_database, select(Signal.id, Signal.status, Signal.category).where(
        Signal.reporter_id == user_id(demo_database, "sleutelfiguur")))
    new = {reference(i) for i, status, category in rows
           if status == "nieuw" and category != NUL_MELDING}
    under_review = {reference(i) for i, status, _ in rows if status != "nieuw"}
    assert new and under_review
    offered = {option.split(" · ")[0] for option in at.selectbox(key="mijn_keuze").options}
    assert offered == new
