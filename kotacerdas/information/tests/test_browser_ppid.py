"""Issue 6 §5 end to end in headless Chromium: Alice asks the PPID for public information on
her 360 px phone, the PPID officer of Diskominfotik extends the deadline once and answers in
part with a PDF, Alice downloads it and objects, and the Sekda (the PPID's superior) decides
the objection. The public register then lists the request without Alice's identity.

Resident pages must fit the phone. Screenshots go to /tmp/ppid-*.png for a human to look at."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from kotacerdas.agencies.models import Agency
from kotacerdas.cases.models import Case, Status
from kotacerdas.conftest import PASSWORD, make_staff, otp_for
from kotacerdas.information.models import Decision, InformationRequest, Objection
from kotacerdas.portal.tests import test_browser as shared
from kotacerdas.portal.tests.browser import (
    BROWSER,
    PHONE,
    horizontal_overflow,
    log_in,
    log_out,
)

# The browser (one per module) and fresh contexts on the live server, as in the portal's tests.
browser = shared.browser
new_page = shared.new_page

pytestmark = BROWSER

SCREENSHOTS = Path(tempfile.gettempdir())
INFORMATION = "Salinan DPA Diskominfotik tahun 2026, termasuk rincian belanja Wi-Fi publik per kelurahan."
PURPOSE = "Penelitian skripsi tentang belanja TIK pemerintah daerah."
EXTENSION = "Rincian per kelurahan masih dihimpun dari arsip bidang infrastruktur."
GROUND = "UU 14/2008 Pasal 17 huruf c: lokasi perangkat jaringan menyangkut keamanan sistem."
ANSWER = "Terlampir DPA 2026. Rincian lokasi perangkat jaringan kami hitamkan."
OBJECTION = "Jumlah belanja per kelurahan bukan lokasi perangkat; mohon diberikan tanpa dihitamkan."
RESPONSE = "Jumlah belanja per kelurahan diberikan; titik perangkat jaringan tetap dikecualikan."
KOMISI = "Komisi Informasi Provinsi Jawa Timur"


def snap(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"ppid-{name}.png", full_page=True)


def fits_the_phone(page, name: str) -> None:
    snap(page, name)
    assert horizontal_overflow(page) <= 0, f"{name}: the page scrolls sideways on a 360 px screen"


def fact(page, term: str):
    """The value next to a term of the case's facts (a <dl>)."""
    return page.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def ppid(personas):
    """As in test_ppid: Setda is the PPID's superior, Putri the PPID officer of
    Diskominfotik (the PPID Utama), Sekar the Sekda (kepala of Setda)."""
    setda = Agency.objects.create(
        code="setda", short_name="Setda", name="Sekretariat Daerah Kota Blitar", kind="sekretariat"
    )
    diskominfotik = Agency.objects.get(code="diskominfotik")
    officer = make_staff("Putri PPID", "ppid@pemkot.test", diskominfotik, "operator")
    sekda = make_staff("Sekar Sekda", "sekda@pemkot.test", setda, "kepala")
    return officer, sekda


