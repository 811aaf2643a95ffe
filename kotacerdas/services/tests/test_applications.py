"""Applying for a service: the data-defined form, drafts and uploads, submitting once, and
what a submission sets off (case, due date, notification, audit, receipt)."""

import re
from datetime import date
from html import unescape
from io import BytesIO

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.functional import Promise
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kotacerdas.audit.models import AuditEntry
from kotacerdas.cases.models import Case, CaseEvent, Status
from kotacerdas.cases.tests.conftest import wib
from kotacerdas.notifications.models import Message
from kotacerdas.services.errors import ApplicationInvalid
from kotacerdas.services.forms import clean_answers
from kotacerdas.services.models import Application, Draft, FormField, Service, Upload
from kotacerdas.services.tests.conftest import (
    CHILD_NIK,
    GPS_IFD,
    KAUMAN,
    SENTUL,
    answers,
    form_post,
    jpeg_with_gps,
    make_service,
    pdf_bytes,
    pdf_file,
    pdf_has_qr_of,
    pdf_text,
    png_bytes,
    png_file,
    resident_browser,
    text_named_pdf,
    too_large_png,
)

NEW_NIK = "3572014304880005"  # a woman born 3 April 1988; no persona has it


def html(response) -> str:
    return unescape(response.content.decode())


def check(service, **overrides) -> tuple[dict, dict]:
    values, errors = clean_answers(service.fields.all(), answers(**overrides), uploaded={"ktp": 1, "foto": 2})
    return values, {name: str(message) for name, message in errors.items()}


# --- The form is data: every field type checks its value -------------------------------------


def test_right_answers_are_cleaned_to_their_stored_form(service):
    values, errors = check(service, keperluan=None)
    assert errors == {}
    assert values == {
        "nama": "Alice Wulandari",
        "penghasilan": 1_500_000,
        "tanggal_lahir": "1990-06-05",
        "jenis": "Baru",
        "lampiran": ["KK", "Akta"],
        "nik_anak": CHILD_NIK,
        "hp": "+6281234567890",
        "alamat": {"kelurahan": SENTUL, "rw": "003", "rt": "002", "street": "Jl. Mawar 7"},
        "ktp": 1,
        "foto": 2,
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.500.000", 1_500_000), ("1500000", 1_500_000), ("2,5", 2.5), ("1.250.000,50", 1_250_000.5),
     ("  750 000 ", 750_000), ("0", 0)],
)
def test_numbers_are_read_the_indonesian_way(service, typed, stored):
    values, errors = check(service, penghasilan=typed)
    assert errors == {}
    assert values["penghasilan"] == stored


AMOUNT = FormField(name="jumlah", label="Jumlah", type=FormField.Type.NUMBER, rules={"min": 0})


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_any_amount_written_the_indonesian_way_reads_back(whole, cents):
    """Dots group thousands, a comma starts the decimals: 1.500.000 and 1.250.000,50."""
    grouped = f"{whole:,}".replace(",", ".")
    for typed, expected in ((grouped, whole), (f"{grouped},{cents:02d}", whole + cents / 100)):
        values, errors = clean_answers([AMOUNT], {"jumlah": typed}, uploaded={})
        assert errors == {}, typed
        assert values["jumlah"] == pytest.approx(expected), typed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0812 3456 7890", "+6281234567890"), ("+62 812-3456-7890", "+6281234567890"),
     ("6281234567890", "+6281234567890"), ("(0342) 801234", "+62342801234")],
)
def test_phone_numbers_are_normalised(service, typed, stored):
    values, errors = check(service, hp=typed)
    assert errors == {}
    assert values["hp"] == stored


