"""How the worker asks a hotspot whether it is alive: one small module per probe kind, each
with `async def probe(hotspot, *, timeout, now) -> Result`, and `probe_all` to ask every
point of a round at once.

Probes never touch the database: they read the fields of hotspots loaded beforehand, so a
whole round runs in one event loop and the dead points' timeouts overlap instead of adding
up (1,000 points, many of them dead, still take about one timeout).
"""

import asyncio
import resource
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

KINDS = {
    "icmp": "kotacerdas.wifi.probes.icmp",
    "tcp": "kotacerdas.wifi.probes.tcp",
    "http": "kotacerdas.wifi.probes.http",
    "push": "kotacerdas.wifi.probes.push",
}

# Each probe holds a socket while it waits. 1,000 at once keeps a round of 1,000 dead points
# within one timeout; half the descriptor limit leaves the rest to the database and logs
# where the limit is the common default of 1,024.
MAX_CONCURRENCY = 1000


@dataclass(frozen=True)
class Result:
    ok: bool
    rtt_ms: float | None = None
    error: str = ""
    # The kind that answered, when it is not the hotspot's own (ICMP falls back to TCP).
    kind: str = ""


Probe = Callable[..., Awaitable[Result]]


def probe_for(kind: str) -> Probe:
    return import_module(KINDS[kind]).probe


def address_of(hotspot) -> str:
    """What to probe: the management address, else the router's RADIUS address."""
    return (hotspot.management_address or "").strip() or (hotspot.nas_ip or "")


def host_of(hotspot) -> str:
    """The host alone, for the probes that take no URL (the field may hold one for HTTP)."""
    address = address_of(hotspot)
    return (urlsplit(address).hostname or "") if "://" in address else address


def no_address() -> Result:
    return Result(ok=False, error=_("Alamat manajemen belum diisi."))


def timed_out(timeout: float) -> Result:
    return Result(ok=False, error=_("Tidak menjawab dalam %(seconds)s detik.") % {"seconds": f"{timeout:g}"})


async def probe_one(hotspot, *, timeout: float, now: datetime) -> Result:
    """Any probe, bounded: a probe that hangs past its own timeout or raises is a failure
    with a reason, never an exception that would end the round."""
    try:
        probe = probe_for(hotspot.probe_kind)
    except KeyError:
        return Result(ok=False, error=_("Jenis probe tidak dikenal: %(kind)s") % {"kind": hotspot.probe_kind})
    try:
        # The margin lets the probe report its own, more precise timeout first.
        async with asyncio.timeout(timeout + 1):
            return await probe(hotspot, timeout=timeout, now=now)
    except TimeoutError:
        return timed_out(timeout)
    except Exception as error:  # noqa: BLE001 - one broken point must not stop the round
        return Result(ok=False, error=f"{type(error).__name__}: {error}"[:200])


def concurrency() -> int:
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONCURRENCY
    return max(10, min(MAX_CONCURRENCY, soft // 2))


async def _probe_all(hotspots: Sequence, timeout: float, now: datetime, limit: int) -> list[Result]:
    gate = asyncio.Semaphore(limit)

    async def bounded(hotspot) -> Result:
        async with gate:
            return await probe_one(hotspot, timeout=timeout, now=now)

    return list(await asyncio.gather(*(bounded(h) for h in hotspots)))


def probe_all(hotspots: Sequence, *, timeout: float, now: datetime, limit: int | None = None) -> list[Result]:
    """Probe every hotspot concurrently; the results are in the hotspots' order."""
    if not hotspots:
        return []
    return asyncio.run(_probe_all(hotspots, timeout, now, limit or concurrency()))
