"""The output document: generated or uploaded, downloadable by its holder, and checkable
by anyone on the public verification page without giving the holder away."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format

from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases.errors import TransitionNotAllowed
from kotacerdas.cases.models import Case, Status
from kotacerdas.notifications.models import Message
from kotacerdas.services import actions
from kotacerdas.services.errors import ApplicationInvalid
from kotacerdas.services.models import OutputDocument
from kotacerdas.services.tests.conftest import (
    CHILD_NIK,
    pdf_bytes,
    pdf_has_qr_of,
    pdf_text,
    png_bytes,
    resident_browser,
    staff_browser,
    walk,
)

S = Status


def body(response) -> str:
    return unescape(response.content.decode())


def file_bytes(document: OutputDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def in_progress(submit, personas, **overrides):
    return walk(submit(**overrides), personas.operator, S.VERIFIED, S.IN_PROGRESS)


# --- Issuing ---------------------------------------------------------------------------------------


def test_generated_document_carries_its_verification_code_and_qr(personas, finished):
    application, document = finished()
    assert document.generated and document.content_type == "application/pdf"
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", document.verification_code)
    data = file_bytes(document)
    text = pdf_text(data)
    assert document.verification_code in text
    assert document.number in text and "Surat Keterangan Uji" in text
    assert application.case.tracking_code in text
    assert pdf_has_qr_of(data, f"{settings.SITE_URL}/layanan/verifikasi/{document.verification_code}/")
    # Identity numbers, phones and addresses are printed only where the template names them.
    for private in (CHILD_NIK, "6281234567890", "Mawar"):
        assert private not in text, private


def test_document_template_fills_in_the_answers_it_names(personas, finished, service):
    service.document_template = "Diberikan kepada $nama untuk keperluan $keperluan ($jenis)."
    service.save()
    _application, document = finished()
    text = pdf_text(file_bytes(document))
    assert "Diberikan kepada Alice Wulandari untuk keperluan Melamar kerja (Baru)." in text


def test_documents_are_numbered_per_agency_and_year(personas, finished):
    _a, first = finished()
    _b, second = finished()
    year = timezone.localdate(first.issued_at).year
    assert first.number == f"00001/DISPENDUKCAPIL/{year}"
    assert second.number == f"00002/DISPENDUKCAPIL/{year}"
    assert first.verification_code != second.verification_code


def test_a_document_number_cannot_be_used_twice(personas, finished, submit):
    _application, document = finished()
    application = in_progress(submit, personas)
    with pytest.raises(ApplicationInvalid) as refused:
        actions.application_finish(application=application, actor=personas.operator, number=document.number)
    assert str(refused.value.errors["number"]) == "Nomor dokumen ini sudah dipakai."
    assert Case.objects.get(pk=application.case.pk).status == S.IN_PROGRESS


def test_automatic_number_skips_one_an_officer_already_used(personas, finished, submit):
    # The first document was numbered by hand in the automatic pattern; counting documents
    # would give the second one the same number.
    year = timezone.localdate().year
    taken = f"00002/DISPENDUKCAPIL/{year}"
    first = in_progress(submit, personas)
    actions.application_finish(application=first, actor=personas.operator, number=taken)
    second = in_progress(submit, personas)
    document = actions.application_finish(application=second, actor=personas.operator)
    assert document.number not in (taken, "")
    assert document.number.endswith(f"/DISPENDUKCAPIL/{year}")
    assert Case.objects.get(pk=second.case.pk).status == S.RESOLVED


def test_finishing_tells_the_resident_and_is_audited(personas, finished):
    application, document = finished()
    message = Message.objects.get(user=personas.alice, template="application_finished")
    assert application.case.tracking_code in message.body
    audit = AuditEntry.objects.get(action="document_issue")
    assert audit.actor == personas.operator
    assert audit.changes["number"] == [None, document.number]


def test_officer_uploads_a_signed_pdf(personas, submit):
    application = in_progress(submit, personas)
    code = application.case.tracking_code
    signed = pdf_bytes("Surat bertanda tangan basah")
    officer = staff_browser(personas.operator)
    response = officer.post(
        f"/layanan/staf/{code}/selesai/",
        {"number": "470/123/410.304/2026", "note": "Dokumen asli bisa diambil.",
         "file": SimpleUploadedFile("surat ttd.pdf", signed, content_type="application/pdf")},
    )
    assert response.status_code == 302
    document = OutputDocument.objects.get()
    assert not document.generated
    assert document.number == "470/123/410.304/2026"
    assert file_bytes(document) == signed
    assert Case.objects.get().status == S.RESOLVED
    download = resident_browser(personas.alice).get(f"/layanan/permohonan/{code}/dokumen/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == signed
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "content"),
    [("surat.pdf", png_bytes()), ("surat.pdf", b"bukan pdf"), ("surat.png", png_bytes())],
)
def test_a_non_pdf_output_document_is_refused(personas, submit, name, content):
    application = in_progress(submit, personas)
    with pytest.raises(ApplicationInvalid) as refused:
        actions.application_finish(application=application, actor=personas.operator,
                                   file=SimpleUploadedFile(name, content))
    assert "Jenis yang diterima: PDF" in str(refused.value.errors["file"])
    assert not OutputDocument.objects.exists()
    assert Case.objects.get().status == S.IN_PROGRESS


def test_a_non_pdf_on_the_web_form_leaves_the_case_open(personas, submit):
    application = in_progress(submit, personas)
    code = application.case.tracking_code
    response = staff_browser(personas.operator).post(
        f"/layanan/staf/{code}/selesai/",
        {"number": "", "file": SimpleUploadedFile("scan.pdf", png_bytes())}, follow=True,
    )
    assert "Jenis berkas tidak dikenali" in body(response)
    assert not OutputDocument.objects.exists() and Case.objects.get().status == S.IN_PROGRESS


def test_finishing_before_the_work_started_is_refused(personas, submit):
    application = submit()
    with pytest.raises(TransitionNotAllowed):
        actions.application_finish(application=application, actor=personas.operator)
    assert not OutputDocument.objects.exists()


# --- The public verification page ---------------------------------------------------------------


PRIVATE = ("Alice", "Wulandari", "3572034506900001", CHILD_NIK, "6281234567890", "0812", "Mawar",
           "alice@warga.test")


def test_verification_page_shows_the_document_but_not_its_holder(client, personas, finished):
    _application, document = finished()
    response = client.get(f"/layanan/verifikasi/{document.verification_code}/")
    assert response.status_code == 200
    page = body(response)
    with translation.override("id"):
        issued = date_format(timezone.localtime(document.issued_at), "j F Y")
    for shown in ("Surat Keterangan Uji", document.number, issued, "Dinas Kependudukan dan Pencatatan Sipil",
                  "Dokumen ini asli"):
        assert shown in page, shown
    for private in PRIVATE:
        assert private not in page, private
    assert "disembunyikan atas pilihan pemegang" in page


def test_holder_may_show_her_name_and_nothing_more(client, personas, finished):
    application, document = finished()
    code, url = application.case.tracking_code, f"/layanan/verifikasi/{document.verification_code}/"
    alice = resident_browser(personas.alice)
    response = alice.post(f"/layanan/permohonan/{code}/dokumen/{document.pk}/nama/", {"show": "1"})
    assert response.status_code == 302
    page = body(client.get(url))
    assert "Alice Wulandari" in page
    for private in PRIVATE[2:]:
        assert private not in page, private
    audit = AuditEntry.objects.get(action="document_visibility")
    assert audit.changes == {"show_holder_name": [False, True]}

    alice.post(f"/layanan/permohonan/{code}/dokumen/{document.pk}/nama/", {"show": "0"})
    assert "Alice Wulandari" not in body(client.get(url))


def test_nobody_else_can_show_the_holders_name(personas, finished):
    application, document = finished()
    response = resident_browser(personas.bob).post(
        f"/layanan/permohonan/{application.case.tracking_code}/dokumen/{document.pk}/nama/", {"show": "1"}
    )
    assert response.status_code == 404
    officer = staff_browser(personas.operator)
    officer.post(f"/layanan/permohonan/{application.case.tracking_code}/dokumen/{document.pk}/nama/",
                 {"show": "1"})
    document.refresh_from_db()
    assert not document.show_holder_name


def test_code_is_found_however_it_is_typed(client, personas, finished):
    _application, document = finished()
    assert client.get(f"/layanan/verifikasi/{document.verification_code.lower()}/").status_code == 200
    response = client.get("/layanan/verifikasi/", {"code": f" {document.verification_code} "})
    assert response.status_code == 200 and document.number in body(response)


def test_unknown_code_is_a_404_page_that_says_so(client, db):
    response = client.get("/layanan/verifikasi/ABCD-EFGH-JKLM/")
    assert response.status_code == 404
    assert "Kode verifikasi tidak ditemukan" in body(response)


def test_empty_verification_form_is_just_the_form(client, db):
    response = client.get("/layanan/verifikasi/")
    assert response.status_code == 200
    assert "tidak ditemukan" not in body(response)
