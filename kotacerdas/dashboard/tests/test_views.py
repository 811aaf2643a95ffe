from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.accounts.models import Membership
from kotacerdas.agencies.models import Agency
from kotacerdas.cases.models import Case, Kind
from kotacerdas.conftest import make_staff
from kotacerdas.dashboard.actions import rollups_rebuild
from kotacerdas.dashboard.tests.conftest import _case, wib

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return unescape(response.content.decode())


# --- Who may see it ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get("/dasbor/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_citizen_gets_no_dashboard(client, personas):
    client.force_login(personas.alice)
    assert client.get("/dasbor/").status_code == 302
    assert client.get("/dasbor/perkara/").status_code == 302


def test_officer_of_an_unlisted_agency_gets_404(staff_client, personas):
    client = staff_client(personas.outsider)  # verifikator of DPUPR
    assert client.get("/dasbor/").status_code == 404
    assert client.get("/dasbor/perkara/").status_code == 404
    assert client.get("/dasbor/peta.geojson").status_code == 404
    assert "/dasbor/" not in html(client.get("/"))


def test_head_of_an_agency_sees_it(staff_client, personas):
    client = staff_client(personas.kepala)
    response = client.get("/dasbor/")
    assert response.status_code == 200
    assert 'href="/dasbor/"' in html(client.get("/"))


def test_any_staff_of_a_listed_agency_sees_it(staff_client, personas, settings):
    bappeda = Agency.objects.create(code="bappeda", short_name="Bappeda", name="Bappeda", kind="badan")
    analyst = make_staff("Ana Analis", "ana@pemkot.test", bappeda, Membership.Role.OPERATOR)
    client = staff_client(analyst)
    assert client.get("/dasbor/").status_code == 200
    settings.DASHBOARD_AGENCIES = ["setda"]
    assert client.get("/dasbor/").status_code == 404


def test_staff_without_second_factor_is_asked_for_it(client, personas):
    client.force_login(personas.kepala)
    response = client.get("/dasbor/")
    assert response.status_code == 302 and "/akun/dua-langkah/" in response["Location"]


# --- The page ----------------------------------------------------------------------------------


def test_dashboard_shows_rolled_up_figures_and_their_age(staff_client, personas, world):
    rollups_rebuild()
    client = staff_client(personas.kepala)
    page = html(client.get("/dasbor/?periode=2026"))
    assert "Angka diperbarui" in page
    assert "87,50 (B)" in page  # the city's IKM of 2026
    assert "50,0%" in page  # within the standard time, reports within SLA, PPID
    assert "Lampu jalan mati" in page
    assert "/dasbor/perkara/?" in page and "keadaan=terlambat" in page


def test_bad_filters_give_a_message_not_an_error(staff_client, personas, world):
    rollups_rebuild()
    client = staff_client(personas.kepala)
    response = client.get("/dasbor/?periode=kemarin&opd=tidak-ada&kelurahan=%27;drop")
    assert response.status_code == 200
    page = html(response)
    assert "Periode “kemarin” tidak dikenal" in page
    assert "Sebagian saringan tidak dipakai" in page


def test_filter_by_agency_changes_the_figures(staff_client, personas, world):
    rollups_rebuild()
    client = staff_client(personas.kepala)
    page = html(client.get("/dasbor/?periode=2026&opd=dpupr"))
    assert "Dinas Pekerjaan Umum" in page
    assert "87,50" not in page  # DPUPR has no survey answers


def test_big_screen_mode_refreshes_itself(staff_client, personas, world):
    client = staff_client(personas.kepala)
    page = html(client.get("/dasbor/?layar=besar"))
    assert 'http-equiv="refresh"' in page and "dash-big" in page


def test_map_points_per_kelurahan(staff_client, personas, world):
    rollups_rebuild()
    client = staff_client(personas.kepala)
    data = client.get("/dasbor/peta.geojson?periode=2026").json()
    titles = {f["properties"]["title"]: f["properties"]["status"] for f in data["features"]}
    assert titles == {
        "Kauman: 3 pengaduan, 1 terbuka, 1 terlambat": "dash-late",
        "Sentul: 1 pengaduan, 0 terbuka, 0 terlambat": "dash-ok",
    }


# --- The cases behind a figure -----------------------------------------------------------------


def test_drilldown_lists_overdue_cases_without_personal_data(staff_client, personas, world):
    client = staff_client(personas.kepala)
    page = html(client.get("/dasbor/perkara/?keadaan=terlambat"))
    for name in ("C", "R3", "P3"):
        assert world.cases[name].tracking_code in page
    for name in ("A", "B", "R1"):
        assert world.cases[name].tracking_code not in page
    for private in ("3572034506900001", "81200000001", "Jl. Merdeka", "Alice", "alice@warga.test"):
        assert private not in page


