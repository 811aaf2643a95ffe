"""The wire protocol of CKAN's Action API (reference/ckan.md §1): routes, the four ways a
call is sent, the envelope, error types and status codes, API keys."""

import json

import pytest

from kotacerdas.accounts.models import ApiKey
from kotacerdas.opendata.tests.ckan_setup import MODES, call, result

pytest_plugins = ["kotacerdas.opendata.tests.ckan_setup"]  # catalogue, partner_key, ...


def _calls(catalogue) -> dict[str, dict]:
    resource = catalogue.penduduk.resources.first()
    return {
        "status_show": {},
        "site_read": {},
        "help_show": {"name": "package_search"},
        "license_list": {},
        "package_list": {"limit": 3, "offset": 1},
        "package_show": {"id": "jumlah-penduduk-kota-blitar"},
        "resource_show": {"id": str(resource.id)},
        "package_search": {"q": "penduduk", "fq": "organization:dispendukcapil", "rows": 5, "start": 0,
                           "facet.field": ["tags", "organization"], "sort": "name asc"},
        "current_package_list_with_resources": {"limit": 2},
        "organization_list": {"all_fields": True, "sort": "name asc"},
        "organization_show": {"id": "dispendukcapil", "include_datasets": True},
        "group_list": {"all_fields": True},
        "group_show": {"id": "smart-governance"},
        "tag_list": {"query": "ja"},
    }


ACTIONS = [
    "status_show", "site_read", "help_show", "license_list", "package_list", "package_show", "resource_show",
    "package_search", "current_package_list_with_resources", "organization_list", "organization_show",
    "group_list", "group_show", "tag_list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTIONS)
def test_every_read_action_answers_the_same_in_all_four_ways(client, catalogue, name):
    data = _calls(catalogue)[name]
    answers = {mode: result(call(client, name, data, mode=mode)) for mode in (*MODES, "multipart")}
    assert answers["json"] not in (None, [], {})
    for mode, answer in answers.items():
        assert answer == answers["json"], mode


@pytest.mark.django_db
def test_both_routes_answer_and_the_envelope_is_ckans(client, catalogue):
    for prefix in ("/api/action/", "/api/3/action/"):
        response = call(client, "package_show", {"id": "jembatan"}, prefix=prefix)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json;charset=utf-8"
        body = response.json()
        assert set(body) == {"help", "success", "result"}
        assert body["help"] == "http://localhost:8000/api/3/action/help_show?name=package_show"
        assert body["result"]["name"] == "jembatan"


def test_api_version_routes(client):
    assert client.get("/api/3").json() == {"version": 3}
    assert client.get("/api/").json() == {"version": 1}


def test_a_trailing_slash_is_not_redirected(client):
    # ckanapi POSTs without following redirects; a 301 would surface as CKANAPIError.
    response = client.post("/api/action/site_read/", "{}", content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_unknown_action_is_a_bare_json_string_400(client, mode):
    response = call(client, "package_frobnicate", {"id": "x"}, mode=mode)
    assert response.status_code == 400
    assert response.json() == "Bad request - Action name not known: package_frobnicate"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["package_create", "package_update", "resource_create", "datastore_upsert",
                                  "organization_member_create", "follow_dataset", "package_revise"])
def test_get_on_a_write_action_asks_for_post(client, name):
    response = call(client, name, {"name": "x"}, mode="get")
    assert response.status_code == 400
    assert response.json() == ("Bad request - JSON Error: Invalid request. Please use POST method for your "
                               "request")


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["json", "form", "quirk"])
def test_post_to_a_write_action_is_refused_even_with_a_key(client, partner_key, mode):
    response = call(client, "package_create", {"name": "baru", "title": "Baru"}, mode=mode, token=partner_key)
    assert response.status_code == 403
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Authorization Error"
    assert body["error"]["message"].startswith("Access denied: ")
    assert "portal" in body["error"]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_not_found_is_404_with_ckans_message(client, catalogue, mode):
    response = call(client, "package_show", {"id": "tidak-ada"}, mode=mode)
    assert response.status_code == 404
    assert response.json()["error"] == {"__type": "Not Found Error", "message": "Not found"}
    response = call(client, "resource_show", {"id": "3f1c7c1e-0000-4000-8000-000000000000"}, mode=mode)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Not found: Resource was not found."


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_missing_id_is_a_409_validation_error_without_message(client, mode):
    response = call(client, "package_show", {}, mode=mode)
    assert response.status_code == 409
    assert response.json()["error"] == {"name_or_id": ["Missing value"], "__type": "Validation Error"}
    response = call(client, "organization_show", {"include_datasets": True}, mode=mode)
    assert response.json()["error"] == {"id": ["Missing value"], "__type": "Validation Error"}


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_bad_rows_is_a_validation_error(client, mode):
    response = call(client, "package_search", {"rows": "banyak"}, mode=mode)
    assert response.status_code == 409
    assert response.json()["error"] == {"rows": ["Invalid integer"], "__type": "Validation Error"}
    response = call(client, "package_search", {"start": -1}, mode=mode)
    assert response.json()["error"]["start"] == ["Must be a natural number"]


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_bad_sort_and_unknown_search_parameters_are_search_query_errors(client, mode):
    response = call(client, "package_search", {"sort": "popularity desc"}, mode=mode)
    assert response.status_code == 400
    assert response.json()["error"] == {
        "__type": "Search Query Error", "message": "Search Query is invalid: ('Invalid \"sort\" parameter',)",
    }
    response = call(client, "package_search", {"q": "x", "bogus": "1"}, mode=mode)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Search Query is invalid: (\"Invalid search parameters: ['bogus']\",)"
    )


