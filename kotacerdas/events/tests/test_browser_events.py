"""Issue 6 §2 end to end in headless Chromium: Alice registers for an event on her 360 px
phone and gets a ticket QR; the officer at the door opens the ticket's link on his phone and
checks her in; he downloads the attendance list; Alice downloads her certificate of
attendance, and anyone can verify it on the public page with the code printed on it.

Screenshots go to /tmp/events-*.png for a human to look at."""

import csv
import io
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from kotacerdas.conftest import PASSWORD, otp_for
from kotacerdas.events.models import Event, Registration
from kotacerdas.lib.qr import qr_svg
from kotacerdas.portal.tests import test_browser as shared
from kotacerdas.portal.tests.browser import BROWSER, PHONE, horizontal_overflow, log_in

# The browser (one per module) and fresh contexts on the live server, as in the portal's tests.
browser = shared.browser
new_page = shared.new_page

pytestmark = BROWSER

SCREENSHOTS = Path(tempfile.gettempdir())
TITLE = "Sosialisasi Identitas Kependudukan Digital"
CODE = re.compile(r"\b([2-9A-HJ-NP-TW-Z]{4}-[2-9A-HJ-NP-TW-Z]{4}-[2-9A-HJ-NP-TW-Z]{4})\b")


def snap(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"events-{name}.png", full_page=True)


def fits_the_phone(page, name: str) -> None:
    snap(page, name)
    assert horizontal_overflow(page) <= 0, f"{name}: the page scrolls sideways on a 360 px screen"


def qr_path(svg: str) -> str:
    match = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert match, svg[:200]
    return match.group(1)


@pytest.fixture
def event(personas) -> Event:
    """Under way now, at Dispendukcapil, with a certificate; late registration still open."""
    now = timezone.now()
    return Event.objects.create(
        agency=personas.dukcapil, title=TITLE, slug="sosialisasi-ikd",
        place="Aula Dispendukcapil Kota Blitar",
        starts_at=now - timedelta(minutes=20), ends_at=now + timedelta(hours=3),
        registration_closes_at=now + timedelta(hours=1), capacity=40, certificate=True,
    )


def test_register_check_in_by_qr_get_the_certificate_and_verify_it(new_page, personas, event):
    # 1. Alice finds the event in the agenda and registers from her phone.
    alice = new_page(viewport=PHONE, has_touch=True)
    log_in(alice, personas.alice.email, PASSWORD)
    alice.goto("/agenda/")
    expect(alice.get_by_role("heading", level=1)).to_have_text("Agenda kota")
    fits_the_phone(alice, "01-agenda")
    alice.get_by_role("link", name=re.compile(TITLE)).click()
    expect(alice.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(alice.locator(".facts")).to_contain_text("Aula Dispendukcapil Kota Blitar")
    fits_the_phone(alice, "02-event")
    alice.get_by_role("main").get_by_role("button", name="Daftar", exact=True).click()

    expect(alice.get_by_role("status")).to_contain_text("Anda terdaftar.")
    ticket = alice.get_by_role("img", name="Kode QR tiket")
    expect(ticket).to_be_visible()
    fits_the_phone(alice, "03-ticket")
    registration = Registration.objects.get(event=event, user=personas.alice)
    assert registration.status == Registration.Status.REGISTERED
    # The QR on the page encodes the check-in link of her ticket.
    check_in_path = f"/agenda/hadir/{registration.ticket_code}/"
    expected = qr_svg(settings.SITE_URL + check_in_path, scale=5)
    assert ticket.locator("svg path").first.get_attribute("d") == qr_path(expected)

    alice.goto("/agenda/saya/")
    expect(alice.get_by_role("main")).to_contain_text(TITLE)
    expect(alice.get_by_role("main")).to_contain_text("Terdaftar")

    # 2. The officer at the door scans the ticket: his phone opens its link, he logs in.
    officer_user = personas.operator
    officer = new_page(viewport=PHONE, has_touch=True)
    officer.goto(check_in_path)
    log_in(officer, officer_user.email, PASSWORD, otp=lambda: otp_for(officer_user))
    expect(officer).to_have_url(re.compile(re.escape(check_in_path) + "$"))
    expect(officer.get_by_role("heading", level=1)).to_have_text("Catat kehadiran")
    expect(officer.locator(".facts")).to_contain_text("Alice Wulandari")
    fits_the_phone(officer, "04-door")
    registration.refresh_from_db()
    assert registration.checked_in_at is None  # opening the link alone records nothing
    officer.get_by_role("button", name="Catat hadir").click()
    expect(officer.get_by_role("status")).to_contain_text("Kehadiran Alice Wulandari dicatat.")
    expect(officer.locator("#hadir")).to_contain_text("Sudah hadir")
    fits_the_phone(officer, "05-checked-in")
    # Scanning the same ticket again is harmless.
    officer.goto(check_in_path)
    expect(officer.locator("#hadir")).to_contain_text("Sudah hadir")
    expect(officer.get_by_role("button", name="Catat hadir")).to_have_count(0)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by == officer_user

    # 3. After the event he downloads the attendance list: names and times, nothing else.
    officer.get_by_role("link", name="Daftar peserta").click()
    expect(officer.get_by_role("main")).to_contain_text("Alice Wulandari")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Unduh daftar hadir (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[0] == ["Nomor", "Nama", "Hadir (WIB)"]
    assert [row[1] for row in rows[1:]] == ["Alice Wulandari"]
    assert rows[1][2] == timezone.localtime(registration.checked_in_at).strftime("%Y-%m-%d %H:%M")

    # 4. Alice downloads her certificate of attendance.
    alice.goto(f"/agenda/{event.slug}/")
    expect(alice.locator("#pendaftaran")).to_contain_text("Kehadiran dicatat")
    fits_the_phone(alice, "06-attended")
    with alice.expect_download() as download:
        alice.get_by_role("link", name="Unduh sertifikat kehadiran (PDF)").click()
    reader = PdfReader(download.value.path())
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Sertifikat kehadiran" in text and "Alice Wulandari" in text and TITLE in text
    match = CODE.search(text)
    assert match, text
    code = match.group(1)
    registration.refresh_from_db()
    assert code == registration.certificate_code

    # 5. Someone she shows it to checks it on the public page, typing the code.
    verifier = new_page(viewport=PHONE, has_touch=True)
    verifier.goto("/agenda/sertifikat/")
    verifier.get_by_label("Kode verifikasi").fill(code.lower())
    verifier.get_by_role("button", name="Periksa").click()
    expect(verifier.get_by_role("main").get_by_role("status")).to_contain_text("Sertifikat ini asli")
    facts = verifier.locator(".facts")
    expect(facts).to_contain_text(TITLE)
    expect(facts).to_contain_text("Alice Wulandari")
    expect(facts).not_to_contain_text(personas.alice.email or "")
    fits_the_phone(verifier, "07-verified")
    # A made-up code is refused.
    verifier.goto("/agenda/sertifikat/AAAA-BBBB-CCCC/")
    expect(verifier.get_by_role("alert")).to_contain_text("Kode verifikasi tidak ditemukan")
