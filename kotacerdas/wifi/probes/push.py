"""Passive: the router is alive while it keeps pushing its NetJSON report, like OpenWISP's
data_collected check (reference/wifi.md §1.2), for points the worker cannot reach (behind
NAT, or with every port closed)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from kotacerdas.wifi.probes import Result


async def probe(hotspot, *, timeout: float, now: datetime) -> Result:
    window = timedelta(minutes=settings.WIFI_PUSH_STALE_MINUTES)
    if hotspot.last_push_at is None:
        return Result(ok=False, error=_("Router belum pernah mengirim laporan."))
    if now - hotspot.last_push_at > window:
        return Result(
            ok=False,
            error=_("Router tidak mengirim laporan lebih dari %(minutes)s menit.")
            % {"minutes": settings.WIFI_PUSH_STALE_MINUTES},
        )
    return Result(ok=True)
