"""Kota Blitar's wilayah: the reference load, point location and the regions API."""

import csv
from pathlib import Path

import pytest

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.portal.demo import demo_load
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import locate

DATA = Path(__file__).resolve().parents[2] / "data"
ROWS = list(csv.DictReader((DATA / "blitar_wilayah.csv").read_text().splitlines()))
KELURAHAN_ROWS = [row for row in ROWS if row["level"] == "kelurahan"]


@pytest.fixture
def wilayah(db):
    regions_load_reference()


def test_reference_has_one_kota_three_kecamatan_and_21_kelurahan(wilayah):
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level.values}

    assert counts == {"kota": 1, "kecamatan": 3, "kelurahan": 21, "rw": 0, "rt": 0}


@pytest.mark.parametrize(
    ("code", "name", "parent_code", "postcode"),
    [
        ("35.72.01.1003", "Sentul", "35.72.01", "66113"),
        ("35.72.03.1007", "Bendogerit", "35.72.03", "66133"),
        ("35.72.02.1001", "Pakunden", "35.72.02", "66122"),
        ("35.72.01.1001", "Kepanjenkidul", "35.72.01", "66117"),
    ],
)
def test_kelurahan_carry_official_codes_parents_and_postcodes(wilayah, code, name, parent_code, postcode):
    kelurahan = Region.objects.get(code=code)

    assert kelurahan.name == name
    assert kelurahan.level == Region.Level.KELURAHAN
    assert kelurahan.parent.code == parent_code
    assert kelurahan.postcode == postcode
    assert kelurahan.boundary["type"] in {"Polygon", "MultiPolygon"}
    assert not kelurahan.is_demo


def test_kecamatan_hang_under_the_kota(wilayah):
    kecamatan = Region.objects.filter(level=Region.Level.KECAMATAN).order_by("code")

    assert [(k.code, k.name) for k in kecamatan] == [
        ("35.72.01", "Kepanjenkidul"), ("35.72.02", "Sukorejo"), ("35.72.03", "Sananwetan")
    ]
    assert {k.parent.code for k in kecamatan} == {"35.72"}
    assert Region.objects.get(level=Region.Level.KOTA).parent is None


def test_every_kelurahan_has_a_postcode_of_kota_blitar(wilayah):
    postcodes = Region.objects.filter(level=Region.Level.KELURAHAN).values_list("postcode", flat=True)

    assert all(p.startswith("661") and len(p) == 5 for p in postcodes)


def test_loading_twice_changes_nothing(wilayah):
    before = list(Region.objects.order_by("code").values())

    added = regions_load_reference()

    assert added == 0
    assert list(Region.objects.order_by("code").values()) == before


def test_loading_again_keeps_an_admins_rename(wilayah):
    Region.objects.filter(code="35.72.01.1003").update(name="Sentul (ejaan lokal)")

    regions_load_reference()

    assert Region.objects.get(code="35.72.01.1003").name == "Sentul (ejaan lokal)"


# All 21 centroids in blitar_wilayah.csv lie inside their own kelurahan's polygon.
@pytest.mark.parametrize("row", KELURAHAN_ROWS, ids=[r["nama"] for r in KELURAHAN_ROWS])
def test_locate_finds_the_kelurahan_of_its_centroid(wilayah, row):
    found = locate(float(row["lat_centroid"]), float(row["lng_centroid"]))

    assert found is not None
    assert found.code == row["kode"]


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Wlingi, Kabupaten Blitar", -8.08, 112.31),
        ("Surabaya", -7.2575, 112.7521),
        ("Kabupaten Blitar, 1.7 km south of the city boundary", -8.150, 112.170),
    ],
)
def test_locate_returns_none_outside_the_city(wilayah, place, lat, lon):
    assert locate(lat, lon) is None, place


def test_locate_returns_none_before_any_boundaries_are_loaded(db):
    assert locate(-8.075304, 112.18493) is None


# --- API --------------------------------------------------------------------------------


def test_api_lists_21_kelurahan_under_their_kecamatan(client, wilayah):
    response = client.get("/api/v1/regions?level=kelurahan")

    assert response.status_code == 200
    items = response.json()
    assert len(items) == 21
    assert set(items[0]) == {"code", "name", "level", "parent_code"}
    assert {"code": "35.72.01.1003", "name": "Sentul", "level": "kelurahan",
            "parent_code": "35.72.01"} in items
    for item in items:
        assert item["level"] == "kelurahan"
        assert item["code"].startswith(item["parent_code"] + ".")
        assert item["parent_code"] in {"35.72.01", "35.72.02", "35.72.03"}


def test_api_lists_kelurahan_when_no_level_is_given(client, wilayah):
    assert len(client.get("/api/v1/regions").json()) == 21


def test_api_lists_three_kecamatan(client, wilayah):
    items = client.get("/api/v1/regions?level=kecamatan").json()

    assert [i["code"] for i in items] == ["35.72.01", "35.72.02", "35.72.03"]
    assert {i["parent_code"] for i in items} == {"35.72"}


def test_api_refuses_an_unknown_level_with_422(client, wilayah):
    response = client.get("/api/v1/regions?level=provinsi")

    assert response.status_code == 422
    assert "detail" in response.json()


def test_api_region_list_costs_the_same_queries_for_any_level(client, wilayah, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/api/v1/regions?level=kecamatan")
    with django_assert_num_queries(1):
        client.get("/api/v1/regions?level=kelurahan")


# --- demo RW/RT -------------------------------------------------------------------------


def test_demo_rw_and_rt_are_marked_as_demo_and_hang_under_kelurahan(wilayah):
    agencies_load_reference()

    demo_load()

    rw = Region.objects.filter(level=Region.Level.RW)
    rt = Region.objects.filter(level=Region.Level.RT)
    assert rw.exists() and rt.exists()
    assert not rw.filter(is_demo=False).exists()
    assert not rt.filter(is_demo=False).exists()
    assert not rw.exclude(parent__level=Region.Level.KELURAHAN).exists()
    assert not rt.exclude(parent__level=Region.Level.RW).exists()
    assert Region.objects.filter(code="35.72.01.1003.RW01.RT001", is_demo=True).exists()
    assert not Region.objects.filter(level__in=["kota", "kecamatan", "kelurahan"], is_demo=True).exists()
