"""Who is shown where (SP4N-LAPOR!): an anonymous report is public without its reporter, a
confidential one is not public at all, and a public reporter appears only as a first name
and an initial."""

import pytest
from django.test import Client

from kotacerdas.reports import actions, queries
from kotacerdas.reports.models import Privacy
from kotacerdas.reports.tests.conftest import (
    ALICE_PRIVATE,
    IN_CITY,
    answered,
    html,
    make_resident,
    photo,
    resident_browser,
)


def public_pages(code: str, category_code: str) -> dict[str, str]:
    """Every public place a report shows up, as an anonymous visitor sees it."""
    visitor = Client()
    lat, lon = IN_CITY
    paths = {
        "list": "/pengaduan/",
        "rows": "/pengaduan/?status=open",
        "report": f"/pengaduan/{code}/",
        "geojson": "/pengaduan/peta.geojson",
        "feed": "/pengaduan/feed.atom",
        "statistics": "/pengaduan/statistik/",
        "nearby": f"/pengaduan/sekitar/?category={category_code}&lat={lat}&lon={lon}",
        "track": f"/lacak/?code={code}",
        "api": f"/api/v1/cases/{code}",
    }
    pages = {}
    for name, path in paths.items():
        headers = {"HX-Request": "true"} if name == "rows" else {}
        response = visitor.get(path, headers=headers)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = html(response)
    return pages


# --- Anonymous: the report is public, the reporter is not ---------------------------------------------


@pytest.fixture
def anonymous_report(submit, personas):
    report = submit(personas.alice, privacy=Privacy.ANONYMOUS, photos=[photo()],
                    description="Petugas perekaman tidak datang ke balai kelurahan.")
    actions.report_support(report=report, user=personas.bob)
    answered(report, personas.operator, text="Kami jadwalkan ulang.")
    return report


def test_anonymous_reporters_details_appear_on_no_public_page(anonymous_report, category):
    code = anonymous_report.case.tracking_code
    pages = public_pages(code, category.code)
    assert "Petugas perekaman tidak datang" in pages["report"]
    assert "Anonim" in pages["report"]
    assert code in pages["list"] and code in pages["geojson"] and code in pages["track"]
    assert "Kami jadwalkan ulang." in pages["api"]
    for name, page in pages.items():
        for private in ALICE_PRIVATE:
            assert private not in page, (name, private)


def test_a_supporter_is_not_shown_either(anonymous_report, category):
    for name, page in public_pages(anonymous_report.case.tracking_code, category.code).items():
        assert "Prasetyo" not in page and "bob@warga.test" not in page, name


def test_officers_of_the_agency_see_who_reported(anonymous_report, personas, staff_client):
    browser = staff_client(personas.operator)
    page = html(browser.get(f"/staf/perkara/{anonymous_report.case.tracking_code}/"))
    assert "Alice Wulandari" in page
    assert "Anonim: laporan publik, identitas pelapor disembunyikan" in page


# --- A public reporter: first name and initial ---------------------------------------------------------


def test_a_public_reporter_appears_as_first_name_and_initial(submit, personas, category):
    report = submit(personas.bob, description="Antrean sampai ke jalan raya.")
    pages = public_pages(report.case.tracking_code, category.code)
    assert "Bob P." in pages["report"]
    for name, page in pages.items():
        assert "Prasetyo" not in page and "bob@warga.test" not in page, name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Bob Prasetyo", "Bob P."),
        ("Siti Nur Aisyah", "Siti A."),
        ("Sukarno", "Sukarno"),
        ("  ", "Warga"),
    ],
)
def test_public_name(submit, personas, name, shown):
    report = submit(personas.bob)
    personas.bob.name = name
    assert queries.public_name(report) == shown


def test_an_anonymous_or_confidential_report_has_no_public_name(submit, personas):
    assert queries.public_name(submit(personas.bob, privacy=Privacy.ANONYMOUS)) == "Anonim"
    assert queries.public_name(submit(personas.bob, privacy=Privacy.CONFIDENTIAL)) == "Anonim"


# --- Confidential: not public at all --------------------------------------------------------------


SECRET = "Ada pungutan liar di loket 3 oleh petugas berkacamata."


@pytest.fixture
def confidential(submit, personas):
    return submit(personas.alice, privacy=Privacy.CONFIDENTIAL, photos=[photo()], description=SECRET)


