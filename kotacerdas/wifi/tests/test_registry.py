"""The hotspot registry: checking, saving, CSV round trips, and the operators' pages, which
only Diskominfotik's staff may see."""

import csv
import hashlib
import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kotacerdas.agencies.models import Agency
from kotacerdas.audit.models import AuditEntry
from kotacerdas.conftest import make_staff
from kotacerdas.wifi import actions
from kotacerdas.wifi.errors import HotspotInvalid, ImportRejected
from kotacerdas.wifi.models import Health, Hotspot, Incident, ProbeResult

KAUMAN = "35.72.01.1004"
SENTUL = "35.72.01.1003"
IN_KAUMAN = ("-8.0953", "112.1612")


def html(response) -> str:
    """The page as a reader sees it (timesince joins number and unit with a no-break space)."""
    return unescape(response.content.decode()).replace("\xa0", " ")


def row(**fields) -> dict[str, str]:
    return {
        "code": "KMN-RW01", "name": "Balai RW 01 Kauman", "kelurahan": KAUMAN, "rw": "1", "rt": "",
        "lat": IN_KAUMAN[0], "lon": IN_KAUMAN[1], "management_address": "192.0.2.1", "probe_kind": "icmp",
    } | fields


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=actions.CSV_COLUMNS)
    writer.writeheader()
    for values in rows:
        writer.writerow({column: values.get(column, "") for column in actions.CSV_COLUMNS})
    return out.getvalue()


@pytest.fixture
def operator(city):
    """A Diskominfotik operator who is not a superuser: the agency, not the flag, decides."""
    return make_staff("Nina Jaringan", "nina@diskominfotik.test", Agency.objects.get(code="diskominfotik"),
                      "operator")


# --- Checking and saving ---------------------------------------------------------------------


def test_clean_names_every_bad_field(city):
    with pytest.raises(HotspotInvalid) as error:
        actions.clean_hotspot(row(code="", lat="-7.9", lon="112.6", rw="tiga", nas_ip="10.0.0.300",
                                  probe_kind="smoke", installed_on="1/4/2022", status="rusak"))
    assert set(error.value.errors) == {"code", "lat", "rw", "nas_ip", "probe_kind", "installed_on", "status"}


def test_clean_locates_the_kelurahan_when_left_empty(city):
    values = actions.clean_hotspot(row(kelurahan="", rw="3", rt="2"))
    assert values["kelurahan"].code == KAUMAN
    assert (values["rw"], values["rt"]) == ("03", "002")


def test_save_adds_then_changes_and_audits_both(city, personas):
    hotspot = actions.hotspot_save(actor=personas.admin, data=row())
    actions.hotspot_save(actor=personas.admin, data=row(name="Balai RW 01 Kauman (baru)"), hotspot=hotspot)
    hotspot.refresh_from_db()
    assert hotspot.name == "Balai RW 01 Kauman (baru)"
    entries = AuditEntry.objects.filter(object_id=str(hotspot.pk)).order_by("pk")
    assert [e.action for e in entries] == ["hotspot_add", "hotspot_change"]
    assert entries[1].actor == personas.admin


def test_save_refuses_a_code_another_point_has(city, personas, hotspot_factory):
    hotspot_factory("KMN-RW02")
    mine = actions.hotspot_save(actor=personas.admin, data=row())
    with pytest.raises(HotspotInvalid) as error:
        actions.hotspot_save(actor=personas.admin, data=row(code="KMN-RW02"), hotspot=mine)
    assert "code" in error.value.errors


# --- CSV -------------------------------------------------------------------------------------


