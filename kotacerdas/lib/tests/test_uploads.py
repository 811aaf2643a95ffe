import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from reportlab.pdfgen.canvas import Canvas

from kotacerdas.lib.uploads import MAX_PIXELS, CleanFile, UploadRejected, clean_upload, safe_name

MB = 1024 * 1024
ALL = ["pdf", "jpg", "png"]

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
RED = (220, 20, 20)
BLUE = (20, 20, 220)


def upload(content: bytes, name: str = "berkas.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def clean(content: bytes, name: str = "berkas.bin", **options) -> CleanFile:
    options.setdefault("accept", ALL)
    options.setdefault("max_bytes", 5 * MB)
    return clean_upload(upload(content, name), **options)


def rejected(content: bytes, name: str = "berkas.bin", **options) -> UploadRejected:
    with pytest.raises(UploadRejected) as excinfo:
        clean(content, name, **options)
    return excinfo.value


def two_colour_image(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Red left half, blue right half: after a rotation we can tell where "left" went."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def phone_photo(*, orientation: int = 1, size: tuple[int, int] = (40, 20)) -> bytes:
    """A JPEG as a phone writes it: EXIF with make, orientation and the GPS position of
    the photographer (here Kota Blitar), plus XMP, an ICC profile and a comment."""
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (8.0, 5.0, 41.28), 3: "E", 4: (112.0, 10.0, 1.2)})
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = BytesIO()
    two_colour_image(size).save(
        out,
        format="JPEG",
        exif=exif.tobytes(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">lokasi rumah</x:xmpmeta>',
        icc_profile=srgb,
        comment=b"dipotret di rumah Bu Siti",
    )
    return out.getvalue()


def png_bytes(image: Image.Image | None = None, pnginfo: PngInfo | None = None) -> bytes:
    out = BytesIO()
    (image or two_colour_image()).save(out, format="PNG", pnginfo=pnginfo)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A valid-looking PNG of a few dozen bytes that declares width x height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def reportlab_pdf(text: str = "Surat pengantar RT/RW") -> bytes:
    out = BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def pypdf_pdf(change=None, pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if change is not None:
        change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def dominant(pixel: tuple[int, ...]) -> str:
    return "red" if pixel[0] > pixel[2] else "blue"


# --- images -------------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_xmp_icc_and_comment() -> None:
    original = phone_photo()
    assert b"Exif" in original and b"PhoneMaker" in original  # the fixture really has them

    result = clean(original, "IMG_2041.JPG")

    assert (result.kind, result.content_type, result.name) == ("jpg", "image/jpeg", "img_2041.jpg")
    assert result.size == len(result.content)
    photo = Image.open(BytesIO(result.content))
    assert photo.format == "JPEG"
    assert len(photo.getexif()) == 0
    assert not photo.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "icc_profile", "comment"} & photo.info.keys()
    for trace in (b"Exif", b"PhoneMaker", b"lokasi rumah", b"Bu Siti", b"http://ns.adobe.com/xap"):
        assert trace not in result.content


def test_jpeg_orientation_is_applied_before_exif_is_dropped() -> None:
    # Orientation 6: the camera was held upright, the sensor stored the picture turned
    # 90 degrees; a viewer rotates it clockwise. Stored left (red) ends up on top.
    result = clean(phone_photo(orientation=6, size=(40, 20)), "foto.jpg")

    photo = Image.open(BytesIO(result.content)).convert("RGB")
    assert photo.size == (20, 40)
    assert dominant(photo.getpixel((10, 5))) == "red"
    assert dominant(photo.getpixel((10, 35))) == "blue"


def test_upright_jpeg_keeps_its_layout() -> None:
    photo = Image.open(BytesIO(clean(phone_photo(orientation=1)).content)).convert("RGB")
    assert photo.size == (40, 20)
    assert dominant(photo.getpixel((5, 10))) == "red"
    assert dominant(photo.getpixel((35, 10))) == "blue"


def test_png_text_chunks_and_icc_profile_are_stripped() -> None:
    info = PngInfo()
    info.add_text("Author", "Budi Santoso")
    info.add_itxt("Comment", "alamat: Jl. Merapi 10", zip=False)
    info.add_text("Software", "Scanner 3000", zip=True)
    image = two_colour_image()
    image.info["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = png_bytes(image, info)
    assert b"Budi Santoso" in original

    result = clean(original, "scan.png")

    assert (result.kind, result.content_type) == ("png", "image/png")
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf", b"Budi Santoso", b"Jl. Merapi"):
        assert chunk not in result.content
    cleaned = Image.open(BytesIO(result.content))
    assert cleaned.size == (40, 20)
    assert not cleaned.text  # type: ignore[attr-defined]


def test_palette_png_keeps_its_transparency() -> None:
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 255, 255, 0, 0, 0])
    image.info["transparency"] = 0

    cleaned = Image.open(BytesIO(clean(png_bytes(image)).content))

    assert cleaned.mode == "P"
    assert cleaned.info.get("transparency") == 0