def test_nik_may_be_typed_with_spaces_and_multichoice_keeps_the_form_order(service):
    values, errors = check(service, nik_anak="3572 0312 0315 0002", lampiran=["Ijazah", "KK", "KK"])
    assert errors == {}
    assert values["nik_anak"] == CHILD_NIK
    assert values["lampiran"] == ["KK", "Ijazah"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nama", "", "Wajib diisi."),
        ("nama", "   ", "Wajib diisi."),
        ("nama", "Al", "Terlalu pendek: paling sedikit 3 karakter."),
        ("nama", "A" * 201, "Terlalu panjang: paling banyak 200 karakter."),
        ("penghasilan", "satu juta", "Isi dengan angka."),
        ("penghasilan", "nan", "Isi dengan angka."),
        ("penghasilan", "-5", "Paling kecil 0."),
        ("penghasilan", "150.000.000", "Paling besar 100000000."),
        ("tanggal_lahir", "05-06-1990", "Isi tanggal dengan format TTTT-BB-HH, mis. 2026-08-17."),
        ("tanggal_lahir", "1990-02-30", "Isi tanggal dengan format TTTT-BB-HH, mis. 2026-08-17."),
        ("tanggal_lahir", "1850-01-01", "Tahun tidak masuk akal."),
        ("jenis", "Lama", "Pilih salah satu pilihan yang tersedia."),
        ("jenis", "", "Wajib diisi."),
        ("lampiran", ["KK", "Paspor"], "Pilih dari pilihan yang tersedia."),
        ("nik_anak", "12345", "NIK harus 16 digit angka."),
        ("nik_anak", "3572031203150000", "Nomor urut pada NIK (empat digit terakhir) tidak boleh 0000."),
        ("nik_anak", "3572031213150002", "Bulan lahir pada NIK (digit ke-9 dan ke-10) harus 01–12."),
        ("hp", "+1 202 555 0100", "Nomor telepon harus nomor Indonesia, diawali 0, 62, atau +62."),
        ("hp", "0812", "Nomor telepon tidak dikenali"),
        ("alamat", {"kelurahan": "35.15.01.1001", "rw": "1", "rt": "1", "street": "Jl. A"},
         "Pilih kelurahan di Kota Blitar."),
        ("alamat", {"kelurahan": "35.72.01", "rw": "1", "rt": "1", "street": "Jl. A"},
         "Pilih kelurahan di Kota Blitar."),
        ("alamat", {"kelurahan": SENTUL, "rw": "0", "rt": "1", "street": "Jl. A"},
         "Isi RW dan RT dengan angka, mis. RW 3 RT 2."),
        ("alamat", {"kelurahan": SENTUL, "rw": "3", "rt": "dua", "street": "Jl. A"},
         "Isi RW dan RT dengan angka, mis. RW 3 RT 2."),
        ("alamat", {"kelurahan": SENTUL, "rw": "3", "rt": "2", "street": ""},
         "Isi nama jalan dan nomor rumah."),
        ("alamat", {"kelurahan": "", "rw": "", "rt": "", "street": ""}, "Wajib diisi."),
        ("alamat", "Jl. Mawar 7, Sentul", "Alamat diisi sebagai kelurahan, RW, RT dan jalan."),
    ],
)
def test_wrong_answer_is_refused_with_an_indonesian_message(service, field, value, message):
    values, errors = check(service, **{field: value})
    assert list(errors) == [field]
    assert errors[field].startswith(message)
    assert field not in values
    # Every other answer is still kept, for the draft.
    assert {"nama", "hp", "alamat", "ktp"} - {field} <= set(values)


@pytest.mark.parametrize(
    ("field", "value"),
    [("nama", "Al"), ("nama", "A" * 201), ("penghasilan", "-5"), ("penghasilan", "150.000.000"),
     ("alamat", {"kelurahan": SENTUL, "rw": "3", "rt": "2", "street": "J" * 201}), ("nama", ""),
     ("nik_anak", "12345"), ("hp", "0812"), ("jenis", "Lama")],
)
def test_messages_are_translated_when_shown_not_when_checked(service, field, value):
    """The API gives each message in Indonesian and English, and a page in its reader's
    language: a message with a number in it must not be fixed in one language early."""
    with translation.override("en"):
        _values, errors = clean_answers(service.fields.all(), answers(**{field: value}), uploaded={})
    assert isinstance(errors[field], Promise), errors[field]


