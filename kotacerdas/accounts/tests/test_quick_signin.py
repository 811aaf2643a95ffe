"""Signing in by a code to an e-mail address or phone, so that residents can report without
registering first (issue 4)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts import actions
from kotacerdas.accounts.errors import AccountError
from kotacerdas.accounts.models import Membership, User, VerificationCode
from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.audit.models import AuditEntry
from kotacerdas.conftest import PASSWORD
from kotacerdas.notifications.models import Message
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.reports.actions import categories_load_reference
from kotacerdas.reports.models import Report

REQUEST = "/akun/masuk-kode/"
CONFIRM = "/akun/masuk-kode/konfirmasi/"
LOGIN = "/akun/masuk/"
NEW_REPORT = "/pengaduan/baru/jalan-rusak/"
BAD_CODE = "Kode tidak cocok atau sudah kedaluwarsa."
THROTTLED = "Terlalu banyak percobaan masuk yang gagal."
STAFF_REFUSED = "Akun staf tidak dapat masuk dengan kode."
UNPROVEN = "E-mail atau nomor HP ini belum terverifikasi di akunnya."


def logged_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def ask_code(client, contact: str, name: str = "Dewi Anggraini", next_url: str = ""):
    url = f"{REQUEST}?next={next_url}" if next_url else REQUEST
    return client.post(url, {"name": name, "contact": contact})


# --- new residents ----------------------------------------------------------------------


def test_new_email_gets_a_passwordless_account_and_is_signed_in_by_the_emailed_code(
    client, db, mailoutbox, django_capture_on_commit_callbacks, read_code
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_code(client, "  Dewi@Warga.Test ")
    assert response.status_code == 302
    assert response.url == CONFIRM
    assert logged_in_user_id(client) is None
    [mail] = mailoutbox
    assert mail.to == ["dewi@warga.test"]
    assert mail.subject == "Kode masuk kotacerdas"

    response = client.post(CONFIRM, {"code": read_code(mail.body)})

    assert response.status_code == 302
    assert response.url == "/perkara-saya/"
    dewi = User.objects.get(email="dewi@warga.test")
    assert logged_in_user_id(client) == dewi.pk
    assert dewi.name == "Dewi Anggraini"
    assert dewi.email_verified and not dewi.phone_verified
    assert not dewi.has_usable_password()
    assert dewi.channels == ["email"]
    assert dewi.citizen.nik is None
    assert not dewi.needs_two_factor


def test_new_phone_number_gets_the_code_by_sms_however_it_is_typed(client, db, sent_code):
    ask_code(client, "0812-3456 7890")
    dewi = User.objects.get(phone="+6281234567890")
    message = Message.objects.get(user=dewi, template="signin_code")
    assert message.channel == Message.Channel.SMS
    assert message.to == "+6281234567890"

    client.post(CONFIRM, {"code": sent_code(dewi, "signin_code")})

    dewi.refresh_from_db()
    assert logged_in_user_id(client) == dewi.pk
    assert dewi.phone_verified
    assert dewi.email is None
    assert dewi.channels == ["sms"]


def test_the_code_page_names_the_address_masked_and_urls_never_carry_it(client, db):
    response = ask_code(client, "dewi.anggraini@warga.test", next_url="/pengaduan/baru/jalan-rusak/")
    page = client.get(CONFIRM).content.decode()

    assert "de***@warga.test" in page
    assert "dewi.anggraini" not in page
    assert "dewi" not in response.url


def test_typing_the_code_again_later_signs_in_to_the_same_account(client, db, sent_code):
    ask_code(client, "dewi@warga.test")
    dewi = User.objects.get(email="dewi@warga.test")
    client.post(CONFIRM, {"code": sent_code(dewi, "signin_code")})
    client.post("/akun/keluar/")
    assert logged_in_user_id(client) is None

    ask_code(client, "DEWI@warga.test", name="Dewi A.")
    client.post(CONFIRM, {"code": sent_code(dewi, "signin_code")})

    assert logged_in_user_id(client) == dewi.pk
    assert User.objects.filter(email__iexact="dewi@warga.test").count() == 1
    dewi.refresh_from_db()
    assert dewi.name == "Dewi Anggraini"  # a claimed account keeps its name


def test_an_address_nobody_confirmed_takes_the_name_of_whoever_asks_next(client, db, sent_code):
    # Someone mistyped their e-mail into another person's address and never got the code.
    ask_code(client, "dewi@warga.test", name="Orang Salah Ketik")

    other = Client()
    ask_code(other, "dewi@warga.test", name="Dewi Anggraini")
    dewi = User.objects.get(email="dewi@warga.test")
    other.post(CONFIRM, {"code": sent_code(dewi, "signin_code")})

    dewi.refresh_from_db()
    assert dewi.name == "Dewi Anggraini"
    assert logged_in_user_id(other) == dewi.pk


def test_the_audit_rows_say_what_happened_without_the_address(client, db, sent_code):
    ask_code(client, "0812 3456 7890")
    dewi = User.objects.get(phone="+6281234567890")
    client.post(CONFIRM, {"code": sent_code(dewi, "signin_code")})

    rows = AuditEntry.objects.filter(object_id=str(dewi.pk)).order_by("at", "id")
    assert [row.action for row in rows] == ["quick_signin_request", "quick_signin", "user_login"]
    assert rows[0].changes == {"channel": [None, "phone"], "new_account": [None, True]}
    for row in rows:
        assert "6281234567890" not in str(row.changes) and "0812" not in str(row.changes)


@pytest.mark.parametrize(
    ("contact", "error"),
    [("bukan-email@", "Alamat e-mail tidak valid."), ("12345", "Nomor telepon harus nomor Indonesia")],
)
def test_an_address_that_cannot_receive_a_code_is_refused(client, db, contact, error):
    response = ask_code(client, contact)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.exists()


def test_a_name_is_required(client, db):
    response = ask_code(client, "dewi@warga.test", name="   ")

    assert response.status_code == 200
    assert not User.objects.exists()


# --- existing accounts ------------------------------------------------------------------


def test_resident_with_an_account_signs_in_by_code_and_keeps_name_and_password(client, personas, sent_code):
    ask_code(client, "Bob@Warga.Test", name="Siapa Saja")
    response = client.post(CONFIRM, {"code": sent_code(personas.bob, "signin_code")})

    assert response.status_code == 302
    assert logged_in_user_id(client) == personas.bob.pk
    bob = User.objects.get(pk=personas.bob.pk)
    assert bob.name == "Bob Prasetyo"
    assert bob.check_password(PASSWORD)
    assert User.objects.filter(email__iexact="bob@warga.test").count() == 1


def test_the_code_goes_to_the_address_typed_not_the_accounts_first_one(client, personas, sent_code):
    personas.alice.phone_verified = True
    personas.alice.save(update_fields=["phone_verified"])

    ask_code(client, "0812 0000 0001")

    message = Message.objects.get(user=personas.alice, template="signin_code")
    assert message.channel == Message.Channel.SMS
    assert message.to == "+6281200000001"


def test_an_unverified_address_of_a_claimed_account_is_refused(client, personas):
    # Alice proved her e-mail, never her phone: whoever holds that number may not be her.
    response = ask_code(client, "0812-0000-0001")

    assert response.status_code == 200
    assert UNPROVEN in response.content.decode()
    assert not Message.objects.filter(template="signin_code").exists()


def test_registered_but_unverified_resident_is_sent_to_the_password_login(client, db):
    # The password was set by whoever registered, before anyone proved the address.
    User.objects.create_user(email="dewi@warga.test", password=PASSWORD, name="Dewi Anggraini")

    response = ask_code(client, "dewi@warga.test")

    assert UNPROVEN in response.content.decode()
    assert not VerificationCode.objects.exists()


def test_deactivated_resident_is_refused(client, personas):
    personas.bob.is_active = False
    personas.bob.save(update_fields=["is_active"])

    response = ask_code(client, "bob@warga.test")

    assert "Akun ini tidak aktif." in response.content.decode()
    assert not VerificationCode.objects.exists()


# --- wrong codes and limits -------------------------------------------------------------


def test_wrong_code_is_refused_and_nobody_is_signed_in(client, personas, sent_code):
    ask_code(client, "bob@warga.test")

    response = client.post(CONFIRM, {"code": wrong(sent_code(personas.bob, "signin_code"))})

    assert response.status_code == 200
    assert BAD_CODE in response.content.decode()
    assert logged_in_user_id(client) is None


def test_code_expires_after_fifteen_minutes(client, personas, sent_code):
    ask_code(client, "bob@warga.test")
    code = sent_code(personas.bob, "signin_code")

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(CONFIRM, {"code": code})

    assert BAD_CODE in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_code_works_once(client, personas, sent_code):
    ask_code(client, "bob@warga.test")
    code = sent_code(personas.bob, "signin_code")
    client.post(CONFIRM, {"code": code})

    with pytest.raises(AccountError):
        actions.quick_signin_confirm(user=personas.bob, raw_code=code)


def test_after_five_wrong_tries_a_code_stops_working(personas, sent_code):
    actions.quick_signin_request(name="Bob", contact="bob@warga.test")
    code = sent_code(personas.bob, "signin_code")
    for _attempt in range(5):
        with pytest.raises(AccountError):
            actions.quick_signin_confirm(user=personas.bob, raw_code=wrong(code))

    with pytest.raises(AccountError):
        actions.quick_signin_confirm(user=personas.bob, raw_code=code)
    assert VerificationCode.objects.get(user=personas.bob).attempts == 5


def test_asking_for_new_codes_does_not_give_unlimited_guesses(client, personas, sent_code):
    # Wrong codes count as failed logins of the address, across codes and across browsers.
    start = timezone.now()
    with time_machine.travel(start):
        first = Client()
        ask_code(first, "bob@warga.test")
        for _attempt in range(3):
            first.post(CONFIRM, {"code": wrong(sent_code(personas.bob, "signin_code"))})
        ask_code(client, "bob@warga.test")
        code = sent_code(personas.bob, "signin_code")
        for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 3):
            client.post(CONFIRM, {"code": wrong(code)})

        right_code = client.post(CONFIRM, {"code": code})
        new_request = ask_code(Client(), "bob@warga.test")

    assert THROTTLED in right_code.content.decode()
    assert THROTTLED in new_request.content.decode()
    assert logged_in_user_id(client) is None

    with time_machine.travel(start + timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES + 1)):
        ask_code(client, "bob@warga.test")
        client.post(CONFIRM, {"code": sent_code(personas.bob, "signin_code")})
    assert logged_in_user_id(client) == personas.bob.pk


def test_failed_password_logins_also_stop_code_requests(client, personas):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"identifier": "bob@warga.test", "password": "salah-sandi-2026"})

    response = ask_code(Client(), "bob@warga.test")

    assert THROTTLED in response.content.decode()
    assert not VerificationCode.objects.exists()


def test_resending_stops_after_five_codes_an_hour(client, personas):
    ask_code(client, "bob@warga.test")
    for _ in range(4):
        client.post(CONFIRM, {"resend": "1"})
    assert Message.objects.filter(user=personas.bob, template="signin_code").count() == 5

    response = client.post(CONFIRM, {"resend": "1"}, follow=True)

    assert "Terlalu banyak permintaan kode" in response.content.decode()
    assert Message.objects.filter(user=personas.bob, template="signin_code").count() == 5


def test_one_network_address_cannot_send_codes_to_endless_numbers(client, db):
    limit = settings.LOGIN_FAILURE_LIMIT * 4
    for number in range(limit):
        ask_code(client, f"0812 3456 {number:04d}")
    assert Message.objects.filter(template="signin_code").count() == limit

    response = ask_code(client, "0812 3456 9999")
    elsewhere = ask_code(Client(REMOTE_ADDR="10.0.0.9"), "0812 3456 9998")

    assert "Terlalu banyak permintaan kode dari jaringan ini" in response.content.decode()
    assert elsewhere.status_code == 302
    assert Message.objects.filter(template="signin_code").count() == limit + 1


def test_code_page_without_a_request_first_goes_back_to_the_request(client, db):
    response = client.get(CONFIRM)

    assert response.status_code == 302
    assert response.url == REQUEST


# --- staff ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["operator", "admin"])
def test_staff_accounts_are_refused_and_sent_to_the_password_and_totp_login(client, personas, who):
    staff = getattr(personas, who)

    response = ask_code(client, staff.email)

    assert response.status_code == 200
    assert STAFF_REFUSED in response.content.decode()
    assert not VerificationCode.objects.filter(user=staff).exists()
    assert logged_in_user_id(client) is None


def test_resident_made_staff_after_the_code_was_sent_is_refused(client, personas, sent_code):
    ask_code(client, "bob@warga.test")
    Membership.objects.create(user=personas.bob, agency=personas.dpupr, role="operator")

    response = client.post(CONFIRM, {"code": sent_code(personas.bob, "signin_code")})

    assert STAFF_REFUSED in response.content.decode()
    assert logged_in_user_id(client) is None


# --- where the resident goes next -------------------------------------------------------


def test_signed_in_resident_returns_to_the_local_next_page(client, personas, sent_code):
    ask_code(client, "bob@warga.test", next_url="/pengaduan/baru/jalan-rusak/")

    response = client.post(CONFIRM, {"code": sent_code(personas.bob, "signin_code")})

    assert response.url == "/pengaduan/baru/jalan-rusak/"


@pytest.mark.parametrize(
    "target", ["https://phish.example/", "//phish.example/pengaduan/", "javascript:alert(1)"]
)
def test_next_page_on_another_site_is_ignored(client, personas, sent_code, target):
    ask_code(client, "bob@warga.test", next_url=target)

    response = client.post(CONFIRM, {"code": sent_code(personas.bob, "signin_code")})

    assert response.url == "/perkara-saya/"


def test_login_page_links_to_the_code_sign_in(client, db):
    page = client.get(LOGIN).content.decode()

    assert "Tanpa akun? Masuk dengan kode lewat e-mail/HP" in page
    assert f'href="{REQUEST}"' in page
    assert "Melapor tidak perlu akun" not in page


def test_login_page_for_the_report_form_says_reporting_needs_no_account(client, db):
    page = client.get(f"{LOGIN}?next={NEW_REPORT}").content.decode()

    assert "Melapor tidak perlu akun" in page
    assert f'href="{REQUEST}?next={NEW_REPORT}"' in page


@pytest.fixture
def reference_data(db):
    regions_load_reference()
    agencies_load_reference()
    categories_load_reference()


def test_resident_without_an_account_reports_a_damaged_road(client, reference_data, sent_code):
    response = client.get(NEW_REPORT)
    assert response.status_code == 302
    login_page = client.get(response.url).content.decode()
    assert f'href="{REQUEST}?next={NEW_REPORT}"' in login_page

    ask_code(client, "0812 3456 7890", next_url=NEW_REPORT)
    dewi = User.objects.get(phone="+6281234567890")
    response = client.post(CONFIRM, {"code": sent_code(dewi, "signin_code")})
    assert response.url == NEW_REPORT
    assert client.get(NEW_REPORT).status_code == 200

    response = client.post(NEW_REPORT, {
        "description": "Lubang besar di tengah jalan, sudah dua minggu.",
        "lat": "-8.0953", "lon": "112.1612", "privacy": "public",
    })

    report = Report.objects.select_related("case").get(reporter=dewi)
    assert report.case.tracking_code
    assert response.status_code == 302
    assert response.url == f"/pengaduan/{report.case.tracking_code}/"
