"""Column types of an uploaded table, read the way an Indonesian reader reads a spreadsheet.

Numbers: Indonesia writes "1.234.567" and "1.234,56" (dot groups thousands, comma marks
decimals), while files exported by English-language software say "1,234.56". One value can be
ambiguous ("1.234" is 1234 in Indonesian, 1.234 in English), a column rarely is: the loader
decides the decimal mark once per column, from the values that can only be read one way, and
falls back to the Indonesian reading when nothing tells.

Mixed columns: a column gets the narrowest type that fits the most of its non-empty values,
provided at least THRESHOLD of them fit; otherwise it is text. A handful of typos in a long
column of counts ("12O", "n.a.") keep it a number column, and those cells are reported to the
producer row by row; a column that is really text with some numbers in it stays text. The
producer can always override the type of a column.

Dates are day first (31/01/2024), as in Indonesia; month names may be Indonesian or English.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from kotacerdas.opendata.models import DatastoreField

Type = DatastoreField.Type

# 95%: a few bad cells in a column of a hundred rows are typos to report, one in ten is a
# column of text.
THRESHOLD = 0.95

NULLS = frozenset({"", "-", "–", "—", "--", "n/a", "#n/a", "null", "none", "nan"})

# Digit strings this long are identifiers (NIK has 16 digits), not quantities; past int64
# they would also overflow the column.
MAX_DIGITS = 18

WIB = ZoneInfo("Asia/Jakarta")

TRUE = frozenset({"true", "ya", "yes", "benar", "y"})
FALSE = frozenset({"false", "tidak", "no", "salah", "n"})

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "pebruari", "february", "feb", "peb"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "ags", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov", "nop"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}

_CURRENCY = re.compile(r"(?:rp\.?|idr)\s*", re.IGNORECASE)
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_DATE_NAMED = re.compile(r"(\d{1,2})[\s-]+([^\W\d_]+)\.?[\s-]+(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,6}))?)?")
_ZONE = re.compile(r"\s*(?:z|wib|[+-]\d{2}:?\d{2})$", re.IGNORECASE)
_AT = re.compile(r"\s+(?:pukul|jam)\s+", re.IGNORECASE)


def is_null(text: str) -> bool:
    return text.strip().lower() in NULLS


def _error(message: str) -> ValueError:
    return ValueError(message)


def parse_number(text: str, *, decimal: str = ",") -> int | Decimal:
    """A number as written in a table, with `decimal` as the decimal mark ("," or ".").

    Accepts "Rp" and "IDR" prefixes, a trailing "%" (the number as shown: "12,5%" is 12.5),
    the price suffix ",-", thousands separators in groups of three, and a sign.
    Integers with a leading zero ("0812...", "007") are refused: they are codes, and a number
    would lose the zero.
    """
    value = _number(text, decimal)
    if value is _CODE:
        raise _error(_("Kode atau nomor, bukan bilangan / A code, not a number"))
    if value is None:
        raise _error(_("Bukan bilangan / Not a number"))
    return value  # type: ignore[return-value]


_CODE = object()


def _number(text: str, decimal: str) -> int | Decimal | object | None:
    """parse_number without exceptions (None, or _CODE for codes): inference tries both
    decimal marks on every value, and raising and translating a message each time would
    dominate the load of a large file."""
    s = text.strip()
    if s.isascii() and s.isdigit():
        if (s[0] == "0" and len(s) > 1) or len(s) > MAX_DIGITS:
            return _CODE
        return int(s)
    negative = False
    if s[:1] in ("-", "−", "+"):
        if s[0] == "+" and len(s) > 9 and s[1:].isdigit():
            return _CODE  # "+6281234567890": a telephone number
        negative, s = s[0] != "+", s[1:].lstrip()
    if s[:1] in ("R", "r", "I", "i"):
        currency = _CURRENCY.match(s)
        if currency:
            s = s[currency.end():]
            if not negative and s[:1] in ("-", "−"):
                negative, s = True, s[1:].lstrip()
    if s.endswith("%"):
        s = s[:-1].rstrip()
    if s.endswith((",-", ".-")):
        s = s[:-2]
    if not s or not s.isascii():
        return None
    thousands = "." if decimal == "," else ","
    whole, mark, fraction = s.partition(decimal)
    if mark and not fraction.isdigit():
        return None
    if thousands in whole:
        groups = whole.split(thousands)
        if not (1 <= len(groups[0]) <= 3 and groups[0].isdigit() and groups[0][0] != "0"
                and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
            return None
        whole = "".join(groups)
    elif whole and not whole.isdigit():
        return None
    if not whole and not fraction:
        return None
    if len(whole) > MAX_DIGITS:
        return _CODE
    if not fraction:
        if len(whole) > 1 and whole[0] == "0" and not mark:
            return _CODE
        value: int | Decimal = int(whole)
    else:
        value = Decimal(f"{whole or '0'}.{fraction}")
    return -value if negative else value


def parse_int(text: str, *, decimal: str = ",") -> int:
    value = parse_number(text, decimal=decimal)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise _error(_("Bukan bilangan bulat / Not a whole number"))
        return int(value)
    return value


def parse_date(text: str) -> date:
    s = text.strip()
    try:
        match = _DATE_ISO.fullmatch(s)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = _DATE_DMY.fullmatch(s)
        if match:
            return date(int(match[4]), int(match[3]), int(match[1]))
        match = _DATE_NAMED.fullmatch(s)
        if match and match[2].lower() in MONTHS:
            return date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    except ValueError as exc:
        raise _error(_("Tanggal tidak ada di kalender / Not a calendar date")) from exc
    raise _error(_("Bukan tanggal / Not a date"))


def parse_timestamp(text: str) -> datetime:
    """A date with an optional time of day. Offsets are converted to WIB and dropped, because
    a timestamp column holds the city's wall-clock time, like CKAN's `timestamp` type."""
    s = text.strip()
    if not s:
        raise _error(_("Bukan tanggal dan waktu / Not a date and time"))
    if s[0].isdigit() and "-" in s[:5] and ("T" in s or ":" in s):
        try:
            moment = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                moment = moment.astimezone(WIB).replace(tzinfo=None)
            return moment
    zone = _ZONE.search(s)
    if zone and zone.group().strip().lower() in ("z", "wib"):
        s = s[: zone.start()]
    at = _AT.search(s)
    head, _sep, tail = s.rpartition(" ")
    if at:
        day, clock = s[: at.start()], s[at.end():]
    elif head and _TIME.fullmatch(tail):
        day, clock = head, tail
    elif "T" in s:
        day, clock = s.split("T", 1)
    else:
        day, clock = s, ""
    when = parse_date(day)
    if not clock:
        return datetime.combine(when, time())
    match = _TIME.fullmatch(clock.strip())
    if not match:
        raise _error(_("Bukan tanggal dan waktu / Not a date and time"))
    try:
        return datetime.combine(
            when,
            time(int(match[1]), int(match[2]), int(match[3] or 0), int((match[4] or "0").ljust(6, "0"))),
        )
    except ValueError as exc:
        raise _error(_("Jam tidak valid / Not a valid time of day")) from exc


def parse_bool(text: str) -> bool:
    s = text.strip().lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise _error(_("Bukan ya/tidak / Not yes or no"))


def parse(text: str, type: str, *, decimal: str = ",") -> object:
    """Convert one cell to the Python value of column type `type`; None for an empty cell.

    Raises ValueError with a bilingual message when the text is not of that type.
    """
    if is_null(text):
        return None
    if type == Type.TEXT:
        return text.strip()
    if type == Type.INT:
        return parse_int(text, decimal=decimal)
    if type == Type.NUMERIC:
        value = parse_number(text, decimal=decimal)
        return Decimal(value) if isinstance(value, int) else value
    if type == Type.DATE:
        return parse_date(text)
    if type == Type.TIMESTAMP:
        return parse_timestamp(text)
    if type == Type.BOOL:
        return parse_bool(text)
    raise ValueError(_("Tipe kolom tidak dikenal / Unknown column type: %(type)s") % {"type": type})


def convert(value: object, type: str, *, decimal: str = ",") -> object:
    """Like `parse`, for a cell that may already be typed (spreadsheets give numbers, dates
    and booleans as such)."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse(value, type, decimal=decimal)
    if type == Type.TEXT:
        return _cell_text(value)
    if isinstance(value, bool):
        if type == Type.BOOL:
            return value
    elif isinstance(value, int | float):
        if type == Type.INT:
            if float(value).is_integer():
                return int(value)
            raise _error(_("Bukan bilangan bulat / Not a whole number"))
        if type == Type.NUMERIC:
            return Decimal(str(value))
    elif isinstance(value, datetime):
        if type == Type.TIMESTAMP:
            return value.replace(tzinfo=None)
        if type == Type.DATE and value.time() == time():
            return value.date()
    elif isinstance(value, date):
        if type == Type.DATE:
            return value
        if type == Type.TIMESTAMP:
            return datetime.combine(value, time())
    # Typed cells print the Python way, with a decimal point.
    return parse(_cell_text(value), type, decimal=".")


