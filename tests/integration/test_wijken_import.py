"""Wijk import from CSV and CBS GeoJSON: all-or-nothing, every bad row reported."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from signals.db.models import AuditEvent, Wijk
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import PermissionDeniedError, ValidationError
from signals.services.actor import SYSTEM_ACTOR, Actor
from signals.services.wijken import import_wijken


def _import(engine, name: str, data: bytes, gemeente: str | None = None):
    return run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, name, data, gemeente))


def _wijken(engine) -> dict[str, Wijk]:
    with read_session(engine) as session:
        return {w.code: w for w in session.scalars(select(Wijk))}


def test_csv_with_semicolons_and_windows_1252_names(engine) -> None:
    data = "wijk_code;wijk_naam\r\nWK036301;Burgwallen-Oude Zijde\r\nWK036302;Café-wijk ë\r\n"
    result = _import(engine, "wijken.csv", data.encode("cp1252"))
    assert (result.created, result.updated) == (2, 0)
    assert _wijken(engine)["WK036302"].name == "Café-wijk ë"


def test_csv_with_bom_and_commas_updates_existing_names(engine) -> None:
    _import(engine, "a.csv", b"wijk_code,wijk_naam\nWK036301,Oud\n")
    result = _import(engine, "b.csv", "\ufeffwijk_code,wijk_naam\nWK036301,Nieuw\n".encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert _wijken(engine)["WK036301"].name == "Nieuw"


def test_bad_csv_reports_every_row_and_stores_nothing(engine) -> None:
    data = b"wijk_code,wijk_naam\nWK036301,Goed\nXX12,Fout\nWK036303,\nWK036301,Dubbel\n"
    with pytest.raises(ValidationError) as caught:
        _import(engine, "w.csv", data)
    rows = {(e.row, e.field) for e in caught.value.errors}
    assert (3, "wijk_code") in rows and (5, "wijk_code") in rows and (4, "wijk_naam") in rows
    assert any("dubbel" in e.message for e in caught.value.errors)
    assert _wijken(engine) == {}


def test_the_shared_strict_csv_reader_names_physical_lines(engine) -> None:
    data = (b"wijk_code;wijk_naam;opmerking\n\nWK036301;Noord;\"twee\nregels\"\n\n"
            b"WK036301;Dubbel;x\nWK036303;Noord;Oost;extra\n")
    with pytest.raises(ValidationError) as caught:
        _import(engine, "w.csv", data)
    assert [(e.row, e.field) for e in caught.value.errors] == [(7, "bestand")]
    assert "Deze rij heeft 4 cellen, de kopregel 3" in caught.value.errors[0].message
    with pytest.raises(ValidationError) as caught:
        _import(engine, "w.csv", data.replace(b";extra", b""))
    assert [(e.row, e.field) for e in caught.value.errors] == [(6, "wijk_code")]
    assert _wijken(engine) == {}


def test_an_unterminated_quote_is_refused_with_its_line(engine) -> None:
    data = b'wijk_code;wijk_naam\nWK036301;"Noord\nWK036302;Zuid\n'
    with pytest.raises(ValidationError) as caught:
        _import(engine, "w.csv", data)
    [error] = caught.value.errors
    assert error.row == 2 and "wordt niet goed afgesloten" in error.message
    assert _wijken(engine) == {}


def test_a_bom_before_windows_1252_text_is_not_part_of_the_header(engine) -> None:
    data = b"\xef\xbb\xbfwijk_code;wijk_naam\r\nWK036301;Caf\xe9\r\n"
    _import(engine, "w.csv", data)
    assert _wijken(engine)["WK036301"].name == "Café"


def test_unknown_columns_are_reported_with_the_columns_found(engine) -> None:
    with pytest.raises(ValidationError) as caught:
        _import(engine, "w.csv", b"sleutel,omschrijving\nWK036301,X\n")
    assert {e.field for e in caught.value.errors} == {"codekolom", "naamkolom", "kolommen"}
    assert "sleutel, omschrijving" in str(caught.value)
    assert _wijken(engine) == {}


def _rd_feature(code: str, name: str, gemeente: str, x: float, y: float) -> dict:
    square = [[x, y], [x + 1000, y], [x + 1000, y + 1000], [x, y + 1000], [x, y]]
    return {"type": "Feature",
            "properties": {"wijkcode": code, "wijknaam": name, "gemeentecode": gemeente},
            "geometry": {"type": "Polygon", "coordinates": [square]}}


def test_cbs_geojson_in_rd_new_is_reprojected_and_filtered(engine) -> None:
    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
           "features": [_rd_feature("WK036300", "Burgwallen", "GM0363", 121000, 487000),
                        _rd_feature("WK059900", "Elders", "GM0599", 92000, 437000)]}
    result = _import(engine, "wijkbuurtkaart.geojson", json.dumps(doc).encode(), "GM0363")
    assert result.created == 1
    wijk = _wijken(engine)["WK036300"]
    lon, lat = wijk.geometry["coordinates"][0][0]
    assert 4.85 < lon < 4.92 and 52.35 < lat < 52.40  # Amsterdam, in WGS84


def test_geojson_with_upper_case_cbs_keys_and_multipolygon(engine) -> None:
    poly = [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.0]]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"WK_CODE": "WK999901", "WK_NAAM": "Test"},
         "geometry": {"type": "MultiPolygon", "coordinates": [poly]}}]}
    _import(engine, "k.json", json.dumps(doc).encode())
    assert _wijken(engine)["WK999901"].geometry["type"] == "MultiPolygon"


@pytest.mark.parametrize("payload", [b"{not json", b'{"type": "Feature"}', b""])
def test_broken_geojson_gives_a_clear_error(engine, payload: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        _import(engine, "x.geojson", payload)
    assert "GeoJSON" in str(caught.value) or "FeatureCollection" in str(caught.value)


def test_only_a_beheerder_may_import_and_it_is_audited(engine) -> None:
    coordinator = Actor(user_id=None, username="c", role=Role.COORDINATOR)
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: import_wijken(s, coordinator, "w.csv",
                                                  b"wijk_code,wijk_naam\nWK036301,X\n"))
    _import(engine, "w.csv", b"wijk_code,wijk_naam\nWK036301,X\n")
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "wijken_import")) == 1
