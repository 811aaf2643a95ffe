"""The accounting endpoint, driven as FreeRADIUS's rlm_rest drives it, in both JSON shapes."""

import logging
import select
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pyrad import client as radius_client
from pyrad import packet as radius_packet
from pyrad import server as radius_server
from pyrad.dictionary import Dictionary

from kotacerdas.accounts.actions import api_key_create
from kotacerdas.wifi.models import Session
from kotacerdas.wifi.tests.radius_support import (
    MAC,
    URLCONF,
    USERNAME,
    accounting_url,
    make_hotspot,
    post,
    rlm_rest,
    stored_text,
)

WIB = ZoneInfo("Asia/Jakarta")

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


@pytest.fixture
def key() -> str:
    return api_key_create(name="freeradius")


def openwisp(status: str, **fields):
    """The JSON of openwisp-radius's rlm_rest accounting section (wifi.md §1.3): every value an
    xlat, so a string, "" when the NAS did not send the attribute."""
    body = {"status_type": status, "session_id": "80f00003", "unique_id": "", "username": USERNAME,
            "realm": "", "nas_ip_address": "10.20.0.1", "nas_port_id": "bridge-hotspot", "nas_port_type":
            "Wireless-802.11", "session_time": "", "authentication": "RADIUS", "input_octets": "",
            "output_octets": "", "called_station_id": "hotspot-rw03", "calling_station_id": MAC,
            "terminate_cause": "", "service_type": "", "framed_protocol": "",
            "framed_ip_address": "10.5.50.7"}
    body.update(fields)
    return body


def test_openwisp_json_start_interim_stop(client, key):
    hotspot = make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    response = post(client, key, openwisp("Start", event_timestamp="1795914000"))
    assert response.status_code == 201
    assert response.content == b""
    response = post(client, key, openwisp("Interim-Update", session_time="300", input_octets="1000",
                                          output_octets="20000"))
    assert (response.status_code, response.content) == (200, b"")
    response = post(client, key, openwisp("Stop", session_time="600", input_octets="2000",
                                          output_octets="50000",
                                          terminate_cause="User-Request"))
    assert (response.status_code, response.content) == (200, b"")
    session = Session.objects.get()
    assert session.hotspot == hotspot
    assert session.started_at == datetime.fromtimestamp(1795914000, tz=WIB)
    assert (session.session_time, session.input_octets, session.output_octets) == (600, 2000, 50000)
    assert session.terminate_cause == "User-Request"
    assert session.stopped_at is not None


def test_rlm_rest_default_body_with_gigawords_and_wispr_location(client, key):
    hotspot = make_hotspot("snt-rw03-rt02", wispr_location_id="KotaBlitar-SNT-RW03-RT02")
    attributes = {
        "User-Name": USERNAME, "Acct-Session-Id": "80f00010", "NAS-IP-Address": "10.20.0.1",
        "NAS-Identifier": "rw03-sentul", "Called-Station-Id": "hotspot-rw03", "Calling-Station-Id": MAC,
        "WISPr-Location-ID": "KotaBlitar-SNT-RW03-RT02", "Acct-Unique-Session-Id": "0123456789abcdef" * 2,
    }
    start = rlm_rest({**attributes, "Acct-Status-Type": "Start",
                      "Event-Timestamp": "Nov 29 2026 08:00:00 WIB"})
    assert post(client, key, start).status_code == 201
    stop = rlm_rest({**attributes, "Acct-Status-Type": "Stop", "Acct-Session-Time": 7200,
                     "Acct-Input-Octets": 100, "Acct-Input-Gigawords": 1, "Acct-Output-Octets": 200,
                     "Acct-Output-Gigawords": 3, "Acct-Terminate-Cause": "Session-Timeout",
                     "Event-Timestamp": "Nov 29 2026 10:00:00 WIB"})
    assert post(client, key, stop).status_code == 200
    session = Session.objects.get(unique_id="0123456789abcdef" * 2)
    assert session.hotspot == hotspot
    assert session.started_at == datetime(2026, 11, 29, 8, tzinfo=WIB)
    assert session.stopped_at == datetime(2026, 11, 29, 10, tzinfo=WIB)
    assert session.input_octets == (1 << 32) + 100
    assert session.output_octets == (3 << 32) + 200
    assert session.terminate_cause == "Session-Timeout"


def test_status_type_may_come_as_its_number(client, key):
    body = rlm_rest({"Acct-Status-Type": 1, "Acct-Session-Id": "s1", "NAS-IP-Address": "10.20.0.1"})
    assert post(client, key, body).status_code == 201


