"""The public side: the map's list and GeoJSON with their filters, the HTMX fragment, the
Atom feed, the statistics on a small known set of reports, and the query budget of the
map whatever the number of reports."""

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotacerdas.reports import actions, queries
from kotacerdas.reports.models import CloseReason, Privacy
from kotacerdas.reports.tests.conftest import ELSEWHERE, IN_CITY, KAUMAN, KEPANJENLOR, html, wib

ATOM = "{http://www.w3.org/2005/Atom}"


# --- Filters ----------------------------------------------------------------------------------------


@pytest.fixture
def spread(submit, personas, roads):
    """Four public reports over a week, two categories, two kelurahan, open and done;
    and a confidential one that no filter ever shows."""
    with time_machine.travel(wib(2026, 4, 6, 9), tick=False) as traveller:
        kauman_open = submit(personas.alice, description="Satu")  # Kauman, 6 April, open
        traveller.move_to(wib(2026, 4, 8, 9))
        roads_answered = submit(personas.bob, to=roads, at=ELSEWHERE, description="Dua")  # Kepanjenlor
        actions.report_verify(report=roads_answered, actor=personas.outsider)
        actions.report_answer(report=roads_answered, actor=personas.outsider, text="Ditambal.")
        traveller.move_to(wib(2026, 4, 10, 9))
        kepanjenlor_closed = submit(personas.bob, at=ELSEWHERE, description="Tiga")
        actions.report_close(report=kepanjenlor_closed, actor=personas.operator, reason=CloseReason.NO_ACTION)
        traveller.move_to(wib(2026, 4, 12, 9))
        kauman_anonymous = submit(personas.bob, privacy=Privacy.ANONYMOUS, description="Empat")
        secret = submit(personas.alice, privacy=Privacy.CONFIDENTIAL, description="Lima")
    return {
        name: report.case.tracking_code
        for name, report in {
            "kauman_open": kauman_open,
            "roads_answered": roads_answered,
            "kepanjenlor_closed": kepanjenlor_closed,
            "kauman_anonymous": kauman_anonymous,
            "secret": secret,
        }.items()
    }


