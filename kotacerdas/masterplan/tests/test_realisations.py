"""An OPD enters a realisation with evidence; Bappeda verifies or returns it."""

from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.audit.models import AuditEntry
from kotacerdas.masterplan import actions
from kotacerdas.masterplan.errors import MasterplanError, MasterplanInvalid, StepNotAllowed
from kotacerdas.masterplan.models import Evidence, Realisation, RealisationEvent
from kotacerdas.masterplan.tests.conftest import pdf_upload, png_upload
from kotacerdas.notifications.models import Message


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel("2026-06-15 10:00 +0700", tick=False):
        yield


Status = Realisation.Status


def _url(indicator, year=2026):
    return f"/masterplan/kelola/indikator/{indicator.pk}/{year}/"


def test_operator_submits_with_evidence_and_bappeda_is_told(
    masterplan, personas, staff_client, django_capture_on_commit_callbacks
):
    client = staff_client(personas.operator)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            _url(masterplan.output),
            {
                "value": "72,5",
                "note": "Data loket Juni.",
                "links": "https://blitarkota.go.id/berita/ktp\n",
                "uploads": [pdf_upload(), png_upload()],
                "submit": "1",
            },
        )
    assert response.status_code == 302
    realisation = Realisation.objects.get(indicator=masterplan.output, year=2026)
    assert (realisation.value, realisation.status, realisation.submitted_by) == (
        Decimal("72.50"),
        Status.SUBMITTED,
        personas.operator,
    )
    kinds = sorted((bool(e.file), e.content_type) for e in realisation.evidence.all())
    assert kinds == [(False, ""), (True, "application/pdf"), (True, "image/png")]
    assert Message.objects.filter(user=masterplan.planner, template="realisation_submitted").exists()
    assert AuditEntry.objects.filter(action="realisation_submit", object_id=str(realisation.pk)).exists()


def test_submitting_without_evidence_is_refused_and_keeps_what_was_typed(masterplan, personas, staff_client):
    response = staff_client(personas.operator).post(
        _url(masterplan.output),
        {"value": "72", "note": "Catatan panjang yang tidak boleh hilang.", "submit": "1"},
    )
    assert response.status_code == 400
    assert "Lampirkan paling sedikit satu bukti" in response.content.decode()
    assert "Catatan panjang yang tidak boleh hilang." in response.content.decode()
    assert not Realisation.objects.exists()


