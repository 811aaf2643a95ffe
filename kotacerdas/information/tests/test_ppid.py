import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from kotacerdas.agencies.models import Agency
from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases.models import Case, Holiday, Status
from kotacerdas.conftest import make_staff
from kotacerdas.information import actions, queries
from kotacerdas.information.errors import PpidError, PpidInvalid
from kotacerdas.information.models import Decision, Objection, PpidRules


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def wib(*args):
    return datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def ppid(personas):
    setda = Agency.objects.create(code="setda", short_name="Setda", name="Sekretariat Daerah Kota Blitar",
                                  kind="sekretariat")
    diskominfotik = Agency.objects.get(code="diskominfotik")
    officer = make_staff("Putri PPID", "ppid@pemkot.test", diskominfotik, "operator")
    sekda = make_staff("Sekar Sekda", "sekda@pemkot.test", setda, "kepala")
    return officer, sekda


def submit(personas, key="k1"):
    return actions.request_submit(requester=personas.alice,
                                  information="Salinan DPA Diskominfotik tahun 2026",
                                  purpose="Penelitian skripsi", obtain="electronic", submission_key=key)


@pytest.mark.django_db
def test_request_gets_ten_working_days_skipping_weekends_and_holidays(personas, ppid):
    Holiday.objects.create(date=date(2026, 8, 17), name="HUT RI", kind="nasional")
    with time_machine.travel(wib(2026, 8, 10, 9), tick=False):  # a Monday
        request = submit(personas)
    # 10 working days from Mon 10 Aug, skipping two weekends and 17 Aug.
    assert request.case.due_date == date(2026, 8, 25)
    assert request.case.agency.code == "diskominfotik"


@pytest.mark.django_db
def test_a_retried_submission_makes_one_request(personas, ppid):
    first = submit(personas)
    again = submit(personas)
    assert first.pk == again.pk
    assert Case.objects.filter(kind="information").count() == 1


@pytest.mark.django_db
def test_bad_request_is_refused_with_field_errors(personas, ppid):
    with pytest.raises(PpidInvalid) as refused:
        actions.request_submit(requester=personas.alice, information="x", purpose="", obtain="fax",
                               submission_key="k")
    assert set(refused.value.errors) == {"information", "purpose", "obtain"}


@pytest.mark.django_db
def test_extension_once_with_reason_moves_the_deadline_seven_working_days(personas, ppid):
    officer, _sekda = ppid
    with time_machine.travel(wib(2026, 8, 3, 9), tick=False):
        request = submit(personas)
        due = request.case.due_date
        with pytest.raises(PpidInvalid):
            actions.request_extend(request=request, actor=officer, reason=" ")
        actions.request_extend(request=request, actor=officer, reason="Dokumen di arsip inaktif")
        request.refresh_from_db()
        request.case.refresh_from_db()
        assert due == date(2026, 8, 17) and request.case.due_date == date(2026, 8, 26)
        with pytest.raises(PpidError):
            actions.request_extend(request=request, actor=officer, reason="Lagi")
    event = request.case.events.filter(is_public=True).last()
    assert "Dokumen di arsip inaktif" in event.text


@pytest.mark.django_db
def test_refusal_needs_its_legal_ground(personas, ppid):
    officer, _sekda = ppid
    request = submit(personas)
    with pytest.raises(PpidInvalid) as refused:
        actions.request_decide(request=request, actor=officer, decision=Decision.REFUSED,
                               answer="Tidak dapat")
    assert "legal_ground" in refused.value.errors
    actions.request_decide(request=request, actor=officer, decision=Decision.REFUSED, answer="Tidak dapat",
                           legal_ground="UU 14/2008 Pasal 17 huruf c")
    request.refresh_from_db()
    assert request.case.status == Status.RESOLVED and request.legal_ground


@pytest.mark.django_db
def test_answer_with_file_reaches_only_the_requester(client, personas, ppid):
    officer, _sekda = ppid
    request = submit(personas)
    actions.request_decide(request=request, actor=officer, decision=Decision.GRANTED, answer="Terlampir.",
                           files=[SimpleUploadedFile("dpa.pdf", pdf())])
    stored = request.files.get()
    url = f"/informasi/ppid/{request.case.tracking_code}/berkas/{stored.pk}/"
    client.force_login(personas.bob)
    assert client.get(url).status_code == 404
    client.force_login(personas.alice)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_objection_goes_to_the_superior_who_decides(personas, ppid):
    officer, sekda = ppid
    request = submit(personas)
    actions.request_decide(request=request, actor=officer, decision=Decision.PARTLY, answer="Sebagian",
                           legal_ground="Pasal 17 huruf h")
    with pytest.raises(PpidError):
        actions.objection_file(request=request, actor=personas.bob, grounds=["a"], reason="bukan saya")
    objection = actions.objection_file(request=request, actor=personas.alice, grounds=["a", "d", "zz"],
                                       reason="Informasi itu tidak dikecualikan")
    case = Case.objects.get(pk=request.case.pk)
    assert objection.grounds == ["a", "d"]
    assert case.agency.code == "setda" and case.status == Status.IN_PROGRESS
    assert case.due_date == objection.due_date
    with pytest.raises(PpidError):
        actions.objection_decide(objection=objection, actor=officer, outcome="upheld", response="x")
    actions.objection_decide(objection=objection, actor=sekda, outcome=Objection.Outcome.UPHELD,
                             response="Berikan seluruhnya")
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    entries = AuditEntry.objects.filter(object_id=str(request.pk))
    actions_logged = set(entries.values_list("action", flat=True))
    assert {"ppid.request", "ppid.decide", "ppid.objection", "ppid.objection_decide"} <= actions_logged


