"""Indonesian phone numbers: normalise what people type to E.164, and mask for logs.

Numbers are stored as E.164 ("+62…") so that one person typing "0812-3456-7890" and
another typing "+62 812 3456 7890" are recognised as the same WhatsApp/SMS recipient.
Only Indonesian numbers are accepted: notifications go through Indonesian gateways.
"""

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNTRY_CODE = "62"

# Lengths of the national significant number (after +62, without the trunk 0).
MOBILE_LENGTHS = range(9, 13)
LANDLINE_LENGTHS = range(8, 12)

_SEPARATORS = re.compile(r"[\s.\-()\u2010-\u2015]")
_ASCII_DIGITS = frozenset("0123456789")

MESSAGES: dict[str, Promise] = {
    "characters": _(
        "Nomor telepon hanya boleh berisi angka, spasi, tanda hubung, titik, tanda kurung, "
        "dan tanda + di depan."
    ),
    "country": _("Nomor telepon harus nomor Indonesia, diawali 0, 62, atau +62."),
    "number": _(
        "Nomor telepon tidak dikenali: nomor HP diawali 08 dan terdiri dari 10–13 digit; "
        "nomor telepon rumah/kantor diawali kode wilayah, misalnya 0342."
    ),
}


class PhoneError(ValueError):
    """A phone number we cannot send to; ``reason`` is a short key, ``message`` explains it.

    ``message`` is a lazy translation; ``str()`` does not render it (see NIKError).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid phone number: {reason}")
        self.reason = reason
        self.message = MESSAGES[reason]


def normalize_phone(value: str) -> str:
    """Return the E.164 form ("+6281234567890") of an Indonesian number, or raise PhoneError.

    Accepts 08…/0342… (national, with trunk 0), 628…, +62 8…, with spaces, dashes, dots and
    parentheses. A number without 0 or 62 in front is rejected rather than guessed.
    """
    compact = _SEPARATORS.sub("", value)
    has_plus = compact.startswith("+")
    digits = compact[1:] if has_plus else compact
    if not digits or not set(digits) <= _ASCII_DIGITS:
        raise PhoneError("characters")

    national = _national_number(digits, has_plus)
    if not _is_mobile(national) and not _is_landline(national):
        raise PhoneError("number")
    return f"+{COUNTRY_CODE}{national}"


def _national_number(digits: str, has_plus: bool) -> str:
    if digits.startswith(COUNTRY_CODE):
        national = digits[len(COUNTRY_CODE) :]
        # People often write "+62 (0)812…" keeping the trunk prefix; a national
        # significant number never starts with 0, so dropping one is safe.
        return national.removeprefix("0")
    if has_plus:
        raise PhoneError("country")
    if digits.startswith("0") and not digits.startswith("00"):
        return digits[1:]
    raise PhoneError("country")


def _is_mobile(national: str) -> bool:
    # Mobile ranges are 0811–0899; 0800 is toll-free and 0809 premium, neither reachable
    # by WhatsApp or SMS.
    return national[:1] == "8" and national[1:2] != "0" and len(national) in MOBILE_LENGTHS


def _is_landline(national: str) -> bool:
    # Area codes start 02–07 and 09 (Maluku and Papua, e.g. 0911 Ambon, 0967 Jayapura);
    # 01 is for service numbers and 08 for mobile.
    return national[:1] in "2345679" and len(national) in LANDLINE_LENGTHS


def is_valid_phone(value: str) -> bool:
    try:
        normalize_phone(value)
    except PhoneError:
        return False
    return True


def mask_phone(value: str) -> str:
    """Mask a number for logs: "+6281234567890" -> "+62812*****890".

    Keeps the operator prefix and the last three digits, enough to tell two numbers of one
    person apart. Something that is not a valid number keeps only its last two digits.
    """
    try:
        e164 = normalize_phone(value)
    except PhoneError:
        digits = [ch for ch in value if ch in _ASCII_DIGITS]
        return "*" * max(len(digits) - 2, 0) + "".join(digits[-2:])
    national = e164[1 + len(COUNTRY_CODE) :]
    return f"+{COUNTRY_CODE}{national[:3]}{'*' * (len(national) - 6)}{national[-3:]}"
