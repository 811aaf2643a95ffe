"""Filing a report: routing, location, the SP4N-LAPOR! verification deadline, what is
checked, submitting once, the web form; and, before filing, similar open reports nearby
that a resident supports instead of filing the same problem again."""

import re
from datetime import date

import pytest
import time_machine

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.agencies.models import Agency
from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases.models import CaseEvent, Kind, Status
from kotacerdas.notifications.models import Message
from kotacerdas.reports import actions
from kotacerdas.reports.errors import OUTSIDE_CITY, ReportError, ReportInvalid
from kotacerdas.reports.models import Category, Photo, Privacy, Report, Subscription, Support
from kotacerdas.reports.tests.conftest import (
    FAR,
    IN_CITY,
    KAUMAN,
    NEAR,
    OUTSIDE,
    html,
    photo,
    resident_browser,
    wib,
)


def errors_of(invalid: pytest.ExceptionInfo[ReportInvalid]) -> dict[str, str]:
    return {name: str(message) for name, message in invalid.value.errors.items()}


# --- Routing, location and deadline -----------------------------------------------------------


def test_report_goes_to_the_category_agency_in_the_kelurahan_of_the_pin(submit, personas, category):
    report = submit()
    case = report.case
    assert case.kind == Kind.REPORT
    assert case.agency == personas.dukcapil
    assert case.citizen == personas.alice
    assert case.title == category.name
    assert case.status == Status.SUBMITTED
    assert report.kelurahan.code == KAUMAN
    assert case.kelurahan == report.kelurahan
    assert (report.lat, report.lon) == IN_CITY
    assert report.attributes == {"layanan": "ktp"}


def test_reference_categories_route_to_their_agencies(submit, personas):
    agencies_load_reference()
    assert actions.categories_load_reference() > 0
    assert actions.categories_load_reference() == 0  # idempotent
    roads = Category.objects.get(code="jalan-rusak")
    lights = Category.objects.get(code="lampu-jalan-mati")
    assert submit(to=roads, attributes={"ukuran": "besar"}).case.agency == personas.dpupr
    assert submit(to=lights).case.agency == Agency.objects.get(code="dishub")


def test_verification_is_due_three_working_days_later_not_counting_holidays(submit, holidays):
    # Monday 16 March 2026, before Nyepi and Idul Fitri: 18-20 and 23-24 March are holidays
    # or cuti bersama, so the 3 working days are 17, 25 and 26 March.
    with time_machine.travel(wib(2026, 3, 16, 10), tick=False):
        report = submit()
    assert report.case.sla_workdays == 3
    assert report.case.due_date == date(2026, 3, 26)
    assert report.created_at == wib(2026, 3, 16, 10)


def test_verification_deadline_follows_the_category(submit, category, holidays):
    category.verify_workdays = 1
    category.save()
    with time_machine.travel(wib(2026, 4, 6, 10), tick=False):  # a Monday
        assert submit().case.due_date == date(2026, 4, 7)


def test_submitting_records_the_case_event_audit_and_receipt(submit, personas):
    report = submit()
    assert CaseEvent.objects.filter(case=report.case, to_status=Status.SUBMITTED, is_public=True).exists()
    entry = AuditEntry.objects.get(action="report_submit")
    assert entry.actor == personas.alice
    assert entry.object_id == str(report.pk)
    assert Message.objects.filter(user=personas.alice, template="case_submitted").exists()


# --- What is checked ------------------------------------------------------------------------------------


def test_point_outside_the_city_is_refused_with_a_clear_message(submit):
    with pytest.raises(ReportInvalid) as invalid:
        submit(at=OUTSIDE)
    message = errors_of(invalid)["location"]
    assert message == str(OUTSIDE_CITY)
    assert "luar wilayah Kota Blitar" in message
    assert "lapor.go.id" in message
    assert not Report.objects.exists()


def test_a_report_needs_a_location(submit, personas, category):
    with pytest.raises(ReportInvalid) as invalid:
        actions.report_submit(reporter=personas.alice, category=category, description="Antre lama",
                              lat=None, lon=None, attributes={"layanan": "kk"})
    assert "location" in errors_of(invalid)


@pytest.mark.parametrize("description", ["", "   \n  "])
def test_a_report_needs_a_description(submit, description):
    with pytest.raises(ReportInvalid) as invalid:
        submit(description=description)
    assert errors_of(invalid) == {"description": "Ceritakan masalahnya."}
    assert not Report.objects.exists()


