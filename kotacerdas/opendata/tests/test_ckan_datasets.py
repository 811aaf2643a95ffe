"""Datasets through package_show, package_list, package_search and friends: the formats
other CKANs enforce on import, who sees what, search and its query budget."""

import re
import uuid
from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from kotacerdas.opendata.actions import dataset_set_private, dataset_submit, dataset_update, resource_add
from kotacerdas.opendata.ckan.dictize import organization_id
from kotacerdas.opendata.models import Dataset
from kotacerdas.opendata.tests.ckan_setup import ROOT_FIELDS, call, publish, result, upload_csv

pytest_plugins = ["kotacerdas.opendata.tests.ckan_setup"]  # catalogue, partner_key, ...

CKAN_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
TAG = re.compile(r"^[\w .-]{2,100}$")


def search(client, token=None, mode="json", **data):
    return result(call(client, "package_search", data, token=token, mode=mode))


def names(found) -> list[str]:
    return [dataset["name"] for dataset in found["results"]]


# -- formats ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_package_dict_has_ckans_fields_and_formats(client, catalogue):
    package = result(call(client, "package_show", {"id": "jumlah-penduduk-kota-blitar"}))
    assert set(package) >= ROOT_FIELDS
    assert str(uuid.UUID(package["id"])) == package["id"] == str(catalogue.penduduk.id)
    assert NAME.match(package["name"])
    assert package["type"] == "dataset" and package["state"] == "active" and package["private"] is False
    for stamp in (package["metadata_created"], package["metadata_modified"]):
        assert CKAN_TIME.match(stamp), stamp
    assert package["metadata_modified"] >= package["metadata_created"]
    assert package["license_id"] == "cc-by" and package["isopen"] is True
    assert package["license_title"] == "Creative Commons Attribution"
    assert package["num_resources"] == len(package["resources"]) == 2
    assert package["num_tags"] == 2
    assert [tag["name"] for tag in package["tags"]] == ["kependudukan", "penduduk"]
    for tag in package["tags"]:
        assert TAG.match(tag["name"]) and uuid.UUID(tag["id"])
        assert tag["vocabulary_id"] is None and tag["display_name"] == tag["name"]
    assert package["groups"] == [{
        "id": str(catalogue.society.id), "name": "smart-society", "title": "Smart Society",
        "display_name": "Smart Society", "description": "", "image_display_url": "",
    }]


@pytest.mark.django_db
def test_timestamps_are_naive_utc_with_microseconds(client, catalogue):
    moment = datetime(2026, 3, 1, 8, 0, 0, tzinfo=timezone.get_current_timezone())  # 08:00 WIB
    with time_machine.travel(moment, tick=False):
        dataset_update(actor=catalogue.jalan.created_by, dataset=catalogue.jalan, notes="Diperbarui.")
    package = result(call(client, "package_show", {"id": "panjang-jalan"}))
    assert package["metadata_modified"] == "2026-03-01T01:00:00.000000"


@pytest.mark.django_db
def test_organization_in_package_has_a_stable_uuid_and_code_name(client, catalogue, personas):
    package = result(call(client, "package_show", {"id": "panjang-jalan"}))
    organization = package["organization"]
    expected = str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL), "organization/dpupr"))
    assert organization["id"] == package["owner_org"] == expected == organization_id("dpupr")
    assert organization["name"] == "dpupr"
    assert organization["title"] == personas.dpupr.name
    assert organization["is_organization"] is True and organization["type"] == "organization"


@pytest.mark.django_db
def test_extras_carry_satu_data_fields_as_key_value_strings(client, catalogue):
    package = result(call(client, "package_show", {"id": "jumlah-penduduk-kota-blitar"}))
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert len(extras) == len(package["extras"])  # no key twice
    assert not set(extras) & ROOT_FIELDS  # CKAN's extra_key_not_in_root_schema
    for extra in package["extras"]:
        assert set(extra) == {"key", "value"} and isinstance(extra["value"], str)
    assert extras["konsep"] == "Penduduk adalah ..."
    assert extras["satuan"] == "jiwa" and extras["ukuran"] == "jumlah"
    assert extras["frekuensi"] == "tahunan" and extras["kode_wilayah"] == "35.72"
    assert extras["walidata"] == "Dinas Komunikasi, Informatika dan Statistik"
    assert "demo" not in extras
    demo = result(call(client, "package_show", {"id": "jembatan"}))
    assert {"key": "demo", "value": "true"} in demo["extras"]


