"""AppTest: importing areas on Wijken beheren: pick unknown columns, see the diff, retire."""

from __future__ import annotations

from sqlalchemy import select

from signals.db.engine import default_engine
from signals.db.models import Wijk
from signals.db.uow import read_session
from tests.integration.geofiles import AMSTERDAM_RD, geojson_bytes, squares
from tests.ui.helpers import logged_in, open_page


def _click(at, label: str):  # type: ignore[no-untyped-def]
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_unknown_columns_are_picked_by_the_user_then_imported(demo_database) -> None:
    fields = {"Sleutel": ["N01", "N02"], "Omschrijving": ["Noord", "Zuid"]}
    data = geojson_bytes(fields, squares(AMSTERDAM_RD, 2, 500), "EPSG:28992")
    at = open_page(logged_in("beheerder"), "pages/beheer_wijken.py")
    at.file_uploader[0].set_value(("eigen.geojson", data, "application/geo+json"))
    at.run()
    assert "Sleutel, Omschrijving" in at.warning[0].value
    assert not [b for b in at.button if b.label == "Wijzigingen bekijken"]
    code, name = (s for s in at.selectbox if s.label in ("Codekolom", "Naamkolom"))
    code.set_value("Sleutel")
    name.set_value("Omschrijving")
    at.text_input[0].input("GM0363")
    at.run()
    at = _click(at, "Wijzigingen bekijken")
    assert not at.exception and not at.error
    assert any("2 nieuw" in m.value for m in at.markdown)
    at = _click(at, "Importeren")
    assert "2 nieuw" in at.success[0].value
    with read_session(default_engine()) as session:
        wijk = session.scalar(select(Wijk).where(Wijk.code == "N01"))
        assert wijk.name == "Noord" and wijk.gemeente.code == "GM0363"


def test_a_new_year_file_lets_the_user_retire_a_missing_wijk(demo_database) -> None:
    rows = "".join(f"WK9901{n:02d};Wijk {n}\n" for n in range(1, 12))  # WK990112 is missing
    at = open_page(logged_in("beheerder"), "pages/beheer_wijken.py")
    at.file_uploader[0].set_value(("2027.csv", f"wijk_code;wijk_naam\n{rows}".encode(),
                                   "text/csv"))
    at.run()
    at = _click(at, "Wijzigingen bekijken")
    assert any("1 ontbreken" in m.value and "11 hernoemd" in m.value for m in at.markdown)
    retire = next(m for m in at.multiselect if m.label == "Intrekken")
    retire.set_value(["WK990112"])
    at.run()
    at = _click(at, "Importeren")
    assert "1 ingetrokken" in at.success[0].value
    overview = at.dataframe[0].value.set_index("wijk_code")
    assert not overview.loc["WK990112", "actief"] and overview.loc["WK990101", "actief"]