def _cell_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# What a value could be, as bits, so that a column tallies a Counter of small ints.
INT_COMMA, INT_DOT, NUM_COMMA, NUM_DOT, BOOL, DATE, TIMESTAMP = (1 << n for n in range(7))
_MEMO_LIMIT = 100_000


def shape(value: object) -> int:
    """The set of readings a non-empty cell allows, as INT_COMMA | NUM_DOT | ... bits."""
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT_COMMA | INT_DOT | NUM_COMMA | NUM_DOT
    if isinstance(value, float):
        whole = value.is_integer()
        return NUM_COMMA | NUM_DOT | ((INT_COMMA | INT_DOT) if whole else 0)
    if isinstance(value, datetime):
        return TIMESTAMP | (DATE if value.time() == time() else 0)
    if isinstance(value, date):
        return DATE | TIMESTAMP
    if not isinstance(value, str):
        return 0
    bits = 0
    first = value.lstrip()[:1]
    if first.isdigit() or first in ("-", "−", "+", "R", "r", "I", "i", ".", ","):
        for decimal, int_bit, num_bit in ((",", INT_COMMA, NUM_COMMA), (".", INT_DOT, NUM_DOT)):
            number = _number(value, decimal)
            if number is None or number is _CODE:
                continue
            bits |= num_bit
            if isinstance(number, int) or (
                isinstance(number, Decimal) and number == number.to_integral_value()
            ):
                bits |= int_bit
        if bits:
            return bits
    if value.strip().lower() in TRUE or value.strip().lower() in FALSE:
        return BOOL
    if first.isdigit():
        try:
            parse_timestamp(value)
        except ValueError:
            return 0
        bits = TIMESTAMP
        try:
            parse_date(value)
            bits |= DATE
        except ValueError:
            pass
    return bits


