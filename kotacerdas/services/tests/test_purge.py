"""Files nobody needs any more do not linger: residents' documents are personal data."""

from datetime import timedelta

import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from kotacerdas.services.actions import uploads_purge
from kotacerdas.services.models import Draft, Service, Upload


def upload(owner, name: str) -> Upload:
    row = Upload(owner=owner, field_name="berkas", name=name, content_type="application/pdf", size=5,
                 sha256="0" * 64)
    row.file.save(name, ContentFile(b"%PDF-"), save=False)
    row.save()
    return row


def test_orphan_and_stale_draft_files_are_deleted_but_a_live_draft_keeps_its_files(personas):
    service = Service.objects.create(slug="akta", name="Akta", agency=personas.dukcapil, summary="-",
                                     category="umum", sla_workdays=5, product="Akta", complaint_channel="-")
    other = Service.objects.create(slug="kk", name="KK", agency=personas.dukcapil, summary="-",
                                   category="umum", sla_workdays=5, product="KK", complaint_channel="-")
    with time_machine.travel(timezone.now() - timedelta(days=100)):
        old_draft_file = upload(personas.bob, "lama.pdf")
        Draft.objects.create(applicant=personas.bob, service=service, submission_key="b",
                             data={"uploads": {"berkas": old_draft_file.pk}})
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        orphan = upload(personas.alice, "terganti.pdf")
        in_draft = upload(personas.alice, "draf.pdf")
        Draft.objects.create(applicant=personas.alice, service=other, submission_key="a",
                             data={"uploads": {"berkas": in_draft.pk}})
    fresh = upload(personas.alice, "baru.pdf")
    orphan_path = orphan.file.path

    drafts, files = uploads_purge()

    assert (drafts, files) == (1, 2)
    assert set(Upload.objects.values_list("name", flat=True)) == {"draf.pdf", "baru.pdf"}
    assert not Draft.objects.filter(applicant=personas.bob).exists()
    assert fresh.file.storage.exists(fresh.file.name)
    assert not orphan.file.storage.exists(orphan_path)
