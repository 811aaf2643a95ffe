"""FreeRADIUS's accounting posts, answered in front of Django's request handling.

Every Accounting-Request of every router comes here, thousands a second at peak, and each
needs one SQL statement. Through Django's middleware (sessions, authentication, CSRF,
messages, languages) a request cost twice the CPU of the statement's own work, so
`kotacerdas.wsgi` wraps the Django application in this: a POST to the accounting path with
a host Django would accept is answered by the same code as the Django view
(views.accounting_answer); everything else, and anything unusual, goes to Django as before.
"""

import json
import logging

from django.conf import settings
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host

from kotacerdas.wifi.radius.views import accounting_answer

PATH = "/api/wifi/radius/accounting/"
MAX_BODY = 64 * 1024
REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 500: "Internal Server Error"}
INTERNAL_ERROR = ("Kesalahan di server; paket akan dikirim ulang oleh FreeRADIUS. / "
                  "Server error; FreeRADIUS will send the packet again.")

logger = logging.getLogger(__name__)


class AccountingFastPath:
    def __init__(self, django_app) -> None:
        self.django_app = django_app

    def __call__(self, environ, start_response):
        if not self._ours(environ):
            return self.django_app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self.django_app(environ, start_response)
        if not 0 < length <= MAX_BODY:
            return self.django_app(environ, start_response)  # Django says what is wrong
        body = environ["wsgi.input"].read(length)
        # What Django does around each request: a connection past CONN_MAX_AGE or broken by
        # an error is closed and reopened, never reused.
        close_old_connections()
        try:
            status, error = accounting_answer(body, environ.get("HTTP_AUTHORIZATION", ""))
        except Exception:
            # Logged without the packet (user names, MACs); FreeRADIUS retries on a 5xx.
            logger.exception("accounting packet failed")
            status, error = 500, {"detail": INTERNAL_ERROR}
        finally:
            close_old_connections()
        payload = b"" if error is None else json.dumps(error).encode()
        headers = [("Content-Length", str(len(payload)))]
        if error is not None:
            headers.append(("Content-Type", "application/json"))
        if status == 401:
            headers.append(("WWW-Authenticate", "Bearer"))
        start_response(f"{status} {REASONS.get(status, '')}".strip(), headers)
        return [payload]

    @staticmethod
    def _ours(environ) -> bool:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return False
        if settings.SECURE_SSL_REDIRECT and not _secure(environ):
            return False  # Django redirects it to https
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        domain, _port = split_domain_port(host)
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        return bool(domain) and validate_host(domain, allowed)


def _secure(environ) -> bool:
    if environ.get("wsgi.url_scheme") == "https":
        return True
    header = settings.SECURE_PROXY_SSL_HEADER
    return bool(header) and environ.get(header[0]) == header[1]