@pytest.mark.django_db
def test_period_extras_are_iso_dates(client, catalogue):
    from datetime import date

    dataset_update(actor=catalogue.jalan.created_by, dataset=catalogue.jalan, period_start=date(2020, 1, 1),
                   period_end=date(2024, 12, 31))
    package = result(call(client, "package_show", {"id": "panjang-jalan"}))
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["periode_mulai"] == "2020-01-01" and extras["periode_selesai"] == "2024-12-31"


@pytest.mark.django_db
def test_no_personal_data_leaves(client, catalogue, personas):
    package = result(call(client, "package_show", {"id": "jumlah-penduduk-kota-blitar"}))
    text = str(package)
    for user in (personas.operator, personas.outsider):
        assert user.email not in text and user.name not in text
    assert package["author"] == package["maintainer"] == "Seksi Data Dispendukcapil"
    assert package["author_email"] == package["maintainer_email"] == "data@dukcapil.test"
    assert uuid.UUID(package["creator_user_id"]).version == 5
    assert str(personas.operator.pk) != package["creator_user_id"]


@pytest.mark.django_db
def test_resource_dicts_link_and_upload(client, catalogue, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = upload_csv(personas.operator, catalogue.penduduk)
    package = result(call(client, "package_show", {"id": "jumlah-penduduk-kota-blitar"}))
    by_id = {resource["id"]: resource for resource in package["resources"]}
    linked = by_id[str(catalogue.penduduk.resources.first().id)]
    assert linked["url"] == "https://data.example.go.id/jumlah-penduduk-kota-blitar/0.csv"
    assert linked["url_type"] is None and linked["datastore_active"] is False
    upload = by_id[str(uploaded.id)]
    assert upload["url"] == (f"http://localhost:8000/dataset/{catalogue.penduduk.id}/resource/{uploaded.id}"
                             f"/download/penduduk.csv")
    assert upload["url_type"] == "upload"
    assert upload["format"] == "CSV" and upload["size"] == uploaded.size
    assert upload["hash"].startswith("sha256:")
    assert upload["datastore_active"] is True
    assert upload["package_id"] == package["id"] and upload["position"] == 2
    for stamp in (upload["created"], upload["last_modified"], upload["metadata_modified"]):
        assert CKAN_TIME.match(stamp)
    shown = result(call(client, "resource_show", {"id": str(uploaded.id)}))
    assert shown == upload


@pytest.mark.django_db
def test_package_show_by_id_or_name(client, catalogue):
    by_name = result(call(client, "package_show", {"id": "jembatan"}))
    assert result(call(client, "package_show", {"id": by_name["id"]})) == by_name
    assert result(call(client, "package_show", {"name_or_id": "jembatan"})) == by_name


@pytest.mark.django_db
def test_search_results_are_as_complete_as_package_show(client, catalogue):
    # The CKAN harvester imports package_search results as they are (reference/ckan.md §4.1).
    found = search(client, rows=100)
    for package in found["results"]:
        assert package == result(call(client, "package_show", {"id": package["id"]}))


# -- privacy ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_sees_only_public_published_datasets(client, catalogue):
    public = ["jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert result(call(client, "package_list")) == public
    assert sorted(names(search(client, rows=100))) == public
    assert sorted(names(search(client, rows=100, include_private=True, include_drafts=True))) == public
    for hidden in ("penduduk-miskin", "draf-kelahiran"):
        assert call(client, "package_show", {"id": hidden}).status_code == 404
    assert call(client, "package_show", {"id": str(catalogue.miskin.id)}).status_code == 404
    resource = catalogue.miskin.resources.first()
    assert call(client, "resource_show", {"id": str(resource.id)}).status_code == 404


@pytest.mark.django_db
def test_partner_key_sees_private_data_only_when_asked(client, catalogue, partner_key):
    assert "penduduk-miskin" not in names(search(client, token=partner_key, rows=100))
    found = search(client, token=partner_key, rows=100, include_private=True)
    assert "penduduk-miskin" in names(found)
    everything = search(client, token=partner_key, rows=100, include_private=True, include_drafts=True)
    assert "draf-kelahiran" not in names(everything)
    shown = result(call(client, "package_show", {"id": "penduduk-miskin"}, token=partner_key))
    assert shown["private"] is True
    assert call(client, "package_show", {"id": "draf-kelahiran"}, token=partner_key).status_code == 404
    # package_list is CKAN's list of public datasets, whoever asks.
    assert "penduduk-miskin" not in result(call(client, "package_list", token=partner_key))


@pytest.mark.django_db
def test_staff_token_sees_its_own_agencys_drafts_when_asked(client, catalogue, operator_token, personas):
    assert "draf-kelahiran" not in names(search(client, token=operator_token, rows=100))
    found = search(client, token=operator_token, rows=100, include_drafts=True)
    assert "draf-kelahiran" in names(found)
    draft = next(p for p in found["results"] if p["name"] == "draf-kelahiran")
    assert draft["state"] == "draft"
    shown = result(call(client, "package_show", {"id": "draf-kelahiran"}, token=operator_token))
    assert shown["state"] == "draft"
    # A producer of another agency does not see it.
    from kotacerdas.accounts.actions import token_create

    other = token_create(user=personas.outsider)
    assert call(client, "package_show", {"id": "draf-kelahiran"}, token=other).status_code == 404
    assert "draf-kelahiran" not in names(search(client, token=other, rows=100, include_drafts=True))


@pytest.mark.django_db
def test_a_residents_token_gives_nothing_more(client, catalogue, personas):
    from kotacerdas.accounts.actions import token_create

    token = token_create(user=personas.alice)
    found = search(client, token=token, rows=100, include_private=True, include_drafts=True)
    assert sorted(names(found)) == ["jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]


@pytest.mark.django_db
def test_walidata_token_sees_submitted_data_and_private_data(client, catalogue, walidata, personas):
    from kotacerdas.accounts.actions import token_create

    dataset_submit(actor=personas.operator, dataset=_with_resource(catalogue.draf, personas.operator))
    token = token_create(user=walidata)
    found = names(search(client, token=token, rows=100, include_drafts=True, include_private=True))
    assert {"draf-kelahiran", "penduduk-miskin"} <= set(found)


def _with_resource(dataset, producer):
    resource_add(actor=producer, dataset=dataset, name="Tabel", url="https://data.example.go.id/x.json",
                 format="JSON")
    return dataset


@pytest.mark.django_db
def test_withdrawn_dataset_disappears(client, catalogue, personas):
    from kotacerdas.opendata.actions import dataset_withdraw

    dataset_withdraw(actor=personas.outsider, dataset=catalogue.jembatan, text="Data salah.")
    assert call(client, "package_show", {"id": "jembatan"}).status_code == 404
    assert "jembatan" not in names(search(client, rows=100))
    assert "jembatan" not in result(call(client, "package_list"))


@pytest.mark.django_db
def test_facets_and_tags_do_not_leak_private_or_draft_data(client, catalogue, personas):
    from kotacerdas.opendata.actions import dataset_create

    dataset_create(actor=personas.operator, agency=personas.dukcapil, name="draf-rahasia", title="Rahasia",
                   tags=["rahasia-internal"])
    found = search(client, **{"facet.field": ["tags"]})
    assert "rahasia-internal" not in found["facets"]["tags"]
    assert found["facets"]["tags"]["penduduk"] == 1  # the private and draft ones are not counted
    assert "rahasia-internal" not in result(call(client, "tag_list"))


# -- search ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_result_shape_and_default_rows(client, catalogue, personas, walidata):
    for number in range(12):
        publish(walidata, personas.outsider, personas.dpupr, f"ruas-jalan-{number:02}", f"Ruas {number}")
    found = search(client)
    assert set(found) == {"count", "facets", "results", "sort", "search_facets"}
    assert found["count"] == 15 and len(found["results"]) == 10
    assert found["sort"] == "score desc, metadata_modified desc"
    assert found["facets"] == {} and found["search_facets"] == {}


@pytest.mark.django_db
def test_q_words_and_relevance(client, catalogue):
    found = search(client, q="penduduk")
    assert names(found) == ["jumlah-penduduk-kota-blitar"]
    found = search(client, q="kota")  # in the title of two, and in jalan's title "Panjang Jalan Kota"
    assert found["count"] == 3
    assert search(client, q="tidakada")["count"] == 0
    assert search(client, q="*:*")["count"] == 3
    assert search(client, q="")["count"] == 3


@pytest.mark.django_db
def test_q_may_be_a_fielded_lucene_query(client, catalogue):
    # ckanapi README's example of a fielded q.
    found = search(client, q="+organization:dpupr +res_format:GeoJSON +tags:jembatan")
    assert names(found) == ["jembatan"]
    assert names(search(client, q="tags:jalan -name:jembatan")) == ["panjang-jalan"]


@pytest.mark.django_db
def test_fq_fields(client, catalogue):
    def fq(query, **extra):
        return sorted(names(search(client, fq=query, rows=100, **extra)))

    assert fq("organization:dispendukcapil") == ["jumlah-penduduk-kota-blitar"]
    assert fq(f"owner_org:{organization_id('dpupr')}") == ["jembatan", "panjang-jalan"]
    assert fq(f"organization:{organization_id('dpupr')}") == ["jembatan", "panjang-jalan"]
    assert fq("organization:dispendukcapil OR organization:dpupr") == [
        "jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert fq("-organization:dpupr") == ["jumlah-penduduk-kota-blitar"]
    assert fq("groups:smart-governance") == ["panjang-jalan"]
    assert fq(f"groups:{catalogue.society.id}") == ["jumlah-penduduk-kota-blitar"]
    assert fq("groups:(smart-society OR smart-environment)") == [
        "jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert fq("groups:smart-governance groups:smart-environment") == ["panjang-jalan"]
    assert fq("-groups:smart-governance") == ["jembatan", "jumlah-penduduk-kota-blitar"]
    assert fq("tags:jalan") == ["jembatan", "panjang-jalan"]
    assert fq('tags:"jalan" AND tags:jembatan') == ["jembatan"]
    assert fq("tags:penduduk OR tags:jembatan") == ["jembatan", "jumlah-penduduk-kota-blitar"]
    assert fq("res_format:csv") == ["jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert fq("res_format:CSV res_format:JSON") == ["jumlah-penduduk-kota-blitar"]
    assert fq("-res_format:CSV") == ["jembatan"]
    assert fq("license_id:cc-by") == ["jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert fq("name:jembatan") == ["jembatan"]
    assert fq(f"id:{catalogue.jalan.id}") == ["panjang-jalan"]
    assert fq("+dataset_type:dataset -dataset_type:harvest") == [
        "jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert fq("dataset_type:harvest") == []
    assert fq("capacity:public") == ["jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert fq("state:active") == ["jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]
    assert fq("title:jembatan") == ["jembatan"]
    assert fq("tags:jalan", fq_list=["organization:dpupr", "-tags:jembatan"]) == ["panjang-jalan"]


@pytest.mark.django_db
def test_fq_capacity_private_with_a_partner_key(client, catalogue, partner_key):
    found = search(client, token=partner_key, fq="capacity:private", include_private=True)
    assert names(found) == ["penduduk-miskin"]


@pytest.mark.django_db
def test_metadata_modified_and_created_ranges(client, catalogue, personas):
    with time_machine.travel(datetime(2026, 1, 10, 12, tzinfo=timezone.get_current_timezone()), tick=False):
        dataset_update(actor=personas.outsider, dataset=catalogue.jalan, notes="Januari.")
    with time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=timezone.get_current_timezone()), tick=False):
        dataset_update(actor=personas.outsider, dataset=catalogue.jembatan, notes="Februari.")
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=timezone.get_current_timezone()), tick=False):
        dataset_update(actor=personas.operator, dataset=catalogue.penduduk, notes="Maret.")

    def fq(query):
        return names(search(client, fq=query, rows=100, sort="metadata_modified asc"))

    assert fq("metadata_modified:[2026-02-01T00:00:00Z TO *]") == ["jembatan", "jumlah-penduduk-kota-blitar"]
    assert fq("metadata_modified:[2026-02-01T00:00:00.123456Z TO 2026-03-01T00:00:00Z]") == ["jembatan"]
    assert fq("metadata_modified:[* TO 2026-02-01]") == ["panjang-jalan"]
    assert fq("metadata_modified:[2026-02-10T05:00:00Z TO *]") == ["jembatan", "jumlah-penduduk-kota-blitar"]
    assert fq("metadata_modified:{2026-02-10T05:00:00Z TO *]") == ["jumlah-penduduk-kota-blitar"]
    assert fq("metadata_modified:[2026-01-01T00:00:00Z TO NOW]") == [
        "panjang-jalan", "jembatan", "jumlah-penduduk-kota-blitar"]
    assert fq("metadata_modified:[NOW-1DAY TO *]") == []
    assert fq("-metadata_modified:[2026-02-01T00:00:00Z TO *]") == ["panjang-jalan"]
    created = names(search(client, fq="metadata_created:[* TO NOW]", rows=100))
    assert len(created) == 3
    # Created today, modified (under time travel) in January.
    both = "metadata_created:[2026-01-01T00:00:00Z TO *] metadata_modified:[* TO 2026-02-01T00:00:00Z]"
    assert fq(both) == ["panjang-jalan"]
    assert fq("metadata_created:[* TO 2026-01-01T00:00:00Z]") == []


@pytest.mark.django_db
@pytest.mark.parametrize(("sort", "expected"), [
    ("name asc", ["jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]),
    ("name desc", ["panjang-jalan", "jumlah-penduduk-kota-blitar", "jembatan"]),
    ("title_string asc", ["jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"]),
    ("title_string desc", ["panjang-jalan", "jumlah-penduduk-kota-blitar", "jembatan"]),
    ("metadata_created asc", ["jumlah-penduduk-kota-blitar", "panjang-jalan", "jembatan"]),
    ("metadata_created desc", ["jembatan", "panjang-jalan", "jumlah-penduduk-kota-blitar"]),
    ("metadata_modified desc", ["jembatan", "panjang-jalan", "jumlah-penduduk-kota-blitar"]),
    ("metadata_modified asc", ["jumlah-penduduk-kota-blitar", "panjang-jalan", "jembatan"]),
    ("score desc, metadata_modified desc", ["jembatan", "panjang-jalan", "jumlah-penduduk-kota-blitar"]),
])
def test_sort_options(client, catalogue, sort, expected):
    assert names(search(client, sort=sort)) == expected


@pytest.mark.django_db
def test_sort_id_asc_is_by_uuid(client, catalogue):
    found = search(client, sort="id asc", rows=100)
    ids = [package["id"] for package in found["results"]]
    assert ids == sorted(ids)
    assert [p["id"] for p in search(client, sort="id desc", rows=100)["results"]] == ids[::-1]


@pytest.mark.django_db
def test_score_puts_title_matches_first(client, catalogue, personas):
    dataset_update(actor=personas.outsider, dataset=catalogue.jembatan, notes="Jembatan, jalan penduduk.")
    found = search(client, q="penduduk")
    assert names(found) == ["jumlah-penduduk-kota-blitar", "jembatan"]


@pytest.mark.django_db
def test_rows_are_capped_at_1000_and_start_past_the_end_is_empty(client, catalogue):
    found = search(client, rows=5000)
    assert len(found["results"]) == 3
    found = search(client, rows=2, start=2, sort="name asc")
    assert names(found) == ["panjang-jalan"] and found["count"] == 3
    found = search(client, rows=100, start=100)
    assert found["results"] == [] and found["count"] == 3
    assert search(client, rows=0)["results"] == []


@pytest.mark.django_db
def test_facets(client, catalogue):
    found = search(client, **{"facet.field": ["organization", "groups", "tags", "res_format", "license_id"]})
    assert found["facets"]["organization"] == {"dpupr": 2, "dispendukcapil": 1}
    assert found["facets"]["tags"] == {"jalan": 2, "jembatan": 1, "kependudukan": 1, "penduduk": 1}
    assert found["facets"]["res_format"] == {"CSV": 2, "GeoJSON": 1, "JSON": 1}
    assert found["facets"]["groups"] == {"smart-environment": 1, "smart-governance": 1, "smart-society": 1}
    assert found["facets"]["license_id"] == {"cc-by": 3}
    organizations = found["search_facets"]["organization"]
    assert organizations["title"] == "organization"
    assert organizations["items"] == [  # by display name, descending, as CKAN sorts them
        {"name": "dpupr", "display_name": "Dinas Pekerjaan Umum dan Penataan Ruang", "count": 2},
        {"name": "dispendukcapil", "display_name": "Dinas Kependudukan dan Pencatatan Sipil", "count": 1},
    ]
    assert found["search_facets"]["license_id"]["items"][0]["display_name"] == "Creative Commons Attribution"


@pytest.mark.django_db
def test_facet_parameters(client, catalogue):
    # ckanapi GET mode sends facet.field as one string, or as JSON text.
    assert search(client, mode="get", **{"facet.field": "tags"})["facets"]["tags"]["jalan"] == 2
    assert "tags" in search(client, mode="get", **{"facet.field": '["tags"]'})["facets"]
    limited = search(client, **{"facet.field": ["tags"], "facet.limit": 1})
    assert limited["facets"]["tags"] == {"jalan": 2}
    assert search(client, **{"facet.field": ["tags"], "facet.mincount": 2})["facets"]["tags"] == {"jalan": 2}
    assert search(client, **{"facet.field": ["tags"], "facet": "false"})["facets"] == {}
    assert search(client, **{"facet.field": ["author"]})["facets"] == {"author": {}}


@pytest.mark.django_db
def test_fl_limits_result_fields(client, catalogue):
    found = search(client, fl="id,name", sort="name asc")
    assert found["results"][0] == {"id": str(catalogue.jembatan.id), "name": "jembatan"}


@pytest.mark.django_db
def test_solr_tuning_parameters_are_accepted(client, catalogue):
    found = search(client, q="penduduk", qf="name^4 title^4", defType="dismax", mm="2", ext_bbox="1,2,3,4")
    assert found["count"] == 1


@pytest.mark.django_db
def test_current_package_list_with_resources(client, catalogue):
    listed = result(call(client, "current_package_list_with_resources", {"limit": 2}))
    assert [p["name"] for p in listed] == ["jembatan", "panjang-jalan"]
    assert listed[0]["resources"]
    page2 = result(call(client, "current_package_list_with_resources", {"limit": 2, "page": 2}))
    assert [p["name"] for p in page2] == ["jumlah-penduduk-kota-blitar"]
    offset = result(call(client, "current_package_list_with_resources", {"limit": 2, "offset": 1}))
    assert [p["name"] for p in offset] == ["panjang-jalan", "jumlah-penduduk-kota-blitar"]


@pytest.mark.django_db
def test_package_list_paging(client, catalogue):
    assert result(call(client, "package_list", {"limit": 2})) == ["jembatan", "jumlah-penduduk-kota-blitar"]
    assert result(call(client, "package_list", {"limit": 2, "offset": 2})) == ["panjang-jalan"]


@pytest.mark.django_db
def test_making_a_dataset_public_bumps_metadata_modified(client, catalogue, personas, partner_key):
    before = result(call(client, "package_show", {"id": "penduduk-miskin"}, token=partner_key))
    dataset_set_private(actor=personas.operator, dataset=catalogue.miskin, private=False)
    after = result(call(client, "package_show", {"id": "penduduk-miskin"}))
    assert after["private"] is False
    assert after["metadata_modified"] > before["metadata_modified"]


# -- query budget ----------------------------------------------------------------------------


def _bulk(personas, walidata, count):
    for number in range(count):
        publish(walidata, personas.outsider, personas.dpupr, f"data-{number:03}", f"Data {number}",
                tags=[f"tag-{number % 5}", "umum"], formats=("CSV", "JSON"))


@pytest.mark.django_db
def test_package_search_of_many_rows_costs_a_fixed_number_of_queries(
    client, catalogue, personas, walidata, django_assert_max_num_queries,
):
    _bulk(personas, walidata, 30)
    data = {"rows": 1000, "sort": "id asc"}
    # walidata name, count, page, tags, topics, resources
    with django_assert_max_num_queries(6):
        found = search(client, **data)
    assert len(found["results"]) == 33
    facets = {**data, "q": "data", "fq": "tags:umum", "facet.field": ["organization", "groups", "tags",
                                                                    "res_format", "license_id"]}
    with django_assert_max_num_queries(11):
        found = search(client, **facets)
    assert found["count"] == 30


@pytest.mark.django_db
def test_other_list_actions_have_fixed_query_counts(
    client, catalogue, personas, walidata, django_assert_max_num_queries, partner_key,
):
    _bulk(personas, walidata, 10)
    with django_assert_max_num_queries(1):
        call(client, "package_list")
    with django_assert_max_num_queries(6):
        call(client, "current_package_list_with_resources", {"limit": 100})
    with django_assert_max_num_queries(1):
        call(client, "organization_list", {"all_fields": True})
    with django_assert_max_num_queries(1):
        call(client, "group_list", {"all_fields": True})
    with django_assert_max_num_queries(1):
        call(client, "tag_list", {"all_fields": True})
    with django_assert_max_num_queries(7):
        call(client, "organization_show", {"id": "dpupr", "include_datasets": True})
    with django_assert_max_num_queries(6):
        call(client, "package_show", {"id": "data-001"})
    with django_assert_max_num_queries(7):  # the partner key's lookup
        call(client, "package_search", {"rows": 100, "include_private": True}, token=partner_key)


@pytest.mark.django_db
def test_dataset_with_many_relations_is_one_dict(client, catalogue, personas):
    Dataset.objects.filter(pk=catalogue.jalan.pk).update(license_id="odc-odbl")
    package = result(call(client, "package_show", {"id": "panjang-jalan"}))
    assert package["license_id"] == "odc-odbl" and package["license_title"].startswith("Open Data Commons")
    assert [group["name"] for group in package["groups"]] == ["smart-environment", "smart-governance"]
