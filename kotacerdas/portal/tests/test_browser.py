"""Journeys of residents and officers in real headless Chromium against a live server."""

import os
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from kotacerdas.accounts.models import User
from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.cases import actions
from kotacerdas.cases.models import Case, Kind, Status
from kotacerdas.conftest import PASSWORD, otp_for
from kotacerdas.portal.tests.browser import (
    BROWSER,
    CHROMIUM,
    LAUNCH_ARGS,
    PHONE,
    horizontal_overflow,
    log_in,
    log_out,
    verification_code_sent_to,
)
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.services.actions import services_load_reference

pytestmark = BROWSER


# Generous, because CI machines are shared and Argon2 hashing a password is slow on purpose;
# a broken page still fails, only later.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an asyncio loop in this thread, which Django's ORM takes for
    # async code; the test thread never shares a connection with a coroutine, so it is safe.
    # Only for this module: other tests must not inherit the flag.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts: separate cookies, as two people on two phones."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="id-ID", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def offsite_requests() -> list[str]:
    return []


@pytest.fixture
def phone(new_page, live_server, offsite_requests):
    """A resident's phone: 360 px, touch, watched for requests leaving the site. Watched on
    the context, which also sees what the site's service worker fetches."""
    site = urlsplit(live_server.url).netloc

    def make(**options):
        page = new_page(viewport=PHONE, has_touch=True, **options)
        page.context.on("request", lambda r: urlsplit(r.url).netloc == site or offsite_requests.append(r.url))
        return page

    return make


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def case(personas) -> Case:
    return actions.case_open(kind=Kind.INFORMATION, agency=personas.dukcapil, title="Perekaman KTP-el",
                             sla_workdays=5, citizen=personas.alice)


