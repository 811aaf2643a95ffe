"""A real SMS/WhatsApp gateway on localhost: it records every request and answers with
whatever status the test sets, so retries, crashes and recoveries are seen from the
gateway's side, the way a provider would see them."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.conftest import PASSWORD


@dataclass
class Received:
    path: str
    headers: dict
    raw: bytes
    status: int  # what the gateway answered

    @property
    def json(self):
        return json.loads(self.raw)


@dataclass
class Gateway:
    url: str
    status: int = 200
    requests: list[Received] = field(default_factory=list)

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.status < 300]


@pytest.fixture
def gateway():
    state = Gateway(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                status = state.status
                state.requests.append(Received(self.path, dict(self.headers), raw, status))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "down"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def sms_gateway(gateway, settings):
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = "sms-token"
    settings.SMS_GATEWAY_PAYLOAD = '{"to": "{to}", "message": "{message}", "ref_id": "{reference}"}'
    settings.WHATSAPP_GATEWAY_URL = gateway.url
    settings.WHATSAPP_GATEWAY_TOKEN = "wa-token"
    settings.WHATSAPP_GATEWAY_PAYLOAD = '{"phone": "{to}", "message": "{message}", "ref_id": "{reference}"}'
    return gateway


@pytest.fixture
def sms_user(db) -> User:
    """A resident who chose SMS and has no e-mail address."""
    return User.objects.create_user(phone="+6285700000042", password=PASSWORD, name="Siti Rahayu",
                                    phone_verified=True, channels=["sms"])