def test_export_then_import_round_trip(city, personas, hotspot_factory):
    hotspot_factory("KMN-RW01", nas_identifier="rt-kauman-01", bandwidth_mbps="20", installed_on="2022-04-01",
                    backhaul="fiber optik", probe_port="8291")
    hotspot_factory("SNT-RW03", kelurahan="Sentul", status="maintenance", probe_kind="http",
                    management_address="http://10.72.3.1/status")
    exported = actions.hotspots_export_csv(Hotspot.objects.order_by("code"))

    assert actions.hotspots_import_csv(actor=personas.admin, content=exported) == {
        "added": 0, "changed": 0, "unchanged": 2}

    rows = list(csv.DictReader(io.StringIO(exported)))
    rows[0]["name"] = "Balai RW 01 Kauman (pindah)"
    rows.append(row(code="KMN-RW04", name="Pos Kamling RT 02 RW 04 Kauman", rw="4", rt="2"))
    counts = actions.hotspots_import_csv(actor=personas.admin, content=as_csv(rows).encode("utf-8-sig"))

    assert counts == {"added": 1, "changed": 1, "unchanged": 1}
    assert Hotspot.objects.get(code="KMN-RW01").name == "Balai RW 01 Kauman (pindah)"
    again = actions.hotspots_export_csv(Hotspot.objects.exclude(code="KMN-RW04").order_by("code"))
    assert list(csv.DictReader(io.StringIO(again)))[1] == rows[1]  # nothing lost on the way
    assert AuditEntry.objects.filter(action="hotspot_add").count() == 3


def test_import_is_all_or_nothing_and_names_the_lines(city, personas, hotspot_factory):
    hotspot_factory("KMN-RW01")
    content = as_csv([
        row(code="KMN-RW01", name="Nama baru"),  # line 2: fine
        row(code="KMN-RW05", lat="-7.9", lon="112.6"),  # line 3: outside the city
        row(code="KMN-RW01"),  # line 4: same code as line 2
        row(code="KMN-RW06", name=""),  # line 5: no name
    ])
    with pytest.raises(ImportRejected) as error:
        actions.hotspots_import_csv(actor=personas.admin, content=content)

    lines = [line for line, _message in error.value.errors]
    assert lines == [3, 4, 5]
    assert "baris 2" in error.value.errors[1][1]
    assert Hotspot.objects.count() == 1
    assert Hotspot.objects.get().name != "Nama baru"


# --- Who may run the network -----------------------------------------------------------------

