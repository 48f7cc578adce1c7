"""AppTest: the signal form's draft survives a new session (a reload), is shown only to its
own user, can be discarded, and is gone once the signal is saved."""

from __future__ import annotations

from sqlalchemy import func, select

from signals.db.engine import default_engine
from signals.db.models import FormDraft
from signals.domain import Role
from tests.security.factories import PASSWORD, make_user
from tests.ui.helpers import logged_in, open_page
from tests.ui.signal_helpers import query, signal_count

TEXT = "Bij de bushalte staan elke avond groepjes jongeren; bewoners mijden de plek."
RESTORED = "Concept hersteld"


def _melden(username: str = "sleutelfiguur"):  # type: ignore[no-untyped-def]
    return open_page(logged_in(username), "pages/melden.py")


def _half_typed():  # type: ignore[no-untyped-def]
    at = _melden()
    at.selectbox(key="melden_category").set_value("onvrede").run()
    at.text_area(key="melden_description").input(TEXT).run()
    return at


def _notice(at) -> bool:  # type: ignore[no-untyped-def]
    return any(RESTORED in i.value for i in at.info)


def _drafts(url: str) -> int:
    return query(url, select(func.count()).select_from(FormDraft))[0][0]


def test_a_half_typed_signal_comes_back_in_a_new_session(demo_database) -> None:
    assert not _notice(_half_typed())
    again = _melden()  # a reload: a new session, the same user
    assert _notice(again)
    assert again.text_area(key="melden_description").value == TEXT
    assert again.selectbox(key="melden_category").value == "onvrede"


def test_a_draft_is_never_shown_to_another_user(demo_database) -> None:
    _half_typed()
    make_user(default_engine(), "buurman", Role.SLEUTELFIGUUR, ("WK990105",))
    neighbour = open_page(logged_in("buurman", PASSWORD), "pages/melden.py")
    assert not _notice(neighbour)
    assert neighbour.text_area(key="melden_description").value == ""
    assert _notice(_melden())  # still there for its own user


def test_discarding_the_draft_empties_the_form(demo_database) -> None:
    _half_typed()
    again = _melden()
    next(b for b in again.button if b.label == "Concept weggooien").click().run()
    assert not _notice(again) and again.text_area(key="melden_description").value == ""
    assert _drafts(demo_database) == 0
    assert not _notice(_melden())


def test_saving_the_signal_deletes_the_draft(demo_database) -> None:
    before = signal_count(demo_database)
    _half_typed()
    again = _melden()
    next(b for b in again.button if b.label == "Signaal opslaan").click().run()
    assert signal_count(demo_database) == before + 1
    assert _drafts(demo_database) == 0
    assert not _notice(_melden())
