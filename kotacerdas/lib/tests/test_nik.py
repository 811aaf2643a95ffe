from datetime import date, timedelta

import pytest
from django.utils.functional import Promise
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.nik import (
    NIK,
    PROVINCE_CODES,
    NIKError,
    is_valid_nik,
    mask_nik,
    parse_nik,
)

TODAY = date(2026, 3, 1)
# With two-digit years, the oldest birth date a NIK can express is 1 Jan of (YY + 1) last
# century.
OLDEST = date(1900 + TODAY.year % 100 + 1, 1, 1)


def two_digits(n: int) -> str:
    return f"{n:02d}"


def build(
    *,
    province: str = "35",
    regency: str = "72",
    district: str = "03",
    day: str = "10",
    month: str = "04",
    year: str = "99",
    serial: str = "0001",
) -> str:
    return province + regency + district + day + month + year + serial


@st.composite
def valid_nik_parts(draw: st.DrawFn) -> dict:
    birth_date = draw(st.dates(min_value=OLDEST, max_value=TODAY))
    sex = draw(st.sampled_from("LP"))
    return {
        "province": two_digits(draw(st.sampled_from(sorted(PROVINCE_CODES)))),
        "regency": two_digits(draw(st.integers(1, 99))),
        "district": two_digits(draw(st.integers(1, 99))),
        "birth_date": birth_date,
        "sex": sex,
        "serial": f"{draw(st.integers(1, 9999)):04d}",
    }


def as_nik(parts: dict) -> str:
    birth_date = parts["birth_date"]
    day = birth_date.day + (40 if parts["sex"] == "P" else 0)
    return build(
        province=parts["province"],
        regency=parts["regency"],
        district=parts["district"],
        day=two_digits(day),
        month=two_digits(birth_date.month),
        year=two_digits(birth_date.year % 100),
        serial=parts["serial"],
    )


def part_of_error(value: str) -> str:
    with pytest.raises(NIKError) as excinfo:
        parse_nik(value, today=TODAY)
    return excinfo.value.part


@given(valid_nik_parts())
def test_generated_valid_nik_round_trips(parts: dict) -> None:
    value = as_nik(parts)
    nik = parse_nik(value, today=TODAY)
    assert nik == NIK(value=value, **parts)
    assert nik.region_code == f"{parts['province']}.{parts['regency']}.{parts['district']}"


@given(valid_nik_parts(), st.data())
def test_each_single_broken_part_is_rejected_with_that_part(
    parts: dict, data: st.DataObject
) -> None:
    value = as_nik(parts)
    part = data.draw(
        st.sampled_from(
            ["length", "digits", "province", "regency", "district", "day", "month", "serial"]
        )
    )
    broken = data.draw(broken_variant(value, part))
    assert part_of_error(broken) == part


def broken_variant(value: str, part: str) -> st.SearchStrategy[str]:
    invalid_provinces = sorted(set(range(100)) - PROVINCE_CODES)
    replace = {
        "province": (0, st.sampled_from(invalid_provinces).map(two_digits)),
        "regency": (2, st.just("00")),
        "district": (4, st.just("00")),
        "day": (6, st.sampled_from([0, *range(32, 41), *range(72, 100)]).map(two_digits)),
        "month": (8, st.sampled_from([0, *range(13, 100)]).map(two_digits)),
        "serial": (12, st.just("0000")),
    }
    if part == "length":
        return st.integers(0, 30).filter(lambda n: n != 16).map(lambda n: (value * 2)[:n])
    if part == "digits":
        return st.tuples(st.integers(0, 15), st.sampled_from("aZ/x#+٣")).map(
            lambda t: value[: t[0]] + t[1] + value[t[0] + 1 :]
        )
    start, replacement = replace[part]
    return replacement.map(lambda r: value[:start] + r + value[start + len(r) :])


@given(valid_nik_parts(), st.dates(TODAY + timedelta(days=1), date(2026, 12, 31)))
def test_birth_date_later_this_year_is_rejected_as_date(parts: dict, future: date) -> None:
    assert part_of_error(as_nik(parts | {"birth_date": future})) == "date"


def test_kota_blitar_nik_of_a_man_is_parsed() -> None:
    nik = parse_nik("3572031004990001", today=TODAY)
    assert nik.region_code == "35.72.03"
    assert nik.birth_date == date(1999, 4, 10)
    assert nik.sex == "L"
    assert nik.serial == "0001"


def test_woman_has_forty_added_to_the_birth_day() -> None:
    nik = parse_nik(build(day="51", year="05"), today=TODAY)
    assert nik.sex == "P"
    assert nik.birth_date == date(2005, 4, 11)


def test_separators_a_person_types_are_ignored() -> None:
    assert parse_nik(" 3572 0310 0499 0001 ", today=TODAY).value == "3572031004990001"
    assert parse_nik("35.72.03-100499-0001", today=TODAY).value == "3572031004990001"


def test_year_after_todays_two_digits_is_last_century() -> None:
    assert parse_nik(build(year="27"), today=TODAY).birth_date.year == 1927
    assert parse_nik(build(year="26", month="01"), today=TODAY).birth_date.year == 2026


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("31", "02", "99"), ("30", "02", "04"), ("31", "04", "99"), ("29", "02", "23")],
)
def test_day_that_is_not_on_the_calendar_is_rejected(day: str, month: str, year: str) -> None:
    assert part_of_error(build(day=day, month=month, year=year)) == "date"


def test_february_29_is_accepted_in_leap_years_only() -> None:
    assert parse_nik(build(day="29", month="02", year="24"), today=TODAY).birth_date == date(
        2024, 2, 29
    )
    assert parse_nik(build(day="69", month="02", year="00"), today=TODAY).sex == "P"
    assert part_of_error(build(day="69", month="02", year="25")) == "date"


def test_later_this_year_is_in_the_future() -> None:
    assert part_of_error(build(day="02", month="03", year="26")) == "date"
    assert parse_nik(build(day="01", month="03", year="26"), today=TODAY).birth_date == TODAY


def test_error_carries_a_lazy_message_and_a_loggable_str() -> None:
    with pytest.raises(NIKError) as excinfo:
        parse_nik("123", today=TODAY)
    assert excinfo.value.part == "length"
    assert isinstance(excinfo.value.message, Promise)
    # str() must not need translations loaded (no settings in this test run).
    assert str(excinfo.value) == "invalid NIK: length"


def test_is_valid_nik() -> None:
    assert is_valid_nik("3572031004990001", today=TODAY)
    assert not is_valid_nik("3572031004990000", today=TODAY)
    assert not is_valid_nik("")


def test_mask_hides_the_birth_date() -> None:
    assert mask_nik("3572031004990001") == "357203********01"
    assert mask_nik("3572 0310 0499 0001") == "357203********01"


def test_mask_hides_everything_when_the_input_is_not_a_nik() -> None:
    assert mask_nik("35720310") == "********"


def test_repr_of_a_parsed_nik_does_not_show_it() -> None:
    nik = parse_nik("3572031004990001", today=TODAY)
    assert "100499" not in repr(nik)
    assert "1999" not in repr(nik)
