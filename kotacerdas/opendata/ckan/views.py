"""One view answers every action at /api/action/<name> and /api/3/action/<name>, with CKAN's
envelope, error types and status codes (ckan/views/api.py, reference/ckan.md §1).

Publishing happens on the portal, through the Walidata's review (opendata/actions.py), so
this API offers only CKAN's read actions. A write action is still recognised: on GET it gets
CKAN's "Please use POST" string, on POST an Authorization Error saying where to publish,
which ckanapi raises as NotAuthorized, clearer than "Action name not known".
"""

import json
import logging
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.accounts.queries import api_key_valid, user_for_token
from kotacerdas.opendata.ckan.errors import ActionError, BadRequest, NotAuthorized
from kotacerdas.opendata.ckan.handlers import ACTIONS, Context
from kotacerdas.opendata.ckan.params import request_data
from kotacerdas.opendata.queries import ANONYMOUS, Viewer

logger = logging.getLogger(__name__)

WRITE_ACTION = re.compile(
    r".+_(create|update|patch|delete|purge|revise|upsert|reorder|invite|clear|run_triggers)$"
    r"|^(follow|unfollow|bulk_update)_.+"
)
USE_POST = BadRequest("JSON Error: Invalid request. Please use POST method for your request")
CONTENT_TYPE = "application/json;charset=utf-8"
PUBLISH_ON_PORTAL = (
    "Data diterbitkan melalui portal Satu Data setelah diperiksa Walidata; API ini hanya untuk "
    "membaca. / Data is published on the Satu Data portal after the Walidata's review; this API "
    "is read-only."
)
INVALID_KEY = (
    "Kunci API tidak dikenal atau sudah dicabut. / The API key is unknown or has been revoked."
)


def api_version(request: HttpRequest, version: int = 3) -> HttpResponse:
    return _json({"version": version})


@csrf_exempt  # clients authenticate with an API key header, never with a session cookie
def action(request: HttpRequest, name: str) -> HttpResponse:
    if request.method not in ("GET", "POST", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    handler = ACTIONS.get(name)
    if handler is None:
        if not WRITE_ACTION.match(name):
            return _bad_request(BadRequest(f"Action name not known: {name}"))
        if request.method != "POST":
            return _bad_request(USE_POST)
        return _envelope(name, error=NotAuthorized(PUBLISH_ON_PORTAL))
    try:
        viewer = viewer_for(request)
        data = request_data(request)
        result = handler(Context(viewer), data)
    except BadRequest as error:
        return _bad_request(error)
    except ActionError as error:
        return _envelope(name, error=error)
    except Exception:
        logger.exception("CKAN action %s failed", name)
        return _envelope(name, error=ActionError("Internal Server Error"))
    response = _envelope(name, result=result)
    if request.method != "POST":
        # Public data any web page may read; a key is never sent by a browser's CORS request.
        response["Access-Control-Allow-Origin"] = "*"
    return response


def viewer_for(request: HttpRequest) -> Viewer:
    """CKAN ≥ 2.10 reads the raw token from Authorization; we also take "Bearer <key>" and
    the older X-CKAN-API-Key (ckanapi sends both headers). A partner system's key may read
    published private data; a user's token sees what that user sees on the portal."""
    raw = ""
    authorization = request.headers.get("Authorization", "").strip()
    scheme, _space, rest = authorization.partition(" ")
    if scheme.lower() == "bearer":
        raw = rest.strip()
    elif scheme.lower() != "basic":  # a proxy's own login, not ours
        raw = authorization
    raw = raw or request.headers.get("X-CKAN-API-Key", "").strip()
    if not raw:
        return ANONYMOUS
    if api_key_valid(raw) is not None:
        return Viewer(partner=True)
    user = user_for_token(raw)
    if user is not None:
        return Viewer(user=user)
    raise NotAuthorized(INVALID_KEY)


def _envelope(name: str, *, result: Any = None, error: ActionError | None = None) -> HttpResponse:
    help_url = settings.SITE_URL + reverse("opendata-ckan:action-v3", kwargs={"name": "help_show"})
    payload: dict[str, Any] = {"help": f"{help_url}?name={name}"}
    if error is None:
        payload.update(success=True, result=result)
        return _json(payload)
    payload.update(success=False, error=error.error())
    return _json(payload, status=error.status)


def _bad_request(error: BadRequest) -> HttpResponse:
    return _json(error.message, status=400)


def _json(payload: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(payload, default=str), content_type=CONTENT_TYPE, status=status)
