"""Privacy (SP4N-LAPOR!): confidential (rahasia) reports are never published, anonymous
ones never name the reporter, and no Open311 answer carries a reporter's name, e-mail,
phone or account, whatever the privacy."""

import pytest

from kotacerdas.cases.actions import case_comment
from kotacerdas.reports.actions import report_moderate, report_reject, report_verify
from kotacerdas.reports.open311.tests.conftest import INSIDE, jpeg


@pytest.fixture
def reports(file_report, city):
    alice = city.alice
    public = file_report(reporter=alice, description="Lubang di Jl. Merdeka.")
    anonymous = file_report(reporter=alice, privacy="anonymous", description="Lampu mati di gang.")
    confidential = file_report(reporter=alice, privacy="confidential", description="Pungli di parkir pasar.")
    rejected = file_report(reporter=alice, description="Iklan pinjaman online.")
    for report in (public, anonymous, confidential):
        report_verify(report=report, actor=city.outsider)
        case_comment(case=report.case, actor=city.outsider, text=f"Ditinjau {report.pk}.", public=True)
    report_reject(report=rejected, actor=city.outsider, reason="Spam.")
    return {
        "public": public.case.tracking_code,
        "anonymous": anonymous.case.tracking_code,
        "confidential": confidential.case.tracking_code,
        "rejected": rejected.case.tracking_code,
    }


def every_get(api, reports, fmt):
    """Every GET answer that could mention a report, with and without extensions."""
    everything = ",".join(reports.values())
    yield api.get("requests", fmt)
    yield api.get("requests", fmt, extensions="true")
    yield api.get("requests", fmt, service_request_id=everything, extensions="true")
    yield api.get("requests", fmt, status="closed")
    yield api.get("servicerequestupdates", fmt)
    for code in reports.values():
        yield api.get(f"requests/{code}", fmt, extensions="true")
        yield api.get(f"tokens/{code}", fmt)


def test_confidential_and_rejected_reports_appear_in_no_get(api, reports, fmt):
    hidden = [reports["confidential"], reports["rejected"]]

    for answer in every_get(api, reports, fmt):
        body = answer.body.decode()
        if answer.status == 200:
            assert not any(code in body for code in hidden), body
        else:  # a 404 repeats the id the client asked for, and nothing else
            assert answer.status == 404
        assert "Pungli" not in body and "pinjaman" not in body


def test_confidential_and_rejected_ids_are_not_found(api, reports, fmt):
    for name in ("confidential", "rejected"):
        assert api.get(f"requests/{reports[name]}", fmt).status == 404
        assert api.get(f"tokens/{reports[name]}", fmt).status == 404
        assert api.get("requests", fmt, service_request_id=reports[name]).data == []


def test_public_and_anonymous_reports_are_listed(api, reports):
    listed = {request["service_request_id"] for request in api.get("requests", "json").data}

    assert listed == {reports["public"], reports["anonymous"]}


def test_no_answer_names_or_contacts_any_reporter(api, reports, city, fmt):
    alice = city.alice
    personal = [alice.name, "Alice", "Wulandari", alice.email, alice.phone, "812000"]

    for answer in every_get(api, reports, fmt):
        body = answer.body.decode()
        for value in personal:
            assert value not in body, (value, body)
        assert "account" not in body


def test_the_post_answer_echoes_no_personal_data(api, api_key, city, fmt):
    data = {
        "api_key": api_key, "service_code": "jalan-rusak", **INSIDE, "description": "Jalan retak.",
        "email": "alice@warga.test", "phone": "+6281200000001", "first_name": "Alice",
        "last_name": "Wulandari", "account_id": "fms-991", "device_id": "android-77",
    }

    answer = api.post("requests", fmt, data)

    assert answer.status == 200
    assert answer.data[0]["account_id"] is None
    for value in ["alice", "Alice", "Wulandari", "6281200000001", "fms-991", "android-77"]:
        assert value not in answer.body.decode(), value


def test_moderated_photos_are_not_published(api, file_report, city):
    report = file_report(photos=[jpeg("wajah.jpg"), jpeg("lubang.jpg")])
    face, road = report.photos.order_by("id")
    report_moderate(report=report, actor=city.outsider, hide_photos=[face.pk])

    [request] = api.get("requests", "json", extensions="true").data

    assert request["media_url"].endswith(f"/foto/{road.pk}/")
    assert [p["media_url"] for p in request["extended_attributes"]["photos"]] == [request["media_url"]]


def test_an_external_media_url_is_kept_for_officers_but_not_published(api, api_key, city):
    data = {"api_key": api_key, "service_code": "jalan-rusak", **INSIDE,
            "media_url": "https://foto.contoh.test/rumah-pelapor.jpg"}
    code = api.post("requests", "json", data).data[0]["service_request_id"]

    [request] = api.get(f"requests/{code}", "json", extensions="true").data

    assert request["media_url"] is None
    assert "rumah-pelapor" not in str(request)
