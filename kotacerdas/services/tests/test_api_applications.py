"""The applications API the mobile app uses: applying with files, retrying safely, following
an application, fixing it, the survey, the officer's steps, and clear errors."""

import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.cases.errors import TransitionNotAllowed
from kotacerdas.cases.models import Case, Status
from kotacerdas.cases.tests.conftest import wib
from kotacerdas.lib.bilingual import both
from kotacerdas.services.errors import ApplicationInvalid
from kotacerdas.services.forms import REQUIRED
from kotacerdas.services.models import Application, SurveyResponse, Upload
from kotacerdas.services.tests.conftest import (
    CHILD_NIK,
    SENTUL,
    answers,
    make_service,
    pdf_bytes,
    pdf_file,
    pdf_text,
    png_bytes,
    png_file,
    text_named_pdf,
    walk,
)

S = Status


def apply_path(service) -> str:
    return f"/api/v1/services/{service.slug}/applications"


def apply(api, user, service, data=None, files=None, **headers):
    payload = {"data": json.dumps(answers() if data is None else data)}
    payload.update(files if files is not None else {"ktp": pdf_file(), "foto": png_file()})
    return api(user).post(apply_path(service), data=payload, **headers)


def all_scored(score: int) -> dict[str, int]:
    return {f"u{i}": score for i in range(1, 10)}


def assert_bilingual(detail: str) -> None:
    indonesian, _slash, english = detail.partition(" / ")
    assert indonesian and english, detail


# --- Schema ----------------------------------------------------------------------------------------


def test_openapi_lists_the_application_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/services/{slug}/applications", "post"),
        ("/api/v1/applications/{code}", "get"),
        ("/api/v1/applications/{code}/resubmit", "post"),
        ("/api/v1/applications/{code}/survey", "post"),
        ("/api/v1/applications/{code}/documents/{document_id}", "get"),
        ("/api/v1/applications/{code}/receipt", "get"),
        ("/api/v1/applications/{code}/revision-request", "post"),
        ("/api/v1/applications/{code}/reject", "post"),
        ("/api/v1/applications/{code}/finish", "post"),
        ("/api/v1/cases/{tracking_code}/transition", "post"),
        ("/api/v1/cases/{tracking_code}/comment", "post"),
        ("/api/v1/cases/{tracking_code}/handover", "post"),
        ("/api/v1/cases/{tracking_code}/staff", "get"),
    ]:
        assert method in paths.get(path, {}), path
    apply_spec = paths["/api/v1/services/{slug}/applications"]["post"]
    assert "multipart/form-data" in apply_spec["requestBody"]["content"]
    assert "Idempotency-Key" in [p["name"] for p in apply_spec["parameters"]]
    assert {"201", "200", "400", "404", "422"} <= set(apply_spec["responses"])


# --- Applying --------------------------------------------------------------------------------------


def test_resident_applies_with_answers_and_files(personas, service, api):
    with time_machine.travel(wib(2026, 7, 6, 9), tick=False):
        response = apply(api, personas.alice, service)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body == {"tracking_code": case.tracking_code, "status": "submitted", "due_date": "2026-07-09"}
    application = Application.objects.get()
    assert application.applicant == personas.alice
    assert application.data["penghasilan"] == 1_500_000 and application.data["hp"] == "+6281234567890"
    assert set(application.uploads.values_list("field_name", flat=True)) == {"ktp", "foto"}


