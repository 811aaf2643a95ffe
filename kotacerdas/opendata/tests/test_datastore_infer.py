import contextlib
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.opendata.datastore.infer import (
    THRESHOLD,
    infer,
    parse,
    parse_number,
)
from kotacerdas.opendata.models import DatastoreField

T = DatastoreField.Type


def naive(*parts: int) -> datetime:
    """Timestamp columns hold WIB wall-clock time without a zone, like CKAN's `timestamp`."""
    return datetime(*parts)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567", 1234567),
        ("1.234,56", Decimal("1234.56")),
        ("12,5", Decimal("12.5")),
        ("Rp 1.500.000", 1500000),
        ("Rp. 1.500.000,-", 1500000),
        ("IDR 2.000", 2000),
        ("-3", -3),
        ("−3", -3),
        ("12,5%", Decimal("12.5")),
        ("0,75", Decimal("0.75")),
        ("  42 ", 42),
        ("1.234", 1234),  # Indonesian reading when nothing says otherwise
    ],
)
def test_indonesian_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.56", Decimal("1234.56")), ("1,234,567", 1234567), ("112.168", Decimal("112.168"))],
)
def test_english_numbers_with_a_decimal_point(text, expected):
    assert parse_number(text, decimal=".") == expected


@pytest.mark.parametrize("text", ["0812345678", "007", "+6281234567890", "35.72.01", "1.23.456", "12,5,6",
                                  "abc", "1,234.56", "Rp", "%", "1 234", "1234567890123456789"])
def test_codes_and_garbage_are_not_numbers(text):
    with pytest.raises(ValueError, match="/"):  # bilingual message
        parse_number(text)


@pytest.mark.parametrize(
    "text", ["2024-01-31", "31/01/2024", "31-01-2024", "31.01.2024", "31 Januari 2024", "31 Jan 2024",
             "31 january 2024"],
)
def test_dates_day_first_with_indonesian_months(text):
    assert parse(text, T.DATE) == date(2024, 1, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-31 13:45", naive(2024, 1, 31, 13, 45)),
        ("2024-01-31T13:45:10", naive(2024, 1, 31, 13, 45, 10)),
        ("31/01/2024 13.45", naive(2024, 1, 31, 13, 45)),
        ("31 Agustus 2024 pukul 08.00", naive(2024, 8, 31, 8, 0)),
        ("2024-01-31T06:00:00Z", naive(2024, 1, 31, 13, 0)),  # to WIB wall-clock time
    ],
)
def test_timestamps(text, expected):
    assert parse(text, T.TIMESTAMP) == expected


def test_impossible_date_is_refused():
    with pytest.raises(ValueError, match="Not a calendar date"):
        parse("31/02/2024", T.DATE)


@pytest.mark.parametrize("text", ["", "-", " - ", "—", "N/A", "null"])
def test_empty_markers_are_null_in_every_type(text):
    for type in T.values:
        assert parse(text, type) is None


def test_bool_in_both_languages():
    assert [parse(t, T.BOOL) for t in ["Ya", "tidak", "TRUE", "no"]] == [True, False, True, False]


def test_parse_text_keeps_the_text():
    assert parse(" Sukorejo ", T.TEXT) == "Sukorejo"


def test_int_refuses_fractions():
    with pytest.raises(ValueError, match="Not a whole number"):
        parse("12,5", T.INT)


def test_unknown_type():
    with pytest.raises(ValueError, match="Unknown column type"):
        parse("1", "json")


# --- inference --------------------------------------------------------------------------------


def test_infers_each_type():
    assert infer(["1", "2", "3"]).type == T.INT
    assert infer(["1,5", "2", "3"]).type == T.NUMERIC
    assert infer(["2024-01-31", "31/01/2024"]).type == T.DATE
    assert infer(["2024-01-31 10:00", "2024-02-01"]).type == T.TIMESTAMP
    assert infer(["ya", "tidak", "Ya"]).type == T.BOOL
    assert infer(["Sukorejo", "Kepanjenkidul"]).type == T.TEXT


def test_empty_cells_do_not_count():
    guess = infer(["1", "", "-", None, "2"])
    assert (guess.type, guess.values) == (T.INT, 2)


def test_all_empty_column_is_text():
    assert infer(["", "-", None]).type == T.TEXT


def test_column_decimal_mark_comes_from_unambiguous_values():
    # "1.234" alone reads as 1234; next to "0.5" the column writes decimals with a point.
    assert infer(["1.234", "2.345"]).decimal == ","
    assert infer(["1.234", "2.345"]).type == T.INT
    guess = infer(["1.234", "0.5", "3.25"])
    assert (guess.type, guess.decimal) == (T.NUMERIC, ".")
    assert infer(["112.1683", "112.168", "-8.0954"]).decimal == "."
    assert infer(["1.234,5", "1.000"]).decimal == ","


def test_a_few_bad_values_keep_the_numeric_type():
    values = ["10"] * 96 + ["n.a.", "x", "12O", "?"]
    guess = infer(values)
    assert (guess.type, guess.values, guess.fitting) == (T.INT, 100, 96)


def test_mostly_text_with_numbers_stays_text():
    values = ["10"] * 90 + ["lihat catatan"] * 10
    assert THRESHOLD > 90 / 100
    assert infer(values).type == T.TEXT


def test_ints_with_some_decimals_widen_to_numeric():
    assert infer(["1", "2", "3", "4,5"]).type == T.NUMERIC


def test_codes_with_leading_zeros_are_text():
    assert infer(["0812", "0813", "0856"]).type == T.TEXT


def test_typed_spreadsheet_cells():
    assert infer([1, 2, None]).type == T.INT
    assert infer([1, 2.5]).type == T.NUMERIC
    assert infer([naive(2024, 1, 1), naive(2024, 2, 1)]).type == T.DATE
    assert infer([naive(2024, 1, 1, 10, 30)]).type == T.TIMESTAMP
    assert infer([True, False]).type == T.BOOL


# --- properties of the number parser -----------------------------------------------------------

big = st.integers(min_value=-(10**15), max_value=10**15)


def indonesian(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(big)
def test_indonesian_thousands_round_trip(n):
    assert parse_number(indonesian(n)) == n


@given(big)
def test_english_thousands_round_trip(n):
    assert parse_number(f"{n:,}", decimal=".") == n


@given(big, st.integers(min_value=0, max_value=99))
def test_indonesian_decimals_round_trip(whole, cents):
    sign = "-" if whole < 0 else ""
    text = f"{sign}{indonesian(abs(whole))},{cents:02d}"
    expected = Decimal(f"{sign}{abs(whole)}.{cents:02d}")
    assert parse_number(text) == expected
    assert parse_number(f"Rp {text}") == expected
    assert parse_number(f"{text}%") == expected


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_point_decimals_read_with_a_point(value):
    assert parse_number(f"{value:f}", decimal=".") == value


@given(st.text(max_size=30))
def test_any_text_either_parses_or_raises_value_error(text):
    for decimal in (",", "."):
        try:
            value = parse_number(text, decimal=decimal)
        except ValueError:
            continue
        assert isinstance(value, int | Decimal)


@given(st.text(max_size=30), st.sampled_from(DatastoreField.Type.values))
def test_parse_raises_only_value_error(text, type):
    with contextlib.suppress(ValueError):
        parse(text, type)
