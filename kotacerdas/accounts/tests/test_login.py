"""Logging in: residents by e-mail or phone, throttled guessing, staff with a second factor."""

from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.accounts import actions
from kotacerdas.accounts.models import LoginFailure
from kotacerdas.conftest import PASSWORD, otp_for

LOGIN = "/akun/masuk/"
TWO_FACTOR = "/akun/dua-langkah/"
BAD_LOGIN = "E-mail/nomor HP atau kata sandi salah."
THROTTLED = "Terlalu banyak percobaan masuk yang gagal."


def logged_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def log_in(client, identifier: str, password: str = PASSWORD):
    return client.post(LOGIN, {"identifier": identifier, "password": password})


# --- residents --------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["alice@warga.test", "  ALICE@Warga.Test "])
def test_resident_logs_in_with_email_in_any_case(client, personas, identifier):
    response = log_in(client, identifier)

    assert response.status_code == 302
    assert logged_in_user_id(client) == personas.alice.pk


@pytest.mark.parametrize(
    "identifier", ["+6281200000001", "081200000001", "0812-0000-0001", "62 812 0000 0001", "(0812) 0000.0001"]
)
def test_resident_logs_in_with_phone_typed_any_way(client, personas, identifier):
    response = log_in(client, identifier)

    assert response.status_code == 302
    assert logged_in_user_id(client) == personas.alice.pk


def test_login_returns_to_a_local_next_page(client, personas):
    response = client.post(f"{LOGIN}?next=/perkara-saya/",
                           {"identifier": "alice@warga.test", "password": PASSWORD})

    assert response.url == "/perkara-saya/"


def test_login_ignores_a_next_page_on_another_site(client, personas):
    response = client.post(f"{LOGIN}?next=https://phish.example/",
                           {"identifier": "alice@warga.test", "password": PASSWORD})

    assert response.url == "/"


def test_wrong_password_is_refused_with_a_message(client, personas):
    response = log_in(client, "alice@warga.test", "salah-sandi-2026")

    assert response.status_code == 200
    assert BAD_LOGIN in response.content.decode()
    assert logged_in_user_id(client) is None


def test_unknown_account_gets_the_same_message_as_a_wrong_password(client, personas):
    response = log_in(client, "nobody@warga.test")

    assert BAD_LOGIN in response.content.decode()


def test_deactivated_resident_cannot_log_in(client, personas):
    personas.bob.is_active = False
    personas.bob.save(update_fields=["is_active"])

    response = log_in(client, "bob@warga.test")

    assert BAD_LOGIN in response.content.decode()
    assert logged_in_user_id(client) is None


# --- throttling -------------------------------------------------------------------------


def fail_logins(client, identifier: str, times: int) -> None:
    for _attempt in range(times):
        log_in(client, identifier, "salah-sandi-2026")


def test_after_too_many_failures_the_right_password_is_refused(client, personas):
    fail_logins(client, "alice@warga.test", settings.LOGIN_FAILURE_LIMIT)

    response = log_in(client, "alice@warga.test")

    assert THROTTLED in response.content.decode()
    assert logged_in_user_id(client) is None


def test_one_failure_below_the_limit_still_lets_the_right_password_in(client, personas):
    fail_logins(client, "alice@warga.test", settings.LOGIN_FAILURE_LIMIT - 1)

    log_in(client, "alice@warga.test")

    assert logged_in_user_id(client) == personas.alice.pk


def test_throttle_lifts_after_the_window(client, personas):
    start = timezone.now()
    with time_machine.travel(start):
        fail_logins(client, "alice@warga.test", settings.LOGIN_FAILURE_LIMIT)
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)

    with time_machine.travel(start + window - timedelta(minutes=1)):
        assert THROTTLED in log_in(client, "alice@warga.test").content.decode()
    with time_machine.travel(start + window + timedelta(minutes=1)):
        log_in(client, "alice@warga.test")

    assert logged_in_user_id(client) == personas.alice.pk


def test_retyping_the_phone_another_way_does_not_reset_the_count(client, personas):
    formats = ["081200000001", "0812-0000-0001", "+62 812 0000 0001", "62812 0000 0001", "0812 0000 0001"]
    for typed in formats[: settings.LOGIN_FAILURE_LIMIT]:
        log_in(client, typed, "salah-sandi-2026")

    response = log_in(client, "+6281200000001")

    assert THROTTLED in response.content.decode()
    assert logged_in_user_id(client) is None


def test_failures_on_one_account_do_not_lock_another(client, personas):
    fail_logins(client, "alice@warga.test", settings.LOGIN_FAILURE_LIMIT)

    log_in(client, "bob@warga.test")

    assert logged_in_user_id(client) == personas.bob.pk


