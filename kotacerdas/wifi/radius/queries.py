"""Reads for RADIUS accounting: which hotspot a packet came from, and the usage dashboard."""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max, Q, Sum

from kotacerdas.wifi.models import Hotspot, UsageDay


@dataclass
class HotspotMap:
    """Hotspots by each way RADIUS names them, ranked as wifi.md §2.3 suggests: a MikroTik's
    WISPr-Location-ID is set per hotspot server by us; NAS-IP plus Called-Station-Id (the
    hotspot server's name) is unique per router; a server name alone usually is; a router's
    identity names the router, and its IP too, which is a hotspot when it serves one only."""

    COLUMNS = ("id", "wispr_location_id", "nas_ip", "called_station_id", "nas_identifier")

    by_location: dict[str, int] = field(default_factory=dict)
    by_nas_and_server: dict[tuple[str, str], int] = field(default_factory=dict)
    by_server: dict[str, int] = field(default_factory=dict)
    by_identifier: dict[str, int] = field(default_factory=dict)
    by_nas_ip: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, rows, *, unique_nas_ip: bool = True) -> "HotspotMap":
        """From (id, wispr_location_id, nas_ip, called_station_id, nas_identifier) rows, newest
        first, so that where two hotspots claim a name the oldest keeps it."""
        found = cls()
        nas_ips: Counter[str] = Counter()
        for hotspot_id, location, nas_ip, server, identifier in rows:
            if location:
                found.by_location[location] = hotspot_id
            if nas_ip and server:
                found.by_nas_and_server[(nas_ip, server)] = hotspot_id
            if server:
                found.by_server[server] = hotspot_id
            if identifier:
                found.by_identifier[identifier] = hotspot_id
            if nas_ip and unique_nas_ip:
                nas_ips[nas_ip] += 1
                found.by_nas_ip[nas_ip] = hotspot_id
        for nas_ip, count in nas_ips.items():
            if count > 1:
                del found.by_nas_ip[nas_ip]
        return found

    def resolve(self, *, nas_ip: str = "", called_station_id: str = "", nas_identifier: str = "",
                wispr_location_id: str = "") -> int | None:
        if wispr_location_id and wispr_location_id in self.by_location:
            return self.by_location[wispr_location_id]
        if called_station_id:
            found = self.by_nas_and_server.get((nas_ip, called_station_id))
            if found or called_station_id in self.by_server:
                return found or self.by_server[called_station_id]
        return self.by_identifier.get(nas_identifier) or self.by_nas_ip.get(nas_ip)


def hotspot_map() -> HotspotMap:
    """The whole registry in memory, for an import that resolves thousands of rows a second."""
    return HotspotMap.of(Hotspot.objects.order_by("-id").values_list(*HotspotMap.COLUMNS))


def hotspot_for(*, wispr_location_id: str = "", nas_ip: str = "", called_station_id: str = "",
                nas_identifier: str = "") -> int | None:
    """The id of the hotspot a packet came from, or None. Usually one query over the indexed
    columns, its few candidates ranked here (the ORM's Case/When ranking cost more than the
    query itself); a second, only when nothing else names it, for a router's IP."""
    matches = Q()
    if wispr_location_id:
        matches |= Q(wispr_location_id=wispr_location_id)
    if called_station_id:
        matches |= Q(called_station_id=called_station_id)
    if nas_identifier:
        matches |= Q(nas_identifier=nas_identifier)
    if matches:
        candidates = Hotspot.objects.filter(matches).order_by("-id").values_list(*HotspotMap.COLUMNS)
        found = HotspotMap.of(candidates, unique_nas_ip=False).resolve(
            wispr_location_id=wispr_location_id, nas_ip=nas_ip, called_station_id=called_station_id,
            nas_identifier=nas_identifier,
        )
        if found is not None:
            return found
    if not nas_ip:
        return None
    by_ip = list(Hotspot.objects.filter(nas_ip=nas_ip).values_list("id", flat=True)[:2])
    # A gateway in front of several hotspots names none of them.
    return by_ip[0] if len(by_ip) == 1 else None


# The registry as the accounting endpoint resolves it, per process, rebuilt once a minute:
# a session's Start then costs its INSERT only. A hotspot added or renamed meanwhile is still
# found, by the database lookup that a miss falls back to.
MAP_TTL_SECONDS = 60
_cached: tuple[float, HotspotMap] | None = None