@pytest.mark.django_db
def test_unsupported_fq_is_a_search_query_error_not_a_500(client):
    for fq in ("author:budi", "organization:a OR tags:b", "metadata_modified:[kemarin TO *]",
               "name:(a AND b)", "title:[a TO b]", "(tags:a"):
        response = call(client, "package_search", {"fq": fq}, mode="get")
        assert response.status_code == 400, fq
        assert response.json()["error"]["__type"] == "Search Query Error"


@pytest.mark.django_db
def test_bad_json_body_is_a_bare_string_400(client):
    response = client.post("/api/action/package_show", "{id: x", content_type="application/json")
    assert response.status_code == 400
    assert response.json().startswith("Bad request - JSON Error: Error decoding JSON data.")
    response = client.post("/api/action/package_show", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert "a dictionary was required" in response.json()


@pytest.mark.django_db
def test_json_body_without_content_type_is_read(client, catalogue):
    # requests.post(url, data=json.dumps(...)) sends no Content-Type.
    response = client.generic("POST", "/api/action/package_show", json.dumps({"id": "jembatan"}),
                              content_type="")
    assert result(response)["name"] == "jembatan"


@pytest.mark.django_db
def test_post_with_an_empty_body_reads_the_query_string(client, catalogue):
    response = client.post("/api/action/package_show?id=jembatan")
    assert result(response)["name"] == "jembatan"


@pytest.mark.django_db
def test_help_show_returns_the_actions_documentation(client):
    assert "rows" in result(call(client, "help_show", {"name": "package_search"}))
    response = call(client, "help_show", {"name": "package_create"})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Not found: Action function not found"


@pytest.mark.django_db
def test_status_show_and_licences(client):
    status = result(call(client, "status_show"))
    assert status["site_url"] == "http://localhost:8000"
    assert status["ckan_version"].startswith("2.11")
    assert "datastore" in status["extensions"]
    licences = result(call(client, "license_list"))
    assert {"cc-by", "odc-odbl"} <= {licence["id"] for licence in licences}
    assert all({"id", "title", "url", "od_conformance"} <= set(licence) for licence in licences)


@pytest.mark.django_db
def test_unknown_parameters_of_show_actions_are_ignored(client, catalogue):
    # ckanapi dump sends these to package_show (cli/dump.py).
    data = {"id": "jembatan", "include_datasets": False, "include_password_hash": True, "include_users": True}
    assert result(call(client, "package_show", data))["name"] == "jembatan"


@pytest.mark.django_db
def test_only_get_and_post(client):
    assert client.put("/api/action/site_read").status_code == 405
    assert client.delete("/api/action/site_read").status_code == 405


@pytest.mark.django_db
def test_get_answers_carry_cors_for_browser_apps(client):
    response = call(client, "site_read", mode="get")
    assert response["Access-Control-Allow-Origin"] == "*"


# -- keys ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY", "bearer"])
def test_partner_key_in_any_of_the_accepted_headers_sees_private_data(client, catalogue, partner_key, header):
    headers = {header: partner_key}
    if header == "bearer":
        headers = {"HTTP_AUTHORIZATION": f"Bearer {partner_key}"}
    response = client.get("/api/3/action/package_show", {"id": "penduduk-miskin"}, **headers)
    assert result(response)["private"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_an_unknown_key_is_an_authorization_error(client, catalogue, mode):
    response = call(client, "package_search", {}, mode=mode, token="kck_bukan-kunci")
    assert response.status_code == 403
    assert response.json()["error"]["__type"] == "Authorization Error"
    assert response.json()["error"]["message"].startswith("Access denied: ")


@pytest.mark.django_db
def test_a_revoked_key_is_refused(client, catalogue, partner_key):
    from django.utils import timezone

    ApiKey.objects.update(revoked_at=timezone.now())
    response = call(client, "package_show", {"id": "jembatan"}, token=partner_key)
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_proxys_basic_auth_is_not_taken_for_a_key(client, catalogue):
    response = client.get("/api/3/action/package_show", {"id": "jembatan"},
                          HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert result(response)["name"] == "jembatan"


@pytest.mark.django_db
def test_a_session_cookie_gives_no_extra_access(client, catalogue, personas):
    client.force_login(personas.operator)
    response = call(client, "package_show", {"id": "draf-kelahiran"})
    assert response.status_code == 404
    response = call(client, "package_show", {"id": "penduduk-miskin"}, mode="get")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_crash_is_an_internal_server_error_envelope(client, monkeypatch):
    from kotacerdas.opendata.ckan import handlers

    def broken(ctx, data):
        raise RuntimeError("boom")

    monkeypatch.setitem(handlers.ACTIONS, "site_read", broken)
    response = call(client, "site_read")
    assert response.status_code == 500
    assert response.json()["error"] == {"__type": "Internal Server Error", "message": "Internal Server Error"}
