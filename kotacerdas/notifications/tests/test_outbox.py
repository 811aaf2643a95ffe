import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from hypothesis import example, given
from hypothesis import strategies as st

from kotacerdas.accounts.models import User
from kotacerdas.cases import actions as case_actions
from kotacerdas.cases.models import Kind, Status
from kotacerdas.cases.tests.conftest import wib
from kotacerdas.conftest import PASSWORD
from kotacerdas.notifications.actions import (
    LEASE,
    channels_for,
    message_claim,
    message_create,
    message_deliver,
    messages_deliver_due,
)
from kotacerdas.notifications.channels import sender_for
from kotacerdas.notifications.channels.gateway import build_payload
from kotacerdas.notifications.models import Message


def code_message(user, channel: str, code: str = "482913") -> Message:
    [message] = message_create(user=user, template="verification_code",
                               context={"code": code, "minutes": 15}, channels=[channel])
    return message


def reload(message: Message) -> Message:
    return Message.objects.get(pk=message.pk)


# --- the outbox is part of the change --------------------------------------------------------


def test_message_is_written_in_the_same_transaction_as_the_change(personas, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = case_actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="KTP-el",
                                      sla_workdays=5, citizen=personas.alice)
        message = Message.objects.get(template="case_submitted")
    # Queued with the case, but nothing leaves before the change is committed.
    assert (message.status, message.to, message.user) == (Message.Status.PENDING, "alice@warga.test",
                                                          personas.alice)
    assert case.tracking_code in message.subject
    assert mailoutbox == []
    assert callbacks

    for callback in callbacks:  # the commit
        callback()
    assert [m.subject for m in mailoutbox] == [message.subject]
    assert reload(message).status == Message.Status.SENT


class Refused(Exception):
    pass


def test_rolled_back_change_leaves_no_message(personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused), transaction.atomic():
        case_actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="KTP-el",
                               sla_workdays=5, citizen=personas.alice)
        assert Message.objects.count() == 1
        raise Refused
    assert not Message.objects.exists()
    assert mailoutbox == []


def test_inactive_resident_gets_no_message(personas):
    personas.alice.is_active = False
    personas.alice.save()
    case_actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="KTP-el",
                           sla_workdays=5, citizen=personas.alice)
    assert not Message.objects.exists()


# --- e-mail ------------------------------------------------------------------------------------


def test_email_is_delivered_once(personas, mailoutbox):
    message = code_message(personas.alice, "email")

    assert message_deliver(message.pk) is True
    assert message_deliver(message.pk) is False

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@warga.test"]
    assert mail.subject == "Kode verifikasi kotacerdas"
    assert "482913" in mail.body
    assert mail.extra_headers["Message-ID"] == f"<{message.pk}@kotacerdas>"
    stored = reload(message)
    assert (stored.status, stored.attempts, stored.claimed_until, stored.last_error) == (
        Message.Status.SENT, 1, None, ""
    )
    assert stored.sent_at is not None


# --- a failing gateway ------------------------------------------------------------------------


def test_failing_gateway_leaves_the_message_pending_for_a_retry(sms_gateway, sms_user):
    sms_gateway.status = 500
    with time_machine.travel(wib(2026, 7, 6, 10), tick=False):
        message = code_message(sms_user, "sms")
        assert message_deliver(message.pk) is False

        stored = reload(message)
        assert stored.status == Message.Status.PENDING
        assert stored.attempts == 1
        assert stored.next_attempt_at > timezone.now()
        assert "500" in stored.last_error
        assert stored.claimed_until is None
    assert len(sms_gateway.requests) == 1


def test_retry_after_the_gateway_recovers_sends_exactly_once(sms_gateway, sms_user):
    sms_gateway.status = 500
    with time_machine.travel(wib(2026, 7, 6, 10), tick=False) as traveller:
        message = code_message(sms_user, "sms")
        message_deliver(message.pk)
        sms_gateway.status = 200

        assert messages_deliver_due() == 0  # still backing off
        traveller.shift(timedelta(minutes=30))
        assert messages_deliver_due() == 1
        assert messages_deliver_due() == 0
        traveller.shift(timedelta(hours=6))
        assert messages_deliver_due() == 0

    assert len(sms_gateway.accepted) == 1
    assert len(sms_gateway.requests) == 2
    stored = reload(message)
    assert (stored.status, stored.attempts, stored.last_error) == (Message.Status.SENT, 2, "")


