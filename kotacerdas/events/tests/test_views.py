import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from kotacerdas.events import actions
from kotacerdas.events.models import Material, Registration

Status = Registration.Status
pytestmark = pytest.mark.django_db


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def happening(make_event):
    """An event under way: the door is open and registration still is."""
    return make_event(starts_at=timezone.now() - timedelta(minutes=30),
                      registration_closes_at=timezone.now() + timedelta(hours=1))


def test_agenda_lists_upcoming_and_past_in_budgeted_queries(client, personas, make_event,
                                                            django_assert_num_queries):
    for _n in range(3):
        make_event()
    past = make_event(starts_at=timezone.now() - timedelta(days=30), title="Rapat koordinasi lalu")
    hidden = make_event(is_public=False, title="Rapat internal OPD")
    with django_assert_num_queries(2):
        response = client.get("/agenda/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Sosialisasi KTP digital") == 3
    assert past.title in page
    assert hidden.title not in page


def test_closed_event_page_is_404_for_residents(client, personas, make_event):
    event = make_event(is_public=False)
    client.force_login(personas.alice)
    assert client.get(f"/agenda/{event.slug}/").status_code == 404
    assert client.post(f"/agenda/{event.slug}/daftar/").status_code == 404


def test_anonymous_visitor_is_asked_to_log_in_to_register(client, personas, make_event):
    event = make_event()
    response = client.get(f"/agenda/{event.slug}/")
    assert "Masuk untuk mendaftar" in response.content.decode()
    response = client.post(f"/agenda/{event.slug}/daftar/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_register_shows_the_ticket_qr_and_a_full_event_offers_the_waitlist(client, personas, make_event):
    event = make_event(capacity=1)
    client.force_login(personas.alice)
    response = client.post(f"/agenda/{event.slug}/daftar/", follow=True)
    page = response.content.decode()
    assert "Anda terdaftar" in page and "<svg" in page
    client.force_login(personas.bob)
    page = client.get(f"/agenda/{event.slug}/").content.decode()
    assert "Masuk daftar tunggu" in page
    page = client.post(f"/agenda/{event.slug}/daftar/", follow=True).content.decode()
    assert "urutan ke-1" in page
    page = client.get("/agenda/saya/").content.decode()
    assert event.title in page and "Daftar tunggu" in page


def test_cancel_from_the_event_page(client, personas, make_event):
    event = make_event()
    client.force_login(personas.alice)
    client.post(f"/agenda/{event.slug}/daftar/")
    page = client.post(f"/agenda/{event.slug}/batal/", follow=True).content.decode()
    assert "Pendaftaran dibatalkan" in page
    assert Registration.objects.get().status == Status.CANCELLED


def test_opening_the_ticket_link_does_not_check_in_only_the_button_does(staff_client, personas, happening):
    registration = actions.registration_create(event=happening, user=personas.alice)
    client = staff_client(personas.operator)
    url = f"/agenda/hadir/{registration.ticket_code}/"
    page = client.get(url).content.decode()
    assert "Alice Wulandari" in page and "Catat hadir" in page
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    page = client.post(url, follow=True).content.decode()
    assert "Kehadiran Alice Wulandari dicatat" in page and "Sudah hadir" in page
    page = client.post(url, follow=True).content.decode()
    assert "sudah dicatat sebelumnya" in page


def test_officer_of_other_agency_gets_404_on_ticket_and_staff_pages(staff_client, personas, happening):
    registration = actions.registration_create(event=happening, user=personas.alice)
    client = staff_client(personas.outsider)
    assert client.get(f"/agenda/hadir/{registration.ticket_code}/").status_code == 404
    assert client.post(f"/agenda/hadir/{registration.ticket_code}/").status_code == 404
    assert client.get(f"/agenda/staf/{happening.slug}/").status_code == 404
    assert client.get(f"/agenda/staf/{happening.slug}/kehadiran.csv").status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_resident_cannot_open_the_check_in_page(client, personas, happening):
    registration = actions.registration_create(event=happening, user=personas.alice)
    client.force_login(personas.bob)
    response = client.get(f"/agenda/hadir/{registration.ticket_code}/")
    assert response.status_code == 302


def test_unknown_ticket_is_404(staff_client, personas):
    assert staff_client(personas.operator).get("/agenda/hadir/tebakan/").status_code == 404


def test_attendance_csv_has_names_and_check_in_times_only(staff_client, personas, happening):
    personas.bob.name = "=HYPERLINK(\"http://x\")"
    personas.bob.save(update_fields=["name"])
    alice = actions.registration_create(event=happening, user=personas.alice)
    actions.registration_create(event=happening, user=personas.bob)
    actions.registration_check_in(registration=alice, actor=personas.operator)
    response = staff_client(personas.operator).get(f"/agenda/staf/{happening.slug}/kehadiran.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Nomor", "Nama", "Hadir (WIB)"]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Alice Wulandari"][2] == timezone.localtime(
        Registration.objects.get(pk=alice.pk).checked_in_at).strftime("%Y-%m-%d %H:%M")
    assert by_name["'=HYPERLINK(\"http://x\")"][2] == ""  # not a formula in a spreadsheet
    assert "3572034506900001" not in text  # Alice's NIK
    assert "@" not in text.replace("'=HYPERLINK", "")  # no e-mail addresses


