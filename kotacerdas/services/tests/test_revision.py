"""The officer's side of an application: asking for a revision and getting it back, the
status steps, rejection, internal notes, handover, and approval by the head of the agency."""

import json
from datetime import date
from html import unescape

import pytest
import time_machine

from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases.actions import case_comment, case_handover
from kotacerdas.cases.models import Case, CaseEvent, Status
from kotacerdas.cases.tests.conftest import wib
from kotacerdas.services import actions
from kotacerdas.services.errors import ApplicationError, ApplicationInvalid, ApprovalRequired
from kotacerdas.services.models import Application, OutputDocument
from kotacerdas.services.tests.conftest import (
    SENTUL,
    make_service,
    pdf_file,
    png_file,
    resident_browser,
    staff_browser,
    walk,
)

S = Status


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def fresh(application: Application) -> Application:
    return Application.objects.select_related("case").get(pk=application.pk)


# --- Revision --------------------------------------------------------------------------------------


def test_officer_asks_for_named_fields_and_the_clock_stops(personas, submit):
    application = submit()
    code = application.case.tracking_code
    officer = staff_browser(personas.operator)
    response = officer.post(
        f"/layanan/staf/{code}/perbaikan/",
        {"fields_to_fix": ["ktp", "hp"], "note": "Scan KTP buram; nomor HP tidak aktif."},
    )
    assert response.status_code == 302
    application = fresh(application)
    assert application.case.status == S.WAITING_CITIZEN
    assert application.case.is_paused
    assert application.revision_fields == ["hp", "ktp"]  # in the form's order
    assert application.revision_note == "Scan KTP buram; nomor HP tidak aktif."

    page = html(resident_browser(personas.alice).get(f"/perkara-saya/{code}/"))
    assert "Petugas meminta perbaikan:" in page and "Nomor HP, Scan KTP" in page
    assert "Scan KTP buram; nomor HP tidak aktif." in page
    assert f"/layanan/permohonan/{code}/perbaiki/" in page


def test_revision_needs_fields_and_a_note(personas, submit):
    application = submit()
    with pytest.raises(ApplicationInvalid) as no_fields:
        actions.application_request_revision(
            application=application, actor=personas.operator, fields=["tidak-ada"], note="Perbaiki"
        )
    assert list(no_fields.value.errors) == ["fields"]
    with pytest.raises(ApplicationInvalid) as no_note:
        actions.application_request_revision(
            application=application, actor=personas.operator, fields=["hp"], note="  "
        )
    assert list(no_note.value.errors) == ["note"]
    assert Case.objects.get().status == S.SUBMITTED


def test_resident_sees_exactly_the_fields_to_fix(personas, submit):
    application = submit()
    actions.application_request_revision(
        application=application, actor=personas.operator, fields=["hp", "alamat"], note="Lengkapi RT."
    )
    alice = resident_browser(personas.alice)
    page = html(alice.get(f"/layanan/permohonan/{application.case.tracking_code}/perbaiki/"))
    assert 'id="field-hp"' in page and 'id="field-alamat"' in page
    for other in ("nama", "keperluan", "penghasilan", "tanggal_lahir", "jenis", "lampiran", "nik_anak", "ktp",
                  "foto"):
        assert f'id="field-{other}"' not in page, other
    assert "Lengkapi RT." in page
    # The current answers are there to correct.
    assert 'value="+6281234567890"' in page and 'value="Jl. Mawar 7"' in page


def test_resubmission_changes_only_the_named_fields(personas, submit):
    application = submit()
    code = application.case.tracking_code
    actions.application_request_revision(
        application=application, actor=personas.operator, fields=["hp", "ktp"], note="Perbaiki."
    )
    resident = resident_browser(personas.alice)
    new_scan = pdf_file("ktp jelas.pdf", text="KTP yang jelas")
    response = resident.post(
        f"/layanan/permohonan/{code}/perbaiki/",
        {"hp": "0857 1111 2222", "nama": "Mallory", "penghasilan": "9", "alamat__kelurahan": SENTUL,
         "alamat__rw": "9", "alamat__rt": "9", "alamat__street": "Jl. Lain", "ktp": new_scan,
         "foto": png_file("foto lain.png")},
    )
    assert response.status_code == 302
    assert response.url == f"/perkara-saya/{code}/"
    after = fresh(application)
    assert after.data["hp"] == "+6285711112222"
    assert after.data["nama"] == "Alice Wulandari"
    assert after.data["penghasilan"] == 1_500_000
    assert after.data["alamat"]["street"] == "Jl. Mawar 7"
    assert after.data["foto"] == application.data["foto"]
    new_upload = after.uploads.get(pk=after.data["ktp"])
    assert new_upload.name == "ktp-jelas.pdf" and new_upload.pk != application.data["ktp"]
    assert (after.case.status, after.case.is_paused) == (S.SUBMITTED, False)
    assert (after.revisions, after.revision_fields) == (1, [])
    # The timeline says a revision came in.
    event = CaseEvent.objects.filter(case=after.case).last()
    assert (event.from_status, event.to_status) == (S.WAITING_CITIZEN, S.SUBMITTED)
    assert event.actor == personas.alice
    assert event.data == {"resubmitted": True}


