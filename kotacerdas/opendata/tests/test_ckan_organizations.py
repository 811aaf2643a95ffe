"""Organizations (agencies, the Produsen Data), groups (topics) and tags through the API."""

import re
import uuid

import pytest

from kotacerdas.agencies.models import Agency
from kotacerdas.opendata.ckan.dictize import organization_id
from kotacerdas.opendata.tests.ckan_setup import call, result

pytest_plugins = ["kotacerdas.opendata.tests.ckan_setup"]  # catalogue, partner_key, ...

CKAN_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")


@pytest.mark.django_db
def test_organization_list_names_sorted_by_title(client, catalogue):
    assert result(call(client, "organization_list")) == ["dispendukcapil", "diskominfotik", "dpupr"]
    assert result(call(client, "organization_list", {"sort": "name desc"})) == [
        "dpupr", "dispendukcapil", "diskominfotik"]
    assert result(call(client, "organization_list", {"sort": "package_count desc", "limit": 1})) == ["dpupr"]
    assert result(call(client, "organization_list", {"limit": 1, "offset": 1})) == ["diskominfotik"]
    assert result(call(client, "organization_list", {"q": "pekerjaan"})) == ["dpupr"]
    assert result(call(client, "organization_list", {"organizations": ["dpupr", "diskominfotik"]})) == [
        "diskominfotik", "dpupr"]


@pytest.mark.django_db
def test_organization_list_all_fields(client, catalogue):
    organizations = result(call(client, "organization_list", {"all_fields": True}))
    dukcapil = organizations[0]
    assert dukcapil["name"] == "dispendukcapil" and dukcapil["id"] == organization_id("dispendukcapil")
    assert uuid.UUID(dukcapil["id"]).version == 5
    assert dukcapil["title"] == dukcapil["display_name"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert dukcapil["is_organization"] is True and dukcapil["state"] == "active"
    assert dukcapil["package_count"] == 1  # the private one is not counted for anonymous callers
    assert "users" not in dukcapil
    without = result(call(client, "organization_list", {"all_fields": True, "include_dataset_count": False}))
    assert "package_count" not in without[0]


@pytest.mark.django_db
def test_organization_list_is_not_cut_at_ckans_25(client, catalogue):
    Agency.objects.bulk_create([
        Agency(code=f"kelurahan-{number:02}", name=f"Kelurahan {number:02}", short_name=f"K{number}",
               kind="kelurahan") for number in range(30)
    ])
    assert len(result(call(client, "organization_list", {"all_fields": True}))) == 33


@pytest.mark.django_db
def test_partner_sees_private_datasets_counted(client, catalogue, partner_key):
    organizations = result(call(client, "organization_list", {"all_fields": True}, token=partner_key))
    assert organizations[0]["package_count"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["dpupr", "by-id"])
def test_organization_show_by_name_or_id(client, catalogue, key):
    key = organization_id("dpupr") if key == "by-id" else key
    organization = result(call(client, "organization_show", {"id": key}))
    assert organization["name"] == "dpupr" and organization["package_count"] == 2
    assert organization["users"] == []
    assert {"key": "singkatan", "value": "DPUPR"} in organization["extras"]
    assert "packages" not in organization


@pytest.mark.django_db
def test_organization_show_with_datasets_has_full_package_dicts(client, catalogue):
    data = {"id": "dispendukcapil", "include_datasets": True}
    organization = result(call(client, "organization_show", data))
    assert [package["name"] for package in organization["packages"]] == ["jumlah-penduduk-kota-blitar"]
    assert organization["packages"][0]["resources"]


@pytest.mark.django_db
def test_organization_show_private_datasets_only_for_partners(client, catalogue, partner_key):
    data = {"id": "dispendukcapil", "include_datasets": True}
    organization = result(call(client, "organization_show", data, token=partner_key))
    assert sorted(p["name"] for p in organization["packages"]) == [
        "jumlah-penduduk-kota-blitar", "penduduk-miskin"]


@pytest.mark.django_db
def test_organization_show_of_a_group_is_404_and_vice_versa(client, catalogue):
    assert call(client, "organization_show", {"id": "smart-society"}).status_code == 404
    assert call(client, "group_show", {"id": "dpupr"}).status_code == 404
    assert call(client, "group_show", {"id": organization_id("dpupr")}).status_code == 404


@pytest.mark.django_db
def test_group_list_and_show(client, catalogue):
    assert result(call(client, "group_list")) == ["smart-environment", "smart-governance", "smart-society"]
    groups = result(call(client, "group_list", {"all_fields": True, "sort": "name desc"}))
    society = groups[0]
    assert society["name"] == "smart-society" and society["id"] == str(catalogue.society.id)
    assert society["is_organization"] is False and society["type"] == "group"
    assert society["package_count"] == 1 and CKAN_TIME.match(society["created"])
    shown = result(call(client, "group_show", {"id": str(catalogue.governance.id), "include_datasets": True}))
    assert shown["name"] == "smart-governance"
    assert [package["name"] for package in shown["packages"]] == ["panjang-jalan"]
    assert result(call(client, "group_list", {"q": "environment"})) == ["smart-environment"]
    assert result(call(client, "group_list", {"groups": ["smart-society"]})) == ["smart-society"]


@pytest.mark.django_db
def test_bad_list_sort_is_a_validation_error(client, catalogue):
    response = call(client, "group_list", {"sort": "popularity"})
    assert response.status_code == 409
    assert "sort" in response.json()["error"]


@pytest.mark.django_db
def test_tag_list(client, catalogue):
    assert result(call(client, "tag_list")) == ["jalan", "jembatan", "kependudukan", "penduduk"]
    assert result(call(client, "tag_list", {"query": "JEM"})) == ["jembatan"]
    assert result(call(client, "tag_list", {"q": "pend"})) == ["kependudukan", "penduduk"]
    tags = result(call(client, "tag_list", {"all_fields": "true", "query": "jalan"}))
    assert tags[0]["name"] == "jalan" and uuid.UUID(tags[0]["id"])
    response = call(client, "tag_list", {"vocabulary_id": "negara"})
    assert response.status_code == 404
