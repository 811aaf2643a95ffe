"""Spec §1.7 GET Service Requests and §1.8 GET Service Request, the token lookup of §1.6,
and the extensions: page/page_size, updated_after/updated_before, extensions=true."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.cases.actions import case_comment
from kotacerdas.reports.actions import report_answer, report_close, report_merge, report_verify
from kotacerdas.reports.models import Photo, Report
from kotacerdas.reports.open311 import forms
from kotacerdas.reports.open311.tests.conftest import jpeg

WIB = ZoneInfo("Asia/Jakarta")
FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
]


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def report(file_report):
    with time_machine.travel(wib(2026, 11, 23, 9, 30), tick=False):  # a Monday
        return file_report(photos=[jpeg()])


def test_a_request_has_every_spec_field(api, report, fmt, settings):
    settings.SITE_URL = "https://kotacerdas.blitarkota.go.id"
    with time_machine.travel(wib(2026, 11, 24, 8), tick=False):
        [request] = api.get("requests", fmt).data

    assert list(request) == FIELDS
    code = report.case.tracking_code
    photo = report.photos.get()
    expected = {
        "service_request_id": code,
        "status": "open",
        "status_notes": None,
        "service_name": "Jalan rusak atau berlubang",
        "service_code": "jalan-rusak",
        "description": "Jalan berlubang di depan Alun-alun, membahayakan pengendara motor.",
        "agency_responsible": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "service_notice": None,
        "requested_datetime": "2026-11-23T09:30:00+07:00",
        "updated_datetime": "2026-11-23T09:30:00+07:00",
        # 3 working days to verify (SP4N-LAPOR!), to the end of that day in WIB.
        "expected_datetime": "2026-11-26T23:59:59+07:00",
        "address": "Jl. Merdeka, depan Alun-alun, Kelurahan Kauman, Kecamatan Kepanjenkidul, Kota Blitar",
        "address_id": "35.72.01.1004",
        "zipcode": "66117",
        "lat": -8.0953,
        "long": 112.1612,
        "media_url": f"https://kotacerdas.blitarkota.go.id/pengaduan/foto/{photo.pk}/",
    }
    if fmt == "xml":
        expected = {k: (None if v is None else str(v)) for k, v in expected.items()}
    assert request == expected


def test_both_formats_agree(api, report):
    with time_machine.travel(wib(2026, 11, 24, 8), tick=False):
        api.both("requests")
        api.both(f"requests/{report.case.tracking_code}")
        api.both("requests", extensions="true")


def test_xml_is_service_requests_of_request(api, report):
    with time_machine.travel(wib(2026, 11, 24, 8), tick=False):
        root = api.get("requests", "xml").root

    assert root.tag == "service_requests"
    assert [child.tag for child in root] == ["request"]
    assert [child.tag for child in root[0]] == FIELDS


def test_every_datetime_carries_the_wib_offset(api, report):
    with time_machine.travel(wib(2026, 11, 24, 8), tick=False):
        [request] = api.get("requests", "json").data

    for name in ["requested_datetime", "updated_datetime", "expected_datetime"]:
        assert request[name].endswith("+07:00")
        assert datetime.fromisoformat(request[name]).utcoffset() == timedelta(hours=7)


def test_the_photo_link_opens_the_photo(api, client, report):
    with time_machine.travel(wib(2026, 11, 24, 8), tick=False):
        [request] = api.get("requests", "json").data

    path = request["media_url"].removeprefix("http://localhost:8000")
    assert client.get(path).status_code == 200


def test_no_photo_no_media_url(api, file_report):
    file_report()

    assert api.get("requests", "json").data[0]["media_url"] is None


# --- One request, tokens ------------------------------------------------------------------


def test_one_request_is_still_a_list_of_one(api, report, fmt):
    code = report.case.tracking_code

    answer = api.get(f"requests/{code}", fmt)

    assert answer.status == 200
    [request] = answer.data
    assert request["service_request_id"] == code
    if fmt == "xml":
        assert answer.root.tag == "service_requests" and [c.tag for c in answer.root] == ["request"]


def test_one_request_by_its_code_as_a_resident_types_it(api, report):
    typed = report.case.tracking_code.replace("-", "").lower()

    assert api.get(f"requests/{typed}", "json").data[0]["service_request_id"] == report.case.tracking_code


def test_an_unknown_request_is_404_with_an_error_body(api, city, fmt):
    answer = api.get("requests/7KQM-3XPC", fmt)

    assert answer.status == 404
    assert str(answer.data[0]["code"]) == "404"
    assert "7KQM-3XPC" in answer.data[0]["description"]


def test_a_token_lookup_maps_our_id_or_is_404(api, report, fmt):
    code = report.case.tracking_code

    answer = api.get(f"tokens/{code}", fmt)
    assert answer.status == 200
    assert answer.data == [{"service_request_id": code, "token": code}]

    assert api.get("tokens/12345", fmt).status == 404


# --- Filters ------------------------------------------------------------------------------


@pytest.fixture
def november(file_report, city):
    """Four reports over November 2026: two open, one answered, one closed."""
    made = {}
    for day, name, category in [
        (2, "old_road", "jalan-rusak"),
        (10, "lamp", "lampu-jalan-mati"),
        (16, "drain", "saluran-tersumbat"),
        (23, "road", "jalan-rusak"),
    ]:
        with time_machine.travel(wib(2026, 11, day, 10), tick=False):
            made[name] = file_report(category)
    with time_machine.travel(wib(2026, 11, 24, 9), tick=False):
        report_verify(report=made["old_road"], actor=city.outsider)
        report_close(report=made["old_road"], actor=city.outsider, reason="fixed", note="Sudah ditambal.")
        report_verify(report=made["road"], actor=city.outsider)
        report_answer(report=made["road"], actor=city.outsider, text="Dijadwalkan pekan depan.")
    return {name: report.case.tracking_code for name, report in made.items()}


def codes(answer) -> list[str]:
    return [request["service_request_id"] for request in answer.data]


@pytest.fixture
def end_of_november():
    with time_machine.travel(wib(2026, 11, 30, 12), tick=False):
        yield


def test_newest_first_within_the_last_90_days_by_default(api, november, end_of_november):
    assert codes(api.get("requests", "json")) == [
        november["road"], november["drain"], november["lamp"], november["old_road"]
    ]


def test_the_default_window_is_the_last_90_days(api, november):
    with time_machine.travel(wib(2027, 2, 16, 12), tick=False):  # 90 days after 18 November
        assert codes(api.get("requests", "json")) == [november["road"]]


def test_service_code_is_a_comma_list(api, november, end_of_november, fmt):
    answer = api.get("requests", fmt, service_code="jalan-rusak,lampu-jalan-mati")

    assert codes(answer) == [november["road"], november["lamp"], november["old_road"]]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["drain", "lamp"]),
        ("closed", ["road", "old_road"]),
        ("open,closed", ["road", "drain", "lamp", "old_road"]),
        ("closed, open", ["road", "drain", "lamp", "old_road"]),
        ("", ["road", "drain", "lamp", "old_road"]),
    ],
)
def test_status_is_open_or_closed_or_both(api, november, end_of_november, status, expected):
    assert codes(api.get("requests", "json", status=status)) == [november[name] for name in expected]


def test_an_unknown_status_is_400(api, november, end_of_november, fmt):
    answer = api.get("requests", fmt, status="fixed")

    assert answer.status == 400
    assert "open" in answer.data[0]["description"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-11-09T00:00:00+07:00", "2026-11-16T23:59:59+07:00"),
        ("2026-11-08T17:00:00Z", "2026-11-16T16:59:59Z"),
        ("2026-11-09T00:00+07:00", "2026-11-17T00:00+07:00"),
        ("2026-11-09", "2026-11-16"),  # dates: whole days in Kota Blitar
        ("2026-11-09T00:00:00 07:00", "2026-11-16T23:59:59 07:00"),  # an unencoded + arrives as a space
    ],
)
def test_start_and_end_date_filter_requested_datetime(api, november, end_of_november, start, end):
    answer = api.get("requests", "json", start_date=start, end_date=end)

    assert answer.status == 200, answer.data
    assert codes(answer) == [november["drain"], november["lamp"]]


def test_start_date_alone_gives_90_days_from_it(api, november, end_of_november):
    assert codes(api.get("requests", "json", start_date="2026-11-15T00:00:00+07:00")) == [
        november["road"], november["drain"]
    ]


def test_end_date_alone_gives_the_90_days_before_it(api, november, end_of_november):
    assert codes(api.get("requests", "json", end_date="2026-11-11T00:00:00+07:00")) == [
        november["lamp"], november["old_road"]
    ]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-11-30T00:00:00+07:00"}, "90"),
        ({"start_date": "2026-11-20T00:00:00+07:00", "end_date": "2026-11-10T00:00:00+07:00"}, "end_date"),
        ({"start_date": "kemarin"}, "start_date"),
        ({"end_date": "2026-11-10T08:00:00"}, "end_date"),  # a time needs its zone
        ({"page": "0"}, "page"),
        ({"page_size": "1001"}, "page_size"),
        ({"updated_after": "2026-13-01"}, "updated_after"),
    ],
)
def test_bad_arguments_are_400(api, november, end_of_november, fmt, params, says):
    answer = api.get("requests", fmt, **params)

    assert answer.status == 400
    assert says in answer.data[0]["description"]


def test_service_request_id_overrides_every_other_argument(api, november, end_of_november):
    answer = api.get(
        "requests",
        "json",
        service_request_id=f"{november['old_road']},{november['lamp']}",
        status="open",
        service_code="saluran-tersumbat",
        start_date="2026-11-20T00:00:00+07:00",
    )

    assert sorted(codes(answer)) == sorted([november["old_road"], november["lamp"]])


def test_service_request_id_reaches_past_the_90_days(api, november):
    with time_machine.travel(wib(2027, 6, 1), tick=False):
        assert codes(api.get("requests", "json", service_request_id=november["lamp"])) == [november["lamp"]]


def test_empty_arguments_behave_as_absent(api, november, end_of_november):
    everything = codes(api.get("requests", "json"))

    empty = dict.fromkeys(
        ["service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id",
         "page", "page_size", "updated_after", "updated_before", "extensions"], "",
    )
    assert codes(api.get("requests", "json", **empty)) == everything


def test_at_most_1000_requests(api, november, end_of_november, monkeypatch):
    monkeypatch.setattr(forms, "MAX_REQUESTS", 3)  # 1,000 real reports would make a slow test

    assert len(api.get("requests", "json").data) == 3


def test_page_and_page_size(api, november, end_of_november):
    first = codes(api.get("requests", "json", page_size="3"))
    second = codes(api.get("requests", "json", page_size="3", page="2"))

    assert first == [november["road"], november["drain"], november["lamp"]]
    assert second == [november["old_road"]]
    assert codes(api.get("requests", "json", page_size="3", page="3")) == []


def test_updated_after_and_before_follow_changes(api, november, end_of_november):
    changed = codes(api.get("requests", "json", updated_after="2026-11-24T00:00:00+07:00"))
    unchanged = codes(api.get("requests", "json", updated_before="2026-11-24T00:00:00+07:00"))

    assert changed == [november["road"], november["old_road"]]
    assert unchanged == [november["drain"], november["lamp"]]


def test_a_change_feed_follows_reports_older_than_90_days(api, november):
    with time_machine.travel(wib(2027, 3, 1), tick=False):
        answer = api.get("requests", "json", updated_after="2026-11-24T00:00:00+07:00")

    assert codes(answer) == [november["road"], november["old_road"]]


# --- Statuses, notes, extended --------------------------------------------------------------


def test_closed_request_says_why_and_when(api, november, end_of_november):
    [old_road] = api.get("requests", "json", service_request_id=november["old_road"]).data

    assert old_road["status"] == "closed"
    assert old_road["status_notes"] == "Selesai ditangani. / Fixed. Sudah ditambal."
    assert old_road["updated_datetime"] == "2026-11-24T09:00:00+07:00"
    assert old_road["expected_datetime"] is None


def test_an_answered_request_is_closed_with_the_answer_as_its_note(api, november, end_of_november):
    [road] = api.get("requests", "json", service_request_id=november["road"]).data

    assert road["status"] == "closed"
    assert road["status_notes"] == "Dijadwalkan pekan depan."


def test_public_replies_update_but_internal_notes_do_not(api, november, city):
    drain = Report.objects.get(case__tracking_code=november["drain"])
    with time_machine.travel(wib(2026, 11, 26, 10), tick=False):
        case_comment(case=drain.case, actor=city.outsider, text="Cek gorong-gorong.", public=False)
    with time_machine.travel(wib(2026, 11, 30, 12), tick=False):
        [before] = api.get("requests", "json", service_request_id=november["drain"]).data
    with time_machine.travel(wib(2026, 11, 27, 10), tick=False):
        case_comment(case=drain.case, actor=city.outsider, text="Petugas meninjau lokasi besok.", public=True)
    with time_machine.travel(wib(2026, 11, 30, 12), tick=False):
        [after] = api.get("requests", "json", service_request_id=november["drain"]).data

    assert before["updated_datetime"] == "2026-11-16T10:00:00+07:00"
    assert after["updated_datetime"] == "2026-11-27T10:00:00+07:00"


def test_extensions_add_notes_from_the_public_timeline(api, november, end_of_november, fmt, city):
    road = Report.objects.get(case__tracking_code=november["road"])
    case_comment(case=road.case, actor=city.outsider, text="Catatan internal.", public=False)

    [request] = api.get("requests", fmt, service_request_id=november["road"], extensions="true").data

    notes = request["notes"]
    assert [note["type"] for note in notes] == ["submitted", "verified", "resolved"]
    assert notes[-1]["description"] == "Dijadwalkan pekan depan."
    assert notes[0]["description"] == "Diajukan / Submitted"
    assert all(note["datetime"].endswith("+07:00") for note in notes)
    assert "internal" not in str(request)
    extended = request["extended_attributes"]
    assert extended["status"] == "fixed"
    assert extended["kelurahan"] == "Kauman"
    assert extended["channel"] == "web"


def test_without_extensions_there_are_no_notes(api, november, end_of_november):
    request = api.get("requests", "json", service_request_id=november["road"]).data[0]

    assert "notes" not in request and "extended_attributes" not in request


@pytest.mark.parametrize(("parent_privacy", "named"), [("public", True), ("confidential", False)])
def test_a_duplicate_names_its_parent_only_when_that_one_is_public(
    api, file_report, city, parent_privacy, named
):
    parent = file_report(privacy=parent_privacy)
    duplicate = file_report(description="Lubang yang sama di depan Alun-alun.")
    report_merge(report=duplicate, into=parent, actor=city.outsider)
    parent_code = parent.case.tracking_code

    answer = api.get(f"requests/{duplicate.case.tracking_code}", "json", extensions="true")

    [request] = answer.data
    assert request["status"] == "closed"
    assert request["extended_attributes"]["status"] == "duplicate"
    if named:
        assert request["extended_attributes"]["parent_service_request_id"] == parent_code
        note = f"Sama dengan laporan {parent_code}. / Duplicate of report {parent_code}."
        assert request["status_notes"] == note
    else:
        assert request["extended_attributes"]["parent_service_request_id"] is None
        assert parent_code not in answer.body.decode()


# --- Cost ---------------------------------------------------------------------------------


def _queries(api, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = api.get("requests", "json", **params)
    assert answer.status == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_requests(
    api, file_report, city, django_assert_max_num_queries
):
    with time_machine.travel(wib(2026, 11, 23, 9), tick=False):
        file_report(photos=[jpeg()])
    with time_machine.travel(wib(2026, 11, 24, 9), tick=False):
        few = _queries(api), _queries(api, extensions="true")
        for _ in range(6):
            report = file_report(photos=[jpeg(), jpeg("b.jpg")])
            report_verify(report=report, actor=city.outsider)
        many = _queries(api), _queries(api, extensions="true")
        assert len(api.get("requests", "json").data) == 7
        assert Photo.objects.count() == 13

        assert few == many
        with django_assert_max_num_queries(1):
            api.get("requests", "json")
        with django_assert_max_num_queries(3):
            api.get("requests", "json", extensions="true")


def test_no_match_is_an_empty_list_not_an_error(api, november, end_of_november):
    assert api.get("requests", "json", service_code="tidak-ada").data == []
    empty = api.get("requests", "xml", service_code="tidak-ada")
    assert empty.status == 200
    assert empty.root.tag == "service_requests" and len(empty.root) == 0