def test_date_rules_follow_the_day_in_blitar(service):
    with time_machine.travel(wib(2026, 8, 17, 9), tick=False):
        assert check(service, tanggal_lahir="2026-08-17")[1] == {}
        assert check(service, tanggal_lahir="2026-08-18")[1] == {
            "tanggal_lahir": "Tanggal tidak boleh di masa depan."
        }
    future = service.fields.get(name="tanggal_lahir")
    future.rules = {"date": "future"}
    future.save()
    with time_machine.travel(wib(2026, 8, 17, 9), tick=False):
        assert check(service, tanggal_lahir="2026-08-17")[1] == {}
        assert check(service, tanggal_lahir="2026-08-16")[1] == {
            "tanggal_lahir": "Tanggal tidak boleh sudah lewat."
        }


def test_missing_required_file_and_empty_optional_fields(service):
    values, errors = clean_answers(
        service.fields.all(), answers(keperluan="", lampiran=[]), uploaded={"foto": 5}
    )
    assert {name: str(m) for name, m in errors.items()} == {"ktp": "Unggah berkas ini."}
    assert "keperluan" not in values and "lampiran" not in values
    assert values["foto"] == 5


def test_web_form_shows_every_error_in_indonesian_and_keeps_what_was_typed(client, service, personas):
    client.force_login(personas.alice)
    post = form_post(hp="12345", penghasilan="sejuta", nama="Alice Wulandari", keperluan="Melamar kerja")
    response = client.post(f"/layanan/{service.slug}/ajukan/", {**post, "action": "submit"})
    assert response.status_code == 400
    body = html(response)
    assert "Isi dengan angka." in body
    assert "Nomor telepon" in body
    assert "Unggah berkas ini." in body
    assert 'value="Alice Wulandari"' in body and "Melamar kerja" in body
    assert 'value="sejuta"' in body and 'value="12345"' in body
    assert f'value="{SENTUL}" selected' in body
    assert Application.objects.count() == 0 and Case.objects.count() == 0


# --- Uploads and drafts ---------------------------------------------------------------------------


