"""Open311 errors and the other texts the API sends.

A partner app shows an error's description as it comes, to a resident who may read either
language, so every text here is Indonesian and English at once ("<id> / <en>"), whatever
the request's language. They are pairs rather than catalog entries because the catalog
answers in one language at a time (see lib/bilingual.py for catalog messages).
"""

from typing import NamedTuple

from django.utils import translation

from kotacerdas.lib.bilingual import both


class Text(NamedTuple):
    id: str
    en: str

    def format(self, **params: object) -> "Text":
        return Text(self.id.format(**params), self.en.format(**params))

    def __str__(self) -> str:
        return f"{self.id} / {self.en}"


class Problem(NamedTuple):
    """One entry of the errors list: the spec's {code, description}."""

    code: int
    description: str


class Open311Error(Exception):
    """Answer with the spec's errors list. `status` is 400, 403, 404 (spec §Errors) or 405."""

    def __init__(self, status: int, *texts: Text | str):
        super().__init__(status)
        self.status = status
        self.problems = [Problem(status, str(text)) for text in texts]


def catalog_or(message, english: str) -> Text:
    """A catalog message (e.g. from report_submit) with its English translation, or the
    given English while the catalog has none."""
    with translation.override("id"):
        indonesian = str(message)
    with translation.override("en"):
        translated = str(message)
    return Text(indonesian, translated if translated != indonesian else english)


def label(message) -> str:
    """A catalog label (a status name) in both languages."""
    return both(message)


# --- Errors -------------------------------------------------------------------------------

BAD_API_KEY = Text(
    "api_key tidak ada atau tidak berlaku; laporan tidak dapat dibuat.",
    "Invalid or missing api_key received -- can't proceed with create_request.",
)
UNKNOWN_JURISDICTION = Text(
    "jurisdiction_id tidak dikenal; layanan ini hanya untuk {expected}.",
    "Unknown jurisdiction_id; this endpoint serves {expected} only.",
)
SERVICE_CODE_MISSING = Text("service_code wajib diisi.", "service_code is required.")
UNKNOWN_SERVICE = Text(
    "service_code {code} tidak ditemukan; lihat daftar di services.{format}.",
    "service_code {code} not found; see services.{format}.",
)
UNKNOWN_REQUEST = Text(
    "Laporan {code} tidak ditemukan.",
    "Service request {code} not found.",
)
UNKNOWN_TOKEN = Text(
    "Token {token} tidak ditemukan. Layanan ini langsung memberikan service_request_id, "
    "tanpa token.",
    "Token {token} not found. This endpoint returns service_request_id directly, never a token.",
)
METHOD_NOT_ALLOWED = Text(
    "Metode {method} tidak didukung di sini.",
    "Method {method} is not supported here.",
)

LOCATION_MISSING = Text(
    "Lokasi wajib: kirim lat dan long (WGS84) titik masalah di Kota Blitar.",
    "A location is required: send lat and long (WGS84) of the problem in Kota Blitar.",
)
LAT_LONG_PAIR = Text(
    "lat dan long harus dikirim bersama.",
    "lat and long must be sent together.",
)
LAT_LONG_NUMBERS = Text(
    "lat dan long harus berupa angka desimal (WGS84), mis. lat=-8.0953&long=112.1612.",
    "lat and long must be decimal numbers (WGS84), e.g. lat=-8.0953&long=112.1612.",
)
ADDRESS_NEEDS_POINT = Text(
    "Alamat saja belum cukup: kami perlu titik lokasi untuk meneruskan laporan. Kirim lat dan "
    "long, atau address_id berupa kode kelurahan Kemendagri (mis. 35.72.01.1004).",
    "An address alone is not enough: we need a point to route the report. Send lat and long, "
    "or address_id as a Kemendagri kelurahan code (e.g. 35.72.01.1004).",
)
UNKNOWN_ADDRESS_ID = Text(
    "address_id {address_id} bukan kode kelurahan di Kota Blitar. Kirim lat dan long, atau "
    "kode kelurahan Kemendagri (mis. 35.72.01.1004).",
    "address_id {address_id} is not a Kota Blitar kelurahan code. Send lat and long, or a "
    "Kemendagri kelurahan code (e.g. 35.72.01.1004).",
)
OUTSIDE_CITY = Text(
    "Titik ini berada di luar wilayah Kota Blitar. Pengaduan hanya untuk masalah di dalam kota; "
    "untuk wilayah lain gunakan SP4N-LAPOR! (lapor.go.id).",
    "This point is outside Kota Blitar. Reports are for problems inside the city only; "
    "elsewhere use SP4N-LAPOR! (lapor.go.id).",
)
DESCRIPTION_TOO_LONG = Text(
    "description terlalu panjang: paling banyak {n} karakter.",
    "description is too long: at most {n} characters.",
)
BAD_DATETIME = Text(
    "{name}: tanggal dan jam W3C dengan zona waktu, mis. 2026-11-01T08:00:00+07:00.",
    "{name}: a W3C datetime with a time zone, e.g. 2026-11-01T08:00:00+07:00.",
)
DATE_ORDER = Text(
    "start_date harus sebelum end_date.",
    "start_date must come before end_date.",
)
DATE_SPAN = Text(
    "Rentang start_date sampai end_date paling lama {days} hari.",
    "The range from start_date to end_date may span at most {days} days.",
)
BAD_STATUS = Text(
    "status: gunakan open, closed, atau keduanya dipisah koma.",
    "status: use open, closed, or both separated by a comma.",
)
BAD_NUMBER = Text(
    "{name}: bilangan bulat antara 1 dan {most}.",
    "{name}: a whole number from 1 to {most}.",
)

