"""Area import from real-world layouts: every format and CRS, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import shapely
from sqlalchemy import select

from signals.db.models import Gemeente, Wijk
from signals.db.uow import read_session, run_write
from signals.errors import ValidationError
from signals.services.actor import SYSTEM_ACTOR
from signals.services.area_codes import ColumnChoice
from signals.services.wijken import ImportOptions, import_wijken, plan_wijk_import
from tests.integration.geofiles import (
    AMSTERDAM_RD,
    ANTWERP_L72,
    centre,
    geojson_bytes,
    geopackage,
    shapefile_zip,
    squares,
    to_wgs84,
    topojson_bytes,
)

AMSTERDAM = {"WK_CODE": ["WK0363AA", "WK0363AB", "WK0363AC"],
             "WK_NAAM": ["Burgwallen-Oude Zijde", "Burgwallen-Nieuwe Zijde", "Grachtengordel"],
             "GM_CODE": ["GM0363"] * 3, "GM_NAAM": ["Amsterdam"] * 3}


def _import(engine, name: str, data: bytes, retire=(), **options):
    return run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, name, data,
                                                     ImportOptions(**options), retire))


def _plan(engine, name: str, data: bytes, **options):
    with read_session(engine) as session:
        return plan_wijk_import(session, SYSTEM_ACTOR, name, data, ImportOptions(**options))


def _stored(engine) -> dict[str, tuple[str, str | None, dict | None, bool]]:
    with read_session(engine) as session:
        return {w.code: (w.name, w.gemeente.code if w.gemeente else None, w.geometry,
                         w.retired_at is not None) for w in session.scalars(select(Wijk))}


def _in_amsterdam(geometry: dict) -> bool:
    lon, lat = centre(geometry)
    return 4.85 < lon < 4.95 and 52.35 < lat < 52.40


def _in_antwerp(geometry: dict) -> bool:
    lon, lat = centre(geometry)
    return 4.35 < lon < 4.45 and 51.18 < lat < 51.25


def test_national_cbs_geojson_with_alphanumeric_codes_in_rd_new(engine) -> None:
    data = geojson_bytes(AMSTERDAM, squares(AMSTERDAM_RD, 3, 500),
                         "urn:ogc:def:crs:EPSG::28992")
    result = _import(engine, "wijkenbuurten_2025.geojson", data)
    assert result.created == 3
    assert "Coördinatenstelsel: RD New (EPSG:28992)" in result.notes
    name, gemeente, geometry, _ = _stored(engine)["WK0363AA"]
    assert (name, gemeente) == ("Burgwallen-Oude Zijde", "GM0363")
    assert _in_amsterdam(geometry)
    with read_session(engine) as session:
        assert session.scalar(select(Gemeente.name).where(Gemeente.code == "GM0363")) == \
            "Amsterdam"


def test_undeclared_rd_coordinates_are_assumed_rd_new_and_said_so(engine) -> None:
    data = geojson_bytes(AMSTERDAM, squares(AMSTERDAM_RD, 3, 500), None)
    result = _import(engine, "wijken.geojson", data)
    assert "Coördinatenstelsel: aangenomen: RD New (EPSG:28992)" in result.notes
    assert _in_amsterdam(_stored(engine)["WK0363AB"][2])


def test_pdok_keys_in_wgs84_are_matched_case_insensitively(engine) -> None:
    fields = {"wijkCode": ["WK0599AA", "WK0599AB"], "wijkNaam": ["Centrum", "Noord"],
              "gemeenteCode": ["GM0599"] * 2}
    geoms = to_wgs84(squares((92_000.0, 437_000.0), 2, 400), "EPSG:28992")
    _import(engine, "pdok.json", geojson_bytes(fields, geoms, None))
    assert _stored(engine)["WK0599AB"][:2] == ("Noord", "GM0599")


def test_zipped_shapefile_in_a_folder_with_its_prj(engine, tmp_path: Path) -> None:
    data = shapefile_zip(tmp_path, AMSTERDAM, squares(AMSTERDAM_RD, 3, 500), "EPSG:28992")
    result = _import(engine, "wijken_shape.zip", data)
    assert result.created == 3
    assert all(_in_amsterdam(g) for _, _, g, _ in _stored(engine).values())


def test_geopackage_needs_a_layer_choice_when_it_has_several(engine, tmp_path: Path) -> None:
    buurten = {"BU_CODE": ["BU0363AA01", "BU0363AA02"], "BU_NAAM": ["Kop", "Staart"],
               "GM_CODE": ["GM0363"] * 2}
    data = geopackage(tmp_path, {
        "wijken": (AMSTERDAM, squares(AMSTERDAM_RD, 3, 500)),
        "buurten": (buurten, squares(AMSTERDAM_RD, 2, 250))}, "EPSG:28992")
    with pytest.raises(ValidationError) as caught:
        _import(engine, "wijkbuurtkaart.gpkg", data)
    assert "wijken, buurten" in str(caught.value) and "--laag" in str(caught.value)
    assert _stored(engine) == {}
    _import(engine, "wijkbuurtkaart.gpkg", data, layer="buurten")
    assert set(_stored(engine)) == {"BU0363AA01", "BU0363AA02"}


def test_topojson_with_statcode_statnaam(engine) -> None:
    fields = {"statcode": ["WK0518AA", "WK0518AB"], "statnaam": ["Centrum", "Zuid"]}
    geoms = to_wgs84(squares((81_000.0, 455_000.0), 2, 400), "EPSG:28992")
    _import(engine, "cbs.topojson", topojson_bytes("wijken", fields, geoms))
    stored = _stored(engine)
    assert stored["WK0518AA"][1] == "GM0518"
    lon, lat = centre(stored["WK0518AA"][2])
    assert 4.2 < lon < 4.4 and 52.0 < lat < 52.1  # The Hague


@pytest.mark.parametrize("crs, origin", [
    ("EPSG:31370", ANTWERP_L72),
    ("EPSG:3812", (652_000.0, 712_000.0)),  # Lambert 2008 is Lambert 72 + (500 km, 500 km)
])
def test_statbel_sectors_in_belgian_lambert_land_in_antwerp(engine, crs: str,
                                                            origin) -> None:
    fields = {"CD_SECTOR": ["11002A00-", "11002A01-"],
              "TX_SECTOR_DESCR_NL": ["Antwerpen-Centrum", "Schipperskwartier"],
              "CD_MUNTY_REFNIS": [11002, 11002], "TX_MUNTY_DESCR_NL": ["Antwerpen"] * 2}
    data = geojson_bytes(fields, squares(origin, 2, 500), f"urn:ogc:def:crs:EPSG::{crs[5:]}")
    _import(engine, "sh_statbel.geojson", data)
    name, gemeente, geometry, _ = _stored(engine)["11002A00-"]
    assert (name, gemeente) == ("Antwerpen-Centrum", "11002")
    assert _in_antwerp(geometry)


def test_undeclared_lambert_coordinates_are_refused_with_a_crs_hint(engine) -> None:
    fields = {"code": ["ANT01", "ANT02"], "naam": ["Centrum", "Noord"]}
    data = geojson_bytes(fields, squares(ANTWERP_L72, 2, 500), None)
    with pytest.raises(ValidationError) as caught:
        _import(engine, "wijken.geojson", data, gemeente="11002")
    assert "--crs EPSG:31370" in str(caught.value)
    assert _stored(engine) == {}
    _import(engine, "wijken.geojson", data, gemeente="11002", crs="EPSG:31370")
    assert _in_antwerp(_stored(engine)["ANT01"][2])


def test_own_flemish_codes_need_a_gemeente_and_get_it_from_the_option(engine) -> None:
    data = b"code;naam\n44021W01;Binnenstad\n44021W02;Sint-Amandsberg\n"
    with pytest.raises(ValidationError) as caught:
        _import(engine, "gent.csv", data)
    assert "gemeente onbekend" in str(caught.value)
    result = _import(engine, "gent.csv", data, gemeente="44021")
    assert any("Alle 2 gebieden horen bij gemeente 44021" in n for n in result.notes)
    assert _stored(engine)["44021W01"][1] == "44021"


def test_gemeente_filter_by_code_prefix_says_what_it_did(engine) -> None:
    fields = {"wk_code": ["WK0363AA", "WK0599AA"], "wk_naam": ["A", "B"]}
    data = geojson_bytes(fields, to_wgs84(squares(AMSTERDAM_RD, 2, 500), "EPSG:28992"),
                         None)
    result = _import(engine, "nl.geojson", data, gemeente="GM0599")
    assert "Alleen gemeente GM0599: 1 van 2 gebieden (herkend aan het begin van de " \
           "gebiedscode)." in result.notes
    assert set(_stored(engine)) == {"WK0599AA"}
    with pytest.raises(ValidationError) as caught:
        _import(engine, "nl.geojson", data, gemeente="GM0518")
    assert "geen gebieden van gemeente GM0518" in str(caught.value)
    assert "GM0363, GM0599" in str(caught.value)


def test_unknown_layout_lists_columns_and_a_chosen_mapping_imports(engine) -> None:
    fields = {"Sleutel": ["N01", "N02"], "Omschrijving": ["Noord", "Zuid"],
              "Gem": ["GM0363", "GM0363"]}
    data = geojson_bytes(fields, to_wgs84(squares(AMSTERDAM_RD, 2, 500), "EPSG:28992"),
                         None)
    with pytest.raises(ValidationError) as caught:
        _import(engine, "eigen.geojson", data)
    assert "gevonden kolommen: Sleutel, Omschrijving, Gem" in str(caught.value)
    _import(engine, "eigen.geojson", data,
            columns=ColumnChoice("sleutel", "OMSCHRIJVING", "gem"))
    assert _stored(engine)["N01"][:2] == ("Noord", "GM0363")


@pytest.mark.parametrize("name, data, expected", [
    ("w.geojson", b"{kapot", "geen leesbare GeoJSON"),
    ("w.zip", b"PK\x03\x04rommel", "zip"),
    ("w.gpkg", b"SQLite format 3\x00" + b"\x00" * 100, "geen leesbare GeoPackage"),
    ("w.shp", b"\x00\x00\x27\x0a", "los .shp-bestand"),
])
def test_broken_files_get_a_specific_dutch_error(engine, name, data, expected) -> None:
    with pytest.raises(ValidationError) as caught:
        _import(engine, name, data)
    assert expected in str(caught.value)
    assert _stored(engine) == {}


def test_a_zip_bomb_is_refused_before_unpacking(engine) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("w.shp", b"\x00" * 50_000_000)
        archive.writestr("w.shx", b"")
        archive.writestr("w.dbf", b"")
    with pytest.raises(ValidationError) as caught:
        _import(engine, "bom.zip", buffer.getvalue())
    assert "onredelijk grote omvang" in str(caught.value)


def test_points_are_refused_per_feature(engine) -> None:
    fields = {"code": ["A1"], "naam": ["Punt"]}
    data = geojson_bytes(fields, [shapely.Point(5.0, 52.0)], None)
    with pytest.raises(ValidationError) as caught:
        _import(engine, "p.geojson", data, gemeente="GM0363")
    assert "Point is geen vlak" in str(caught.value)


def test_simplified_shapes_keep_their_shared_border(engine) -> None:
    wobbly = shapely.Polygon([(121_000 + i * 10, 487_000 + (i % 2) * 0.5)
                              for i in range(101)] + [(122_000, 488_000), (121_000, 488_000)])
    above = shapely.box(121_000, 488_000, 122_000, 489_000)
    below = shapely.box(121_000, 486_000, 122_000, 487_200).difference(wobbly)
    fields = {"wk_code": ["WK0363AA", "WK0363AB", "WK0363AC"], "wk_naam": ["A", "B", "C"]}
    _import(engine, "w.geojson", geojson_bytes(fields, [wobbly, above, below], "EPSG:28992"))
    shapes = [shapely.geometry.shape(g) for _, _, g, _ in _stored(engine).values()]
    assert shapely.get_num_coordinates(shapes[0]) < 50  # the 0.5 m wobble is gone
    overlap = shapes[0].intersection(shapes[2]).area
    assert overlap < 1e-9  # no slivers where the two shared a border


def test_yearly_update_shows_the_diff_and_retires_what_is_chosen(engine) -> None:
    geoms = squares(AMSTERDAM_RD, 3, 500)
    _import(engine, "2024.geojson", geojson_bytes(AMSTERDAM, geoms, "EPSG:28992"))
    next_year = {"WK_CODE": ["WK0363AA", "WK0363AB", "WK0363AD"],
                 "WK_NAAM": ["Burgwallen-Oude Zijde", "Nieuwe Zijde", "Nieuw"],
                 "GM_CODE": ["GM0363"] * 3}
    moved = [geoms[0], shapely.box(121_500, 487_000, 122_000, 487_700), geoms[2]]
    data = geojson_bytes(next_year, moved, "EPSG:28992")
    plan = _plan(engine, "2025.geojson", data)
    assert plan.new == ["WK0363AD"]
    assert plan.renamed == [("WK0363AB", "Burgwallen-Nieuwe Zijde", "Nieuwe Zijde")]
    assert plan.reshaped == ["WK0363AB"]
    assert plan.missing == [("WK0363AC", "Grachtengordel")]
    with pytest.raises(ValidationError):
        _import(engine, "2025.geojson", data, retire=["WK0363AA"])  # not missing
    assert _stored(engine)["WK0363AB"][0] == "Burgwallen-Nieuwe Zijde"  # nothing stored
    result = _import(engine, "2025.geojson", data, retire=["WK0363AC"])
    assert (result.created, result.retired) == (1, 1)
    assert _stored(engine)["WK0363AC"][3] is True


def test_columns_are_listed_before_a_crs_is_chosen() -> None:
    from signals.services.wijk_files import file_columns

    data = geojson_bytes({"Sleutel": ["A"], "Omschrijving": ["B"]},
                         squares(ANTWERP_L72, 1, 500), None)
    assert file_columns("w.geojson", data, ImportOptions()) == ["Sleutel", "Omschrijving"]