def test_refused_upload_keeps_the_typed_answers_and_the_other_file(client, service, personas):
    """A PNG that was renamed .pdf is judged by its content and kept; a text file named .pdf
    is refused. The draft keeps every answer and the good file, so only the bad file has to
    be chosen again."""
    client.force_login(personas.alice)
    renamed_png = SimpleUploadedFile("pas foto.pdf", png_bytes(), content_type="application/pdf")
    response = client.post(
        f"/layanan/{service.slug}/ajukan/",
        {**form_post(), "action": "submit", "ktp": text_named_pdf("ktp.pdf"), "foto": renamed_png},
    )
    assert response.status_code == 400
    assert "Jenis berkas tidak dikenali atau tidak diizinkan" in html(response)
    assert Application.objects.count() == 0

    draft = Draft.objects.get(applicant=personas.alice, service=service)
    assert set(draft.data["uploads"]) == {"foto"}
    kept = Upload.objects.get(pk=draft.data["uploads"]["foto"])
    assert (kept.name, kept.content_type, kept.application) == ("pas-foto.png", "image/png", None)

    later = html(resident_browser(personas.alice).get(f"/layanan/{service.slug}/ajukan/"))
    for typed in ('value="Alice Wulandari"', 'value="1.500.000"', 'value="1990-06-05"',
                  'value="Baru" selected', f'value="{CHILD_NIK}"', 'value="0812-3456-7890"',
                  'value="Jl. Mawar 7"', "Melamar kerja", f'value="{SENTUL}" selected', 'value="KK" checked',
                  'value="Akta" checked'):
        assert typed in later, typed
    assert "pas-foto.png" in later
    key = re.search(r'name="submission_key" value="([^"]+)"', later).group(1)
    assert key == draft.submission_key

    # Only the refused file is chosen again.
    response = client.post(
        f"/layanan/{service.slug}/ajukan/",
        {**form_post(), "action": "submit", "submission_key": key, "ktp": pdf_file()},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.data["foto"] == kept.pk
    assert set(application.uploads.values_list("field_name", flat=True)) == {"ktp", "foto"}
    assert not Draft.objects.filter(applicant=personas.alice).exists()


def test_too_large_file_is_refused_and_the_rest_is_kept(client, service, personas):
    client.force_login(personas.alice)
    response = client.post(
        f"/layanan/{service.slug}/ajukan/",
        {**form_post(), "action": "submit", "ktp": pdf_file(), "foto": too_large_png()},
    )
    assert response.status_code == 400
    assert "Berkas terlalu besar. Ukuran maksimal 1 MB." in html(response)
    draft = Draft.objects.get(applicant=personas.alice)
    assert set(draft.data["uploads"]) == {"ktp"}
    assert draft.data["answers"]["nama"] == "Alice Wulandari"
    assert Upload.objects.filter(field_name="foto").count() == 0


def test_photos_are_stored_without_their_gps_position(client, service, personas):
    client.force_login(personas.alice)
    photo = SimpleUploadedFile("IMG_2041.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        f"/layanan/{service.slug}/ajukan/",
        {**form_post(), "action": "submit", "ktp": pdf_file(), "foto": photo},
    )
    assert response.status_code == 302
    stored = Upload.objects.get(field_name="foto")
    with stored.file.open("rb") as handle:
        content = handle.read()
    image = Image.open(BytesIO(content))
    assert image.format == "JPEG" and image.size == (80, 60)
    assert not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in content and b"PhoneMaker" not in content
    assert stored.name == "img_2041.jpg" and stored.size == len(content)


def test_draft_is_saved_and_shown_again_later(client, service, personas):
    client.force_login(personas.alice)
    partial = {"nama": "Alice Wulandari", "penghasilan": "2.750.000", "alamat__kelurahan": KAUMAN,
               "alamat__rw": "4", "action": "save", "ktp": pdf_file("kk scan.pdf")}
    response = client.post(f"/layanan/{service.slug}/ajukan/", partial)
    assert response.status_code == 302
    assert response.url == f"/layanan/{service.slug}/ajukan/"
    assert Application.objects.count() == 0 and Case.objects.count() == 0

    page = html(resident_browser(personas.alice).get(f"/layanan/{service.slug}/ajukan/"))
    assert 'value="Alice Wulandari"' in page and 'value="2.750.000"' in page
    assert f'value="{KAUMAN}" selected' in page and 'value="4"' in page
    assert "kk-scan.pdf" in page
    # Nobody else sees it.
    bobs = html(resident_browser(personas.bob).get(f"/layanan/{service.slug}/ajukan/"))
    assert "Alice Wulandari" not in bobs


def test_saving_a_draft_with_a_refused_file_says_so(client, service, personas):
    client.force_login(personas.alice)
    response = client.post(
        f"/layanan/{service.slug}/ajukan/", {"nama": "Alice", "action": "save", "ktp": text_named_pdf()}
    )
    assert response.status_code == 400
    assert "Jenis berkas tidak dikenali" in html(response)
    assert Draft.objects.get(applicant=personas.alice).data["answers"]["nama"] == "Alice"


def test_submitting_twice_with_the_same_key_creates_one_application(client, service, personas):
    client.force_login(personas.alice)
    key = re.search(
        r'name="submission_key" value="([^"]+)"', html(client.get(f"/layanan/{service.slug}/ajukan/"))
    ).group(1)
    post = {**form_post(), "action": "submit", "submission_key": key}
    first = client.post(f"/layanan/{service.slug}/ajukan/", {**post, "ktp": pdf_file(), "foto": png_file()})
    second = client.post(f"/layanan/{service.slug}/ajukan/", {**post, "ktp": pdf_file(), "foto": png_file()})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Application.objects.count() == 1
    assert Case.objects.count() == 1
    assert first.url == f"/perkara-saya/{Case.objects.get().tracking_code}/"
    assert Message.objects.filter(template="case_submitted").count() == 1


def test_same_key_in_the_action_returns_the_first_application(submit, personas):
    first = submit(key="k-1")
    again = submit(key="k-1", nama="Berbeda sama sekali")
    assert again.pk == first.pk
    assert Application.objects.count() == 1 and Case.objects.count() == 1
    assert Application.objects.get().data["nama"] == "Alice Wulandari"


# --- What a submission sets off ---------------------------------------------------------------------


def test_submitting_opens_a_case_with_notification_and_audit(client, service, personas):
    client.force_login(personas.alice)
    response = client.post(
        f"/layanan/{service.slug}/ajukan/",
        {**form_post(), "action": "submit", "ktp": pdf_file(), "foto": png_file()},
    )
    assert response.status_code == 302
    application = Application.objects.select_related("case").get()
    case = application.case
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", case.tracking_code)
    assert (case.kind, case.status, case.agency, case.citizen) == (
        "service", Status.SUBMITTED, personas.dukcapil, personas.alice)
    assert case.title == service.name and case.sla_workdays == service.sla_workdays
    assert case.kelurahan.code == SENTUL
    assert application.data["hp"] == "+6281234567890"
    assert set(application.uploads.values_list("field_name", flat=True)) == {"ktp", "foto"}

    message = Message.objects.get(user=personas.alice, template="case_submitted")
    assert message.to == personas.alice.email
    assert case.tracking_code in message.body

    audit = AuditEntry.objects.get(action="application_submit")
    assert (audit.actor, audit.object_id) == (personas.alice, str(application.pk))
    assert audit.changes == {"case": [None, case.tracking_code], "service": [None, service.slug]}
    assert CaseEvent.objects.filter(case=case, to_status=Status.SUBMITTED, is_public=True).count() == 1

    page = html(client.get(response.url))
    assert case.tracking_code in page and "Permohonan terkirim" in page


@pytest.mark.parametrize(
    ("with_holidays", "due"),
    [
        # Tue 17 Mar 2026, 3 working days. Wed 18 (cuti bersama Nyepi), Thu 19 (Nyepi),
        # Fri 20 (cuti bersama Idul Fitri), the weekend and Idul Fitri, Mon 23 and Tue 24
        # (cuti bersama) are off: the days counted are Wed 25, Thu 26 and Fri 27.
        (True, date(2026, 3, 27)),
        # Without the holiday calendar only the weekend is skipped: 18, 19, 20.
        (False, date(2026, 3, 20)),
    ],
)
def test_due_date_is_the_service_standard_in_working_days(request, client, service, personas, with_holidays,
                                                          due):
    if with_holidays:
        request.getfixturevalue("holidays")
    client.force_login(personas.alice)
    with time_machine.travel(wib(2026, 3, 17, 15), tick=False):
        response = client.post(
            f"/layanan/{service.slug}/ajukan/",
            {**form_post(), "action": "submit", "ktp": pdf_file(), "foto": png_file()},
        )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.due_date == due
    assert timezone.localdate(case.submitted_at) == date(2026, 3, 17)


@pytest.fixture
def nik_service(personas, regions) -> Service:
    return make_service(personas.dukcapil, slug="ktp-el-uji", requires_nik=True)


def post_nik(client, service, nik: str | None):
    data = {**form_post(), "action": "submit", "ktp": pdf_file(), "foto": png_file()}
    if nik is not None:
        data["_nik"] = nik
    return client.post(f"/layanan/{service.slug}/ajukan/", data)


def test_service_needing_nik_asks_a_resident_without_one(client, nik_service, personas):
    client.force_login(personas.bob)
    assert 'name="_nik"' in html(client.get(f"/layanan/{nik_service.slug}/ajukan/"))
    response = post_nik(client, nik_service, None)
    assert response.status_code == 400
    assert "Layanan ini memerlukan NIK Anda." in html(response)
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("nik", "message"),
    [("12345", "NIK harus 16 digit angka."),
     ("3572034506900001", "NIK ini sudah terdaftar pada akun lain.")],  # Alice's
)
def test_wrong_nik_or_another_accounts_nik_is_refused(client, nik_service, personas, nik, message):
    client.force_login(personas.bob)
    response = post_nik(client, nik_service, nik)
    assert response.status_code == 400
    assert message in html(response)
    assert Application.objects.count() == 0
    personas.bob.citizen.refresh_from_db()
    assert not personas.bob.citizen.nik


