"""A TCP connect: the router's management port accepts a connection."""

import asyncio
import contextlib
import time
from datetime import datetime

from django.utils.translation import gettext as _

from kotacerdas.wifi.probes import Result, host_of, no_address, timed_out

DEFAULT_PORT = 80


async def connect(host: str, port: int, *, timeout: float) -> Result:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            _reader, writer = await asyncio.open_connection(host, port)
    except TimeoutError:
        return timed_out(timeout)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return Result(ok=False, error=_("Port %(port)s: %(reason)s") % {"port": port, "reason": reason})
    rtt_ms = (time.perf_counter() - started) * 1000
    writer.close()
    # A router that resets the connection on close has still answered.
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(timeout):
            await writer.wait_closed()
    return Result(ok=True, rtt_ms=rtt_ms)


async def probe(hotspot, *, timeout: float, now: datetime) -> Result:
    host = host_of(hotspot)
    if not host:
        return no_address()
    return await connect(host, hotspot.probe_port or DEFAULT_PORT, timeout=timeout)