def test_cmyk_jpeg_becomes_rgb() -> None:
    out = BytesIO()
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(out, format="JPEG")
    assert Image.open(BytesIO(clean(out.getvalue()).content)).mode == "RGB"


def test_max_side_shrinks_the_longer_side_and_keeps_the_proportions() -> None:
    jpeg = clean(phone_photo(size=(400, 200)), max_side=100)
    png = clean(png_bytes(two_colour_image((300, 120))), max_side=60)
    small = clean(png_bytes(two_colour_image((30, 12))), max_side=60)

    assert Image.open(BytesIO(jpeg.content)).size == (100, 50)
    assert Image.open(BytesIO(png.content)).size == (60, 24)
    assert Image.open(BytesIO(small.content)).size == (30, 12)


def test_max_side_applies_after_rotation() -> None:
    result = clean(phone_photo(orientation=6, size=(400, 200)), max_side=100)
    assert Image.open(BytesIO(result.content)).size == (50, 100)


def test_truncated_jpeg_is_refused_as_damaged() -> None:
    whole = phone_photo(size=(200, 200))
    error = rejected(whole[: len(whole) // 2], "foto.jpg")
    assert error.reason == "image_corrupt"


def test_garbage_after_an_image_signature_is_refused_as_damaged() -> None:
    assert rejected(b"\xff\xd8\xff" + b"bukan gambar" * 50).reason == "image_corrupt"
    assert rejected(b"\x89PNG\r\n\x1a\n" + b"bukan gambar" * 50).reason == "image_corrupt"


def test_decompression_bomb_is_refused_before_decoding() -> None:
    # 10 gigapixels declared in 60 bytes: past Pillow's own limit, which raises at open.
    bomb = png_header_only(100_000, 100_000)
    assert len(bomb) < 100
    assert rejected(bomb, "bom.png").reason == "image_too_big"


def test_image_above_our_pixel_cap_is_refused_even_below_pillows() -> None:
    # 48 megapixels: under Pillow's warning threshold (about 89), over ours.
    assert MAX_PIXELS < 8000 * 6000
    assert rejected(png_header_only(8000, 6000)).reason == "image_too_big"


# --- type by content ----------------------------------------------------------------------


def test_png_named_pdf_is_a_png() -> None:
    result = clean(png_bytes(), "surat-pengantar.pdf")
    assert (result.kind, result.content_type, result.name) == ("png", "image/png", "surat-pengantar.png")


def test_jpeg_named_png_is_a_jpeg() -> None:
    result = clean(phone_photo(), "ktp.png")
    assert (result.kind, result.name) == ("jpg", "ktp.jpg")


def test_pdf_named_jpg_is_a_pdf() -> None:
    assert clean(reportlab_pdf(), "foto.jpg").name == "foto.pdf"


def test_program_renamed_to_jpg_is_refused() -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    error = rejected(exe, "foto.jpg")
    assert error.reason == "type"


def test_text_named_pdf_is_refused() -> None:
    assert rejected(b"Ini hanya teks, bukan PDF.\n", "x.pdf").reason == "type"


def test_client_content_type_is_ignored() -> None:
    lying = SimpleUploadedFile("x.pdf", b"plain text", content_type="application/pdf")
    with pytest.raises(UploadRejected):
        clean_upload(lying, accept=ALL, max_bytes=MB)


def test_accept_list_is_honoured() -> None:
    error = rejected(png_bytes(), "scan.png", accept=["pdf"])
    assert error.reason == "type"
    with translation.override("id"):
        assert "PDF" in str(error.message)
        assert "PNG" not in str(error.message)


def test_accept_is_case_insensitive_and_knows_jpeg() -> None:
    assert clean(phone_photo(), accept=["JPEG"]).kind == "jpg"
    assert clean(png_bytes(), accept=["Png"]).kind == "png"


def test_unknown_accepted_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="accept"):
        clean(png_bytes(), accept=["png", "docx"])
    with pytest.raises(ValueError, match="accept"):
        clean(png_bytes(), accept=[])


# --- size ---------------------------------------------------------------------------------


class DeclaredHuge:
    name = "video.jpg"
    size = 3 * 1024 * MB

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("an upload declared too large must not be read")


class EndlessStream:
    """An upload that does not declare its size and never ends; counts what was read."""

    name = "tak-berujung.pdf"
    size = None

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.served = 0

    def read(self, size: int = -1) -> bytes:
        if size < 0 or self.served + size > self.limit + 1:
            raise AssertionError(f"asked for {size} bytes after {self.served}: more than limit + 1")
        self.served += size
        return b"%PDF-" + b"x" * (size - 5) if self.served == size else b"x" * size


def test_declared_size_over_the_limit_is_refused_without_reading() -> None:
    with pytest.raises(UploadRejected) as excinfo:
        clean_upload(DeclaredHuge(), accept=ALL, max_bytes=2 * MB)
    assert excinfo.value.reason == "too_large"


def test_undeclared_size_is_enforced_while_reading() -> None:
    stream = EndlessStream(limit=300_000)
    with pytest.raises(UploadRejected) as excinfo:
        clean_upload(stream, accept=ALL, max_bytes=300_000)
    assert excinfo.value.reason == "too_large"
    assert stream.served == 300_001


def test_file_of_exactly_max_bytes_passes() -> None:
    pdf = reportlab_pdf()
    assert clean(pdf, max_bytes=len(pdf)).size == len(pdf)
    assert rejected(pdf, max_bytes=len(pdf) - 1).reason == "too_large"


def test_size_is_that_of_the_reencoded_image() -> None:
    original = phone_photo(size=(400, 300))
    result = clean(original, max_side=100)
    assert result.size == len(result.content) < len(original)


def test_empty_file_is_refused() -> None:
    assert rejected(b"", "kosong.pdf").reason == "empty"


def test_upload_already_read_by_a_form_is_rewound() -> None:
    content = reportlab_pdf()
    pdf = SimpleUploadedFile("surat.pdf", content)
    pdf.read()
    assert clean_upload(pdf, accept=["pdf"], max_bytes=MB).content == content


# --- PDF ----------------------------------------------------------------------------------


def test_reportlab_pdf_is_stored_unchanged() -> None:
    pdf = reportlab_pdf()
    result = clean(pdf, "Surat Pengantar RT.pdf", accept=["pdf"])
    assert result == CleanFile(
        content=pdf, kind="pdf", content_type="application/pdf", name="surat-pengantar-rt.pdf", size=len(pdf)
    )


def test_password_protected_pdf_is_refused() -> None:
    error = rejected(pypdf_pdf(lambda writer: writer.encrypt("rahasia", algorithm="RC4-128")), "kk.pdf")
    assert error.reason == "pdf_encrypted"


def test_pdf_with_javascript_is_refused() -> None:
    pdf = pypdf_pdf(lambda writer: writer.add_open_action(JavaScript("app.alert('halo');")))
    assert rejected(pdf, "kk.pdf").reason == "pdf_active"


def test_pdf_with_embedded_file_is_refused() -> None:
    error = rejected(pypdf_pdf(lambda writer: writer.add_attachment("setup.exe", b"MZ...")), "kk.pdf")
    assert error.reason == "pdf_active"


def test_pdf_with_launch_action_on_a_page_is_refused() -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def launch_on_open(writer: PdfWriter) -> None:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
        )
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})

    assert rejected(pypdf_pdf(launch_on_open), "kk.pdf").reason == "pdf_active"


