"""The endpoint FreeRADIUS's rlm_rest posts each Accounting-Request to.

It answers with an empty body (201 when a session row was created, 200 otherwise) because
rlm_rest would try to parse one into attributes; errors carry a bilingual JSON detail for the
person reading FreeRADIUS's log. rlm_rest's ``accounting`` section posts to
``<site>/api/wifi/radius/accounting/`` (the trailing slash matters) with ``body = "json"``,
either its default attribute list or OpenWISP's ``data`` template (wifi.md §1.3, plus the
Gigawords, NAS-Identifier, WISPr-Location-ID and Event-Timestamp); the key from
``kotacerdas create_api_key freeradius`` goes in an ``Authorization: Bearer`` header, e.g.
``update control { &REST-HTTP-Header += "Authorization: Bearer <key>" }`` in preacct.
"""

import hashlib
import json
import time

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from kotacerdas.accounts.queries import api_key_valid
from kotacerdas.wifi.radius.actions import session_account
from kotacerdas.wifi.radius.packets import PacketError, packet_from_json

UNAUTHORIZED = ("Kunci API tidak ada atau tidak valid: kirim header Authorization: Bearer <kunci API>. / "
                "Missing or invalid API key: send Authorization: Bearer <api key>.")
BAD_JSON = ("Isi permintaan tidak dapat dibaca: kirim JSON yang valid. / "
            "Cannot parse request body: send valid JSON.")

# FreeRADIUS sends every packet with the same key; looking it up once a minute rather than per
# packet saves a query on the hot path, at the cost of a revoked key working up to a minute more.
KEY_TTL_SECONDS = 60
_keys_seen: dict[str, float] = {}


def _key_valid(raw: str) -> bool:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    if _keys_seen.get(digest, 0.0) > time.monotonic():
        return True
    if api_key_valid(raw) is None:
        _keys_seen.pop(digest, None)
        return False
    if len(_keys_seen) > 100:
        _keys_seen.clear()  # someone cycling keys; never let the dict grow
    _keys_seen[digest] = time.monotonic() + KEY_TTL_SECONDS
    return True


def bearer_key(authorization: str) -> str:
    scheme, _, key = authorization.partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


@sensitive_variables()  # the packet holds a user name and a MAC: keep them out of error reports
def accounting_answer(body: bytes, authorization: str) -> tuple[int, dict | None]:
    """What the endpoint answers, whichever way the request came (the Django view below, or
    radius/fastpath.py in front of Django): a status, and a JSON body for errors only."""
    key = bearer_key(authorization)
    if not key or not _key_valid(key):
        return 401, {"detail": UNAUTHORIZED}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return 400, {"detail": BAD_JSON}
    try:
        packet = packet_from_json(data)
    except PacketError as problem:
        return 400, {"detail": str(problem)}
    outcome = session_account(packet=packet)
    return (201 if outcome == "created" else 200), None


@csrf_exempt
@require_POST
def accounting(request: HttpRequest) -> HttpResponse:
    status, error = accounting_answer(request.body, request.headers.get("Authorization", ""))
    if error is None:
        return HttpResponse(status=status)
    response = JsonResponse(error, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response
