"""portal/map.js in real headless Chromium on a phone-sized screen: the kelurahan basemap, the
location picker of a report form and the markers of a report map, all without any request
leaving the site."""

import os
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from kotacerdas.portal.tests.browser import CHROMIUM, LAUNCH_ARGS, PHONE, SKIP_REASON, horizontal_overflow
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.queries import locate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server's thread must see the test's rows
    pytest.mark.urls("kotacerdas.regions.tests.map_urls"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=SKIP_REASON),
]

TIMEOUT_MS = 15_000
PAGE = "/uji/peta/"
ALUN_ALUN = {"latitude": -8.0985, "longitude": 112.1681}  # Alun-alun Kota Blitar


# The same fixtures as kotacerdas/portal/tests/test_browser.py (see there for the why).
@pytest.fixture(scope="module")
def browser():
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
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE,
                                      has_touch=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def wilayah():
    regions_load_reference()


@pytest.fixture
def offsite_requests():
    """Every request a page makes to a host other than the live server; should stay empty."""
    return []


@pytest.fixture
def page(new_page, live_server, offsite_requests):
    page = new_page()
    site = urlsplit(live_server.url).netloc
    page.on("request", lambda request: urlsplit(request.url).netloc == site
            or offsite_requests.append(request.url))
    return page


def city_drawn(page, map_id: str) -> None:
    """Wait until the map shows the 21 kelurahan; map.js fits the view in the same step."""
    expect(page.locator(f"{map_id} path.map-boundary")).to_have_count(21)


def picked(page) -> tuple[float, float]:
    return float(page.input_value("#id_lat")), float(page.input_value("#id_lon"))


def test_both_maps_draw_the_21_kelurahan_without_leaving_the_site(page, wilayah, offsite_requests):
    page.goto(PAGE)

    for map_id in ("#picker", "#reports"):
        city_drawn(page, map_id)
        assert page.locator(f"{map_id} .leaflet-overlay-pane path").count() >= 21  # and the markers
    expect(page.locator("#picker .leaflet-control-attribution")).to_contain_text("Cahya DSN")
    assert page.locator("#picker .leaflet-tile").count() == 0  # no tile layer unless data-tiles says so
    page.wait_for_load_state("networkidle")
    assert offsite_requests == []
    assert horizontal_overflow(page) == 0


