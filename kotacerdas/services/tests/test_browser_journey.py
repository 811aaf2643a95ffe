"""Issue 3 end to end in headless Chromium: a resident applies for a kelurahan service from
her phone, the kelurahan asks her to fix a file, checks it and hands the case to
Dispendukcapil, whose head approves it with a generated document; she downloads it, anyone
can verify it, and her satisfaction survey shows up in the public figures.

Screenshots of the resident's pages go to /tmp/journey-*.png for a human to look at."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kotacerdas.agencies.models import Agency
from kotacerdas.cases.models import Case, Status
from kotacerdas.conftest import PASSWORD, make_staff, otp_for
from kotacerdas.portal.tests import test_browser as shared
from kotacerdas.portal.tests.browser import (
    BROWSER,
    PHONE,
    horizontal_overflow,
    log_in,
    log_out,
)
from kotacerdas.services.actions import services_load_reference
from kotacerdas.services.models import OutputDocument, SurveyResponse
from kotacerdas.services.tests.conftest import SENTUL, pdf_bytes, pdf_text, png_bytes

# The browser (one per module) and fresh contexts on the live server, as in the portal's tests.
browser = shared.browser
new_page = shared.new_page

pytestmark = BROWSER

SERVICE = "Surat Pengantar/Keterangan Kelurahan"
PURPOSE = "Pengantar SKCK ke kepolisian untuk melamar kerja di Polres Blitar Kota."
NOTE = "Surat pengantar RT/RW belum ditandatangani Ketua RW. Unggah ulang yang sudah lengkap."


SCREENSHOTS = Path(tempfile.gettempdir())


def snap(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"journey-{name}.png", full_page=True)


def fits_the_phone(page, name: str) -> None:
    snap(page, name)
    assert horizontal_overflow(page) <= 0, f"{name}: the page scrolls sideways on a 360 px screen"


def duplicate_ids(page) -> list[str]:
    """Ids used twice, which send a label (and a screen reader) to the wrong field."""
    return page.evaluate(
        "[...document.querySelectorAll('[id]')].map((e) => e.id)"
        ".filter((id, i, ids) => ids.indexOf(id) !== i)"
    )


def field(page, name: str):
    return page.locator(f"#field-{name}")


@pytest.fixture
def clerk_of_sentul(personas, kelurahan_offices, holidays):
    """The reference catalog, OPD list and kelurahan offices, and a clerk at Alice's kelurahan."""
    services_load_reference()
    sentul = Agency.objects.get(kind=Agency.Kind.KELURAHAN, region__code=SENTUL)
    return make_staff("Sekar Staf", "staf@sentul.test", sentul, "operator")


