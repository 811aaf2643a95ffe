"""Set-up for application tests: the Kota Blitar regions (addresses need real kelurahan
codes), one small service with a field of every type, the files residents upload, and
factories that go through the real actions, the way a resident and an officer would."""

import random
import time
from collections.abc import Callable
from io import BytesIO

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from pypdf import PdfReader

from kotacerdas.agencies.actions import agencies_load_reference
from kotacerdas.cases.actions import case_transition, holidays_load_reference
from kotacerdas.cases.models import Status
from kotacerdas.conftest import PASSWORD
from kotacerdas.lib.pdf import PdfPage, render_pdf
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.services import actions
from kotacerdas.services.models import Application, FormField, Service

SENTUL = "35.72.01.1003"  # Kelurahan Sentul, Kecamatan Kepanjenkidul
KAUMAN = "35.72.01.1004"
CHILD_NIK = "3572031203150002"  # born 12 March 2015, registered in Kecamatan Sananwetan


# --- Reference data -----------------------------------------------------------------------


@pytest.fixture
def regions(db) -> int:
    return regions_load_reference()


@pytest.fixture
def kelurahan_offices(personas, regions) -> int:
    """The OPD list and one office per kelurahan. After `personas`, so Dispendukcapil and
    DPUPR stay the personas' own rows (the loader keeps existing agencies)."""
    return agencies_load_reference()


@pytest.fixture
def holidays(db) -> int:
    return holidays_load_reference()


# --- The service under test -------------------------------------------------------------------


def make_service(agency, *, slug: str = "surat-keterangan-uji", **extra) -> Service:
    """A service of `agency` (None: every kelurahan) whose form has one field of every type,
    built explicitly: SLA 3 working days, two file fields of at most 1 MB."""
    values = {
        "name": "Surat Keterangan Uji",
        "agency": agency,
        "summary": "Layanan untuk pengujian.",
        "category": "kependudukan",
        "requirements": ["KTP-el"],
        "procedure": ["Ajukan daring", "Diverifikasi", "Terbit"],
        "sla_workdays": 3,
        "product": "Surat Keterangan Uji",
        "complaint_channel": "SP4N-LAPOR!",
    }
    values.update(extra)
    service = Service.objects.create(slug=slug, **values)
    T = FormField.Type
    FormField.objects.bulk_create(
        FormField(service=service, order=order, **spec)
        for order, spec in enumerate(
            [
                {"name": "nama", "label": "Nama lengkap", "type": T.TEXT, "rules": {"min_length": 3}},
                {"name": "keperluan", "label": "Keperluan", "type": T.TEXTAREA, "required": False},
                {"name": "penghasilan", "label": "Penghasilan sebulan", "type": T.NUMBER,
                 "rules": {"min": 0, "max": 100_000_000}},
                {"name": "tanggal_lahir", "label": "Tanggal lahir", "type": T.DATE,
                 "rules": {"date": "past"}},
                {"name": "jenis", "label": "Jenis permohonan", "type": T.CHOICE,
                 "choices": ["Baru", "Perpanjangan"]},
                {"name": "lampiran", "label": "Dokumen pendukung", "type": T.MULTICHOICE,
                 "choices": ["KK", "Akta", "Ijazah"], "required": False},
                {"name": "nik_anak", "label": "NIK anak", "type": T.NIK},
                {"name": "hp", "label": "Nomor HP", "type": T.PHONE},
                {"name": "alamat", "label": "Alamat", "type": T.ADDRESS},
                {"name": "ktp", "label": "Scan KTP", "type": T.FILE, "accept": ["pdf", "jpg", "png"],
                 "max_mb": 1},
                {"name": "foto", "label": "Pas foto", "type": T.FILE, "accept": ["jpg", "png"],
                 "max_mb": 1},
            ]
        )
    )
    return service


@pytest.fixture
def service(personas, regions) -> Service:
    return make_service(personas.dukcapil)