def test_message_fails_for_good_after_the_last_attempt(sms_gateway, sms_user, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    sms_gateway.status = 503
    with time_machine.travel(wib(2026, 7, 6, 10), tick=False) as traveller:
        message = code_message(sms_user, "sms")
        message_deliver(message.pk)
        for _ in range(5):
            traveller.shift(timedelta(hours=5))  # past any backoff
            messages_deliver_due()

    stored = reload(message)
    assert stored.status == Message.Status.FAILED
    assert stored.attempts == 3
    assert "503" in stored.last_error
    assert len(sms_gateway.requests) == 3


def test_backoff_grows_between_attempts(sms_gateway, sms_user):
    sms_gateway.status = 500
    waits = []
    with time_machine.travel(wib(2026, 7, 6, 10), tick=False) as traveller:
        message = code_message(sms_user, "sms")
        for _ in range(4):
            assert message_deliver(message.pk) is False
            stored = reload(message)
            waits.append(stored.next_attempt_at - timezone.now())
            traveller.move_to(stored.next_attempt_at)
    assert waits == sorted(waits)
    assert waits[0] < waits[-1]


# --- a worker killed mid-send ------------------------------------------------------------------


def test_worker_killed_mid_send_is_retried_once_after_the_lease_with_the_same_reference(
    sms_gateway, sms_user
):
    with time_machine.travel(wib(2026, 7, 6, 10), tick=False) as traveller:
        message = code_message(sms_user, "sms")
        claimed = message_claim(message.pk)
        assert claimed is not None
        sender_for(claimed.channel)(claimed)  # the request went out... and the worker died

        # While the lease runs, nobody else touches it.
        assert message_deliver(message.pk) is False
        assert messages_deliver_due() == 0
        traveller.shift(LEASE - timedelta(seconds=1))
        assert messages_deliver_due() == 0
        assert len(sms_gateway.requests) == 1

        traveller.shift(timedelta(seconds=2))
        assert messages_deliver_due() == 1
        assert messages_deliver_due() == 0

    refs = [r.json["ref_id"] for r in sms_gateway.requests]
    assert refs == [str(message.pk), str(message.pk)]  # the gateway can drop the copy
    stored = reload(message)
    assert (stored.status, stored.attempts) == (Message.Status.SENT, 2)


def test_claimed_message_is_not_claimed_twice(sms_user):
    message = code_message(sms_user, "sms")
    assert message_claim(message.pk) is not None
    assert message_claim(message.pk) is None


def test_delivering_the_same_message_twice_sends_one_request(sms_gateway, sms_user):
    message = code_message(sms_user, "sms")
    assert [message_deliver(message.pk), message_deliver(message.pk)] == [True, False]
    assert len(sms_gateway.requests) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_workers_delivering_at_once_send_one_request(sms_gateway, attempt):
    if connection.vendor != "postgresql":
        pytest.skip("two workers racing for one row need PostgreSQL (set DATABASE_URL=postgres://...)")
    user = User.objects.create_user(phone="+6285700000042", password=PASSWORD, name="Siti Rahayu",
                                    channels=["sms"])
    # Written directly so that the on-commit delivery does not run before the race.
    message = Message.objects.create(user=user, channel="sms", to=user.phone, template="verification_code",
                                     subject="Kode verifikasi", body="Kode 1234")
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(message_deliver(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False, True]
    assert len(sms_gateway.requests) == 1
    assert reload(message).status == Message.Status.SENT


# --- gateway payloads --------------------------------------------------------------------------

NESTED = '{"msisdn": "{to}", "content": {"text": "{message}", "ref": ["{reference}"]}, "fixed": 1}'


@given(to=st.text(max_size=20), text=st.text(), reference=st.uuids().map(str))
@example(to="+6281200000001", text='Kata "sandi"\nbaris dua\\', reference="r-1")
@example(to="+6281200000001", text="Balas {reference} atau {to}", reference="r-1")
@example(to="{message}", text="isi", reference="r-1")
def test_payload_template_fills_placeholders_as_valid_json(to, text, reference):
    payload = json.loads(build_payload(NESTED, to=to, message=text, reference=reference))
    assert payload == {"msisdn": to, "content": {"text": text, "ref": [reference]}, "fixed": 1}


def test_sms_reaches_the_gateway_as_json_with_token_and_text(sms_gateway, sms_user):
    [message] = message_create(user=sms_user, template="case_replied",
                               context={"case": {"tracking_code": "7KQM-3XPC"},
                                        "text": 'Bawa "KK asli"\ndan KTP'},
                               channels=["sms"])
    assert message_deliver(message.pk) is True

    [received] = sms_gateway.requests
    assert received.headers["Authorization"] == "Bearer sms-token"
    assert received.headers["Content-Type"] == "application/json"
    assert received.json["to"] == "+6285700000042"
    assert received.json["ref_id"] == str(message.pk)
    assert received.json["message"] == f"{message.subject}\n{message.body}"
    assert 'Bawa "KK asli"\ndan KTP' in received.json["message"]


def test_whatsapp_uses_its_own_template_and_bold_subject(sms_gateway, sms_user):
    message = code_message(sms_user, "whatsapp")
    assert message_deliver(message.pk) is True
    [received] = sms_gateway.requests
    assert received.headers["Authorization"] == "Bearer wa-token"
    assert received.json["phone"] == "+6285700000042"
    assert received.json["message"].startswith("*Kode verifikasi kotacerdas*\n")


def test_local_run_without_a_gateway_writes_sms_to_the_data_dir(sms_user, settings, tmp_path):
    settings.SMS_GATEWAY_URL = ""
    settings.PRODUCTION = False
    settings.DATA_DIR = tmp_path
    message = code_message(sms_user, "sms")

    assert message_deliver(message.pk) is True

    written = (tmp_path / "sent-messages" / f"sms-{message.pk}.txt").read_text()
    assert written.startswith("To: +6285700000042\n")
    assert "482913" in written


def test_production_without_a_gateway_keeps_the_message_for_later(sms_user, settings, tmp_path):
    settings.SMS_GATEWAY_URL = ""
    settings.PRODUCTION = True
    settings.DATA_DIR = tmp_path
    message = code_message(sms_user, "sms")

    assert message_deliver(message.pk) is False

    stored = reload(message)
    assert stored.status == Message.Status.PENDING
    assert "not configured" in stored.last_error
    assert not (tmp_path / "sent-messages").exists()


# --- language ----------------------------------------------------------------------------------


def _case_context(personas):
    case = case_actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="KTP-el",
                                  sla_workdays=5, citizen=personas.bob)
    return case, {"case": case}


def test_indonesian_user_gets_indonesian_text(personas):
    case, context = _case_context(personas)
    personas.alice.language = "id"
    [message] = message_create(user=personas.alice, template="case_submitted", context=context)
    assert message.subject == f"Perkara {case.tracking_code} diterima"
    assert "sudah diterima oleh Dinas Kependudukan dan Pencatatan Sipil" in message.body


def _english(msgid: str) -> str:
    with translation.override("en"):
        english = gettext(msgid)
    if english == msgid:
        pytest.skip(f"the English catalogue (kotacerdas/locale/en) lacks {msgid!r}")
    return english


def test_english_user_gets_english_text(personas):
    subject = _english("Perkara %(code)s diterima")
    case, context = _case_context(personas)
    personas.alice.language = "en"
    [message] = message_create(user=personas.alice, template="case_submitted", context=context)
    assert message.subject == subject % {"code": case.tracking_code}
    assert "Perkara" not in message.subject
    assert _english("Lacak:") in message.body


def test_status_label_follows_the_users_language_not_the_officers(personas):
    case, context = _case_context(personas)
    with translation.override("en"):  # the officer browses in English
        case_actions.case_transition(case=case, to_status=Status.IN_PROGRESS, actor=personas.operator)
    message = Message.objects.get(template="case_status_changed")
    assert message.subject == f"Perkara {case.tracking_code}: Diproses"


def test_english_user_gets_the_status_in_english_from_an_indonesian_officer(personas):
    subject = _english("Perkara %(code)s: %(status)s") % {
        "code": "{code}", "status": _english("Diproses"),
    }
    personas.bob.language = "en"
    personas.bob.save()
    case, _context = _case_context(personas)
    Message.objects.all().delete()
    with translation.override("id"):
        case_actions.case_transition(case=case, to_status=Status.IN_PROGRESS, actor=personas.operator)
    message = Message.objects.get(template="case_status_changed")
    assert message.subject == subject.replace("{code}", case.tracking_code)


# --- channel choice ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "phone", "chosen", "expected"),
    [
        ("w@warga.test", "+6285700000001", ["sms", "whatsapp"], ["sms", "whatsapp"]),
        ("w@warga.test", "+6285700000001", ["email", "whatsapp"], ["email", "whatsapp"]),
        ("w@warga.test", None, ["whatsapp"], ["email"]),  # chose WhatsApp, has no number
        ("w@warga.test", "+6285700000001", [], ["email"]),
        (None, "+6285700000001", [], ["sms"]),
        (None, "+6285700000001", ["email"], ["sms"]),  # chose e-mail, has no address
        ("w@warga.test", None, ["pigeon"], ["email"]),
    ],
)
def test_channels_for_picks_chosen_channels_with_an_address(db, email, phone, chosen, expected):
    user = User.objects.create_user(email=email, phone=phone, password=PASSWORD, name="Warga",
                                    channels=chosen)
    assert channels_for(user) == expected


def test_message_goes_to_every_chosen_channel_at_its_address(db):
    user = User.objects.create_user(email="w@warga.test", phone="+6285700000001", password=PASSWORD,
                                    name="Warga", channels=["email", "whatsapp"])
    messages = message_create(user=user, template="verification_code",
                              context={"code": "1", "minutes": 15})
    assert sorted((m.channel, m.to) for m in messages) == [
        ("email", "w@warga.test"), ("whatsapp", "+6285700000001"),
    ]
