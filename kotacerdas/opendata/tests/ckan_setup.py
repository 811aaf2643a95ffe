"""Set-up for the CKAN Action API tests: a small Satu Data catalogue built through the real
actions (producers draft, the Walidata approves), keys for a partner and for staff, and a
client that sends one call the four ways CKAN clients do.

Loaded as a plugin by the test modules that also import its helpers, so its asserts are
plain ones: PYTEST_DONT_REWRITE."""

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kotacerdas.accounts.actions import api_key_create, token_create
from kotacerdas.opendata.actions import (
    dataset_approve,
    dataset_create,
    dataset_submit,
    resource_add,
)
from kotacerdas.opendata.models import Dataset, Resource, Topic

MODES = ("json", "form", "quirk", "get")
ROOT_FIELDS = {
    "id", "name", "title", "version", "url", "author", "author_email", "maintainer", "maintainer_email",
    "notes", "license_id", "type", "owner_org", "creator_user_id", "metadata_created", "metadata_modified",
    "private", "state", "extras", "resources", "tags", "groups", "organization", "relationships_as_subject",
    "relationships_as_object", "num_resources", "num_tags", "license_title", "license_url", "isopen",
}
CSV = b"kecamatan,jumlah,tahun\nSukorejo,10,2024\nKepanjenkidul,20,2024\nSananwetan,30,2025\n"


def publish(walidata, producer, agency, name: str, title: str, *, tags=(), topics=(), private=False,
            formats=("JSON",), **fields) -> Dataset:
    dataset = dataset_create(actor=producer, agency=agency, name=name, title=title, tags=list(tags),
                             topics=list(topics), private=private, **fields)
    for number, fmt in enumerate(formats):
        resource_add(actor=producer, dataset=dataset, name=f"Tabel {number + 1}", format=fmt,
                     url=f"https://data.example.go.id/{name}/{number}.{fmt.lower()}")
    dataset_submit(actor=producer, dataset=dataset)
    return dataset_approve(actor=walidata, dataset=dataset)


@dataclass
class Catalogue:
    penduduk: Dataset  # Dispendukcapil, public, two tags, Smart Society, CSV + JSON
    miskin: Dataset  # Dispendukcapil, published but private
    draf: Dataset  # Dispendukcapil, a draft never submitted
    jalan: Dataset  # DPUPR, public, Smart Governance + Smart Environment, CSV
    jembatan: Dataset  # DPUPR, public, GeoJSON, demo data
    society: Topic
    governance: Topic
    environment: Topic


@pytest.fixture
def catalogue(personas, walidata) -> Catalogue:
    society = Topic.objects.create(name="smart-society", title="Smart Society")
    governance = Topic.objects.create(name="smart-governance", title="Smart Governance")
    environment = Topic.objects.create(name="smart-environment", title="Smart Environment")
    operator, outsider = personas.operator, personas.outsider
    penduduk = publish(
        walidata, operator, personas.dukcapil, "jumlah-penduduk-kota-blitar", "Jumlah Penduduk Kota Blitar",
        tags=["penduduk", "kependudukan"], topics=[society], formats=("CSV", "JSON"),
        notes="Jumlah penduduk per kecamatan.", concept="Penduduk adalah ...", unit="jiwa",
        measure="jumlah", contact_name="Seksi Data Dispendukcapil", contact_email="data@dukcapil.test",
    )
    miskin = publish(walidata, operator, personas.dukcapil, "penduduk-miskin", "Penduduk Miskin",
                     tags=["penduduk"], private=True)
    draf = dataset_create(actor=operator, agency=personas.dukcapil, name="draf-kelahiran",
                          title="Kelahiran (draf)", tags=["penduduk"])
    jalan = publish(walidata, outsider, personas.dpupr, "panjang-jalan", "Panjang Jalan Kota",
                    tags=["jalan"], topics=[governance, environment], formats=("CSV",))
    jembatan = publish(walidata, outsider, personas.dpupr, "jembatan", "Jembatan Kota Blitar",
                       tags=["jalan", "jembatan"], formats=("GeoJSON",), is_demo=True)
    return Catalogue(penduduk, miskin, draf, jalan, jembatan, society, governance, environment)


@pytest.fixture
def partner_key(db) -> str:
    return api_key_create(name="data.go.id harvester")


@pytest.fixture
def operator_token(personas) -> str:
    return token_create(user=personas.operator)


def upload_csv(producer, dataset: Dataset, content: bytes = CSV, name: str = "penduduk.csv") -> Resource:
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return resource_add(actor=producer, dataset=dataset, name="Penduduk per kecamatan", upload=upload)


def _form_value(value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, list):
        return [_form_value(item) for item in value]
    return str(value)


def call(client: Client, name: str, data: dict[str, Any] | None = None, *, mode: str = "json",
         token: str | None = None, prefix: str = "/api/3/action/"):
    """One action call as ckanapi (json, get), an HTML form (form) or curl -d (quirk) sends it."""
    data = data or {}
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    url = prefix + name
    if mode == "json":
        return client.post(url, json.dumps(data), content_type="application/json", **headers)
    form = {key: _form_value(value) for key, value in data.items()}
    if mode == "form":
        return client.post(url, urlencode(form, doseq=True), content_type="application/x-www-form-urlencoded",
                           **headers)
    if mode == "multipart":
        return client.post(url, form, **headers)
    if mode == "quirk":
        return client.post(url, json.dumps(data), content_type="application/x-www-form-urlencoded", **headers)
    if mode == "get":
        return client.get(url, form, **headers)
    raise ValueError(mode)


def result(response) -> Any:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    return body["result"]
