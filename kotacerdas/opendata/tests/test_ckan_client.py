"""Real clients against a running server: ckanapi's RemoteCKAN in its POST and GET modes,
and the CKAN-to-CKAN harvester's gather loop (ckanext-harvest CKANHarvester, reference/ckan.md
§2 and §4), so what they do is tested, not what we think they do."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import ckanapi
import pytest
import requests
import time_machine

from kotacerdas.opendata.actions import dataset_set_private, dataset_update
from kotacerdas.opendata.tests.ckan_setup import publish, upload_csv

pytest_plugins = ["kotacerdas.opendata.tests.ckan_setup"]  # catalogue, partner_key, ...

pytestmark = pytest.mark.django_db(transaction=True)
PUBLIC = {"jembatan", "jumlah-penduduk-kota-blitar", "panjang-jalan"}


@pytest.fixture(params=["post", "get"])
def ckan(request, live_server, catalogue):
    with ckanapi.RemoteCKAN(live_server.url, get_only=request.param == "get") as remote:
        yield remote


def test_ckanapi_reads_everything(ckan, catalogue):
    assert ckan.action.site_read() is True
    assert ckan.action.status_show()["ckan_version"].startswith("2.11")
    assert set(ckan.action.package_list()) == PUBLIC
    package = ckan.action.package_show(id="jumlah-penduduk-kota-blitar")
    assert package["organization"]["name"] == "dispendukcapil"
    resource = ckan.action.resource_show(id=package["resources"][0]["id"])
    assert resource == package["resources"][0]
    found = ckan.action.package_search(q="kota", fq="organization:dpupr", rows=5, start=0,
                                       **{"facet.field": ["tags", "organization"]})
    assert {p["name"] for p in found["results"]} == {"jembatan", "panjang-jalan"}
    assert found["facets"]["tags"] == {"jalan": 2, "jembatan": 1}
    organizations = ckan.action.organization_list(all_fields=True)
    assert [o["name"] for o in organizations] == ["dispendukcapil", "diskominfotik", "dpupr"]
    assert ckan.action.organization_show(id="dpupr", include_datasets=True)["package_count"] == 2
    assert ckan.action.group_list() == ["smart-environment", "smart-governance", "smart-society"]
    assert ckan.action.group_show(id="smart-society")["package_count"] == 1
    assert ckan.action.tag_list(query="jem") == ["jembatan"]
    assert len(ckan.action.current_package_list_with_resources(limit=2)) == 2
    assert {licence["id"] for licence in ckan.action.license_list()} >= {"cc-by"}
    assert "rows" in ckan.action.help_show(name="package_search")


def test_ckanapi_dump_style_package_show_with_extra_flags(ckan):
    # `ckanapi dump datasets` passes these to package_show (cli/dump.py).
    package = ckan.action.package_show(id="jembatan", include_datasets=False, include_password_hash=False,
                                       include_users=False)
    assert package["name"] == "jembatan"


def test_ckanapi_search_paging_like_its_cli(ckan):
    # `ckanapi search datasets` pages with rows=1000 and start += len(results) until empty.
    seen, start = [], 0
    while True:
        page = ckan.action.package_search(rows=1000, start=start)["results"]
        if not page:
            break
        seen += [p["name"] for p in page]
        start += len(page)
    assert set(seen) == PUBLIC and len(seen) == 3


def test_ckanapi_error_mapping(ckan, live_server):
    with pytest.raises(ckanapi.NotFound) as not_found:
        ckan.action.package_show(id="tidak-ada")
    assert not_found.value.args[0] in ("Not found", "")  # ckanapi keeps the text after "Not found: "
    with pytest.raises(ckanapi.NotFound) as no_resource:
        ckan.action.resource_show(id="3f1c7c1e-0000-4000-8000-000000000000")
    assert no_resource.value.args[0] == "Resource was not found."
    with pytest.raises(ckanapi.ValidationError) as invalid:
        ckan.action.package_show()
    assert invalid.value.error_dict["name_or_id"] == ["Missing value"]
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(sort="popularity desc")
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(fq="author:budi")
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(live_server.url, apikey="kck_salah", get_only=ckan.get_only).action.package_list()


def test_ckanapi_write_actions(ckan):
    if ckan.get_only:
        # GET on a write action is CKAN's 400 string, which ckanapi cannot map.
        with pytest.raises(ckanapi.CKANAPIError) as error:
            ckan.action.package_create(name="baru", title="Baru")
        assert "Please use POST" in str(error.value)
    else:
        with pytest.raises(ckanapi.NotAuthorized) as denied:
            ckan.action.package_create(name="baru", title="Baru")
        assert "portal" in denied.value.args[0]["message"]


def test_ckanapi_unknown_action(ckan):
    with pytest.raises(ckanapi.CKANAPIError) as error:
        ckan.call_action("dataset_frobnicate", {})
    assert "Action name not known" in str(error.value)


def test_ckanapi_with_a_partner_key_sees_private_data(live_server, catalogue, partner_key):
    for get_only in (False, True):
        remote = ckanapi.RemoteCKAN(live_server.url, apikey=partner_key, get_only=get_only)
        assert remote.action.package_show(id="penduduk-miskin")["private"] is True
        found = remote.action.package_search(include_private=True, rows=100)
        assert "penduduk-miskin" in {p["name"] for p in found["results"]}
        anonymous = ckanapi.RemoteCKAN(live_server.url, get_only=get_only)
        with pytest.raises(ckanapi.NotFound):
            anonymous.action.package_show(id="penduduk-miskin")


def test_ckanapi_datastore_search(live_server, catalogue, personas):
    resource = upload_csv(personas.operator, catalogue.penduduk)  # loaded on commit
    posting = ckanapi.RemoteCKAN(live_server.url)
    found = posting.action.datastore_search(resource_id=str(resource.id), filters={"kecamatan": "Sukorejo"})
    assert [r["jumlah"] for r in found["records"]] == [10] and found["total"] == 1
    fields = posting.action.datastore_search(resource_id=str(resource.id), limit=0)["fields"]
    assert [f["id"] for f in fields] == ["_id", "kecamatan", "jumlah", "tahun"]
    getting = ckanapi.RemoteCKAN(live_server.url, get_only=True)
    found = getting.action.datastore_search(resource_id=str(resource.id),
                                            filters=json.dumps({"kecamatan": "Sukorejo"}),
                                            fields=["kecamatan", "jumlah"], sort="jumlah desc")
    assert found["records"] == [{"kecamatan": "Sukorejo", "jumlah": 10}]
    # requests sends only a dict's keys as a query string; that cannot be read as filters.
    with pytest.raises(ckanapi.ValidationError):
        getting.action.datastore_search(resource_id=str(resource.id), filters={"kecamatan": "Sukorejo"})
    package = getting.action.package_show(id="jumlah-penduduk-kota-blitar")
    assert [r["datastore_active"] for r in package["resources"]] == [False, False, True]


# -- the CKAN-to-CKAN harvester -------------------------------------------------------------


def gather(base_url: str, fq_terms: list[str], rows: int = 100) -> dict[str, dict]:
    """CKANHarvester.gather_stage's loop: plain GETs, start += rows (not len(page)), stop at an
    empty page after dropping ids already seen, abort when a page repeats."""
    url = base_url + "/api/3/action/package_search"
    params = {"rows": str(rows), "start": "0", "sort": "id asc"}
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    found: dict[str, dict] = {}
    previous = None
    while True:
        content = requests.get(f"{url}?{urlencode(params)}", timeout=10).content
        assert content != previous, "The paging doesn't seem to work"
        previous = content
        page = [p for p in json.loads(content)["result"]["results"] if p["id"] not in found]
        if not page:
            return found
        found.update((p["id"], p) for p in page)
        params["start"] = str(int(params["start"]) + int(params["rows"]))


def test_harvester_full_then_incremental_run(live_server, catalogue, personas, walidata):
    for number in range(4):
        publish(walidata, personas.outsider, personas.dpupr, f"ruas-{number}", f"Ruas {number}")
    first = gather(live_server.url, [], rows=2)
    assert {p["name"] for p in first.values()} == PUBLIC | {f"ruas-{n}" for n in range(4)}
    assert gather(live_server.url, [], rows=100) == first
    gather_started = datetime.now(UTC)

    with time_machine.travel(gather_started + timedelta(hours=2), tick=True):
        dataset_update(actor=personas.outsider, dataset=catalogue.jalan, notes="Ruas baru ditambahkan.")
        # Published long ago but private: made public now, it must reach the next run.
        dataset_set_private(actor=personas.operator, dataset=catalogue.miskin, private=False)
        since = (datetime.now(UTC) - timedelta(hours=1)).replace(tzinfo=None)
        second = gather(live_server.url, [f"metadata_modified:[{since.isoformat()}Z TO *]"], rows=2)

    assert {p["name"] for p in second.values()} == {"panjang-jalan", "penduduk-miskin"}
    jalan = second[str(catalogue.jalan.id)]
    # The importing CKAN updates only if the new metadata_modified is greater, as strings.
    assert jalan["metadata_modified"] > first[str(catalogue.jalan.id)]["metadata_modified"]
    assert jalan["notes"] == "Ruas baru ditambahkan."


def test_harvester_organization_and_group_filters(live_server, catalogue):
    terms = ["organization:dispendukcapil OR organization:dpupr", "-groups:smart-society"]
    included = gather(live_server.url, terms)
    assert {p["name"] for p in included.values()} == {"jembatan", "panjang-jalan"}
    excluded = gather(live_server.url, ["-organization:dpupr"])
    assert {p["name"] for p in excluded.values()} == {"jumlah-penduduk-kota-blitar"}


def test_harvester_import_stage_lookups(live_server, catalogue):
    """What the national portal's import stage asks for: the owner organization by id, the
    groups by id, all with plain GETs."""
    package = next(iter(gather(live_server.url, ["name:panjang-jalan"]).values()))
    organization = requests.get(f"{live_server.url}/api/3/action/organization_show",
                                params={"id": package["owner_org"]}, timeout=10).json()["result"]
    assert organization["name"] == "dpupr"
    for group in package["groups"]:
        shown = requests.get(f"{live_server.url}/api/3/action/group_show", params={"id": group["id"]},
                             timeout=10).json()["result"]
        assert shown["name"] == group["name"]
