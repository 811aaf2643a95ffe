"""FreeRADIUS's accounting posts through the WSGI application that `kotacerdas serve` runs:
answered in front of Django's middleware, exactly as the Django view answers them, and
anything else handed on to Django."""

import json

import pytest
from django.test import RequestFactory

from kotacerdas.accounts.actions import api_key_create
from kotacerdas.wifi.models import Session
from kotacerdas.wifi.radius.fastpath import PATH
from kotacerdas.wifi.tests.radius_support import MAC, USERNAME, make_hotspot, stored_text
from kotacerdas.wsgi import application

# The fast path runs outside any transaction, as under gunicorn: the test's rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


class Response:
    def __init__(self, environ) -> None:
        self.status, self.headers = "", {}
        self.body = b"".join(application(environ, self.start_response))

    def start_response(self, status, headers, exc_info=None):
        self.status, self.headers = status, dict(headers)

    @property
    def code(self) -> int:
        return int(self.status.split()[0])


def send(body, *, key="", path=PATH, method="POST", host="127.0.0.1") -> Response:
    factory = RequestFactory()
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = factory.generic(method, path, data=data, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {key}" if key else "", HTTP_HOST=host)
    return Response(request.environ)


def packet(status: str, **fields):
    body = {"status_type": status, "session_id": "80f00003", "username": USERNAME,
            "nas_ip_address": "10.20.0.1", "called_station_id": "hotspot-rw03", "calling_station_id": MAC,
            "session_time": "", "input_octets": "", "output_octets": ""}
    return body | fields


def test_start_interim_stop_are_accounted_with_empty_answers():
    key = api_key_create(name="freeradius")
    hotspot = make_hotspot("snt-rw03", nas_ip="10.20.0.1", called_station_id="hotspot-rw03")
    start = send(packet("Start"), key=key)
    assert (start.code, start.body) == (201, b"")
    assert send(packet("Start"), key=key).code == 200  # a retransmission changes nothing
    send(packet("Interim-Update", session_time="300", input_octets="1000", output_octets="9000"), key=key)
    stop = send(packet("Stop", session_time="600", input_octets="2000", output_octets="50000",
                       terminate_cause="User-Request"), key=key)
    assert (stop.code, stop.body) == (200, b"")
    session = Session.objects.get()
    assert (session.hotspot, session.session_time, session.output_octets) == (hotspot, 600, 50000)
    assert session.stopped_at is not None
    assert USERNAME not in stored_text() and MAC not in stored_text()


def test_a_wrong_key_is_refused_like_the_django_view_refuses_it():
    api_key_create(name="freeradius")
    answer = send(packet("Start"), key="kc_wrong")
    assert answer.code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert "Kunci API" in json.loads(answer.body)["detail"]
    assert not Session.objects.exists()


def test_unreadable_json_and_a_bad_packet_get_400_with_the_reason():
    key = api_key_create(name="freeradius")
    assert send(b"{not json", key=key).code == 400
    answer = send(packet("Start", session_time="lama"), key=key)
    assert answer.code == 400
    assert "session_time" in json.loads(answer.body)["detail"]


def test_other_requests_go_through_django():
    key = api_key_create(name="freeradius")
    assert send(packet("Start"), key=key, method="GET").code == 405  # Django's require_POST
    assert send(packet("Start"), key=key, host="evil.example").code == 400  # Django's host check
    assert send(b"", path="/healthz", method="GET").code == 200  # any other page, as before
    assert not Session.objects.exists()
