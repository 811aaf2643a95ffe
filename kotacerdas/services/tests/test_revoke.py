"""A document issued by mistake is revoked, and its verification page says so."""

import pytest

from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases.actions import case_transition
from kotacerdas.cases.models import Status
from kotacerdas.services import actions
from kotacerdas.services.errors import ApplicationInvalid
from kotacerdas.services.models import FormField, Service


@pytest.fixture
def document(personas):
    service = Service.objects.create(
        slug="surat-keterangan", name="Surat keterangan", agency=personas.dukcapil, summary="-",
        category="umum", sla_workdays=3, product="Surat keterangan", complaint_channel="-",
    )
    FormField.objects.create(service=service, name="keperluan", label="Keperluan", type="text")
    application = actions.application_submit(applicant=personas.alice, service=service,
                                             answers={"keperluan": "Melamar kerja"}, uploads={},
                                             submission_key="k1")
    for status in (Status.VERIFIED, Status.IN_PROGRESS):
        case_transition(case=application.case, to_status=status, actor=personas.operator)
    return actions.application_finish(application=application, actor=personas.operator)


def test_revoked_document_is_reported_revoked_on_the_public_page(client, personas, document):
    url = f"/layanan/verifikasi/{document.verification_code}/"
    assert "Dokumen ini asli" in client.get(url).content.decode()

    actions.document_revoke(document=document, actor=personas.admin, reason="Nomor salah")

    page = client.get(url).content.decode()
    assert "DICABUT" in page
    assert "Dokumen ini asli" not in page
    entry = AuditEntry.objects.get(action="document_revoke")
    assert entry.actor == personas.admin


def test_revoking_needs_a_reason(personas, document):
    with pytest.raises(ApplicationInvalid):
        actions.document_revoke(document=document, actor=personas.admin, reason=" ")
    document.refresh_from_db()
    assert document.revoked_at is None
