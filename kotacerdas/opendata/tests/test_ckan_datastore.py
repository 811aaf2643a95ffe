"""datastore_search over a table loaded from an uploaded CSV (reference/ckan.md §5.3)."""

import pytest

from kotacerdas.opendata.tests.ckan_setup import MODES, call, result, upload_csv

pytest_plugins = ["kotacerdas.opendata.tests.ckan_setup"]  # catalogue, partner_key, ...


@pytest.fixture
def table(catalogue, personas, django_capture_on_commit_callbacks):
    """A loaded table in a public dataset: kecamatan, jumlah, tahun; three rows."""
    with django_capture_on_commit_callbacks(execute=True):
        resource = upload_csv(personas.operator, catalogue.penduduk)
    resource.refresh_from_db()
    assert resource.datastore_active, resource.load_error
    return resource


def rows(found):
    return [(record["kecamatan"], record["jumlah"]) for record in found["records"]]


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_datastore_search_in_every_way(client, table, mode):
    data = {"resource_id": str(table.id), "filters": {"tahun": "2024"}, "sort": "jumlah desc",
            "fields": ["kecamatan", "jumlah"], "limit": 1, "offset": 1}
    found = result(call(client, "datastore_search", data, mode=mode))
    assert found["resource_id"] == str(table.id)
    assert [field["id"] for field in found["fields"]] == ["kecamatan", "jumlah"]
    assert rows(found) == [("Sukorejo", 10)]
    assert found["total"] == 2 and found["limit"] == 1 and found["offset"] == 1
    assert found["_links"]["start"].startswith("/api/3/action/datastore_search?")
    assert found == result(call(client, "datastore_search", data, mode="json"))


@pytest.mark.django_db
def test_default_search_returns_every_field_and_row(client, table):
    found = result(call(client, "datastore_search", {"resource_id": str(table.id)}))
    assert [field["id"] for field in found["fields"]] == ["_id", "kecamatan", "jumlah", "tahun"]
    assert found["fields"][0] == {"id": "_id", "type": "int"}
    assert found["total"] == 3 and found["total_was_estimated"] is False
    assert found["records"][0]["_id"] == 1
    assert found["limit"] == 100


@pytest.mark.django_db
def test_id_is_an_alias_of_resource_id_and_fields_may_be_a_comma_string(client, table):
    found = result(call(client, "datastore_search", {"id": str(table.id), "fields": "kecamatan,jumlah",
                                                      "sort": "kecamatan"}, mode="get"))
    assert rows(found) == [("Kepanjenkidul", 20), ("Sananwetan", 30), ("Sukorejo", 10)]


@pytest.mark.django_db
def test_q_and_records_formats(client, table):
    found = result(call(client, "datastore_search", {"resource_id": str(table.id), "q": "sananwetan"}))
    assert rows(found) == [("Sananwetan", 30)]
    data = {"resource_id": str(table.id), "q": {"kecamatan": "sukorejo"}}
    found = result(call(client, "datastore_search", data, mode="get"))
    assert rows(found) == [("Sukorejo", 10)]
    lists = result(call(client, "datastore_search", {"resource_id": str(table.id), "records_format": "lists",
                                                      "fields": ["kecamatan"], "sort": "kecamatan"}))
    assert lists["records"] == [["Kepanjenkidul"], ["Sananwetan"], ["Sukorejo"]]
    csv = result(call(client, "datastore_search", {"resource_id": str(table.id), "records_format": "csv",
                                                    "fields": "kecamatan", "sort": "kecamatan", "limit": 1}))
    assert csv["records"].strip() == "Kepanjenkidul"


@pytest.mark.django_db
def test_fields_only_with_limit_zero_and_no_total(client, table):
    # ckanapi --datastore-fields asks with limit=0 and reads `fields`.
    found = result(call(client, "datastore_search", {"resource_id": str(table.id), "limit": 0,
                                                      "include_total": False}))
    assert found["records"] == [] and "total" not in found
    assert len(found["fields"]) == 4


@pytest.mark.django_db
def test_filter_with_a_list_is_in(client, table):
    found = result(call(client, "datastore_search", {"resource_id": str(table.id), "sort": "jumlah",
                                                      "filters": {"kecamatan": ["Sukorejo", "Sananwetan"]}}))
    assert rows(found) == [("Sukorejo", 10), ("Sananwetan", 30)]


@pytest.mark.django_db
def test_errors(client, table, catalogue):
    def error(data, mode="json"):
        response = call(client, "datastore_search", data, mode=mode)
        return response.status_code, response.json()["error"]

    status, body = error({"resource_id": str(table.id), "filters": {"tidak_ada": "x"}})
    assert status == 409 and body["__type"] == "Validation Error" and "filters" in body
    status, body = error({"resource_id": str(table.id), "sort": "tidak_ada desc"})
    assert status == 409 and "sort" in body
    status, body = error({"resource_id": str(table.id), "filters": "kecamatan"}, mode="get")
    assert status == 409 and "filters" in body  # what ckanapi -g makes of a dict: its keys
    status, body = error({"resource_id": str(table.id), "bogus": 1})
    assert status == 409 and body["__junk"] == ["The input field bogus was not expected."]
    status, body = error({})
    assert status == 409 and body["resource_id"] == ["Missing value"]
    status, body = error({"resource_id": str(table.id), "limit": "banyak"})
    assert status == 409 and "limit" in body
    unloaded = catalogue.jembatan.resources.first()
    status, body = error({"resource_id": str(unloaded.id)})
    assert status == 404 and body["message"] == f'Not found: Resource "{unloaded.id}" was not found.'
    status, body = error({"resource_id": "bukan-uuid"})
    assert status == 404


@pytest.mark.django_db
def test_private_tables_need_a_partner_key(client, catalogue, personas, partner_key,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resource = upload_csv(personas.operator, catalogue.miskin)
    data = {"resource_id": str(resource.id)}
    assert call(client, "datastore_search", data).status_code == 404
    assert result(call(client, "datastore_search", data, token=partner_key))["total"] == 3


@pytest.mark.django_db
def test_resource_dict_says_datastore_active(client, table):
    resource = result(call(client, "resource_show", {"id": str(table.id)}))
    assert resource["datastore_active"] is True