def test_an_overlong_description_is_refused(submit):
    with pytest.raises(ReportInvalid) as invalid:
        submit(description="x" * (actions.DESCRIPTION_MAX + 1))
    assert "5000" in errors_of(invalid)["description"]


def test_every_mistake_is_reported_at_once(submit):
    with pytest.raises(ReportInvalid) as invalid:
        submit(description="", at=OUTSIDE, attributes={}, privacy="semua-orang")
    assert set(errors_of(invalid)) == {"description", "location", "layanan", "privacy"}


@pytest.mark.parametrize(
    ("attributes", "field", "message"),
    [
        ({}, "layanan", "Wajib diisi."),
        ({"layanan": ""}, "layanan", "Wajib diisi."),
        ({"layanan": "paspor"}, "layanan", "Pilih salah satu pilihan yang tersedia."),
        ({"layanan": ["ktp", "kk"]}, "layanan", "Pilih salah satu pilihan yang tersedia."),
        ({"layanan": "ktp", "kendala": ["antre", "suap"]}, "kendala", "Pilih dari pilihan yang tersedia."),
        ({"layanan": "ktp", "jam": "tiga"}, "jam", "Isi dengan angka."),
    ],
)
def test_attributes_are_checked(submit, attributes, field, message):
    with pytest.raises(ReportInvalid) as invalid:
        submit(attributes=attributes)
    assert errors_of(invalid) == {field: message}


def test_attributes_are_stored_cleaned(submit):
    report = submit(attributes={"layanan": "kk", "kendala": ["antre", "sistem"], "jam": "2,5",
                                "tidak_ditanya": "diabaikan"})
    assert report.attributes == {"layanan": "kk", "kendala": ["antre", "sistem"], "jam": 2.5}
    report.refresh_from_db()
    assert report.attributes == {"layanan": "kk", "kendala": ["antre", "sistem"], "jam": 2.5}


def test_an_inactive_category_takes_no_new_reports(submit, category):
    category.is_active = False
    category.save()
    with pytest.raises(ReportInvalid) as invalid:
        submit()
    assert "category" in errors_of(invalid)


def test_up_to_five_photos_are_kept(submit):
    report = submit(photos=[photo(name=f"foto-{n}.jpg") for n in range(5)])
    assert report.photos.count() == 5


def test_six_photos_are_refused(submit):
    with pytest.raises(ReportInvalid) as invalid:
        submit(photos=[photo(name=f"foto-{n}.jpg") for n in range(6)])
    assert errors_of(invalid) == {"photos": "Paling banyak 5 foto."}
    assert not Report.objects.exists()
    assert not Photo.objects.exists()


# --- Submitting once ---------------------------------------------------------------------------------


def test_a_retry_with_the_same_submission_key_makes_one_report(submit, personas):
    first = submit(submission_key="kirim-1", photos=[photo()])
    again = submit(submission_key="kirim-1", photos=[photo()])
    assert again.pk == first.pk
    assert Report.objects.count() == 1
    assert Photo.objects.count() == 1
    assert Message.objects.filter(user=personas.alice, template="case_submitted").count() == 1


def test_another_key_or_another_resident_makes_another_report(submit, personas):
    first = submit(submission_key="kirim-1")
    assert submit(submission_key="kirim-2").pk != first.pk
    assert submit(personas.bob, submission_key="kirim-1").pk != first.pk
    assert Report.objects.count() == 3


# --- The web form ------------------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    values = {
        "description": "Mobil perekaman KTP-el tidak datang ke kelurahan.",
        "lat": str(IN_CITY[0]),
        "lon": str(IN_CITY[1]),
        "address": "Balai Kelurahan Kauman",
        "privacy": Privacy.PUBLIC,
        "attribute_layanan": "ktp",
        "attribute_kendala": ["antre", "blanko"],
        "attribute_jam": "3",
        "submission_key": "formulir-1",
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def test_choosing_a_category_and_the_form_need_a_login(client, category):
    assert client.get("/pengaduan/baru/").status_code == 302
    assert client.get(f"/pengaduan/baru/{category.code}/").status_code == 302


