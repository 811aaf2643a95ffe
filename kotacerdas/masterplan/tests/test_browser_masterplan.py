"""The masterplan in headless Chromium: an OPD operator enters a realisation with evidence,
Bappeda verifies it, and the executive dashboard and the public pages show it."""

import re
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from kotacerdas.conftest import PASSWORD, otp_for
from kotacerdas.lib.pdf import PdfPage, render_pdf
from kotacerdas.masterplan.models import Realisation
from kotacerdas.portal.tests import test_browser as shared
from kotacerdas.portal.tests.browser import BROWSER, horizontal_overflow, log_in, log_out

browser = shared.browser
new_page = shared.new_page
offsite_requests = shared.offsite_requests
phone = shared.phone

pytestmark = BROWSER

SCREENSHOTS = Path(tempfile.gettempdir())


def snap(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"masterplan-{name}.png", full_page=True)


def test_opd_enters_a_realisation_bappeda_verifies_and_everyone_sees_it(
    masterplan, personas, new_page, phone, offsite_requests, tmp_path
):
    from django.utils import timezone

    year = timezone.localdate().year
    assert year in (2025, 2026, 2027), "the fixture's programme runs 2025–2027"
    evidence = tmp_path / "rekap-loket.pdf"
    evidence.write_bytes(render_pdf(PdfPage(title="Rekap loket", paragraphs=["KTP-el terbit hari itu."])))

    # The Dispendukcapil operator, on a phone.
    operator = phone()
    log_in(operator, personas.operator.email, PASSWORD, otp=lambda: otp_for(personas.operator))
    operator.goto("/masterplan/kelola/")
    row = operator.get_by_role("row", name=re.compile("KTP-el terbit di hari yang sama"))
    expect(row).to_contain_text("belum diisi")
    row.get_by_role("link", name="Isi capaian").click()
    operator.get_by_label("Capaian", exact=True).fill("abc")
    operator.get_by_label("Keterangan").fill("Rekap loket Januari–Juni.")
    operator.get_by_role("button", name="Ajukan ke Bappeda").click()
    # A typing slip: the page says what is wrong and keeps the note.
    expect(operator.get_by_role("main")).to_contain_text("Isi capaian dengan angka")
    expect(operator.get_by_label("Keterangan")).to_have_value("Rekap loket Januari–Juni.")
    operator.get_by_label("Capaian", exact=True).fill("72")
    operator.locator("input[type=file]").set_input_files(str(evidence))
    snap(operator, "01-entry")
    assert horizontal_overflow(operator) <= 0
    operator.get_by_role("button", name="Ajukan ke Bappeda").click()
    expect(operator.get_by_role("main")).to_contain_text("Capaian diajukan ke Bappeda")
    expect(operator.get_by_role("main")).to_contain_text("Menunggu verifikasi")
    expect(operator.get_by_role("link", name="rekap-loket.pdf")).to_be_visible()
    log_out(operator)

    # Not public yet.
    resident = phone()
    resident.goto("/masterplan/program/ktp-sehari/")
    expect(resident.locator(f"#indikator-{masterplan.output.pk}")).not_to_contain_text("72")

    # Bappeda verifies.
    planner = new_page()
    log_in(planner, masterplan.planner.email, PASSWORD, otp=lambda: otp_for(masterplan.planner))
    planner.goto("/masterplan/kelola/verifikasi/")
    planner.get_by_role("row", name=re.compile("KTP-el terbit di hari yang sama")).get_by_role(
        "link", name="Periksa"
    ).click()
    expect(planner.get_by_role("main")).to_contain_text("72")
    expect(planner.get_by_role("link", name="rekap-loket.pdf")).to_be_visible()
    planner.get_by_role("button", name="Verifikasi").click()
    expect(planner.get_by_role("main")).to_contain_text("Capaian terverifikasi")
    assert Realisation.objects.get(indicator=masterplan.output, year=year).status == "verified"

    # The worker refreshes the dashboard's rollups, as it does every few minutes.
    from kotacerdas.dashboard.actions import rollups_refresh

    rollups_refresh()
    expected = {2025: "100,0", 2026: "90,0", 2027: "80,0"}[year]  # 72 of the year's target
    planner.goto("/dasbor/")
    expect(planner.get_by_role("main")).to_contain_text("Smart Governance")
    expect(planner.get_by_role("main")).to_contain_text(expected)
    snap(planner, "02-dashboard")

    resident.goto("/masterplan/program/ktp-sehari/")
    indicator = resident.locator(f"#indikator-{masterplan.output.pk}")
    expect(indicator.get_by_role("row", name=re.compile(rf"^{year}\b"))).to_contain_text("72")
    expect(indicator).to_contain_text(f"{expected} %")
    resident.goto("/masterplan/")
    expect(resident.get_by_role("main")).to_contain_text(f"{expected} %")
    resident.goto("/transparansi/")
    expect(resident.get_by_role("main")).to_contain_text("Smart Governance")
    expect(resident.get_by_role("main")).to_contain_text(expected)
    snap(resident, "03-transparency")
    assert horizontal_overflow(resident) <= 0
    assert offsite_requests == []


def test_bappeda_scores_the_spbe_self_assessment_and_publishes_it(
    masterplan, new_page, phone, offsite_requests
):
    planner = new_page()
    log_in(planner, masterplan.planner.email, PASSWORD, otp=lambda: otp_for(masterplan.planner))
    planner.goto("/masterplan/kelola/spbe/")
    planner.get_by_label("Tahun").fill("2025")
    planner.get_by_role("button", name="Buat penilaian").click()
    expect(planner.get_by_role("heading", level=1)).to_have_text("Penilaian mandiri SPBE 2025")

    # Level 3 everywhere, level 4 for the open-data indicator, and one broken evidence link.
    for number in range(1, 48):
        planner.locator(f"#id_level_{number}").select_option(value="4" if number == 43 else "3")
    planner.locator("input[name=url-43]").fill("bukan tautan")
    planner.locator("textarea[name=evidence-43]").fill("Portal Satu Data terbit.")
    planner.get_by_role("button", name="Simpan penilaian").click()
    # Nothing is lost: the levels and the evidence text stay as typed, the link is marked.
    expect(planner.locator("#indikator-43")).to_contain_text("Tautan bukti harus alamat web lengkap")
    expect(planner.locator("textarea[name=evidence-43]")).to_have_value("Portal Satu Data terbit.")
    expect(planner.locator("#id_level_12")).to_have_value("3")
    planner.locator("input[name=url-43]").fill("https://data.blitarkota.go.id/")
    planner.get_by_role("button", name="Simpan penilaian").click()
    expect(planner.locator(".mp-result")).to_contain_text("47 dari 47 indikator dinilai")
    # 3 everywhere with 3.00 % of the weight at 4: (100 × 3 + 3 × 1) / 100 = 3.03.
    expect(planner.locator(".mp-result")).to_contain_text("3,03")
    planner.get_by_role("button", name="Finalkan dan tampilkan di halaman publik").click()

    resident = phone()
    resident.goto("/masterplan/spbe/")
    expect(resident.get_by_role("main")).to_contain_text("3,03")
    expect(resident.get_by_role("main")).to_contain_text("Baik")
    snap(resident, "04-spbe")
    assert horizontal_overflow(resident) <= 0
    assert offsite_requests == []
