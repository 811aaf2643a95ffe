"""Daily usage rollups, retention, and the dashboard's read, against worked examples."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kotacerdas.regions.models import Region
from kotacerdas.wifi.models import Session, UsageDay
from kotacerdas.wifi.radius.actions import (
    sessions_close_stale,
    sessions_prune,
    usage_rollup,
    usage_rollup_recent,
)
from kotacerdas.wifi.radius.queries import usage_summary
from kotacerdas.wifi.tests.radius_support import kelurahan, make_hotspot

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2026, 11, 29)

pytestmark = pytest.mark.django_db


def wib(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def session(hotspot, started: datetime, stopped: datetime | None = None, *, user: str = "", mac: str = "",
            updated: datetime | None = None, bytes_in: int = 0, bytes_out: int = 0) -> Session:
    last = stopped or updated or started
    return Session.objects.create(
        unique_id=f"{Session.objects.count():032x}", session_id="s", hotspot=hotspot, user_hash=user,
        mac_hash=mac, started_at=started, stopped_at=stopped, updated_at=updated or stopped,
        session_time=int((last - started).total_seconds()), input_octets=bytes_in, output_octets=bytes_out,
    )


@pytest.fixture
def rw03():
    return make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")


def test_rollup_of_a_worked_day(rw03):
    previous = DAY - timedelta(days=1)
    session(rw03, wib(23, 30, previous), wib(0, 30), user="prev")  # the night before: peak only
    session(rw03, wib(8), wib(9), user="u1", bytes_in=100, bytes_out=1000)  # 3600 s
    session(rw03, wib(8, 30), wib(10), user="u2", bytes_in=200, bytes_out=2000)  # 5400 s
    session(rw03, wib(8, 45), wib(8, 50), user="u1", bytes_in=50, bytes_out=500)  # 300 s, u1 again
    session(rw03, wib(10), wib(10, 20), user="u3", bytes_in=10, bytes_out=100)  # 1200 s, as u2 leaves
    session(rw03, wib(9, 50), None, updated=wib(9, 55), mac="m1", bytes_in=5, bytes_out=50)  # open, 300 s
    session(None, wib(12), wib(12, 10), user="u9")  # no hotspot claimed it
    session(rw03, wib(0, 10, DAY + timedelta(days=1)), wib(1, 0, DAY + timedelta(days=1)), user="u1")

    assert usage_rollup(day=DAY, now=wib(23)) == 2
    usage = UsageDay.objects.get(hotspot=rw03, day=DAY)
    assert usage.sessions == 5
    assert usage.unique_users == 4  # u1, u2, u3 and the MAC-only m1
    assert (usage.bytes_in, usage.bytes_out) == (365, 3650)
    assert usage.peak_concurrent == 3  # 08:45-08:50: u1, u2 and u1's second session
    assert usage.median_session_seconds == 1200  # of 300, 300, 1200, 3600, 5400
    unclaimed = UsageDay.objects.get(hotspot=None, day=DAY)
    assert (unclaimed.sessions, unclaimed.unique_users, unclaimed.peak_concurrent) == (1, 1, 1)


def test_a_session_ending_as_another_starts_is_not_concurrent_with_it(rw03):
    session(rw03, wib(8), wib(9), user="a")
    session(rw03, wib(9), wib(10), user="b")
    usage_rollup(day=DAY, now=wib(23))
    usage = UsageDay.objects.get()
    assert (usage.peak_concurrent, usage.median_session_seconds) == (1, 3600)


def test_open_sessions_count_until_last_heard_of_or_now(rw03):
    session(rw03, wib(20), None, updated=wib(20, 30), user="a")  # heard of until 20:30
    session(rw03, wib(21), None, user="b")  # never updated: open until now
    session(rw03, wib(22), wib(22, 30), user="c")
    usage_rollup(day=DAY, now=wib(22, 15))
    assert UsageDay.objects.get().peak_concurrent == 2  # b and c; a was last heard of at 20:30


def test_rollup_replaces_the_days_rows(rw03):
    session(rw03, wib(8), wib(9), user="a")
    usage_rollup(day=DAY, now=wib(23))
    session(rw03, wib(8, 30), wib(9), user="b")
    usage_rollup(day=DAY, now=wib(23))
    usage = UsageDay.objects.get()
    assert (usage.sessions, usage.unique_users, usage.peak_concurrent) == (2, 2, 2)


def test_rollup_recent_does_today_and_yesterday(rw03):
    session(rw03, wib(22), wib(23), user="a")
    session(rw03, wib(0, 30, DAY + timedelta(days=1)), wib(1, 0, DAY + timedelta(days=1)), user="b")
    assert usage_rollup_recent(now=wib(2, 0, DAY + timedelta(days=1))) == 2
    assert set(UsageDay.objects.values_list("day", flat=True)) == {DAY, DAY + timedelta(days=1)}


def test_prune_deletes_old_sessions_after_rolling_up_their_days(rw03, settings):
    settings.WIFI_SESSION_RETENTION_DAYS = 90
    never_rolled = DAY - timedelta(days=100)
    rolled = DAY - timedelta(days=95)
    session(rw03, wib(8, 0, never_rolled), wib(9, 0, never_rolled), user="a")
    session(rw03, wib(8, 0, rolled), wib(9, 0, rolled), user="a")
    UsageDay.objects.create(hotspot=rw03, day=rolled, sessions=42)
    kept = session(rw03, wib(8, 0, DAY - timedelta(days=10)), wib(9, 0, DAY - timedelta(days=10)), user="a")

    assert sessions_prune(now=wib(12)) == 2
    assert list(Session.objects.all()) == [kept]
    assert UsageDay.objects.get(day=never_rolled).sessions == 1
    assert UsageDay.objects.get(day=rolled).sessions == 42  # its rollup was kept, not redone


def test_close_stale_closes_sessions_not_heard_of_at_their_last_update(rw03):
    stale = session(rw03, wib(0), None, updated=wib(1), user="a")
    live = session(rw03, wib(0), None, updated=wib(20), user="b")
    assert sessions_close_stale(hours=12, now=wib(21)) == 1
    stale.refresh_from_db()
    live.refresh_from_db()
    assert (stale.stopped_at, stale.terminate_cause) == (wib(1), "Lost-Service")
    assert live.stopped_at is None


@pytest.fixture
def usage_days(rw03):
    kelurahan()
    other_kelurahan = Region.objects.filter(level="kelurahan").exclude(pk=rw03.kelurahan_id).first()
    kpj = make_hotspot("kpj-rw01", kelurahan=other_kelurahan)
    for offset, (a, b) in enumerate([((10, 8, 100, 3), (4, 4, 50, 2)), ((20, 15, 300, 6), (1, 1, 10, 1))]):
        day = DAY + timedelta(days=offset)
        UsageDay.objects.create(hotspot=rw03, day=day, sessions=a[0], unique_users=a[1], bytes_in=a[2],
                                bytes_out=a[2] * 10, peak_concurrent=a[3])
        UsageDay.objects.create(hotspot=kpj, day=day, sessions=b[0], unique_users=b[1], bytes_in=b[2],
                                bytes_out=b[2] * 10, peak_concurrent=b[3])
    UsageDay.objects.create(hotspot=None, day=DAY, sessions=7, unique_users=7, bytes_in=1, bytes_out=1,
                            peak_concurrent=1)
    UsageDay.objects.create(hotspot=rw03, day=DAY + timedelta(days=5), sessions=999)  # outside
    return rw03, kpj


def test_usage_summary_reads_the_rollups_in_three_queries(usage_days, django_assert_num_queries):
    rw03, kpj = usage_days
    with django_assert_num_queries(3):
        summary = usage_summary(start=DAY, end=DAY + timedelta(days=1))
    assert summary["totals"] == {"sessions": 42, "unique_users": 35, "bytes_in": 461, "bytes_out": 4601,
                                 "peak_concurrent": 7}
    assert [(row["day"], row["sessions"], row["peak_concurrent"]) for row in summary["days"]] == [
        (DAY, 21, 6), (DAY + timedelta(days=1), 21, 7),
    ]
    top = summary["top_hotspots"]
    assert [(row["hotspot__code"], row["sessions"], row["bytes_in"], row["peak_concurrent"]) for row in top] \
        == [("snt-rw03", 30, 400, 6), ("kpj-rw01", 5, 60, 2)]


def test_usage_summary_by_kelurahan_and_by_hotspot(usage_days):
    rw03, kpj = usage_days
    by_kelurahan = usage_summary(start=DAY, end=DAY + timedelta(days=1), kelurahan=kpj.kelurahan)
    assert by_kelurahan["totals"]["sessions"] == 5
    assert [row["hotspot__code"] for row in by_kelurahan["top_hotspots"]] == ["kpj-rw01"]
    by_hotspot = usage_summary(start=DAY, end=DAY, hotspot=rw03)
    assert by_hotspot["totals"]["sessions"] == 10
    before = usage_summary(start=DAY - timedelta(days=30), end=DAY - timedelta(days=1))
    assert before["totals"]["sessions"] == 0