STAFF_PAGES = ["/wifi/kelola/", "/wifi/kelola/ekspor.csv", "/wifi/kelola/impor/", "/wifi/kelola/tambah/",
               "/wifi/kelola/T-1/", "/wifi/kelola/T-1/ubah/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_resident_gets_404_on_staff_pages(client, personas, hotspot_factory, url):
    hotspot_factory("T-1")
    client.force_login(personas.alice)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_officer_of_other_agency_gets_404(staff_client, personas, hotspot_factory, url):
    hotspot_factory("T-1")
    assert staff_client(personas.outsider).get(url).status_code == 404


def test_officer_of_other_agency_cannot_make_a_device_key(staff_client, personas, hotspot_factory):
    hotspot = hotspot_factory("T-1")
    assert staff_client(personas.outsider).post("/wifi/kelola/T-1/kunci-perangkat/").status_code == 404
    hotspot.refresh_from_db()
    assert hotspot.device_key_hash == ""


def test_anonymous_is_sent_to_login(client, city):
    response = client.get("/wifi/kelola/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_admin_of_diskominfotik_gets_200(staff_client, personas, hotspot_factory, url):
    hotspot_factory("T-1")
    assert staff_client(personas.admin).get(url).status_code == 200


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_operator_of_diskominfotik_gets_200(staff_client, operator, hotspot_factory, url):
    hotspot_factory("T-1")
    assert staff_client(operator).get(url).status_code == 200


# --- The operators' pages --------------------------------------------------------------------


def test_manage_counts_health_filters_and_shows_open_incidents(staff_client, operator, hotspot_factory):
    hotspot_factory("KMN-RW01", health=Health.OK)
    down = hotspot_factory("SNT-RW03", kelurahan="Sentul", health=Health.CRITICAL)
    hotspot_factory("SNT-RW04", kelurahan="Sentul", health=Health.CRITICAL, status="retired")
    Incident.objects.create(hotspot=down, started_at=timezone.now() - timezone.timedelta(hours=2),
                            cause="timeout")
    client = staff_client(operator)

    page = html(client.get("/wifi/kelola/"))
    assert "Menyala: 1" in page and "Mati: 1" in page  # retired points are not counted
    assert "Gangguan yang masih berlangsung" in page and "2 jam" in page
    assert "3 titik" in page

    page = html(client.get("/wifi/kelola/", {"health": "critical", "status": "active"}))
    assert "SNT-RW03" in page and "KMN-RW01" not in page.split("Semua titik")[1]
    page = html(client.get("/wifi/kelola/", {"q": "kmn"}))
    assert "1 titik" in page
    page = html(client.get("/wifi/kelola/", {"kelurahan": SENTUL}))
    assert "2 titik" in page


def test_manage_table_queries_do_not_grow_with_the_hotspots(
    staff_client, operator, hotspot_factory, django_assert_num_queries
):
    for _ in range(2):
        Incident.objects.create(hotspot=hotspot_factory(health=Health.CRITICAL), started_at=timezone.now())
    client = staff_client(operator)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/wifi/kelola/").status_code == 200
    for _ in range(8):
        Incident.objects.create(hotspot=hotspot_factory(kelurahan="Sentul", health=Health.CRITICAL),
                                started_at=timezone.now())
    with django_assert_num_queries(len(few)):
        assert "10 titik" in html(client.get("/wifi/kelola/"))


def test_export_is_an_attachment_with_the_registry(staff_client, operator, hotspot_factory):
    hotspot_factory("KMN-RW01", nas_ip="10.72.1.1")
    response = staff_client(operator).get("/wifi/kelola/ekspor.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="titik-wifi-')
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.splitlines()[0] == ",".join(actions.CSV_COLUMNS)
    assert "KMN-RW01" in text and "10.72.1.1" in text


def test_import_page_lists_every_bad_line_and_changes_nothing(staff_client, operator, city):
    content = as_csv([row(), row(code="KMN-RW02", lat="abc"), row(code="KMN-RW03", status="rusak")])
    upload = SimpleUploadedFile("titik.csv", content.encode(), content_type="text/csv")
    response = staff_client(operator).post("/wifi/kelola/impor/", {"file": upload})
    assert response.status_code == 400
    page = html(response)
    assert "Baris 3: lat: Harus berupa angka." in page
    assert "Baris 4: status:" in page
    assert "Berkas CSV tidak diimpor" in page
    assert Hotspot.objects.count() == 0


def test_import_page_reports_the_counts(staff_client, operator, personas, city):
    actions.hotspot_save(actor=personas.admin, data=row())
    content = as_csv([row(), row(code="KMN-RW02", name="Balai RW 02 Kauman", rw="2")])
    upload = SimpleUploadedFile("titik.csv", content.encode(), content_type="text/csv")
    response = staff_client(operator).post("/wifi/kelola/impor/", {"file": upload}, follow=True)
    assert "Impor selesai: 1 titik ditambah, 0 diubah, 1 tidak berubah." in html(response)


def test_import_refuses_files_over_5_mb(staff_client, operator, city):
    upload = SimpleUploadedFile("besar.csv", b"code,name,lat,lon\n" + b"x" * (5 * 1024 * 1024), "text/csv")
    response = staff_client(operator).post("/wifi/kelola/impor/", {"file": upload})
    assert response.status_code == 400
    assert "paling besar 5 MB" in html(response)


def test_add_form_shows_errors_next_to_fields_and_keeps_what_was_typed(staff_client, operator, city):
    client = staff_client(operator)
    response = client.post("/wifi/kelola/tambah/", row(name="Balai RW 07 Kauman", lat="-7.9", lon="112.6",
                                                           nas_ip="nope"))
    assert response.status_code == 400
    page = html(response)
    assert "Koordinat ini berada di luar Kota Blitar." in page
    assert "Bukan alamat IP yang sah." in page
    assert 'value="Balai RW 07 Kauman"' in page and 'value="nope"' in page
    assert Hotspot.objects.count() == 0

    response = client.post("/wifi/kelola/tambah/", row(name="Balai RW 07 Kauman"))
    assert response.status_code == 302
    assert response["Location"] == "/wifi/kelola/KMN-RW01/"
    assert Hotspot.objects.get().name == "Balai RW 07 Kauman"
    assert AuditEntry.objects.filter(action="hotspot_add", actor=operator).count() == 1


def test_edit_form_starts_from_the_point_and_saves(staff_client, operator, hotspot_factory):
    hotspot_factory("KMN-RW01", name="Balai RW 01 Kauman", installed_on="2022-04-01")
    client = staff_client(operator)
    page = html(client.get("/wifi/kelola/KMN-RW01/ubah/"))
    assert 'value="Balai RW 01 Kauman"' in page and 'value="2022-04-01"' in page
    response = client.post("/wifi/kelola/KMN-RW01/ubah/", row(status="maintenance"))
    assert response.status_code == 302
    assert Hotspot.objects.get().status == "maintenance"


def test_staff_page_shows_probes_incidents_and_linked_reports(staff_client, operator, hotspot_factory):
    hotspot = hotspot_factory("KMN-RW01", health=Health.CRITICAL)
    ProbeResult.objects.create(hotspot=hotspot, kind="icmp", ok=False, error="timeout after 3 s")
    Incident.objects.create(hotspot=hotspot, started_at=timezone.now() - timezone.timedelta(days=1),
                            ended_at=timezone.now() - timezone.timedelta(hours=21), cause="timeout")
    link, _created = actions.hotspot_report_dead(hotspot=hotspot, reporter=None)
    page = html(staff_client(operator).get("/wifi/kelola/KMN-RW01/"))
    assert "timeout after 3 s" in page
    assert "3 jam" in page  # the closed incident's duration
    values = re.findall(r"<title>\d\d/\d\d: ([\d.,]+)</title>", page)
    bars = [float(v.replace(".", "").replace(",", ".")) for v in values]
    assert bars and min(bars) < 100 <= max(bars)  # the day of the outage stands out
    assert link.report.case.tracking_code in page
    assert "Buat kunci perangkat" in page


def test_device_key_is_shown_once_in_the_post_response(staff_client, operator, hotspot_factory):
    hotspot = hotspot_factory("KMN-RW01")
    client = staff_client(operator)
    response = client.post("/wifi/kelola/KMN-RW01/kunci-perangkat/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    key = re.search(r"kcw_[\w-]+", html(response)).group(0)
    hotspot.refresh_from_db()
    assert hotspot.device_key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in html(client.get("/wifi/kelola/KMN-RW01/"))
    assert AuditEntry.objects.filter(action="hotspot_device_key_rotate").count() == 1
    assert key not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_admin_lists_hotspots_and_never_shows_the_device_key_hash(staff_client, personas, hotspot_factory):
    hotspot = hotspot_factory("KMN-RW01", health=Health.CRITICAL)
    actions.hotspot_device_key_rotate(actor=personas.admin, hotspot=hotspot)
    Incident.objects.create(hotspot=hotspot, started_at=timezone.now())
    client = staff_client(personas.admin)
    assert "KMN-RW01" in html(client.get("/admin/wifi/hotspot/"))
    page = html(client.get(f"/admin/wifi/hotspot/{hotspot.pk}/change/"))
    assert hotspot.device_key_hash not in page and "device_key_hash" not in page
    assert 'name="health"' not in page  # the monitoring's to write
    assert client.get("/admin/wifi/incident/").status_code == 200
    assert client.get("/admin/wifi/incident/add/").status_code == 403


def test_admin_edit_is_audited(staff_client, personas, hotspot_factory):
    hotspot = hotspot_factory("KMN-RW01")
    client = staff_client(personas.admin)
    form = client.get(f"/admin/wifi/hotspot/{hotspot.pk}/change/").context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data |= {"name": "Balai RW 01 Kauman (admin)", "kelurahan": hotspot.kelurahan_id, "installed_on": ""}
    response = client.post(f"/admin/wifi/hotspot/{hotspot.pk}/change/", data)
    assert response.status_code == 302, html(response)
    assert AuditEntry.objects.filter(action="admin_change_hotspot", actor=personas.admin).count() == 1