@pytest.mark.django_db
def test_unanswered_request_may_be_objected_to_once_late(personas, ppid):
    with time_machine.travel(wib(2026, 8, 3, 9), tick=False):
        request = submit(personas)
        assert not actions.may_object(request)
    with time_machine.travel(wib(2026, 8, 20, 9), tick=False):
        request.refresh_from_db()
        assert actions.may_object(request)
        actions.objection_file(request=request, actor=personas.alice, grounds=["c"], reason="Tidak dijawab")
        assert not actions.may_object(request)


@pytest.mark.django_db
def test_objection_window_closes(personas, ppid):
    officer, _sekda = ppid
    with time_machine.travel(wib(2026, 8, 3, 9), tick=False):
        request = submit(personas)
        actions.request_decide(request=request, actor=officer, decision=Decision.GRANTED, answer="Ini")
    with time_machine.travel(wib(2026, 10, 30, 9), tick=False), pytest.raises(PpidError):
        actions.objection_file(request=request, actor=personas.alice, grounds=["d"], reason="terlambat")


@pytest.mark.django_db
def test_deadlines_are_editable_rules_not_code(personas, ppid):
    rules = actions.ppid_rules()
    rules.answer_workdays = 5
    rules.save()
    with time_machine.travel(wib(2026, 8, 3, 9), tick=False):
        request = submit(personas)
    assert request.case.due_date == date(2026, 8, 10)
    assert PpidRules.objects.count() == 1


@pytest.mark.django_db
def test_register_and_report_show_no_personal_data(client, personas, ppid):
    officer, _sekda = ppid
    request = submit(personas)
    actions.request_extend(request=request, actor=officer, reason="Perlu waktu")
    actions.request_decide(request=request, actor=officer, decision=Decision.GRANTED, answer="Ini")
    page = client.get("/informasi/ppid/register/")
    assert request.case.tracking_code in page.text and "Salinan DPA" in page.text
    for private in (personas.alice.name, personas.alice.email, personas.alice.phone, "3572034506900001"):
        assert private not in page.text
    figures = queries.figures(timezone.localdate().year)
    assert figures.requests == 1 and figures.decided == 1 and figures.extended == 1
    assert figures.within_deadline == 1 and figures.average_workdays == 0
    assert client.get("/informasi/ppid/laporan/").status_code == 200


@pytest.mark.django_db
def test_citizen_and_staff_pages_show_the_panels(client, staff_client, personas, ppid):
    officer, _sekda = ppid
    client.force_login(personas.alice)
    form = client.get("/informasi/ppid/ajukan/")
    key = form.context["form"].initial["submission_key"]
    data = {"information": "Daftar proyek jalan 2026 di DPUPR", "purpose": "Pengawasan warga",
            "obtain": "electronic", "submission_key": key}
    response = client.post("/informasi/ppid/ajukan/", data)
    assert response.status_code == 302
    client.post("/informasi/ppid/ajukan/", data)  # a double tap
    request = actions.InformationRequest.objects.get()
    mine = client.get(response["Location"])
    assert "Daftar proyek jalan" in mine.text
    officer_client = staff_client(officer)
    page = officer_client.get(f"/staf/perkara/{request.case.tracking_code}/")
    assert "Putuskan dan jawab" in page.text and personas.alice.name in page.text
    officer_client.post(f"/informasi/staf/ppid/{request.case.tracking_code}/putus/",
                        {"decision": "granted", "answer": "Terlampir daftar proyek"})
    request.refresh_from_db()
    assert request.decision == "granted"


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["1", "99999", "abc", "-5"])
def test_register_and_report_survive_any_year(client, personas, ppid, year):
    assert client.get("/informasi/ppid/register/", {"tahun": year}).status_code == 200
    report = client.get("/informasi/ppid/laporan/", {"tahun": year})
    assert report.status_code == 200 and report.context["figures"].year == timezone.localdate().year