def test_bad_number_and_fake_pdf_are_refused_with_the_form_kept(masterplan, personas, staff_client):
    fake = SimpleUploadedFile("laporan.pdf", b"<html>bukan pdf</html>", content_type="application/pdf")
    response = staff_client(personas.operator).post(
        _url(masterplan.output),
        {"value": "tujuh puluh", "note": "Tetap di sini.", "uploads": [fake], "submit": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Isi capaian dengan angka" in page
    assert "Tetap di sini." in page and 'value="tujuh puluh"' in page
    assert not Realisation.objects.exists() and not Evidence.objects.exists()


def test_a_draft_then_a_retried_submission_make_one_realisation(masterplan, personas, staff_client):
    client = staff_client(personas.operator)
    client.post(_url(masterplan.output), {"value": "70", "draft": "1"})
    assert Realisation.objects.get().status == Status.DRAFT
    post = {"value": "71", "links": "https://blitarkota.go.id/a", "submit": "1"}
    assert client.post(_url(masterplan.output), post).status_code == 302
    again = client.post(_url(masterplan.output), post)  # a double click
    assert again.status_code == 404  # no longer editable
    assert Realisation.objects.count() == 1 and Evidence.objects.count() == 1


def test_an_opd_enters_realisations_only_for_its_own_indicators(masterplan, personas, staff_client):
    client = staff_client(personas.outsider)
    assert client.get(_url(masterplan.output)).status_code == 404
    assert client.post(_url(masterplan.output), {"value": "99", "draft": "1"}).status_code == 404
    with pytest.raises(MasterplanError):
        actions.realisation_save(actor=personas.outsider, indicator=masterplan.output, year=2026, value="99")
    assert not Realisation.objects.exists()


def test_residents_and_anonymous_never_reach_the_form(masterplan, personas, client):
    assert client.get(_url(masterplan.output)).status_code == 302
    client.force_login(personas.alice)
    response = client.get(_url(masterplan.output))
    assert response.status_code == 302 and "/masterplan/" not in response["Location"]


def test_year_outside_the_programme_is_refused(masterplan, personas):
    with pytest.raises(MasterplanInvalid) as refused:
        actions.realisation_save(actor=personas.operator, indicator=masterplan.output, year=2031, value="1")
    assert "year" in refused.value.errors


def _submitted(masterplan, personas, value="72"):
    return actions.realisation_save(
        actor=personas.operator,
        indicator=masterplan.output,
        year=2026,
        value=value,
        links=["https://blitarkota.go.id/bukti"],
        submit=True,
    )


def test_bappeda_verifies_and_the_public_page_shows_it(masterplan, personas, staff_client, client):
    realisation = _submitted(masterplan, personas, "72")
    public = client.get("/masterplan/program/ktp-sehari/").content.decode()
    assert "72.00" not in public and "72,00" not in public
    planner = staff_client(masterplan.planner)
    queue = planner.get("/masterplan/kelola/verifikasi/").content.decode()
    assert "KTP-el terbit di hari yang sama" in queue
    assert (
        planner.post(f"/masterplan/kelola/verifikasi/{realisation.pk}/", {"verify": "1"}).status_code == 302
    )
    realisation.refresh_from_db()
    assert (realisation.status, realisation.reviewed_by) == (Status.VERIFIED, masterplan.planner)
    client.logout()
    public = client.get("/masterplan/program/ktp-sehari/").content.decode()
    assert "<td>72</td>" in public and "90,0 %" in public  # 72 of the 2026 target 80, in Indonesian numbers
    assert AuditEntry.objects.filter(action="realisation_verify").count() == 1


def test_returning_needs_a_note_and_the_opd_can_correct_and_resubmit(masterplan, personas, staff_client):
    realisation = _submitted(masterplan, personas)
    planner = staff_client(masterplan.planner)
    response = planner.post(f"/masterplan/kelola/verifikasi/{realisation.pk}/", {"return": "1", "note": ""})
    assert response.status_code == 400 and "Tuliskan apa yang perlu diperbaiki" in response.content.decode()
    planner.post(
        f"/masterplan/kelola/verifikasi/{realisation.pk}/", {"return": "1", "note": "Lampirkan rekap."}
    )
    realisation.refresh_from_db()
    assert realisation.status == Status.RETURNED
    assert Message.objects.filter(user=personas.operator, template="realisation_returned").exists()
    actions.realisation_save(
        actor=personas.operator,
        indicator=masterplan.output,
        year=2026,
        value="74",
        uploads=[pdf_upload("rekap.pdf")],
        submit=True,
    )
    realisation.refresh_from_db()
    assert (realisation.status, realisation.value, realisation.evidence.count()) == (Status.SUBMITTED, 74, 2)
    assert list(realisation.events.values_list("type", flat=True)) == [
        RealisationEvent.Type.SUBMITTED,
        RealisationEvent.Type.RETURNED,
        RealisationEvent.Type.SUBMITTED,
    ]


def test_only_bappeda_verifies_and_only_once(masterplan, personas, staff_client):
    realisation = _submitted(masterplan, personas)
    assert (
        staff_client(personas.kepala).get(f"/masterplan/kelola/verifikasi/{realisation.pk}/").status_code
        == 404
    )
    with pytest.raises(MasterplanError):
        actions.realisation_verify(actor=personas.kepala, realisation=realisation)
    actions.realisation_verify(actor=masterplan.planner, realisation=realisation)
    with pytest.raises(StepNotAllowed):
        actions.realisation_return(actor=masterplan.planner, realisation=realisation, note="terlambat")


def test_a_verified_realisation_cannot_be_changed_by_the_opd(masterplan, personas):
    realisation = _submitted(masterplan, personas)
    actions.realisation_verify(actor=masterplan.planner, realisation=realisation)
    with pytest.raises(StepNotAllowed):
        actions.realisation_save(actor=personas.operator, indicator=masterplan.output, year=2026, value="99")
    realisation.refresh_from_db()
    assert realisation.value == 72


def test_evidence_files_stay_with_the_opd_and_bappeda(masterplan, personas, staff_client, client):
    realisation = actions.realisation_save(
        actor=personas.operator,
        indicator=masterplan.output,
        year=2026,
        value="70",
        uploads=[pdf_upload()],
        submit=True,
    )
    evidence = realisation.evidence.get()
    url = f"/masterplan/kelola/bukti/{evidence.pk}/"
    assert client.get(url).status_code == 302  # to the login
    assert staff_client(personas.outsider).get(url).status_code == 404
    response = staff_client(masterplan.planner).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_mine_lists_the_agencys_indicators_with_this_years_target(
    masterplan, personas, staff_client, django_assert_max_num_queries
):
    client = staff_client(personas.operator)
    with django_assert_max_num_queries(12):
        page = client.get("/masterplan/kelola/").content.decode()
    assert "KTP-el terbit di hari yang sama" in page and "Waktu antre di loket" in page
    assert "Indikator draf tersembunyi" not in page