@dataclass(frozen=True)
class Guess:
    type: str
    decimal: str  # "," or ".": how this column writes decimals
    values: int  # non-empty values seen
    fitting: int  # how many of them fit `type`


class ColumnProfile:
    """Tallies what the values of one column could be; `guess()` then names its type."""

    def __init__(self) -> None:
        self.shapes: Counter[int] = Counter()
        self.nulls = 0
        # Text values counted as they come (Counter.update runs in C) and classified once per
        # distinct value: a million rows of 21 kelurahan names cost 21 classifications.
        self._pending: Counter[str] = Counter()

    def observe(self, value: object) -> None:
        if isinstance(value, str):
            self._pending[value] += 1
            if len(self._pending) > _MEMO_LIMIT:
                self._fold()
        elif value is None:
            self.nulls += 1
        else:
            self.shapes[shape(value)] += 1

    def observe_texts(self, values: Iterable[str]) -> None:
        """observe() for many CSV cells (all strings) at once."""
        self._pending.update(values)
        if len(self._pending) > _MEMO_LIMIT:
            self._fold()

    def _fold(self) -> None:
        for value, count in self._pending.items():
            if value.strip().lower() in NULLS:
                self.nulls += count
            else:
                self.shapes[shape(value)] += count
        self._pending.clear()

    def has_values(self) -> bool:
        self._fold()
        return bool(self.shapes)

    def fitting(self, bit: int) -> int:
        return sum(count for bits, count in self.shapes.items() if bits & bit)

    def guess(self, threshold: float = THRESHOLD) -> Guess:
        self._fold()
        values = sum(self.shapes.values())
        if not values:
            return Guess(Type.TEXT, ",", 0, 0)
        # Indonesian unless more values read only the English way than only the Indonesian way.
        dot = self.fitting(NUM_DOT) > self.fitting(NUM_COMMA)
        decimal = "." if dot else ","
        candidates = [
            (Type.BOOL, BOOL),
            (Type.INT, INT_DOT if dot else INT_COMMA),
            (Type.NUMERIC, NUM_DOT if dot else NUM_COMMA),
            (Type.DATE, DATE),
            (Type.TIMESTAMP, TIMESTAMP),
        ]
        best_type, best = Type.TEXT, 0
        for type, bit in candidates:
            count = self.fitting(bit)
            if count > best:  # strictly more: on a tie the narrower type, listed first, wins
                best_type, best = type, count
        if best < threshold * values:
            return Guess(Type.TEXT, decimal, values, values)
        return Guess(best_type, decimal, values, best)


def infer(values: Iterable[object], threshold: float = THRESHOLD) -> Guess:
    """The type of a column of values (strings from CSV, typed cells from XLSX, or None)."""
    profile = ColumnProfile()
    for value in values:
        profile.observe(value)
    return profile.guess(threshold)
