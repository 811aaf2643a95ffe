"""Set-up for the Open311 conformance tests: Kota Blitar's regions, agencies and report
categories from the reference data, a partner's API key, reports filed through the real
actions, and a client that speaks both formats and reads them into the same shape."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own responses in tests
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kotacerdas.accounts.actions import api_key_create
from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.reports.actions import categories_load_reference, report_submit
from kotacerdas.reports.models import Category, Report

BASE = "/open311/v2"
# Alun-alun Kota Blitar, Kelurahan Kauman (35.72.01.1004, kode pos 66117).
INSIDE = {"lat": "-8.0953", "long": "112.1612"}
KAUMAN = "35.72.01.1004"
# Kabupaten Blitar, south of the city: inside the regency, outside the kota.
OUTSIDE = {"lat": "-8.1700", "long": "112.2000"}

# The spec's list containers and the element of each item (§1.10 "XML shape").
LISTS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "photos": "photo",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def jpeg(name: str = "lubang.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def parse_xml(body: bytes) -> ET.Element:
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), body[:60]
    return ET.fromstring(body)  # noqa: S314 - our own response


def xml_data(element: ET.Element) -> Any:
    """The XML tree as JSON would give it, every scalar a string (or None when empty)."""
    children = list(element)
    if element.tag in LISTS:
        assert all(child.tag == LISTS[element.tag] for child in children), element.tag
        return [xml_data(child) for child in children]
    if children:
        assert len({child.tag for child in children}) == len(children), f"repeated tag in {element.tag}"
        return {child.tag: xml_data(child) for child in children}
    return element.text or None


def as_text(value: Any) -> Any:
    """JSON data with scalars written the way XML writes them, to compare the two formats."""
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return value


@dataclass
class Answer:
    status: int
    data: Any  # JSON as parsed; XML as xml_data (strings)
    body: bytes
    content_type: str
    root: ET.Element | None = None


class Open311Client:
    def __init__(self, client: Client):
        self.client = client

    def _answer(self, response, fmt: str) -> Answer:
        content_type = response["Content-Type"]
        assert content_type == CONTENT_TYPES[fmt]
        if fmt == "json":
            return Answer(response.status_code, json.loads(response.content), response.content, content_type)
        root = parse_xml(response.content)
        return Answer(response.status_code, xml_data(root), response.content, content_type, root)

    def get(self, resource: str, fmt: str, **params: Any) -> Answer:
        return self._answer(self.client.get(f"{BASE}/{resource}.{fmt}", params), fmt)

    def post(self, resource: str, fmt: str, data: Any, **extra: Any) -> Answer:
        response = self.client.post(f"{BASE}/{resource}.{fmt}", data, **extra)
        return self._answer(response, fmt)

    def post_form(self, resource: str, fmt: str, body: str) -> Answer:
        """A raw application/x-www-form-urlencoded body, exactly as the spec's example."""
        response = self.client.post(
            f"{BASE}/{resource}.{fmt}",
            body,
            content_type="application/x-www-form-urlencoded; charset=utf-8",
        )
        return self._answer(response, fmt)

    def both(self, resource: str, **params: Any) -> Any:
        """GET in both formats; they must say the same. Returns the JSON data."""
        as_json, as_xml = self.get(resource, "json", **params), self.get(resource, "xml", **params)
        assert as_json.status == as_xml.status
        assert as_text(as_json.data) == as_xml.data
        return as_json


@pytest.fixture(params=["json", "xml"])
def fmt(request) -> str:
    return request.param


@pytest.fixture
def city(personas):
    """The personas' agencies first, so the reference load keeps them (DPUPR gets roads)."""
    regions_load_reference()
    agencies_load_reference()
    categories_load_reference()
    return personas


@pytest.fixture
def api(client) -> Open311Client:
    return Open311Client(client)


@pytest.fixture
def api_key(city) -> str:
    return api_key_create(name="FixMyStreet Blitar")


@pytest.fixture
def file_report(city) -> Callable[..., Report]:
    def file(
        category: str = "jalan-rusak",
        *,
        reporter=None,
        description: str = "Jalan berlubang di depan Alun-alun, membahayakan pengendara motor.",
        lat: float = -8.0953,
        lon: float = 112.1612,
        privacy: str = "public",
        address: str = "Jl. Merdeka, depan Alun-alun",
        attributes: dict | None = None,
        photos: list | None = None,
    ) -> Report:
        return report_submit(
            reporter=reporter,
            category=Category.objects.get(code=category),
            description=description,
            lat=lat,
            lon=lon,
            address=address,
            privacy=privacy,
            attributes=attributes,
            photos=photos,
        )

    return file


@pytest.fixture
def rubbish(city) -> Category:
    """Sampah tidak diangkut, with an attribute of each list type, a date and a number."""
    category = Category.objects.get(code="sampah-tidak-diangkut")
    category.attributes.create(
        code="jenis",
        description="Jenis sampah",
        datatype="multivaluelist",
        required=True,
        order=0,
        values=[
            {"key": "organik", "name": "Organik"},
            {"key": "plastik", "name": "Plastik"},
            {"key": "b3", "name": "Bahan berbahaya (B3)"},
        ],
    )
    category.attributes.create(
        code="tps", description="Di TPS resmi?", datatype="singlevaluelist", required=True, order=0,
        values=[{"key": "ya", "name": "Ya"}, {"key": "tidak", "name": "Bukan TPS"}],
    )
    category.attributes.create(code="sejak", description="Menumpuk sejak", datatype="datetime", order=3)
    category.attributes.create(code="karung", description="Berapa karung", datatype="number", order=4)
    category.attributes.create(code="catatan", description="Catatan", datatype="text", order=5)
    return category
