from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from kotacerdas.dashboard.actions import digest_send, digests_send, week_of
from kotacerdas.dashboard.models import DigestSent
from kotacerdas.notifications.models import Message

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 6, 15)


def digests_to(user) -> list[Message]:
    return list(Message.objects.filter(user=user, template="weekly_digest"))


def test_heads_get_their_agencys_overdue_cases(world, personas):
    assert digests_send(today=MONDAY) == 1  # only the head of Dispendukcapil is a kepala
    (message,) = digests_to(personas.kepala)
    assert message.channel == "email" and message.to == "kepala@pemkot.test"
    assert "Ringkasan mingguan Dispendukcapil" in message.subject
    # P3 is Dispendukcapil's overdue PPID request; C belongs to DPUPR.
    assert world.cases["P3"].tracking_code in message.body
    assert world.cases["C"].tracking_code not in message.body
    assert "1 perkara melewati tenggat" in message.body
    assert "3572034506900001" not in message.body  # a PPID request's title is the requester's words
    assert "/dasbor/perkara/?keadaan=terlambat&opd=dispendukcapil" in message.body
    assert not digests_to(personas.operator) and not digests_to(personas.outsider)


def test_sent_once_per_week_however_often_the_task_runs(world, personas):
    assert digests_send(today=MONDAY) == 1
    assert digests_send(today=MONDAY) == 0
    assert digests_send(today=date(2026, 6, 18)) == 0  # Thursday, same week
    assert len(digests_to(personas.kepala)) == 1
    assert digests_send(today=date(2026, 6, 22)) == 1  # the next Monday
    assert list(DigestSent.objects.values_list("week", flat=True).order_by("week")) == [
        date(2026, 6, 15),
        date(2026, 6, 22),
    ]


def test_a_digest_recorded_by_another_worker_is_not_sent_again(world, personas):
    DigestSent.objects.create(user=personas.kepala, week=week_of(MONDAY))
    assert digest_send(user=personas.kepala, today=MONDAY) is None
    assert not digests_to(personas.kepala)


def test_a_crash_before_commit_leaves_nothing_so_the_retry_sends_it(world, personas):
    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        assert digest_send(user=personas.kepala, today=MONDAY) is not None
        raise Crash  # the worker dies before its transaction commits
    assert not DigestSent.objects.exists() and not digests_to(personas.kepala)
    assert digests_send(today=MONDAY) == 1  # the retry
    assert len(digests_to(personas.kepala)) == 1


def test_digest_goes_out_by_whatsapp_when_chosen(world, personas, django_capture_on_commit_callbacks):
    personas.kepala.phone = "+6281200000099"
    personas.kepala.channels = ["whatsapp"]
    personas.kepala.save()
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(today=MONDAY)
    (message,) = digests_to(personas.kepala)
    assert message.channel == "whatsapp" and message.to == "+6281200000099"
    assert not mail.outbox


def test_the_task_is_scheduled_monday_seven_wib():
    from datetime import UTC, datetime

    from kotacerdas.dashboard.tasks import weekly_digest

    def utc(*fields) -> datetime:
        # huey hands its periodic tasks naive UTC times (Huey(utc=True), the default).
        return datetime(*fields, tzinfo=UTC).replace(tzinfo=None)

    # Monday 00:00 UTC is Monday 07:00 WIB.
    assert weekly_digest.s().validate_datetime(utc(2026, 6, 15, 0, 0))
    assert not weekly_digest.s().validate_datetime(utc(2026, 6, 15, 7, 0))
    assert not weekly_digest.s().validate_datetime(utc(2026, 6, 16, 0, 0))


def test_a_head_with_nothing_due_gets_no_message(world, personas):
    from kotacerdas.agencies.models import Agency
    from kotacerdas.conftest import make_staff

    calm = Agency.objects.create(code="dinsos", short_name="Dinsos", name="Dinas Sosial", kind="dinas")
    head = make_staff("Kepala Dinsos", "kepala.dinsos@pemkot.test", calm, "kepala")
    assert digests_send(today=MONDAY) == 1  # Dispendukcapil's only
    assert not digests_to(head)
    assert DigestSent.objects.filter(user=head, week=MONDAY, overdue=0, indicators=0).exists()
    assert digests_send(today=MONDAY) == 0