def test_a_confidential_report_appears_in_no_public_list_map_or_feed(confidential, submit, personas,
                                                                      category):
    code = confidential.case.tracking_code
    # A public report at the same place, there to show each page does list reports.
    ordinary = submit(personas.bob, description="Antrean panjang.").case.tracking_code
    visitor = Client()
    lat, lon = IN_CITY
    for path, headers in [
        ("/pengaduan/", {}),
        ("/pengaduan/", {"HX-Request": "true"}),
        (f"/pengaduan/?category={category.code}&kelurahan=35.72.01.1004", {}),
        ("/pengaduan/peta.geojson", {}),
        ("/pengaduan/feed.atom", {}),
        (f"/pengaduan/sekitar/?category={category.code}&lat={lat}&lon={lon}", {}),
    ]:
        page = html(visitor.get(path, headers=headers))
        assert ordinary in page, path
        assert code not in page, path
        assert "pungutan liar" not in page, path


@pytest.mark.parametrize("who", ["visitor", "bob", "outsider"])
def test_others_get_404_on_a_confidential_report_and_its_photo(confidential, personas, staff_client, who):
    if who == "visitor":
        browser = Client()
    elif who == "bob":
        browser = resident_browser(personas.bob)
    else:
        browser = staff_client(personas.outsider)
    code = confidential.case.tracking_code
    assert browser.get(f"/pengaduan/{code}/").status_code == 404
    assert browser.get(f"/pengaduan/foto/{confidential.photos.get().pk}/").status_code == 404


def test_a_confidential_report_cannot_be_followed_or_supported_by_others(confidential, personas):
    browser = resident_browser(personas.bob)
    code = confidential.case.tracking_code
    assert browser.post(f"/pengaduan/{code}/ikuti/").status_code == 404
    assert browser.post(f"/pengaduan/{code}/dukung/").status_code == 404
    assert not confidential.subscriptions.exists() and not confidential.supports.exists()


def test_the_reporter_opens_her_confidential_report_and_its_photo(confidential, personas):
    browser = resident_browser(personas.alice)
    code = confidential.case.tracking_code
    response = browser.get(f"/pengaduan/{code}/")
    assert response.status_code == 200
    page = html(response)
    assert SECRET in page
    assert "Laporan rahasia: hanya Anda dan petugas yang dapat melihatnya." in page
    served = browser.get(f"/pengaduan/foto/{confidential.photos.get().pk}/")
    assert served.status_code == 200
    assert served["Cache-Control"] == "private, no-store"


def test_responsible_officers_open_a_confidential_report(confidential, personas, staff_client):
    browser = staff_client(personas.kepala)
    code = confidential.case.tracking_code
    response = browser.get(f"/pengaduan/{code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/staf/perkara/{code}/"
    page = html(browser.get(response["Location"]))
    assert SECRET in page and "Alice Wulandari" in page
    assert browser.get(f"/pengaduan/foto/{confidential.photos.get().pk}/").status_code == 200


def test_an_answered_confidential_report_stays_private(confidential, personas, category):
    answered(confidential, personas.operator, text="Petugas loket 3 sudah diperiksa Inspektorat.")
    visitor = Client()
    assert visitor.get(f"/pengaduan/{confidential.case.tracking_code}/").status_code == 404
    paths = ["/pengaduan/", "/pengaduan/peta.geojson", "/pengaduan/feed.atom", "/pengaduan/?status=closed"]
    for path in paths:
        assert confidential.case.tracking_code not in html(visitor.get(path)), path


def test_a_rejected_report_is_not_public(submit, personas):
    report = submit(personas.bob, description="Promo pinjaman online, hubungi 0899.")
    actions.report_reject(report=report, actor=personas.operator, reason="Iklan.")
    visitor = Client()
    assert visitor.get(f"/pengaduan/{report.case.tracking_code}/").status_code == 404
    assert "pinjaman online" not in html(visitor.get("/pengaduan/"))
    assert report.case.tracking_code not in html(visitor.get("/pengaduan/peta.geojson"))


def test_support_on_a_confidential_report_is_refused_by_the_action(confidential):
    carol = make_resident("Carol Susanti", "carol@warga.test")
    with pytest.raises(actions.ReportError):
        actions.report_support(report=confidential, user=carol)