def test_resident_chooses_a_category_and_sees_its_form(personas, category, roads):
    browser = resident_browser(personas.alice)
    page = html(browser.get("/pengaduan/baru/"))
    assert category.name in page and roads.name in page
    form = html(browser.get(f"/pengaduan/baru/{category.code}/"))
    assert "Dinas Kependudukan dan Pencatatan Sipil" in form
    assert 'name="attribute_layanan"' in form and 'name="submission_key"' in form
    assert browser.get("/pengaduan/baru/tidak-ada/").status_code == 404


def test_resident_files_a_report_through_the_web_form(personas, category):
    browser = resident_browser(personas.alice)
    response = browser.post(f"/pengaduan/baru/{category.code}/", form_data(photos=[photo()]))
    report = Report.objects.get()
    code = report.case.tracking_code
    assert response.status_code == 302
    assert response["Location"] == f"/pengaduan/{code}/"
    assert report.reporter == personas.alice
    assert report.channel == "web"
    assert report.address == "Balai Kelurahan Kauman"
    assert report.attributes == {"layanan": "ktp", "kendala": ["antre", "blanko"], "jam": 3.0}
    assert report.photos.count() == 1
    page = html(browser.get(response["Location"]))
    assert code in page
    assert "Mobil perekaman KTP-el tidak datang ke kelurahan." in page


def test_posting_the_form_twice_makes_one_report(personas, category):
    browser = resident_browser(personas.alice)
    first = browser.post(f"/pengaduan/baru/{category.code}/", form_data())
    second = browser.post(f"/pengaduan/baru/{category.code}/", form_data())
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


def test_the_form_carries_a_fresh_submission_key(personas, category):
    browser = resident_browser(personas.alice)
    pages = [html(browser.get(f"/pengaduan/baru/{category.code}/")) for _ in range(2)]
    keys = [re.search(r'name="submission_key" value="([^"]+)"', page) for page in pages]
    assert all(keys)
    assert keys[0].group(1) != keys[1].group(1)  # type: ignore[union-attr]


def test_a_point_outside_the_city_answers_400_and_keeps_what_was_typed(personas, category):
    browser = resident_browser(personas.alice)
    response = browser.post(
        f"/pengaduan/baru/{category.code}/",
        form_data(lat=str(OUTSIDE[0]), lon=str(OUTSIDE[1]), attribute_layanan="kk",
                  attribute_kendala=["blanko"], attribute_jam="4", privacy=Privacy.ANONYMOUS),
    )
    assert response.status_code == 400
    page = html(response)
    assert str(OUTSIDE_CITY) in page
    assert "Mobil perekaman KTP-el tidak datang ke kelurahan.</textarea>" in page
    assert 'value="Balai Kelurahan Kauman"' in page
    assert f'value="{OUTSIDE[0]}"' in page and f'value="{OUTSIDE[1]}"' in page
    assert 'value="formulir-1"' in page  # the same key, so a corrected resubmission is still one
    assert re.search(r'value="anonymous"[^>]*checked', page)
    assert re.search(r'<option value="kk"[^>]*selected', page)
    assert not re.search(r'<option value="ktp"[^>]*selected', page)
    assert re.search(r'value="blanko"[^>]*checked', page)
    assert not re.search(r'value="antre"[^>]*checked', page)
    assert re.search(r'name="attribute_jam"[^>]*value="4"', page)
    assert not Report.objects.exists()


def test_a_form_without_description_answers_400_saying_what_is_missing(personas, category):
    browser = resident_browser(personas.alice)
    response = browser.post(f"/pengaduan/baru/{category.code}/", form_data(description=""))
    assert response.status_code == 400
    page = html(response)
    assert 'role="alert"' in page
    assert "Ceritakan masalahnya." in page
    assert 'value="Balai Kelurahan Kauman"' in page
    assert not Report.objects.exists()


def test_a_form_missing_a_required_answer_answers_400_with_its_message(personas, category):
    browser = resident_browser(personas.alice)
    response = browser.post(f"/pengaduan/baru/{category.code}/", form_data(attribute_layanan=""))
    assert response.status_code == 400
    assert "Wajib diisi." in html(response)


def test_officers_do_not_file_residents_reports(staff_client, personas, category):
    browser = staff_client(personas.operator)
    response = browser.post(f"/pengaduan/baru/{category.code}/", form_data())
    assert response.status_code == 302
    assert not Report.objects.exists()


# --- Similar reports nearby, and support instead of a duplicate -----------------------------------------


