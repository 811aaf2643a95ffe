import hashlib
import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from kotacerdas.accounts.models import LoginFailure, VerificationCode
from kotacerdas.accounts.queries import throttle_key
from kotacerdas.notifications.models import Message


def test_resending_the_verification_code_stops_after_five_an_hour(personas, client):
    client.force_login(personas.bob)
    for _ in range(6):
        client.post("/akun/verifikasi/", {"resend": "1"})
    assert VerificationCode.objects.filter(user=personas.bob).count() == 5
    assert Message.objects.filter(user=personas.bob, template="verification_code").count() == 5
    response = client.post("/akun/verifikasi/", {"resend": "1"}, follow=True)
    assert "Terlalu banyak permintaan kode" in response.content.decode()


def test_code_requests_are_allowed_again_after_an_hour(personas, client):
    client.force_login(personas.bob)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            client.post("/akun/verifikasi/", {"resend": "1"})
        clock.shift(timedelta(minutes=61))
        client.post("/akun/verifikasi/", {"resend": "1"})
    assert VerificationCode.objects.filter(user=personas.bob).count() == 6


def test_password_reset_requests_beyond_the_cap_get_the_same_answer_and_send_nothing(personas, client):
    for _ in range(7):
        response = client.post("/akun/lupa-sandi/", {"identifier": personas.bob.email}, follow=True)
        assert "Jika akun terdaftar" in response.content.decode()
    assert Message.objects.filter(user=personas.bob, template="password_reset_code").count() == 5


def test_throttle_rows_hold_a_keyed_digest_not_the_phone_number(personas, client):
    client.post("/akun/masuk/", {"identifier": "0812-0000-0001", "password": "salah"})
    row = LoginFailure.objects.get()
    # A hex digest: four digits of the number may turn up in it by chance, the number may not.
    assert re.fullmatch(r"[0-9a-f]{64}", row.identifier) and "81200000001" not in row.identifier
    assert row.identifier == throttle_key("+6281200000001")
    assert row.identifier != hashlib.sha256(b"+6281200000001").hexdigest()
