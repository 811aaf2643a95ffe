"""Uptime: the share of a period the monitored hotspots were up, from their incidents.

Downtime is the overlap of the incidents with the period, clipped to now (an open incident
counts until this moment; a period reaching into the future ends now); uptime is
1 - downtime / (period length x monitored points). The monitored points are the hotspots
active now: a point in maintenance or retired is not expected to be up.

A period is either two aware datetimes, [start, end), or two dates, whole WIB days from the
first to the last inclusive (settings.TIME_ZONE), as a dashboard's "from ... to ..." reads.

Each function reads the incidents overlapping its period in one query and sums in Python:
incidents are few (a handful per point per month), probe samples many and short-lived.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kotacerdas.wifi.models import Hotspot, Incident

Interval = tuple[datetime, datetime]
Moment = date | datetime


@dataclass(frozen=True)
class HotspotUptime:
    pk: int
    code: str
    name: str
    kelurahan_id: int
    uptime: float
    down: timedelta


@dataclass(frozen=True)
class KelurahanUptime:
    pk: int
    name: str
    hotspots: int
    uptime: float | None
    down: timedelta


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _period(start: Moment, end: Moment, now: datetime) -> Interval | None:
    """The period as datetimes, clipped to now; None when nothing of it has passed."""
    if not isinstance(start, datetime):
        start = local_midnight(start)
    if not isinstance(end, datetime):
        end = local_midnight(end + timedelta(days=1))
    end = min(end, now)
    return (start, end) if end > start else None


def _active(kelurahan=None):
    found = Hotspot.objects.filter(status=Hotspot.Status.ACTIVE)
    return found.filter(kelurahan=kelurahan) if kelurahan is not None else found


def _down_spans(
    period: Interval, now: datetime, *, hotspot=None, kelurahan=None
) -> dict[int, list[Interval]]:
    """Each hotspot's downtime within the period, as merged intervals: one query."""
    start, end = period
    overlapping = Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    found = Incident.objects.filter(overlapping)
    if hotspot is not None:
        found = found.filter(hotspot=hotspot)
    else:
        found = found.filter(hotspot__status=Hotspot.Status.ACTIVE)
        if kelurahan is not None:
            found = found.filter(hotspot__kelurahan=kelurahan)
    spans: dict[int, list[Interval]] = defaultdict(list)
    for hotspot_id, started_at, ended_at in found.order_by("hotspot_id", "started_at").values_list(
        "hotspot_id", "started_at", "ended_at"
    ):
        begin, finish = max(started_at, start), min(ended_at or now, end)
        if finish <= begin:
            continue
        merged = spans[hotspot_id]
        # One point's incidents should never overlap; merging keeps a stray one from
        # counting the same minutes twice.
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return spans


def _seconds(intervals: Iterable[Interval], start: datetime, end: datetime) -> float:
    return sum(max(0.0, (min(b, end) - max(a, start)).total_seconds()) for a, b in intervals)


def _share(down: float, length: float, points: int) -> float | None:
    if length <= 0 or points <= 0:
        return None
    return max(0.0, 1 - down / (length * points))


def uptime_by_hotspot(
    start: Moment, end: Moment, *, kelurahan=None, worst: int | None = None, now: datetime | None = None
) -> list[HotspotUptime]:
    """Each active hotspot's uptime over the period, lowest first (then by code). With
    `worst`, only the `worst` lowest of the points that were down at all."""
    now = now or timezone.now()
    period = _period(start, end, now)
    if period is None:
        return []
    length = (period[1] - period[0]).total_seconds()
    spans = _down_spans(period, now, kelurahan=kelurahan)
    down = {pk: _seconds(intervals, *period) for pk, intervals in spans.items()}
    rows = [
        HotspotUptime(
            pk=pk, code=code, name=name, kelurahan_id=kelurahan_id,
            uptime=1 - down.get(pk, 0.0) / length, down=timedelta(seconds=down.get(pk, 0.0)),
        )
        for pk, code, name, kelurahan_id in _active(kelurahan).values_list(
            "pk", "code", "name", "kelurahan_id"
        )
    ]
    rows.sort(key=lambda row: (row.uptime, row.code))
    if worst is not None:
        rows = [row for row in rows if row.down][:worst]
    return rows