def test_repeated_and_out_of_order_packets(client, key):
    late = openwisp("Interim-Update", session_time="600", input_octets="60")
    early = openwisp("Interim-Update", session_time="300", input_octets="30")
    assert post(client, key, late).status_code == 201
    assert post(client, key, early).status_code == 200
    assert post(client, key, openwisp("Start")).status_code == 200
    assert post(client, key, openwisp("Stop", session_time="900", input_octets="90")).status_code == 200
    assert post(client, key, openwisp("Stop", session_time="900", input_octets="90")).status_code == 200
    session = Session.objects.get()
    assert (session.session_time, session.input_octets) == (900, 90)


def test_accounting_on_from_a_rebooted_router_closes_its_sessions(client, key):
    post(client, key, openwisp("Start", session_id="a"))
    post(client, key, openwisp("Start", session_id="b", nas_ip_address="10.20.0.2"))
    response = post(client, key, {"status_type": "Accounting-On", "nas_ip_address": "10.20.0.1"})
    assert response.status_code == 200
    assert dict(Session.objects.values_list("session_id", "terminate_cause")) == {"a": "NAS-Reboot", "b": ""}


@pytest.mark.parametrize("header", [None, "Bearer kck_not-a-key", "Token something"])
def test_without_a_valid_key_is_401_in_both_languages(client, key, header):
    headers = {"Authorization": header} if header else {}
    response = client.post(accounting_url(), data=openwisp("Start"), content_type="application/json",
                           headers=headers)
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert "Kunci API" in detail and "API key" in detail
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "JSON"),
        ([1, 2], "JSON"),
        ({"session_id": "x"}, "Acct-Status-Type"),
        ({"status_type": "Start"}, "Acct-Session-Id"),
        ({"status_type": "Reboot-Please", "session_id": "x"}, "tidak dikenal"),
        ({"status_type": "Interim-Update", "session_id": "x", "session_time": "soon"}, "session_time"),
        ({"status_type": "Start", "session_id": "x", "nas_ip_address": "router"}, "NAS-IP-Address"),
    ],
)
def test_a_packet_that_cannot_be_accounted_is_400_with_detail(client, key, body, words):
    response = post(client, key, body)
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert " / " in response.json()["detail"]


