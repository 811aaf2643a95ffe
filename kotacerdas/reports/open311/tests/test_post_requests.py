"""Spec §1.5 POST Service Request, with the spec's own example adapted to Kota Blitar, and
the FixMyStreet variants (attribute[x][], public_anonymity_required, uploaded photos)."""

import pytest
from django.test import Client

from kotacerdas.accounts.models import ApiKey
from kotacerdas.audit.models import AuditEntry
from kotacerdas.reports.models import Category, Privacy, Report
from kotacerdas.reports.open311.tests.conftest import BASE, INSIDE, KAUMAN, OUTSIDE, Open311Client, jpeg

# The spec's example request (GeoReport v2 §POST Service Request), with Blitar values.
SPEC_EXAMPLE = (
    "api_key={key}&jurisdiction_id=blitarkota.go.id&service_code=jalan-rusak"
    "&lat=-8.0953&long=112.1612&address_string=Jl.+Merdeka+depan+Alun-alun"
    "&email=budi%40contoh.test&device_id=tt222111&account_id=123456&first_name=Budi"
    "&last_name=Santoso&phone=081234567890&description=Lubang+besar+di+jalan+merusak+motor"
    "&media_url=http%3A%2F%2Ffoto.contoh.test%2F2002%2F2212426634_5ed477a060.jpg"
    "&attribute[ukuran]=besar"
)


def form(api_key: str, **fields) -> dict:
    return {"api_key": api_key, "service_code": "jalan-rusak", **INSIDE,
            "description": "Jalan berlubang dalam di depan Alun-alun.", **fields}


def test_the_spec_example_creates_a_report_and_answers_with_its_id(api, api_key, fmt):
    answer = api.post_form("requests", fmt, SPEC_EXAMPLE.format(key=api_key))

    assert answer.status == 200, answer.body
    [created] = answer.data
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    report = Report.objects.get()
    assert created["service_request_id"] == report.case.tracking_code
    assert created["account_id"] is None
    assert report.case.tracking_code in created["service_notice"]
    assert report.category.code == "jalan-rusak"
    assert report.kelurahan.code == KAUMAN
    assert (report.lat, report.lon) == (-8.0953, 112.1612)
    assert report.address == "Jl. Merdeka depan Alun-alun"
    assert report.description == "Lubang besar di jalan merusak motor"
    assert report.attributes == {
        "ukuran": "besar",
        "media_url": "http://foto.contoh.test/2002/2212426634_5ed477a060.jpg",
    }
    assert report.channel == "open311"
    assert report.privacy == Privacy.PUBLIC
    assert report.reporter is None  # nobody with that e-mail has an account
    assert report.case.agency.code == "dpupr"


def test_the_answer_xml_is_service_requests_of_one_request_without_a_token(api, api_key):
    root = api.post_form("requests", "xml", SPEC_EXAMPLE.format(key=api_key)).root

    assert root.tag == "service_requests"
    [request] = root
    assert request.tag == "request"
    assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]
    assert request.find("token") is None  # service_request_id or token, never both
    assert request.find("account_id").text is None  # <account_id/>


def test_the_partner_is_recorded_in_the_audit_trail(api, api_key):
    api.post("requests", "json", form(api_key))

    entry = AuditEntry.objects.get(action="open311_request")
    assert "FixMyStreet Blitar" in str(entry.changes)


def test_indonesian_text_round_trips(api, api_key, fmt):
    text = "Got mampet di Jl. Kenari — airnya meluap ke rumah warga. “Bau sekali”, kata Bu RT. ✓"

    answer = api.post("requests", fmt, form(api_key, description=text))

    code = answer.data[0]["service_request_id"]
    assert Report.objects.get(case__tracking_code=code).description == text
    assert api.get(f"requests/{code}", fmt).data[0]["description"] == text


@pytest.mark.parametrize("key", [None, "", "kck_not-a-key"])
def test_missing_or_wrong_api_key_is_403(api, api_key, fmt, key):
    data = form(api_key)
    if key is None:
        del data["api_key"]
    else:
        data["api_key"] = key

    answer = api.post("requests", fmt, data)

    assert answer.status == 403
    assert str(answer.data[0]["code"]) == "403"
    assert "api_key" in answer.data[0]["description"]
    assert not Report.objects.exists()


def test_a_revoked_key_is_403(api, api_key):
    from django.utils import timezone

    ApiKey.objects.update(revoked_at=timezone.now())

    assert api.post("requests", "json", form(api_key)).status == 403


def test_the_key_is_not_taken_from_the_query_string(client, api_key):
    data = {"service_code": "jalan-rusak", **INSIDE}
    response = client.post(f"{BASE}/requests.json?api_key={api_key}", data)

    assert response.status_code == 403


def test_missing_service_code_is_400_and_unknown_is_404(api, api_key, fmt):
    assert api.post("requests", fmt, form(api_key, service_code="")).status == 400
    answer = api.post("requests", fmt, form(api_key, service_code="jalan-tol"))
    assert answer.status == 404
    assert "jalan-tol" in answer.data[0]["description"]


