import json

import pytest
from django.conf import settings

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.services.actions import services_load_reference
from kotacerdas.services.models import FormField, Service


@pytest.fixture
def catalog(personas):
    ktp = Service.objects.create(
        slug="ktp-el", name="Penerbitan KTP-el", agency=personas.dukcapil, summary="KTP elektronik baru.",
        category="kependudukan", life_events=["pindah"], requirements=["Fotokopi KK"],
        procedure=["Ajukan daring", "Rekam biometrik"], sla_workdays=3, product="KTP-el",
        complaint_channel="SP4N-LAPOR!", requires_nik=True,
    )
    FormField.objects.create(service=ktp, order=1, name="nik", label="NIK pemohon", type="nik")
    FormField.objects.create(service=ktp, order=2, name="kk", label="Scan KK", type="file",
                             accept=["pdf", "jpg"], max_mb=2)
    Service.objects.create(
        slug="sktm", name="Surat Keterangan Tidak Mampu", all_kelurahan=True, summary="SKTM.",
        category="sosial", life_events=["bantuan_sosial", "pendidikan"], requirements=["Pengantar RT/RW"],
        procedure=["Ajukan"], sla_workdays=1, product="SKTM", complaint_channel="Kelurahan",
    )
    Service.objects.create(
        slug="izin-jalan", name="Rekomendasi perbaikan jalan", agency=personas.dpupr, summary="Jalan.",
        category="infrastruktur", requirements=["Foto"], procedure=["Ajukan"], sla_workdays=10,
        product="Rekomendasi", complaint_channel="DPUPR", is_published=False,
    )
    return ktp


def names(response) -> list[str]:
    return [s.name for s in response.context["services"]]


def test_catalog_lists_published_services_only(client, catalog):
    response = client.get("/layanan/")
    assert response.status_code == 200
    assert names(response) == ["Penerbitan KTP-el", "Surat Keterangan Tidak Mampu"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=ktp", ["Penerbitan KTP-el"]),
        ("q=Dispendukcapil", ["Penerbitan KTP-el"]),
        ("q=tidak+mampu", ["Surat Keterangan Tidak Mampu"]),
        ("agency=dispendukcapil", ["Penerbitan KTP-el"]),
        ("agency=kelurahan", ["Surat Keterangan Tidak Mampu"]),
        ("category=sosial", ["Surat Keterangan Tidak Mampu"]),
        ("life_event=pendidikan", ["Surat Keterangan Tidak Mampu"]),
        ("life_event=pindah", ["Penerbitan KTP-el"]),
        ("q=zzz", []),
    ],
)
def test_catalog_filters(client, catalog, query, expected):
    assert names(client.get(f"/layanan/?{query}")) == expected


def test_catalog_htmx_request_gets_only_the_rows(client, catalog):
    response = client.get("/layanan/?q=ktp", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Penerbitan KTP-el" in body and "<html" not in body


def test_service_page_states_what_to_prepare_without_login(client, catalog):
    body = client.get("/layanan/ktp-el/").content.decode()
    for text in ("Fotokopi KK", "Rekam biometrik", "3 hari kerja", "Gratis", "SP4N-LAPOR!", "Scan KK",
                 "maks. 2 MB", "memerlukan NIK"):
        assert text in body


def test_unpublished_or_unknown_service_page_is_404(client, catalog):
    assert client.get("/layanan/izin-jalan/").status_code == 404
    assert client.get("/layanan/tidak-ada/").status_code == 404


def test_catalog_query_count_does_not_grow_with_services(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/layanan/")


def test_api_lists_services_with_the_published_standard(client, catalog):
    items = client.get("/api/v1/services").json()
    assert [i["slug"] for i in items] == ["ktp-el", "sktm"]
    ktp = items[0]
    assert ktp["agency"] == {"code": "dispendukcapil", "name": catalog.agency.name}
    assert ktp["requirements"] == ["Fotokopi KK"] and ktp["sla_days"] == 3 and ktp["fee"] == "Gratis"
    assert items[1]["agency"] is None and items[1]["all_kelurahan"] is True


def test_api_service_detail_includes_the_form_definition(client, catalog):
    data = client.get("/api/v1/services/ktp-el").json()
    assert [f["name"] for f in data["form"]] == ["nik", "kk"]
    assert data["form"][1] == {"name": "kk", "label": "Scan KK", "type": "file", "required": True, "help": "",
                               "choices": [], "accept": ["pdf", "jpg"], "max_mb": 2, "rules": {}}
    assert data["requires_nik"] is True


def test_api_unknown_service_is_a_json_404(client, catalog):
    response = client.get("/api/v1/services/tidak-ada")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.json()["detail"]


@pytest.fixture
def reference(db):
    regions_load_reference()
    agencies_load_reference()
    return services_load_reference()


def test_sample_catalog_covers_many_agencies_and_is_marked_as_sample(reference):
    assert reference >= 20
    services = Service.objects.all()
    providers = {s.agency_id for s in services if s.agency_id} | ({"kelurahan"} if services.filter(
        all_kelurahan=True).exists() else set())
    assert len(providers) >= 6
    assert all(s.is_sample for s in services)
    for service in services:
        assert service.requirements and service.procedure and service.sla_workdays > 0
        assert service.fields.exists(), service.slug


def test_loading_the_sample_catalog_twice_changes_nothing_and_keeps_edits(reference):
    service = Service.objects.order_by("slug").first()
    service.summary = "Disunting oleh OPD"
    service.save()
    fields = FormField.objects.count()
    assert services_load_reference() == 0
    service.refresh_from_db()
    assert service.summary == "Disunting oleh OPD"
    assert FormField.objects.count() == fields


def test_sample_catalog_file_uses_only_known_field_types():
    rows = json.loads((settings.BASE_DIR / "data" / "services.json").read_text())
    assert {f["type"] for row in rows for f in row["form"]} <= set(FormField.Type.values)