def test_resident_applies_on_her_phone_and_gets_a_verifiable_document(
    new_page, personas, clerk_of_sentul, tmp_path
):
    not_a_pdf = tmp_path / "pengantar-rt-rw.pdf"
    not_a_pdf.write_bytes(b"Ini bukan PDF, hanya teks biasa.\n")
    unsigned = tmp_path / "pengantar-rt-rw.png"
    unsigned.write_bytes(png_bytes((300, 400), "white"))
    signed = tmp_path / "pengantar-rt-rw-lengkap.pdf"
    signed.write_bytes(pdf_bytes("Surat Pengantar RT 002 RW 003 Kelurahan Sentul"))

    # 1. Alice finds the service and applies from her phone; a wrong file first.
    alice = new_page(viewport=PHONE, has_touch=True)
    log_in(alice, personas.alice.email, PASSWORD)
    alice.goto("/layanan/surat-pengantar-kelurahan/")
    expect(alice.get_by_role("heading", level=1)).to_have_text(SERVICE)
    fits_the_phone(alice, "01-service")
    alice.get_by_role("link", name="Ajukan sekarang").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text(f"Ajukan {SERVICE}")

    alice.fill("#id_nik", personas.alice.citizen.nik)
    alice.get_by_label("Kelurahan", exact=True).select_option(label="Sentul")
    alice.get_by_label("RW", exact=True).fill("3")
    alice.get_by_label("RT", exact=True).fill("2")
    alice.get_by_label("Jalan dan nomor rumah").fill("Jl. Mawar 7")
    alice.locator("#id_keperluan").select_option("Pengantar SKCK ke kepolisian")
    alice.locator("#id_uraian").fill(PURPOSE)
    alice.locator("#id_no_hp").fill("0812 3456 7890")
    alice.locator("#id_pengantar_rt_rw").set_input_files(not_a_pdf)
    fits_the_phone(alice, "02-form")
    alice.get_by_role("button", name="Kirim permohonan").click()

    summary = alice.get_by_role("main").get_by_role("alert").first
    expect(summary).to_contain_text("Ada 1 isian yang perlu diperiksa")
    expect(summary.get_by_role("link", name="Surat pengantar RT/RW")).to_have_attribute(
        "href", "#field-pengantar_rt_rw"
    )
    rejected = field(alice, "pengantar_rt_rw").get_by_role("alert")
    expect(rejected).to_contain_text("Jenis berkas tidak dikenali")
    expect(alice.locator("#id_nik")).to_have_value(personas.alice.citizen.nik)
    expect(alice.get_by_label("Kelurahan", exact=True)).to_have_value(SENTUL)
    expect(alice.get_by_label("RW", exact=True)).to_have_value("3")
    expect(alice.get_by_label("RT", exact=True)).to_have_value("2")
    expect(alice.get_by_label("Jalan dan nomor rumah")).to_have_value("Jl. Mawar 7")
    expect(alice.locator("#id_keperluan")).to_have_value("Pengantar SKCK ke kepolisian")
    expect(alice.locator("#id_uraian")).to_have_value(PURPOSE)
    expect(alice.locator("#id_no_hp")).to_have_value("0812 3456 7890")
    fits_the_phone(alice, "03-form-error")
    assert not Case.objects.exists()

    alice.locator("#id_pengantar_rt_rw").set_input_files(unsigned)
    alice.get_by_role("button", name="Kirim permohonan").click()
    expect(alice).to_have_url(re.compile(r"/perkara-saya/[A-Z0-9-]+/$"))
    case = Case.objects.get()
    code = case.tracking_code
    expect(alice.get_by_role("main")).to_contain_text(f"Kode lacak Anda: {code}")
    expect(alice.get_by_role("main")).to_contain_text("Kelurahan Sentul")
    fits_the_phone(alice, "04-submitted")
    with alice.expect_download() as receipt:
        alice.get_by_role("link", name="Unduh tanda terima (PDF)").click()
    assert receipt.value.suggested_filename == f"tanda-terima-{code}.pdf"
    receipt_text = pdf_text(receipt.value.path().read_bytes())
    assert code in receipt_text

    # 2. Sentul's clerk asks her to fix the RT/RW letter.
    clerk = new_page()
    clerk.goto("/staf/")
    log_in(clerk, clerk_of_sentul.email, PASSWORD, otp=lambda: otp_for(clerk_of_sentul))
    clerk.get_by_role("row").filter(has_text=code).get_by_role("link", name=code).click()
    panel = clerk.locator("#application")
    expect(panel).to_contain_text("pengantar-rt-rw.png")
    expect(panel).to_contain_text(PURPOSE)
    snap(clerk, "clerk-case")
    panel.get_by_text("Minta perbaikan ke warga").click()
    panel.get_by_role("checkbox", name="Surat pengantar RT/RW").check()
    panel.get_by_label("Apa yang harus diperbaiki").fill(NOTE)
    panel.get_by_role("button", name="Kirim permintaan perbaikan").click()
    expect(clerk.locator("dt", has_text="Status").locator("xpath=following-sibling::dd[1]")).to_contain_text(
        "Menunggu"
    )

    # 3. Alice sees exactly what to fix and sends a new file; nothing else to retype.
    alice.reload()
    notice = alice.locator("#application .msg-warning")
    expect(notice).to_contain_text("Petugas meminta perbaikan: Surat pengantar RT/RW")
    expect(notice).to_contain_text(NOTE)
    fits_the_phone(alice, "05-revision-asked")
    notice.get_by_role("link", name="Perbaiki sekarang").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Perbaiki permohonan")
    expect(alice.get_by_role("main")).to_contain_text(NOTE)
    expect(alice.get_by_role("main").locator(".field")).to_have_count(1)  # only what was asked
    expect(alice.locator("#id_pengantar_rt_rw")).to_be_attached()
    fits_the_phone(alice, "06-revise")
    alice.locator("#id_pengantar_rt_rw").set_input_files(signed)
    alice.get_by_role("button", name="Kirim perbaikan").click()
    expect(alice).to_have_url(re.compile(rf"/perkara-saya/{code}/$"))
    expect(alice.get_by_role("main")).to_contain_text("Perbaikan terkirim")
    expect(alice.locator("#application .msg-warning")).to_have_count(0)

    # 4. The clerk checks the new file and hands the case to Dispendukcapil.
    clerk.reload()
    expect(clerk.locator("#application")).to_contain_text("pengantar-rt-rw-lengkap.pdf")
    expect(clerk.locator("#application")).to_contain_text("Sudah diperbaiki warga 1 kali.")
    clerk.get_by_role("button", name="Berkas lengkap: verifikasi").click()
    expect(clerk.locator("dt", has_text="Status").locator("xpath=following-sibling::dd[1]")).to_contain_text(
        "Diverifikasi"
    )
    handover = clerk.locator("section.panel").filter(has_text="Disposisi ke perangkat daerah lain")
    handover.get_by_label("Teruskan ke").select_option(label=personas.dukcapil.short_name)
    handover.get_by_label("Alasan disposisi").fill("Keterangan domisili perlu dicek di SIAK Dispendukcapil.")
    handover.get_by_role("button", name="Teruskan").click()
    expect(clerk.get_by_role("main")).to_contain_text("sudah didisposisikan ke perangkat daerah lain")
    assert Case.objects.get().agency == personas.dukcapil

    # 5. Dispendukcapil's operator starts; only the head may finish (it needs approval).
    operator = new_page()
    operator.goto(f"/staf/perkara/{code}/")
    log_in(operator, personas.operator.email, PASSWORD, otp=lambda: otp_for(personas.operator))
    operator.get_by_role("button", name="Mulai proses").click()
    expect(operator.locator("#application")).to_contain_text("Menunggu persetujuan kepala perangkat daerah")

    head = new_page()
    head.goto(f"/staf/perkara/{code}/")
    log_in(head, personas.kepala.email, PASSWORD, otp=lambda: otp_for(personas.kepala))
    snap(head, "head-case")
    assert duplicate_ids(head) == []  # the panel's forms sit in the case page's own forms
    finish = head.locator("#application details").filter(has_text="Selesaikan dengan dokumen hasil")
    finish.get_by_label("Keterangan untuk warga").fill("Surat dapat dicetak atau diambil di kelurahan.")
    finish.get_by_role("button", name="Selesaikan dan terbitkan dokumen").click()
    expect(head.locator("dt", has_text="Status").locator("xpath=following-sibling::dd[1]")).to_contain_text(
        "Selesai"
    )
    document = OutputDocument.objects.get()
    assert document.generated
    assert Case.objects.get().status == Status.RESOLVED

    # 6. Alice downloads the document; anyone can check it without learning her name.
    alice.reload()
    expect(alice.locator("#application")).to_contain_text(document.number)
    fits_the_phone(alice, "07-finished")
    with alice.expect_download() as download:
        alice.get_by_role("link", name=f"Unduh {SERVICE}").click()
    assert download.value.suggested_filename.endswith(f"-{code}.pdf")
    text = pdf_text(download.value.path().read_bytes())
    assert document.verification_code in text
    assert document.number in text

    stranger = new_page(viewport=PHONE, has_touch=True)
    stranger.goto(f"/layanan/verifikasi/{document.verification_code}/")
    result = stranger.get_by_role("main")
    expect(result.get_by_role("status")).to_contain_text("Dokumen ini asli")
    expect(result).to_contain_text(personas.dukcapil.name)
    expect(result).to_contain_text(document.number)
    expect(result).to_contain_text(SERVICE)
    for private in ("Alice", "Wulandari", personas.alice.citizen.nik, "Mawar"):
        expect(stranger.locator("body")).not_to_contain_text(private)
    fits_the_phone(stranger, "08-verify")

    alice.get_by_role("link", name="Isi survei kepuasan (1 menit)").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Survei kepuasan masyarakat")
    groups = alice.get_by_role("group")
    expect(groups).to_have_count(9)
    fits_the_phone(alice, "09-survey")
    for index in range(9):
        groups.nth(index).get_by_role("radio", name="Baik", exact=True).check()
    groups.nth(2).get_by_role("radio", name="Sangat baik").check()  # it took one day
    alice.get_by_label("Saran dan masukan (tidak wajib)").fill("Cepat, tidak perlu ke kantor.")
    alice.get_by_role("button", name="Kirim penilaian").click()
    expect(alice.get_by_role("main")).to_contain_text("Terima kasih! Penilaian Anda membantu kami")
    expect(alice.get_by_role("link", name="Isi survei kepuasan (1 menit)")).to_have_count(0)
    expect(alice.locator("#application")).to_contain_text("Anda sudah mengisi survei kepuasan")
    assert SurveyResponse.objects.get().u3 == 4

    alice.goto("/layanan/statistik/")
    row = alice.get_by_role("row").filter(has_text=personas.dukcapil.name)
    expect(row).to_be_visible()
    ikm = row.get_by_role("cell").last
    expect(ikm).to_have_text(re.compile(r"^\d+[.,]\d\d \([A-D]\)$"))  # IKM and its grade
    expect(ikm).to_have_attribute("data-label", "IKM")  # said on a phone, where headers are hidden
    fits_the_phone(alice, "10-statistics")
    log_out(alice)
