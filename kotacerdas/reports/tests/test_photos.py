"""Report photos: stored without the metadata a phone writes into them (the GPS position of
the resident's home), refused with a clear message when they are too large, not images at
all or decompression bombs, and scaled down to what a map page needs."""

from io import BytesIO

import pytest
from django.conf import settings
from PIL import Image, ImageFile

from kotacerdas.reports.errors import ReportInvalid
from kotacerdas.reports.models import Photo, Report
from kotacerdas.reports.tests.conftest import (
    GPS_IFD,
    IN_CITY,
    html,
    jpeg_bytes,
    jpeg_with_gps,
    photo,
    png_bytes,
    png_declaring,
    resident_browser,
    stored_image,
)

TOO_BIG = "Gambar terlalu besar (lebih dari 40 megapiksel). Perkecil gambar, lalu unggah lagi."


def refused(submit, upload) -> str:
    with pytest.raises(ReportInvalid) as invalid:
        submit(photos=[upload])
    assert not Report.objects.exists()
    return str(invalid.value.errors["photos"])


def stored_files() -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Metadata ------------------------------------------------------------------------------------


def test_gps_and_camera_details_are_removed_from_a_stored_jpeg(submit):
    report = submit(photos=[photo(jpeg_with_gps())])
    stored = report.photos.get()
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"\xff\xd8\xff")
    image = Image.open(BytesIO(data))
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data and b"PhoneModel" not in data
    assert (stored.width, stored.height) == (80, 60)


def test_the_served_photo_is_the_cleaned_one(client, submit):
    stored = submit(photos=[photo(jpeg_with_gps())]).photos.get()
    response = client.get(f"/pengaduan/foto/{stored.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=300"
    served = b"".join(response.streaming_content)
    assert b"PhoneMaker" not in served
    assert not Image.open(BytesIO(served)).getexif()


def test_the_stored_name_says_nothing_of_the_original(submit):
    stored = submit(photos=[photo(name="rumah alice jl mawar 7.jpg")]).photos.get()
    assert "alice" not in stored.file.name and "mawar" not in stored.file.name
    assert stored.file.name.startswith("reports/") and stored.file.name.endswith(".jpg")


# --- Refused uploads ---------------------------------------------------------------------------------


def test_an_oversized_photo_is_refused_with_a_clear_message(submit):
    # Only the size is looked at: the bytes after the JPEG signature are never decoded.
    upload = photo(b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024))
    assert refused(submit, upload) == "Berkas terlalu besar. Ukuran maksimal 10 MB."
    assert stored_files() == []


def test_text_renamed_to_jpg_is_refused_with_a_clear_message(submit):
    upload = photo(b"Ini bukan foto, hanya teks biasa.\n", name="lubang.jpg")
    assert refused(submit, upload) == (
        "Jenis berkas tidak dikenali atau tidak diizinkan. Jenis yang diterima: JPG, PNG."
    )


def test_a_pdf_is_not_a_photo(submit):
    upload = photo(b"%PDF-1.4\n%%EOF\n", name="foto.jpg")
    assert "Jenis yang diterima: JPG, PNG." in refused(submit, upload)


def test_a_damaged_jpeg_is_refused(submit):
    upload = photo(jpeg_bytes()[:40], name="rusak.jpg")
    assert refused(submit, upload) == "Gambar rusak atau tidak dapat dibaca."


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any image's pixels are decoded."""

    def load(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (8_000, 8_000),  # 64 megapixels: over our 40, under Pillow's own guard
        (30_000, 30_000),  # 900 megapixels: Pillow itself refuses to open it
    ],
)
def test_a_decompression_bomb_is_refused_without_decoding(submit, no_decoding, width, height):
    bomb = png_declaring(width, height)
    assert len(bomb) < 200
    assert refused(submit, photo(bomb, name="bom.png", content_type="image/png")) == TOO_BIG
    assert stored_files() == []


def test_one_bad_photo_refuses_the_report_and_keeps_no_file(submit):
    with pytest.raises(ReportInvalid):
        submit(photos=[photo(), photo(b"bukan gambar", name="x.jpg")])
    assert not Photo.objects.exists()
    assert stored_files() == []


def test_the_web_form_shows_why_a_photo_was_refused(personas, category):
    browser = resident_browser(personas.alice)
    response = browser.post(
        f"/pengaduan/baru/{category.code}/",
        {"description": "Antrean sampai ke jalan.", "lat": IN_CITY[0], "lon": IN_CITY[1],
         "privacy": "public", "attribute_layanan": "kk",
         "photos": [photo(b"Ini bukan foto", name="antrean.jpg")]},
    )
    assert response.status_code == 400
    assert "Jenis berkas tidak dikenali atau tidak diizinkan." in html(response)
    assert not Report.objects.exists()


# --- Size ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (jpeg_bytes((2400, 1800)), "besar.jpg", (1600, 1200)),
        (jpeg_bytes((1000, 4000)), "tinggi.jpg", (400, 1600)),
        (png_bytes((3200, 800)), "lebar.png", (1600, 400)),
        (jpeg_bytes((1600, 900)), "pas.jpg", (1600, 900)),
        (png_bytes((640, 480)), "kecil.png", (640, 480)),
    ],
)
def test_photos_are_scaled_down_to_at_most_1600_pixels(submit, data, name, expected):
    kind = "image/png" if name.endswith(".png") else "image/jpeg"
    stored = submit(photos=[photo(data, name=name, content_type=kind)]).photos.get()
    image = stored_image(stored)
    assert image.size == expected
    assert (stored.width, stored.height) == expected
    assert image.format == ("PNG" if name.endswith(".png") else "JPEG")
