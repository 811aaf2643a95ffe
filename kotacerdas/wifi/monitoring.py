"""The actions of monitoring: probe every active hotspot, keep its health, open and close
incidents, and tell the network's operators and the residents who reported a dead point.

Health follows OpenWISP's names (reference/wifi.md §1.2): unknown until probed; ok; problem
while failures stay within the tolerance; critical (down) once WIFI_CRITICAL_FAILURES
consecutive probes have failed over at least WIFI_CRITICAL_MINUTES. The tolerance keeps a
lost ping or a router's reboot from paging anyone. An incident spans a critical period, from
the first failed probe to the first good one, and is what uptime is computed from.

Probes are machine events: they write no audit rows (a row per probe per minute would bury
the human actions the audit log exists for).
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from kotacerdas.cases.models import FINAL_STATUSES
from kotacerdas.notifications.actions import message_create
from kotacerdas.wifi import probes
from kotacerdas.wifi.models import (
    DeviceStatus,
    Health,
    Hotspot,
    HotspotReport,
    Incident,
    ProbeKind,
    ProbeResult,
)
from kotacerdas.wifi.netjson.schemas import DeviceMonitoring
from kotacerdas.wifi.probes import Result
from kotacerdas.wifi.queries import network_operators

# The points a round alerts about one message each; the rest of that round's changes go
# into one message listing the first ALERT_LIST of them.
ALERT_BURST = 10
ALERT_LIST = 50


@dataclass(frozen=True)
class RoundSummary:
    probed: int
    ok: int
    failed: int
    went_down: int  # incidents opened by this round
    came_back: int  # incidents closed by this round
    seconds: float


@dataclass(frozen=True)
class Change:
    """What recording one probe did to its hotspot."""

    health: str
    previous: str
    opened: Incident | None = None
    closed: Incident | None = None


def probe_round(*, now: datetime | None = None) -> RoundSummary:
    """Probe every active hotspot at once, store the samples, then record each result.

    Each hotspot's health is recorded in a transaction of its own, so a round that stops
    halfway (a deploy, a killed worker) leaves every point it got to consistent and the next
    round a minute later picks up the rest."""
    started = time.monotonic()
    at = now or timezone.now()
    hotspots = list(Hotspot.objects.filter(status=Hotspot.Status.ACTIVE).order_by("pk"))
    results = probes.probe_all(hotspots, timeout=settings.WIFI_PROBE_TIMEOUT, now=at)
    ProbeResult.objects.bulk_create(
        [_sample(hotspot, result, at) for hotspot, result in zip(hotspots, results, strict=True)],
        batch_size=500,
    )
    down: list[Incident] = []
    back: list[Incident] = []
    for hotspot, result in zip(hotspots, results, strict=True):
        try:
            change = _health_record(
                hotspot_id=hotspot.pk, result=result, at=at,
                alert_down=len(down) < ALERT_BURST, alert_up=len(back) < ALERT_BURST,
            )
        except Hotspot.DoesNotExist:  # deleted while the round was probing
            continue
        if change.opened is not None:
            down.append(change.opened)
        if change.closed is not None:
            back.append(change.closed)
    _alert_the_rest(down[ALERT_BURST:], back[ALERT_BURST:])
    ok = sum(r.ok for r in results)
    return RoundSummary(
        probed=len(results), ok=ok, failed=len(results) - ok, went_down=len(down), came_back=len(back),
        seconds=round(time.monotonic() - started, 3),
    )


@transaction.atomic
def _alert_the_rest(down: list[Incident], back: list[Incident]) -> None:
    """One message for the points beyond the burst: a power cut or a broken uplink takes
    down a whole kelurahan at once, and two hundred e-mails bury the one that matters."""
    for template, incidents in (("wifi_down", down), ("wifi_up", back)):
        if not incidents:
            continue
        for operator in network_operators():
            message_create(
                user=operator, template=template,
                context={
                    "incidents": incidents[:ALERT_LIST], "count": len(incidents),
                    "more": max(0, len(incidents) - ALERT_LIST),
                },
            )


def _sample(hotspot: Hotspot, result: Result, at: datetime) -> ProbeResult:
    return ProbeResult(
        hotspot=hotspot, at=at, kind=result.kind or hotspot.probe_kind, ok=result.ok,
        rtt_ms=result.rtt_ms, error=result.error[:200],
    )


@transaction.atomic
def probe_record(*, hotspot: Hotspot, result: Result, at: datetime) -> Change:
    """Store one probe of one hotspot and move its health accordingly."""
    _sample(hotspot, result, at).save()
    return _health_record(hotspot_id=hotspot.pk, result=result, at=at)


@transaction.atomic
def _health_record(
    *, hotspot_id: int, result: Result, at: datetime, alert_down: bool = True, alert_up: bool = True
) -> Change:
    # The row lock serialises two workers (or a round and a router's push) recording the
    # same hotspot: only one of them sees the change to critical and opens the incident. On
    # SQLite, which has no row locks, the write lock and the one-open-incident constraint
    # do the same. Only the hotspot's row: locking its kelurahan would queue every point there.
    if result.ok and _still_ok(hotspot_id, result, at):
        return Change(health=Health.OK, previous=Health.OK)
    hotspot = (
        Hotspot.objects.select_for_update(of=("self",)).select_related("kelurahan").get(pk=hotspot_id)
    )
    if result.ok:
        return _went_well(hotspot, result, at, alert=alert_up)
    return _went_wrong(hotspot, result, at, alert=alert_down)


def _still_ok(hotspot_id: int, result: Result, at: datetime) -> bool:
    """Nearly every probe of a round finds a point that was ok still ok: one conditional
    update records it, and only a point whose health changes takes the row lock."""
    return bool(
        Hotspot.objects.filter(pk=hotspot_id, health=Health.OK, failures=0).update(
            last_probe_at=at, last_ok_at=at, last_rtt_ms=result.rtt_ms, last_error=result.error[:200]
        )
    )


def _went_well(hotspot: Hotspot, result: Result, at: datetime, *, alert: bool) -> Change:
    previous = hotspot.health
    changes: dict = {
        "health": Health.OK, "failures": 0, "first_failure_at": None, "last_probe_at": at,
        "last_ok_at": at, "last_rtt_ms": result.rtt_ms, "last_error": result.error[:200],
    }
    if previous != Health.OK:
        changes["health_changed_at"] = at
    Hotspot.objects.filter(pk=hotspot.pk).update(**changes)
    for field, value in changes.items():
        setattr(hotspot, field, value)
    closed = Incident.objects.filter(hotspot=hotspot, ended_at__isnull=True).first()
    if closed is not None:
        closed.ended_at = max(at, closed.started_at)
        closed.save(update_fields=["ended_at"])
        for operator in network_operators() if alert else []:
            message_create(
                user=operator, template="wifi_up", context={"hotspot": hotspot, "incident": closed}
            )
    if previous in (Health.PROBLEM, Health.CRITICAL):
        _tell_reporters(hotspot, at)
    return Change(health=Health.OK, previous=previous, closed=closed)


def _went_wrong(hotspot: Hotspot, result: Result, at: datetime, *, alert: bool) -> Change:
    previous = hotspot.health
    failures = hotspot.failures + 1
    first_failure_at = hotspot.first_failure_at or at
    tolerance = timedelta(minutes=settings.WIFI_CRITICAL_MINUTES)
    critical = failures >= settings.WIFI_CRITICAL_FAILURES and at - first_failure_at >= tolerance
    health = Health.CRITICAL if critical else Health.PROBLEM
    changes: dict = {
        "health": health, "failures": failures, "first_failure_at": first_failure_at, "last_probe_at": at,
        "last_rtt_ms": result.rtt_ms, "last_error": result.error[:200],
    }
    if previous != health:
        changes["health_changed_at"] = at
    Hotspot.objects.filter(pk=hotspot.pk).update(**changes)
    for field, value in changes.items():
        setattr(hotspot, field, value)
    opened = None
    if critical:
        opened = _incident_open(hotspot, started_at=first_failure_at, cause=result.error)
        if opened is not None and alert:
            for operator in network_operators():
                message_create(
                    user=operator, template="wifi_down", context={"hotspot": hotspot, "incident": opened}
                )
    return Change(health=health, previous=previous, opened=opened)


def _incident_open(hotspot: Hotspot, *, started_at: datetime, cause: str) -> Incident | None:
    """Open the hotspot's incident unless one is open already. The downtime counts from the
    first failed probe: the tolerance delays the alert, not the start of the outage."""
    if Incident.objects.filter(hotspot=hotspot, ended_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            return Incident.objects.create(hotspot=hotspot, started_at=started_at, cause=cause[:200])
    except IntegrityError:
        # Another worker opened it between our check and insert (the partial unique
        # constraint wifi_one_open_incident): that worker alerts, not this one.
        return None


def _tell_reporters(hotspot: Hotspot, at: datetime) -> int:
    """Tell each resident whose open report about this point is still waiting that it works
    again, once: the row is marked whether or not the resident can be reached."""
    links = list(
        HotspotReport.objects.filter(hotspot=hotspot, back_notified_at__isnull=True, created_at__lte=at)
        .exclude(report__case__status__in=sorted(FINAL_STATUSES))
        .select_related("report__case", "report__reporter")
    )
    told: set[int] = set()
    for link in links:
        reporter = link.report.reporter
        if reporter is not None and reporter.is_active and reporter.pk not in told:
            message_create(
                user=reporter, template="wifi_back", context={"hotspot": hotspot, "report": link.report}
            )
            told.add(reporter.pk)
    HotspotReport.objects.filter(pk__in=[link.pk for link in links]).update(back_notified_at=at)
    return len(told)


@transaction.atomic
def device_report_record(
    *, hotspot: Hotspot, report: DeviceMonitoring, at: datetime | None = None
) -> DeviceStatus:
    """Keep a router's NetJSON DeviceMonitoring push, summarised. For a point watched by its
    pushes (probe_kind=push), the push is also the good probe that keeps it ok."""
    at = at or timezone.now()
    rx_bytes, tx_bytes = report.traffic()
    status, _created = DeviceStatus.objects.update_or_create(
        hotspot=hotspot,
        defaults={
            "received_at": at,
            "uptime_seconds": report.uptime_seconds(),
            "load_1": report.load_1(),
            "memory_percent": report.memory_percent(),
            "clients": report.clients(),
            "rx_bytes": rx_bytes,
            "tx_bytes": tx_bytes,
            "data": report.model_dump(mode="json", exclude_unset=True),
        },
    )
    Hotspot.objects.filter(pk=hotspot.pk).update(last_push_at=at)
    hotspot.last_push_at = at
    if hotspot.is_monitored and hotspot.probe_kind == ProbeKind.PUSH:
        probe_record(hotspot=hotspot, result=Result(ok=True, kind=ProbeKind.PUSH), at=at)
    return status


def probe_results_prune(*, days: int = 7, now: datetime | None = None) -> int:
    """Forget probe samples older than `days`; incidents (and so uptime) stay."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _by_model = ProbeResult.objects.filter(at__lt=cutoff).delete()
    return deleted