def test_another_jurisdiction_is_404(api, api_key, fmt):
    assert api.post("requests", fmt, form(api_key, jurisdiction_id="sfgov.org")).status == 404
    assert api.post("requests", fmt, form(api_key, jurisdiction_id="blitarkota.go.id")).status == 200


@pytest.mark.parametrize(
    ("location", "says"),
    [
        ({}, "lat"),
        ({"lat": "-8.0953"}, "long"),
        ({"long": "112.1612"}, "lat"),
        ({"lat": "selatan", "long": "112.1612"}, "decimal"),
        ({"lat": "nan", "long": "112.1612"}, "decimal"),
        ({"address_string": "Jl. Merdeka No. 1"}, "address_id"),
        ({"address_id": "99999"}, "99999"),
    ],
)
def test_a_post_without_a_complete_location_is_400(api, api_key, fmt, location, says):
    data = form(api_key)
    del data["lat"], data["long"]
    data.update(location)

    answer = api.post("requests", fmt, data)

    assert answer.status == 400
    assert says in answer.data[0]["description"]
    assert not Report.objects.exists()


def test_empty_lat_long_count_as_absent(api, api_key):
    answer = api.post("requests", "json", form(api_key, lat="", long="", address_id=KAUMAN))

    assert answer.status == 200


@pytest.mark.parametrize("address_id", [KAUMAN, "3572011004"])
def test_a_kelurahan_code_as_address_id_files_the_report_at_its_centre(api, api_key, address_id):
    data = form(api_key, address_id=address_id, address_string="Gang Mawar, dekat masjid")
    del data["lat"], data["long"]

    answer = api.post("requests", "json", data)

    assert answer.status == 200, answer.body
    report = Report.objects.get()
    assert report.kelurahan.code == KAUMAN
    assert (report.lat, report.lon) == (report.kelurahan.centroid_lat, report.kelurahan.centroid_lon)
    assert report.address == "Gang Mawar, dekat masjid"
    assert "Kauman" in answer.data[0]["service_notice"]


def test_a_point_outside_the_city_is_400(api, api_key, fmt):
    answer = api.post("requests", fmt, form(api_key, **OUTSIDE))

    assert answer.status == 400
    assert "luar wilayah Kota Blitar" in answer.data[0]["description"]
    assert "outside Kota Blitar" in answer.data[0]["description"]


def test_description_is_optional_and_at_most_4000_characters(api, api_key):
    data = form(api_key)
    del data["description"]
    assert api.post("requests", "json", data).status == 200
    assert Report.objects.get().description == "Jalan rusak atau berlubang"

    answer = api.post("requests", "json", form(api_key, description="x" * 4001))
    assert answer.status == 400
    assert "4000" in answer.data[0]["description"]


def test_attributes_single_and_multi_value(api, api_key, rubbish, fmt):
    body = (
        f"api_key={api_key}&service_code=sampah-tidak-diangkut&lat=-8.0953&long=112.1612"
        "&description=Sampah+menumpuk+tiga+hari&attribute[jenis][]=organik&attribute[jenis][]=plastik"
        "&attribute[tps]=ya&attribute[sejak]=2026-11-25T07:00:00%2B07:00&attribute[karung]=12"
        "&attribute[catatan]=Baris+satu%0ABaris+dua&attribute[tidak_dikenal]=abaikan"
    )

    answer = api.post_form("requests", fmt, body)

    assert answer.status == 200, answer.body
    assert Report.objects.get().attributes == {
        "jenis": ["organik", "plastik"],
        "tps": "ya",
        "sejak": "2026-11-25T07:00:00+07:00",
        "karung": 12.0,
        "catatan": "Baris satu\nBaris dua",
    }


def test_a_list_sent_as_a_repeated_key_without_brackets_counts_too(api, api_key, rubbish):
    data = form(api_key, service_code="sampah-tidak-diangkut")
    data["attribute[jenis]"] = ["organik", "b3"]
    data["attribute[tps]"] = "tidak"

    assert api.post("requests", "json", data).status == 200
    assert Report.objects.get().attributes["jenis"] == ["organik", "b3"]


def test_required_and_listed_attributes_are_checked_all_at_once(api, api_key, rubbish, fmt):
    data = form(api_key, service_code="sampah-tidak-diangkut")
    data["attribute[jenis][]"] = ["organik", "kaca"]  # kaca is not a listed value
    data["attribute[sejak]"] = "kemarin sore"
    data["attribute[karung]"] = "banyak"
    # tps (required) is missing; the location is incomplete too.
    del data["long"]

    answer = api.post("requests", fmt, data)

    assert answer.status == 400
    described = " | ".join(error["description"] for error in answer.data)
    for parameter in ["long", "attribute[jenis]", "attribute[tps]", "attribute[sejak]", "attribute[karung]"]:
        assert parameter in described
    assert {str(error["code"]) for error in answer.data} == {"400"}
    assert not Report.objects.exists()