def test_a_wrong_fix_is_refused_and_the_case_keeps_waiting(personas, submit):
    application = submit()
    actions.application_request_revision(application=application, actor=personas.operator, fields=["hp"],
                                         note="Perbaiki.")
    response = resident_browser(personas.alice).post(
        f"/layanan/permohonan/{application.case.tracking_code}/perbaiki/", {"hp": "12"}
    )
    assert response.status_code == 400
    assert "Nomor telepon" in unescape(response.content.decode())
    after = fresh(application)
    assert after.case.status == S.WAITING_CITIZEN
    assert after.data["hp"] == "+6281234567890"


def test_revision_page_when_nothing_is_asked_sends_the_resident_back(personas, submit):
    application = submit()
    code = application.case.tracking_code
    response = resident_browser(personas.alice).get(f"/layanan/permohonan/{code}/perbaiki/")
    assert response.status_code == 302 and response.url == f"/perkara-saya/{code}/"
    with pytest.raises(ApplicationError):
        actions.application_resubmit(application=application, actor=personas.alice, answers={"hp": "08123"},
                                     uploads={})


def test_due_date_moves_by_the_working_days_waited(personas, submit, holidays):
    # Mon 6 Jul 2026 + 3 working days = Thu 9 Jul. The officer asks on Tue 7 Jul; the fix
    # arrives Mon 13 Jul: 4 working days waited (8, 9, 10, 13), so the due date moves 4
    # working days, to Wed 15 Jul.
    with time_machine.travel(wib(2026, 7, 6, 9), tick=False) as traveller:
        application = submit()
        assert application.case.due_date == date(2026, 7, 9)
        traveller.move_to(wib(2026, 7, 7, 10))
        actions.application_request_revision(application=application, actor=personas.operator, fields=["hp"],
                                             note="Nomor HP tidak aktif.")
        traveller.move_to(wib(2026, 7, 13, 14))
        actions.application_resubmit(application=application, actor=personas.alice,
                                     answers={"hp": "0857 1111 2222"}, uploads={})
    case = Case.objects.get()
    assert case.due_date == date(2026, 7, 15)
    assert case.status == S.SUBMITTED and case.paused_since is None


def test_due_date_moves_across_a_holiday(personas, submit, holidays):
    # Mon 10 Aug 2026 + 3 = Thu 13 Aug. Waiting Tue 11 → Tue 18 Aug is 4 working days (12,
    # 13, 14, 18: Mon 17 Aug is Independence Day), and 4 working days after Thu 13 Aug,
    # skipping Mon 17 again, is Thu 20 Aug.
    with time_machine.travel(wib(2026, 8, 10, 9), tick=False) as traveller:
        application = submit()
        traveller.move_to(wib(2026, 8, 11, 9))
        actions.application_request_revision(application=application, actor=personas.operator, fields=["hp"],
                                             note="Nomor HP tidak aktif.")
        traveller.move_to(wib(2026, 8, 18, 9))
        actions.application_resubmit(application=application, actor=personas.alice,
                                     answers={"hp": "0857 1111 2222"}, uploads={})
    assert Case.objects.get().due_date == date(2026, 8, 20)


def test_audit_rows_name_the_fields_never_their_values(personas, submit):
    application = submit()
    actions.application_request_revision(application=application, actor=personas.operator,
                                         fields=["hp", "nama"], note="Perbaiki.")
    actions.application_resubmit(application=application, actor=personas.alice,
                                 answers={"hp": "0857 1111 2222", "nama": "Alice Wulandari"}, uploads={})
    # The audit log keeps a list as its text.
    asked = AuditEntry.objects.get(action="application_request_revision")
    assert (asked.actor, asked.changes) == (personas.operator, {"fields": [None, "['nama', 'hp']"]})
    fixed = AuditEntry.objects.get(action="application_resubmit")
    assert (fixed.actor, fixed.changes) == (personas.alice, {"changed": [None, "['hp']"]})
    everything = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    for value in ("6285711112222", "0857", "6281234567890", "Wulandari", "Mawar"):
        assert value not in everything, value


