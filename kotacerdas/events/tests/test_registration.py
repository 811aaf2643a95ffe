from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kotacerdas.audit.models import AuditEntry
from kotacerdas.events import actions, queries
from kotacerdas.events.errors import EventError
from kotacerdas.events.models import Registration
from kotacerdas.events.tests.conftest import wib
from kotacerdas.notifications.models import Message

Status = Registration.Status
pytestmark = pytest.mark.django_db


def test_registration_takes_a_seat_until_full_then_the_waitlist(personas, make_event):
    event = make_event(capacity=1)
    first = actions.registration_create(event=event, user=personas.alice)
    second = actions.registration_create(event=event, user=personas.bob)
    assert first.status == Status.REGISTERED
    assert second.status == Status.WAITLISTED
    assert queries.waitlist_position(second) == 1
    assert queries.seats(event).free == 0
    assert AuditEntry.objects.filter(action="event.register").count() == 2


def test_a_retried_registration_returns_the_first(personas, make_event):
    event = make_event()
    first = actions.registration_create(event=event, user=personas.alice)
    again = actions.registration_create(event=event, user=personas.alice)
    assert again.pk == first.pk
    assert again.ticket_code == first.ticket_code
    assert Registration.objects.filter(event=event).count() == 1


def test_tickets_are_long_and_random(personas, make_event):
    event = make_event()
    one = actions.registration_create(event=event, user=personas.alice)
    two = actions.registration_create(event=event, user=personas.bob)
    assert one.ticket_code != two.ticket_code
    assert len(one.ticket_code) >= 24