def test_one_address_guessing_many_accounts_is_stopped(client, personas):
    limit = settings.LOGIN_FAILURE_LIMIT
    for number in range(limit * 4):
        log_in(client, f"guess{number}@warga.test", "salah-sandi-2026")

    response = log_in(client, "bob@warga.test")

    assert THROTTLED in response.content.decode()


def test_throttle_table_holds_no_email_or_phone(client, personas):
    fail_logins(client, "alice@warga.test", 2)
    fail_logins(client, "0812-0000-0001", 2)

    identifiers = list(LoginFailure.objects.values_list("identifier", flat=True))
    assert len(identifiers) == 4
    for stored in identifiers:
        assert len(stored) == 64
        assert set(stored) <= set("0123456789abcdef")
        for raw in ("alice", "warga.test", "81200000001", "0812-0000-0001"):
            assert raw not in stored


def test_successful_login_clears_the_failures(client, personas):
    fail_logins(client, "alice@warga.test", settings.LOGIN_FAILURE_LIMIT - 1)
    log_in(client, "alice@warga.test")
    client.post("/akun/keluar/")

    fail_logins(client, "alice@warga.test", settings.LOGIN_FAILURE_LIMIT - 1)
    log_in(client, "alice@warga.test")

    assert logged_in_user_id(client) == personas.alice.pk


# --- staff and the second factor ---------------------------------------------------------


def test_staff_password_alone_leads_to_the_second_step_not_the_inbox(client, personas):
    response = log_in(client, personas.operator.email)

    assert response.status_code == 302
    assert response.url.startswith(TWO_FACTOR)
    assert logged_in_user_id(client) is None
    inbox = client.get("/staf/")
    assert inbox.status_code == 302
    assert inbox.url.startswith(LOGIN)


def test_second_step_without_a_password_first_goes_back_to_login(client, personas):
    response = client.get(TWO_FACTOR)

    assert response.status_code == 302
    assert response.url == LOGIN


def test_wrong_totp_code_is_refused_and_the_right_one_logs_in(client, personas):
    operator = personas.operator
    log_in(client, operator.email)
    right = otp_for(operator)
    wrong = f"{(int(right) + 1) % 10**6:06d}"

    response = client.post(TWO_FACTOR, {"otp": wrong})

    assert response.status_code == 200
    assert "Kode salah atau kedaluwarsa" in response.content.decode()
    assert logged_in_user_id(client) is None
    assert client.get("/staf/").status_code == 302

    # django-otp makes the next try wait a second after a failure; a person takes longer.
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        response = client.post(TWO_FACTOR, {"otp": otp_for(operator)})
        assert response.status_code == 302
        assert logged_in_user_id(client) == operator.pk
        assert client.get("/staf/").status_code == 200


def test_staff_without_an_authenticator_is_shown_the_setup_and_confirms_it(client, personas):
    newcomer = actions.staff_create(name="Nina Baru", email="nina@pemkot.test", password=PASSWORD,
                                    agency=personas.dukcapil, role="operator")
    log_in(client, newcomer.email)

    page = client.get(TWO_FACTOR)
    html = page.content.decode()
    assert "Pindai kode QR" in html
    assert "<svg" in html
    secret = page.context["secret"]
    assert f'data-testid="totp-secret">{secret}<' in html
    assert not TOTPDevice.objects.get(user=newcomer).confirmed

    # What an authenticator app does with the secret the page shows.
    code = f"{totp(b32decode(secret)):06d}"
    response = client.post(TWO_FACTOR, {"otp": code})

    assert response.status_code == 302
    assert logged_in_user_id(client) == newcomer.pk
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert client.get("/staf/").status_code == 200


def test_staff_with_a_confirmed_authenticator_is_not_shown_the_secret_again(client, personas):
    log_in(client, personas.operator.email)

    page = client.get(TWO_FACTOR)

    assert "totp-secret" not in page.content.decode()
    assert "secret" not in page.context


def test_a_resident_logged_in_cannot_open_the_staff_inbox(client, personas):
    log_in(client, "alice@warga.test")

    response = client.get("/staf/")

    assert response.status_code == 302
    assert response.url == "/"


# --- admin ------------------------------------------------------------------------------


def test_admin_site_sends_anonymous_visitors_to_its_login(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_admin_login_sends_staff_to_the_two_step_login(client, personas):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/admin/"


def test_admin_stays_closed_after_a_password_without_the_otp_code(client, personas):
    client.post("/akun/masuk/", {"identifier": personas.admin.email, "password": PASSWORD})

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_site_opens_after_password_and_totp(personas, staff_client):
    client = staff_client(personas.admin)

    assert client.get("/admin/").status_code == 200


def test_admin_site_stays_closed_to_staff_without_admin_rights(personas, staff_client):
    client = staff_client(personas.operator)

    assert client.get("/admin/").status_code == 302


def test_admin_with_only_the_password_step_cannot_open_the_admin(client, personas):
    log_in(client, personas.admin.email)

    assert client.get("/admin/").status_code == 302