def test_retry_with_the_same_idempotency_key_returns_the_first_application(personas, service, api):
    first = apply(api, personas.alice, service, **{"Idempotency-Key": "retry-7f3a"})
    second = apply(api, personas.alice, service, **{"Idempotency-Key": "retry-7f3a"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    assert Application.objects.count() == 1 and Case.objects.count() == 1
    # A new key is a new application; the same key from another resident is theirs alone.
    assert apply(api, personas.alice, service, **{"Idempotency-Key": "retry-8b2c"}).status_code == 201
    assert apply(api, personas.bob, service, **{"Idempotency-Key": "retry-7f3a"}).status_code == 201
    assert Application.objects.count() == 3


def test_without_a_key_every_post_is_a_new_application(personas, service, api):
    assert apply(api, personas.alice, service).status_code == 201
    assert apply(api, personas.alice, service).status_code == 201
    assert Application.objects.count() == 2


def test_wrong_answers_and_files_come_back_per_field(personas, service, api):
    data = answers(hp="12345", jenis="Lama", nama=None)
    response = apply(api, personas.alice, service, data=data, files={"ktp": text_named_pdf()})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == both(ApplicationInvalid.message)
    assert set(body["errors"]) == {"hp", "jenis", "nama", "ktp", "foto"}
    assert body["errors"]["nama"] == both(REQUIRED)
    assert body["errors"]["jenis"].startswith("Pilih salah satu pilihan yang tersedia.")
    assert body["errors"]["ktp"].startswith("Jenis berkas tidak dikenali")
    assert Application.objects.count() == 0 and Case.objects.count() == 0


def test_a_file_for_no_such_field_is_refused(personas, service, api):
    response = apply(api, personas.alice, service,
                     files={"ktp": pdf_file(), "foto": png_file(), "lainnya": pdf_file()})
    assert response.status_code == 422
    assert response.json()["errors"]["lainnya"].startswith("Formulir ini tidak meminta berkas tersebut.")
    assert Application.objects.count() == 0


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"teks"'])
def test_malformed_data_is_a_400(personas, service, api, raw):
    response = api(personas.alice).post(apply_path(service), data={"data": raw, "ktp": pdf_file()})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Isian 'data' harus berupa objek JSON. / 'data' must be a JSON object."
    }
    assert Application.objects.count() == 0
    assert Upload.objects.count() == 0


def test_unknown_or_unpublished_service_is_a_404(personas, service, api):
    response = api(personas.alice).post("/api/v1/services/tidak-ada/applications", data={"data": "{}"})
    assert response.status_code == 404
    assert_bilingual(response.json()["detail"])
    service.is_published = False
    service.save()
    assert apply(api, personas.alice, service).status_code == 404


def test_officers_cannot_apply_as_residents(personas, service, api):
    response = apply(api, personas.operator, service)
    assert response.status_code == 403
    assert_bilingual(response.json()["detail"])
    assert Application.objects.count() == 0


def test_nik_is_asked_through_the_api_too(personas, regions, api):
    ktp = make_service(personas.dukcapil, slug="ktp-api", requires_nik=True)
    response = apply(api, personas.bob, ktp)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["_nik"]
    response = apply(api, personas.bob, ktp, data={**answers(), "_nik": "3572034506900001"})
    assert response.status_code == 422
    assert response.json()["errors"]["_nik"].startswith("NIK ini sudah terdaftar pada akun lain.")
    response = apply(api, personas.bob, ktp, data={**answers(), "_nik": "3572014304880005"})
    assert response.status_code == 201
    personas.bob.citizen.refresh_from_db()
    assert personas.bob.citizen.nik == "3572014304880005"


# --- Following an application ------------------------------------------------------------------------


def test_resident_reads_her_application(personas, submit, api):
    application = submit()
    code = application.case.tracking_code
    body = api(personas.alice).get(f"/api/v1/applications/{code}").json()
    assert body["tracking_code"] == code
    assert (body["service"], body["status"], body["status_label"]) == (application.service.slug, "submitted",
                                                                       "Diajukan")
    assert body["agency"] == {"code": "dispendukcapil", "name": "Dinas Kependudukan dan Pencatatan Sipil"}
    assert body["answers"]["nik_anak"] == CHILD_NIK
    assert body["answers"]["alamat"] == {"kelurahan": SENTUL, "rw": "003", "rt": "002",
                                         "street": "Jl. Mawar 7"}
    assert (body["paused"], body["documents"], body["survey_open"]) == (False, [], False)
    # Lower case and without the dash, as people type it.
    assert api(personas.alice).get(f"/api/v1/applications/{code.lower().replace('-', '')}").status_code == 200


def test_receipt_through_the_api(personas, submit, api):
    application = submit()
    response = api(personas.alice).get(f"/api/v1/applications/{application.case.tracking_code}/receipt")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert application.case.tracking_code in pdf_text(response.content)


def test_finished_application_lists_its_document_and_opens_the_survey(personas, finished, api):
    application, document = finished()
    code = application.case.tracking_code
    alice = api(personas.alice)
    body = alice.get(f"/api/v1/applications/{code}").json()
    assert body["status"] == "resolved" and body["survey_open"] is True
    [listed] = body["documents"]
    assert (listed["id"], listed["number"], listed["verification_code"]) == (
        document.pk, document.number, document.verification_code)
    assert listed["verification_url"].endswith(f"/layanan/verifikasi/{document.verification_code}/")
    assert listed["download_url"].endswith(f"/api/v1/applications/{code}/documents/{document.pk}")
    download = alice.get(f"/api/v1/applications/{code}/documents/{document.pk}")
    assert download.status_code == 200
    with document.file.open("rb") as handle:
        assert b"".join(download.streaming_content) == handle.read()
    assert alice.get(f"/api/v1/applications/{code}/documents/{document.pk + 1000}").status_code == 404

    assert alice.post(f"/api/v1/applications/{code}/survey", json=all_scored(4)).status_code == 201
    again = alice.post(f"/api/v1/applications/{code}/survey", json=all_scored(3))
    assert again.status_code == 409
    assert again.json()["detail"].startswith("Terima kasih, survei untuk permohonan ini sudah Anda isi.")
    assert alice.get(f"/api/v1/applications/{code}").json()["survey_open"] is False
    assert SurveyResponse.objects.get().u1 == 4


def test_survey_through_the_api_is_refused_before_the_end_and_out_of_range(personas, submit, finished, api):
    open_code = submit().case.tracking_code
    alice = api(personas.alice)
    response = alice.post(f"/api/v1/applications/{open_code}/survey", json=all_scored(4))
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Survei kepuasan dibuka setelah permohonan selesai.")
    done_code = finished()[0].case.tracking_code
    response = alice.post(f"/api/v1/applications/{done_code}/survey", json={**all_scored(4), "u3": 5})
    assert response.status_code == 422
    assert response.json()["detail"] == both(ApplicationInvalid.message)
    # JSON true is not a score, even though Python would take it for 1.
    response = alice.post(f"/api/v1/applications/{done_code}/survey", json={**all_scored(4), "u1": True})
    assert response.status_code == 422
    assert_bilingual(response.json()["detail"])
    response = alice.post(f"/api/v1/applications/{done_code}/survey", json={"u1": 4})
    assert response.status_code == 422
    assert_bilingual(response.json()["detail"])
    assert {error["loc"][-1] for error in response.json()["errors"]} >= {"u2", "u9"}
    assert not SurveyResponse.objects.exists()


# --- Revision through the API --------------------------------------------------------------------------


def test_revision_round_trip(personas, submit, api):
    application = submit()
    code = application.case.tracking_code
    officer, alice = api(personas.operator), api(personas.alice)
    response = officer.post(f"/api/v1/applications/{code}/revision-request",
                            json={"fields": ["hp", "foto"], "note": "Foto buram, nomor HP salah."})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["paused"]) == ("waiting_citizen", True)

    mine = alice.get(f"/api/v1/applications/{code}").json()
    assert mine["revision_fields"] == ["hp", "foto"]
    assert mine["revision_note"] == "Foto buram, nomor HP salah."
    assert api(personas.alice).get("/api/v1/me/cases").json()[0]["waiting_on_you"] is True

    missing_file = alice.post(f"/api/v1/applications/{code}/resubmit",
                              data={"data": json.dumps({"hp": "0857 1111 2222"})})
    assert missing_file.status_code == 422
    assert list(missing_file.json()["errors"]) == ["foto"]

    photo = SimpleUploadedFile("foto-baru.png", png_bytes((90, 120), "teal"), content_type="image/png")
    response = alice.post(f"/api/v1/applications/{code}/resubmit",
                          data={"data": json.dumps({"hp": "0857 1111 2222", "nama": "Mallory"}),
                                "foto": photo})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["revision_fields"] == [] and body["revision_note"] == ""
    assert body["answers"]["hp"] == "+6285711112222" and body["answers"]["nama"] == "Alice Wulandari"
    assert Upload.objects.get(pk=body["answers"]["foto"]).name == "foto-baru.png"

    again = alice.post(f"/api/v1/applications/{code}/resubmit", data={"data": json.dumps({"hp": "0857"})})
    assert again.status_code == 409
    assert again.json()["detail"].startswith("Perbaikan sudah dikirim atau tidak sedang diminta.")


