"""The Indonesian working-day calendar, for deadlines counted in "hari kerja".

Statutory deadlines (UU 14/2008 information requests, UU 25/2009 complaints, service
standards) count working days: Monday to Friday, except libur nasional and cuti bersama
(SKB 3 Menteri, revised during the year). Holidays are passed in so that these functions
stay pure; the caller loads them from the database.

Conventions: a deadline of n working days after ``start`` is the n-th working day strictly
after ``start``, the day of receipt does not count. ``next_workday`` is likewise strictly
after its argument.
"""

from collections.abc import Collection, Set
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
SATURDAY = 5


def _as_set(holidays: Collection[date]) -> Set[date]:
    # Callers may pass a list or a queryset's values; membership tests must be O(1).
    return holidays if isinstance(holidays, Set) else frozenset(holidays)


def is_workday(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def next_workday(day: date, holidays: Collection[date]) -> date:
    """The first working day strictly after ``day``."""
    holidays = _as_set(holidays)
    day += ONE_DAY
    while not is_workday(day, holidays):
        day += ONE_DAY
    return day


def add_workdays(start: date, n: int, holidays: Collection[date]) -> date:
    """The n-th working day after ``start``.

    n == 0 means "on or after start": start itself if it is a working day, else the next
    one. Runs in time proportional to the days walked, i.e. about 1.4 * n.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    holidays = _as_set(holidays)
    if n == 0:
        return start if is_workday(start, holidays) else next_workday(start, holidays)
    day = start
    for _ in range(n):
        day = next_workday(day, holidays)
    return day


def workdays_between(start: date, end: date, holidays: Collection[date]) -> int:
    """How many working days d satisfy start < d <= end (0 if end <= start).

    Counted arithmetically rather than by walking the days, so a span of years costs the
    same as a span of days; it also serves as an independent check on add_workdays.
    """
    if end <= start:
        return 0
    weekday_holidays = sum(
        1 for h in _as_set(holidays) if start < h <= end and h.weekday() < SATURDAY
    )
    return _weekdays_through(end) - _weekdays_through(start) - weekday_holidays


def _weekdays_through(day: date) -> int:
    # Ordinal 1 (0001-01-01) is a Monday, so ordinals fall into Monday-first weeks.
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)