def test_materials_are_for_registered_participants_and_must_be_pdf(
    client, staff_client, personas, make_event
):
    event = make_event(capacity=1)
    actions.registration_create(event=event, user=personas.alice)
    actions.registration_create(event=event, user=personas.bob)  # waitlisted
    officer = staff_client(personas.operator)
    bad = SimpleUploadedFile("materi.pdf", b"bukan pdf sama sekali", content_type="application/pdf")
    response = officer.post(f"/agenda/staf/{event.slug}/", {"title": "Materi", "file": bad}, follow=True)
    assert Material.objects.count() == 0
    good = SimpleUploadedFile("Paparan KTP digital.pdf", one_page_pdf(), content_type="application/pdf")
    response = officer.post(f"/agenda/staf/{event.slug}/", {"title": "Paparan", "file": good}, follow=True)
    assert "Materi ditambahkan" in response.content.decode()
    material = Material.objects.get()
    url = f"/agenda/{event.slug}/materi/{material.pk}/"

    client.logout()
    client.force_login(personas.alice)
    assert "Paparan" in client.get(f"/agenda/{event.slug}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == one_page_pdf()
    client.force_login(personas.bob)
    assert "Paparan" not in client.get(f"/agenda/{event.slug}/").content.decode()
    assert client.get(url).status_code == 404


def test_certificate_pdf_carries_a_code_the_public_page_confirms(client, personas, happening):
    registration = actions.registration_create(event=happening, user=personas.alice)
    client.force_login(personas.alice)
    assert client.get(f"/agenda/{happening.slug}/sertifikat/").status_code == 404  # not yet present
    registration, _first = actions.registration_check_in(registration=registration, actor=personas.operator)
    response = client.get(f"/agenda/{happening.slug}/sertifikat/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sertifikat kehadiran" in text
    assert "Alice Wulandari" in text and happening.title in text
    assert registration.certificate_code in text
    client.force_login(personas.bob)
    assert client.get(f"/agenda/{happening.slug}/sertifikat/").status_code == 404  # not his

    client.logout()
    page = client.get(f"/agenda/sertifikat/{registration.certificate_code}/").content.decode()
    assert "Sertifikat ini asli" in page
    assert happening.title in page and "Alice Wulandari" in page
    assert "3572034506900001" not in page and "alice@warga.test" not in page
    typed = client.get("/agenda/sertifikat/", {"code": registration.certificate_code.lower()})
    assert typed.status_code == 200
    assert client.get("/agenda/sertifikat/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/agenda/sertifikat/").status_code == 200


def test_event_slug_cannot_take_a_page_address(make_event):
    from django.core.exceptions import ValidationError

    event = make_event()
    event.slug = "saya"
    with pytest.raises(ValidationError):
        event.full_clean()


def test_my_registrations_in_one_query(client, personas, make_event, django_assert_num_queries):
    for _n in range(4):
        actions.registration_create(event=make_event(), user=personas.alice)
    client.force_login(personas.alice)
    client.get("/agenda/")  # warm the session and user caches
    # session, user, registrations with their events, and the menu asking whether she is staff
    with django_assert_num_queries(4):
        response = client.get("/agenda/saya/")
    assert response.content.decode().count("Sosialisasi KTP digital") == 4


def test_staff_page_lists_attendance_and_waitlist(staff_client, personas, make_event):
    event = make_event(capacity=1)
    actions.registration_create(event=event, user=personas.alice)
    actions.registration_create(event=event, user=personas.bob)
    page = staff_client(personas.kepala).get(f"/agenda/staf/{event.slug}/").content.decode()
    assert "Alice Wulandari" in page and "Bob Prasetyo" in page
    assert "Unduh daftar hadir (CSV)" in page