def test_request_is_extended_answered_in_part_objected_to_and_decided(
    new_page, personas, ppid, tmp_path, mailoutbox
):
    officer_user, sekda_user = ppid
    answer_pdf = tmp_path / "dpa-diskominfotik-2026.pdf"  # uploads keep slugified names
    answer_pdf.write_bytes(one_page_pdf())

    # 1. Alice asks for the information from her phone.
    alice = new_page(viewport=PHONE, has_touch=True)
    log_in(alice, personas.alice.email, PASSWORD)
    alice.goto("/informasi/ppid/")
    expect(alice.get_by_role("heading", level=1)).to_have_text("Permohonan informasi publik (PPID)")
    fits_the_phone(alice, "01-ppid")
    alice.get_by_role("link", name="Ajukan permohonan").click()

    expect(alice.get_by_role("heading", level=1)).to_have_text("Ajukan permohonan informasi")
    alice.get_by_label("Informasi apa yang Anda minta?").fill(INFORMATION)
    alice.get_by_label("Untuk apa informasi ini?").fill(PURPOSE)
    electronic = alice.get_by_role("radio", name=re.compile("Salinan elektronik"))
    expect(electronic).to_be_checked()  # the default
    fits_the_phone(alice, "02-form")
    # What the form will send, to send it again below as a retried connection would.
    form = alice.get_by_role("main").locator("form")
    sent = {
        name: form.locator(f"[name={name}]").input_value()
        for name in ("csrfmiddlewaretoken", "submission_key", "information", "purpose")
    }
    sent["obtain"] = "electronic"
    # A double tap. Chromium itself sends the form once, so the retry below is what reaches
    # the server twice.
    alice.get_by_role("button", name="Kirim permohonan").dblclick()

    expect(alice).to_have_url(re.compile(r"/perkara-saya/[A-Z0-9-]+/$"))
    request = InformationRequest.objects.select_related("case").get()
    code = request.case.tracking_code
    expect(alice.get_by_role("status")).to_contain_text(f"Permohonan informasi diterima dengan kode {code}")
    expect(fact(alice, "Kode lacak")).to_have_text(code)
    expect(fact(alice, "Status")).to_contain_text("Diajukan")
    panel = alice.locator("#ppid")
    expect(panel).to_contain_text(INFORMATION)
    expect(panel).to_contain_text(PURPOSE)
    expect(panel).to_contain_text("Salinan elektronik")
    expect(panel.get_by_role("button", name="Ajukan keberatan")).to_have_count(0)  # not yet late
    fits_the_phone(alice, "03-submitted")
    assert request.case.agency.code == "diskominfotik"
    assert request.requester == personas.alice

    # The same form sent again (a retried connection) lands on the same request.
    again = alice.request.post("/informasi/ppid/ajukan/", form=sent)
    assert again.ok and again.url.endswith(f"/perkara-saya/{code}/"), (again.status, again.url)
    assert InformationRequest.objects.count() == 1
    assert Case.objects.filter(kind="information").count() == 1
    first_due = request.case.due_date

    # 2. The PPID officer finds it in her inbox, extends the deadline once, then answers.
    officer = new_page()
    officer.goto("/staf/")
    log_in(officer, officer_user.email, PASSWORD, otp=lambda: otp_for(officer_user))
    expect(officer).to_have_url(re.compile(r"/staf/$"))
    officer.get_by_role("link", name=code).click()
    expect(officer).to_have_url(re.compile(rf"/staf/perkara/{code}/$"))
    panel = officer.locator("#ppid")
    expect(panel).to_contain_text(INFORMATION)
    expect(panel).to_contain_text("Alice Wulandari")  # the PPID knows who asks

    panel.get_by_text("Perpanjang jangka waktu (sekali)").click()
    panel.get_by_label("Alasan perpanjangan (dikirim ke pemohon)").fill(EXTENSION)
    panel.get_by_role("button", name="Perpanjang dan beri tahu pemohon").click()
    expect(officer.get_by_role("status")).to_contain_text("Tersimpan dan dikirim ke pemohon.")
    panel = officer.locator("#ppid")
    expect(panel).to_contain_text("Sudah diperpanjang sampai")
    expect(panel).to_contain_text(EXTENSION)
    expect(panel.get_by_text("Perpanjang jangka waktu (sekali)")).to_have_count(0)  # only once
    request.refresh_from_db()
    request.case.refresh_from_db()
    assert request.extended_at is not None
    assert request.case.due_date > first_due

    panel.get_by_label("Keputusan").select_option(label="Diberikan sebagian")
    panel.get_by_label("Jawaban untuk pemohon").fill(ANSWER)
    panel.get_by_label(re.compile("^Dasar hukum")).fill(GROUND)
    panel.get_by_label("Berkas informasi (PDF/JPG/PNG, tidak wajib)").set_input_files(answer_pdf)
    snap(officer, "officer-answer")
    panel.get_by_role("button", name="Kirim jawaban").click()
    expect(officer.get_by_role("status")).to_contain_text("Tersimpan dan dikirim ke pemohon.")
    expect(fact(officer, "Status")).to_contain_text("Selesai")
    panel = officer.locator("#ppid")
    expect(panel).to_contain_text("Diberikan sebagian")
    expect(panel.get_by_role("link", name=answer_pdf.name, exact=True)).to_be_visible()
    expect(panel.get_by_role("button", name="Kirim jawaban")).to_have_count(0)
    request.refresh_from_db()
    assert request.decision == Decision.PARTLY
    assert request.legal_ground == GROUND
    assert request.files.count() == 1
    assert any(ANSWER in m.body for m in mailoutbox if personas.alice.email in m.to)

    # 3. Alice reads the extension notice and the answer, downloads the file and objects.
    alice.goto(f"/perkara-saya/{code}/")
    panel = alice.locator("#ppid")
    expect(panel).to_contain_text("Jangka waktu diperpanjang sampai")
    expect(panel).to_contain_text(EXTENSION)
    expect(panel.get_by_role("heading", name="Jawaban PPID: Diberikan sebagian")).to_be_visible()
    expect(panel).to_contain_text(ANSWER)
    expect(panel).to_contain_text(f"Dasar hukum: {GROUND}")
    expect(alice.locator(".timeline")).to_contain_text(EXTENSION)
    fits_the_phone(alice, "04-answered")
    with alice.expect_download() as download:
        panel.get_by_role("link", name=answer_pdf.name, exact=True).click()
    assert download.value.suggested_filename == answer_pdf.name
    assert Path(download.value.path()).read_bytes() == answer_pdf.read_bytes()

    panel.get_by_text(re.compile(r"^Ajukan keberatan \(sampai")).click()
    panel.get_by_label("Permohonan ditanggapi tidak sebagaimana yang diminta").check()
    panel.get_by_label("Uraian keberatan").fill(OBJECTION)
    fits_the_phone(alice, "05-objection")
    panel.get_by_role("button", name="Ajukan keberatan").click()
    expect(alice.get_by_role("status")).to_contain_text("Keberatan diajukan.")
    panel = alice.locator("#ppid")
    expect(panel.get_by_role("heading", name="Keberatan Anda")).to_be_visible()
    expect(panel).to_contain_text(OBJECTION)
    expect(panel).to_contain_text("Ditanggapi atasan PPID paling lambat")
    expect(fact(alice, "Ditangani oleh")).to_have_text("Sekretariat Daerah Kota Blitar")
    fits_the_phone(alice, "06-objected")
    objection = Objection.objects.get()
    assert objection.grounds == ["d"]
    case = Case.objects.get(pk=request.case.pk)
    assert case.agency.code == "setda" and case.status == Status.IN_PROGRESS

    # The PPID officer now only reads the case; it left her inbox.
    officer.goto("/staf/")
    expect(officer.get_by_role("link", name=code)).to_have_count(0)

    # 4. The Sekda finds the objection in Setda's inbox and decides it.
    sekda = new_page()
    sekda.goto("/staf/")
    log_in(sekda, sekda_user.email, PASSWORD, otp=lambda: otp_for(sekda_user))
    expect(sekda).to_have_url(re.compile(r"/staf/$"))
    sekda.get_by_role("link", name=code).click()
    expect(sekda).to_have_url(re.compile(rf"/staf/perkara/{code}/$"))
    panel = sekda.locator("#ppid")
    expect(panel).to_contain_text(ANSWER)
    expect(panel).to_contain_text(OBJECTION)
    panel.get_by_label("Putusan").select_option(label="Keberatan diterima sebagian")
    panel.get_by_label("Tanggapan tertulis untuk pemohon").fill(RESPONSE)
    snap(sekda, "sekda-decide")
    panel.get_by_role("button", name="Putuskan keberatan").click()
    expect(sekda.get_by_role("status")).to_contain_text("Tersimpan dan dikirim ke pemohon.")
    expect(fact(sekda, "Status")).to_contain_text("Selesai")
    panel = sekda.locator("#ppid")
    expect(panel).to_contain_text("Keberatan diterima sebagian")
    expect(panel.get_by_role("button", name="Putuskan keberatan")).to_have_count(0)
    objection.refresh_from_db()
    assert objection.outcome == Objection.Outcome.PARTLY
    assert objection.decided_by == sekda_user

    # 5. Alice reads the decision and where to go next.
    alice.reload()
    panel = alice.locator("#ppid")
    expect(panel).to_contain_text("Keberatan diterima sebagian")
    expect(panel).to_contain_text(RESPONSE)
    expect(panel).to_contain_text(KOMISI)
    expect(fact(alice, "Status")).to_contain_text("Selesai")
    expect(panel.get_by_role("button", name="Ajukan keberatan")).to_have_count(0)  # only once
    fits_the_phone(alice, "07-decided")

    # The public register lists the request, never who asked.
    log_out(alice)
    alice.goto("/informasi/ppid/register/")
    expect(alice.get_by_role("heading", level=1)).to_have_text("Register permohonan informasi")
    row = alice.locator("tbody tr").filter(has_text=code)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(INFORMATION[:60])
    expect(row).to_contain_text("Diberikan sebagian")
    expect(row).to_contain_text("Keberatan diterima sebagian")
    main = alice.get_by_role("main")
    for identity in ("Alice", "Wulandari", personas.alice.email, "alice@"):
        expect(main).not_to_contain_text(identity)
    fits_the_phone(alice, "08-register")
