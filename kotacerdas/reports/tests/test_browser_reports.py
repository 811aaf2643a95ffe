"""Citizen reports (pengaduan) end to end in headless Chromium, residents on a 360 px phone:
Alice reports a pothole with a photo from the map, Bob supports her report instead of filing
the same one, and DPUPR answers, Alice reopens, DPUPR answers again and she confirms.

Every resident page must fit the phone and request nothing from another host (the map has no
tile layer by default). Screenshots go to /tmp/reports-*.png for a human to look at."""

import re
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.cases.actions import holidays_load_reference
from kotacerdas.cases.models import Status
from kotacerdas.conftest import PASSWORD, make_staff, otp_for
from kotacerdas.notifications.models import Message
from kotacerdas.portal.tests import test_browser as shared
from kotacerdas.portal.tests.browser import BROWSER, horizontal_overflow, log_in
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.queries import locate
from kotacerdas.reports import actions
from kotacerdas.reports.models import Category, CloseReason, Photo, Report, Support
from kotacerdas.reports.tests.conftest import GPS, GPS_IFD, IN_CITY, KAUMAN, NEAR

# The browser (one per module) and fresh contexts on the live server, as in the portal's tests.
browser = shared.browser
new_page = shared.new_page
offsite_requests = shared.offsite_requests
phone = shared.phone

pytestmark = BROWSER

SCREENSHOTS = Path(tempfile.gettempdir())
ROADS = "Jalan rusak atau berlubang"
POTHOLE = "Lubang besar di tengah jalan, sudah sepekan. Motor sering terperosok saat malam."


def snap(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"reports-{name}.png", full_page=True)


def fits_the_phone(page, name: str) -> None:
    snap(page, name)
    assert horizontal_overflow(page) <= 0, f"{name}: the page scrolls sideways on a 360 px screen"


def city_drawn(page) -> None:
    """The 21 kelurahan are on the map; map.js fits the view in the same step."""
    expect(page.locator("[data-map] path.map-boundary")).to_have_count(21)


def pothole_photo() -> bytes:
    """A phone-sized JPEG of a road with a hole, carrying the camera's GPS position (Alice's
    house) and make and model, as phones write them."""
    image = Image.new("RGB", (1200, 900), (120, 120, 118))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 1200, 440), fill=(235, 235, 235))  # the centre line
    draw.ellipse((380, 520, 820, 760), fill=(45, 40, 35))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneModel X"
    exif.get_ifd(GPS_IFD).update(GPS)
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=85)
    data = out.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD), "the test photo must carry GPS"
    return data


@pytest.fixture
def roads(personas) -> Category:
    """The city's reference data, as a fresh installation loads it; "jalan-rusak" goes to DPUPR."""
    regions_load_reference()
    agencies_load_reference()
    holidays_load_reference()
    actions.categories_load_reference()
    return Category.objects.get(code="jalan-rusak")


@pytest.fixture
def officer_of_dpupr(roads):
    return make_staff("Dimas Pratama", "dimas@dpupr.test", roads.agency, "verifikator")


@pytest.fixture
def alices_report(personas, roads) -> Report:
    """Alice's pothole at IN_CITY (Kauman), filed through the real action."""
    return actions.report_submit(
        reporter=personas.alice,
        category=roads,
        description=POTHOLE,
        lat=IN_CITY[0],
        lon=IN_CITY[1],
        address="Depan SDN Kauman 1",
    )


def fact(page, term: str):
    """The value next to a term of the page's facts (a <dl>)."""
    return page.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def status_of(page):
    return fact(page, "Status")


