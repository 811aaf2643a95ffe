"""Who may open what: a resident only her own applications, files and documents; an officer
only their agency's (and what it handed over); nobody anything under /media/. The API
says the same. And the lists stay within a fixed number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotacerdas.cases.actions import case_handover
from kotacerdas.cases.models import Case, Status
from kotacerdas.services import actions
from kotacerdas.services.models import SurveyResponse
from kotacerdas.services.tests.conftest import pdf_file, resident_browser, staff_browser, walk

S = Status


@pytest.fixture
def alices(personas, finished):
    """Alice's finished application with its two files and its output document."""
    application, document = finished()
    upload = application.uploads.get(field_name="ktp")
    return application, upload, document


def resident_urls(code: str, upload_id: int, document_id: int) -> list[str]:
    return [
        f"/perkara-saya/{code}/",
        f"/layanan/permohonan/{code}/berkas/{upload_id}/",
        f"/layanan/permohonan/{code}/dokumen/{document_id}/",
        f"/layanan/permohonan/{code}/tanda-terima.pdf",
        f"/layanan/permohonan/{code}/perbaiki/",
        f"/layanan/survei/{code}/",
    ]


def staff_action_urls(code: str) -> list[str]:
    return [f"/layanan/staf/{code}/{action}/" for action in ("perbaikan", "tolak", "selesai")]


STAFF_POST = {"reason": "x", "note": "x", "fields_to_fix": ["hp"]}


# --- Another resident ------------------------------------------------------------------------------


def test_other_resident_gets_404_everywhere(personas, alices):
    application, upload, document = alices
    code = application.case.tracking_code
    bob = resident_browser(personas.bob)
    for url in resident_urls(code, upload.pk, document.pk):
        assert bob.get(url).status_code == 404, url
    assert bob.post(f"/layanan/survei/{code}/", {f"u{i}": 4 for i in range(1, 10)}).status_code == 404
    toggle = f"/layanan/permohonan/{code}/dokumen/{document.pk}/nama/"
    assert bob.post(toggle, {"show": "1"}).status_code == 404
    assert bob.post(f"/layanan/permohonan/{code}/perbaiki/", {"hp": "081234567890"}).status_code == 404
    assert not SurveyResponse.objects.exists()
    # And she still can.
    alice = resident_browser(personas.alice)
    for url in resident_urls(code, upload.pk, document.pk)[:4]:
        assert alice.get(url).status_code == 200, url


def test_other_resident_cannot_reach_her_files_through_his_own_code(personas, alices, finished):
    application, upload, document = alices
    own, own_document = finished(personas.bob)
    code = own.case.tracking_code
    bob = resident_browser(personas.bob)
    for upload_id in application.uploads.values_list("pk", flat=True):
        assert bob.get(f"/layanan/permohonan/{code}/berkas/{upload_id}/").status_code == 404
        assert bob.get(f"/layanan/berkas-draf/{upload_id}/").status_code == 404
    assert bob.get(f"/layanan/permohonan/{code}/dokumen/{document.pk}/").status_code == 404
    # His own, through the same URLs, work: the 404s above are about whose they are.
    own_upload = own.uploads.first()
    assert bob.get(f"/layanan/permohonan/{code}/berkas/{own_upload.pk}/").status_code == 200
    assert bob.get(f"/layanan/permohonan/{code}/dokumen/{own_document.pk}/").status_code == 200


def test_draft_files_belong_to_whoever_uploaded_them(personas, service):
    draft, _errors = actions.draft_save(applicant=personas.alice, service=service, answers={},
                                        files={"ktp": pdf_file()})
    upload_id = draft.data["uploads"]["ktp"]
    assert resident_browser(personas.alice).get(f"/layanan/berkas-draf/{upload_id}/").status_code == 200
    assert resident_browser(personas.bob).get(f"/layanan/berkas-draf/{upload_id}/").status_code == 404
    assert Client().get(f"/layanan/berkas-draf/{upload_id}/").status_code == 302


