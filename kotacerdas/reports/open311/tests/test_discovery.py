"""Spec §1.2 Service Discovery, and the general rules of §1.1 that every response follows."""

from datetime import datetime

import pytest
from django.utils import timezone

from kotacerdas.reports.open311.tests.conftest import BASE


def test_discovery_lists_one_production_georeport_v2_endpoint_in_both_formats(api, city, fmt, settings):
    settings.SITE_URL = "https://kotacerdas.blitarkota.go.id"

    answer = api.get("discovery", fmt)

    assert answer.status == 200
    assert set(answer.data) == {"changeset", "contact", "key_service", "endpoints"}
    assert answer.data["contact"] and answer.data["key_service"]
    [endpoint] = answer.data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://kotacerdas.blitarkota.go.id/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["changeset"]
    # SeeClickFix's validator: formats is a non-empty list and every v2 endpoint has text/xml.
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml_uses_the_spec_containers(api, city):
    root = api.get("discovery", "xml").root

    assert root.tag == "discovery"
    assert [e.tag for e in root] == ["changeset", "contact", "key_service", "endpoints"]
    formats = root.findall("./endpoints/endpoint/formats/format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]


def test_discovery_changeset_is_a_sortable_time_in_the_past(api, city):
    changeset = api.get("discovery", "json").data["changeset"]

    moment = datetime.fromisoformat(changeset)
    assert moment.tzinfo is not None
    assert moment <= timezone.now()


def test_both_formats_say_the_same(api, city):
    api.both("discovery")


def test_the_discovery_url_ends_in_discovery_dot_format(client, city):
    assert client.get(f"{BASE}/discovery.xml").status_code == 200
    assert client.get(f"{BASE}/discovery.json").status_code == 200
    assert client.get(f"{BASE}/discovery.html").status_code == 404


@pytest.mark.parametrize("resource", ["discovery", "services", "requests", "servicerequestupdates"])
def test_public_reads_may_be_used_from_any_web_page(client, city, resource):
    response = client.get(f"{BASE}/{resource}.json")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_method_a_resource_lacks_gets_405_with_an_error_list(client, city, fmt):
    response = client.delete(f"{BASE}/services.{fmt}")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    body = response.content.decode()
    assert "DELETE" in body and "405" in body


def test_head_answers_like_get(client, city, fmt):
    response = client.head(f"{BASE}/services.{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"].endswith("charset=utf-8")
