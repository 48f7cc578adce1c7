"""AppTest: the Wijkprofiel's evaluation request, drawn for an ended nafase; a nafase that is
not pending is refused by the service, with the message on screen."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _prompt() -> None:
    from datetime import date

    import pandas as pd

    from signals.services.actor import SYSTEM_ACTOR
    from signals.services.evaluations import EndedNafase
    from signals.ui.evaluation_form import evaluation_prompt

    actions = pd.DataFrame({
        "id": [1], "action_date": [date(2026, 10, 21)], "week": ["2026-W43"],
        "action_type": ["contact_initiatiefnemer"], "type_label": ["Contact met initiatiefnemer"],
        "status": ["uitgevoerd"], "description": ["Afspraken over de route <b>x</b>."],
        "phase": [3], "decision_id": [None], "created_by": ["coordinator"]})
    evaluation_prompt(SYSTEM_ACTOR, EndedNafase("WK990103", date(2026, 11, 16),
                                                date(2026, 10, 19), 6, actions))


def test_the_prompt_shows_what_is_computed_and_refuses_a_nafase_not_pending(
        demo_database) -> None:
    at = AppTest.from_function(_prompt, default_timeout=30)
    at.run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)
    assert "Evaluatie gevraagd: de nafase is afgelopen" in text
    assert "het voorstel stond 6 weken daarvoor al op fase 2 of hoger" in text
    table = at.dataframe[0].value
    assert list(table["omschrijving"]) == ["Afspraken over de route <b>x</b>."]  # plain text
    at.text_area[0].input("Geruchten over het azc.")
    at.text_area[1].input("Vroeg kernteam.")
    at.text_area[2].input("Eerder communiceren.")
    next(b for b in at.button if b.label == "Evaluatie vastleggen").click().run()
    assert "al geëvalueerd of nog niet afgelopen" in at.error[0].value.replace("\\", "")
