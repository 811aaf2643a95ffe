import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.phone import PhoneError, is_valid_phone, mask_phone, normalize_phone


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "0812.3456.7890",
        "0812 3456 7890",
        "6281234567890",
        "+6281234567890",
        "+62 812 3456 7890",
        "+62 (0)812-3456-7890",
        "(+62) 812-3456-7890",
    ],
)
def test_mobile_number_typed_any_common_way_becomes_e164(typed: str) -> None:
    assert normalize_phone(typed) == "+6281234567890"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("(0342) 807805", "+62342807805"),
        ("0342-807805", "+62342807805"),
        ("+62 21 3456 7890", "+622134567890"),
        ("021-500-123", "+6221500123"),
        ("0967 533 123", "+62967533123"),
    ],
)
def test_landline_with_area_code_becomes_e164(typed: str, e164: str) -> None:
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "08123abc890",
        "+1 202 555 0143",
        "0062 812 3456 7890",
        "81234567890",
        "0812345",
        "08123456789012",
        "0800 1 234 567",
        "+62 12 3456 7890",
        "++6281234567890",
        "0812+34567890",
        "٠٨١٢٣٤٥٦٧٨٩٠",
    ],
)
def test_anything_else_is_rejected(typed: str) -> None:
    with pytest.raises(PhoneError):
        normalize_phone(typed)


def test_foreign_number_is_rejected_with_country_reason() -> None:
    with pytest.raises(PhoneError) as excinfo:
        normalize_phone("+44 20 7946 0958")
    assert excinfo.value.reason == "country"


@given(st.integers(1, 9), st.text("0123456789", min_size=7, max_size=10))
def test_mobile_numbers_of_valid_length_normalise_the_same_from_every_form(
    operator_digit: int, rest: str
) -> None:
    national = f"8{operator_digit}{rest}"
    expected = f"+62{national}"
    for typed in (f"0{national}", f"62{national}", f"+62 {national}"):
        assert normalize_phone(typed) == expected


@given(st.text(max_size=20))
def test_normalising_never_crashes_and_is_idempotent(text: str) -> None:
    try:
        e164 = normalize_phone(text)
    except PhoneError:
        return
    assert normalize_phone(e164) == e164
    assert e164.startswith("+62")


def test_is_valid_phone() -> None:
    assert is_valid_phone("0812-3456-7890")
    assert not is_valid_phone("12345")


def test_mask_keeps_operator_prefix_and_last_three_digits() -> None:
    assert mask_phone("+6281234567890") == "+62812*****890"
    assert mask_phone("0342-807805") == "+62342***805"


def test_mask_of_an_invalid_number_keeps_only_two_digits() -> None:
    assert mask_phone("12345") == "***45"