def test_pdf_with_xfa_form_is_refused() -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def xfa_form(writer: PdfWriter) -> None:
        form = DictionaryObject({NameObject("/XFA"): TextStringObject("<xdp:xdp><script/></xdp:xdp>")})
        writer.root_object[NameObject("/AcroForm")] = form

    assert rejected(pypdf_pdf(xfa_form), "formulir.pdf").reason == "pdf_active"


def test_pdf_hiding_javascript_behind_name_escapes_is_refused() -> None:
    # "/J#61vaScript" is "/JavaScript" and "/J#53" is "/JS", with a letter written as #xx.
    pdf = pypdf_pdf(lambda writer: writer.add_open_action(JavaScript("app.alert(1);")))
    disguised = pdf.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in disguised and b"/JS " not in disguised
    assert rejected(disguised, "kk.pdf").reason == "pdf_active"


def test_pdf_without_pages_is_refused() -> None:
    assert rejected(pypdf_pdf(pages=0), "kosong.pdf").reason == "pdf_no_pages"


def test_damaged_pdf_is_refused() -> None:
    assert rejected(b"%PDF-1.7\n" + b"\x00\xff" * 300, "rusak.pdf").reason == "pdf_corrupt"


def test_pdf_signature_must_be_at_the_start() -> None:
    assert rejected(b"\n\n" + reportlab_pdf()).reason == "type"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([b"%PDF-1.4\n", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"]),
    st.binary(max_size=2048),
)
def test_arbitrary_bytes_after_a_signature_pass_or_are_refused_cleanly(magic: bytes, tail: bytes) -> None:
    try:
        result = clean(magic + tail)
    except UploadRejected as error:
        assert error.reason in {"image_corrupt", "image_too_big", "pdf_corrupt", "pdf_no_pages",
                                "pdf_encrypted", "pdf_active"}
    else:
        assert result.size == len(result.content) > 0


# --- names and messages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Pasfoto Budi (1).JPG", "pasfoto-budi-1.jpg"),
        ("../../etc/passwd", "passwd.jpg"),
        ("C:\\Users\\Siti\\Desktop\\KTP Siti.jpeg", "ktp-siti.jpg"),
        ("Akta Kelahiran – Ñandú é.jpg", "akta-kelahiran-nandu-e.jpg"),
        ("😀😀.jpg", "berkas.jpg"),
        ("", "berkas.jpg"),
        (".jpg", "jpg.jpg"),
        ("scan.final.v2.png", "scanfinalv2.jpg"),
    ],
)
def test_safe_name(original: str, expected: str) -> None:
    assert safe_name(original, "jpg") == expected