def test_nik_given_on_the_form_is_saved_to_the_profile(client, nik_service, personas):
    client.force_login(personas.bob)
    response = post_nik(client, nik_service, "3572 0143 0488 0005")
    assert response.status_code == 302
    personas.bob.citizen.refresh_from_db()
    assert personas.bob.citizen.nik == NEW_NIK
    assert Application.objects.get().applicant == personas.bob
    # The audit says the NIK was set, never what it is.
    assert NEW_NIK not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    # Next time the form does not ask again.
    assert 'name="_nik"' not in html(client.get(f"/layanan/{nik_service.slug}/ajukan/"))


def test_nik_is_not_saved_when_the_rest_of_the_form_is_wrong(client, nik_service, personas):
    client.force_login(personas.bob)
    response = client.post(
        f"/layanan/{nik_service.slug}/ajukan/", {**form_post(hp="1"), "action": "submit", "_nik": NEW_NIK}
    )
    assert response.status_code == 400
    personas.bob.citizen.refresh_from_db()
    assert not personas.bob.citizen.nik
    assert f'value="{NEW_NIK}"' in html(response)


def test_resident_with_a_nik_is_not_asked(client, nik_service, personas):
    client.force_login(personas.alice)
    assert 'name="_nik"' not in html(client.get(f"/layanan/{nik_service.slug}/ajukan/"))
    assert post_nik(client, nik_service, None).status_code == 302


