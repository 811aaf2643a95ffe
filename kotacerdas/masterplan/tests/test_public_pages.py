"""What residents see of the masterplan: public programmes and verified figures only."""

from decimal import Decimal

import pytest
import time_machine

from kotacerdas.masterplan.models import Realisation
from kotacerdas.masterplan.tests.conftest import make_indicator, make_programme


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel("2026-06-15 10:00 +0700", tick=False):
        yield


@pytest.fixture
def figures(masterplan):
    Realisation.objects.create(
        indicator=masterplan.output, year=2026, value=Decimal(64), status=Realisation.Status.VERIFIED
    )
    Realisation.objects.create(
        indicator=masterplan.outcome,
        year=2026,
        value=Decimal("12345.67"),
        status=Realisation.Status.SUBMITTED,
    )
    return masterplan


def test_home_shows_the_plan_and_progress_per_dimension(figures, client):
    page = client.get("/masterplan/").content.decode()
    assert "Masterplan Uji 2025–2027" in page and "Kota yang melayani dari rumah." in page
    assert "Smart Governance" in page and "Smart Environment" in page
    assert "80,0 %" in page  # 64 of the target 80; the unverified outcome does not count
    assert "Program draf tersembunyi" not in page


def test_roadmap_lays_programmes_over_the_years_without_drafts(figures, client):
    make_programme(
        "quick",
        figures.programme.lead_agency,
        dimension="environment",
        start=2026,
        end=2026,
        horizon="quick_win",
        name="Bank sampah kilat",
    )
    page = client.get("/masterplan/peta-jalan/").content.decode()
    assert "KTP-el jadi sehari" in page and "Bank sampah kilat" in page
    assert 'colspan="3"' in page and 'colspan="1"' in page
    assert "Program draf tersembunyi" not in page


def test_programme_page_shows_verified_figures_only(figures, client):
    page = client.get("/masterplan/program/ktp-sehari/").content.decode()
    assert "KTP-el terbit di hari yang sama" in page and "<td>64</td>" in page
    assert "12345" not in page and "12.345" not in page


def test_draft_programme_is_not_public_but_bappeda_sees_it(figures, client, staff_client):
    assert client.get("/masterplan/program/rahasia-draf/").status_code == 404
    page = staff_client(figures.planner).get("/masterplan/program/rahasia-draf/").content.decode()
    assert "Program draf tersembunyi" in page


def test_unverified_values_show_to_bappeda_with_their_status(figures, staff_client):
    page = staff_client(figures.planner).get("/masterplan/program/ktp-sehari/").content.decode()
    assert "12.345,67" in page and "Menunggu verifikasi" in page


def test_progress_per_opd(figures, client):
    page = client.get("/masterplan/opd/?tahun=2026").content.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page and "80,0 %" in page


@pytest.mark.parametrize("year", ["abc", "99999", "-1"])
def test_a_bad_year_falls_back_with_a_message(figures, client, year):
    response = client.get(f"/masterplan/?tahun={year}")
    assert response.status_code == 200
    assert "Tahun tidak dikenal" in response.content.decode()


def test_public_pages_keep_their_query_budget(figures, client, django_assert_max_num_queries):
    for code in ("a", "b", "c", "d", "e"):
        programme = make_programme(f"extra-{code}", figures.programme.lead_agency, dimension="living")
        make_indicator(programme, f"Indikator {code}", {2026: "5"})
    for url in (
        "/masterplan/",
        "/masterplan/peta-jalan/",
        "/masterplan/opd/",
        "/masterplan/program/ktp-sehari/",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
