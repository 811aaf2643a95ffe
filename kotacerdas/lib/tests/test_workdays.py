import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.workdays import add_workdays, is_workday, next_workday, workdays_between

HOLIDAYS_CSV = Path(__file__).resolve().parents[2] / "data" / "holidays_id.csv"


def load_holidays() -> list[dict[str, str]]:
    with HOLIDAYS_CSV.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


HOLIDAY_ROWS = load_holidays()
HOLIDAYS = frozenset(date.fromisoformat(row["date"]) for row in HOLIDAY_ROWS)

starts = st.dates(date(2024, 1, 1), date(2027, 12, 31))
holiday_sets = st.frozensets(st.dates(date(2024, 1, 1), date(2029, 12, 31)), max_size=120)


# --- the calendar's laws -----------------------------------------------------------------


@given(starts, st.integers(1, 400), holiday_sets)
def test_counting_back_the_added_workdays_gives_n(start: date, n: int, holidays) -> None:
    assert workdays_between(start, add_workdays(start, n, holidays), holidays) == n


@given(starts, st.integers(0, 400), holiday_sets)
def test_result_is_always_a_working_day(start: date, n: int, holidays) -> None:
    assert is_workday(add_workdays(start, n, holidays), holidays)


@given(starts, st.integers(0, 200), holiday_sets, holiday_sets)
def test_more_holidays_never_make_a_due_date_earlier(start, n, holidays, extra) -> None:
    assert add_workdays(start, n, holidays) <= add_workdays(start, n, holidays | extra)


@given(starts, st.integers(0, 200), holiday_sets)
def test_zero_workdays_is_start_or_the_next_workday(start: date, n: int, holidays) -> None:
    due = add_workdays(start, 0, holidays)
    assert due == (start if is_workday(start, holidays) else next_workday(start, holidays))


@given(starts, starts, holiday_sets)
def test_workdays_between_matches_counting_day_by_day(start: date, end: date, holidays) -> None:
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    assert workdays_between(start, end, holidays) == sum(is_workday(d, holidays) for d in days)


@given(starts, holiday_sets)
def test_next_workday_is_add_one_workday(day: date, holidays) -> None:
    assert next_workday(day, holidays) == add_workdays(day, 1, holidays)


def test_holidays_may_be_a_list_with_duplicates() -> None:
    holidays = [date(2025, 8, 18), date(2025, 8, 18)]
    assert workdays_between(date(2025, 8, 15), date(2025, 8, 19), holidays) == 1
    assert add_workdays(date(2025, 8, 15), 1, holidays) == date(2025, 8, 19)


def test_negative_n_is_refused() -> None:
    with pytest.raises(ValueError):
        add_workdays(date(2025, 1, 2), -1, HOLIDAYS)


def test_end_not_after_start_counts_zero() -> None:
    assert workdays_between(date(2025, 1, 10), date(2025, 1, 10), HOLIDAYS) == 0
    assert workdays_between(date(2025, 1, 10), date(2025, 1, 2), HOLIDAYS) == 0


def test_weekend_is_not_a_workday() -> None:
    assert not is_workday(date(2025, 1, 4), set())
    assert not is_workday(date(2025, 1, 5), set())
    assert is_workday(date(2025, 1, 6), set())


# --- known dates from holidays_id.csv ----------------------------------------------------


def test_idul_fitri_2026_deadline_lands_after_the_cuti_bersama() -> None:
    # Tue 17 Mar 2026; 18 cuti Nyepi, 19 Nyepi, 20 cuti, 21–22 Idul Fitri, 23–24 cuti.
    assert add_workdays(date(2026, 3, 17), 1, HOLIDAYS) == date(2026, 3, 25)
    assert workdays_between(date(2026, 3, 17), date(2026, 3, 31), HOLIDAYS) == 5


def test_idul_fitri_2025_closes_offices_from_28_march_to_7_april() -> None:
    assert add_workdays(date(2025, 3, 27), 1, HOLIDAYS) == date(2025, 4, 8)


def test_18_august_2025_cuti_bersama_is_not_a_workday() -> None:
    assert not is_workday(date(2025, 8, 17), HOLIDAYS)
    assert not is_workday(date(2025, 8, 18), HOLIDAYS)
    assert add_workdays(date(2025, 8, 15), 1, HOLIDAYS) == date(2025, 8, 19)


def test_ten_workdays_over_christmas_and_new_year() -> None:
    # PPID answers within 10 working days (UU 14/2008 Pasal 22 ayat 7).
    assert add_workdays(date(2025, 12, 22), 10, HOLIDAYS) == date(2026, 1, 8)


def test_counting_from_a_holiday_skips_only_non_working_days() -> None:
    # Thu 1 Jan 2026 is a holiday: the first working day after it is Fri 2 Jan, which is
    # also the "0 working days" date.
    assert add_workdays(date(2026, 1, 1), 0, HOLIDAYS) == date(2026, 1, 2)
    assert add_workdays(date(2026, 1, 1), 1, HOLIDAYS) == date(2026, 1, 2)
    assert add_workdays(date(2026, 1, 1), 2, HOLIDAYS) == date(2026, 1, 5)


# --- the CSV itself ----------------------------------------------------------------------


def test_holiday_csv_has_the_skb_counts_per_year() -> None:
    counts: dict[tuple[str, str], int] = {}
    for row in HOLIDAY_ROWS:
        key = (row["date"][:4], row["kind"])
        counts[key] = counts.get(key, 0) + 1
    assert counts == {
        ("2025", "nasional"): 17,
        ("2025", "cuti_bersama"): 11,
        ("2026", "nasional"): 17,
        ("2026", "cuti_bersama"): 8,
    }


def test_holiday_csv_rows_are_unique_sorted_and_named() -> None:
    dates = [row["date"] for row in HOLIDAY_ROWS]
    assert dates == sorted(set(dates))
    assert all(row["name"].strip() for row in HOLIDAY_ROWS)
    assert list(HOLIDAY_ROWS[0]) == ["date", "name", "kind"]
