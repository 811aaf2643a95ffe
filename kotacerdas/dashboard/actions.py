"""Writes of the dashboard: the rollups the worker keeps, and the weekly digest to OPD heads.

Rollups are a cache of figures every other app already holds, recomputed from their
queries; rewriting one changes no record of anyone, so it leaves no audit row.

Cell groups of a month's rollup (counted by the month a case was submitted, a survey
answered, a day of Wi-Fi use):
    svc   "agency|kelurahan"           [applications, finished, finished by the due date]
    skm   "agency"                     [respondents, sum u1, ..., sum u9]
    rep   "agency|kelurahan|category"  [reports, answered, answered by the due date]
    ppid  "agency|kelurahan"           [requests, decided, decided by the due date]
    wifi  "kelurahan"                  [active hotspots, seconds down, hotspot-seconds]
    use   "kelurahan"                  [sessions, users, bytes in, bytes out]
and of the "now" rollup:
    open  "kind|agency|kelurahan|category"  [open, overdue]
    data  "agency"                     [public datasets, late for their update frequency]
    online                             [published services, of which fully online]
"""

import logging
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from kotacerdas.dashboard.metrics import dataset_is_late
from kotacerdas.dashboard.models import DigestSent, Rollup

log = logging.getLogger(__name__)

# Months the nightly rebuild always covers, even before the first case: the Wi-Fi network
# and the surveys have figures of their own.
MIN_MONTHS = 13


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(month, time.min, tzinfo=zone),
        datetime.combine(next_month(month), time.min, tzinfo=zone),
    )


def period_key(month: date) -> str:
    return f"{month:%Y-%m}"


def cell_key(*ids) -> str:
    return "|".join(str(i or 0) for i in ids)


def _add(group: dict, key: str, values) -> None:
    row = group.setdefault(key, [0] * len(values))
    for i, value in enumerate(values):
        row[i] += value


def month_cells(month: date, *, now: datetime) -> dict:
    from kotacerdas.information.queries import request_rows
    from kotacerdas.reports.queries import report_rows
    from kotacerdas.services.queries import application_rows, survey_totals_by_agency
    from kotacerdas.wifi.radius.queries import usage_by_kelurahan
    from kotacerdas.wifi.uptime import uptime_by_kelurahan

    start, end = month_bounds(month)
    last_day = next_month(month) - timedelta(days=1)
    cells: dict[str, dict] = {"svc": {}, "skm": {}, "rep": {}, "ppid": {}, "wifi": {}, "use": {}}
    for agency, kelurahan, finished, on_time in application_rows(start, end):
        _add(cells["svc"], cell_key(agency, kelurahan), (1, int(finished), int(on_time)))
    for row in survey_totals_by_agency(start, end):
        cells["skm"][cell_key(row["agency"])] = [row["n"], *(row[f"u{i}"] for i in range(1, 10))]
    for agency, kelurahan, category, answered, in_time in report_rows(start, end):
        _add(cells["rep"], cell_key(agency, kelurahan, category), (1, int(answered), int(in_time)))
    for agency, kelurahan, decided, in_time in request_rows(start, end):
        _add(cells["ppid"], cell_key(agency, kelurahan), (1, int(decided), int(in_time)))
    length = (min(end, now) - start).total_seconds()
    if length > 0:
        for place in uptime_by_kelurahan(month, last_day, now=now):
            cells["wifi"][cell_key(place.pk)] = [
                place.hotspots,
                place.down.total_seconds(),
                length * place.hotspots,
            ]
    for usage in usage_by_kelurahan(start=month, end=last_day):
        cells["use"][cell_key(usage["hotspot__kelurahan"])] = [
            usage["sessions"] or 0,
            usage["unique_users"] or 0,
            usage["bytes_in"] or 0,
            usage["bytes_out"] or 0,
        ]
    return cells


def now_cells(*, now: datetime) -> dict:
    from kotacerdas.cases.queries import open_counts
    from kotacerdas.opendata.queries import public_datasets
    from kotacerdas.reports.queries import open_by_category
    from kotacerdas.services.queries import online_share

    today = timezone.localdate(now)
    cells: dict = {"open": {}, "data": {}}
    for kind, agency, kelurahan, overdue, n in open_counts(today):
        if kind != "report":  # reports come with their category below
            _add(cells["open"], cell_key(kind, agency, kelurahan, 0), (n, n if overdue else 0))
    for agency, kelurahan, category, overdue, n in open_by_category(today):
        _add(cells["open"], cell_key("report", agency, kelurahan, category), (n, n if overdue else 0))
    datasets = public_datasets().values_list("agency_id", "frequency", "modified_at")
    for agency, frequency, modified_at in datasets:
        _add(cells["data"], cell_key(agency), (1, int(dataset_is_late(frequency, modified_at, now))))
    cells["online"] = list(online_share())
    return cells


