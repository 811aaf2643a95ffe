"""The probes against real listeners on 127.0.0.1, and a round's parallelism."""

import asyncio
import time

import pytest
from django.utils import timezone
from icmplib.exceptions import SocketPermissionError

from kotacerdas.wifi import probes
from kotacerdas.wifi.models import ProbeKind
from kotacerdas.wifi.probes import http, icmp, probe_one, push
from kotacerdas.wifi.tests.fixtures_monitoring import (
    closed_port,
    listeners_fixture,  # noqa: F401 - a fixture
    unsaved,
)

TIMEOUT = 0.3


def run(hotspot, timeout: float = TIMEOUT):
    return asyncio.run(probe_one(hotspot, timeout=timeout, now=timezone.now()))


# --- TCP ----------------------------------------------------------------------------------------------


def test_tcp_to_an_open_port_is_ok(listeners):
    result = run(unsaved(ProbeKind.TCP, port=listeners.accepting()))
    assert result.ok
    assert result.rtt_ms is not None and result.rtt_ms >= 0


def test_tcp_to_a_closed_port_fails_with_the_reason():
    port = closed_port()
    result = run(unsaved(ProbeKind.TCP, port=port))
    assert not result.ok
    assert str(port) in result.error


def test_probe_without_an_address_fails_without_trying():
    for kind in (ProbeKind.TCP, ProbeKind.HTTP, ProbeKind.ICMP):
        result = run(unsaved(kind, address=""))
        assert not result.ok
        assert result.error == "Alamat manajemen belum diisi."


def test_tcp_takes_the_host_of_a_url_and_falls_back_to_the_nas_address(listeners):
    port = listeners.accepting()
    assert run(unsaved(ProbeKind.TCP, address="http://127.0.0.1:9/login", port=port)).ok
    assert run(unsaved(ProbeKind.TCP, address="", nas_ip="127.0.0.1", port=port)).ok


# --- HTTP ---------------------------------------------------------------------------------------------


def test_http_200_is_ok(listeners):
    result = run(unsaved(ProbeKind.HTTP, port=listeners.http(200)))
    assert result.ok
    assert result.rtt_ms is not None


def test_http_redirect_is_ok(listeners):
    port = listeners.http(302)
    assert run(unsaved(ProbeKind.HTTP, address=f"http://127.0.0.1:{port}/login?dst=x")).ok


def test_http_500_fails_with_the_status(listeners):
    result = run(unsaved(ProbeKind.HTTP, port=listeners.http(500)))
    assert not result.ok
    assert "500" in result.error


def test_http_server_that_never_answers_times_out_within_the_timeout(listeners):
    hotspot = unsaved(ProbeKind.HTTP, port=listeners.hanging())
    started = time.monotonic()
    result = run(hotspot)
    elapsed = time.monotonic() - started
    assert not result.ok
    assert "0.3" in result.error
    assert TIMEOUT <= elapsed < TIMEOUT + 0.5


def test_http_target_reads_a_full_url_or_a_bare_host():
    assert http.target(unsaved(ProbeKind.HTTP, address="https://10.1.2.3/status")) == (
        "https", "10.1.2.3", 443, "/status",
    )
    bare = unsaved(ProbeKind.HTTP, address="10.1.2.3", port=8080)
    assert http.target(bare) == ("http", "10.1.2.3", 8080, "/")


# --- ICMP ---------------------------------------------------------------------------------------------


def test_icmp_ping_to_localhost_answers():
    result = run(unsaved(ProbeKind.ICMP, address="127.0.0.1"), timeout=1)
    if result.kind == "tcp":
        pytest.skip("ICMP is not permitted on this machine")
    assert result.ok, result.error
    assert result.rtt_ms is not None


def test_icmp_not_permitted_falls_back_to_tcp_and_says_so(listeners, monkeypatch):
    async def refused(*args, **kwargs):
        raise SocketPermissionError(False)

    monkeypatch.setattr(icmp, "async_ping", refused)
    result = run(unsaved(ProbeKind.ICMP, port=listeners.accepting()))
    assert result.ok
    assert result.kind == "tcp"
    assert "ICMP tidak diizinkan" in result.error


# --- Push (passive) -----------------------------------------------------------------------------------


def test_push_is_ok_only_while_the_router_keeps_reporting(settings):
    settings.WIFI_PUSH_STALE_MINUTES = 3
    now = timezone.now()

    def check(**fields):
        return asyncio.run(push.probe(unsaved(ProbeKind.PUSH, **fields), timeout=TIMEOUT, now=now))

    assert check(last_push_at=now - timezone.timedelta(minutes=2)).ok
    assert not check(last_push_at=now - timezone.timedelta(minutes=4)).ok
    assert not check(last_push_at=None).ok


# --- A round ----------------------------------------------------------------------------------------


def test_a_probe_that_raises_is_a_failure_not_a_crash(monkeypatch):
    async def broken(hotspot, *, timeout, now):
        raise RuntimeError("boom")

    monkeypatch.setattr(probes, "probe_for", lambda kind: broken)
    result = run(unsaved())
    assert not result.ok
    assert result.error == "RuntimeError: boom"


def test_round_where_half_the_points_hang_takes_about_one_timeout(listeners):
    alive, dead = listeners.http(200), listeners.hanging()
    hotspots = [unsaved(ProbeKind.HTTP, port=alive if n % 2 else dead, code=f"T-{n}") for n in range(50)]
    started = time.monotonic()
    results = probes.probe_all(hotspots, timeout=TIMEOUT, now=timezone.now())
    elapsed = time.monotonic() - started
    assert [r.ok for r in results] == [bool(n % 2) for n in range(50)]
    assert elapsed < 3 * TIMEOUT, f"a round of 50 took {elapsed:.2f} s: the probes did not run in parallel"


def test_a_thousand_points_many_dead_finish_well_within_the_minute(listeners):
    alive, dead = listeners.http(200), listeners.hanging()
    hotspots = [unsaved(ProbeKind.HTTP, port=dead if n % 3 else alive, code=f"T-{n}") for n in range(1000)]
    # Long enough for the in-process listener to answer 333 requests on a busy machine; the
    # bound below still fails a round that waits for its dead points one after another.
    timeout = 2.0
    started = time.monotonic()
    results = probes.probe_all(hotspots, timeout=timeout, now=timezone.now())
    elapsed = time.monotonic() - started
    assert [r.ok for r in results] == [not n % 3 for n in range(1000)]
    assert elapsed < 3 * timeout, f"1,000 points took {elapsed:.2f} s"
