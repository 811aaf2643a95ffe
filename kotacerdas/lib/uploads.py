"""Checking files that residents upload: application documents now, report photos later.

An upload is judged by its content, never by its name or the content type the browser
sent: both are chosen by the client. What passes is returned as a ``CleanFile`` ready to
store:

- JPEG and PNG are decoded and encoded again. That drops everything but the pixels: EXIF
  (phone photos carry the GPS position of the resident's home), XMP, ICC profiles, JPEG
  comments and PNG text chunks. It also means a file that merely starts like an image but
  carries something else does not survive.
- PDFs cannot be rebuilt that way without risking the document, so they are stored as
  sent, but only after pypdf has parsed them and found no scripts, launch actions or
  embedded files, and no encryption (which would hide them from that check).
"""

from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass
from io import BytesIO
from typing import Protocol

from django.utils.formats import number_format
from django.utils.functional import Promise, lazy
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

PDF = "pdf"
JPG = "jpg"
PNG = "png"

CONTENT_TYPES = {PDF: "application/pdf", JPG: "image/jpeg", PNG: "image/png"}

# Anything larger than a 40-megapixel phone photo is refused before its pixels are decoded.
# Decoding is what costs memory (about 4 bytes a pixel), and a PNG of a few kilobytes can
# declare any size; this check sees only the declared size. Pillow's own guard
# (Image.MAX_IMAGE_PIXELS, about 89 megapixels) stays in place behind it.
MAX_PIXELS = 40_000_000

JPEG_QUALITY = 85
NAME_MAX_LENGTH = 60
FALLBACK_NAME = "berkas"

_MAGIC = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPG),
    (b"\x89PNG\r\n\x1a\n", PNG),
]
_ALIASES = {"jpeg": JPG}
_PILLOW_FORMATS = {JPG: "JPEG", PNG: "PNG"}
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16"})
_READ_SIZE = 64 * 1024

# Names whose presence anywhere in a PDF's object graph means it can act on its own when
# opened: JavaScript (as an action or in the /Names tree), launching programs, files carried
# inside the PDF, and XFA forms, whose XML carries scripts that Acrobat runs. pypdf decodes
# "#xx" escapes in names, so "/J#53" arrives as "/JS".
_ACTIVE_PDF_NAMES = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/FileAttachment", "/XFA"}
)

MESSAGES: dict[str, Promise] = {
    "empty": _("Berkas kosong. Pilih berkas lain."),
    "too_large": _("Berkas terlalu besar. Ukuran maksimal %(mb)s MB."),
    "type": _("Jenis berkas tidak dikenali atau tidak diizinkan. Jenis yang diterima: %(kinds)s."),
    "image_corrupt": _("Gambar rusak atau tidak dapat dibaca."),
    "image_too_big": _(
        "Gambar terlalu besar (lebih dari %(megapixels)s megapiksel). Perkecil gambar, lalu unggah lagi."
    ),
    "pdf_corrupt": _("PDF rusak atau tidak dapat dibaca."),
    "pdf_no_pages": _("PDF tidak berisi halaman."),
    "pdf_encrypted": _("PDF dilindungi kata sandi atau terenkripsi. Unggah PDF tanpa kata sandi."),
    "pdf_active": _(
        "PDF berisi skrip, perintah otomatis, atau berkas sisipan sehingga tidak dapat diterima. "
        "Simpan ulang sebagai PDF biasa (misalnya dengan Cetak ke PDF), lalu unggah lagi."
    ),
}


class UploadRejected(Exception):
    """An upload we will not store; ``message`` tells the resident why, ``reason`` is a key.

    ``message`` is a lazy translation; the checks here fill in their values (sizes, kinds)
    only when it is rendered, so it appears in the language of the page that shows it.
    Callers with their own reason pass their own message. ``str()`` of the error does not
    render it (see NIKError).
    """

    def __init__(self, message: Promise | str, *, reason: str = "rejected") -> None:
        super().__init__(f"upload rejected: {reason}")
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    kind: str  # "pdf" | "jpg" | "png"
    content_type: str
    name: str  # safe: ASCII slug of the original name + the extension of the detected kind
    size: int