def _store(period: str, cells: dict, started: float, now: datetime) -> Rollup:
    rollup, _created = Rollup.objects.update_or_create(
        period=period,
        defaults={"cells": cells, "computed_at": now, "seconds": round(clock.monotonic() - started, 3)},
    )
    return rollup


def rollup_month(*, month: date, now: datetime | None = None) -> Rollup:
    """Recompute one month's rollup from the other apps' queries."""
    now = now or timezone.now()
    started = clock.monotonic()
    return _store(period_key(month), month_cells(month_of(month), now=now), started, now)


def rollup_now(*, now: datetime | None = None) -> Rollup:
    """Recompute what is true right now: open and overdue cases, datasets, the catalogue."""
    now = now or timezone.now()
    started = clock.monotonic()
    return _store(Rollup.NOW, now_cells(now=now), started, now)


def rollups_refresh(*, now: datetime | None = None) -> list[Rollup]:
    """What the worker does every few minutes: this month, the last one (its cases are
    still being answered) and now."""
    now = now or timezone.now()
    this_month = month_of(timezone.localdate(now))
    return [
        rollup_month(month=previous_month(this_month), now=now),
        rollup_month(month=this_month, now=now),
        rollup_now(now=now),
    ]


def rollups_rebuild(*, now: datetime | None = None, since: date | None = None) -> list[Rollup]:
    """Every month from the first case (at least MIN_MONTHS back) to this one, and now:
    nightly, after loading data, and whenever the rules of a figure change."""
    from kotacerdas.cases.queries import first_submitted

    now = now or timezone.now()
    this_month = month_of(timezone.localdate(now))
    month = this_month
    for _ in range(MIN_MONTHS - 1):
        month = previous_month(month)
    first = since or first_submitted()
    if first is not None:
        month = min(month, month_of(first))
    rollups = []
    while month <= this_month:
        rollups.append(rollup_month(month=month, now=now))
        month = next_month(month)
    rollups.append(rollup_now(now=now))
    return rollups


# --- Weekly digest ---------------------------------------------------------------------------


def week_of(day: date) -> date:
    """The Monday of the week of ``day``."""
    return day - timedelta(days=day.weekday())


def digest_send(*, user, today: date) -> DigestSent | None:
    """Queue this week's digest to one OPD head: their agency's overdue cases and the
    masterplan indicators still waiting for this year's realisation (nothing is sent when
    there is neither). None when it was handled already this week (a retried task, a second
    worker) — the record and the messages are written in one transaction, so a crash leaves
    neither and the retry sends it."""
    from kotacerdas.dashboard.queries import digest_content
    from kotacerdas.notifications.actions import message_create

    week = week_of(today)
    if DigestSent.objects.filter(user=user, week=week).exists():
        return None
    content = digest_content(user=user, today=today)
    try:
        with transaction.atomic():
            sent = DigestSent.objects.create(
                user=user, week=week, overdue=content.overdue_total, indicators=len(content.indicators)
            )
            if not content.is_empty:
                message_create(user=user, template="weekly_digest", context={"digest": content})
    except IntegrityError:  # another worker handled it a moment ago
        return None
    return sent


def digests_send(*, today: date | None = None) -> int:
    """This week's digest to every active OPD head that has not had it; how many were sent
    (heads with nothing overdue and no indicator due get none)."""
    from kotacerdas.dashboard.queries import digest_recipients

    today = today or timezone.localdate()
    sent, failed = 0, []
    for user in digest_recipients():
        try:
            handled = digest_send(user=user, today=today)
            sent += handled is not None and bool(handled.overdue or handled.indicators)
        except Exception:  # one head's broken data must not stop the others' digests
            log.exception("weekly digest to user %s failed", user.pk)
            failed.append(user.pk)
    if failed:
        # The task's retry sends only these: the others are recorded for the week.
        raise RuntimeError(f"weekly digest failed for users {failed}")
    return sent