def test_tiles_load_only_from_the_template_the_page_gives(page, wilayah, offsite_requests):
    page.goto(f"{PAGE}?tiles=1")

    expect(page.locator("#picker img.leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator("#picker .leaflet-control-attribution")).to_contain_text("© Ubin uji")
    expect(page.locator("#picker .leaflet-control-attribution")).to_contain_text("Cahya DSN")
    assert page.locator("#reports .leaflet-tile").count() == 0
    assert offsite_requests == []


def test_kelurahan_name_shows_on_hover(page, wilayah):
    page.goto(PAGE)
    city_drawn(page, "#picker")

    page.locator("#picker path.map-boundary").first.hover(force=True)

    expect(page.locator("#picker .leaflet-tooltip")).to_have_count(1)
    assert page.locator("#picker .leaflet-tooltip").inner_text().strip() != ""


def test_tapping_the_map_fills_the_coordinates_with_a_point_in_kota_blitar(page, wilayah, offsite_requests):
    page.goto(PAGE)
    city_drawn(page, "#picker")
    expect(page.locator("#id_lat")).to_have_value("")

    page.locator("#picker").tap()  # the centre of the fitted city

    expect(page.locator("#id_lat")).not_to_have_value("")
    lat, lon = picked(page)
    assert locate(lat, lon) is not None, (lat, lon)
    assert len(page.input_value("#id_lat").split(".")[1]) == 6
    assert len(page.input_value("#id_lon").split(".")[1]) == 6
    expect(page.locator("#picker .map-pin")).to_have_count(1)
    assert offsite_requests == []


def test_dragging_the_pin_moves_the_coordinates(page, wilayah):
    page.goto(PAGE)
    city_drawn(page, "#picker")
    page.locator("#picker").click()
    expect(page.locator("#id_lat")).not_to_have_value("")
    before = picked(page)

    pin = page.locator("#picker .map-pin").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y + 30, steps=5)
    page.mouse.up()

    expect(page.locator("#id_lat")).not_to_have_value(f"{before[0]:.6f}")
    lat, lon = picked(page)
    assert lat < before[0] and lon > before[1]  # down is south, right is east
    expect(page.locator("#picker .map-pin")).to_have_count(1)


def test_coordinates_already_in_the_form_show_as_the_pin(page, wilayah):
    page.goto(f"{PAGE}?lat=-8.098500&lon=112.168100")

    expect(page.locator("#picker .map-pin")).to_have_count(1)
    pin = page.locator("#picker .map-pin").bounding_box()
    box = page.locator("#picker").bounding_box()
    # The map centres on an existing pin (its tip at the centre of the map).
    assert abs(pin["x"] + pin["width"] / 2 - (box["x"] + box["width"] / 2)) < 3
    assert abs(pin["y"] + pin["height"] - (box["y"] + box["height"] / 2)) < 3
    assert picked(page) == (-8.0985, 112.1681)


def test_typing_coordinates_moves_the_pin(page, wilayah):
    page.goto(PAGE)
    city_drawn(page, "#picker")
    expect(page.locator("#picker .map-pin")).to_have_count(0)

    page.fill("#id_lat", "-8,0985")  # a decimal comma, as Indonesian keyboards offer
    page.fill("#id_lon", "112.1681")
    page.locator("#id_lon").dispatch_event("change")

    expect(page.locator("#picker .map-pin")).to_have_count(1)
    expect(page.locator("#id_lat")).to_have_value("-8,0985")  # what the resident typed stays


def test_locate_button_puts_the_pin_at_the_phones_position(new_page, wilayah):
    page = new_page(geolocation=ALUN_ALUN, permissions=["geolocation"])
    page.goto(PAGE)
    locate_button = page.get_by_role("button", name="Pakai lokasi saya")

    locate_button.click()

    expect(page.locator("#id_lat")).to_have_value("-8.098500")
    expect(page.locator("#id_lon")).to_have_value("112.168100")
    expect(page.locator("#picker .map-pin")).to_have_count(1)
    expect(page.get_by_role("status")).to_have_text("")


def test_locate_says_so_when_the_phone_refuses_its_position(new_page, wilayah):
    page = new_page()  # no geolocation permission: Chromium refuses without asking
    page.goto(PAGE)

    page.get_by_role("button", name="Pakai lokasi saya").click()

    expect(page.get_by_role("status")).to_have_text("Izin lokasi ditolak.")
    expect(page.locator("#id_lat")).to_have_value("")


def test_markers_open_a_popup_linking_to_the_report(page, live_server, wilayah, offsite_requests):
    page.goto(PAGE)
    city_drawn(page, "#reports")
    expect(page.locator("#reports path.map-point")).to_have_count(3)
    expect(page.locator("#reports path.map-status-resolved.map-category-Drainase")).to_have_count(1)

    page.locator("#reports path.map-status-in_progress").click(force=True)

    link = page.locator("#reports .leaflet-popup a[href$='/laporan/2/']")
    expect(link).to_have_text("Lampu jalan <b>mati</b>")  # the title's markup stays text
    link.click()
    expect(page).to_have_url(f"{live_server.url}/laporan/2/")
    assert offsite_requests == []


def test_a_filter_event_reloads_the_markers(page, wilayah):
    page.goto(PAGE)
    city_drawn(page, "#reports")
    expect(page.locator("#reports path.map-point")).to_have_count(3)

    page.evaluate("""() => document.querySelector("#reports").dispatchEvent(new CustomEvent(
        "kc:filters-changed", {detail: {url: "/uji/peta/titik.geojson?status=resolved"}}))""")

    expect(page.locator("#reports path.map-point")).to_have_count(1)
    expect(page.locator("#reports path.map-status-resolved")).to_have_count(1)
    expect(page.locator("#reports .leaflet-overlay-pane path")).to_have_count(21 + 1)


def test_without_javascript_the_form_keeps_its_inputs_and_hides_the_empty_map(new_page, wilayah):
    page = new_page(java_script_enabled=False)
    page.goto(PAGE)

    expect(page.locator("#id_lat")).to_be_editable()
    expect(page.locator("#id_lon")).to_be_editable()
    expect(page.locator("#picker")).to_be_hidden()
    expect(page.get_by_role("button", name="Pakai lokasi saya")).to_be_hidden()


def test_without_leaflet_the_empty_maps_are_hidden_and_the_inputs_still_work(page, wilayah):
    page.route("**/leaflet.js", lambda route: route.abort())
    page.goto(PAGE)

    expect(page.locator("#picker")).to_be_hidden()
    expect(page.locator("#reports")).to_be_hidden()
    page.fill("#id_lat", "-8.0985")
    expect(page.locator("#id_lat")).to_have_value("-8.0985")


def centre_of(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_data_center_shows_that_place_instead_of_the_whole_city(page, wilayah):
    page.goto(f"{PAGE}?center=-8.0985,112.1681")  # where "Jalan berlubang" was reported
    city_drawn(page, "#reports")
    expect(page.locator("#reports path.map-status-submitted")).to_have_count(1)

    marker_x, marker_y = centre_of(page, "#reports path.map-status-submitted")
    map_x, map_y = centre_of(page, "#reports")
    assert abs(marker_x - map_x) < 3 and abs(marker_y - map_y) < 3


def test_a_localised_data_center_is_ignored_and_the_city_shown(page, wilayah):
    page.goto(f"{PAGE}?center=-8,0985,112,1681")  # Indonesian decimals: ambiguous, so refused
    city_drawn(page, "#reports")
    expect(page.locator("#reports path.map-point")).to_have_count(3)

    box = page.locator("#reports").bounding_box()
    for index in range(3):
        x, y = centre_of(page, f"#reports path.map-point >> nth={index}")
        assert box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]
