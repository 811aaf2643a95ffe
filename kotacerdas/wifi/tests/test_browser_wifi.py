"""Free Wi-Fi in headless Chromium, a resident on a 360 px phone: she finds the nearest working
point from her phone's position, sees the points on the map, and reports a dead one in two
taps. Without scripts the kelurahan choice orders the list instead.

Every page must fit the phone and request nothing from another host. Screenshots go to
/tmp/wifi-*.png for a human to look at."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kotacerdas.portal.tests import test_browser as shared
from kotacerdas.portal.tests.browser import BROWSER, horizontal_overflow
from kotacerdas.reports.models import Report
from kotacerdas.wifi.models import Health, HotspotReport

# The browser (one per module) and fresh contexts on the live server, as in the portal's tests.
browser = shared.browser
new_page = shared.new_page
offsite_requests = shared.offsite_requests
phone = shared.phone

pytestmark = BROWSER

SCREENSHOTS = Path(tempfile.gettempdir())
HOME = {"latitude": -8.0753, "longitude": 112.1849}  # the resident, in Sentul
SENTUL = "35.72.01.1003"


def snap(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"wifi-{name}.png", full_page=True)


def fits_the_phone(page, name: str) -> None:
    snap(page, name)
    assert horizontal_overflow(page) <= 0, f"{name}: the page scrolls sideways on a 360 px screen"


@pytest.fixture
def network(hotspot_factory):
    """Around the resident: a working point 30 m away, a dead one 400 m away, and a few
    farther ones elsewhere in the city."""
    return {
        "near": hotspot_factory("SNT-RW03", kelurahan="Sentul", name="Balai RW 03 Sentul", health=Health.OK,
                                lat="-8.0755", lon="112.1850"),
        "dead": hotspot_factory("SNT-RW05-RT02", kelurahan="Sentul", name="Pos Kamling RT 02 RW 05 Sentul",
                                health=Health.CRITICAL, lat="-8.0790", lon="112.1855"),
        "gedog": hotspot_factory("GDG-RW01", kelurahan="Gedog", name="Balai RW 01 Gedog", health=Health.OK),
        "kauman": hotspot_factory("KMN-RW02", kelurahan="Kauman", name="Taman baca RW 02 Kauman",
                                  health=Health.PROBLEM),
        "bendo": hotspot_factory("BND-RW04", kelurahan="Bendo", name="Balai RW 04 Bendo",
                                 status="maintenance"),
    }


def test_resident_finds_the_nearest_working_point_and_reports_a_dead_one(phone, network, offsite_requests):
    resident = phone(geolocation=HOME, permissions=["geolocation"])
    resident.goto("/")
    resident.get_by_role("main").get_by_role("link", name=re.compile("Wi-Fi gratis")).click()

    expect(resident.get_by_role("heading", level=1)).to_have_text("Wi-Fi gratis terdekat")
    fits_the_phone(resident, "01-list")
    resident.get_by_role("button", name="Gunakan lokasi saya").click()

    expect(resident).to_have_url(re.compile(r"/wifi/\?lat=-8\.075&lon=112\.185$"))
    expect(resident.get_by_role("main")).to_contain_text("Diurutkan dari yang terdekat ke lokasi Anda.")
    items = resident.locator("#hotspots > li")
    expect(items).to_have_count(5)
    expect(items.first).to_contain_text("Balai RW 03 Sentul")
    expect(items.first).to_contain_text("Menyala")
    expect(items.first).to_contain_text(re.compile(r"\b\d0 m\b"))
    expect(items.nth(1)).to_contain_text("Pos Kamling RT 02 RW 05 Sentul")
    expect(items.nth(1)).to_contain_text("Mati")
    expect(resident.locator("#hotspots")).to_contain_text("Dalam perawatan")

    # The map below the list: one marker per point, coloured by its state.
    map_ = resident.locator("#wifi-map")
    map_.scroll_into_view_if_needed()
    expect(map_.locator("path.map-point")).to_have_count(5)
    expect(map_.locator("path.map-point.map-status-ok")).to_have_count(2)
    expect(map_.locator("path.map-point.map-status-critical")).to_have_count(1)
    expect(map_.locator("path.map-point.map-status-maintenance")).to_have_count(1)
    fits_the_phone(resident, "02-nearest")

    # Two taps on the dead point.
    dead = items.nth(1)
    dead.get_by_text("Tidak bisa tersambung?").tap()
    fits_the_phone(resident, "03-report-open")
    dead.get_by_role("button", name="Kirim laporan").tap()

    expect(resident).to_have_url(re.compile(r"/wifi/SNT-RW05-RT02/$"))
    report = Report.objects.select_related("case__agency").get()
    code = report.case.tracking_code
    expect(resident.get_by_role("status")).to_contain_text(f"Kode lacak: {code}")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Pos Kamling RT 02 RW 05 Sentul")
    expect(resident.get_by_role("main")).to_contain_text("Mati")
    fits_the_phone(resident, "04-reported")
    assert report.case.agency.code == "diskominfotik"
    assert HotspotReport.objects.get().hotspot == network["dead"]

    resident.get_by_role("status").get_by_role("link", name=code).click()
    expect(resident).to_have_url(re.compile(rf"/pengaduan/{code}/$"))
    expect(resident.get_by_role("main")).to_contain_text("Wi-Fi gratis mati")

    resident.wait_for_load_state("networkidle")
    assert offsite_requests == []


def test_without_scripts_the_kelurahan_orders_the_list(phone, network, offsite_requests):
    resident = phone(java_script_enabled=False)
    resident.goto("/wifi/")

    expect(resident.get_by_role("button", name="Gunakan lokasi saya")).to_be_hidden()
    expect(resident.locator("#wifi-map")).to_be_hidden()
    resident.get_by_label("Kelurahan Anda").select_option(SENTUL)
    resident.get_by_role("button", name="Urutkan").click()

    expect(resident.get_by_role("main")).to_contain_text("pusat Kelurahan Sentul")
    items = resident.locator("#hotspots > li")
    expect(items.first).to_contain_text("Balai RW 03 Sentul")
    fits_the_phone(resident, "05-no-script")
    # Reporting works without scripts too: <details> and a plain form.
    items.nth(1).get_by_text("Tidak bisa tersambung?").click()
    items.nth(1).get_by_role("button", name="Kirim laporan").click()
    expect(resident.get_by_role("status")).to_contain_text("Kode lacak:")
    assert Report.objects.count() == 1
    assert offsite_requests == []