def test_resident_reports_a_pothole_with_a_photo_and_it_shows_on_the_map(
    phone, personas, roads, offsite_requests, tmp_path, mailoutbox
):
    photo = tmp_path / "IMG_20260305_071502.jpg"
    photo.write_bytes(pothole_photo())

    alice = phone()
    log_in(alice, personas.alice.email, PASSWORD)
    alice.goto("/pengaduan/")
    expect(alice.get_by_role("heading", level=1)).to_have_text("Pengaduan warga")
    fits_the_phone(alice, "01-map-empty")
    alice.get_by_role("link", name="Laporkan masalah").click()

    expect(alice.get_by_role("heading", level=1)).to_have_text("Laporkan masalah")
    fits_the_phone(alice, "02-choose")
    alice.get_by_role("link", name=re.compile(ROADS)).click()
    expect(alice.get_by_role("heading", level=1)).to_have_text(ROADS)
    expect(alice.get_by_role("main")).to_contain_text("Ditangani Dinas Pekerjaan Umum dan Penataan Ruang")

    # The location: a tap on the map (the middle of the city as drawn) drops the pin.
    city_drawn(alice)
    expect(alice.locator("#id_lat")).to_have_value("")
    alice.locator("[data-map]").tap()
    expect(alice.locator("#id_lat")).not_to_have_value("")
    lat, lon = float(alice.input_value("#id_lat")), float(alice.input_value("#id_lon"))
    assert locate(lat, lon) is not None, (lat, lon)
    expect(alice.locator("[data-map] .map-pin")).to_have_count(1)
    expect(alice.locator("#nearby")).to_be_empty()  # nothing reported around there yet

    alice.get_by_label("Patokan lokasi (tidak wajib)").fill("Depan toko bangunan, arah ke pasar")
    alice.get_by_label("Apa masalahnya?").fill(POTHOLE)
    alice.get_by_label("Perkiraan ukuran kerusakan").select_option(label="Sedang (1-3 m)")
    alice.locator("#id_photos").set_input_files(photo)
    expect(alice.get_by_role("radio", name="Publik", exact=True)).to_be_checked()
    fits_the_phone(alice, "03-form")
    alice.get_by_role("button", name="Kirim pengaduan").click()

    # The report page, with her tracking code and the photo.
    expect(alice).to_have_url(re.compile(r"/pengaduan/[A-Z0-9-]+/$"))
    report = Report.objects.select_related("case", "kelurahan").get()
    code = report.case.tracking_code
    expect(alice.get_by_role("status")).to_contain_text(f"Pengaduan terkirim. Kode lacak: {code}")
    expect(fact(alice, "Kode lacak")).to_have_text(code)
    expect(status_of(alice)).to_contain_text("Diajukan")
    expect(alice.get_by_role("main")).to_contain_text(POTHOLE)
    expect(alice.get_by_role("main")).to_contain_text(f"Kelurahan {report.kelurahan.name}")
    expect(alice.get_by_role("main")).to_contain_text("Alice W.")  # never her full name
    expect(alice.get_by_role("main")).not_to_contain_text("Wulandari")
    expect(alice.get_by_role("button", name="Saya juga mengalami ini")).to_have_count(0)  # her own
    expect(alice.get_by_role("button", name="Ikuti kabar laporan ini")).to_have_count(0)  # she hears anyway
    shown = alice.get_by_role("img", name="Foto laporan")
    expect(shown).to_have_count(1)
    shown.scroll_into_view_if_needed()
    alice.wait_for_function("document.querySelector('img.report-photo').naturalWidth > 0")
    fits_the_phone(alice, "04-submitted")

    assert (report.lat, report.lon) == (lat, lon)
    assert report.case.agency == roads.agency
    assert report.attributes == {"ukuran": "sedang"}
    stored = Photo.objects.get(report=report)
    with stored.file.open("rb") as handle:
        data = handle.read()
    with Image.open(BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}, "the stored photo still carries EXIF"
    assert b"Exif" not in data and b"PhoneModel" not in data
    assert any(code in m.body for m in mailoutbox if personas.alice.email in m.to)  # her receipt

    # The list and the map of all reports show it.
    alice.get_by_role("link", name="Semua pengaduan").click()
    expect(alice).to_have_url(re.compile(r"/pengaduan/$"))
    item = alice.locator(".report-list li").filter(has_text=ROADS)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Diajukan")
    expect(item).to_contain_text(report.kelurahan.name)
    city_drawn(alice)
    expect(alice.locator("#report-map path.map-point")).to_have_count(1)
    expect(alice.locator("#report-map path.map-point.map-status-submitted")).to_have_count(1)
    fits_the_phone(alice, "05-map-with-report")
    alice.locator("#report-map path.map-point").click(force=True)
    alice.locator("#report-map .leaflet-popup").get_by_role("link", name=ROADS).click()
    expect(alice).to_have_url(re.compile(rf"/pengaduan/{code}/$"))

    alice.wait_for_load_state("networkidle")
    assert offsite_requests == []