def test_safe_name_is_short_and_ascii() -> None:
    name = safe_name("Surat keterangan " * 20 + ".pdf", "pdf")
    assert len(name) <= 60 + len(".pdf")
    assert name.isascii()
    assert name.startswith("surat-keterangan-surat")
    assert name.endswith(".pdf") and "-.pdf" not in name


def test_messages_are_lazy_indonesian_and_carry_their_values() -> None:
    too_large = rejected(b"x" * 100, max_bytes=50)
    empty = rejected(b"")
    corrupt = rejected(b"\xff\xd8\xff" + b"?" * 40)
    type_error = rejected(b"hello")
    for error in (too_large, empty, corrupt, type_error):
        assert isinstance(error.message, Promise)
        with translation.override("id"):
            assert str(error.message).strip()
    with translation.override("id"):
        assert str(corrupt.message) == "Gambar rusak atau tidak dapat dibaca."
        assert "PDF, JPG, PNG" in str(type_error.message)


def test_size_limit_in_the_message_uses_the_locale() -> None:
    big = upload(b"x" * 10, "besar.pdf")
    big.size = 2 * MB
    with pytest.raises(UploadRejected) as whole:
        clean_upload(big, accept=ALL, max_bytes=MB)
    with pytest.raises(UploadRejected) as fraction:
        clean_upload(big, accept=ALL, max_bytes=int(1.5 * MB))
    with translation.override("id"):
        assert "maksimal 1 MB" in str(whole.value.message)
        assert "maksimal 1,5 MB" in str(fraction.value.message)


def test_callers_can_raise_with_their_own_message() -> None:
    error = UploadRejected("Formulir ini tidak meminta berkas tersebut.")
    assert error.message == "Formulir ini tidak meminta berkas tersebut."
    assert error.reason == "rejected"