def test_cancelling_gives_the_seat_to_the_first_on_the_waitlist(
    personas, make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    alice = actions.registration_create(event=event, user=personas.alice)
    bob = actions.registration_create(event=event, user=personas.bob)
    with django_capture_on_commit_callbacks():
        actions.registration_cancel(registration=alice, actor=personas.alice)
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.status == Status.CANCELLED
    assert bob.status == Status.REGISTERED and bob.promoted_at is not None
    assert Message.objects.filter(user=personas.bob, template="event_promoted").exists()
    # Cancelling twice changes nothing and promotes nobody else.
    actions.registration_cancel(registration=alice, actor=personas.alice)
    assert queries.seats(event).registered == 1


def test_a_cancelled_participant_who_comes_back_goes_to_the_end_of_the_queue(personas, make_event):
    event = make_event(capacity=1)
    alice = actions.registration_create(event=event, user=personas.alice)
    actions.registration_cancel(registration=alice, actor=personas.alice)
    bob = actions.registration_create(event=event, user=personas.bob)
    back = actions.registration_create(event=event, user=personas.alice)
    assert bob.status == Status.REGISTERED
    assert back.pk == alice.pk and back.status == Status.WAITLISTED


def test_waitlist_fills_seats_when_capacity_grows(personas, make_event):
    event = make_event(capacity=1)
    actions.registration_create(event=event, user=personas.alice)
    bob = actions.registration_create(event=event, user=personas.bob)
    event.capacity = 2
    event.save(update_fields=["capacity"])
    promoted = actions.event_fill_seats(event=event, actor=personas.operator)
    assert [r.pk for r in promoted] == [bob.pk]


def test_registration_closes_at_its_closing_time(personas, make_event):
    event = make_event(starts_at=wib(2026, 8, 10, 9), registration_closes_at=wib(2026, 8, 8, 16))
    with time_machine.travel(wib(2026, 8, 8, 16, 1), tick=False), pytest.raises(EventError) as refused:
        actions.registration_create(event=event, user=personas.alice)
    assert "ditutup" in str(refused.value.message)
    with time_machine.travel(wib(2026, 8, 8, 15, 59), tick=False):
        assert actions.registration_create(event=event, user=personas.alice).status == Status.REGISTERED


def test_cannot_cancel_after_the_event_started(personas, make_event):
    event = make_event(starts_at=wib(2026, 8, 10, 9), registration_closes_at=wib(2026, 8, 10, 9))
    with time_machine.travel(wib(2026, 8, 9, 9), tick=False):
        alice = actions.registration_create(event=event, user=personas.alice)
    with time_machine.travel(wib(2026, 8, 10, 9, 30), tick=False), pytest.raises(EventError):
        actions.registration_cancel(registration=alice, actor=personas.alice)


def test_closed_event_is_for_staff_only(personas, make_event):
    event = make_event(is_public=False)
    with pytest.raises(EventError):
        actions.registration_create(event=event, user=personas.alice)
    assert actions.registration_create(event=event, user=personas.outsider).status == Status.REGISTERED
    assert event not in queries.events_upcoming(personas.alice)
    assert event in queries.events_upcoming(personas.outsider)


def test_agenda_without_registration_refuses_it(personas, make_event):
    event = make_event(registration=False)
    with pytest.raises(EventError):
        actions.registration_create(event=event, user=personas.alice)


def test_check_in_is_idempotent_and_issues_one_certificate_code(personas, make_event):
    event = make_event(starts_at=timezone.now() - timedelta(minutes=30),
                       registration_closes_at=timezone.now() + timedelta(hours=1))
    alice = actions.registration_create(event=event, user=personas.operator)  # staff may take part too
    checked, first = actions.registration_check_in(registration=alice, actor=personas.kepala)
    again, second = actions.registration_check_in(registration=alice, actor=personas.kepala)
    assert (first, second) == (True, False)
    assert checked.checked_in_at == again.checked_in_at
    assert len(checked.certificate_code) == 14 and checked.certificate_code == again.certificate_code
    assert AuditEntry.objects.filter(action="event.check_in").count() == 1


def test_officer_of_another_agency_cannot_check_in(personas, make_event):
    event = make_event()
    alice = actions.registration_create(event=event, user=personas.alice)
    with pytest.raises(EventError):
        actions.registration_check_in(registration=alice, actor=personas.outsider)


def test_waitlisted_ticket_cannot_be_checked_in(personas, make_event):
    event = make_event(capacity=1)
    actions.registration_create(event=event, user=personas.alice)
    bob = actions.registration_create(event=event, user=personas.bob)
    with time_machine.travel(event.starts_at, tick=False), pytest.raises(EventError):
        actions.registration_check_in(registration=bob, actor=personas.operator)


def test_check_in_opens_two_hours_before_and_closes_at_the_end(personas, make_event):
    event = make_event(starts_at=wib(2026, 8, 10, 9), registration_closes_at=wib(2026, 8, 10, 9))
    with time_machine.travel(wib(2026, 8, 1, 9), tick=False):
        alice = actions.registration_create(event=event, user=personas.alice)
    with time_machine.travel(wib(2026, 8, 10, 6, 59), tick=False), pytest.raises(EventError):
        actions.registration_check_in(registration=alice, actor=personas.operator)
    with time_machine.travel(wib(2026, 8, 10, 12, 1), tick=False), pytest.raises(EventError):
        actions.registration_check_in(registration=alice, actor=personas.operator)
    with time_machine.travel(wib(2026, 8, 10, 7, 1), tick=False):
        assert actions.registration_check_in(registration=alice, actor=personas.operator)[1]


def test_no_certificate_code_when_the_event_gives_none(personas, make_event):
    event = make_event(certificate=False, starts_at=timezone.now() - timedelta(minutes=5),
                       registration_closes_at=timezone.now() + timedelta(hours=1))
    alice = actions.registration_create(event=event, user=personas.alice)
    checked, _first = actions.registration_check_in(registration=alice, actor=personas.operator)
    assert checked.certificate_code == ""


def test_reminder_is_queued_once_a_day_before_for_registered_participants(
    personas, make_event, django_capture_on_commit_callbacks
):
    event = make_event(starts_at=wib(2026, 8, 10, 9), capacity=1)
    with time_machine.travel(wib(2026, 8, 1, 9), tick=False):
        alice = actions.registration_create(event=event, user=personas.alice)
        actions.registration_create(event=event, user=personas.bob)  # waitlisted: no reminder
    with time_machine.travel(wib(2026, 8, 9, 8), tick=False):
        assert actions.reminders_send_due() == 0  # more than a day ahead
    with time_machine.travel(wib(2026, 8, 9, 9, 30), tick=False), django_capture_on_commit_callbacks():
        assert actions.reminders_send_due() == 1
        assert actions.reminders_send_due() == 0  # the next hourly run
    alice.refresh_from_db()
    assert alice.reminded_at is not None
    reminder = Message.objects.get(template="event_reminder")
    assert reminder.user == personas.alice
    assert event.title in reminder.body and f"/agenda/{event.slug}/" in reminder.body
    assert "Pengingat" in reminder.subject


def test_demo_seeds_the_bimtek_as_a_past_event_and_a_sample(personas):
    from kotacerdas.events.demo import demo_events

    bimtek, sample = demo_events()
    assert demo_events()[0].pk == bimtek.pk  # idempotent
    assert bimtek.title == "Bimtek Smart City tahap I"
    assert timezone.localdate(bimtek.starts_at).isoformat() == "2023-07-03"
    assert timezone.localdate(bimtek.ends_at).isoformat() == "2023-07-04"
    assert "Kusuma Wicitra" in bimtek.place and "Komunikasi dan Informatika" in bimtek.facilitator
    assert bimtek.agency.code == "diskominfotik"
    assert bimtek in queries.events_past(personas.alice)
    assert sample.is_sample and sample in queries.events_upcoming(personas.alice)


def test_hourly_task_sends_the_due_reminders(personas, make_event):
    from kotacerdas.events import tasks

    event = make_event(starts_at=timezone.now() + timedelta(hours=20))
    actions.registration_create(event=event, user=personas.alice)
    assert tasks.remind.call_local() == 1
    assert tasks.remind.call_local() == 0
