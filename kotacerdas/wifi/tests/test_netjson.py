"""A router pushing NetJSON DeviceMonitoring: accepted and summarised, or refused clearly."""

import copy
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from kotacerdas.wifi.models import DeviceStatus, Health, Hotspot, ProbeKind, ProbeResult
from kotacerdas.wifi.netjson.schemas import DeviceMonitoring
from kotacerdas.wifi.netjson.views import MAX_BYTES
from kotacerdas.wifi.tests.fixtures_monitoring import (  # noqa: F401 - fixtures
    make_hotspot_fixture,
    sentul_fixture,
)

GIB = 1024**3


def client_entry(mac: str) -> dict:
    return {"mac": mac, "auth": True, "authorized": True, "ht": True, "vht": False, "wmm": True, "mfp": False,
            "signal": -60, "noise": -95, "vendor": ""}


def radio(name: str, ssid: str, clients: list[dict], rx: int, tx: int) -> dict:
    return {
        "name": name, "type": "wireless", "up": True, "mac": "44:d1:fa:4b:38:43", "mtu": 1500,
        "statistics": {"rx_bytes": rx, "tx_bytes": tx, "rx_packets": 10, "tx_packets": 12, "collisions": 0},
        "wireless": {"channel": 6, "country": "ID", "frequency": 2437, "mode": "access_point", "noise": -95,
                     "signal": -29, "ssid": ssid, "tx_power": 6, "htmode": "HT20", "clients": clients},
    }


PAYLOAD = {
    "type": "DeviceMonitoring",
    "general": {"local_time": 1789026500, "uptime": 8003, "hostname": "snt-rw03"},
    "resources": {
        "load": [0.08, 0.04, 0.05],
        "cpus": 1,
        "memory": {"total": 1000, "free": 300, "buffered": 100, "shared": 10, "cached": 100,
                   "available": 250},
        "disk": [{"mount_point": "/", "filesystem": "/dev/root", "used_bytes": 100, "available_bytes": 900,
                  "used_percent": 10, "size_bytes": 1000}],
        "swap": {"total": 0, "free": 0},
    },
    "interfaces": [
        radio("wlan0", "BlitarFreeWiFi",
              [client_entry("aa:00:00:00:00:01"), client_entry("aa:00:00:00:00:02")], rx=1 * GIB, tx=2 * GIB),
        radio("wlan1", "BlitarFreeWiFi-5G", [client_entry("aa:00:00:00:00:03")], rx=3 * GIB, tx=4 * GIB),
        # A bridge's counters repeat its members' traffic.
        {"name": "br-lan", "type": "bridge", "statistics": {"rx_bytes": 4 * GIB, "tx_bytes": 6 * GIB},
         "bridge_members": ["wlan0", "wlan1"]},
        {"name": "lo", "type": "loopback", "statistics": {"rx_bytes": 999, "tx_bytes": 999}},
    ],
    "neighbors": [{"ip": "10.0.0.1", "interface": "eth0", "state": "REACHABLE"}],
    "agent_version": "1.1",  # unknown top-level keys are allowed
}


@pytest.fixture
def device(make_hotspot):
    """A hotspot with its device key: (hotspot, raw key)."""
    raw, hashed = Hotspot.new_device_key()
    return make_hotspot(device_key_hash=hashed), raw


