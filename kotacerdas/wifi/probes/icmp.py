"""A ping (ICMP echo), what OpenWISP's default check does (reference/wifi.md §1.2).

Raw ICMP sockets need root or CAP_NET_RAW; unprivileged ICMP needs the sysctl
net.ipv4.ping_group_range to include the worker's group. Where neither is granted the probe
says so and falls back to a TCP connect, so a misconfigured worker degrades to a weaker check
instead of reporting every point as down.
"""

import os
from dataclasses import replace
from datetime import datetime

from django.utils.translation import gettext as _
from icmplib import async_ping
from icmplib.exceptions import NameLookupError, SocketPermissionError

from kotacerdas.wifi.probes import Result, host_of, no_address, tcp, timed_out


async def probe(hotspot, *, timeout: float, now: datetime) -> Result:
    host = host_of(hotspot)
    if not host:
        return no_address()
    try:
        # One echo a round: the tolerance (several failures over several minutes) absorbs a
        # lost packet, and more echoes would multiply a dead point's wait.
        answer = await async_ping(host, count=1, timeout=timeout, privileged=os.geteuid() == 0)
    except SocketPermissionError:
        port = hotspot.probe_port or tcp.DEFAULT_PORT
        fallback = await tcp.connect(host, port, timeout=timeout)
        note = _("ICMP tidak diizinkan di server ini; diperiksa dengan TCP port %(port)s.") % {"port": port}
        return replace(fallback, kind="tcp", error=f"{note} {fallback.error}".strip()[:200])
    except NameLookupError:
        return Result(ok=False, error=_("Nama host %(host)s tidak ditemukan.") % {"host": host})
    if not answer.is_alive:
        return timed_out(timeout)
    return Result(ok=True, rtt_ms=answer.avg_rtt)
