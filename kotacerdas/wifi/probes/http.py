"""An HTTP GET of the router's page (or its captive portal): 2xx and 3xx mean alive.

A plain asyncio stream rather than an HTTP client library: all we read is the status line,
and a thousand of these share one event loop with the other probes.
"""

import asyncio
import contextlib
import ssl
import time
from datetime import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from kotacerdas.wifi.probes import Result, address_of, no_address, timed_out


def target(hotspot) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) from a full URL or a bare host with probe_port."""
    address = address_of(hotspot)
    if "://" in address:
        parts = urlsplit(address)
        scheme = parts.scheme.lower()
        default = 443 if scheme == "https" else 80
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return scheme, parts.hostname or "", parts.port or default, path
    return "http", address, hotspot.probe_port or 80, "/"


def _tls() -> ssl.SSLContext:
    # Routers serve self-signed certificates. This asks whether the point is up, not whether
    # to trust it, and sends nothing secret.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


async def probe(hotspot, *, timeout: float, now: datetime) -> Result:
    scheme, host, port, path = target(hotspot)
    if not host:
        return no_address()
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                host, port, ssl=_tls() if scheme == "https" else None
            )
            host_header = host if port in (80, 443) else f"{host}:{port}"
            writer.write(
                f"GET {path} HTTP/1.0\r\nHost: {host_header}\r\nUser-Agent: kotacerdas-probe\r\n"
                "Connection: close\r\n\r\n".encode("latin-1")
            )
            await writer.drain()
            status_line = await reader.readline()
    except TimeoutError:
        return timed_out(timeout)
    except (OSError, UnicodeEncodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        return Result(ok=False, error=_("HTTP: %(reason)s") % {"reason": reason})
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, TimeoutError):
                async with asyncio.timeout(timeout):
                    await writer.wait_closed()
    rtt_ms = (time.perf_counter() - started) * 1000
    parts = status_line.decode("latin-1").split()
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        return Result(ok=False, rtt_ms=rtt_ms, error=_("Jawaban bukan HTTP."))
    status = int(parts[1])
    if 200 <= status < 400:
        return Result(ok=True, rtt_ms=rtt_ms)
    return Result(ok=False, rtt_ms=rtt_ms, error=_("HTTP status %(status)s") % {"status": status})
