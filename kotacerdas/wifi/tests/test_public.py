"""The residents' side: the nearest free Wi-Fi, the map's data, a point's page, and reporting
a dead point in two taps, which becomes a citizen report for Diskominfotik."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kotacerdas.reports.models import Report, Support
from kotacerdas.wifi import actions
from kotacerdas.wifi.models import Health, Hotspot, HotspotReport, Incident

# Points at the centres of five kelurahan. From Sentul's centre the others are, in order,
# Gedog (1.7 km), Kepanjenlor, Kauman and Pakunden; from Pakunden's: Kauman (1.9 km),
# Kepanjenlor, Sentul, Gedog.
KELURAHAN = ["Sentul", "Kauman", "Gedog", "Pakunden", "Kepanjenlor"]
SENTUL_CENTRE = ("-8.075304", "112.18493")
PAKUNDEN = "35.72.02.1001"


def html(response) -> str:
    return unescape(response.content.decode()).replace("\xa0", " ")


def listed(response) -> list[str]:
    """The kelurahan of the listed points, top to bottom (the names end with it)."""
    items = html(response).split('id="hotspots">')[1].split("</ol>")[0]
    return [name.rsplit(" ", 1)[1] for name in re.findall(r"<strong>(.*?)</strong>", items)]


@pytest.fixture
def five(hotspot_factory) -> dict[str, Hotspot]:
    return {name: hotspot_factory(f"H-{name}", kelurahan=name, health=Health.OK) for name in KELURAHAN}


# --- The list --------------------------------------------------------------------------------


def test_list_is_ordered_by_distance_from_the_phone(client, five):
    response = client.get("/wifi/", {"lat": SENTUL_CENTRE[0], "lon": SENTUL_CENTRE[1]})
    assert response.status_code == 200
    assert listed(response) == ["Sentul", "Gedog", "Kepanjenlor", "Kauman", "Pakunden"]
    page = html(response)
    assert "Diurutkan dari yang terdekat ke lokasi Anda." in page
    assert "0 m" in page and "1,7 km" in page


def test_list_is_ordered_by_distance_from_the_chosen_kelurahan(client, five):
    response = client.get("/wifi/", {"kelurahan": PAKUNDEN})
    assert listed(response) == ["Pakunden", "Kauman", "Kepanjenlor", "Sentul", "Gedog"]
    assert "pusat Kelurahan Pakunden" in html(response)


def test_without_a_place_the_list_is_alphabetical_by_kelurahan(client, five):
    response = client.get("/wifi/")
    assert listed(response) == ["Gedog", "Kauman", "Kepanjenlor", "Pakunden", "Sentul"]
    page = html(response)
    assert "Gunakan lokasi saya" in page  # rendered hidden; nearby.js shows it where GPS exists
    assert 'data-points="/wifi/titik.geojson"' in page


UNREADABLE = [
    {"lat": "abc", "lon": "112.18"}, {"lat": "-8.07"}, {"lat": "95", "lon": "1"},
    {"lat": "nan", "lon": "inf"},
]


@pytest.mark.parametrize("query", UNREADABLE)
def test_unreadable_position_says_so_and_the_page_still_works(client, five, query):
    response = client.get("/wifi/", query)
    assert response.status_code == 200
    assert "Lokasi Anda tidak terbaca" in html(response)
    assert len(listed(response)) == 5


def test_unknown_kelurahan_says_so_and_the_page_still_works(client, five):
    response = client.get("/wifi/", {"kelurahan": "99.99.99.9999"})
    assert response.status_code == 200
    assert "Kelurahan itu tidak kami kenal" in html(response)
    assert listed(response) == ["Gedog", "Kauman", "Kepanjenlor", "Pakunden", "Sentul"]


def test_each_point_says_whether_it_works_in_words(client, hotspot_factory):
    hotspot_factory("A", kelurahan="Kauman", health=Health.OK)
    hotspot_factory("B", kelurahan="Sentul", health=Health.CRITICAL)
    hotspot_factory("C", kelurahan="Gedog", health=Health.OK, status="maintenance")
    hotspot_factory("D", kelurahan="Bendo")
    page = html(client.get("/wifi/"))
    assert '<span class="badge wifi-ok">Menyala</span>' in page
    assert '<span class="badge wifi-critical">Mati</span>' in page
    assert '<span class="badge wifi-maintenance">Dalam perawatan</span>' in page
    assert '<span class="badge wifi-unknown">Belum diketahui</span>' in page
    assert "baru saja dicek" in page and "belum pernah dicek" in page
    assert page.count("<summary>Tidak bisa tersambung?</summary>") == 4


def test_last_check_is_said_in_minutes_or_hours(client, hotspot_factory):
    hotspot = Hotspot.objects.filter(pk=hotspot_factory("A", health=Health.OK).pk)
    hotspot.update(last_probe_at=timezone.now() - timedelta(minutes=5, seconds=10))
    assert "dicek 5 menit lalu" in html(client.get("/wifi/A/"))
    hotspot.update(last_probe_at=timezone.now() - timedelta(hours=3, minutes=5))
    assert "dicek 3 jam lalu" in html(client.get("/wifi/"))


def test_retired_points_never_appear(client, hotspot_factory):
    hotspot_factory("OLD", kelurahan="Kauman", status="retired", name="Balai lama Kauman")
    hotspot_factory("NEW", kelurahan="Sentul")
    assert "Balai lama" not in html(client.get("/wifi/"))
    assert "OLD" not in html(client.get("/wifi/titik.geojson"))
    assert client.get("/wifi/OLD/").status_code == 404


def test_twenty_per_page_and_a_link_to_the_farther_ones(client, hotspot_factory):
    for n in range(23):
        hotspot_factory(kelurahan=KELURAHAN[n % 5])
    query = {"lat": SENTUL_CENTRE[0], "lon": SENTUL_CENTRE[1]}
    first = html(client.get("/wifi/", query))
    assert first.count("<summary>Tidak bisa tersambung?</summary>") == 20
    assert "Titik lain yang lebih jauh" in first
    assert f'href="?lat={SENTUL_CENTRE[0]}&lon={SENTUL_CENTRE[1]}&page=2"' in first
    second = client.get("/wifi/", query | {"page": "2"})
    assert listed(second) == ["Pakunden"] * 3


def test_public_list_queries_do_not_grow_with_the_hotspots(client, hotspot_factory,
                                                           django_assert_num_queries):
    hotspot_factory(kelurahan="Kauman")
    query = {"kelurahan": PAKUNDEN}
    with CaptureQueriesContext(connection) as few:
        client.get("/wifi/", query)
    for n in range(15):
        hotspot_factory(kelurahan=KELURAHAN[n % 5])
    with django_assert_num_queries(len(few)):
        assert len(listed(client.get("/wifi/", query))) == 16


# --- The map's data and a point's page -------------------------------------------------------


def test_geojson_has_title_url_and_status_only(client, hotspot_factory):
    hotspot_factory("KMN-1", kelurahan="Kauman", health=Health.PROBLEM, nas_ip="10.72.9.9",
                    management_address="192.0.2.77", nas_identifier="rt-rahasia",
                    called_station_id="hs-rahasia")
    hotspot_factory("SNT-1", kelurahan="Sentul", health=Health.OK, status="maintenance")
    response = client.get("/wifi/titik.geojson")
    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    text = response.content.decode()
    for secret in ["10.72.9.9", "192.0.2.77", "rt-rahasia", "hs-rahasia", "device_key"]:
        assert secret not in text
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert [set(f["properties"]) for f in data["features"]] == [{"title", "url", "status"}] * 2
    kauman, sentul = data["features"]
    assert kauman["properties"] == {"title": "Balai RW 01 Kauman", "url": "/wifi/KMN-1/", "status": "problem"}
    assert kauman["geometry"]["type"] == "Point"
    assert sentul["properties"]["status"] == "maintenance"


def test_point_page_shows_the_public_facts_only(client, hotspot_factory):
    hotspot_factory("KMN-1", kelurahan="Kauman", health=Health.OK, rw="3", rt="2",
                    address="Pos kamling RT 02", nas_ip="10.72.9.9", management_address="192.0.2.77")
    response = client.get("/wifi/KMN-1/")
    page = html(response)
    assert response.status_code == 200
    assert "Pos kamling RT 02, Kelurahan Kauman · RW 03 · RT 002" in page
    assert "Menyala" in page and "baru saja dicek" in page
    assert "Kirim laporan" in page
    assert "10.72.9.9" not in page and "192.0.2.77" not in page
    assert client.get("/wifi/NOPE/").status_code == 404


# --- Reporting a dead point ------------------------------------------------------------------


def report(client, hotspot, key="key-1"):
    return client.post(f"/wifi/{hotspot.code}/lapor/", {"submission_key": key}, follow=True)


@pytest.fixture
def dead(hotspot_factory) -> Hotspot:
    return hotspot_factory("SNT-RW03", kelurahan="Sentul", health=Health.CRITICAL)


def test_point_page_says_how_often_it_worked_in_the_last_30_days(client, hotspot_factory):
    point = hotspot_factory("SNT-01", kelurahan="Sentul", health=Health.OK)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    # Down three whole days out of thirty (today counts as a day it worked so far).
    Incident.objects.create(hotspot=point, started_at=today - timedelta(days=5),
                            ended_at=today - timedelta(days=2))
    page = " ".join(client.get(f"/wifi/{point.code}/").content.decode().split())
    assert "Menyala dalam 30 hari terakhir</dt><dd>90,0 %" in page


def test_a_point_never_checked_claims_no_uptime(client, hotspot_factory):
    point = hotspot_factory("SNT-02", kelurahan="Sentul")
    assert "30 hari terakhir" not in client.get(f"/wifi/{point.code}/").content.decode()


def test_anonymous_resident_reports_a_dead_point(client, dead):
    response = report(client, dead)
    assert response.redirect_chain == [("/wifi/SNT-RW03/", 302)]
    report_ = Report.objects.select_related("case__agency", "category").get()
    code = report_.case.tracking_code
    link = f'<a href="/pengaduan/{code}/">{code}</a>'
    assert f"Terima kasih, laporan terkirim ke Diskominfotik. Kode lacak: {link}" in html(response)
    assert report_.reporter is None
    assert report_.category.code == "wifi-mati"
    assert report_.case.agency.code == "diskominfotik"
    assert (report_.lat, report_.lon) == (dead.lat, dead.lon)
    assert "SNT-RW03" in report_.description and "Mati" in report_.description
    assert HotspotReport.objects.get().hotspot == dead
    assert HotspotReport.objects.get().report == report_
    # The point's page now says it is being handled.
    page = html(client.get("/wifi/SNT-RW03/"))
    assert f'Sudah dilaporkan warga dan sedang ditangani. Kode lacak: <a href="/pengaduan/{code}/">' in page


def test_logged_in_resident_becomes_the_reporter(client, personas, dead):
    client.force_login(personas.alice)
    report(client, dead)
    assert Report.objects.get().reporter == personas.alice


def test_double_tap_with_the_same_key_does_not_duplicate(client, personas, dead):
    client.force_login(personas.alice)
    report(client, dead)
    response = report(client, dead)
    assert Report.objects.count() == 1
    assert HotspotReport.objects.count() == 1
    assert "Laporan Anda sudah tercatat dan sedang ditangani" in html(response)


def test_anonymous_double_tap_does_not_duplicate(client, dead):
    report(client, dead)
    response = report(client, dead)
    assert Report.objects.count() == 1
    code = Report.objects.get().case.tracking_code
    link = f'<a href="/pengaduan/{code}/">{code}</a>'
    assert f"Titik ini sudah dilaporkan dan sedang ditangani. Kode lacak: {link}" in html(response)


def test_second_resident_supports_the_open_report(client, personas, dead):
    client.force_login(personas.alice)
    report(client, dead)
    bob = Client()
    bob.force_login(personas.bob)
    response = report(bob, dead, key="bobs-key")
    assert Report.objects.count() == 1
    assert Support.objects.get().user == personas.bob
    assert Report.objects.get().supporters == 1
    assert "Titik ini sudah dilaporkan dan sedang ditangani" in html(response)


def test_two_dead_points_from_one_page_are_two_reports(client, personas, hotspot_factory):
    client.force_login(personas.alice)
    first = hotspot_factory(kelurahan="Sentul", health=Health.CRITICAL)
    second = hotspot_factory(kelurahan="Gedog", health=Health.CRITICAL)
    page = html(client.get("/wifi/"))
    keys = re.findall(r'name="submission_key" value="(\w+)"', page)
    assert len(set(keys)) == 2  # one per form
    report(client, first, keys[1])
    report(client, second, keys[0])
    assert HotspotReport.objects.count() == 2


def test_retired_point_cannot_be_reported(client, hotspot_factory):
    old = hotspot_factory("OLD", status="retired")
    response = report(client, old)
    assert response.redirect_chain == [("/wifi/", 302)]
    assert "Titik ini sedang tidak dipakai, jadi tidak dapat dilaporkan." in html(response)
    assert Report.objects.count() == 0


def test_officer_cannot_file_a_residents_report(client, personas, dead):
    client.force_login(personas.outsider)
    response = report(client, dead)
    assert "Akun petugas tidak dapat membuat pengaduan warga." in html(response)
    assert Report.objects.count() == 0


def test_report_needs_the_csrf_token_and_a_post(dead):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/wifi/SNT-RW03/lapor/", {"submission_key": "k"}).status_code == 403
    assert strict.get("/wifi/SNT-RW03/lapor/").status_code == 405
    assert Report.objects.count() == 0


def test_missing_category_is_a_message_not_a_crash(client, city, dead):
    city.category.delete()
    response = report(client, dead)
    assert "Kategori pengaduan Wi-Fi belum disiapkan" in html(response)


def test_site_search_finds_a_point_and_forgets_it_when_retired(client, hotspot_factory, personas):
    point = hotspot_factory("SNT-RW03", kelurahan="Sentul", name="Balai RW 03 Sentul", nas_ip="10.72.9.9")
    page = client.get("/cari/", {"q": "wifi sentul"}).content.decode()
    assert "Balai RW 03 Sentul" in page and "/wifi/SNT-RW03/" in page
    assert "10.72.9.9" not in page
    actions.hotspot_save(actor=personas.admin, hotspot=point,
                         data={**actions.hotspot_as_row(point), "status": "retired"})
    assert "Balai RW 03 Sentul" not in client.get("/cari/", {"q": "wifi sentul"}).content.decode()
