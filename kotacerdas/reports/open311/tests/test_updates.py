"""mySociety's GET servicerequestupdates (open311-adapter Role/mySociety.pm): the public
timeline of public reports, with extended statuses, as FixMyStreet polls it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kotacerdas.cases.actions import case_comment, case_handover
from kotacerdas.reports.actions import report_answer, report_close, report_reopen, report_verify

WIB = ZoneInfo("Asia/Jakarta")
FIELDS = ["update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"]


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def history(file_report, city):
    """A road report that goes through the whole workflow, and one handed over."""
    with time_machine.travel(wib(2026, 11, 2, 8), tick=False) as clock:
        road = file_report(reporter=city.alice)
        moved = file_report(description="Lubang di trotoar depan kantor Dukcapil.")
        clock.move_to(wib(2026, 11, 3, 9))
        report_verify(report=road, actor=city.outsider)
        clock.move_to(wib(2026, 11, 3, 10))
        case_comment(case=road.case, actor=city.outsider, text="Internal: minta alat berat.", public=False)
        clock.move_to(wib(2026, 11, 4, 10))
        case_comment(case=road.case, actor=city.outsider, text="Tim menuju lokasi.", public=True)
        clock.move_to(wib(2026, 11, 5, 15))
        report_answer(report=road, actor=city.outsider, text="Lubang sudah ditambal.")
        clock.move_to(wib(2026, 11, 6, 7))
        report_reopen(report=road, actor=city.alice, reason="Tambalannya ambles lagi.")
        clock.move_to(wib(2026, 11, 9, 11))
        report_close(report=road, actor=city.outsider, reason="not_responsible",
                     note="Jalan nasional: wewenang BBPJN Jawa Timur.")
        clock.move_to(wib(2026, 11, 10, 8))
        case_handover(case=moved.case, to_agency=city.dukcapil, actor=city.outsider, reason="Salah dinas")
    return road.case.tracking_code, moved.case.tracking_code


@pytest.fixture
def end_of_november():
    with time_machine.travel(wib(2026, 11, 30, 12), tick=False):
        yield


def test_updates_have_the_mysociety_fields_in_both_formats(api, history, end_of_november, fmt):
    answer = api.get("servicerequestupdates", fmt)

    assert answer.status == 200
    assert all(list(update) == FIELDS for update in answer.data)
    if fmt == "xml":
        assert answer.root.tag == "service_request_updates"
        assert {child.tag for child in answer.root} == {"request_update"}


def test_both_formats_agree(api, history, end_of_november):
    api.both("servicerequestupdates")


def test_public_timeline_oldest_first_with_extended_statuses(api, history, end_of_november):
    road, moved = history

    updates = api.get("servicerequestupdates", "json").data

    seen = [(u["service_request_id"], u["status"], u["updated_datetime"], u["description"]) for u in updates]
    assert seen == [
        (road, "investigating", "2026-11-03T09:00:00+07:00", "Diverifikasi / Verified"),
        (road, "investigating", "2026-11-04T10:00:00+07:00", "Tim menuju lokasi."),
        (road, "fixed", "2026-11-05T15:00:00+07:00", "Lubang sudah ditambal."),
        (road, "reopen", "2026-11-06T07:00:00+07:00", "Tambalannya ambles lagi."),
        (road, "not_councils_responsibility", "2026-11-09T11:00:00+07:00",
         "Jalan nasional: wewenang BBPJN Jawa Timur."),
        (moved, "open", "2026-11-10T08:00:00+07:00",
         "Diteruskan dari DPUPR ke Dispendukcapil / Handed over from DPUPR to Dispendukcapil"),
    ]
    assert len({u["update_id"] for u in updates}) == len(updates)
    assert all(u["media_url"] is None for u in updates)


def test_internal_notes_and_the_submission_itself_are_not_updates(api, history, end_of_november):
    body = api.get("servicerequestupdates", "json").body.decode()

    assert "alat berat" not in body
    assert "Salah dinas" not in body  # the handover's reason is an internal note
    assert "Diajukan" not in body


def test_start_and_end_date_bound_the_updates(api, history, end_of_november, fmt):
    span = {"start_date": "2026-11-04T00:00:00+07:00", "end_date": "2026-11-05T23:59:59+07:00"}

    answer = api.get("servicerequestupdates", fmt, **span)

    assert [u["description"] for u in answer.data] == ["Tim menuju lokasi.", "Lubang sudah ditambal."]


def test_default_is_the_last_90_days(api, history):
    with time_machine.travel(wib(2027, 2, 5, 10), tick=False):  # 90 days after 7 November
        descriptions = [u["description"] for u in api.get("servicerequestupdates", "json").data]

    assert descriptions[0] == "Jalan nasional: wewenang BBPJN Jawa Timur."


def test_an_api_key_may_be_sent_and_is_not_needed(api, history, end_of_november):
    assert api.get("servicerequestupdates", "json", api_key="anything").status == 200


def test_bad_dates_are_400(api, history, end_of_november, fmt):
    answer = api.get("servicerequestupdates", fmt, start_date="4 November")

    assert answer.status == 400
    assert "start_date" in answer.data[0]["description"]


def test_updates_cost_the_same_for_any_number(api, history, end_of_november, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        api.get("servicerequestupdates", "json")
