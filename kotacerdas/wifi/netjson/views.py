"""Where a router pushes its NetJSON DeviceMonitoring: POST /api/wifi/perangkat/<code>/ with
`Authorization: Bearer <device key>` (the key shown once by Hotspot.new_device_key).

OpenWISP's agent sends its key in the query string (reference/wifi.md §1.2); a header keeps
the key out of access logs, and the router's push script sets it as easily.

An unknown code answers exactly like a wrong key (401, same body): otherwise anyone could
list the city's hotspot codes by trying them.

Texts are Indonesian and English at once ("<id> / <en>"), whatever the request's language:
whoever reads them is configuring a router, in either language. They are pairs rather than
catalog entries for the reason given in reports/open311/errors.py.
"""

import hashlib
import hmac
import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from kotacerdas.wifi.models import Hotspot
from kotacerdas.wifi.monitoring import device_report_record
from kotacerdas.wifi.netjson.schemas import DeviceMonitoring

MAX_BYTES = 512 * 1024

UNAUTHORIZED = (
    "Kunci perangkat tidak ada atau salah. / The device key is missing or wrong."
)
TOO_LARGE = (
    "Laporan lebih dari 512 KB. / The report is larger than 512 KB."
)
NOT_JSON = (
    "Isi permintaan bukan JSON yang sah. / The request body is not valid JSON."
)
NOT_NETJSON = (
    "Laporan tidak sesuai NetJSON DeviceMonitoring; lihat `errors`. / "
    "The report does not match NetJSON DeviceMonitoring; see `errors`."
)
RECEIVED = "Laporan diterima. / Report received."

# Compared against when the code is unknown, so that a miss costs what a wrong key costs.
NO_KEY_HASH = hashlib.sha256(b"no hotspot has this key").hexdigest()


def _bearer(request: HttpRequest) -> str:
    scheme, _sep, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


def _authorised(hotspot: Hotspot | None, key: str) -> bool:
    stored = hotspot.device_key_hash if hotspot is not None and hotspot.device_key_hash else NO_KEY_HASH
    offered = hashlib.sha256(key.encode()).hexdigest()
    return hmac.compare_digest(offered, stored) and hotspot is not None and bool(key)


def _errors(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in problem["loc"]) or "(body)", "error": problem["msg"]}
        for problem in error.errors(include_url=False)
    ]


@csrf_exempt  # a router authenticates with its device key, never with a session cookie
@require_POST
def device_monitoring(request: HttpRequest, code: str) -> JsonResponse:
    hotspot = Hotspot.objects.filter(code=code).first()
    if not _authorised(hotspot, _bearer(request)):
        response = JsonResponse({"detail": UNAUTHORIZED}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="kotacerdas-wifi"'
        return response
    assert hotspot is not None
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BYTES:
        return JsonResponse({"detail": TOO_LARGE}, status=413)
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"detail": TOO_LARGE}, status=413)
    if len(body) > MAX_BYTES:
        return JsonResponse({"detail": TOO_LARGE}, status=413)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": NOT_JSON}, status=400)
    try:
        report = DeviceMonitoring.model_validate(data)
    except ValidationError as error:
        return JsonResponse({"detail": NOT_NETJSON, "errors": _errors(error)}, status=400)
    device_report_record(hotspot=hotspot, report=report, at=timezone.now())
    return JsonResponse({"detail": RECEIVED})