def test_drilldown_filters_by_kind_agency_kelurahan_and_period(staff_client, personas, world):
    client = staff_client(personas.kepala)
    page = html(client.get("/dasbor/perkara/?jenis=service&opd=dispendukcapil&periode=2026-03"))
    assert world.cases["A"].tracking_code in page and world.cases["B"].tracking_code in page
    assert world.cases["D"].tracking_code not in page and world.cases["C"].tracking_code not in page
    page = html(client.get("/dasbor/perkara/?jenis=report&kelurahan=35.72.01.1003"))
    assert world.cases["R5"].tracking_code in page and world.cases["R1"].tracking_code not in page
    page = html(client.get("/dasbor/perkara/?jenis=report&keadaan=selesai"))
    assert world.cases["R1"].tracking_code in page and world.cases["R3"].tracking_code not in page
    assert world.cases["R4"].tracking_code not in page  # rejected is not finished


def test_drilldown_bad_values_give_a_message(staff_client, personas, world):
    client = staff_client(personas.kepala)
    response = client.get("/dasbor/perkara/?jenis=kucing&keadaan=x&periode=2099&page=abc")
    assert response.status_code == 200
    assert "Sebagian saringan tidak dipakai" in html(response)


def test_drilldown_query_count_does_not_grow_with_the_page(staff_client, personas, world):
    client = staff_client(personas.kepala)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dasbor/perkara/").status_code == 200
        return len(captured)

    queries_for_page()  # the OPD and kelurahan of the form are cached from the first request
    few = queries_for_page()
    for n in range(20):
        _case(
            Kind.REPORT,
            personas.dpupr,
            world.kauman,
            wib(2026, 6, 1),
            world.cases["C"].due_date,
            title=f"Laporan {n}",
        )
    assert Case.objects.count() > 25
    assert queries_for_page() == few


def test_dashboard_query_count_is_fixed(staff_client, personas, world, django_assert_max_num_queries):
    rollups_rebuild()
    client = staff_client(personas.kepala)
    client.get("/dasbor/")  # warm the session and user
    # session, user, membership, agency (access), agencies and kelurahan for the form, rollups
    # for the years in the form, rollups, agency and category names, masterplan progress.
    with django_assert_max_num_queries(14):
        assert client.get("/dasbor/?periode=2026").status_code == 200


# --- The public transparency page --------------------------------------------------------------


def test_transparency_is_public_and_aggregate_only(client, world):
    rollups_rebuild()
    response = client.get("/transparansi/?tahun=2026")
    assert response.status_code == 200
    page = html(response)
    assert "87,50 (B)" in page and "Kauman" in page
    for private in (
        "3572034506900001",
        "81200000001",
        "Alice",
        "Wulandari",
        "Bob",
        "alice@warga.test",
        "Jl. Merdeka",
        "Rumah Bu Alice",
        "Lampu mati di Jalan Merdeka",
        "Sudah diperbaiki",
        "Data penduduk",
    ):
        assert private not in page, private
    for case in world.cases.values():
        assert case.tracking_code not in page


def test_transparency_counts_the_confidential_report_without_showing_it(client, world):
    rollups_rebuild()
    page = html(client.get("/transparansi/?tahun=2026"))
    # Sentul's only report is the confidential R5: counted, and only as a number.
    assert "<td>Sentul</td><td>1</td>" in page
    assert world.cases["R5"].tracking_code not in page


def test_transparency_bad_year_gives_a_message(client, world):
    response = client.get("/transparansi/?tahun=3000")
    assert response.status_code == 200 and "Tahun itu belum berjalan" in html(response)
    assert client.get("/transparansi/?tahun=abc").status_code == 200


def test_transparency_query_count_is_fixed(client, world, django_assert_max_num_queries):
    rollups_rebuild()
    with django_assert_max_num_queries(8):
        assert client.get("/transparansi/").status_code == 200


def test_pages_show_new_figures_as_soon_as_the_worker_rolls_them_up(client, personas, world):
    from datetime import timedelta

    import time_machine

    from kotacerdas.dashboard.actions import rollups_refresh
    from kotacerdas.dashboard.tests.conftest import NOW

    rollups_rebuild()
    tile = '<span class="n">{}</span><span class="l">permohonan layanan</span>'
    assert tile.format(3) in html(client.get("/transparansi/"))
    _case(Kind.SERVICE, personas.dukcapil, world.kauman, wib(2026, 6, 10), world.cases["C"].due_date)
    assert tile.format(3) in html(client.get("/transparansi/"))  # not rolled up yet: cached
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        rollups_refresh()
        assert tile.format(4) in html(client.get("/transparansi/"))


def test_open_now_links_ignore_the_period_and_keep_the_opd(staff_client, personas, world):
    rollups_rebuild()
    page = html(staff_client(personas.kepala).get("/dasbor/?periode=2026-03&opd=dpupr"))
    assert 'href="/dasbor/perkara/?opd=dpupr&jenis=report&keadaan=terlambat"' in page
    assert 'href="/dasbor/perkara/?periode=2026-03&opd=dpupr&jenis=report"' in page


def test_superuser_without_an_agency_sees_it_after_the_second_factor(staff_client, db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kotacerdas.accounts.models import User
    from kotacerdas.conftest import PASSWORD

    root = User.objects.create_superuser(email="root@pemkot.test", password=PASSWORD, name="Root")
    TOTPDevice.objects.create(user=root, name="test", confirmed=True)
    assert staff_client(root).get("/dasbor/").status_code == 200