def answers(**overrides) -> dict:
    """Right answers to every typed field, as the API and the actions take them."""
    values = {
        "nama": "Alice Wulandari",
        "keperluan": "Melamar kerja",
        "penghasilan": "1.500.000",
        "tanggal_lahir": "1990-06-05",
        "jenis": "Baru",
        "lampiran": ["KK", "Akta"],
        "nik_anak": CHILD_NIK,
        "hp": "0812-3456-7890",
        "alamat": {"kelurahan": SENTUL, "rw": "3", "rt": "2", "street": "Jl. Mawar 7"},
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def form_post(**overrides) -> dict:
    """The same answers as the web form posts them (the address in four inputs)."""
    values = answers(**overrides)
    post = {name: value for name, value in values.items() if name != "alamat"}
    for part, value in values.get("alamat", {}).items():
        post[f"alamat__{part}"] = value
    return post


# --- Files ---------------------------------------------------------------------------------------


def pdf_bytes(text: str = "Kartu Tanda Penduduk") -> bytes:
    return render_pdf(PdfPage(title=text, paragraphs=["Salinan untuk pengujian."]))


def pdf_file(name: str = "ktp-alice.pdf", text: str = "Kartu Tanda Penduduk") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png_bytes(size: tuple[int, int] = (60, 40), color: str = "navy") -> bytes:
    out = BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def png_file(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


# Where Alice's phone says the photo was taken: her house in Sentul.
GPS = {1: "S", 2: (8.0, 4.0, 31.0), 3: "E", 4: (112.0, 11.0, 5.0)}
GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update(GPS)
    out = BytesIO()
    Image.new("RGB", (80, 60), "orange").save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD), "the test photo must carry GPS"
    return data


def text_named_pdf(name: str = "ktp.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Ini bukan PDF, hanya teks biasa.\n", content_type="application/pdf")


def too_large_png(name: str = "foto-besar.png") -> SimpleUploadedFile:
    """A real PNG over the field's 1 MB: noise does not compress."""
    noise = random.Random(7).randbytes(700 * 700 * 3)
    out = BytesIO()
    Image.frombytes("RGB", (700, 700), noise).save(out, format="PNG")
    data = out.getvalue()
    assert len(data) > 1024 * 1024, len(data)
    return SimpleUploadedFile(name, data, content_type="image/png")


# --- PDFs ---------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def pdf_has_qr_of(data: bytes, expected: str) -> bool:
    """Whether the PDF carries a QR code that encodes `expected`: the image's modules are
    compared with those of the QR for that text (lib/pdf draws scale 8, quiet zone 4)."""
    wanted = segno.make(expected, error="m")
    modules = [[bool(v) for v in row] for row in wanted.matrix]
    for page in PdfReader(BytesIO(data)).pages:
        for found in page.images:
            image = found.image.convert("L")
            side = len(modules)
            if image.size != ((side + 8) * 8,) * 2:
                continue
            if all(
                (image.getpixel((32 + x * 8 + 4, 32 + y * 8 + 4)) < 128) == modules[y][x]
                for y in range(side)
                for x in range(side)
            ):
                return True
    return False


# --- Factories through the real actions ---------------------------------------------------------


@pytest.fixture
def submit(service, personas) -> Callable[..., Application]:
    """Alice (unless told otherwise) applies with right answers and both files."""

    def make(applicant=None, *, to: Service | None = None, with_files: bool = True, key: str = "",
             **overrides) -> Application:
        applicant = applicant or personas.alice
        target = to or service
        uploads = {}
        if with_files:
            uploads = {
                "ktp": actions.upload_store(owner=applicant, service=target, field_name="ktp",
                                            upload=pdf_file()).pk,
                "foto": actions.upload_store(owner=applicant, service=target, field_name="foto",
                                             upload=png_file()).pk,
            }
        return actions.application_submit(
            applicant=applicant,
            service=target,
            answers=answers(**overrides),
            uploads=uploads,
            submission_key=key or f"key-{Application.objects.count()}-{applicant.pk}",
        )

    return make


def walk(application: Application, actor, *statuses: str) -> Application:
    """Move the application's case through the generic statuses (verified, in_progress)."""
    for status in statuses:
        case_transition(case=application.case, to_status=status, actor=actor)
    return application


@pytest.fixture
def finished(submit, personas):
    """An application Dispendukcapil has verified, worked on and finished with a document."""

    def make(applicant=None, **overrides):
        application = walk(submit(applicant, **overrides), personas.operator, Status.VERIFIED,
                           Status.IN_PROGRESS)
        document = actions.application_finish(application=application, actor=personas.operator)
        return application, document

    return make


# --- Clients ---------------------------------------------------------------------------------------


def unused_otp(user) -> str:
    """A TOTP code the device still accepts. A code is accepted once, so an officer who
    already logged in during this 30-second step (in another browser, or for an API token)
    gets the next step's code, which the device's tolerance of one step lets through."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code.time = time.time()
    code.drift += max(0, device.last_t + 1 - code.t())
    return f"{code.token():0{device.digits}d}"


def staff_browser(user) -> Client:
    """A browser of its own for an officer, logged in through password and TOTP; for tests
    where two officers (or an officer and a resident) look at the same case."""
    client = Client()
    assert client.post("/akun/masuk/", {"identifier": user.email, "password": PASSWORD}).status_code == 302
    assert client.post("/akun/dua-langkah/", {"otp": unused_otp(user)}).status_code == 302
    return client


def resident_browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api_token(client) -> Callable:
    """A bearer token through POST /api/v1/auth/token, one per user per test (a TOTP code
    is accepted once)."""
    tokens: dict[int, str] = {}

    def token(user) -> str:
        if user.pk not in tokens:
            body = {"email": user.email, "password": PASSWORD}
            if user.is_officer:
                body["otp"] = unused_otp(user)
            response = client.post("/api/v1/auth/token", body, content_type="application/json")
            assert response.status_code == 200, response.content
            tokens[user.pk] = response.json()["token"]
        return tokens[user.pk]

    return token


@pytest.fixture
def api(client, api_token):
    """Call the API as a user: api(user).get(path), .post(path, json=..., data=..., files=...)."""

    class As:
        def __init__(self, user):
            self.headers = {"Authorization": f"Bearer {api_token(user)}"} if user is not None else {}

        def get(self, path, **headers):
            return client.get(path, headers={**self.headers, **headers})

        def post(self, path, json=None, data=None, **headers):
            if json is not None:
                return client.post(path, json, content_type="application/json",
                                   headers={**self.headers, **headers})
            return client.post(path, data or {}, headers={**self.headers, **headers})

    return As