def test_resident_registers_verifies_email_and_logs_in_again(page, mailoutbox):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Daftar").click()
    page.fill("#id_name", "Dewi Lestari")
    page.fill("#id_email", "dewi@warga.test")
    page.fill("#id_password", "sawah-kenari-2026")
    page.get_by_role("button", name="Daftar").click()

    expect(page).to_have_url(re.compile(r"/akun/verifikasi/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi kontak")
    expect(page.get_by_role("main")).to_contain_text("de***@warga.test")
    page.fill("#id_code", verification_code_sent_to("dewi@warga.test"))
    page.get_by_role("main").get_by_role("button", name="Verifikasi").click()

    expect(page).to_have_url(re.compile(r"/perkara-saya/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Perkara saya")
    expect(page.get_by_test_id("no-cases")).to_contain_text("Anda belum punya perkara")
    expect(page.get_by_text("Kontak Anda belum terverifikasi")).to_have_count(0)
    assert User.objects.get(email="dewi@warga.test").email_verified

    log_out(page)
    page.goto("/perkara-saya/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/\?next=/perkara-saya/$"))
    log_in(page, "dewi@warga.test", "sawah-kenari-2026")
    expect(page).to_have_url(re.compile(r"/perkara-saya/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Perkara saya")


def test_bad_nik_is_explained_at_the_field_and_the_rest_is_kept(page):
    page.goto("/akun/daftar/")
    page.fill("#id_name", "Budi Santoso")
    page.fill("#id_email", "budi@warga.test")
    page.fill("#id_phone", "0812 3456 7890")
    page.fill("#id_nik", "3572031513900001")  # month 13
    page.fill("#id_password", "sawah-kenari-2026")
    page.get_by_role("button", name="Daftar").click()

    nik_field = page.locator(".field").filter(has=page.locator("#id_nik"))
    expect(nik_field.get_by_role("alert")).to_have_text(
        "Bulan lahir pada NIK (digit ke-9 dan ke-10) harus 01–12."
    )
    expect(page.locator("#id_nik")).to_have_attribute("aria-invalid", "true")
    # A screen reader reads the help and the error when the field gets focus.
    expect(page.locator("#id_nik")).to_have_accessible_description(
        re.compile(r"16 digit sesuai KTP-el.*Bulan lahir pada NIK")
    )
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.locator("#id_name")).to_have_value("Budi Santoso")
    expect(page.locator("#id_email")).to_have_value("budi@warga.test")
    expect(page.locator("#id_phone")).to_have_value("0812 3456 7890")
    expect(page.locator("#id_nik")).to_have_value("3572031513900001")
    assert not User.objects.filter(email="budi@warga.test").exists()


def test_resident_sees_own_case_and_public_tracking_hides_their_name(new_page, personas, case):
    resident = new_page()
    log_in(resident, personas.alice.email, PASSWORD)
    resident.get_by_role("navigation").get_by_role("link", name="Perkara saya").click()
    row = resident.get_by_role("row").filter(has_text=case.tracking_code)
    expect(row).to_contain_text("Perekaman KTP-el")
    expect(row).to_contain_text("Diajukan")
    row.get_by_role("link", name=case.tracking_code).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Perekaman KTP-el")
    expect(resident.get_by_role("main")).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")

    stranger = new_page()  # anyone with the code, typed into the form on the home page
    stranger.goto("/")
    stranger.fill("#code", case.tracking_code.lower())
    stranger.get_by_role("search").get_by_role("button", name="Lacak").click()
    expect(stranger).to_have_url(re.compile(r"/lacak/\?code="))
    result = stranger.locator("section.panel")
    expect(result).to_contain_text(case.tracking_code)
    expect(result.locator(".badge").first).to_have_text("Diajukan")
    body = stranger.locator("body")
    for private in ("Alice", "Wulandari", personas.alice.email, "3572034506900001", "81200000001"):
        expect(body).not_to_contain_text(private)


def test_operator_moves_case_to_diproses_and_resident_sees_note(new_page, personas, case):
    note = "Berkas lengkap, KTP-el dicetak besok pagi."
    officer = new_page()
    officer.goto("/staf/")  # an officer's bookmark: login first, then back to the inbox
    log_in(officer, personas.operator.email, PASSWORD, otp=lambda: otp_for(personas.operator))
    expect(officer).to_have_url(re.compile(r"/staf/$"))
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Kotak masuk")
    row = officer.get_by_role("row").filter(has_text=case.tracking_code)
    expect(row).to_contain_text("Perekaman KTP-el")
    row.get_by_role("link", name=case.tracking_code).click()

    expect(officer.get_by_role("main")).to_contain_text("Alice Wulandari")
    officer.get_by_label("Status baru").select_option(label="Diproses")
    officer.get_by_label("Keterangan untuk warga").fill(note)
    officer.get_by_role("button", name="Simpan status").click()
    expect(officer).to_have_url(re.compile(rf"/staf/perkara/{case.tracking_code}/$"))
    status = officer.locator("dt", has_text="Status").locator("xpath=following-sibling::dd[1]")
    expect(status).to_contain_text("Diproses")
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS

    resident = new_page()
    resident.goto(f"/lacak/?code={case.tracking_code}")
    result = resident.locator("section.panel")
    expect(result.locator(".badge").first).to_have_text("Diproses")
    expect(result.locator(".timeline li").last).to_contain_text("Diproses")
    expect(result.locator(".timeline li").last).to_contain_text(note)
    expect(result).not_to_contain_text("Ora Operator")  # officers' names stay internal


def test_home_and_inbox_fit_a_phone_screen(new_page, personas, case):
    phone = new_page(viewport=PHONE, has_touch=True)
    phone.goto("/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert horizontal_overflow(phone) <= 0

    # The catalog's agency filter lists the longest names in the city.
    regions_load_reference()
    agencies_load_reference()
    services_load_reference()
    phone.goto("/layanan/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Layanan publik")
    assert horizontal_overflow(phone) <= 0
    phone.get_by_label("Peristiwa hidup", exact=True).select_option("kelahiran")
    expect(phone.get_by_role("link", name=re.compile("Akta Kelahiran"))).to_be_visible()

    phone.goto("/staf/")
    log_in(phone, personas.operator.email, PASSWORD, otp=lambda: otp_for(personas.operator))
    row = phone.get_by_role("row").filter(has_text=case.tracking_code)
    expect(row).to_be_visible()
    assert horizontal_overflow(phone) <= 0

    row.get_by_role("link", name=case.tracking_code).click()
    phone.get_by_text("Jejak audit").click()  # the widest table an officer opens
    expect(phone.get_by_role("cell", name="case_open")).to_be_visible()
    assert horizontal_overflow(phone) <= 0