def test_only_post(client, key):
    response = client.get(accounting_url(), headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 405


def test_user_names_and_macs_are_not_logged_nor_stored(client, key, caplog):
    caplog.set_level(logging.DEBUG)
    post(client, key, openwisp("Start"))
    post(client, key, openwisp("Stop", session_time="60", terminate_cause="User-Request"))
    post(client, key, {"status_type": "Nonsense", "session_id": "x", "username": USERNAME})
    assert USERNAME not in caplog.text and MAC not in caplog.text
    assert USERNAME not in stored_text() and MAC not in stored_text()


# --- a real RADIUS exchange ---------------------------------------------------------------

# Just the attributes a MikroTik HotSpot sends in accounting (wifi.md §2.2, §2.3), in
# FreeRADIUS's dictionary format.
DICTIONARY = """
ATTRIBUTE User-Name 1 string
ATTRIBUTE NAS-IP-Address 4 ipaddr
ATTRIBUTE NAS-Port 5 integer
ATTRIBUTE Called-Station-Id 30 string
ATTRIBUTE Calling-Station-Id 31 string
ATTRIBUTE NAS-Identifier 32 string
ATTRIBUTE Acct-Status-Type 40 integer
ATTRIBUTE Acct-Delay-Time 41 integer
ATTRIBUTE Acct-Input-Octets 42 integer
ATTRIBUTE Acct-Output-Octets 43 integer
ATTRIBUTE Acct-Session-Id 44 string
ATTRIBUTE Acct-Session-Time 46 integer
ATTRIBUTE Acct-Terminate-Cause 49 integer
ATTRIBUTE Acct-Input-Gigawords 52 integer
ATTRIBUTE Acct-Output-Gigawords 53 integer
ATTRIBUTE Event-Timestamp 55 date
ATTRIBUTE NAS-Port-Id 87 string
VALUE Acct-Status-Type Start 1
VALUE Acct-Status-Type Stop 2
VALUE Acct-Status-Type Interim-Update 3
VALUE Acct-Status-Type Accounting-On 7
VALUE Acct-Status-Type Accounting-Off 8
VALUE Acct-Terminate-Cause User-Request 1
VALUE Acct-Terminate-Cause Idle-Timeout 4
VALUE Acct-Terminate-Cause Session-Timeout 5
VALUE Acct-Terminate-Cause NAS-Reboot 11
VENDOR WISPr 14122
BEGIN-VENDOR WISPr
ATTRIBUTE WISPr-Location-ID 1 string
END-VENDOR WISPr
"""
SECRET = b"rahasia-nas-rw03"


class AccountingReceiver(radius_server.Server):
    """What FreeRADIUS with rlm_rest does with an Accounting-Request: decode it, post its
    attributes to our endpoint, and answer the NAS only when the endpoint took it (2xx)."""

    def __init__(self, dictionary: Dictionary, forward):
        hosts = {"127.0.0.1": radius_server.RemoteHost("127.0.0.1", SECRET, "nas-rw03")}
        super().__init__(acctport=0, hosts=hosts, dict=dictionary, auth_enabled=False)
        self.BindToAddress("127.0.0.1")
        self.forward = forward
        self.statuses: list[int] = []

    @property
    def port(self) -> int:
        return self.acctfds[0].getsockname()[1]

    def serve_one(self, timeout: float = 5.0) -> None:
        socket = self.acctfds[0]
        ready, _, _ = select.select([socket], [], [], timeout)
        assert ready, "the NAS sent nothing"
        data, source = socket.recvfrom(4096)
        request = self.CreateAcctPacket(packet=data)
        request.source, request.fd = source, socket
        request.secret = self.hosts[source[0]].secret
        assert request.VerifyAcctRequest(), "bad Request Authenticator"
        self.HandleAcctPacket(request)

    def HandleAcctPacket(self, pkt):  # noqa: N802 - pyrad's name
        body = {name: {"type": self.dict.attributes[name].type, "value": pkt[name]}
                for name in pkt.keys() if isinstance(name, str)}  # noqa: SIM118 - pyrad's keys() names them
        response = self.forward(body)
        self.statuses.append(response.status_code)
        if 200 <= response.status_code < 300:
            self.SendReplyPacket(pkt.fd, self.CreateReplyPacket(pkt))


def test_a_real_radius_exchange_from_a_nas(client, key, tmp_path):
    hotspot = make_hotspot("snt-rw03-rt02", wispr_location_id="KotaBlitar-SNT-RW03-RT02")
    (tmp_path / "dictionary").write_text(DICTIONARY)
    dictionary = Dictionary(str(tmp_path / "dictionary"))
    receiver = AccountingReceiver(dictionary, lambda body: post(client, key, body))
    nas = radius_client.Client(server="127.0.0.1", acctport=receiver.port, secret=SECRET, dict=dictionary,
                               retries=1, timeout=5)
    nas.bind(("127.0.0.1", 0))
    started = int(datetime(2026, 11, 29, 19, 0, tzinfo=WIB).timestamp())

    def send(status: str, **attributes) -> int:
        request = nas.CreateAcctPacket()
        for name, value in {
            "Acct-Status-Type": status, "Acct-Session-Id": "80f0000a", "User-Name": USERNAME,
            "Calling-Station-Id": MAC, "Called-Station-Id": "hotspot-rw03", "NAS-IP-Address": "10.20.0.1",
            "NAS-Identifier": "rw03-sentul", "NAS-Port": 2148532234, "NAS-Port-Id": "bridge-hotspot",
            "WISPr-Location-ID": "KotaBlitar-SNT-RW03-RT02", **attributes,
        }.items():
            request[name] = value
        replies: list = []
        sender = threading.Thread(target=lambda: replies.append(nas.SendPacket(request)))
        sender.start()
        receiver.serve_one()
        sender.join(timeout=10)
        assert replies, "the NAS got no Accounting-Response"
        return replies[0].code

    assert send("Start", **{"Event-Timestamp": started}) == radius_packet.AccountingResponse
    assert send("Interim-Update", **{"Event-Timestamp": started + 300, "Acct-Session-Time": 300,
                                     "Acct-Input-Octets": 4000, "Acct-Output-Octets": 4294967000}) == 5
    assert send("Stop", **{"Event-Timestamp": started + 900, "Acct-Session-Time": 900,
                           "Acct-Input-Octets": 9000, "Acct-Output-Octets": 1000, "Acct-Output-Gigawords": 1,
                           "Acct-Terminate-Cause": "User-Request"}) == 5
    assert receiver.statuses == [201, 200, 200]
    session = Session.objects.get()
    assert session.hotspot == hotspot
    assert session.session_id == "80f0000a"
    assert session.started_at == datetime(2026, 11, 29, 19, 0, tzinfo=WIB)
    assert session.stopped_at == datetime(2026, 11, 29, 19, 15, tzinfo=WIB)
    assert (session.session_time, session.input_octets) == (900, 9000)
    assert session.output_octets == (1 << 32) + 1000
    assert session.terminate_cause == "User-Request"
    assert USERNAME not in stored_text()
    for socket in receiver.acctfds:
        socket.close()
