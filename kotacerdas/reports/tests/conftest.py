"""Set-up for report tests: the Kota Blitar regions (a report is located in its kelurahan
from the pin), two categories built explicitly, photos made in memory, and factories that
go through the real actions, the way a resident and an officer would.

The main category is routed to Dispendukcapil so that the personas' operator and head
handle it and DPUPR's verifikator (the outsider) is an officer of another agency."""

import struct
import zlib
from collections.abc import Callable
from datetime import datetime
from html import unescape
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kotacerdas.accounts.models import CitizenProfile, User
from kotacerdas.cases.actions import holidays_load_reference
from kotacerdas.conftest import PASSWORD
from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.models import Region
from kotacerdas.regions.queries import forget_boundaries
from kotacerdas.reports import actions
from kotacerdas.reports.models import Attribute, Category, Privacy, Report

JAKARTA = ZoneInfo("Asia/Jakarta")

KAUMAN = "35.72.01.1004"  # Kelurahan Kauman, Kecamatan Kepanjenkidul
KEPANJENLOR = "35.72.01.1007"
# Pins as (lat, lon). Distances are from IN_CITY, along the same parallel.
IN_CITY = (-8.0953, 112.1612)  # Kauman
NEAR = (-8.0953, 112.1630)  # Kauman, about 200 m east
FAR = (-8.0953, 112.1640)  # Kauman, about 310 m east: beyond the 250 m radius
ELSEWHERE = (-8.0953, 112.1700)  # Kepanjenlor, about 1 km east
OUTSIDE = (-7.9, 112.6)  # Kabupaten Malang

# The personas' contact details, which must never appear on a public page of an anonymous
# report (Alice's) or beyond the first name and initial for a public one.
ALICE_PRIVATE = ["Alice", "Wulandari", "alice@warga.test", "81200000001"]


def wib(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A wall-clock time in Kota Blitar (WIB)."""
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def html(response) -> str:
    return unescape(response.content.decode())


# --- Reference data ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_boundary_cache():
    # `locate` caches kelurahan boundaries with their primary keys; the rows vanish when a
    # test's transaction rolls back, the cache would not.
    forget_boundaries()
    yield
    forget_boundaries()


@pytest.fixture(autouse=True)
def _fresh_map_cache():
    # The map's data is cached under the highest ids of a few tables; a rolled-back test
    # hands the same ids to the next one, whose map must not be the previous test's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db) -> int:
    return regions_load_reference()


@pytest.fixture
def holidays(db) -> int:
    return holidays_load_reference()


@pytest.fixture
def kauman(regions) -> Region:
    return Region.objects.get(code=KAUMAN)


@pytest.fixture
def kepanjenlor(regions) -> Region:
    return Region.objects.get(code=KEPANJENLOR)


# --- The categories under test ------------------------------------------------------------------


@pytest.fixture
def category(personas, regions) -> Category:
    """Dispendukcapil's category, with a required choice, a multiple choice and a number;
    SP4N-LAPOR! deadlines (3, 5 and 10 working days) and the 250 m duplicate radius."""
    found = Category.objects.create(
        code="pelayanan-adminduk",
        name="Pelayanan adminduk keliling",
        group="Pelayanan publik",
        agency=personas.dukcapil,
    )
    D = Attribute.Datatype
    Attribute.objects.bulk_create(
        [
            Attribute(category=found, code="layanan", description="Layanan apa?", datatype=D.SINGLE,
                      required=True, order=0,
                      values=[{"key": "ktp", "name": "KTP-el"}, {"key": "kk", "name": "Kartu Keluarga"}]),
            Attribute(category=found, code="kendala", description="Kendalanya?", datatype=D.MULTI, order=1,
                      values=[{"key": "antre", "name": "Antrean panjang"},
                              {"key": "blanko", "name": "Blanko habis"},
                              {"key": "sistem", "name": "Sistem mati"}]),
            Attribute(category=found, code="jam", description="Berapa jam menunggu?", datatype=D.NUMBER,
                      order=2),
        ]
    )
    return found


@pytest.fixture
def roads(personas, regions) -> Category:
    """Another category (DPUPR's), without extra questions."""
    return Category.objects.create(code="jalan-berlubang", name="Jalan berlubang", agency=personas.dpupr)


def make_resident(name: str, email: str):
    user = User.objects.create_user(email=email, password=PASSWORD, name=name, email_verified=True,
                                    channels=["email"])
    CitizenProfile.objects.create(user=user)
    return user


# --- Photos ------------------------------------------------------------------------------------------


def jpeg_bytes(size: tuple[int, int] = (80, 60), color: str = "orange") -> bytes:
    out = BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (80, 60), color: str = "navy") -> bytes:
    out = BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def checkerboard_png(size: tuple[int, int] = (200, 100), square: int = 4) -> bytes:
    """Sharp detail everywhere, so that blurring any part of it changes that part."""
    image = Image.new("RGB", size, "white")
    for x in range(size[0]):
        for y in range(size[1]):
            if (x // square + y // square) % 2:
                image.putpixel((x, y), (0, 0, 0))
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# Where Alice's phone says the photo was taken: her house, in decimal about -8.0753, 112.1847.
GPS = {1: "S", 2: (8.0, 4.0, 31.0), 3: "E", 4: (112.0, 11.0, 5.0)}
GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneModel X"
    exif.get_ifd(GPS_IFD).update(GPS)
    out = BytesIO()
    Image.new("RGB", (80, 60), "orange").save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD), "the test photo must carry GPS"
    return data


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares width x height pixels: decoding it
    would take width * height * 3 bytes of memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def photo(data: bytes | None = None, name: str = "IMG_0001.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, jpeg_bytes() if data is None else data, content_type=content_type)


def stored_image(found) -> Image.Image:
    with found.file.open("rb") as handle:
        image = Image.open(BytesIO(handle.read()))
        image.load()
    return image


# --- Factories through the real actions ---------------------------------------------------------------


@pytest.fixture
def submit(personas, category) -> Callable[..., Report]:
    """Alice (unless told otherwise) reports a problem at IN_CITY in the main category."""

    def make(reporter=None, *, to: Category | None = None, at: tuple[float, float] = IN_CITY,
             description: str = "Petugas perekaman KTP-el tidak datang sesuai jadwal.",
             privacy: str = Privacy.PUBLIC, attributes: dict | None = None, **extra) -> Report:
        target = to or category
        if attributes is None:
            attributes = {"layanan": "ktp"} if target.code == category.code else {}
        return actions.report_submit(
            reporter=reporter or personas.alice,
            category=target,
            description=description,
            lat=at[0],
            lon=at[1],
            privacy=privacy,
            attributes=attributes,
            **extra,
        )

    return make


def answered(report: Report, officer, text: str = "Petugas sudah dijadwalkan ulang hari Kamis.") -> Report:
    """Verified and answered by an officer of the report's agency."""
    actions.report_verify(report=report, actor=officer)
    return actions.report_answer(report=report, actor=officer, text=text)


def refresh(report: Report) -> Report:
    return Report.objects.select_related("case", "category").get(pk=report.pk)


# --- Browsers -------------------------------------------------------------------------------------------


def resident_browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
