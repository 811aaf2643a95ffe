"""The public SPBE page shows final assessments only; Bappeda keeps them on its staff pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.masterplan.models import SpbeAssessment, SpbeScore
from kotacerdas.masterplan.tests.fixtures_assessment import *  # noqa: F403 - fixtures
from kotacerdas.masterplan.tests.fixtures_assessment import by_domain, spbe_assessment

PUBLIC = "/masterplan/spbe/"
MANAGE = "/masterplan/kelola/spbe/"


def test_public_page_shows_final_years_with_grade_domains_and_change(client, reference):
    spbe_assessment(2023, 3, final=True)
    spbe_assessment(2024, by_domain({1: 4, 2: 3, 3: 2, 4: 3}), final=True)
    spbe_assessment(2025, 5)  # draft

    page = client.get(PUBLIC).content.decode()

    assert "Hasil 2024" in page
    assert "2,97" in page and "Baik" in page
    assert "-0,03" in page  # 2.97 vs 3.00
    assert "3,00" in page  # 2023 in the comparison
    assert "2025" not in page and "5,00" not in page
    assert "<svg" in page  # the chart over the years
    assert "Memuaskan: indeks ≥ 4,20" in page
    assert "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE" in page
    assert "4 · Terintegrasi dan Terukur" in page


def test_public_page_without_final_assessments_says_so(client, reference):
    spbe_assessment(2025, 3)

    page = client.get(PUBLIC).content.decode()

    assert "Belum ada hasil penilaian SPBE yang final." in page
    assert "3,00" not in page


def test_public_page_queries_do_not_grow_with_years(client, reference, django_assert_max_num_queries):
    spbe_assessment(2022, 3, final=True)
    with CaptureQueriesContext(connection) as one_year:
        client.get(PUBLIC)
    for year in (2023, 2024, 2025):
        spbe_assessment(year, 4, final=True)

    with django_assert_max_num_queries(len(one_year.captured_queries)):
        assert client.get(PUBLIC).status_code == 200
    assert len(one_year.captured_queries) <= 6


def test_staff_pages_are_bappeda_only(client, reference, personas, planner, staff_client):
    SpbeAssessment.objects.create(year=2025)
    assert client.get(MANAGE).status_code == 302  # to the login page

    other = staff_client(personas.outsider)
    for url in (MANAGE, f"{MANAGE}2025/"):
        assert other.get(url).status_code == 404
    assert other.post(f"{MANAGE}2025/final/").status_code == 404
    assert other.post(MANAGE, {"year": "2026"}).status_code == 404
    assert not SpbeAssessment.objects.filter(year=2026).exists()


def test_planner_creates_a_year_and_fills_it_in(reference, planner, staff_client):
    client = staff_client(planner)

    response = client.post(MANAGE, {"year": "2026"})
    assert response.status_code == 302 and response["Location"] == f"{MANAGE}2026/"
    page = client.get(f"{MANAGE}2026/").content.decode()
    assert "0 dari 47 indikator dinilai." in page
    assert "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE" in page
    assert "3 · Terstandarisasi" in page

    response = client.post(f"{MANAGE}2026/", {
        "level-1": "4", "evidence-1": "Perwali 12/2024 tentang Arsitektur SPBE",
        "url-1": "https://jdih.blitarkota.go.id/perwali-12-2024",
        "level-2": "2", "evidence-2": "", "url-2": "",
    })
    assert response.status_code == 302
    assert dict(SpbeScore.objects.values_list("indicator__number", "level")) == {1: 4, 2: 2}
    page = client.get(f"{MANAGE}2026/").content.decode()
    assert "2 dari 47 indikator dinilai." in page
    assert "sementara" in page
    assert "Perwali 12/2024 tentang Arsitektur SPBE" in page


def test_a_duplicate_year_is_refused_on_the_page(reference, planner, staff_client):
    SpbeAssessment.objects.create(year=2026)
    response = staff_client(planner).post(MANAGE, {"year": "2026"})

    assert response.status_code == 400
    assert "Penilaian tahun 2026 sudah ada." in response.content.decode()


def test_an_error_keeps_everything_typed_and_stores_nothing(reference, planner, staff_client):
    SpbeAssessment.objects.create(year=2026)

    response = staff_client(planner).post(f"{MANAGE}2026/", {
        "level-1": "3", "evidence-1": "Draf Perwali sudah di bagian hukum", "url-1": "",
        "level-2": "2", "evidence-2": "", "url-2": "bukan-tautan",
    })

    page = response.content.decode()
    assert response.status_code == 400
    assert "Tidak ada yang tersimpan" in page
    assert "Draf Perwali sudah di bagian hukum" in page
    assert 'value="bukan-tautan"' in page
    assert '<option value="3" selected' in page
    assert "Tautan bukti harus alamat web lengkap" in page
    assert not SpbeScore.objects.exists()


def test_finalise_only_when_complete_then_public(client, reference, planner, staff_client):
    partial = spbe_assessment(2026, dict.fromkeys(range(1, 47), 3))
    staff = staff_client(planner)

    staff.post(f"{MANAGE}2026/final/")
    assert not SpbeAssessment.objects.get(pk=partial.pk).is_final
    assert "Baru 46 dari 47 indikator" in staff.get(f"{MANAGE}2026/").content.decode()

    staff.post(f"{MANAGE}2026/", {"level-47": "3", "evidence-47": "", "url-47": ""})
    assert staff.post(f"{MANAGE}2026/final/").status_code == 302
    assert SpbeAssessment.objects.get(pk=partial.pk).is_final
    assert "Hasil 2026" in client.get(PUBLIC).content.decode()

    # Final: the form is locked until Bappeda reopens it.
    staff.post(f"{MANAGE}2026/", {"level-1": "5", "evidence-1": "", "url-1": ""})
    assert SpbeScore.objects.get(assessment=partial, indicator__number=1).level == 3
    staff.post(f"{MANAGE}2026/buka/")
    assert not SpbeAssessment.objects.get(pk=partial.pk).is_final


@pytest.mark.parametrize("years", [1, 4])
def test_staff_list_and_form_query_budget(reference, planner, staff_client, django_assert_max_num_queries,
                                          years):
    for year in range(2020, 2020 + years):
        spbe_assessment(year, 3)
    client = staff_client(planner)

    with django_assert_max_num_queries(12):
        assert client.get(MANAGE).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"{MANAGE}2020/").status_code == 200