def test_only_the_applicant_can_resubmit(personas, submit):
    application = submit()
    actions.application_request_revision(application=application, actor=personas.operator, fields=["hp"],
                                         note="Perbaiki.")
    with pytest.raises(ApplicationError):
        actions.application_resubmit(application=application, actor=personas.bob,
                                     answers={"hp": "0857 1111 2222"}, uploads={})
    assert fresh(application).case.status == S.WAITING_CITIZEN


# --- Status steps --------------------------------------------------------------------------------------


def test_officer_verifies_works_and_finishes(personas, submit, api):
    application = submit()
    code = application.case.tracking_code
    officer = api(personas.operator)
    response = officer.post(f"/api/v1/cases/{code}/transition", json={"to_status": "verified"})
    assert response.status_code == 200 and response.json()["status"] == "verified"
    response = officer.post(f"/api/v1/cases/{code}/transition", json={"to_status": "in_progress"})
    assert response.status_code == 200
    assert "resolved" not in response.json()["next_statuses"]
    response = officer.post(f"/api/v1/applications/{code}/finish", data={"note": "Silakan diunduh."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"
    case = Case.objects.get()
    assert case.status == S.RESOLVED and case.resolved_at is not None
    assert OutputDocument.objects.filter(application=application).count() == 1


@pytest.mark.parametrize(
    ("walked", "target"),
    [
        ((), S.RESOLVED),
        ((), S.WAITING_CITIZEN),
        ((), S.REJECTED),
        ((S.VERIFIED, S.IN_PROGRESS), S.RESOLVED),
        ((S.VERIFIED, S.IN_PROGRESS), S.WAITING_CITIZEN),
        ((S.VERIFIED,), S.REJECTED),
    ],
)
def test_generic_transition_cannot_reach_what_the_service_owns(personas, submit, api, walked, target):
    application = walk(submit(), personas.operator, *walked)
    code = application.case.tracking_code
    before = Case.objects.get().status
    response = api(personas.operator).post(f"/api/v1/cases/{code}/transition", json={"to_status": target})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Perubahan status ini tidak diizinkan.")
    assert Case.objects.get().status == before
    assert not OutputDocument.objects.exists()


def test_generic_status_form_on_the_web_cannot_finish_either(personas, submit):
    application = walk(submit(), personas.operator, S.VERIFIED, S.IN_PROGRESS)
    code = application.case.tracking_code
    officer = staff_browser(personas.operator)
    page = html(officer.get(f"/staf/perkara/{code}/"))
    assert '<option value="resolved"' not in page
    officer.post(f"/staf/perkara/{code}/status/", {"to_status": "resolved"})
    assert Case.objects.get().status == S.IN_PROGRESS


def test_rejection_needs_a_reason_that_the_resident_reads(personas, submit):
    application = submit()
    code = application.case.tracking_code
    officer = staff_browser(personas.operator)
    officer.post(f"/layanan/staf/{code}/tolak/", {"reason": "   "})
    assert Case.objects.get().status == S.SUBMITTED
    officer.post(f"/layanan/staf/{code}/tolak/", {"reason": "Pemohon bukan warga Kota Blitar."})
    case = Case.objects.get()
    assert case.status == S.REJECTED and case.resolved_at is not None
    page = html(resident_browser(personas.alice).get(f"/perkara-saya/{code}/"))
    assert "Ditolak" in page and "Pemohon bukan warga Kota Blitar." in page


def test_internal_notes_stay_internal(client, personas, submit, api):
    application = submit()
    code = application.case.tracking_code
    case_comment(case=application.case, actor=personas.operator, text="Telepon pemohon tidak diangkat",
                 public=False)
    case_comment(case=application.case, actor=personas.operator, text="Berkas sedang kami periksa.",
                 public=True)
    resident = resident_browser(personas.alice)
    places = [
        resident.get(f"/perkara-saya/{code}/"),
        client.get(f"/lacak/?code={code}"),
        client.get(f"/api/v1/cases/{code}"),
        api(personas.alice).get(f"/api/v1/applications/{code}"),
    ]
    for response in places:
        body = unescape(response.content.decode())
        assert response.status_code == 200
        assert "Telepon pemohon tidak diangkat" not in body
    assert "Berkas sedang kami periksa." in unescape(places[0].content.decode())
    staff_page = html(staff_browser(personas.operator).get(f"/staf/perkara/{code}/"))
    assert "Telepon pemohon tidak diangkat" in staff_page


# --- Handover ------------------------------------------------------------------------------------------


def test_handover_keeps_the_timeline_and_the_receiving_agency_finishes(personas, submit, api):
    application = walk(submit(), personas.operator, S.VERIFIED)
    code = application.case.tracking_code
    before = list(CaseEvent.objects.filter(case=application.case).values_list("pk", flat=True))
    response = api(personas.operator).post(f"/api/v1/cases/{code}/handover",
                                           json={"to_agency": "dpupr", "reason": "Terkait bangunan"})
    assert response.status_code == 200 and response.json()["agency"] == "dpupr"
    after = list(CaseEvent.objects.filter(case=application.case).values_list("pk", flat=True))
    assert after[: len(before)] == before and len(after) > len(before)

    receiving = api(personas.outsider)
    response = receiving.post(f"/api/v1/cases/{code}/transition", json={"to_status": "in_progress"})
    assert response.status_code == 200
    response = receiving.post(f"/api/v1/applications/{code}/finish")
    assert response.status_code == 200, response.content
    document = OutputDocument.objects.get()
    assert document.agency == personas.dpupr and document.issued_by == personas.outsider
    assert document.number.endswith(f"/DPUPR/{document.issued_at.year}")

    # The sender still reads the whole story, and can no longer act.
    sender = staff_browser(personas.operator)
    page = html(sender.get(f"/staf/perkara/{code}/"))
    assert "Diteruskan dari Dispendukcapil ke DPUPR" in page and "Selesai" in page
    assert "Terkait bangunan" in page
    resident_page = html(resident_browser(personas.alice).get(f"/perkara-saya/{code}/"))
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in resident_page
    assert "Terkait bangunan" not in resident_page


def test_sending_agency_cannot_finish_after_handover(personas, submit, api):
    application = walk(submit(), personas.operator, S.VERIFIED, S.IN_PROGRESS)
    case_handover(case=application.case, to_agency=personas.dpupr, actor=personas.operator,
                  reason="Salah alamat")
    response = api(personas.operator).post(f"/api/v1/applications/{application.case.tracking_code}/finish")
    assert response.status_code == 409
    assert not OutputDocument.objects.exists()
    assert Case.objects.get().status == S.IN_PROGRESS


# --- Approval --------------------------------------------------------------------------------------------


@pytest.fixture
def approval_service(personas, regions):
    return make_service(personas.dukcapil, slug="kk-uji", name="Kartu Keluarga uji", product="Kartu Keluarga",
                        needs_approval=True)


def test_service_needing_approval_is_finished_only_by_the_head(personas, submit, approval_service):
    application = walk(submit(to=approval_service), personas.operator, S.VERIFIED, S.IN_PROGRESS)
    with pytest.raises(ApprovalRequired):
        actions.application_finish(application=application, actor=personas.operator)
    assert Case.objects.get().status == S.IN_PROGRESS and not OutputDocument.objects.exists()

    actions.application_finish(application=fresh(application), actor=personas.kepala)
    case = Case.objects.get()
    assert case.status == S.RESOLVED
    event = CaseEvent.objects.filter(case=case, to_status=S.RESOLVED).get()
    assert event.actor == personas.kepala
    assert event.data["approved_by"] == "Kirana Kepala"
    resident_page = html(resident_browser(personas.alice).get(f"/perkara-saya/{case.tracking_code}/"))
    # The resident learns that the head approved; officers' names stay internal.
    assert "Disetujui kepala perangkat daerah." in resident_page
    assert "Kirana Kepala" not in resident_page


def test_operator_finishing_on_the_web_is_refused_with_a_message(personas, submit, approval_service):
    application = walk(submit(to=approval_service), personas.operator, S.VERIFIED, S.IN_PROGRESS)
    code = application.case.tracking_code
    officer = staff_browser(personas.operator)
    page = html(officer.get(f"/staf/perkara/{code}/"))
    assert "Menunggu persetujuan kepala perangkat daerah." in page
    response = officer.post(f"/layanan/staf/{code}/selesai/", {"number": "", "note": ""}, follow=True)
    assert "harus disetujui dan diselesaikan oleh kepala" in html(response)
    assert Case.objects.get().status == S.IN_PROGRESS


def test_operator_finishing_through_the_api_gets_403(personas, submit, approval_service, api):
    application = walk(submit(to=approval_service), personas.operator, S.VERIFIED, S.IN_PROGRESS)
    response = api(personas.operator).post(f"/api/v1/applications/{application.case.tracking_code}/finish")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Layanan ini harus disetujui")
    assert Case.objects.get().status == S.IN_PROGRESS