def push(client, hotspot, key: str | None, body, **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    url = reverse("wifi_netjson:device-monitoring", args=[hotspot.code])
    return client.post(url, data, content_type="application/json", **headers)


def test_url_is_under_api_wifi(device):
    assert reverse("wifi_netjson:device-monitoring", args=["SNT-0001"]) == "/api/wifi/perangkat/SNT-0001/"


def test_valid_report_is_accepted_and_summarised(client, device):
    hotspot, key = device
    response = push(client, hotspot, key, PAYLOAD)
    assert response.status_code == 200, response.content
    assert response.json() == {"detail": "Laporan diterima. / Report received."}
    status = DeviceStatus.objects.get(hotspot=hotspot)
    assert status.uptime_seconds == 8003
    assert status.load_1 == 0.08
    assert status.memory_percent == 75.0  # (total - available) / total
    assert status.clients == 3
    assert (status.rx_bytes, status.tx_bytes) == (4 * GIB, 6 * GIB)
    assert status.data["general"]["hostname"] == "snt-rw03"
    assert status.data["agent_version"] == "1.1"
    found = Hotspot.objects.get(pk=hotspot.pk)
    assert found.last_push_at == status.received_at
    # The point is probed by ping, so its health is the probes' business, not the push's.
    assert found.health == Health.UNKNOWN
    assert not ProbeResult.objects.exists()


def test_a_second_report_replaces_the_first(client, device):
    hotspot, key = device
    push(client, hotspot, key, PAYLOAD)
    later = copy.deepcopy(PAYLOAD)
    later["general"]["uptime"] = 8303
    assert push(client, hotspot, key, later).status_code == 200
    assert DeviceStatus.objects.get(hotspot=hotspot).uptime_seconds == 8303


def test_a_push_is_a_good_probe_for_a_point_watched_by_its_pushes(client, device):
    hotspot, key = device
    Hotspot.objects.filter(pk=hotspot.pk).update(probe_kind=ProbeKind.PUSH, health=Health.PROBLEM, failures=2,
                                                 first_failure_at=timezone.now())
    assert push(client, hotspot, key, PAYLOAD).status_code == 200
    found = Hotspot.objects.get(pk=hotspot.pk)
    assert (found.health, found.failures) == (Health.OK, 0)
    assert ProbeResult.objects.get(hotspot=hotspot).kind == ProbeKind.PUSH


def test_memory_without_available_counts_buffers_and_cache_as_free():
    payload = copy.deepcopy(PAYLOAD)
    del payload["resources"]["memory"]["available"]
    assert DeviceMonitoring.model_validate(payload).memory_percent() == 50.0  # 1000 - 300 - 100 - 100
    memory = payload["resources"]["memory"]
    memory["cache"] = memory.pop("cached")  # the upstream example's spelling
    assert DeviceMonitoring.model_validate(payload).memory_percent() == 50.0


def test_wrong_or_missing_key_is_401(client, device):
    hotspot, key = device
    for offered in (None, "kcw_not-the-key", ""):
        response = push(client, hotspot, offered, PAYLOAD)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    response = push(client, hotspot, None, PAYLOAD, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert not DeviceStatus.objects.exists()


def test_unknown_code_answers_like_a_wrong_key(client, device):
    hotspot, key = device
    wrong_key = push(client, hotspot, "kcw_not-the-key", PAYLOAD)
    unknown = push(client, Hotspot(code="TIDAK-ADA"), key, PAYLOAD)
    assert unknown.status_code == wrong_key.status_code == 401
    assert unknown.content == wrong_key.content


def test_a_hotspot_without_a_key_accepts_no_report(client, make_hotspot):
    hotspot = make_hotspot()
    assert push(client, hotspot, "", PAYLOAD).status_code == 401


def test_body_that_is_not_json_is_400(client, device):
    hotspot, key = device
    response = push(client, hotspot, key, b"{not json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Isi permintaan bukan JSON yang sah. / The request body is not valid JSON."
    )


def test_report_that_does_not_match_the_schema_is_400_naming_the_fields(client, device):
    hotspot, key = device
    payload = copy.deepcopy(PAYLOAD)
    del payload["resources"]["memory"]["total"]
    del payload["interfaces"][0]["name"]
    payload["interfaces"][1]["statistics"]["rx_bytes"] = "banyak"
    response = push(client, hotspot, key, payload)
    assert response.status_code == 400
    body = response.json()
    assert "NetJSON DeviceMonitoring" in body["detail"]
    assert " / " in body["detail"]  # Indonesian and English
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"resources.memory.total", "interfaces.0.name", "interfaces.1.statistics.rx_bytes"}
    assert not DeviceStatus.objects.exists()


def test_report_of_another_type_is_400(client, device):
    hotspot, key = device
    response = push(client, hotspot, key, {**PAYLOAD, "type": "NetworkGraph"})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["type"]
    response = push(client, hotspot, key, [PAYLOAD])
    assert response.status_code == 400


def test_disk_entries_take_no_unknown_keys(client, device):
    hotspot, key = device
    payload = copy.deepcopy(PAYLOAD)
    payload["resources"]["disk"][0]["colour"] = "blue"
    response = push(client, hotspot, key, payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "resources.disk.0.colour"


def test_oversize_report_is_413(client, device):
    hotspot, key = device
    payload = {**PAYLOAD, "padding": "x" * MAX_BYTES}
    response = push(client, hotspot, key, payload)
    assert response.status_code == 413
    assert not DeviceStatus.objects.exists()


def test_only_post(client, device):
    hotspot, key = device
    url = reverse("wifi_netjson:device-monitoring", args=[hotspot.code])
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 405