# English for report_submit's field errors, used while the catalog has no translation.
FIELD_ENGLISH = {
    "description": "describe the problem.",
    "location": "the point must be inside Kota Blitar.",
    "photos": "at most 5 photos, JPEG or PNG, 10 MB each.",
    "privacy": "choose one of the listed values.",
    "category": "this service does not accept new requests.",
}
ATTRIBUTE_ENGLISH = "missing, or not one of the values in the service definition."
DATETIME_ATTRIBUTE = Text(
    "Isi dengan tanggal dan jam W3C, mis. 2026-11-01T08:00:00+07:00.",
    "a W3C datetime with a time zone, e.g. 2026-11-01T08:00:00+07:00.",
)

# --- Other texts --------------------------------------------------------------------------

SERVICE_NOTICE = Text(
    "Laporan diterima dengan kode lacak {code}. {agency} memverifikasinya paling lambat {due}. "
    "Pantau di {url}",
    "Report received with tracking code {code}. {agency} verifies it by {due}. Follow it at {url}",
)
SERVICE_NOTICE_CENTROID = Text(
    "Lokasi dicatat di tengah Kelurahan {kelurahan}; petugas memakai keterangan alamat untuk "
    "menemukannya.",
    "The location was recorded at the centre of Kelurahan {kelurahan}; officers use the "
    "address to find it.",
)
CONTACT = Text(
    "Diskominfotik {city}: lihat {site}",
    "Diskominfotik {city}: see {site}",
)
KEY_SERVICE = Text(
    "Kunci API untuk mengirim laporan diberikan Diskominfotik {city} atas permintaan resmi "
    "(admin: kotacerdas create_api_key NAMA). Membaca data tidak perlu kunci.",
    "API keys for submitting reports are issued by Diskominfotik {city} on an official "
    "request (admins: kotacerdas create_api_key NAME). Reading needs no key.",
)
DATATYPE_HELP = {
    "string": Text("Teks satu baris.", "One line of text."),
    "number": Text("Angka, mis. 12 atau 2.5.", "A number, e.g. 12 or 2.5."),
    "datetime": Text(
        "Tanggal dan jam W3C, mis. 2026-11-01T08:00:00+07:00.",
        "A W3C datetime, e.g. 2026-11-01T08:00:00+07:00.",
    ),
    "text": Text("Teks, boleh beberapa baris.", "Text; line breaks allowed."),
    "singlevaluelist": Text("Satu key dari values.", "One key from values."),
    "multivaluelist": Text(
        "Satu atau beberapa key dari values: attribute[code][]=key1&attribute[code][]=key2.",
        "One or more keys from values: attribute[code][]=key1&attribute[code][]=key2.",
    ),
}
CLOSE_REASONS = {
    "fixed": Text("Selesai ditangani.", "Fixed."),
    "not_responsible": Text(
        "Ditutup: bukan kewenangan Pemerintah Kota.", "Closed: not the city's responsibility."
    ),
    "duplicate": Text("Ditutup: sama dengan laporan lain.", "Closed: duplicate of another report."),
    "no_action": Text("Ditutup: tidak dapat ditindaklanjuti.", "Closed: no further action possible."),
}
DUPLICATE_OF = Text("Sama dengan laporan {code}.", "Duplicate of report {code}.")