def uptime_by_kelurahan(start: Moment, end: Moment, *, now: datetime | None = None) -> list[KelurahanUptime]:
    """The uptime of each kelurahan's active hotspots together, by kelurahan name."""
    now = now or timezone.now()
    period = _period(start, end, now)
    points: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for kelurahan_id, name in _active().values_list("kelurahan_id", "kelurahan__name"):
        points[kelurahan_id] += 1
        names[kelurahan_id] = name
    down: dict[int, float] = defaultdict(float)
    length = 0.0
    if period is not None:
        length = (period[1] - period[0]).total_seconds()
        kelurahan_of = dict(_active().values_list("pk", "kelurahan_id"))
        for hotspot_id, spans in _down_spans(period, now).items():
            down[kelurahan_of[hotspot_id]] += _seconds(spans, *period)
    rows = [
        KelurahanUptime(
            pk=pk, name=names[pk], hotspots=count, uptime=_share(down[pk], length, count),
            down=timedelta(seconds=down[pk]),
        )
        for pk, count in points.items()
    ]
    return sorted(rows, key=lambda row: row.name)


def uptime_city(start: Moment, end: Moment, *, kelurahan=None, now: datetime | None = None) -> float | None:
    """The uptime of all active hotspots (of one kelurahan, if given) together; None when
    there is no point or nothing of the period has passed."""
    now = now or timezone.now()
    period = _period(start, end, now)
    if period is None:
        return None
    down = sum(_seconds(spans, *period) for spans in _down_spans(period, now, kelurahan=kelurahan).values())
    return _share(down, (period[1] - period[0]).total_seconds(), _active(kelurahan).count())


def _by_buckets(
    buckets: list[tuple[date, datetime, datetime]], now: datetime | None, *, hotspot=None, kelurahan=None
) -> list[tuple[date, float | None]]:
    now = now or timezone.now()
    if not buckets:
        return []
    whole = _period(buckets[0][1], buckets[-1][2], now)
    spans = list(_down_spans(whole, now, hotspot=hotspot, kelurahan=kelurahan).values()) if whole else []
    points = 1 if hotspot is not None else _active(kelurahan).count()
    shares: list[tuple[date, float | None]] = []
    for label, start, end in buckets:
        period = _period(start, end, now)
        if period is None:
            shares.append((label, None))
            continue
        down = sum(_seconds(s, *period) for s in spans)
        shares.append((label, _share(down, (period[1] - period[0]).total_seconds(), points)))
    return shares


def daily_uptime(
    hotspot: Hotspot | None, start_day: date, end_day: date, *, kelurahan=None, now: datetime | None = None
) -> list[tuple[date, float | None]]:
    """(day, uptime) for each WIB day from start_day to end_day inclusive: of one hotspot,
    or with None of all active hotspots (of one kelurahan, if given). Today counts up to
    now; days still to come, and days without any point, are None."""
    days = [start_day + timedelta(days=n) for n in range((end_day - start_day).days + 1)]
    buckets = [(day, local_midnight(day), local_midnight(day + timedelta(days=1))) for day in days]
    return _by_buckets(buckets, now, hotspot=hotspot, kelurahan=kelurahan)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monthly_uptime(
    hotspot: Hotspot | None, start_month: date, end_month: date, *, kelurahan=None,
    now: datetime | None = None,
) -> list[tuple[date, float | None]]:
    """(first day of the month, uptime) for each WIB month from start_month's to end_month's
    inclusive, like daily_uptime."""
    buckets = []
    month = start_month.replace(day=1)
    while month <= end_month:
        buckets.append((month, local_midnight(month), local_midnight(_next_month(month))))
        month = _next_month(month)
    return _by_buckets(buckets, now, hotspot=hotspot, kelurahan=kelurahan)