def test_report_form_works_from_typed_coordinates_when_the_map_cannot_load(
    phone, personas, roads, offsite_requests
):
    # The service worker would serve Leaflet from its cache, out of the route's reach.
    alice = phone(service_workers="block")
    alice.route("**/leaflet.js", lambda route: route.abort())  # a flaky connection, say
    log_in(alice, personas.alice.email, PASSWORD)
    alice.goto(f"/pengaduan/baru/{roads.code}/")

    expect(alice.locator("[data-map]")).to_be_hidden()
    alice.get_by_label("Lintang").fill(str(IN_CITY[0]))
    alice.get_by_label("Bujur").fill(str(IN_CITY[1]))
    alice.get_by_label("Apa masalahnya?").fill(POTHOLE)
    fits_the_phone(alice, "06-form-without-map")
    alice.get_by_role("button", name="Kirim pengaduan").click()

    expect(alice).to_have_url(re.compile(r"/pengaduan/[A-Z0-9-]+/$"))
    report = Report.objects.select_related("kelurahan").get()
    assert (report.lat, report.lon) == IN_CITY
    assert report.kelurahan.code == KAUMAN
    expect(alice.get_by_role("main")).to_contain_text("Kelurahan Kauman")
    assert offsite_requests == []


def test_report_form_without_javascript_keeps_the_coordinates_and_hides_the_map(phone, personas, roads):
    alice = phone(java_script_enabled=False)
    log_in(alice, personas.alice.email, PASSWORD)
    alice.goto(f"/pengaduan/baru/{roads.code}/")

    expect(alice.locator("[data-map]")).to_be_hidden()
    # Without scripts nobody can ask the phone for its position: no dead button.
    expect(alice.get_by_role("button", name="Gunakan lokasi saya")).to_be_hidden()
    alice.get_by_label("Lintang").fill(str(IN_CITY[0]))
    alice.get_by_label("Bujur").fill(str(IN_CITY[1]))
    alice.get_by_label("Apa masalahnya?").fill(POTHOLE)
    alice.get_by_role("button", name="Kirim pengaduan").click()

    expect(alice).to_have_url(re.compile(r"/pengaduan/[A-Z0-9-]+/$"))
    assert Report.objects.get().kelurahan.code == KAUMAN


def test_neighbour_supports_the_report_nearby_instead_of_filing_it_again(
    phone, personas, roads, alices_report, offsite_requests
):
    code = alices_report.case.tracking_code
    # Bob stands about 200 m east of Alice's pothole and lets the form use his position.
    bob = phone(geolocation={"latitude": NEAR[0], "longitude": NEAR[1]}, permissions=["geolocation"])
    log_in(bob, personas.bob.email, PASSWORD)
    bob.goto("/pengaduan/baru/")
    bob.get_by_role("link", name=re.compile(ROADS)).click()
    bob.get_by_role("button", name="Gunakan lokasi saya").click()

    expect(bob.locator("#id_lat")).to_have_value(f"{NEAR[0]:.6f}")
    expect(bob.locator("#id_lon")).to_have_value(f"{NEAR[1]:.6f}")
    nearby = bob.locator("#nearby")
    expect(nearby).to_contain_text("Laporan serupa di dekat titik ini")
    expect(nearby.get_by_role("listitem")).to_have_count(1)
    expect(nearby.get_by_role("listitem")).to_contain_text(re.compile(r"\b(19\d|20\d) m\b"))
    fits_the_phone(bob, "07-nearby")
    nearby.get_by_role("button", name="Saya juga mengalami ini").click()

    expect(bob).to_have_url(re.compile(rf"/pengaduan/{code}/$"))
    expect(bob.get_by_role("status")).to_contain_text("dukungan Anda tercatat")
    expect(fact(bob, "Pendukung")).to_have_text("1")
    expect(bob.get_by_role("button", name="Berhenti mengikuti")).to_be_visible()  # he follows it now
    fits_the_phone(bob, "08-supported")
    assert Report.objects.count() == 1
    assert Report.objects.get().supporters == 1
    assert Support.objects.get().user == personas.bob

    bob.wait_for_load_state("networkidle")
    assert offsite_requests == []


