"""The agenda in English: the app keeps its own catalogue (kotacerdas/events/locale), compiled
with `msgfmt --check`, next to the project's."""

import pytest
from django.utils import translation

from kotacerdas.events import actions
from kotacerdas.events.models import Registration
from kotacerdas.notifications.actions import message_create

pytestmark = pytest.mark.django_db


def test_agenda_and_event_pages_in_english(client, personas, make_event):
    event = make_event(capacity=1)
    actions.registration_create(event=event, user=personas.bob)
    client.post("/i18n/setlang/", {"language": "en", "next": "/agenda/"})
    client.force_login(personas.alice)
    html = client.get("/agenda/").content.decode()
    assert "City agenda" in html and "Upcoming" in html and "Agenda kota" not in html
    html = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "0 of 1 seats left" in html and "Join the waitlist" in html


def test_model_labels_and_errors_translate():
    with translation.override("en"):
        assert str(Registration.Status.WAITLISTED.label) == "Waitlist"
        assert str(Registration._meta.verbose_name_plural) == "registrations"


def test_reminder_in_the_participants_language(personas, make_event, django_capture_on_commit_callbacks):
    personas.alice.language = "en"
    personas.alice.save(update_fields=["language"])
    event = make_event()
    with django_capture_on_commit_callbacks():
        (message,) = message_create(user=personas.alice, template="event_reminder", context={"event": event})
    assert message.subject == f"Reminder: {event.title} tomorrow"
    assert "Show your ticket's QR code" in message.body