def test_every_kelurahan_service_goes_to_the_office_of_the_address(personas, kelurahan_offices, submit):
    sktm = make_service(None, slug="sktm-uji", all_kelurahan=True, name="SKTM uji")
    application = submit(to=sktm,
                         alamat={"kelurahan": KAUMAN, "rw": "1", "rt": "5", "street": "Jl. Melati 3"})
    assert application.case.agency.code == "kel-3572011004"
    assert application.case.agency.name == "Kelurahan Kauman"
    assert application.case.kelurahan.code == KAUMAN
    other = submit(to=sktm)
    assert other.case.agency.code == "kel-" + SENTUL.replace(".", "")


def test_every_kelurahan_service_without_an_office_explains(personas, service, submit):
    sktm = make_service(None, slug="sktm-uji", all_kelurahan=True, name="SKTM uji")
    with pytest.raises(ApplicationInvalid) as refused:
        submit(to=sktm)
    assert "kantor kelurahan" in str(refused.value.errors["__all__"])
    assert Case.objects.count() == 0


def test_staff_cannot_apply_as_a_resident(staff_client, service, personas):
    client = staff_client(personas.operator)
    response = client.post(f"/layanan/{service.slug}/ajukan/", {**form_post(), "action": "submit"})
    assert response.status_code == 302
    assert Application.objects.count() == 0 and Draft.objects.count() == 0


def test_unpublished_service_takes_no_applications(client, service, personas):
    service.is_published = False
    service.save()
    client.force_login(personas.alice)
    assert client.get(f"/layanan/{service.slug}/ajukan/").status_code == 404
    response = client.post(f"/layanan/{service.slug}/ajukan/", {**form_post(), "action": "submit"})
    assert response.status_code == 404


# --- The receipt ---------------------------------------------------------------------------------------


def test_receipt_pdf_has_the_tracking_code_and_its_qr(client, personas, submit):
    application = submit()
    code = application.case.tracking_code
    client.force_login(personas.alice)
    response = client.get(f"/layanan/permohonan/{code}/tanda-terima.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    data = response.content
    text = pdf_text(data)
    assert code in text
    assert application.service.name in text and "Alice Wulandari" in text
    assert "Scan KTP" in text and "Pas foto" in text
    assert pdf_has_qr_of(data, f"{settings.SITE_URL}/lacak/?code={code}")
    assert not pdf_has_qr_of(data, f"{settings.SITE_URL}/lacak/?code=ZZZZ-ZZZZ")


def test_receipt_states_the_due_date(client, personas, submit):
    with time_machine.travel(wib(2026, 7, 6, 10), tick=False):
        application = submit()
    client.force_login(personas.alice)
    receipt = client.get(f"/layanan/permohonan/{application.case.tracking_code}/tanda-terima.pdf")
    text = pdf_text(receipt.content)
    assert "9 Juli 2026" in text  # Mon 6 Jul + 3 working days


def test_pdf_test_helper_sees_a_pdf():
    # The helpers the tests above rely on: a PDF's text and no QR where none was drawn.
    data = pdf_bytes("Surat")
    assert "Surat" in pdf_text(data)
    assert not pdf_has_qr_of(data, "anything")
