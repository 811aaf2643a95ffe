"""Pemkot Blitar's perangkat daerah: the reference load and the agencies API."""

import csv
from pathlib import Path

import pytest

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.agencies.models import Agency
from kotacerdas.regions.actions import regions_load_reference

CSV_ROWS = list(csv.DictReader(
    (Path(__file__).resolve().parents[2] / "data" / "agencies.csv").read_text().splitlines()
))


@pytest.fixture
def reference(db):
    regions_load_reference()
    agencies_load_reference()


def test_csv_has_31_agencies():
    assert len(CSV_ROWS) == 31


def test_reference_loads_the_31_opd_and_21_kelurahan_offices(reference):
    assert Agency.objects.count() == 31 + 21
    assert Agency.objects.filter(kind=Agency.Kind.KELURAHAN).count() == 21
    assert set(Agency.objects.values_list("code", flat=True)) >= {row["code"] for row in CSV_ROWS}


def test_reference_rows_match_the_csv(reference):
    for row in CSV_ROWS:
        agency = Agency.objects.get(code=row["code"])
        assert (agency.short_name, agency.name, agency.kind) == (row["short_name"], row["name"], row["kind"])


def test_kecamatan_and_kelurahan_offices_point_at_their_region(reference):
    kecamatan = Agency.objects.get(code="kec-sananwetan")
    sentul = Agency.objects.get(code="kel-3572011003")

    assert kecamatan.region.code == "35.72.03"
    assert sentul.name == "Kelurahan Sentul"
    assert sentul.short_name == "Kel. Sentul"
    assert sentul.region.code == "35.72.01.1003"
    assert Agency.objects.get(code="dispendukcapil").region is None


def test_loading_twice_changes_nothing(reference):
    before = list(Agency.objects.order_by("code").values())

    added = agencies_load_reference()

    assert added == 0
    assert list(Agency.objects.order_by("code").values()) == before


def test_loading_again_keeps_a_name_an_admin_corrected(personas, staff_client):
    regions_load_reference()
    agencies_load_reference()
    dinkes = Agency.objects.get(code="dinkes")
    client = staff_client(personas.admin)

    response = client.post(f"/admin/agencies/agency/{dinkes.pk}/change/", {
        "code": "dinkes", "name": "Dinas Kesehatan Kota Blitar (nama resmi)", "short_name": "Dinkes",
        "kind": "dinas", "region": "", "email": "", "phone": "", "address": "", "is_active": "on",
    })
    assert response.status_code == 302, response.content
    added = agencies_load_reference()

    assert added == 0
    assert Agency.objects.get(code="dinkes").name == "Dinas Kesehatan Kota Blitar (nama resmi)"


def test_api_lists_agencies_with_code_name_short_name_and_kind(client, reference):
    response = client.get("/api/v1/agencies")

    assert response.status_code == 200
    items = response.json()
    assert len(items) == 52
    assert {"code": "dispendukcapil", "name": "Dinas Kependudukan dan Pencatatan Sipil",
            "short_name": "Dispendukcapil", "kind": "dinas"} in items
    assert all(set(item) == {"code", "name", "short_name", "kind"} for item in items)


def test_api_leaves_out_inactive_agencies(client, reference):
    Agency.objects.filter(code="setwan").update(is_active=False)

    codes = {item["code"] for item in client.get("/api/v1/agencies").json()}

    assert "setwan" not in codes
    assert "setda" in codes


def test_api_agency_list_is_one_query(client, reference, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/api/v1/agencies")