def nearby_page(client, category, at=IN_CITY) -> str:
    response = client.get("/pengaduan/sekitar/", {"category": category.code, "lat": at[0], "lon": at[1]})
    assert response.status_code == 200
    return html(response)


def test_open_reports_of_the_same_category_within_250_m_are_shown(client, submit, personas, roads):
    here = submit(personas.bob, at=IN_CITY).case.tracking_code
    near = submit(personas.bob, at=NEAR).case.tracking_code  # about 200 m
    far = submit(personas.bob, at=FAR).case.tracking_code  # about 310 m
    other_kind = submit(personas.bob, to=roads, at=IN_CITY).case.tracking_code
    closed = submit(personas.bob, at=NEAR)
    actions.report_close(report=closed, actor=personas.operator, reason="no_action")
    resolved = submit(personas.bob, at=IN_CITY)
    actions.report_verify(report=resolved, actor=personas.operator)
    actions.report_answer(report=resolved, actor=personas.operator, text="Sudah.")
    secret = submit(personas.bob, at=IN_CITY, privacy=Privacy.CONFIDENTIAL).case.tracking_code
    anonymous = submit(personas.bob, at=NEAR, privacy=Privacy.ANONYMOUS).case.tracking_code

    page = nearby_page(client, Category.objects.get(code="pelayanan-adminduk"))
    assert "Laporan serupa di dekat titik ini" in page
    assert here in page and near in page and anonymous in page
    for hidden in (far, other_kind, closed.case.tracking_code, resolved.case.tracking_code, secret):
        assert hidden not in page
    assert page.index(here) < page.index(near)  # nearest first
    assert "0 m" in page and "198 m" in page


def test_nothing_nearby_shows_nothing(client, submit, category):
    submit(at=FAR)
    assert nearby_page(client, category).strip() == ""


@pytest.mark.parametrize(
    "query",
    [{}, {"category": "tidak-ada", "lat": "-8.0953", "lon": "112.1612"},
     {"category": "pelayanan-adminduk", "lat": "utara", "lon": "112.1612"}],
)
def test_nearby_without_a_usable_point_or_category_is_empty(client, submit, query):
    submit()
    response = client.get("/pengaduan/sekitar/", query)
    assert response.status_code == 200
    assert response.content == b""


def test_support_adds_a_supporter_once_who_then_follows(submit, personas):
    report = submit(personas.alice)
    assert actions.report_support(report=report, user=personas.bob) is True
    assert actions.report_support(report=report, user=personas.bob) is False
    report.refresh_from_db()
    assert report.supporters == 1
    assert Support.objects.filter(report=report).count() == 1
    assert Subscription.objects.filter(user=personas.bob, kind="report", report=report).count() == 1


def test_a_resident_supports_on_the_report_page(submit, personas):
    report = submit(personas.alice)
    code = report.case.tracking_code
    browser = resident_browser(personas.bob)
    assert "Saya juga mengalami ini" in html(browser.get(f"/pengaduan/{code}/"))
    for _ in range(2):
        response = browser.post(f"/pengaduan/{code}/dukung/")
        assert response.status_code == 302 and response["Location"] == f"/pengaduan/{code}/"
    report.refresh_from_db()
    assert report.supporters == 1
    page = html(browser.get(f"/pengaduan/{code}/"))
    assert "Berhenti mengikuti" in page


def test_support_needs_a_login(client, submit):
    report = submit()
    response = client.post(f"/pengaduan/{report.case.tracking_code}/dukung/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    report.refresh_from_db()
    assert report.supporters == 0


def test_own_report_cannot_be_supported(submit, personas):
    report = submit(personas.alice)
    with pytest.raises(ReportError) as refused:
        actions.report_support(report=report, user=personas.alice)
    assert str(refused.value.message) == "Ini laporan Anda sendiri."
    assert "Saya juga mengalami ini" not in html(resident_browser(personas.alice).get(
        f"/pengaduan/{report.case.tracking_code}/"))
    report.refresh_from_db()
    assert report.supporters == 0


def test_confidential_or_closed_reports_cannot_be_supported(submit, personas):
    secret = submit(personas.alice, privacy=Privacy.CONFIDENTIAL)
    closed = submit(personas.alice)
    actions.report_close(report=closed, actor=personas.operator, reason="no_action")
    for report in (secret, closed):
        with pytest.raises(ReportError):
            actions.report_support(report=report, user=personas.bob)
    assert not Support.objects.exists()
