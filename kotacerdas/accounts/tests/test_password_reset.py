"""Forgotten passwords: a code by e-mail or SMS, the same answer for unknown accounts."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.conftest import PASSWORD
from kotacerdas.notifications.models import Message

RESET = "/akun/lupa-sandi/"
CONFIRM = "/akun/lupa-sandi/kode/"
NEW_PASSWORD = "sandi-baru-blitar-77"
SAME_ANSWER = "Jika akun terdaftar, kode untuk mengatur ulang kata sandi sudah dikirim."


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def api_token(client, email: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", {"email": email, "password": password},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_unknown_identifier_gets_the_same_answer_as_a_real_account(client, personas):
    known = client.post(RESET, {"identifier": "alice@warga.test"}, follow=True)
    unknown = Client().post(RESET, {"identifier": "nobody@warga.test"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(CONFIRM, 302)]
    assert SAME_ANSWER in known.content.decode()
    assert SAME_ANSWER in unknown.content.decode()
    assert Message.objects.filter(template="password_reset_code").count() == 1
    assert Message.objects.get(template="password_reset_code").user == personas.alice


def test_a_code_typed_for_an_unknown_account_is_refused_like_a_wrong_code(client, personas, sent_code):
    client.post(RESET, {"identifier": "alice@warga.test"})
    known = client.post(CONFIRM, {"code": wrong(sent_code(personas.alice, "password_reset_code")),
                                  "password": NEW_PASSWORD})
    stranger = Client()
    stranger.post(RESET, {"identifier": "nobody@warga.test"})
    unknown = stranger.post(CONFIRM, {"code": "123456", "password": NEW_PASSWORD})

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_emailed_code_sets_a_new_password_and_old_api_tokens_stop_working(
    client, personas, mailoutbox, django_capture_on_commit_callbacks, read_code
):
    token = api_token(client, "alice@warga.test")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"identifier": "alice@warga.test"})
    [mail] = mailoutbox
    assert mail.to == ["alice@warga.test"]
    response = client.post(CONFIRM, {"code": read_code(mail.body), "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.url == "/akun/masuk/"
    alice = User.objects.get(pk=personas.alice.pk)
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(PASSWORD)
    assert alice.password.startswith("argon2")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert api_token(client, "alice@warga.test", NEW_PASSWORD)


def test_phone_only_resident_resets_with_the_texted_code(client, db, sent_code):
    resident = User.objects.create_user(phone="+6281234567890", password=PASSWORD, name="Dewi Anggraini")

    client.post(RESET, {"identifier": "0812 3456 7890"})
    message = Message.objects.get(user=resident, template="password_reset_code")
    assert message.channel == Message.Channel.SMS
    client.post(CONFIRM, {"code": sent_code(resident, "password_reset_code"), "password": NEW_PASSWORD})

    resident.refresh_from_db()
    assert resident.check_password(NEW_PASSWORD)
    # The code reached the phone, so the phone is proven too.
    assert resident.phone_verified


def test_wrong_reset_code_leaves_the_password_unchanged(client, personas, sent_code):
    client.post(RESET, {"identifier": "alice@warga.test"})
    code = sent_code(personas.alice, "password_reset_code")

    response = client.post(CONFIRM, {"code": wrong(code), "password": NEW_PASSWORD})

    assert response.status_code == 200
    assert "Kode tidak cocok" in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.check_password(PASSWORD)


def test_reset_code_expires_after_fifteen_minutes(client, personas, sent_code):
    client.post(RESET, {"identifier": "alice@warga.test"})
    code = sent_code(personas.alice, "password_reset_code")

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(CONFIRM, {"code": code, "password": NEW_PASSWORD})

    assert "Kode tidak cocok atau sudah kedaluwarsa" in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.check_password(PASSWORD)


def test_weak_new_password_is_refused_and_the_code_still_works(client, personas, sent_code):
    client.post(RESET, {"identifier": "alice@warga.test"})
    code = sent_code(personas.alice, "password_reset_code")

    refused = client.post(CONFIRM, {"code": code, "password": "12345678"})
    assert refused.status_code == 200
    client.post(CONFIRM, {"code": code, "password": NEW_PASSWORD})

    personas.alice.refresh_from_db()
    assert personas.alice.check_password(NEW_PASSWORD)


def test_code_page_without_a_request_first_goes_back_to_the_request(client, db):
    response = client.get(CONFIRM)

    assert response.status_code == 302
    assert response.url == RESET


@pytest.mark.parametrize("identifier", ["alice@warga.test", "0812-0000-0001"])
def test_asking_for_new_codes_does_not_give_unlimited_guesses(client, personas, sent_code, identifier):
    # Each new code allows five tries; without a cap across codes, asking again and again
    # would let someone guess their way into another person's account.
    start = timezone.now()
    with time_machine.travel(start):
        for _round in range(2):
            client.post(RESET, {"identifier": identifier})
            code = sent_code(personas.alice, "password_reset_code")
            for _attempt in range(3):
                client.post(CONFIRM, {"code": wrong(code), "password": NEW_PASSWORD})
        client.post(RESET, {"identifier": identifier})
        code = sent_code(personas.alice, "password_reset_code")

        response = client.post(CONFIRM, {"code": code, "password": NEW_PASSWORD})

    assert "Terlalu banyak percobaan" in response.content.decode()
    personas.alice.refresh_from_db()
    assert personas.alice.check_password(PASSWORD)

    with time_machine.travel(start + timedelta(minutes=16)):
        client.post(RESET, {"identifier": identifier})
        client.post(CONFIRM, {"code": sent_code(personas.alice, "password_reset_code"),
                              "password": NEW_PASSWORD})
    personas.alice.refresh_from_db()
    assert personas.alice.check_password(NEW_PASSWORD)