def test_dpupr_answers_alice_reopens_then_confirms_it_is_fixed(
    new_page, phone, personas, alices_report, officer_of_dpupr, offsite_requests, mailoutbox
):
    code = alices_report.case.tracking_code
    alice_email = personas.alice.email

    def alice_was_told(text: str) -> None:
        bodies = [m.body for m in mailoutbox if alice_email in m.to]
        assert any(text in body for body in bodies), bodies

    officer = new_page()
    officer.goto(f"/staf/perkara/{code}/")
    log_in(officer, officer_of_dpupr.email, PASSWORD, otp=lambda: otp_for(officer_of_dpupr))
    expect(officer).to_have_url(re.compile(rf"/staf/perkara/{code}/$"))
    panel = officer.locator("#report")
    expect(panel).to_contain_text(POTHOLE)
    expect(panel).to_contain_text("Alice Wulandari")  # officers see who reported it
    expect(panel).to_contain_text("-8.095300, 112.161200")  # to copy into a map app, unlocalised
    panel.get_by_role("button", name="Verifikasi dan tindak lanjuti").click()
    expect(status_of(officer)).to_contain_text("Diverifikasi")

    # The answer from a template, then a word added about this road.
    panel = officer.locator("#report")
    panel.get_by_label("Templat").select_option(label="Dijadwalkan")
    answer = panel.get_by_label("Jawaban untuk pelapor (publik)")
    expect(answer).to_have_value(re.compile(r"^Terima kasih atas laporannya\. Perbaikan sudah kami"))
    answer.press("End")
    answer.press_sequentially(" Tim tambal jalan datang Kamis pagi.")
    snap(officer, "officer-answer")
    panel.get_by_role("button", name="Kirim jawaban").click()
    expect(status_of(officer)).to_contain_text("Selesai")
    alices_report.refresh_from_db()
    assert alices_report.case.status == Status.RESOLVED

    assert Message.objects.filter(user=personas.alice, template="case_status_changed").count() == 2
    alice_was_told("Tim tambal jalan datang Kamis pagi.")
    alice_was_told(f"/lacak/?code={code}")

    # Alice is not satisfied: the hole was only covered with gravel.
    alice = phone()
    alice.goto(f"/pengaduan/{code}/")
    alice.get_by_role("link", name="Masuk untuk mendukung atau mengikuti laporan ini").click()
    log_in(alice, alice_email, PASSWORD)
    expect(alice).to_have_url(re.compile(rf"/pengaduan/{code}/$"))
    expect(status_of(alice)).to_contain_text("Selesai")
    expect(alice.locator(".timeline")).to_contain_text("Tim tambal jalan datang Kamis pagi.")
    question = alice.locator("section.panel").filter(has_text="Apakah masalahnya selesai?")
    expect(question.get_by_role("button", name="Ya, selesai")).to_be_visible()
    fits_the_phone(alice, "09-answered")
    question.get_by_text("Belum selesai: buka kembali").click()
    question.get_by_label("Mengapa belum selesai?").fill("Hanya ditimbun kerikil, sudah berlubang lagi.")
    fits_the_phone(alice, "10-reopen")
    question.get_by_role("button", name="Buka kembali").click()

    expect(alice.get_by_role("status")).to_contain_text("Laporan dibuka kembali")
    expect(status_of(alice)).to_contain_text("Diproses")
    expect(alice.locator(".timeline")).to_contain_text("Hanya ditimbun kerikil")
    expect(alice.get_by_role("button", name="Ya, selesai")).to_have_count(0)
    fits_the_phone(alice, "11-reopened")
    alices_report.refresh_from_db()
    assert alices_report.case.status == Status.IN_PROGRESS
    assert alices_report.autoclose_on is None

    # The officer sees the reason and answers again; Alice confirms.
    officer.reload()
    expect(officer.locator(".timeline")).to_contain_text("Hanya ditimbun kerikil")
    expect(officer.get_by_role("button", name="Verifikasi dan tindak lanjuti")).to_have_count(0)
    officer.locator("#report").get_by_label("Jawaban untuk pelapor (publik)").fill(
        "Lubang sudah ditambal aspal hotmix pada Jumat, 6 Maret."
    )
    officer.locator("#report").get_by_role("button", name="Kirim jawaban").click()
    expect(status_of(officer)).to_contain_text("Selesai")
    alice_was_told("ditambal aspal hotmix")

    alice.reload()
    expect(alice.locator(".timeline")).to_contain_text("ditambal aspal hotmix")
    alice.get_by_role("button", name="Ya, selesai").click()
    expect(alice.get_by_role("status")).to_contain_text("Laporan ditutup sebagai selesai")
    expect(status_of(alice)).to_contain_text("Ditutup")
    expect(status_of(alice)).to_contain_text("Selesai ditangani")
    fits_the_phone(alice, "12-closed")
    alices_report.refresh_from_db()
    assert alices_report.case.status == Status.CLOSED
    assert alices_report.close_reason == CloseReason.FIXED

    alice.wait_for_load_state("networkidle")
    assert offsite_requests == []