def test_file_responses_are_private(personas, alices):
    application, upload, _document = alices
    response = resident_browser(personas.alice).get(
        f"/layanan/permohonan/{application.case.tracking_code}/berkas/{upload.pk}/"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


# --- Officers -----------------------------------------------------------------------------------------


def test_officer_of_another_agency_gets_404(personas, alices):
    application, upload, document = alices
    code = application.case.tracking_code
    outsider = staff_browser(personas.outsider)
    for url in (f"/staf/perkara/{code}/", f"/layanan/permohonan/{code}/berkas/{upload.pk}/",
                f"/layanan/permohonan/{code}/dokumen/{document.pk}/",
                f"/layanan/permohonan/{code}/tanda-terima.pdf"):
        assert outsider.get(url).status_code == 404, url
    for url in staff_action_urls(code):
        assert outsider.post(url, STAFF_POST).status_code == 404, url
    operator = staff_browser(personas.operator)
    for url in (f"/staf/perkara/{code}/", f"/layanan/permohonan/{code}/berkas/{upload.pk}/",
                f"/layanan/permohonan/{code}/dokumen/{document.pk}/"):
        assert operator.get(url).status_code == 200, url


def test_after_handover_both_agencies_read_and_only_the_receiver_acts(personas, submit):
    application = walk(submit(), personas.operator, S.VERIFIED)
    code = application.case.tracking_code
    upload = application.uploads.get(field_name="foto")
    outsider = staff_browser(personas.outsider)
    assert outsider.get(f"/staf/perkara/{code}/").status_code == 404
    case_handover(case=application.case, to_agency=personas.dpupr, actor=personas.operator,
                  reason="Bukan kami")
    operator = staff_browser(personas.operator)
    for officer in (outsider, operator):
        for url in (f"/staf/perkara/{code}/", f"/layanan/permohonan/{code}/berkas/{upload.pk}/",
                    f"/layanan/permohonan/{code}/tanda-terima.pdf"):
            assert officer.get(url).status_code == 200, url
    # Reading is not acting: the sender's revision request changes nothing.
    operator.post(f"/layanan/staf/{code}/perbaikan/", {"fields_to_fix": ["hp"], "note": "Perbaiki"})
    assert Case.objects.get().status == S.VERIFIED
    outsider.post(f"/layanan/staf/{code}/perbaikan/", {"fields_to_fix": ["hp"], "note": "Perbaiki"})
    assert Case.objects.get().status == S.WAITING_CITIZEN


def test_residents_cannot_use_the_officer_pages(personas, alices, submit):
    application = submit()
    code = application.case.tracking_code
    alice = resident_browser(personas.alice)
    assert alice.get(f"/staf/perkara/{code}/").status_code == 302
    for url in staff_action_urls(code):
        response = alice.post(url, STAFF_POST)
        assert response.status_code == 302 and not response.url.startswith(f"/staf/perkara/{code}"), url
    assert Case.objects.get(pk=application.case.pk).status == S.SUBMITTED


# --- Anonymous visitors and /media/ ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(client, personas, alices):
    application, upload, document = alices
    code = application.case.tracking_code
    apply_page = f"/layanan/{application.service.slug}/ajukan/"
    for url in [*resident_urls(code, upload.pk, document.pk), "/perkara-saya/", apply_page]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/akun/masuk/"), url


def test_media_files_are_never_served_directly(client, personas, alices):
    application, upload, document = alices
    paths = [upload.file.name, document.file.name]
    assert all(path.startswith("private/") for path in paths)
    alice = resident_browser(personas.alice)
    for path in paths:
        assert client.get(f"/media/{path}").status_code == 404
        assert alice.get(f"/media/{path}").status_code == 404


# --- The API says the same ---------------------------------------------------------------------------------


def test_api_hides_other_residents_applications(personas, alices, api):
    application, _upload, document = alices
    code = application.case.tracking_code
    bob = api(personas.bob)
    for response in (
        bob.get(f"/api/v1/applications/{code}"),
        bob.get(f"/api/v1/applications/{code}/receipt"),
        bob.get(f"/api/v1/applications/{code}/documents/{document.pk}"),
        bob.post(f"/api/v1/applications/{code}/survey", json={f"u{i}": 4 for i in range(1, 10)}),
        bob.post(f"/api/v1/applications/{code}/resubmit", data={"data": "{}"}),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Tidak ditemukan. / Not found."}
    assert api(personas.alice).get(f"/api/v1/applications/{code}").status_code == 200


def test_api_staff_endpoints_refuse_residents(personas, alices, api):
    application, _upload, _document = alices
    code = application.case.tracking_code
    alice = api(personas.alice)
    for response in (
        alice.post(f"/api/v1/applications/{code}/revision-request", json={"fields": ["hp"], "note": "x"}),
        alice.post(f"/api/v1/applications/{code}/reject", json={"reason": "x"}),
        alice.post(f"/api/v1/applications/{code}/finish"),
        alice.post(f"/api/v1/cases/{code}/transition", json={"to_status": "closed"}),
        alice.post(f"/api/v1/cases/{code}/comment", json={"text": "x"}),
        alice.post(f"/api/v1/cases/{code}/handover", json={"to_agency": "dpupr", "reason": "x"}),
        alice.get(f"/api/v1/cases/{code}/staff"),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Hanya untuk petugas. / Officers only."
    assert Case.objects.get(pk=application.case.pk).status == S.RESOLVED


def test_api_without_a_token_is_401(client, personas, alices):
    application, _upload, document = alices
    code = application.case.tracking_code
    for method, url in (
        ("get", f"/api/v1/applications/{code}"),
        ("get", f"/api/v1/applications/{code}/receipt"),
        ("get", f"/api/v1/applications/{code}/documents/{document.pk}"),
        ("post", f"/api/v1/applications/{code}/resubmit"),
        ("post", f"/api/v1/applications/{code}/finish"),
        ("post", f"/api/v1/services/{application.service.slug}/applications"),
        ("get", f"/api/v1/cases/{code}/staff"),
        ("get", "/api/v1/me/cases"),
    ):
        response = getattr(client, method)(url, headers={"Authorization": "Bearer not-a-token"})
        assert response.status_code == 401, url
        assert "Authentication required" in response.json()["detail"], url
        assert getattr(client, method)(url).status_code == 401, url


def test_api_officer_of_another_agency_gets_404(personas, alices, submit, api):
    application, _upload, document = alices
    code = application.case.tracking_code
    open_one = walk(submit(), personas.operator, S.VERIFIED, S.IN_PROGRESS).case.tracking_code
    outsider = api(personas.outsider)
    for response in (
        outsider.get(f"/api/v1/cases/{code}/staff"),
        outsider.get(f"/api/v1/applications/{code}/documents/{document.pk}"),
        outsider.get(f"/api/v1/applications/{code}/receipt"),
        outsider.post(f"/api/v1/applications/{open_one}/finish"),
        outsider.post(f"/api/v1/applications/{open_one}/reject", json={"reason": "x"}),
        outsider.post(f"/api/v1/cases/{open_one}/transition", json={"to_status": "closed"}),
    ):
        assert response.status_code == 404
    assert Case.objects.get(tracking_code=open_one).status == S.IN_PROGRESS


# --- Query budgets -----------------------------------------------------------------------------------------


def count_queries(request) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_my_cases_page_and_api_do_not_grow_with_the_number_of_cases(personas, submit, api):
    submit()
    alice = resident_browser(personas.alice)
    token_api = api(personas.alice)
    page_one = count_queries(lambda: alice.get("/perkara-saya/"))
    api_one = count_queries(lambda: token_api.get("/api/v1/me/cases"))
    for _ in range(5):
        submit()
    page_many = count_queries(lambda: alice.get("/perkara-saya/"))
    api_many = count_queries(lambda: token_api.get("/api/v1/me/cases"))
    assert page_many == page_one
    assert api_many == api_one
    assert len(token_api.get("/api/v1/me/cases").json()) == 6


def test_officer_inbox_does_not_grow_with_the_number_of_cases(personas, submit):
    submit()
    officer = staff_browser(personas.operator)
    one = count_queries(lambda: officer.get("/staf/"))
    for applicant in (personas.alice, personas.bob, personas.alice, personas.bob):
        submit(applicant)
    many = count_queries(lambda: officer.get("/staf/"))
    assert many == one
    assert officer.get("/staf/").content.decode().count("/staf/perkara/") >= 5