def test_empty_attribute_values_count_as_absent(api, api_key, rubbish):
    data = form(api_key, service_code="sampah-tidak-diangkut", **{"attribute[tps]": "ya"})
    data["attribute[jenis][]"] = ["", "plastik"]
    data["attribute[karung]"] = ""

    assert api.post("requests", "json", data).status == 200
    assert Report.objects.get().attributes == {"jenis": ["plastik"], "tps": "ya"}


@pytest.mark.parametrize(("flag", "privacy"), [("TRUE", Privacy.ANONYMOUS), ("true", Privacy.ANONYMOUS),
                                               ("FALSE", Privacy.PUBLIC), ("", Privacy.PUBLIC)])
def test_mysociety_public_anonymity_required_makes_the_report_anonymous(api, api_key, flag, privacy):
    api.post("requests", "json", form(api_key, public_anonymity_required=flag))

    assert Report.objects.get().privacy == privacy


def test_a_verified_email_attaches_the_report_to_the_residents_account(api, api_key, city):
    answer = api.post("requests", "json", form(api_key, email="ALICE@warga.test", first_name="Alice"))

    report = Report.objects.get()
    assert report.reporter == city.alice
    assert report.case.citizen == city.alice
    assert answer.data[0]["account_id"] is None
    assert b"alice" not in answer.body.lower()


def test_a_verified_phone_attaches_the_report_however_it_is_typed(api, api_key, city):
    city.alice.phone_verified = True
    city.alice.save()

    api.post("requests", "json", form(api_key, phone="0812-0000-0001"))

    assert Report.objects.get().reporter == city.alice


def test_an_unverified_email_or_phone_attaches_nothing(api, api_key, city):
    city.bob.email_verified = False
    city.bob.save()

    api.post("requests", "json", form(api_key, email="bob@warga.test", phone="+6281200000001"))

    assert Report.objects.get().reporter is None  # Alice's phone is not verified either


def test_an_officers_email_attaches_nothing(api, api_key, city):
    api.post("requests", "json", form(api_key, email=city.outsider.email))

    assert Report.objects.get().reporter is None


def test_the_answer_does_not_tell_whether_an_account_exists(api, api_key, city):
    known = api.post("requests", "json", form(api_key, email="alice@warga.test"))
    unknown = api.post("requests", "json", form(api_key, email="nobody@warga.test"))

    assert known.data[0].keys() == unknown.data[0].keys()
    assert known.data[0]["account_id"] is unknown.data[0]["account_id"] is None


@pytest.mark.parametrize(
    ("media_url", "kept"),
    [
        ("https://foto.contoh.test/a.jpg", True),
        ("http://foto.contoh.test/a.jpg", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("ftp://foto.contoh.test/a.jpg", False),
        ("", False),
    ],
)
def test_media_url_is_kept_as_a_link_only_when_it_is_http(api, api_key, media_url, kept):
    answer = api.post("requests", "json", form(api_key, media_url=media_url))

    assert answer.status == 200
    assert (Report.objects.get().attributes.get("media_url") == media_url) is kept


def test_photos_uploaded_in_a_multipart_post_are_stored_like_the_web_forms(api, api_key):
    data = form(api_key)
    data["photo1"] = jpeg()

    answer = api.post("requests", "json", data)

    assert answer.status == 200, answer.body
    photo = Report.objects.get().photos.get()
    assert (photo.width, photo.height) == (40, 30)


def test_post_needs_no_csrf_token(api_key, city):
    csrf_client = Open311Client(Client(enforce_csrf_checks=True))

    assert csrf_client.post("requests", "json", form(api_key)).status == 200


def test_inactive_service_takes_no_reports(api, api_key):
    Category.objects.filter(code="jalan-rusak").update(is_active=False)

    assert api.post("requests", "json", form(api_key)).status == 404


def test_a_retried_post_returns_the_first_report(api, api_key, fmt):
    first = api.post("requests", fmt, form(api_key))
    again = api.post("requests", fmt, form(api_key))

    assert first.status == again.status == 200
    assert first.data[0]["service_request_id"] == again.data[0]["service_request_id"]
    assert Report.objects.count() == 1
    assert AuditEntry.objects.filter(action="open311_request").count() == 1


def test_a_different_report_is_not_taken_for_a_retry(api, api_key):
    api.post("requests", "json", form(api_key))
    api.post("requests", "json", form(api_key, description="Lampu jalan mati sejak kemarin malam."))

    assert Report.objects.count() == 2


def test_an_idempotency_key_header_decides_alone(api, api_key):
    one = api.post("requests", "json", form(api_key), HTTP_IDEMPOTENCY_KEY="abc-1")
    changed = api.post("requests", "json", form(api_key, description="Teks diperbaiki klien."),
                       HTTP_IDEMPOTENCY_KEY="abc-1")
    other = api.post("requests", "json", form(api_key), HTTP_IDEMPOTENCY_KEY="abc-2")

    assert one.data[0]["service_request_id"] == changed.data[0]["service_request_id"]
    assert other.data[0]["service_request_id"] != one.data[0]["service_request_id"]
