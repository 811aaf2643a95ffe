"""Uptime against worked examples: shares of WIB days and months, clipped to now."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.regions.models import Region
from kotacerdas.wifi import uptime
from kotacerdas.wifi.models import Hotspot, Incident
from kotacerdas.wifi.tests.fixtures_monitoring import (  # noqa: F401 - fixtures
    make_hotspot_fixture,
    sentul_fixture,
    wib,
)

DAY = date(2026, 11, 10)
LATER = wib(2026, 12, 15, 12)  # "now" for windows wholly in the past


def down(hotspot, start, end=None) -> Incident:
    return Incident.objects.create(hotspot=hotspot, started_at=start, ended_at=end)


@pytest.fixture
def point(make_hotspot) -> Hotspot:
    return make_hotspot()


@pytest.fixture
def kauman(sentul) -> Region:
    return Region.objects.get(level=Region.Level.KELURAHAN, name="Kauman")


def test_one_six_hour_incident_in_a_day_is_75_percent(point):
    down(point, wib(2026, 11, 10, 8), wib(2026, 11, 10, 14))
    assert uptime.daily_uptime(point, DAY, DAY, now=LATER) == [(DAY, 0.75)]
    assert uptime.uptime_city(DAY, DAY, now=LATER) == 0.75
    [row] = uptime.uptime_by_hotspot(DAY, DAY, now=LATER)
    assert (row.code, row.uptime, row.down) == (point.code, 0.75, timedelta(hours=6))


def test_city_uptime_shares_the_downtime_over_all_points(point, make_hotspot):
    make_hotspot()
    down(point, wib(2026, 11, 10, 8), wib(2026, 11, 10, 14))
    # 6 hours down of 2 points x 24 hours.
    assert uptime.uptime_city(DAY, DAY, now=LATER) == 1 - 6 / 48


def test_an_incident_across_midnight_counts_on_both_days(point):
    down(point, wib(2026, 11, 10, 22), wib(2026, 11, 11, 4))
    shares = uptime.daily_uptime(point, DAY, date(2026, 11, 12), now=LATER)
    assert shares == [(DAY, 1 - 2 / 24), (date(2026, 11, 11), 1 - 4 / 24), (date(2026, 11, 12), 1.0)]


def test_an_open_incident_counts_until_now_and_the_future_not_at_all(point):
    down(point, wib(2026, 11, 10, 6))
    now = wib(2026, 11, 10, 12)
    # Today so far: 12 hours, 6 of them down. Tomorrow has not happened.
    shares = uptime.daily_uptime(point, DAY, date(2026, 11, 11), now=now)
    assert shares == [(DAY, 0.5), (date(2026, 11, 11), None)]
    assert uptime.uptime_city(DAY, DAY, now=now) == 0.5


def test_datetimes_are_a_half_open_window(point):
    down(point, wib(2026, 11, 10, 8), wib(2026, 11, 10, 9))
    start, end = wib(2026, 11, 10, 8, 30), wib(2026, 11, 10, 10, 30)
    assert uptime.uptime_city(start, end, now=LATER) == 1 - 0.5 / 2


def test_a_three_day_outage_in_november_is_90_percent_for_the_month(point):
    down(point, wib(2026, 11, 3, 0), wib(2026, 11, 6, 0))
    months = uptime.monthly_uptime(point, date(2026, 10, 1), date(2026, 12, 31), now=LATER)
    assert months[0] == (date(2026, 10, 1), 1.0)
    assert months[1] == (date(2026, 11, 1), pytest.approx(0.9))
    assert months[2][0] == date(2026, 12, 1)  # half of December has passed, no downtime in it
    assert months[2][1] == 1.0


def test_points_in_maintenance_or_retired_are_not_counted(point, make_hotspot):
    resting = make_hotspot(status=Hotspot.Status.MAINTENANCE)
    down(resting, wib(2026, 11, 10, 0), wib(2026, 11, 11, 0))
    assert uptime.uptime_city(DAY, DAY, now=LATER) == 1.0
    assert [row.pk for row in uptime.uptime_by_hotspot(DAY, DAY, now=LATER)] == [point.pk]
    # Its own page still shows its own history.
    assert uptime.daily_uptime(resting, DAY, DAY, now=LATER) == [(DAY, 0.0)]


def test_per_kelurahan(point, make_hotspot, kauman):
    in_kauman = make_hotspot(kelurahan=kauman)
    make_hotspot(kelurahan=kauman)
    down(in_kauman, wib(2026, 11, 10, 0), wib(2026, 11, 10, 12))
    rows = uptime.uptime_by_kelurahan(DAY, DAY, now=LATER)
    assert [(r.name, r.hotspots, r.uptime) for r in rows] == [("Kauman", 2, 0.75), ("Sentul", 1, 1.0)]
    assert uptime.uptime_city(DAY, DAY, kelurahan=kauman, now=LATER) == 0.75
    assert uptime.daily_uptime(None, DAY, DAY, kelurahan=kauman, now=LATER) == [(DAY, 0.75)]


def test_worst_lists_only_points_that_were_down_lowest_first(point, make_hotspot):
    short, long_ = make_hotspot(), make_hotspot()
    down(short, wib(2026, 11, 10, 1), wib(2026, 11, 10, 2))
    down(long_, wib(2026, 11, 10, 1), wib(2026, 11, 10, 7))
    worst = uptime.uptime_by_hotspot(DAY, DAY, worst=10, now=LATER)
    assert [(row.pk, row.down) for row in worst] == [
        (long_.pk, timedelta(hours=6)), (short.pk, timedelta(hours=1)),
    ]
    assert len(uptime.uptime_by_hotspot(DAY, DAY, worst=1, now=LATER)) == 1


def test_no_points_or_no_time_gives_no_share(sentul):
    assert uptime.uptime_city(DAY, DAY, now=LATER) is None
    assert uptime.uptime_city(DAY, DAY, now=wib(2026, 11, 9)) is None
    assert uptime.daily_uptime(None, DAY, DAY, now=LATER) == [(DAY, None)]


def test_a_month_of_daily_uptime_reads_the_incidents_once(point, make_hotspot):
    for n in range(20):
        down(make_hotspot(), wib(2026, 11, 1 + n, 1), wib(2026, 11, 1 + n, 2))
    with CaptureQueriesContext(connection) as queries:
        shares = uptime.daily_uptime(None, date(2026, 11, 1), date(2026, 11, 30), now=LATER)
    assert len(queries) == 2  # the incidents, and how many points there are
    assert shares[0] == (date(2026, 11, 1), 1 - 1 / (24 * 21))
    with CaptureQueriesContext(connection) as queries:
        uptime.uptime_city(date(2026, 11, 1), date(2026, 11, 30), now=LATER)
        uptime.uptime_by_hotspot(date(2026, 11, 1), date(2026, 11, 30), now=LATER)
    assert len(queries) == 4
