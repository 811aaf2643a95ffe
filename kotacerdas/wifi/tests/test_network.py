"""The operators' network dashboard: health now, uptime and usage over a period, read from
incidents and daily rollups only."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.agencies.models import Agency
from kotacerdas.conftest import make_staff
from kotacerdas.wifi.models import Health, Incident, UsageDay

JAKARTA = ZoneInfo("Asia/Jakarta")
URL = "/wifi/kelola/jaringan/"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=JAKARTA)
GIB = 1024**3


@pytest.fixture
def operator(city):
    return make_staff("Nina Jaringan", "nina@diskominfotik.test", Agency.objects.get(code="diskominfotik"),
                      "operator")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


def usage(hotspot, day: date, sessions: int, users: int, gib: int, peak: int) -> UsageDay:
    return UsageDay.objects.create(hotspot=hotspot, day=day, sessions=sessions, unique_users=users,
                                   bytes_in=gib * GIB // 4, bytes_out=gib * GIB * 3 // 4,
                                   peak_concurrent=peak)


@time_machine.travel(NOW, tick=False)
def test_operator_sees_health_uptime_and_usage_of_the_period(staff_client, operator, hotspot_factory):
    sentul = hotspot_factory("SNT-01", kelurahan="Sentul", health=Health.OK)
    kauman = hotspot_factory("KMN-01", kelurahan="Kauman", health=Health.CRITICAL)
    # Down six hours on 19 November: a quarter of that day for one point of two.
    Incident.objects.create(hotspot=kauman, started_at=datetime(2026, 11, 19, 6, tzinfo=JAKARTA),
                            ended_at=datetime(2026, 11, 19, 12, tzinfo=JAKARTA), cause="timeout")
    usage(sentul, date(2026, 11, 19), sessions=120, users=40, gib=8, peak=12)
    usage(kauman, date(2026, 11, 19), sessions=30, users=10, gib=2, peak=5)
    usage(sentul, date(2026, 10, 1), sessions=999, users=999, gib=99, peak=99)  # outside the period

    page = html(staff_client(operator).get(URL, {"dari": "2026-11-19", "sampai": "2026-11-19"}))

    assert "Menyala</dt><dd><a href=\"/wifi/kelola/?health=ok\">1</a>" in page
    assert "Mati</dt><dd><a href=\"/wifi/kelola/?health=critical\">1</a>" in page
    assert "Seluruh kota</dt><dd>87,5 %" in page  # (24 + 18) / 48 hours
    # November up to now: 19.5 days × 2 points = 936 point-hours, 6 of them down.
    assert "November 2026</td><td>99,4 %</td>" in page
    assert "KMN-01" in page and "75,0 %" in page and "6 jam" in page
    assert "Sesi</dt><dd>150" in page
    assert "10,0 GiB" in page
    # The points' own peaks, added up: 12 + 5 (an upper bound; they need not coincide).
    assert "Puncak pengguna bersamaan (jumlah puncak titik)</dt><dd>17" in page
    assert "999" not in page


@time_machine.travel(NOW, tick=False)
def test_kelurahan_filter_narrows_usage_and_uptime(staff_client, operator, hotspot_factory):
    sentul = hotspot_factory("SNT-01", kelurahan="Sentul", health=Health.OK)
    kauman = hotspot_factory("KMN-01", kelurahan="Kauman", health=Health.OK)
    usage(sentul, date(2026, 11, 19), sessions=120, users=40, gib=8, peak=12)
    usage(kauman, date(2026, 11, 19), sessions=30, users=10, gib=2, peak=5)
    sentul_code = sentul.kelurahan.code

    page = html(staff_client(operator).get(URL, {"dari": "2026-11-19", "sampai": "2026-11-19",
                                                 "kelurahan": sentul_code}))

    assert "Sesi</dt><dd>120" in page
    assert "KMN-01" not in page


@time_machine.travel(NOW, tick=False)
def test_a_period_backwards_or_over_a_year_is_explained(staff_client, operator, city):
    client = staff_client(operator)
    page = html(client.get(URL, {"dari": "2026-11-19", "sampai": "2026-11-01"}))
    assert "Tanggal awal harus sebelum tanggal akhir." in page
    page = html(client.get(URL, {"dari": "2024-01-01", "sampai": "2026-11-01"}))
    assert "Periode paling panjang satu tahun." in page
    page = html(client.get(URL, {"dari": "kemarin"}))
    assert 'name="dari"' in page  # the form is shown again with its error, the page still works
    # Without a period: the last 30 days, filled in as the date inputs read them.
    page = html(client.get(URL))
    assert 'name="dari" value="2026-10-22"' in page and 'name="sampai" value="2026-11-20"' in page


@time_machine.travel(NOW, tick=False)
def test_usage_figures_are_reused_for_five_minutes(staff_client, operator, hotspot_factory):
    point = hotspot_factory("SNT-01", kelurahan="Sentul", health=Health.OK)
    usage(point, date(2026, 11, 19), sessions=120, users=40, gib=8, peak=12)
    client = staff_client(operator)
    period = {"dari": "2026-11-19", "sampai": "2026-11-19"}
    assert "Sesi</dt><dd>120" in html(client.get(URL, period))
    UsageDay.objects.filter(hotspot=point).update(sessions=130)  # the worker's next rollup
    assert "Sesi</dt><dd>120" in html(client.get(URL, period))
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        assert "Sesi</dt><dd>130" in html(client.get(URL, period))


def test_resident_and_other_agency_get_404(client, staff_client, personas, city):
    client.force_login(personas.alice)
    assert client.get(URL).status_code in (302, 404)  # residents are not officers: sent home
    client.logout()
    assert staff_client(personas.outsider).get(URL).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_queries_do_not_grow_with_points_days_or_incidents(staff_client, operator, hotspot_factory):
    client = staff_client(operator)
    first = hotspot_factory("A-01", health=Health.OK)
    usage(first, date(2026, 11, 19), 10, 5, 1, 2)
    cache.clear()  # the usage figures are kept a few minutes; count the queries that make them
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"dari": "2026-08-22", "sampai": "2026-11-20"})
    for n in range(2, 12):
        point = hotspot_factory(f"A-{n:02d}", kelurahan="Sentul", health=Health.PROBLEM)
        for back in range(5):
            usage(point, date(2026, 11, 19) - timedelta(days=back), 10, 5, 1, 2)
        Incident.objects.create(hotspot=point, started_at=NOW - timedelta(days=n),
                                ended_at=NOW - timedelta(days=n - 1))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"dari": "2026-08-22", "sampai": "2026-11-20"})
    assert len(many) == len(few)
