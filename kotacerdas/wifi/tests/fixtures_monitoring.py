"""Set-up for the monitoring tests: real listeners on 127.0.0.1 for the probes to reach,
a kelurahan for hotspots to stand in, and a hotspot factory.

The listeners run in an asyncio loop of their own, in a background thread, so that a
thousand connections that are never answered cost a coroutine each, not a thread each.
"""

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kotacerdas.regions.actions import regions_load_reference
from kotacerdas.regions.models import Region
from kotacerdas.wifi.models import Hotspot, ProbeKind

JAKARTA = ZoneInfo("Asia/Jakarta")
SENTUL = (-8.075304, 112.18493)  # the centroid of Kelurahan Sentul


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


class Listeners:
    """TCP listeners on ephemeral ports of 127.0.0.1 that behave as told."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.servers: list[asyncio.Server] = []
        self.connections: list[asyncio.StreamWriter] = []

    def _start(self, handler) -> int:
        async def start() -> int:
            server = await asyncio.start_server(handler, "127.0.0.1", 0, backlog=2048)
            self.servers.append(server)
            return server.sockets[0].getsockname()[1]

        return asyncio.run_coroutine_threadsafe(start(), self.loop).result(timeout=5)

    def accepting(self) -> int:
        """Accepts a connection and closes it."""

        async def handle(reader, writer):
            writer.close()

        return self._start(handle)

    def http(self, status: int) -> int:
        """Answers any request with `status` and an empty body."""

        async def handle(reader, writer):
            with contextlib.suppress(OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                await reader.readuntil(b"\r\n\r\n")
                writer.write(f"HTTP/1.1 {status} Status\r\nContent-Length: 0\r\n\r\n".encode())
                await writer.drain()
            writer.close()

        return self._start(handle)

    def hanging(self) -> int:
        """Accepts connections and never says a word."""

        async def handle(reader, writer):
            self.connections.append(writer)
            await asyncio.Event().wait()

        return self._start(handle)

    def stop(self) -> None:
        async def stop() -> None:
            for writer in self.connections:
                writer.close()
            for server in self.servers:
                server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


def closed_port() -> int:
    """A port nothing listens on: bound for a moment, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(name="listeners")
def listeners_fixture() -> Iterator[Listeners]:
    found = Listeners()
    yield found
    found.stop()


@pytest.fixture(name="quick_probes")
def quick_probes_fixture(settings):
    settings.WIFI_PROBE_TIMEOUT = 0.3
    return settings


@pytest.fixture(name="sentul")
def sentul_fixture(db) -> Region:
    regions_load_reference()
    return Region.objects.get(level=Region.Level.KELURAHAN, name="Sentul")


def unsaved(
    kind: str = ProbeKind.TCP, address: str = "127.0.0.1", port: int | None = None, **extra
) -> Hotspot:
    """A hotspot the probes can use without the database."""
    return Hotspot(code=extra.pop("code", "T-1"), name="Uji", probe_kind=kind, management_address=address,
                   probe_port=port, lat=SENTUL[0], lon=SENTUL[1], **extra)


@pytest.fixture(name="make_hotspot")
def make_hotspot_fixture(sentul) -> Callable[..., Hotspot]:
    counter = iter(range(1, 100_000))

    def make(**fields) -> Hotspot:
        number = next(counter)
        defaults = {
            "code": f"SNT-{number:04d}", "name": f"Balai RW {number:02d} Sentul", "kelurahan": sentul,
            "lat": SENTUL[0], "lon": SENTUL[1], "probe_kind": ProbeKind.TCP,
            "management_address": "127.0.0.1",
        }
        return Hotspot.objects.create(**{**defaults, **fields})

    return make
