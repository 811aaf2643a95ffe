"""Indonesian NIK (Nomor Induk Kependudukan): parse, validate and mask.

A NIK is 16 digits, ``PP KK CC DD MM YY SSSS``: province, regency/city and district
(kecamatan) of *first* registration (Kemendagri codes), birth day (+40 for women), birth
month, two-digit birth year and a serial. The NIK never changes when its holder moves, so
the region is where the person was first registered, not where they live now.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Kemendagri province codes in use (Kepmendagri 300.2.2-2138/2025). 91–96 include the
# Papua provinces created in 2022; a NIK first issued there carries the new code.
PROVINCE_CODES = frozenset(
    [*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77)]
    + [81, 82, *range(91, 97)]
)

# Birth dates are calendar dates in Indonesia; Kota Blitar is on WIB (UTC+7, no DST).
# A fixed offset avoids depending on the tz database for a default "today".
WIB = timezone(timedelta(hours=7), "WIB")

FEMALE_DAY_OFFSET = 40

# What people type between digit groups when copying a NIK from a KTP or a photo of one.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]")
_ASCII_DIGITS = frozenset("0123456789")

MESSAGES: dict[str, Promise] = {
    "length": _("NIK harus 16 digit angka."),
    "digits": _("NIK hanya boleh berisi angka; spasi, titik, dan tanda hubung diabaikan."),
    "province": _("Kode provinsi pada NIK (dua digit pertama) tidak dikenal."),
    "regency": _("Kode kabupaten/kota pada NIK (digit ke-3 dan ke-4) tidak boleh 00."),
    "district": _("Kode kecamatan pada NIK (digit ke-5 dan ke-6) tidak boleh 00."),
    "day": _("Tanggal lahir pada NIK tidak valid: hari harus 01–31, atau 41–71 untuk perempuan."),
    "month": _("Bulan lahir pada NIK (digit ke-9 dan ke-10) harus 01–12."),
    "date": _("Tanggal lahir pada NIK (digit ke-7 sampai ke-12) tidak ada di kalender."),
    "future": _("Tanggal lahir pada NIK (digit ke-7 sampai ke-12) berada di masa depan."),
    "serial": _("Nomor urut pada NIK (empat digit terakhir) tidak boleh 0000."),
}


class NIKError(ValueError):
    """A NIK that cannot be right; ``part`` names the faulty segment, ``message`` explains it.

    ``message`` is a lazy translation. ``str()`` of the error deliberately does not render
    it, so the error can be logged or shown in a traceback without translations loaded.
    """

    def __init__(self, part: str, message_key: str | None = None) -> None:
        super().__init__(f"invalid NIK: {part}")
        self.part = part
        self.message = MESSAGES[message_key or part]


@dataclass(frozen=True, repr=False)
class NIK:
    value: str
    province: str
    regency: str
    district: str
    birth_date: date
    sex: str
    serial: str

    @property
    def region_code(self) -> str:
        """Dotted Kemendagri code of the kecamatan of first registration, e.g. "35.72.03"."""
        return f"{self.province}.{self.regency}.{self.district}"

    def __repr__(self) -> str:
        # A NIK plus birth date is enough for identity fraud; keep it out of logs and
        # error reports that print objects.
        return f"NIK({mask_nik(self.value)!r})"


def clean_nik(value: str) -> str:
    """Drop the separators a person may type; the result is not yet validated."""
    return _SEPARATORS.sub("", value)


def parse_nik(value: str, *, today: date | None = None) -> NIK:
    """Parse a NIK typed by a person, or raise NIKError naming the first faulty part.

    ``today`` decides the century of the two-digit year and which dates are in the
    future; it defaults to today's date in WIB.
    """
    digits = clean_nik(value)
    if not set(digits) <= _ASCII_DIGITS:
        raise NIKError("digits")
    if len(digits) != 16:
        raise NIKError("length")

    province, regency, district = digits[0:2], digits[2:4], digits[4:6]
    if int(province) not in PROVINCE_CODES:
        raise NIKError("province")
    if regency == "00":
        raise NIKError("regency")
    if district == "00":
        raise NIKError("district")

    birth_date, sex = _birth_date_and_sex(digits[6:12], today or datetime.now(WIB).date())

    serial = digits[12:16]
    if serial == "0000":
        raise NIKError("serial")

    return NIK(
        value=digits,
        province=province,
        regency=regency,
        district=district,
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )


def _birth_date_and_sex(ddmmyy: str, today: date) -> tuple[date, str]:
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    sex = "L"
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = "P"
    if not 1 <= day <= 31:
        raise NIKError("day")
    if not 1 <= month <= 12:
        raise NIKError("month")

    # Only two digits of the year are stored: a year "after" this year's two digits can
    # only be last century, so a NIK describes someone born within the last 100 years.
    century = 1900 if yy > today.year % 100 else 2000
    try:
        birth_date = date(century + yy, month, day)
    except ValueError:
        raise NIKError("date") from None
    if birth_date > today:
        raise NIKError("date", "future")
    return birth_date, sex


def is_valid_nik(value: str, *, today: date | None = None) -> bool:
    try:
        parse_nik(value, today=today)
    except NIKError:
        return False
    return True


def mask_nik(value: str) -> str:
    """Keep the region (first 6) and the last 2 digits, e.g. "357203********01".

    Digits 7–12 are the birth date, which together with the region narrows a person down;
    they are always hidden. Input that is not 16 digits is hidden entirely.
    """
    digits = clean_nik(value)
    if len(digits) != 16 or not set(digits) <= _ASCII_DIGITS:
        return "*" * len(digits)
    return digits[:6] + "*" * 8 + digits[-2:]