class UploadLike(Protocol):
    """What clean_upload needs from an upload; Django's UploadedFile has it."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = -1, /) -> bytes: ...


def clean_upload(
    upload: UploadLike, *, accept: Collection[str], max_bytes: int, max_side: int | None = None
) -> CleanFile:
    """Check an upload and return what to store, or raise UploadRejected.

    ``accept`` lists the kinds allowed here ("pdf", "jpg"/"jpeg", "png"). ``max_bytes``
    limits the upload as sent. ``max_side`` (pixels) shrinks images whose longer side is
    larger; PDFs are not touched.
    """
    accepted = _accepted_kinds(accept)
    declared = upload.size
    if declared is not None and declared > max_bytes:
        raise _rejected("too_large", mb=_Megabytes(max_bytes))
    data = _read_at_most(upload, max_bytes)
    if len(data) > max_bytes:
        raise _rejected("too_large", mb=_Megabytes(max_bytes))
    if not data:
        raise _rejected("empty")

    kind = _detect_kind(data)
    if kind is None or kind not in accepted:
        raise _rejected("type", kinds=", ".join(k.upper() for k in sorted(accepted, key=_kind_order)))

    if kind == PDF:
        _check_pdf(data)
        content = data
    else:
        content = _reencode_image(data, kind, max_side)
    return CleanFile(
        content=content,
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        name=safe_name(upload.name or "", kind),
        size=len(content),
    )


def safe_name(original: str, kind: str) -> str:
    """A file name safe for any file system and for Content-Disposition headers.

    The stem of what the resident's device called the file, transliterated to ASCII and
    slugified, with the extension of the kind we detected rather than the one it had.
    """
    # Old browsers on Windows send the whole path; both separators are stripped.
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rpartition(".")[0] or base
    slug = slugify(stem)[:NAME_MAX_LENGTH].strip("-_")
    return f"{slug or FALLBACK_NAME}.{kind}"


def _accepted_kinds(accept: Collection[str]) -> frozenset[str]:
    kinds = frozenset(_ALIASES.get(k.lower(), k.lower()) for k in accept)
    unknown = kinds - CONTENT_TYPES.keys()
    if unknown or not kinds:
        raise ValueError(f"accept must name kinds among {sorted(CONTENT_TYPES)}, got {sorted(accept)}")
    return kinds


def _kind_order(kind: str) -> int:
    return list(CONTENT_TYPES).index(kind)


def _read_at_most(upload: UploadLike, limit: int) -> bytes:
    # Read at most limit + 1 bytes: one byte past the limit is enough to know the file is
    # too large, and a client that lies about (or omits) the size cannot make us hold more.
    # A form field's validation may already have read the file; rewind if we can. A stream
    # that cannot rewind is read from where it is.
    seek = getattr(upload, "seek", None)
    if seek is not None:
        with suppress(OSError):
            seek(0)
    parts = []
    remaining = limit + 1
    while remaining > 0:
        chunk = upload.read(min(remaining, _READ_SIZE))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _detect_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _reencode_image(data: bytes, kind: str, max_side: int | None) -> bytes:
    try:
        # Only the detected format may parse it, so a file with a JPEG signature can
        # never be handed to some other, less used, decoder.
        opened = Image.open(BytesIO(data), formats=[_PILLOW_FORMATS[kind]])
        if opened.width * opened.height > MAX_PIXELS:
            raise _rejected("image_too_big", megapixels=MAX_PIXELS // 1_000_000)
        if max_side and kind == JPG:
            # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding; a phone
            # photo then never exists in memory at full size.
            opened.draft(opened.mode, (max_side, max_side))
        opened.load()
        # Apply the EXIF orientation to the pixels before the EXIF is dropped, or the
        # photo would turn sideways.
        image = ImageOps.exif_transpose(opened)
    except Image.DecompressionBombError as error:
        raise _rejected("image_too_big", megapixels=MAX_PIXELS // 1_000_000) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Pillow reports truncated and malformed data through all of these.
        raise _rejected("image_corrupt") from error

    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    image = _to_jpeg_mode(image) if kind == JPG else _to_png_mode(image)
    # Pillow writes some metadata (ICC profile, JPEG comment) from image.info when saving,
    # so only the palette transparency, which is pixels rather than metadata, is kept.
    transparency = image.info.get("transparency") if kind == PNG else None
    image.info = {} if transparency is None else {"transparency": transparency}

    out = BytesIO()
    if kind == JPG:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _to_jpeg_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # JPEG has no transparency; flatten on white, as the image would look on paper.
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    # CMYK (from print workflows), P, I;16 ...: browsers do not all show CMYK JPEGs.
    return image.convert("RGB")


def _to_png_mode(image: Image.Image) -> Image.Image:
    if image.mode in _PNG_MODES:
        return image
    # Not something Pillow reads from a PNG today, but Pillow cannot write it back either.
    return image.convert("RGBA" if "A" in image.getbands() else "RGB")


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _rejected("pdf_encrypted")
        if len(reader.pages) == 0:
            raise _rejected("pdf_no_pages")
        active = _has_active_content(reader)
    except UploadRejected:
        raise
    except Exception as error:
        # A parser fed hostile bytes fails in many ways (PdfReadError, but also KeyError,
        # ValueError, RecursionError...). Whatever it is, the resident sees "damaged".
        raise _rejected("pdf_corrupt") from error
    if active:
        raise _rejected("pdf_active")


def _has_active_content(reader: PdfReader) -> bool:
    # Walk every object reachable from the trailer, the same graph a viewer follows, rather
    # than only the places where actions usually sit: page and annotation /AA entries,
    # /OpenAction, form fields and the /Names tree can all hold them. Stream data is not
    # decoded; only dictionaries and arrays are looked at.
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in _ACTIVE_PDF_NAMES or (
                    isinstance(value, NameObject) and value in _ACTIVE_PDF_NAMES
                ):
                    return True
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _rejected(reason: str, **params: object) -> UploadRejected:
    message = MESSAGES[reason]
    return UploadRejected(_lazy_interpolate(message, params) if params else message, reason=reason)


class _Megabytes:
    """A size in MB, formatted for the active locale when the message is rendered ("1,5")."""

    def __init__(self, size: int) -> None:
        self.megabytes = size / (1024 * 1024)

    def __str__(self) -> str:
        decimals = 0 if self.megabytes == int(self.megabytes) else 1
        return number_format(self.megabytes, decimals)


def _interpolate(message: Promise, params: dict[str, object]) -> str:
    return str(message) % params


_lazy_interpolate = lazy(_interpolate, str)
