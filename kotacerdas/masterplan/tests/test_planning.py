"""Bappeda keeps the plan: its text, programmes, indicators and targets, every change audited."""

from decimal import Decimal

from django.test import Client

from kotacerdas.audit.models import AuditEntry
from kotacerdas.masterplan.models import Dimension, Plan, Programme, SubDimension


def _programme_post(personas, **overrides):
    governance = Dimension.objects.get(code="governance")
    values = {
        "code": "antrean-daring",
        "name": "Antrean daring semua loket",
        "description": "Ambil nomor dari rumah.",
        "dimension": governance.pk,
        "subdimension": SubDimension.objects.get(dimension=governance, number=1).pk,
        "lead_agency": personas.dukcapil.pk,
        "supporting_agencies": [personas.dpupr.pk],
        "horizon": "quick_win",
        "start_year": "2026",
        "end_year": "2026",
        "budget_source": "APBD",
        "budget_amount": "150000000",
        "status": "draft",
    }
    values.update(overrides)
    return values


def test_bappeda_adds_a_draft_programme_then_publishes_it(masterplan, personas, staff_client):
    planner, resident = staff_client(masterplan.planner), Client()
    response = planner.post("/masterplan/kelola/program/baru/", _programme_post(personas))
    assert response.status_code == 302
    programme = Programme.objects.get(code="antrean-daring")
    assert list(programme.supporting_agencies.all()) == [personas.dpupr]
    assert resident.get("/masterplan/program/antrean-daring/").status_code == 404
    planner.post("/masterplan/kelola/program/antrean-daring/", _programme_post(personas, status="planned"))
    assert resident.get("/masterplan/program/antrean-daring/").status_code == 200
    entries = AuditEntry.objects.filter(action="programme_save", object_id=str(programme.pk))
    assert entries.count() == 2 and entries.order_by("pk").last().changes["status"] == ["draft", "planned"]


def test_programme_mistakes_are_explained_and_the_form_kept(masterplan, personas, staff_client):
    environment = Dimension.objects.get(code="environment")
    post = _programme_post(
        personas,
        code="ktp-sehari",
        end_year="2025",
        subdimension=SubDimension.objects.get(dimension=environment, number=2).pk,
    )
    response = staff_client(masterplan.planner).post("/masterplan/kelola/program/baru/", post)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sub-dimensi ini bukan bagian dari dimensi yang dipilih." in page
    assert "Tahun selesai tidak boleh sebelum tahun mulai." in page
    assert "Kode ini sudah dipakai program lain." in page
    assert "Antrean daring semua loket" in page
    assert not Programme.objects.filter(name="Antrean daring semua loket").exists()


def test_bappeda_sets_an_indicators_targets_per_year(masterplan, staff_client):
    url = f"/masterplan/kelola/program/ktp-sehari/indikator/{masterplan.output.pk}/"
    response = staff_client(masterplan.planner).post(
        url,
        {
            "kind": "output",
            "name": "KTP-el terbit di hari yang sama",
            "unit": "%",
            "baseline": "10",
            "baseline_year": "2024",
            "direction": "up",
            "agency": masterplan.output.agency_id,
            "metric": "",
            "order": "0",
            "target_2025": "55,5",
            "target_2026": "",
            "target_2027": "95",
        },
    )
    assert response.status_code == 302
    assert dict(masterplan.output.targets.values_list("year", "value")) == {
        2025: Decimal("55.5"),
        2027: Decimal("95"),
    }
    assert AuditEntry.objects.filter(action="indicator_save").count() == 1


def test_an_unknown_platform_figure_is_refused(masterplan, staff_client):
    response = staff_client(masterplan.planner).post(
        "/masterplan/kelola/program/ktp-sehari/indikator/baru/",
        {
            "kind": "outcome",
            "name": "Angka rahasia",
            "unit": "%",
            "direction": "up",
            "agency": masterplan.output.agency_id,
            "metric": "tidak_ada",
            "order": "1",
        },
    )
    assert response.status_code == 400
    assert masterplan.programme.indicators.count() == 2


def test_other_staff_cannot_edit_the_plan(masterplan, personas, staff_client):
    client = staff_client(personas.kepala)
    for url in (
        "/masterplan/kelola/program/",
        "/masterplan/kelola/program/baru/",
        "/masterplan/kelola/program/ktp-sehari/",
        "/masterplan/kelola/rencana/",
    ):
        assert client.get(url).status_code == 404
    assert client.post("/masterplan/kelola/program/baru/", _programme_post(personas)).status_code == 404
    assert not Programme.objects.filter(code="antrean-daring").exists()


def test_bappeda_edits_the_vision_and_readiness(masterplan, staff_client):
    response = staff_client(masterplan.planner).post(
        "/masterplan/kelola/rencana/",
        {
            "title": "Masterplan Kota Cerdas 2025–2034",
            "start_year": "2025",
            "end_year": "2034",
            "legal_basis": "",
            "vision": "Warga dilayani dari rumah.",
            "mission": "Satu\nDua\nTiga",
            "goals": "",
            "readiness_structure": "Dewan Smart City dibentuk.",
            "readiness_infrastructure": "",
            "readiness_superstructure": "",
        },
    )
    assert response.status_code == 302
    assert Plan.objects.get().end_year == 2034
    page = Client().get("/masterplan/").content.decode()
    assert "Warga dilayani dari rumah." in page and "Dewan Smart City dibentuk." in page


def test_programme_list_for_bappeda_keeps_its_query_budget(
    masterplan, staff_client, django_assert_max_num_queries
):
    client = staff_client(masterplan.planner)
    with django_assert_max_num_queries(10):
        page = client.get("/masterplan/kelola/program/").content.decode()
    assert "Program draf tersembunyi" in page and "KTP-el jadi sehari" in page


def test_public_programmes_are_found_by_the_site_search_drafts_are_not(masterplan, personas, staff_client):
    planner, resident = staff_client(masterplan.planner), Client()
    name = "Antrean daring loket kilat"
    planner.post("/masterplan/kelola/program/baru/", _programme_post(personas, name=name))
    assert "Antrean daring loket kilat" not in resident.get("/cari/?q=antrean+kilat").content.decode()
    planner.post("/masterplan/kelola/program/antrean-daring/",
                 _programme_post(personas, name="Antrean daring loket kilat", status="ongoing"))
    page = resident.get("/cari/?q=antrean+kilat").content.decode()
    assert "Antrean daring loket kilat" in page and "/masterplan/program/antrean-daring/" in page
