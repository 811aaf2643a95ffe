from datetime import timedelta

import pytest
from django.utils import timezone

from kotacerdas.audit.models import AuditEntry
from kotacerdas.events import actions
from kotacerdas.events.models import Event
from kotacerdas.search.queries import search


@pytest.mark.django_db
def test_an_event_saved_in_the_admin_is_audited_and_found(personas, django_capture_on_commit_callbacks):
    starts = timezone.now() + timedelta(days=3)
    event = Event(agency=personas.dukcapil, title="Pelatihan literasi digital warga", slug="literasi-digital",
                  place="Perpustakaan Bung Karno", starts_at=starts, ends_at=starts + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        actions.event_save(event=event, actor=personas.admin, changed=["title", "place"])
    assert AuditEntry.objects.filter(action="event.create", object_id=str(event.pk)).exists()
    assert [hit.entry.title for hit in search("pelatihan digital")] == ["Pelatihan literasi digital warga"]
    event.is_public = False
    with django_capture_on_commit_callbacks(execute=True):
        actions.event_save(event=event, actor=personas.admin, changed=["is_public"])
    assert search("pelatihan digital") == []
