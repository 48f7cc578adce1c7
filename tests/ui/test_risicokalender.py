"""AppTest: the Risicokalender page and the Overzicht's coming 14 days."""

from __future__ import annotations

from datetime import timedelta

from signals.localtime import today_local
from tests.ui.helpers import logged_in, open_page

PAGE = "pages/risicokalender.py"


def _submit(at):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == "Moment toevoegen").click().run()


def test_coordinator_enters_a_moment_and_sees_it_in_the_overzicht(demo_database) -> None:
    at = open_page(logged_in("coordinator"), PAGE)
    at.date_input(key="moment_datum").set_value(today_local() + timedelta(days=4))
    at.selectbox(key="moment_soort").select("demonstratie")
    at.selectbox(key="moment_wijk").select("WK990103")
    at.selectbox(key="moment_thema").select("azc_asiel")
    at.text_input(key="moment_plaats").input("Kerkstraat 12, 1234 AB Lindeveen")
    _submit(at)
    assert "persoonsgegevens" in at.error[0].value  # refused, nothing stored
    at.text_input(key="moment_plaats").input("Marktplein")
    at.text_input(key="moment_onderwerp").input("<script>alert(1)</script> tegen het azc")
    at.checkbox(key="moment_aangemeld").check()
    _submit(at)
    assert not at.exception
    assert "Het moment staat op de kalender." in [s.value for s in at.success]
    table = at.dataframe[0].value
    row = table[table["plaats"] == "Marktplein"].iloc[0]
    assert (row["soort"], row["wijk"], row["gemeld"]) == ("Aangekondigde demonstratie",
                                                          "Molenwijk", "ja")
    assert row["onderwerp"].startswith("<script>")  # a plain cell, never HTML
    overview = open_page(at, "pages/overzicht.py")
    coming = next(d.value for d in overview.dataframe if "soort" in d.value.columns)
    molen = coming[coming["wijk"] == "Molenwijk"].iloc[0]
    assert molen["fase"].startswith("Fase ") or molen["fase"] == "Onvoldoende zicht"

