"""GET /api/v1/regions/boundaries.geojson: the kelurahan polygons every portal map draws."""

import csv
from pathlib import Path

import pytest

from kotacerdas.lib.geo import geometry_contains
from kotacerdas.regions.actions import regions_load_reference

URL = "/api/v1/regions/boundaries.geojson"
DATA = Path(__file__).resolve().parents[2] / "data"
KELURAHAN_ROWS = [
    row for row in csv.DictReader((DATA / "blitar_wilayah.csv").read_text().splitlines())
    if row["level"] == "kelurahan"
]
KECAMATAN_NAMES = {"35.72.01": "Kepanjenkidul", "35.72.02": "Sukorejo", "35.72.03": "Sananwetan"}
# Kota Blitar with a margin of about a kilometre; a [lat, lng] mix-up lands far outside.
CITY_BOX = {"min_lon": 112.12, "max_lon": 112.22, "min_lat": -8.14, "max_lat": -8.03}


@pytest.fixture
def wilayah(db):
    regions_load_reference()


@pytest.fixture
def collection(client, wilayah):
    return client.get(URL).json()


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def test_boundaries_are_a_feature_collection_of_the_21_kelurahan(collection):
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 21
    assert {f["properties"]["code"] for f in collection["features"]} == {r["kode"] for r in KELURAHAN_ROWS}


@pytest.mark.parametrize("row", KELURAHAN_ROWS, ids=[r["nama"] for r in KELURAHAN_ROWS])
def test_each_kelurahan_carries_its_code_name_and_kecamatan(collection, row):
    feature = next(f for f in collection["features"] if f["properties"]["code"] == row["kode"])

    assert feature["type"] == "Feature"
    assert feature["properties"] == {
        "code": row["kode"], "name": row["nama"], "kecamatan": KECAMATAN_NAMES[row["kode_kecamatan"]]
    }


def test_every_geometry_is_a_closed_polygon_inside_kota_blitar(collection):
    for feature in collection["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] in {"Polygon", "MultiPolygon"}, feature["properties"]["name"]
        for ring in _rings(geometry):
            assert len(ring) >= 4 and ring[0] == ring[-1], feature["properties"]["name"]
            for lon, lat in ring:
                assert CITY_BOX["min_lon"] <= lon <= CITY_BOX["max_lon"]
                assert CITY_BOX["min_lat"] <= lat <= CITY_BOX["max_lat"]


def test_coordinates_are_longitude_first_as_rfc_7946_says(collection):
    # Each kelurahan's published centroid lies inside its polygon only if [lng, lat] is right.
    by_code = {f["properties"]["code"]: f["geometry"] for f in collection["features"]}
    for row in KELURAHAN_ROWS:
        lon, lat = float(row["lng_centroid"]), float(row["lat_centroid"])
        assert geometry_contains(by_code[row["kode"]], lon, lat), row["nama"]


def test_boundaries_keep_the_data_attribution(collection):
    assert "cahyadsn/wilayah_boundaries" in collection["attribution"]
    assert "MIT" in collection["attribution"]
    assert "Cahya DSN" in collection["attribution"]


def test_boundaries_are_cached_publicly_for_a_day(client, wilayah):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["Content-Type"] == "application/geo+json"


def test_boundaries_need_no_login(client, wilayah):
    client.logout()

    assert client.get(URL).status_code == 200


def test_boundaries_hold_only_region_fields_and_no_personal_data(client, wilayah, personas):
    response = client.get(URL)
    body, collection = response.content.decode(), response.json()

    assert set(collection) == {"type", "attribution", "features"}
    for feature in collection["features"]:
        assert set(feature) == {"type", "properties", "geometry"}
        assert set(feature["properties"]) == {"code", "name", "kecamatan"}
    for person in (personas.alice, personas.bob, personas.operator):
        assert person.email not in body
        assert person.name not in body
    assert "3572034506900001" not in body  # Alice's NIK
    assert "81200000001" not in body  # Alice's phone


def test_boundaries_cost_one_query(client, wilayah, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(URL)


def test_boundaries_are_empty_before_the_reference_data_is_loaded(client, db):
    collection = client.get(URL).json()

    assert collection["type"] == "FeatureCollection"
    assert collection["features"] == []