def hotspot_for_packet(*, wispr_location_id: str = "", nas_ip: str = "", called_station_id: str = "",
                       nas_identifier: str = "") -> int | None:
    global _cached
    if _cached is None or _cached[0] < time.monotonic():
        _cached = (time.monotonic() + MAP_TTL_SECONDS, hotspot_map())
    known = _cached[1]
    # Only a name that picks one hotspot is taken from the map; the weaker ones (a router's
    # identity or IP) may be stale in a way that matters, e.g. a second hotspot server added
    # to a router since the map was read, so they are looked up.
    found = known.by_location.get(wispr_location_id) if wispr_location_id else None
    if found is None and called_station_id:
        found = known.by_nas_and_server.get((nas_ip, called_station_id))
    if found is not None:
        return found
    return hotspot_for(wispr_location_id=wispr_location_id, nas_ip=nas_ip,
                       called_station_id=called_station_id, nas_identifier=nas_identifier)


def forget_hotspot_map() -> None:
    global _cached
    _cached = None


def usage_summary(*, start: date, end: date, hotspot: Hotspot | None = None, kelurahan=None,
                  top: int = 10) -> dict[str, Any]:
    """Usage between two days (both included), from the daily rollups only: two grouped
    queries and one for the top hotspots' names, however many sessions there were.

    Unique users and peak concurrent users of a day are the sums over its hotspots, so they are
    upper bounds: one phone seen at two hotspots counts twice, and two hotspots' peaks need not
    fall at the same minute. Over the whole period, ``unique_users`` adds up days (a user back
    every day counts every day) and ``peak_concurrent`` is the highest day's figure.
    """
    rows = UsageDay.objects.filter(day__gte=start, day__lte=end)
    if hotspot is not None:
        rows = rows.filter(hotspot=hotspot)
    if kelurahan is not None:
        rows = rows.filter(hotspot__kelurahan=kelurahan)
    series = list(
        rows.values("day")
        .annotate(sessions=Sum("sessions"), unique_users=Sum("unique_users"), bytes_in=Sum("bytes_in"),
                  bytes_out=Sum("bytes_out"), peak_concurrent=Sum("peak_concurrent"))
        .order_by("day")
    )
    # Grouped by the id alone, names fetched for the few at the top: grouping by the joined
    # code and name sorted all 90,000 rows of a quarter and took most of the time.
    top_hotspots = list(
        rows.filter(hotspot__isnull=False)
        .values("hotspot_id")
        .annotate(sessions=Sum("sessions"), unique_users=Sum("unique_users"), bytes_in=Sum("bytes_in"),
                  bytes_out=Sum("bytes_out"), peak_concurrent=Max("peak_concurrent"))
        .order_by("-sessions", "hotspot_id")[:top]
    )
    names = {
        pk: (code, name)
        for pk, code, name in Hotspot.objects.filter(pk__in=[row["hotspot_id"] for row in top_hotspots])
        .values_list("pk", "code", "name")
    }
    for row in top_hotspots:
        row["hotspot__code"], row["hotspot__name"] = names[row["hotspot_id"]]
    totals = {
        key: sum(day[key] or 0 for day in series)
        for key in ("sessions", "unique_users", "bytes_in", "bytes_out")
    }
    totals["peak_concurrent"] = max((day["peak_concurrent"] or 0 for day in series), default=0)
    return {"start": start, "end": end, "totals": totals, "days": series, "top_hotspots": top_hotspots}


def usage_by_kelurahan(*, start: date, end: date) -> list[dict[str, Any]]:
    """Usage between two days (both included) per kelurahan of the hotspots, from the daily
    rollups (kelurahan None: sessions no hotspot claimed). Users are summed over days and
    hotspots, the same upper bound as usage_summary's."""
    return list(
        UsageDay.objects.filter(day__gte=start, day__lte=end)
        .values("hotspot__kelurahan")
        .annotate(sessions=Sum("sessions"), unique_users=Sum("unique_users"), bytes_in=Sum("bytes_in"),
                  bytes_out=Sum("bytes_out"))
        .order_by("hotspot__kelurahan")
    )
