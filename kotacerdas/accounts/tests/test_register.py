"""Registering a resident account, on the web and through the API, and verifying its contact."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kotacerdas.accounts.models import CitizenProfile, User
from kotacerdas.conftest import PASSWORD
from kotacerdas.notifications.models import Message

REGISTER = "/akun/daftar/"
VERIFY = "/akun/verifikasi/"
API_REGISTER = "/api/v1/auth/register"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def register(client, **fields):
    data = {"name": "Citra Lestari", "password": PASSWORD, "submission": "", **fields}
    return client.post(REGISTER, data)


def register_api(client, **fields):
    return client.post(API_REGISTER, {"name": "Citra Lestari", "password": PASSWORD, **fields},
                       content_type="application/json")


# --- web form ---------------------------------------------------------------------------


def test_email_only_registration_mails_a_code_that_verifies_the_address(
    client, db, mailoutbox, django_capture_on_commit_callbacks, read_code
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, email="Citra@Warga.test")
    assert response.status_code == 302
    assert response.url == VERIFY
    user = User.objects.get(email="citra@warga.test")
    assert user.phone is None
    assert not user.email_verified
    assert user.password.startswith("argon2")

    [mail] = mailoutbox
    assert mail.to == ["citra@warga.test"]
    response = client.post(VERIFY, {"code": read_code(mail.body)})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified


def test_phone_only_registration_stores_e164_and_texts_the_code(client, db, sent_code):
    response = register(client, phone="0812-3456-7890")

    assert response.url == VERIFY
    user = User.objects.get(phone="+6281234567890")
    assert user.email is None
    [message] = Message.objects.filter(user=user)
    assert message.channel == Message.Channel.SMS
    assert message.to == "+6281234567890"

    client.post(VERIFY, {"code": sent_code(user)})
    user.refresh_from_db()
    assert user.phone_verified
    assert not user.email_verified


def test_registration_with_email_and_phone_keeps_both_and_verifies_the_email(
    client, db, mailoutbox, django_capture_on_commit_callbacks, read_code
):
    with django_capture_on_commit_callbacks(execute=True):
        register(client, email="citra@warga.test", phone="+62 812 3456 7890")
    user = User.objects.get(email="citra@warga.test")
    assert user.phone == "+6281234567890"

    client.post(VERIFY, {"code": read_code(mailoutbox[0].body)})
    user.refresh_from_db()
    assert user.email_verified


def test_registration_without_email_or_phone_is_refused_naming_both_fields(client, db):
    response = register(client)

    assert response.status_code == 200
    assert "Isi e-mail atau nomor HP" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("nik", "explanation"),
    [
        ("357203450690001", "NIK harus 16 digit angka."),
        ("9972034506900002", "Kode provinsi pada NIK (dua digit pertama) tidak dikenal."),
        # Day 72 is 32 for a woman: neither a man's day (01–31) nor a woman's (41–71).
        ("3572037206900002", "hari harus 01–31, atau 41–71 untuk perempuan"),
        # Day 71 is a woman born on the 31st, but February has no 31st.
        ("3572037102900002", "Tanggal lahir pada NIK (digit ke-7 sampai ke-12) tidak ada di kalender."),
        ("3572034506900000", "Nomor urut pada NIK (empat digit terakhir) tidak boleh 0000."),
    ],
)
def test_bad_nik_is_refused_saying_which_part_is_wrong(client, db, nik, explanation):
    response = register(client, email="citra@warga.test", nik=nik)

    assert response.status_code == 200
    assert explanation in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3572 0345 0690 0002", "3572034506900002"),  # a woman born 5 June 1990
        ("3572030506900002", "3572030506900002"),  # a man born 5 June 1990
    ],
)
def test_valid_nik_is_stored_on_the_citizen_profile(client, db, typed, stored):
    register(client, email="citra@warga.test", nik=typed)

    profile = CitizenProfile.objects.get(user__email="citra@warga.test")
    assert profile.nik == stored


@pytest.mark.parametrize(
    ("fields", "explanation"),
    [
        ({"email": "ALICE@warga.test"}, "E-mail ini sudah terdaftar"),
        ({"phone": "0812-0000-0001"}, "Nomor HP ini sudah terdaftar"),
        ({"email": "citra@warga.test", "nik": "3572.0345.0690.0001"},
         "NIK ini sudah terdaftar pada akun lain"),
    ],
)
def test_email_phone_or_nik_of_an_existing_account_is_refused(client, personas, fields, explanation):
    before = User.objects.count()

    response = register(client, **fields)

    assert response.status_code == 200
    assert explanation in response.content.decode()
    assert User.objects.count() == before


def test_retried_submission_makes_one_account_and_lands_on_the_verify_page(client, db):
    first = register(client, email="citra@warga.test", submission="tap-1")
    retry = register(client, email="citra@warga.test", submission="tap-1")

    assert first.url == VERIFY
    assert retry.status_code == 302
    assert retry.url == VERIFY
    assert User.objects.filter(email="citra@warga.test").count() == 1


def test_registering_again_with_a_new_submission_is_told_the_email_is_taken(client, db):
    register(client, email="citra@warga.test", submission="tap-1")
    client.post("/akun/keluar/")

    response = register(client, email="citra@warga.test", submission="tap-2")

    assert "E-mail ini sudah terdaftar" in response.content.decode()


# --- verification -----------------------------------------------------------------------


@pytest.fixture
def phone_resident(client, db):
    """A resident who just registered with a phone number and is on the verify page."""
    register(client, phone="0812-3456-7890")
    return User.objects.get(phone="+6281234567890")


def test_five_wrong_codes_lock_the_code_so_even_the_right_one_is_refused(client, phone_resident, sent_code):
    code = sent_code(phone_resident)
    for _attempt in range(5):
        response = client.post(VERIFY, {"code": wrong(code)})
        assert "Kode tidak cocok" in response.content.decode()

    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert "Kode tidak cocok atau sudah kedaluwarsa" in response.content.decode()
    phone_resident.refresh_from_db()
    assert not phone_resident.phone_verified


def test_four_wrong_codes_still_leave_the_right_one_working(client, phone_resident, sent_code):
    code = sent_code(phone_resident)
    for _attempt in range(4):
        client.post(VERIFY, {"code": wrong(code)})

    client.post(VERIFY, {"code": code})

    phone_resident.refresh_from_db()
    assert phone_resident.phone_verified


def test_code_is_refused_after_fifteen_minutes(client, phone_resident, sent_code):
    code = sent_code(phone_resident)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(VERIFY, {"code": code})

    assert "Kode tidak cocok atau sudah kedaluwarsa" in response.content.decode()
    phone_resident.refresh_from_db()
    assert not phone_resident.phone_verified


def test_code_still_works_at_fourteen_minutes(client, phone_resident, sent_code):
    code = sent_code(phone_resident)

    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        client.post(VERIFY, {"code": code})

    phone_resident.refresh_from_db()
    assert phone_resident.phone_verified


def test_resending_replaces_the_old_code(client, phone_resident, sent_code):
    old = sent_code(phone_resident)

    response = client.post(VERIFY, {"resend": "1"})
    assert response.status_code == 302
    new = sent_code(phone_resident)
    assert Message.objects.filter(user=phone_resident, template="verification_code").count() == 2

    if old != new:  # one time in a million the fresh code repeats the old one
        client.post(VERIFY, {"code": old})
        phone_resident.refresh_from_db()
        assert not phone_resident.phone_verified
    client.post(VERIFY, {"code": new})
    phone_resident.refresh_from_db()
    assert phone_resident.phone_verified


def test_a_used_code_cannot_verify_twice(client, phone_resident, sent_code):
    code = sent_code(phone_resident)
    client.post(VERIFY, {"code": code})

    response = client.post(VERIFY, {"code": code})

    assert "Kode tidak cocok" in response.content.decode()


def test_verify_page_needs_a_login(client, db):
    response = client.get(VERIFY)

    assert response.status_code == 302
    assert response.url.startswith("/akun/masuk/")


# --- API --------------------------------------------------------------------------------


def test_api_registration_with_email_sends_the_code_by_email(client, db):
    response = register_api(client, email="citra@warga.test")

    assert response.status_code == 201
    assert response.json() == {"name": "Citra Lestari", "email": "citra@warga.test", "phone": None,
                               "verification_sent_to": "email"}
    user = User.objects.get(email="citra@warga.test")
    assert user.password.startswith("argon2")
    assert Message.objects.get(user=user).channel == Message.Channel.EMAIL


def test_api_registration_with_phone_only_stores_e164_and_sends_sms(client, db):
    response = register_api(client, phone="0812-3456-7890")

    assert response.status_code == 201
    assert response.json()["phone"] == "+6281234567890"
    assert response.json()["verification_sent_to"] == "sms"
    assert Message.objects.get(user__phone="+6281234567890").channel == Message.Channel.SMS


def test_api_registration_with_email_and_phone_keeps_both(client, db):
    response = register_api(client, email="citra@warga.test", phone="081234567890")

    assert response.status_code == 201
    user = User.objects.get(email="citra@warga.test")
    assert user.phone == "+6281234567890"


def test_api_registration_without_email_or_phone_says_which_field(client, db):
    response = register_api(client)

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "email"
    assert "Isi e-mail atau nomor HP" in body["detail"]
    assert not User.objects.exists()


def test_api_registration_with_bad_nik_says_which_part(client, db):
    response = register_api(client, email="citra@warga.test", nik="3572034506900000")

    assert response.status_code == 400
    assert response.json()["field"] == "nik"
    assert "empat digit terakhir" in response.json()["detail"]


def test_api_registration_stores_a_valid_nik(client, db):
    register_api(client, email="citra@warga.test", nik="3572034506900002")

    assert CitizenProfile.objects.get(user__email="citra@warga.test").nik == "3572034506900002"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "alice@WARGA.test"}, "email"),
        ({"phone": "+62 812-0000-0001"}, "phone"),
        ({"email": "citra@warga.test", "nik": "3572034506900001"}, "nik"),
    ],
)
def test_api_registration_of_a_taken_email_phone_or_nik_is_refused(client, personas, fields, field):
    response = register_api(client, **fields)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert "sudah terdaftar" in response.json()["detail"]


def test_api_registration_with_a_weak_password_is_refused(client, db):
    response = register_api(client, email="citra@warga.test", password="12345678")

    assert response.status_code == 400
    assert response.json()["field"] == "password"
    assert not User.objects.exists()