def test_revision_request_errors(personas, submit, api):
    code = submit().case.tracking_code
    officer = api(personas.operator)
    response = officer.post(f"/api/v1/applications/{code}/revision-request",
                            json={"fields": ["x"], "note": "y"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["fields"]
    response = officer.post(f"/api/v1/applications/{code}/revision-request", json={"fields": ["hp"]})
    assert response.status_code == 422
    assert_bilingual(response.json()["detail"])
    assert "note" in json.dumps(response.json()["errors"])
    response = officer.post(f"/api/v1/applications/{code}/revision-request", data={"fields": "hp"})
    assert response.status_code in (400, 422)
    assert_bilingual(response.json()["detail"])
    assert Case.objects.get().status == S.SUBMITTED


# --- The officer's other steps -------------------------------------------------------------------------


def test_reject_through_the_api(personas, submit, api):
    code = submit().case.tracking_code
    officer = api(personas.operator)
    response = officer.post(f"/api/v1/applications/{code}/reject", json={"reason": " "})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["reason"]
    response = officer.post(f"/api/v1/applications/{code}/reject", json={"reason": "Pemohon di luar kota."})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    response = officer.post(f"/api/v1/applications/{code}/reject", json={"reason": "Lagi."})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Perubahan status ini tidak diizinkan.")


def test_finish_through_the_api_with_a_signed_pdf(personas, submit, api):
    application = walk(submit(), personas.operator, S.VERIFIED, S.IN_PROGRESS)
    code = application.case.tracking_code
    officer = api(personas.operator)
    refused = officer.post(f"/api/v1/applications/{code}/finish",
                           data={"file": SimpleUploadedFile("surat.pdf", png_bytes())})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["file"]
    signed = pdf_bytes("Ditandatangani")
    response = officer.post(f"/api/v1/applications/{code}/finish",
                            data={"number": "470/9/2026", "file": SimpleUploadedFile("ttd.pdf", signed)})
    assert response.status_code == 200
    [document] = response.json()["documents"]
    assert document["number"] == "470/9/2026"
    assert application.documents.get().generated is False


def test_generic_transition_errors(personas, submit, api):
    code = submit().case.tracking_code
    officer = api(personas.operator)
    response = officer.post(f"/api/v1/cases/{code}/transition", json={"to_status": "selesai"})
    assert response.status_code == 400
    response = officer.post(f"/api/v1/cases/{code}/transition", json={"to_status": "resolved"})
    assert response.status_code == 409
    assert response.json()["detail"] == both(TransitionNotAllowed.message)
    response = officer.post(f"/api/v1/cases/{code}/handover", json={"to_agency": "tidak-ada", "reason": "x"})
    assert response.status_code == 400
    assert_bilingual(response.json()["detail"])
    response = officer.post(f"/api/v1/cases/{code}/comment", json={"text": "  "})
    assert response.status_code == 400
    assert_bilingual(response.json()["detail"])
    response = officer.get(f"/api/v1/cases/{code}/staff")
    assert response.json()["next_statuses"] == ["verified"]
    assert Case.objects.get().status == S.SUBMITTED