FILTERS = [
    ({}, {"kauman_open", "roads_answered", "kepanjenlor_closed", "kauman_anonymous"}),
    ({"category": "pelayanan-adminduk"}, {"kauman_open", "kepanjenlor_closed", "kauman_anonymous"}),
    ({"category": "jalan-berlubang"}, {"roads_answered"}),
    ({"status": "open"}, {"kauman_open", "kauman_anonymous"}),
    ({"status": "closed"}, {"roads_answered", "kepanjenlor_closed"}),
    ({"kelurahan": KAUMAN}, {"kauman_open", "kauman_anonymous"}),
    ({"kelurahan": KEPANJENLOR}, {"roads_answered", "kepanjenlor_closed"}),
    ({"since": "2026-04-08"}, {"roads_answered", "kepanjenlor_closed", "kauman_anonymous"}),
    ({"until": "2026-04-08"}, {"kauman_open", "roads_answered"}),
    ({"since": "2026-04-08", "until": "2026-04-10"}, {"roads_answered", "kepanjenlor_closed"}),
    ({"category": "pelayanan-adminduk", "status": "closed"}, {"kepanjenlor_closed"}),
    ({"kelurahan": KAUMAN, "status": "closed"}, set()),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_the_list_filters(client, spread, query, expected):
    page = html(client.get("/pengaduan/", query))
    assert {name for name, code in spread.items() if code in page} == expected


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_the_geojson_filters_the_same_way(client, spread, query, expected):
    response = client.get("/pengaduan/peta.geojson", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    codes = {feature["properties"]["code"] for feature in data["features"]}
    assert {name for name, code in spread.items() if code in codes} == expected
    assert len(codes) == len(expected)


def test_a_geojson_feature_carries_the_point_and_what_the_map_shows(client, spread, category):
    data = json.loads(client.get("/pengaduan/peta.geojson", {"category": category.code, "status": "open",
                                                               "until": "2026-04-06"}).content)
    [feature] = data["features"]
    code = spread["kauman_open"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [IN_CITY[1], IN_CITY[0]]}
    assert feature["properties"] == {
        "code": code,
        "title": category.name,
        "category": category.code,
        "status": "submitted",
        "open": True,
        "supporters": 0,
        "created": "2026-04-06",
        "url": f"/pengaduan/{code}/",
    }


def test_the_filter_form_keeps_the_choices_and_the_map_gets_the_same_query(client, spread):
    page = html(client.get("/pengaduan/", {"kelurahan": KAUMAN, "status": "open"}))
    assert f'data-points="/pengaduan/peta.geojson?kelurahan={KAUMAN}&status=open"' in page
    assert f'<option value="{KAUMAN}" selected>' in page


def test_htmx_asks_only_for_the_rows(client, spread):
    response = client.get("/pengaduan/", {"status": "open"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = html(response)
    assert "<html" not in fragment and "<form" not in fragment
    assert '<ul class="report-list">' in fragment
    assert "2 laporan" in fragment
    assert spread["kauman_open"] in fragment and spread["kauman_anonymous"] in fragment
    assert spread["roads_answered"] not in fragment


def test_the_list_pages_keep_the_filters(client, submit, personas):
    with time_machine.travel(wib(2026, 4, 6, 9), tick=True):
        for n in range(22):
            submit(personas.bob, description=f"Laporan {n}")
    page = html(client.get("/pengaduan/", {"status": "open"}))
    assert "22 laporan" in page
    assert 'href="?status=open&page=2"' in page
    second = html(client.get("/pengaduan/", {"status": "open", "page": 2}))
    assert "Laporan 0" in second and "Laporan 21" not in second
    assert "Halaman 2 dari 2" in second


# --- Atom feed ----------------------------------------------------------------------------------------


def test_the_feed_is_valid_atom_with_the_public_reports_newest_first(client, spread):
    response = client.get("/pengaduan/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Pengaduan warga Kota Blitar"
    entries = root.findall(f"{ATOM}entry")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    newest_first = ["kauman_anonymous", "kepanjenlor_closed", "roads_answered", "kauman_open"]
    assert [link.rstrip("/").rsplit("/", 1)[-1] for link in links] == [spread[n] for n in newest_first]
    assert all(link.startswith("http") for link in links)
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == "Pelayanan adminduk keliling · Kauman"
    assert newest.findtext(f"{ATOM}summary") == "Empat"
    assert datetime.fromisoformat(newest.findtext(f"{ATOM}published")) == wib(2026, 4, 12, 9)
    assert newest.findtext(f"{ATOM}updated")
    assert newest.find(f"{ATOM}author") is None


def test_the_feed_takes_the_map_filters(client, spread):
    response = client.get("/pengaduan/feed.atom", {"category": "jalan-berlubang"})
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input
    [entry] = root.findall(f"{ATOM}entry")
    assert spread["roads_answered"] in entry.find(f"{ATOM}link").get("href")
    assert entry.findtext(f"{ATOM}title") == "Jalan berlubang · Kepanjenlor"


# --- Statistics -----------------------------------------------------------------------------------------


@pytest.fixture
def handled(submit, personas, roads):
    """Reports of April 2026 with a known history (no holidays from 6 to 29 April):

    R1 Kauman, Dispendukcapil: verified 6 Apr (due 13), answered 8 Apr, confirmed 10 Apr.
    R2 Kauman, Dispendukcapil: verified 7 Apr (due 14), answered 15 Apr (late), closed by
       itself on 29 Apr.
    R3 Kepanjenlor, DPUPR: closed 9 Apr, not the city's responsibility; never answered.
    R4 Kepanjenlor, Dispendukcapil, confidential: verified 6 Apr, answered 7 Apr, closed by
       itself on 21 Apr. Counted, like every report, though not shown.
    R5 (DPUPR) and R6 (Dispendukcapil, confidential): rejected as spam, not counted."""
    operator, dpupr = personas.operator, personas.outsider
    with time_machine.travel(wib(2026, 4, 6, 9), tick=False) as traveller:
        r1 = submit(personas.alice)
        r2 = submit(personas.bob)
        r3 = submit(personas.bob, to=roads, at=ELSEWHERE)
        r4 = submit(personas.alice, at=ELSEWHERE, privacy=Privacy.CONFIDENTIAL)
        r5 = submit(personas.bob, to=roads, description="spam")
        r6 = submit(personas.bob, privacy=Privacy.CONFIDENTIAL, description="spam")
        actions.report_verify(report=r1, actor=operator)
        actions.report_verify(report=r4, actor=operator)
        actions.report_reject(report=r5, actor=dpupr, reason="Spam.")
        actions.report_reject(report=r6, actor=operator, reason="Spam.")
        traveller.move_to(wib(2026, 4, 7, 9))
        actions.report_verify(report=r2, actor=operator)
        actions.report_answer(report=r4, actor=operator, text="Ditindak.")
        traveller.move_to(wib(2026, 4, 8, 9))
        actions.report_answer(report=r1, actor=operator, text="Sudah.")
        traveller.move_to(wib(2026, 4, 9, 9))
        actions.report_close(report=r3, actor=dpupr, reason=CloseReason.NOT_RESPONSIBLE,
                             note="Jalan provinsi.")
        traveller.move_to(wib(2026, 4, 10, 9))
        r1.refresh_from_db()
        actions.report_confirm(report=r1, actor=personas.alice)
        traveller.move_to(wib(2026, 4, 15, 9))
        actions.report_answer(report=r2, actor=operator, text="Terlambat, maaf.")
        traveller.move_to(wib(2026, 4, 21, 1))
        assert actions.reports_autoclose() == 1  # R4
        traveller.move_to(wib(2026, 4, 29, 1))
        assert actions.reports_autoclose() == 1  # R2
    return personas


def test_figures_on_a_known_set_of_reports(handled, category, roads):
    figures = queries.figures(year=2026)
    assert figures.total == 4
    assert dict(figures.by_category) == {category.name: 3, roads.name: 1}
    assert dict(figures.by_kelurahan) == {"Kauman": 2, "Kepanjenlor": 2}
    # First answers after 2 (R1), 7 (R2) and 1 (R4) working days.
    assert figures.median_days_to_answer == 2
    # Closed after 4 (R1, 10 Apr), 17 (R2, 29 Apr), 3 (R3, 9 Apr) and 11 (R4, 21 Apr) working days.
    assert figures.median_days_to_close == 7.5
    by_agency = {f.agency.code: f for f in figures.agencies}
    assert set(by_agency) == {"dispendukcapil", "dpupr"}
    dukcapil, dpupr = by_agency["dispendukcapil"], by_agency["dpupr"]
    assert (dukcapil.reports, dukcapil.answered) == (3, 3)
    assert dukcapil.within_sla == pytest.approx(2 / 3)  # R2 was answered a day late
    assert (dpupr.reports, dpupr.answered, dpupr.within_sla) == (1, 0, 0)


def test_figures_of_another_year_are_empty(handled):
    figures = queries.figures(year=2025)
    assert figures.total == 0
    assert figures.by_category == [] and figures.agencies == []
    assert figures.median_days_to_answer is None and figures.median_days_to_close is None


def test_the_statistics_page_shows_the_figures(client, handled):
    with time_machine.travel(wib(2026, 6, 1, 9), tick=False):
        response = client.get("/pengaduan/statistik/", {"tahun": "2026"})
    assert response.status_code == 200
    page = html(response)
    assert "Statistik pengaduan 2026" in page
    assert "<dt>Jumlah laporan</dt><dd>4</dd>" in page
    assert "2 hari kerja" in page and "7,5 hari kerja" in page
    assert "<td>Dinas Kependudukan dan Pencatatan Sipil</td><td>3</td><td>3</td><td>67%</td>" in page
    assert "<td>Dinas Pekerjaan Umum dan Penataan Ruang</td><td>1</td><td>0</td><td>0%</td>" in page


def test_the_statistics_page_takes_no_year_from_the_future(client, handled):
    with time_machine.travel(wib(2026, 6, 1, 9), tick=False):
        assert "Statistik pengaduan 2026" in html(client.get("/pengaduan/statistik/", {"tahun": "2099"}))
        assert "Statistik pengaduan 2026" in html(client.get("/pengaduan/statistik/", {"tahun": "dua"}))


# --- Query budget -----------------------------------------------------------------------------------------


def queries_for(path: str) -> int:
    visitor = Client()
    visitor.get(path)  # warm caches (boundaries, sessions) out of the count
    with CaptureQueriesContext(connection) as captured:
        response = visitor.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/pengaduan/", "/pengaduan/?status=open", "/pengaduan/peta.geojson",
                                  "/pengaduan/feed.atom"])
def test_the_map_costs_the_same_queries_for_3_or_30_reports(submit, personas, roads, path):
    def make(n: int) -> None:
        for i in range(n):
            submit(personas.bob, to=roads if i % 2 else None, description=f"Laporan {i}",
                   privacy=Privacy.ANONYMOUS if i % 3 == 0 else Privacy.PUBLIC)

    make(3)
    few = queries_for(path)
    make(27)
    many = queries_for(path)
    assert few == many, (few, many)
    assert many <= 8


def test_filtering_by_date_uses_the_day_in_kota_blitar(client, submit, personas):
    # 06:30 WIB on 7 April is 23:30 UTC on 6 April: the day filters go by Kota Blitar's calendar.
    with time_machine.travel(wib(2026, 4, 7, 6, 30), tick=False):
        early = submit(personas.bob).case.tracking_code
    page = html(client.get("/pengaduan/", {"since": date(2026, 4, 7).isoformat()}))
    assert early in page
    assert early not in html(client.get("/pengaduan/", {"until": "2026-04-06"}))


def test_the_map_data_is_fresh_after_every_change_though_it_is_cached(client, submit, personas):
    # Frozen clock: only the version's ids can tell the map that something changed.
    from kotacerdas.cases.actions import case_transition
    from kotacerdas.reports.tests.conftest import make_resident

    def markers() -> dict:
        data = json.loads(client.get("/pengaduan/peta.geojson").content)
        return {f["properties"]["code"]: (f["properties"]["status"], f["properties"]["supporters"])
                for f in data["features"]}

    with time_machine.travel(wib(2026, 4, 6, 9), tick=False):
        first = submit(personas.alice)
        assert markers() == {first.case.tracking_code: ("submitted", 0)}
        second = submit(personas.bob, description="Lampu mati")
        assert set(markers()) == {first.case.tracking_code, second.case.tracking_code}
        actions.report_verify(report=first, actor=personas.operator)
        assert markers()[first.case.tracking_code] == ("verified", 0)
        # A move made on the case page, not through the reports' own actions.
        case_transition(case=first.case, to_status="in_progress", actor=personas.operator)
        assert markers()[first.case.tracking_code] == ("in_progress", 0)
        actions.report_support(report=first, user=make_resident("Carol Susanti", "carol@warga.test"))
        assert markers()[first.case.tracking_code] == ("in_progress", 1)
        actions.report_reject(report=second, actor=personas.operator, reason="Iklan.")
        assert set(markers()) == {first.case.tracking_code}
